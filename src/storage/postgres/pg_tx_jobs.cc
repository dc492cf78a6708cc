// Jobs, idempotency records, subject keys and server keys.
#include <algorithm>

#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::IdempotencyRecord;
using domain::Job;
using domain::ServerKey;
using domain::SubjectKey;

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
// Several processes claim at once: SKIP LOCKED hands each a disjoint set of due jobs.
const Stmt kClaimJobs{
    "job_claim",
    "WITH due AS (SELECT tenant_id, id FROM jobs "
    "WHERE state IN ('pending', 'running') AND run_at <= $1 "
    "AND (state = 'pending' OR locked_until IS NULL OR locked_until <= $1) "
    "ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) "
    "UPDATE jobs j SET state = 'running', locked_until = $3 FROM due "
    "WHERE j.tenant_id = due.tenant_id AND j.id = due.id "
    "RETURNING j.tenant_id, j.id, j.kind, j.subject_id, j.payload_json, j.state, j.run_at, "
    "j.attempts, j.locked_until, j.last_error, j.created_at"};
const Stmt kListJobs{"job_list", "SELECT " SB_JOB_COLS
                                 " FROM jobs WHERE tenant_id = $1 AND subject_id = $2 "
                                 "ORDER BY id DESC"};

#define SB_IDEMPOTENCY_COLS                                                                      \
  "tenant_id, key, fingerprint, status_code, response_headers_json, response_body, created_at, " \
  "expires_at"
const Stmt kGetIdempotency{"idempotency_get",
                           "SELECT " SB_IDEMPOTENCY_COLS
                           " FROM idempotency_keys WHERE tenant_id = $1 AND key = $2"};
const Stmt kInsertIdempotency{"idempotency_insert",
                              "INSERT INTO idempotency_keys (" SB_IDEMPOTENCY_COLS
                              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING"};
const Stmt kPurgeIdempotency{"idempotency_purge",
                             "DELETE FROM idempotency_keys WHERE expires_at < $1"};

const Stmt kInsertSubjectKey{"subject_key_insert",
                             "INSERT INTO subject_keys (tenant_id, subject_id, wrapped_key, "
                             "destroyed_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"};
const Stmt kGetSubjectKey{"subject_key_get",
                          "SELECT tenant_id, subject_id, wrapped_key, destroyed_at "
                          "FROM subject_keys WHERE tenant_id = $1 AND subject_id = $2"};
const Stmt kInsertServerKey{"server_key_insert",
                            "INSERT INTO server_keys (id, purpose, public_key, secret_sealed, "
                            "created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"};
const Stmt kGetServerKey{"server_key_get",
                         "SELECT id, purpose, public_key, secret_sealed, created_at "
                         "FROM server_keys WHERE purpose = $1 "
                         "ORDER BY created_at DESC, id DESC LIMIT 1"};

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

IdempotencyRecord ReadIdempotency(RowReader& r) {
  IdempotencyRecord i;
  i.tenant_id = r.Str();
  i.key = r.Str();
  i.fingerprint = r.Str();
  i.status_code = r.Int32();
  i.response_headers_json = r.Str();
  i.response_body = r.Str();
  i.created_at = r.Int();
  i.expires_at = r.Int();
  return i;
}

SubjectKey ReadSubjectKey(RowReader& r) {
  SubjectKey k;
  k.tenant_id = r.Str();
  k.subject_id = r.Str();
  k.wrapped_key = r.Str();
  k.destroyed_at = r.OptInt();
  return k;
}

ServerKey ReadServerKey(RowReader& r) {
  ServerKey k;
  k.id = r.Str();
  k.purpose = r.Str();
  k.public_key = r.Str();
  k.secret_sealed = r.Str();
  k.created_at = r.Int();
  return k;
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

Result<IdempotencyRecord> PgTx::GetIdempotency(std::string_view tenant_id, std::string_view key) {
  return One(kGetIdempotency, Params().Text(tenant_id).Text(key), "idempotency key",
             &ReadIdempotency);
}

Status PgTx::InsertIdempotency(const IdempotencyRecord& r) {
  Params p;
  p.Text(r.tenant_id).Text(r.key).Text(r.fingerprint).Int(r.status_code);
  p.Text(r.response_headers_json).Bytes(r.response_body).Int(r.created_at).Int(r.expires_at);
  return Insert(kInsertIdempotency, p);
}

Result<std::int64_t> PgTx::PurgeIdempotency(Timestamp now) {
  SB_ASSIGN_OR_RETURN(PgResult r, Exec(kPurgeIdempotency, Params().Int(now)));
  return r.affected();
}

Status PgTx::InsertSubjectKey(const SubjectKey& k) {
  Params p;
  p.Text(k.tenant_id).Text(k.subject_id).Bytes(k.wrapped_key).OptInt(k.destroyed_at);
  return Insert(kInsertSubjectKey, p);
}

Result<SubjectKey> PgTx::GetSubjectKey(std::string_view tenant_id, std::string_view subject_id) {
  return One(kGetSubjectKey, Params().Text(tenant_id).Text(subject_id), "subject key",
             &ReadSubjectKey);
}

Status PgTx::InsertServerKey(const ServerKey& k) {
  Params p;
  p.Text(k.id).Text(k.purpose).Bytes(k.public_key).Bytes(k.secret_sealed).Int(k.created_at);
  return Insert(kInsertServerKey, p);
}

Result<ServerKey> PgTx::GetServerKey(std::string_view purpose) {
  return One(kGetServerKey, Params().Text(purpose), "server key", &ReadServerKey);
}

}  // namespace sb::storage::postgres
