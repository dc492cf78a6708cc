// Jobs: durable timers and tasks, claimed with a lease.
#include <algorithm>

#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::Job;

#define SB_JOB_COLS                                                                        \
  "tenant_id, id, kind, subject_id, payload_json, state, run_at, attempts, locked_until, " \
  "last_error, created_at"
const Stmt kInsertJob{"job_insert", "INSERT INTO jobs (" SB_JOB_COLS
                                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                                    "ON CONFLICT DO NOTHING"};
const Stmt kUpdateJob{"job_update",
                      "UPDATE jobs SET kind = $3, subject_id = $4, payload_json = $5, "
                      "state = $6, run_at = $7, attempts = $8, locked_until = $9, "
                      "last_error = $10, created_at = $11 WHERE tenant_id = $1 AND id = $2"};
// Several processes claim at once: SKIP LOCKED hands each a disjoint set of due jobs. Crosses
// tenants: a privileged call (migrations/postgres/0013).
const Stmt kClaimJobs{"job_claim",
                      "SELECT " SB_JOB_COLS " FROM switchboard_claim_due_jobs($1, $2, $3)",
                      Reach::kServer};
const Stmt kListJobs{"job_list", "SELECT " SB_JOB_COLS
                                 " FROM jobs WHERE tenant_id = $1 AND subject_id = $2 "
                                 "ORDER BY id DESC"};

Job ReadJob(RowReader& r) {
  Job j;
  j.tenant_id = r.Str();
  j.id = r.Str();
  j.kind = r.Str();
  j.subject_id = r.Str();
  j.payload_json = r.Str();
  j.state = EnumOr<domain::JobState>(r.Str());
  j.run_at = r.Int();
  j.attempts = r.Int32();
  j.locked_until = r.OptInt();
  j.last_error = r.Str();
  j.created_at = r.Int();
  return j;
}

Params JobParams(const Job& j) {
  Params p;
  p.Text(j.tenant_id).Text(j.id).Text(j.kind).Text(j.subject_id).Text(j.payload_json);
  p.Text(domain::Name(j.state)).Int(j.run_at).Int(j.attempts).OptInt(j.locked_until);
  p.Text(j.last_error).Int(j.created_at);
  return p;
}

}  // namespace

Status PgTx::InsertJob(const Job& j) { return Insert(kInsertJob, JobParams(j)); }

Result<std::vector<Job>> PgTx::ClaimDueJobs(Timestamp now, int limit, Timestamp lease_ms) {
  if (!writable_) return Status::Internal("write in a read-only transaction");
  SB_ASSIGN_OR_RETURN(std::vector<Job> jobs,
                      Many(kClaimJobs, Params().Int(now).Int(limit).Int(now + lease_ms), &ReadJob));
  // RETURNING keeps no order; hand the jobs out the way they fell due.
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    return a.run_at != b.run_at ? a.run_at < b.run_at : a.id < b.id;
  });
  return jobs;
}

Status PgTx::UpdateJob(const Job& j) { return UpdateOne(kUpdateJob, JobParams(j), "job"); }

Result<std::vector<Job>> PgTx::ListJobs(std::string_view tenant_id, std::string_view subject_id) {
  return Many(kListJobs, Params().Text(tenant_id).Text(subject_id), &ReadJob);
}

}  // namespace sb::storage::postgres
