// The request engine's tables: verifications, outbox, and the queries over requests
// that checks, KPIs and the dormancy scan need.
#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {

namespace {
Status Todo() { return Status::Internal("not implemented"); }
}  // namespace

Result<std::vector<domain::Request>> SqliteTx::ListOpenRequests(std::string_view,
                                                                std::string_view) {
  return Todo();
}
Result<std::int64_t> SqliteTx::CountRequestsSince(std::string_view, std::string_view,
                                                  domain::RequestType, Timestamp) {
  return Todo();
}
Result<std::vector<domain::RequestStat>> SqliteTx::ListRequestStats(std::string_view, Timestamp,
                                                                    Timestamp) {
  return Todo();
}
Result<std::vector<domain::BacklogCount>> SqliteTx::CountBacklog(std::string_view) {
  return Todo();
}
Status SqliteTx::InsertVerification(const domain::Verification&) { return Todo(); }
Result<std::vector<domain::Verification>> SqliteTx::ListVerifications(std::string_view,
                                                                      std::string_view) {
  return Todo();
}
Status SqliteTx::InsertOutbox(const domain::OutboxMessage&) { return Todo(); }
Result<domain::Page<domain::OutboxMessage>> SqliteTx::ListOutbox(std::string_view,
                                                                 const domain::OutboxFilter&) {
  return Todo();
}
Result<std::vector<domain::Account>> SqliteTx::ListInactiveAccounts(std::string_view, Timestamp,
                                                                    int) {
  return Todo();
}

}  // namespace sb::storage::sqlite
