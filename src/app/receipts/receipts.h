#pragma once

// Customer receipts. Every request a customer asked for (origin `voluntary`: filed on the
// portal, in a chat, or by an agent on their behalf) has a receipt: its reference, what was
// asked, when, and the leaf hash of the audit entry that recorded its filing. The receipt's
// token, `<tenant>.<request>.<mac>`, is a keyed hash of the tenant and the request under a key
// derived from the master key: it is never stored, the same on every server, and reissued on
// every read. Anyone holding it may check the receipt (POST /v1/receipts/check, no account):
// the answer carries the entry's inclusion proof against the tenant's latest signed checkpoint,
// which the portal's receipt page verifies in the browser. Neither the receipt nor its check
// shows anything of the account (no account id, number, name or contact): only what the
// customer was told when they asked.

#include <optional>
#include <string>
#include <string_view>

#include "app/audit/audit_log.h"
#include "app/core/context.h"
#include "common/status.h"
#include "domain/model.h"

namespace sb::app {

struct Receipt {
  std::string tenant_id;
  std::string request_id;  // the reference the customer quotes
  domain::RequestType type = domain::RequestType::kReconnection;
  domain::Channel channel = domain::Channel::kApi;
  Timestamp filed_at = 0;
  std::string audit_entry_id;  // the entry that recorded the filing
  std::string leaf_hash;       // its Merkle leaf, 32 raw bytes
  std::string token;           // empty in a check's answer: the caller holds it already
  std::string url;             // <portal_url>#receipt=<token>; empty when the pack names no portal
};

struct ReceiptCheck {
  Receipt receipt;
  // The entry's proof against `checkpoint`; both unset while the entry waits for the
  // checkpoint that will cover it (a second or so).
  std::optional<InclusionProof> proof;
  std::optional<domain::Checkpoint> checkpoint;
  std::string public_key;  // the checkpoint's Ed25519 key, 32 raw bytes
};

// Whether `r` has a receipt: the customer asked for it.
bool HasReceipt(const domain::Request& r);

// The token of the receipt of `request_id`. Pure; thread-safe.
std::string ReceiptToken(const Keyring& keyring, std::string_view tenant_id,
                         std::string_view request_id);

// `<portal_url>#receipt=<token>`, or "" when `portal_url` is empty or `r` has no receipt.
std::string ReceiptLink(const Keyring& keyring, const std::string& portal_url,
                        const domain::Request& r);

// Thread-safe: every call is one read transaction (a check is two: the checkpoint, then the
// proof against it).
class Receipts {
 public:
  Receipts(Deps deps, const AuditLog& audit) : deps_(deps), audit_(audit) {}

  // The receipt of the tenant's request `request_id`, token and link included. kNotFound
  // "request"; kUnprocessable "no_receipt" for a request the customer did not ask for.
  Result<Receipt> ForRequest(const std::string& tenant_id, const std::string& request_id) const;

  // What a receipt's holder may check. kUnauthenticated for a token that is not one this server
  // issued (malformed, altered, or naming a request that does not exist).
  Result<ReceiptCheck> Check(std::string_view token) const;

 private:
  Deps deps_;
  const AuditLog& audit_;
};

}  // namespace sb::app
