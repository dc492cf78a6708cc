#include "app/core/change.h"

#include "app/audit/audit_log.h"
#include "crypto/crypto.h"

namespace sb::app {

namespace json = boost::json;
using domain::AuditCategory;
using domain::RequestState;

Result<domain::Request> ChangeRecorder::CompletedRequest(
    domain::RequestType type, domain::Origin origin, const std::string& account_id,
    const std::optional<std::string>& service_id, const json::object& payload,
    const json::object& result) {
  domain::Request r;
  r.tenant_id = ctx_.tenant_id;
  r.id = crypto::NewId("req", now_);
  r.account_id = account_id;
  r.service_id = service_id;
  r.type = type;
  r.origin = origin;
  r.channel = ctx_.channel;
  r.state = RequestState::kCompleted;
  r.actor = ctx_.actor;
  r.reason_code = ctx_.reason_code;
  r.comment = ctx_.comment;
  r.correlation_id = ctx_.correlation_id;
  r.idempotency_key = ctx_.idempotency_key;
  SB_ASSIGN_OR_RETURN(r.policy_version, PolicyVersion());
  r.payload_json = json::serialize(payload);
  r.checks_json = "[]";
  r.result_json = json::serialize(result);
  for (RequestState s : {RequestState::kReceived, RequestState::kVerifying, RequestState::kApproved,
                         RequestState::kCompleted}) {
    r.history.push_back({s, now_});
  }
  r.created_at = r.updated_at = now_;
  r.completed_at = now_;
  SB_RETURN_IF_ERROR(tx_.InsertRequest(r));
  return r;
}

Result<std::string> ChangeRecorder::PolicyVersion() {
  if (!policy_version_) {
    auto version = tx_.PolicyVersionInForce(ctx_.tenant_id, now_);
    if (!version.ok() && version.status().code() != Code::kNotFound) return version.status();
    policy_version_ = version.ok() ? *version : std::string();
  }
  return *policy_version_;
}

Status ChangeRecorder::Audit(AuditCategory category, std::string action, std::string subject_type,
                             std::string subject_id, const std::string& account_id,
                             const std::string& request_id, const json::object& before,
                             const json::object& after) {
  domain::AuditEntry e;
  e.tenant_id = ctx_.tenant_id;
  e.id = crypto::NewId("aud", now_);
  e.category = category;
  e.action = std::move(action);
  e.actor = ctx_.actor;
  e.channel = ctx_.channel;
  e.reason_code = ctx_.reason_code;
  e.comment = ctx_.comment;
  e.request_id = request_id;
  e.correlation_id = ctx_.correlation_id;
  e.subject_type = std::move(subject_type);
  e.subject_id = std::move(subject_id);
  e.account_id = account_id;
  e.before_json = json::serialize(before);
  e.after_json = json::serialize(after);
  e.created_at = now_;
  // With a single writer the entry takes its place in the log at once, which spares the
  // sequencer reading it back and rewriting it; elsewhere the sequencer gives it one later.
  if (tx_.WritesAreSerialized()) SB_RETURN_IF_ERROR(SequenceInWrite(tx_, e));
  return tx_.InsertAuditEntry(e);
}

Status RequireReason(domain::Tx& tx, const CallContext& ctx) {
  if (ctx.reason_code.empty()) {
    return Status::Invalid("X-Reason", "this change needs a reason code in the X-Reason header",
                           "reason_required");
  }
  SB_ASSIGN_OR_RETURN(auto codes, tx.ListReasonCodes(ctx.tenant_id));
  for (const auto& c : codes) {
    if (c.code == ctx.reason_code) return Status::Ok();
  }
  return Status::Unprocessable("unknown_reason_code",
                               "'" + ctx.reason_code + "' is not one of this tenant's reason codes",
                               "X-Reason");
}

}  // namespace sb::app
