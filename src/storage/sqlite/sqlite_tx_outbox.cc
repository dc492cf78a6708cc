// The outbox: events and notifications written with a change, and their delivery state.
#include <algorithm>

#include "storage/sqlite/sqlite_tx.h"
#include "storage/string_list_json.h"

namespace sb::storage::sqlite {
namespace {

using domain::OutboxMessage;

#define SB_OUTBOX_COLS                                                                \
  "tenant_id, id, channel, event_type, account_id, request_id, payload_json, state, " \
  "attempts, next_attempt_at, last_error, created_at, delivered_at, locked_until, "   \
  "delivered_to_json"
constexpr const char* kInsertOutbox =
    "INSERT INTO outbox (" SB_OUTBOX_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
const ListQuery& OutboxList() {
  static const ListQuery q("SELECT " SB_OUTBOX_COLS " FROM outbox WHERE tenant_id = ?",
                           {" AND account_id = ?", " AND request_id = ?", " AND event_type = ?",
                            " AND state = ?", " AND channel = ?", " AND id < ?"});
  return q;
}
constexpr const char* kGetOutbox =
    "SELECT " SB_OUTBOX_COLS " FROM outbox WHERE tenant_id = ? AND id = ?";
// Served by the partial covering index outbox_customer_messages (migrations/sqlite/0024).
constexpr const char* kListCustomerMessageStamps =
    "SELECT id, channel, event_type, request_id, state, next_attempt_at FROM outbox "
    "WHERE tenant_id = ? AND account_id = ? AND channel <> 'webhook' ORDER BY id DESC LIMIT ?";
constexpr const char* kUpdateOutboxDelivery =
    "UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
    "delivered_at = ?, locked_until = ?, delivered_to_json = ? WHERE tenant_id = ? AND id = ?";
// Any one channel's claim, served by the partial outbox_channel_due (migrations/sqlite/0014).
constexpr const char* kClaimDueOutbox =
    "UPDATE outbox SET locked_until = ?1 WHERE (tenant_id, id) IN ("
    "SELECT tenant_id, id FROM outbox WHERE state = 'pending' AND channel = ?4 "
    "AND next_attempt_at <= ?2 AND (locked_until IS NULL OR locked_until <= ?2) "
    "ORDER BY next_attempt_at LIMIT ?3) RETURNING " SB_OUTBOX_COLS;

OutboxMessage ReadOutbox(const Stmt& s) {
  OutboxMessage m;
  m.tenant_id = s.ColText(0);
  m.id = s.ColText(1);
  m.channel = s.ColText(2);
  m.event_type = s.ColText(3);
  m.account_id = s.ColText(4);
  m.request_id = s.ColText(5);
  m.payload_json = s.ColText(6);
  m.state = ParseOr(s.ColText(7), domain::OutboxState::kPending);
  m.attempts = static_cast<int>(s.ColInt(8));
  m.next_attempt_at = s.ColInt(9);
  m.last_error = s.ColText(10);
  m.created_at = s.ColInt(11);
  m.delivered_at = s.ColOptInt(12);
  m.locked_until = s.ColOptInt(13);
  m.delivered_to = DecodeStringList(s.ColText(14));
  return m;
}

domain::CustomerMessageStamp ReadStamp(const Stmt& s) {
  domain::CustomerMessageStamp m;
  m.id = s.ColText(0);
  m.channel = s.ColText(1);
  m.event_type = s.ColText(2);
  m.request_id = s.ColText(3);
  m.state = ParseOr(s.ColText(4), domain::OutboxState::kPending);
  m.next_attempt_at = s.ColInt(5);
  return m;
}

// RETURNING yields rows in no particular order: hand them out the way they fell due.
void SortByDue(std::vector<OutboxMessage>& claimed) {
  std::sort(claimed.begin(), claimed.end(), [](const OutboxMessage& a, const OutboxMessage& b) {
    return a.next_attempt_at != b.next_attempt_at ? a.next_attempt_at < b.next_attempt_at
                                                  : a.id < b.id;
  });
}

}  // namespace

Status SqliteTx::InsertOutbox(const OutboxMessage& m) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertOutbox);
  s.Text(m.tenant_id).Text(m.id).Text(m.channel).Text(m.event_type).Text(m.account_id);
  s.Text(m.request_id).Text(m.payload_json).Text(domain::Name(m.state)).Int(m.attempts);
  s.Int(m.next_attempt_at).Text(m.last_error).Int(m.created_at).OptInt(m.delivered_at);
  s.OptInt(m.locked_until).Text(EncodeStringList(m.delivered_to));
  return s.Run();
}

Result<domain::Page<OutboxMessage>> SqliteTx::ListOutbox(std::string_view tenant_id,
                                                         const domain::OutboxFilter& f) {
  unsigned mask = (f.account_id ? 1u : 0u) | (f.request_id ? 2u : 0u) | (f.event_type ? 4u : 0u) |
                  (f.state ? 8u : 0u) | (f.channel ? 16u : 0u) |
                  (f.starting_after.empty() ? 0u : 32u);
  int limit = PageLimit(f.limit);
  Stmt s(conn_, OutboxList().Sql(mask));
  s.Text(tenant_id);
  if (f.account_id) s.Text(*f.account_id);
  if (f.request_id) s.Text(*f.request_id);
  if (f.event_type) s.Text(*f.event_type);
  if (f.state) s.Text(domain::Name(*f.state));
  if (f.channel) s.Text(*f.channel);
  if (!f.starting_after.empty()) s.Text(f.starting_after);
  s.Int(limit + 1);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<OutboxMessage>(s, ReadOutbox));
  return MakePage(std::move(rows), limit);
}

Result<OutboxMessage> SqliteTx::GetOutbox(std::string_view tenant_id, std::string_view id) {
  Stmt s(conn_, kGetOutbox);
  s.Text(tenant_id).Text(id);
  return OneRow<OutboxMessage>(s, "outbox message", ReadOutbox);
}

Result<std::vector<domain::CustomerMessageStamp>> SqliteTx::ListCustomerMessageStamps(
    std::string_view tenant_id, std::string_view account_id, int limit) {
  Stmt s(conn_, kListCustomerMessageStamps);
  s.Text(tenant_id).Text(account_id).Int(PageLimit(limit));
  return CollectRows<domain::CustomerMessageStamp>(s, ReadStamp);
}

// One statement a message (a call, not a round trip, on this writer); the caller's
// transaction or savepoint undoes the others if one fails.
Status SqliteTx::UpdateOutboxDeliveries(const std::vector<OutboxMessage>& messages) {
  SB_RETURN_IF_ERROR(CheckWritable());
  for (const OutboxMessage& m : messages) {
    Stmt s(conn_, kUpdateOutboxDelivery);
    s.Text(domain::Name(m.state)).Int(m.attempts).Int(m.next_attempt_at).Text(m.last_error);
    s.OptInt(m.delivered_at).OptInt(m.locked_until).Text(EncodeStringList(m.delivered_to));
    SB_RETURN_IF_ERROR(s.Text(m.tenant_id).Text(m.id).Run());
    SB_RETURN_IF_ERROR(RequireChanged(s, "outbox message"));
  }
  return Status::Ok();
}

Result<std::vector<OutboxMessage>> SqliteTx::ClaimDueOutbox(std::string_view channel, Timestamp now,
                                                            int limit, Timestamp lease_ms) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kClaimDueOutbox);
  s.Int(now + lease_ms).Int(now).Int(limit).Text(channel);
  SB_ASSIGN_OR_RETURN(auto claimed, CollectRows<OutboxMessage>(s, ReadOutbox));
  SortByDue(claimed);
  return claimed;
}

}  // namespace sb::storage::sqlite
