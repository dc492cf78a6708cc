// The outbox: events and notifications written with a change, and their delivery state.
#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "storage/postgres/pg_tx.h"
#include "storage/string_list_json.h"

namespace sb::storage::postgres {
namespace {

using domain::OutboxMessage;
using domain::Page;

#define SB_OUTBOX_COLS                                                                \
  "tenant_id, id, channel, event_type, account_id, request_id, payload_json, state, " \
  "attempts, next_attempt_at, last_error, created_at, delivered_at, locked_until, "   \
  "delivered_to_json"
const MultiRowInsert kInsertOutbox{
    "outbox_insert", "INSERT INTO outbox (" SB_OUTBOX_COLS ") VALUES ", 15, PgTx::kMaxPending,
    /*fail_on_duplicate=*/true};
const Stmt kListOutbox{"outbox_list", "SELECT " SB_OUTBOX_COLS
                                      " FROM outbox WHERE tenant_id = $1 "
                                      "AND ($2::text IS NULL OR account_id = $2) "
                                      "AND ($3::text IS NULL OR request_id = $3) "
                                      "AND ($4::text IS NULL OR event_type = $4) "
                                      "AND ($5::text IS NULL OR state = $5) "
                                      "AND ($6::text IS NULL OR channel = $6) "
                                      "AND ($7::text = '' OR id < $7) ORDER BY id DESC LIMIT $8"};
const Stmt kGetOutbox{"outbox_get",
                      "SELECT " SB_OUTBOX_COLS " FROM outbox WHERE tenant_id = $1 AND id = $2"};
// Served by the partial index outbox_customer_messages (migrations/postgres/0024).
const Stmt kListCustomerMessageStamps{
    "outbox_customer_stamps",
    "SELECT id, channel, event_type, request_id, state, next_attempt_at FROM outbox "
    "WHERE tenant_id = $1 AND account_id = $2 AND channel <> 'webhook' "
    "ORDER BY id DESC LIMIT $3"};
// A tenant's messages in one statement: the rows come as one JSON array (json_to_recordset).
const Stmt kUpdateOutboxDeliveries{
    "outbox_update_deliveries",
    "UPDATE outbox o SET state = x.state, attempts = x.attempts, "
    "next_attempt_at = x.next_attempt_at, last_error = x.last_error, "
    "delivered_at = x.delivered_at, locked_until = x.locked_until, "
    "delivered_to_json = x.delivered_to_json FROM json_to_recordset($2::json) AS x(id text, "
    "state text, attempts integer, next_attempt_at bigint, last_error text, delivered_at bigint, "
    "locked_until bigint, delivered_to_json text) WHERE o.tenant_id = $1 AND o.id = x.id"};
// Several processes claim at once: SKIP LOCKED hands each a disjoint set of one channel's due
// messages, and the lease keeps them theirs after this transaction commits. Crosses tenants:
// a privileged call (migrations/postgres/0014).
const Stmt kClaimDueOutbox{
    "outbox_claim_channel",
    "SELECT " SB_OUTBOX_COLS " FROM switchboard_claim_due_outbox($1, $2, $3, $4)", Reach::kServer};

OutboxMessage ReadOutbox(RowReader& r) {
  OutboxMessage m;
  m.tenant_id = r.Str();
  m.id = r.Str();
  m.channel = r.Str();
  m.event_type = r.Str();
  m.account_id = r.Str();
  m.request_id = r.Str();
  m.payload_json = r.Str();
  m.state = EnumOr<domain::OutboxState>(r.Str());
  m.attempts = r.Int32();
  m.next_attempt_at = r.Int();
  m.last_error = r.Str();
  m.created_at = r.Int();
  m.delivered_at = r.OptInt();
  m.locked_until = r.OptInt();
  m.delivered_to = DecodeStringList(r.Str());
  return m;
}

domain::CustomerMessageStamp ReadStamp(RowReader& r) {
  domain::CustomerMessageStamp m;
  m.id = r.Str();
  m.channel = r.Str();
  m.event_type = r.Str();
  m.request_id = r.Str();
  m.state = EnumOr<domain::OutboxState>(r.Str());
  m.next_attempt_at = r.Int();
  return m;
}

// RETURNING keeps no order; hand the messages out the way they fell due.
void SortByDue(std::vector<OutboxMessage>& claimed) {
  std::sort(claimed.begin(), claimed.end(), [](const OutboxMessage& a, const OutboxMessage& b) {
    return a.next_attempt_at != b.next_attempt_at ? a.next_attempt_at < b.next_attempt_at
                                                  : a.id < b.id;
  });
}

}  // namespace

Status PgTx::InsertOutbox(const OutboxMessage& m) {
  Params p;
  p.Text(m.tenant_id).Text(m.id).Text(m.channel).Text(m.event_type).Text(m.account_id);
  p.Text(m.request_id).Text(m.payload_json).Text(domain::Name(m.state)).Int(m.attempts);
  p.Int(m.next_attempt_at).Text(m.last_error).Int(m.created_at).OptInt(m.delivered_at);
  p.OptInt(m.locked_until).Text(EncodeStringList(m.delivered_to));
  return KeepPending(pending_outbox_, m.tenant_id, std::move(p), kInsertOutbox);
}

Result<Page<OutboxMessage>> PgTx::ListOutbox(std::string_view tenant_id,
                                             const domain::OutboxFilter& f) {
  int limit = PageLimit(f.limit);
  Params p;
  p.Text(tenant_id).OptText(f.account_id).OptText(f.request_id).OptText(f.event_type);
  if (f.state) {
    p.Text(domain::Name(*f.state));
  } else {
    p.Null();
  }
  p.OptText(f.channel).Text(f.starting_after).Int(limit + 1);
  return PageOf(kListOutbox, p, limit, &ReadOutbox, &OutboxMessage::id);
}

Result<OutboxMessage> PgTx::GetOutbox(std::string_view tenant_id, std::string_view id) {
  return One(kGetOutbox, Params().Text(tenant_id).Text(id), "outbox message", &ReadOutbox);
}

Result<std::vector<domain::CustomerMessageStamp>> PgTx::ListCustomerMessageStamps(
    std::string_view tenant_id, std::string_view account_id, int limit) {
  return Many(kListCustomerMessageStamps,
              Params().Text(tenant_id).Text(account_id).Int(PageLimit(limit)), &ReadStamp);
}

Status PgTx::UpdateOutboxDeliveries(const std::vector<OutboxMessage>& messages) {
  // One statement per tenant: each is scoped to its tenant (row-level security).
  std::map<std::string_view, boost::json::array> by_tenant;
  for (const OutboxMessage& m : messages) {
    auto opt = [](const std::optional<Timestamp>& t) {
      return t ? boost::json::value(*t) : boost::json::value(nullptr);
    };
    by_tenant[m.tenant_id].push_back(
        boost::json::object{{"id", m.id},
                            {"state", domain::Name(m.state)},
                            {"attempts", m.attempts},
                            {"next_attempt_at", m.next_attempt_at},
                            {"last_error", m.last_error},
                            {"delivered_at", opt(m.delivered_at)},
                            {"locked_until", opt(m.locked_until)},
                            {"delivered_to_json", EncodeStringList(m.delivered_to)}});
  }
  for (const auto& [tenant_id, rows] : by_tenant) {
    SB_ASSIGN_OR_RETURN(
        PgResult r,
        Exec(kUpdateOutboxDeliveries, Params().Text(tenant_id).Text(boost::json::serialize(rows))));
    if (r.affected() != static_cast<std::int64_t>(rows.size())) {
      return Status::NotFound("outbox message");
    }
  }
  return Status::Ok();
}

Result<std::vector<OutboxMessage>> PgTx::ClaimDueOutbox(std::string_view channel, Timestamp now,
                                                        int limit, Timestamp lease_ms) {
  if (!writable_) return Status::Internal("write in a read-only transaction");
  SB_ASSIGN_OR_RETURN(
      std::vector<OutboxMessage> claimed,
      Many(kClaimDueOutbox, Params().Text(channel).Int(now).Int(limit).Int(now + lease_ms),
           &ReadOutbox));
  SortByDue(claimed);
  return claimed;
}

Status PgTx::FlushOutbox() { return WritePending(pending_outbox_, kInsertOutbox); }

const MultiRowInsert& PgTx::OutboxInsert() { return kInsertOutbox; }

}  // namespace sb::storage::postgres
