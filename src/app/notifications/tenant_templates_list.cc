// TemplateUseCases::List: the tenant's templates merged with the shipped ones it has not
// replaced, in one key order, a page at a time.
#include <algorithm>
#include <tuple>

#include "app/notifications/tenant_templates.h"

namespace sb::app {
namespace {

// The order of the list and of the storage's key (bytes of notification, channel, locale).
bool KeyLess(const TemplateKey& a, const TemplateKey& b) {
  return std::tie(a.notification, a.channel, a.locale) <
         std::tie(b.notification, b.channel, b.locale);
}

// "<notification>/<channel>/<locale>" as a key; nullopt unless it has exactly three parts.
std::optional<TemplateKey> ParseCursor(const std::string& cursor) {
  std::size_t a = cursor.find('/');
  if (a == std::string::npos) return std::nullopt;
  std::size_t b = cursor.find('/', a + 1);
  if (b == std::string::npos || cursor.find('/', b + 1) != std::string::npos) return std::nullopt;
  TemplateKey key{cursor.substr(0, a), cursor.substr(a + 1, b - a - 1), cursor.substr(b + 1)};
  if (key.notification.empty() || key.channel.empty() || key.locale.empty()) return std::nullopt;
  return key;
}

// The shipped templates after `after` in list order, at most `limit`.
std::vector<TemplateKey> ShippedAfter(const std::optional<TemplateKey>& after, int limit) {
  std::vector<TemplateKey> keys;
  for (const auto& [key, body] : DefaultTemplates()) {
    if (!after || KeyLess(*after, key)) keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end(), KeyLess);
  if (static_cast<int>(keys.size()) > limit) keys.resize(limit);
  return keys;
}

TemplateView TenantView(domain::NotificationTemplate t) {
  TemplateView v;
  v.key = TemplateKey{t.notification, t.channel, t.locale};
  v.source = "tenant";
  v.shipped = DefaultTemplates().count(v.key) > 0;
  v.stored = std::move(t);
  return v;
}

TemplateView ShippedView(const TemplateKey& key) {
  TemplateView v;
  v.key = key;
  v.source = "shipped";
  v.shipped = true;
  return v;
}

// Merges both sorted lists: a key the tenant stored hides the shipped one.
std::vector<TemplateView> Merge(std::vector<domain::NotificationTemplate> tenant,
                                const std::vector<TemplateKey>& shipped, bool with_shipped) {
  std::vector<TemplateView> out;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < tenant.size() || j < shipped.size()) {
    if (i < tenant.size()) {
      TemplateKey k{tenant[i].notification, tenant[i].channel, tenant[i].locale};
      bool shipped_first = j < shipped.size() && KeyLess(shipped[j], k);
      if (!shipped_first) {
        if (j < shipped.size() && k.Id() == shipped[j].Id()) ++j;
        out.push_back(TenantView(std::move(tenant[i++])));
        continue;
      }
    }
    if (with_shipped) out.push_back(ShippedView(shipped[j]));
    ++j;
  }
  return out;
}

}  // namespace

Result<TemplatePage> TemplateUseCases::List(const CallContext& ctx,
                                            const TemplateListFilter& f) const {
  if (f.source && *f.source != "tenant" && *f.source != "shipped") {
    return Status::Unprocessable("invalid_value", "source must be tenant or shipped", "source");
  }
  std::optional<TemplateKey> after;
  if (!f.starting_after.empty()) {
    after = ParseCursor(f.starting_after);
    if (!after) {
      return Status::Unprocessable("invalid_value",
                                   "starting_after must be a template id "
                                   "<notification>/<channel>/<locale>",
                                   "starting_after");
    }
  }
  bool with_tenant = !f.source || *f.source == "tenant";
  bool with_shipped = !f.source || *f.source == "shipped";
  // A page of each side and one more: the first limit + 1 merged items are among them.
  std::vector<TemplateKey> shipped = ShippedAfter(after, with_shipped ? f.limit + 1 : 0);
  std::vector<domain::NotificationTemplate> tenant;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    if (!with_tenant) {
      // Only the shipped keys the tenant has not replaced: each looked up.
      std::vector<TemplateKey> kept;
      for (const TemplateKey& key :
           ShippedAfter(after, static_cast<int>(DefaultTemplates().size()))) {
        if (static_cast<int>(kept.size()) > f.limit) break;
        auto t =
            tx.GetNotificationTemplate(ctx.tenant_id, key.notification, key.channel, key.locale);
        if (t.ok() && !t->deleted_at) continue;
        if (!t.ok() && t.status().code() != Code::kNotFound) return t.status();
        kept.push_back(key);
      }
      shipped = std::move(kept);
      return Status::Ok();
    }
    domain::NotificationTemplateKey start;
    if (after) start = {after->notification, after->channel, after->locale};
    SB_ASSIGN_OR_RETURN(tenant, tx.ListNotificationTemplates(ctx.tenant_id, start, f.limit + 1));
    return Status::Ok();
  }));
  std::vector<TemplateView> merged = Merge(std::move(tenant), shipped, with_shipped);
  TemplatePage page;
  if (static_cast<int>(merged.size()) > f.limit) {
    merged.resize(f.limit);
    page.has_more = true;
    page.next_cursor = merged.back().key.Id();
  }
  page.items = std::move(merged);
  return page;
}

}  // namespace sb::app
