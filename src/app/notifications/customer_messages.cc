#include "app/notifications/customer_messages.h"

#include "app/notifications/sealed_notification.h"

namespace sb::app {

Result<CustomerMessagePage> CustomerMessages::List(const CallContext& ctx,
                                                   const std::string& account_id,
                                                   const std::string& starting_after,
                                                   int limit) const {
  if (limit < 1 || limit > 100) {
    return Status::Invalid("limit", "limit must be between 1 and 100");
  }
  CustomerMessagePage out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    out = {};
    domain::OutboxFilter f;
    f.account_id = account_id;
    f.starting_after = starting_after;
    f.limit = 100;
    int scanned = 0;
    while (true) {
      SB_ASSIGN_OR_RETURN(auto page, tx.ListOutbox(ctx.tenant_id, f));
      for (size_t i = 0; i < page.items.size(); ++i) {
        domain::OutboxMessage& m = page.items[i];
        ++scanned;
        f.starting_after = m.id;
        if (m.channel != "email" && m.channel != "sms") continue;
        SB_ASSIGN_OR_RETURN(
            domain::Notification n,
            OpenNotification(tx, deps_.keyring, ctx.tenant_id, account_id, m.payload_json));
        HideOneTimeCode(m.event_type, n);
        out.items.push_back({std::move(m), std::move(n)});
        if (static_cast<int>(out.items.size()) == limit) {
          out.has_more = i + 1 < page.items.size() || page.has_more;
          break;
        }
      }
      if (static_cast<int>(out.items.size()) < limit) {
        out.has_more = page.has_more;
        if (page.has_more && scanned < kScanLimit) continue;
      }
      if (out.has_more) out.next_after = f.starting_after;
      return Status::Ok();
    }
  }));
  return out;
}

}  // namespace sb::app
