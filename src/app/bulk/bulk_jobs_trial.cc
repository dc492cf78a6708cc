// A bulk row's payload tried before its job runs (BulkJobs::TryPayload): the row is filed
// through the request engine exactly as the job would file it, in a transaction that is then
// rolled back, so that the type's own payload reader judges it.

#include "app/bulk/bulk_jobs.h"
#include "app/requests/request_flow.h"

namespace sb::app {

Result<std::optional<BulkRowError>> BulkJobs::TryPayload(const CallContext& ctx,
                                                         const BulkRowInput& row) const {
  Status refusal;
  Status tried = deps_.store.Write(
      [&](domain::Tx& tx) -> Status {
        SubmitInput in;
        in.type = row.type;
        in.account_id = row.account_id;
        if (!row.service_id.empty()) in.service_id = row.service_id;
        in.origin = domain::Origin::kBulk;
        in.payload = row.payload;
        CallContext c;
        c.tenant_id = ctx.tenant_id;
        c.actor = ctx.actor;
        c.channel = ctx.channel;
        c.reason_code = row.reason_code;
        c.correlation_id = ctx.correlation_id;
        refusal = SubmitInTx(tx, deps_, c, deps_.clock.Now(), in).status();
        return Status::Aborted();  // nothing of the trial is kept
      },
      domain::Store::Rerun::kNo);
  if (!tried.ok() && tried.code() != Code::kAborted) return tried;
  const std::string& param = refusal.param();
  if (refusal.code() == Code::kInvalidArgument &&
      (param == "service_id" || param.rfind("payload.", 0) == 0)) {
    return std::optional<BulkRowError>(BulkRowError{row.row, param, refusal.reason()});
  }
  return std::optional<BulkRowError>();
}

}  // namespace sb::app
