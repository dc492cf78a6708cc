#pragma once

// EventUseCases: events that client systems push to a tenant (docs/ARCHITECTURE.md, "Events and
// webhooks"), signed in the Standard Webhooks scheme with the tenant's inbound-events secret and
// deduplicated by their id. The automated triggers of the request engine: payments received and
// failed, KYC completed, faults reported and resolved, provisioning results, customers inactive
// (app/event_data.h says what each type's data holds).

#include <string>
#include <vector>

#include "app/core/context.h"
#include "common/status.h"

namespace sb::app {

// The signature headers of one delivery, as received (empty when absent).
struct EventHeaders {
  std::string webhook_id;
  std::string webhook_timestamp;
  std::string webhook_signature;
};

// What handling an event did. `outcome`, by type:
// - payment.received: "payment_applied" (balance lowered, holds kept) or "reconnected"
//   (balance cleared and the non-payment holds lifted);
// - payment.failed: "failure_counted" or "suspended" (the policy's threshold reached: a
//   non_payment hold placed);
// - kyc.completed: "kyc_updated";
// - fault.reported: "suspended" or "already_suspended" (a fault hold of that scope is open);
// - fault.resolved: "reconnected" (fault holds lifted) or "no_open_fault";
// - provisioning.completed / failed: the request's state after it, "completed", "failed" or
//   "escalated" (still in provisioning, escalated as the policy says);
// - customer.inactive: "dormant" (marked, invitation queued) or "already_dormant";
// - fraud.alert: "suspended" (a fraud_review hold placed, a fraud signal recorded) or
//   "already_under_review" (one was active; the signal is recorded all the same);
// - status.snapshot: "in_step", "drift_recorded" (a reconciliation run of origin "snapshot"
//   recorded its drift items, app/reconciliation/) or "rows_rejected" (an unknown state, or a
//   service that is not the account's: listed on the run, the rest compared);
// - any other type: "ignored".
// `request_ids`: the requests it created (or, for provisioning, finished), then those it
// moved on (waiting requests whose checks now pass). For a duplicate: the first of the
// original delivery's, if any.
struct EventReceipt {
  bool duplicate = false;
  std::string outcome;
  std::vector<std::string> request_ids;
};

class EventUseCases {
 public:
  explicit EventUseCases(Deps deps) : deps_(deps) {}

  // Creates (or replaces) the tenant's inbound-events signing secret and returns it as
  // "whsec_<base64>". The secret is stored sealed under the master key and is never shown
  // again. kNotFound (param "tenant") for an unknown tenant.
  Result<std::string> CreateSecret(const std::string& tenant_id) const;

  // Checks only that the delivery is the tenant's: the tenant has an inbound-events secret
  // (an unknown tenant has none) and the signature headers verify over `body` within the
  // timestamp tolerance. Reads one row and writes nothing, so a caller can refuse forged
  // deliveries before charging the tenant anything. kUnauthenticated, param naming the
  // header, as Receive answers them. Thread-safe.
  Status Verify(const std::string& tenant_id, const EventHeaders& headers,
                const std::string& body) const;

  // Verifies (as Verify does) and handles one delivery. `body` must be the raw request body: the
  // signature covers its exact bytes. Errors, with nothing written:
  // - no secret for the tenant, a missing or malformed header, a timestamp out of
  //   tolerance or a bad signature: kUnauthenticated, param naming the header;
  // - an envelope that is not {"id","type","data":{...}} or data that does not fit the
  //   type: kInvalidArgument, param naming the field ("id", "data.amount_minor", ...);
  // - an unknown account, service or request: kNotFound naming the data field; a currency
  //   other than the account's: kUnprocessable; a provisioning result for a request not in
  //   provisioning, or a change the account's state refuses (closed, ...): kConflict.
  // A redelivered id answers duplicate = true with the first outcome and changes nothing.
  // Thread-safe.
  Result<EventReceipt> Receive(const std::string& tenant_id, const EventHeaders& headers,
                               const std::string& body) const;

  // The purpose under which the inbound-events secret is stored.
  static constexpr const char* kSecretPurpose = "inbound_events";

 private:
  // The tenant's secret, raw key bytes; kUnauthenticated when it has none.
  Result<std::string> LoadSecret(const std::string& tenant_id) const;

  Deps deps_;
};

}  // namespace sb::app
