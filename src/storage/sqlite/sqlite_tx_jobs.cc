// Jobs: durable timers and tasks, claimed with a lease.

#include <algorithm>

#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::Job;

// jobs
#define SB_JOB_COLS                                                                        \
  "tenant_id, id, kind, subject_id, payload_json, state, run_at, attempts, locked_until, " \
  "last_error, created_at"
constexpr const char* kInsertJob =
    "INSERT INTO jobs (" SB_JOB_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?)";
// Pending jobs that are due, then running jobs whose lease ran out; both through jobs_due.
constexpr const char* kClaimDueJobs =
    "UPDATE jobs SET state = 'running', locked_until = ?1 WHERE (tenant_id, id) IN ("
    "SELECT tenant_id, id FROM (SELECT tenant_id, id, run_at FROM jobs "
    "WHERE state = 'pending' AND run_at <= ?2 UNION ALL "
    "SELECT tenant_id, id, run_at FROM jobs WHERE state = 'running' AND run_at <= ?2 "
    "AND locked_until <= ?2) ORDER BY run_at LIMIT ?3) RETURNING " SB_JOB_COLS;
constexpr const char* kUpdateJob =
    // subject_id (?2) never changes: see sqlite_tx_accounts.cc.
    "UPDATE jobs SET kind = ?1, payload_json = ?3, state = ?4, run_at = ?5, attempts = ?6, "
    "locked_until = ?7, last_error = ?8, created_at = ?9 WHERE tenant_id = ?10 AND id = ?11";
constexpr const char* kListJobs =
    "SELECT " SB_JOB_COLS " FROM jobs WHERE tenant_id = ? AND subject_id = ? ORDER BY id DESC";

Job ReadJob(const Stmt& s) {
  Job j;
  j.tenant_id = s.ColText(0);
  j.id = s.ColText(1);
  j.kind = s.ColText(2);
  j.subject_id = s.ColText(3);
  j.payload_json = s.ColText(4);
  j.state = ParseOr(s.ColText(5), domain::JobState::kPending);
  j.run_at = s.ColInt(6);
  j.attempts = static_cast<int>(s.ColInt(7));
  j.locked_until = s.ColOptInt(8);
  j.last_error = s.ColText(9);
  j.created_at = s.ColInt(10);
  return j;
}

// Binds every job column but the key, in kUpdateJob order.
void BindJobBody(Stmt& s, const Job& j) {
  s.Text(j.kind).Text(j.subject_id).Text(j.payload_json).Text(domain::Name(j.state));
  s.Int(j.run_at).Int(j.attempts).OptInt(j.locked_until).Text(j.last_error).Int(j.created_at);
}

}  // namespace

Status SqliteTx::InsertJob(const Job& j) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertJob);
  s.Text(j.tenant_id).Text(j.id);
  BindJobBody(s, j);
  return s.Run();
}

Result<std::vector<Job>> SqliteTx::ClaimDueJobs(Timestamp now, int limit, Timestamp lease_ms) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kClaimDueJobs);
  s.Int(now + lease_ms).Int(now).Int(limit);
  SB_ASSIGN_OR_RETURN(auto jobs, CollectRows<Job>(s, ReadJob));
  // RETURNING yields rows in no particular order.
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    return a.run_at != b.run_at ? a.run_at < b.run_at : a.id < b.id;
  });
  return jobs;
}

Status SqliteTx::UpdateJob(const Job& j) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kUpdateJob);
  BindJobBody(s, j);
  SB_RETURN_IF_ERROR(s.Text(j.tenant_id).Text(j.id).Run());
  return RequireChanged(s, "job");
}

Result<std::vector<Job>> SqliteTx::ListJobs(std::string_view tenant_id,
                                            std::string_view subject_id) {
  Stmt s(conn_, kListJobs);
  s.Text(tenant_id).Text(subject_id);
  return CollectRows<Job>(s, ReadJob);
}

}  // namespace sb::storage::sqlite
