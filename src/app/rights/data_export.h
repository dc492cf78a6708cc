#pragma once

// Subject access (docs/ARCHITECTURE.md, "Capabilities", data rights): a completed
// `data_access` request produces everything held about the account's customer as one JSON
// document, sealed under the account's data key (app/core/keyring.h) in `data_exports`, and
// the people the pack allows download it once the request is completed.

#include <boost/json.hpp>
#include <string>

#include "app/core/context.h"
#include "app/core/keyring.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// The document: {"object": "subject_access_export", "account_id", "generated_at", "account"
// (reference, lifecycle, status, standing), "profile" (opened), "services", "holds",
// "requests" (sealed payload fields opened), "verifications", "notifications" (each email
// and SMS with its address and text opened), "audit_entries" (the account's entries with
// every "sealed:" before/after field opened)}. Each list holds at most 10,000 items, and
// "truncated" names the lists that had more. kConflict "personal_data_erased" when the
// account's data key was destroyed.
Result<boost::json::object> BuildSubjectAccessDocument(domain::Tx& tx, const Keyring& keyring,
                                                       const domain::Account& account,
                                                       Timestamp now);

// Builds the document and stores it sealed for `request_id` inside `tx`. Returns what the
// request's result records of it: {"data_export": {"bytes", "sha256", "available": true}}
// (the size and SHA-256 of the JSON text, never its content).
Result<boost::json::object> WriteDataExport(domain::Tx& tx, const Keyring& keyring,
                                            const domain::Account& account,
                                            const std::string& request_id, Timestamp now);

// Reading exports back. Thread-safe.
class DataRights {
 public:
  explicit DataRights(Deps deps) : deps_(deps) {}

  // The export of request `request_id` as JSON text, opened, and an audit entry of the
  // download (`data_export.downloaded`, category customer_data, with the text's SHA-256) in
  // the same transaction. The caller needs the admin or auditor role or one of the pack's
  // `data_rights.export_roles` (403 "role_not_allowed"), or is the account's customer (actor
  // type customer, on the portal). 404 "request" for an unknown request, one that is not a
  // data_access request, or, for a customer, another account's; 409 "export_not_ready" while it is
  // not completed; 409 "personal_data_erased" once the account was erased.
  Result<std::string> DownloadExport(const CallContext& ctx, const std::string& request_id) const;

 private:
  Deps deps_;
};

}  // namespace sb::app
