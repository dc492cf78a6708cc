#include "app/requests/request_queries.h"

#include <algorithm>

#include "app/rights/erased_views.h"

namespace sb::app {

namespace {

Status CheckLimit(int limit) {
  if (limit < 1 || limit > 100) return Status::Invalid("limit", "limit must be between 1 and 100");
  return Status::Ok();
}

// Ids are "<3-letter prefix>_<time-ordered suffix>": order across kinds by the suffix.
std::string SortKey(const std::string& id) {
  return id.size() > 4 ? id.substr(4) + id.substr(0, 3) : id;
}

std::string WithPrefix(const std::string& prefix, const std::string& cursor) {
  return cursor.size() > 4 ? prefix + cursor.substr(3) : std::string();
}

}  // namespace

Result<domain::Request> RequestQueries::GetRequest(const CallContext& ctx,
                                                   const std::string& id) const {
  std::optional<domain::Request> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto r = tx.GetRequest(ctx.tenant_id, id);
    if (!r.ok())
      return r.status().code() == Code::kNotFound ? Status::NotFound("request") : r.status();
    out = std::move(r).value();
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<domain::Page<domain::Request>> RequestQueries::ListRequests(
    const CallContext& ctx, const domain::RequestFilter& f) const {
  SB_RETURN_IF_ERROR(CheckLimit(f.limit));
  domain::Page<domain::Request> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out, tx.ListRequests(ctx.tenant_id, f));
    return Status::Ok();
  }));
  return out;
}

Result<domain::Page<domain::OutboxMessage>> RequestQueries::ListOutbox(
    const CallContext& ctx, const domain::OutboxFilter& f) const {
  SB_RETURN_IF_ERROR(CheckLimit(f.limit));
  domain::Page<domain::OutboxMessage> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out, tx.ListOutbox(ctx.tenant_id, f));
    ErasedAccounts erased(tx, ctx.tenant_id);
    for (domain::OutboxMessage& m : out.items) SB_RETURN_IF_ERROR(ShowErased(erased, m));
    return Status::Ok();
  }));
  return out;
}

Result<domain::Page<TimelineItem>> RequestQueries::Timeline(const CallContext& ctx,
                                                            const std::string& account_id,
                                                            const std::string& starting_after,
                                                            int limit) const {
  SB_RETURN_IF_ERROR(CheckLimit(limit));
  std::vector<TimelineItem> items;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto acc = tx.GetAccount(ctx.tenant_id, account_id);
    if (!acc.ok())
      return acc.status().code() == Code::kNotFound ? Status::NotFound("account") : acc.status();
    domain::RequestFilter rf;
    rf.account_id = account_id;
    rf.starting_after = WithPrefix("req", starting_after);
    rf.limit = limit + 1;
    SB_ASSIGN_OR_RETURN(auto reqs, tx.ListRequests(ctx.tenant_id, rf));
    domain::AuditFilter af;
    af.account_id = account_id;
    af.starting_after = WithPrefix("aud", starting_after);
    af.limit = limit + 1;
    SB_ASSIGN_OR_RETURN(auto audits, tx.ListAuditEntries(ctx.tenant_id, af));
    for (auto& r : reqs.items) items.push_back({r.created_at, std::move(r), std::nullopt});
    ErasedAccounts erased(tx, ctx.tenant_id);
    for (auto& a : audits.items) {
      SB_RETURN_IF_ERROR(ShowErased(erased, a));
      std::optional<domain::OutboxMessage> told;
      if (a.action == "notification.written") {
        auto m = tx.GetOutbox(ctx.tenant_id, a.subject_id);
        if (m.ok()) told = std::move(m).value();
      }
      items.push_back({a.created_at, std::nullopt, std::move(a), std::move(told)});
    }
    return Status::Ok();
  }));
  auto id_of = [](const TimelineItem& i) { return i.request ? i.request->id : i.audit->id; };
  std::sort(items.begin(), items.end(), [&](const TimelineItem& a, const TimelineItem& b) {
    return SortKey(id_of(a)) > SortKey(id_of(b));
  });
  domain::Page<TimelineItem> page;
  page.has_more = static_cast<int>(items.size()) > limit;
  if (page.has_more) items.resize(limit);
  if (page.has_more) page.next_cursor = id_of(items.back());
  page.items = std::move(items);
  return page;
}

}  // namespace sb::app
