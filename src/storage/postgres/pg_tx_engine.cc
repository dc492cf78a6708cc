// The request engine's tables: verifications, outbox, and the queries over requests
// that checks, KPIs and the dormancy scan need.
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {

namespace {
Status Todo() { return Status::Internal("not implemented"); }
}  // namespace

Result<std::vector<domain::Request>> PgTx::ListOpenRequests(std::string_view, std::string_view) {
  return Todo();
}
Result<std::int64_t> PgTx::CountRequestsSince(std::string_view, std::string_view,
                                              domain::RequestType, Timestamp) {
  return Todo();
}
Result<std::vector<domain::RequestStat>> PgTx::ListRequestStats(std::string_view, Timestamp,
                                                                Timestamp) {
  return Todo();
}
Result<std::vector<domain::BacklogCount>> PgTx::CountBacklog(std::string_view) { return Todo(); }
Status PgTx::InsertVerification(const domain::Verification&) { return Todo(); }
Result<std::vector<domain::Verification>> PgTx::ListVerifications(std::string_view,
                                                                  std::string_view) {
  return Todo();
}
Status PgTx::InsertOutbox(const domain::OutboxMessage&) { return Todo(); }
Result<domain::Page<domain::OutboxMessage>> PgTx::ListOutbox(std::string_view,
                                                             const domain::OutboxFilter&) {
  return Todo();
}
Result<std::vector<domain::Account>> PgTx::ListInactiveAccounts(std::string_view, Timestamp, int) {
  return Todo();
}

}  // namespace sb::storage::postgres
