#include "app/notifications/notification_queue.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <utility>
#include <vector>

#include "app/notifications/composer.h"
#include "app/policy/policy_cache.h"
#include "crypto/crypto.h"

namespace sb::app {
namespace {

namespace json = boost::json;

std::atomic<std::uint64_t> g_intents_written{0};

// The composer's own writes commit too: their hook must not start another pass.
thread_local bool t_composing = false;

std::string IntentContextJson(const CallContext& ctx) {
  json::object actor{{"type", domain::Name(ctx.actor.type)}, {"id", ctx.actor.id}};
  if (ctx.actor.role) actor["role"] = domain::Name(*ctx.actor.role);
  return json::serialize(json::object{{"actor", std::move(actor)},
                                      {"channel", domain::Name(ctx.channel)},
                                      {"reason_code", ctx.reason_code},
                                      {"correlation_id", ctx.correlation_id}});
}

std::string IntentString(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

json::object IntentObject(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : json::object();
}

// The change's caller as the intent keeps it: who, through which channel, under which reason
// and correlation id.
CallContext IntentCaller(const domain::NotificationIntent& n) {
  CallContext ctx;
  ctx.tenant_id = n.tenant_id;
  json::object o = IntentObject(n.context_json);
  const json::value* actor = o.if_contains("actor");
  if (actor != nullptr && actor->is_object()) {
    const json::object& a = actor->as_object();
    ctx.actor.type = domain::Parse<domain::ActorType>(IntentString(a, "type"))
                         .value_or(domain::ActorType::kSystem);
    ctx.actor.id = IntentString(a, "id");
    ctx.actor.role = domain::Parse<domain::Role>(IntentString(a, "role"));
  }
  ctx.channel =
      domain::Parse<domain::Channel>(IntentString(o, "channel")).value_or(domain::Channel::kSystem);
  ctx.reason_code = IntentString(o, "reason_code");
  ctx.correlation_id = IntentString(o, "correlation_id");
  return ctx;
}

// Composes one intent inside `tx` and deletes it.
Status ComposeIntent(domain::Tx& tx, const domain::NotificationIntent& n) {
  std::optional<domain::Request> request;
  if (!n.request_id.empty()) {
    auto r = tx.GetRequest(n.tenant_id, n.request_id);
    if (r.ok()) {
      request = std::move(r).value();
      if (auto state = domain::Parse<domain::RequestState>(n.request_state)) {
        request->state = *state;
      }
    } else if (r.status().code() != Code::kNotFound) {
      return r.status();
    }
  }
  SB_RETURN_IF_ERROR(NotifyOfEvent(tx, IntentCaller(n), n.created_at, n.event_type,
                                   request ? &*request : nullptr, n.account_id,
                                   IntentObject(n.data_json)));
  return tx.DeleteNotificationIntent(n.tenant_id, n.id);
}

}  // namespace

Status QueueNotification(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                         const std::string& event_type, const domain::Request* request,
                         const std::string& account_id, const json::object& data) {
  if (!NotificationKeyringInstalled() || account_id.empty() || ctx.dry_run) return Status::Ok();
  auto policy = PolicyInForce(tx, ctx.tenant_id, now);
  if (!policy.ok()) {
    return policy.status().reason() == "no_policy_pack" ? Status::Ok() : policy.status();
  }
  if (!NotifiesOf((*policy)->pack, event_type, request)) return Status::Ok();
  domain::NotificationIntent n;
  n.tenant_id = ctx.tenant_id;
  n.id = crypto::NewId("ntf", now);
  n.event_type = event_type;
  n.account_id = account_id;
  if (request != nullptr) {
    n.request_id = request->id;
    n.request_state = std::string(domain::Name(request->state));
  }
  n.data_json = json::serialize(data);
  n.context_json = IntentContextJson(ctx);
  n.created_at = now;
  SB_RETURN_IF_ERROR(tx.InsertNotificationIntent(n));
  g_intents_written.fetch_add(1);
  return Status::Ok();
}

Result<int> ComposeQueued(domain::Tx& tx, const std::string& tenant_id, int limit) {
  SB_ASSIGN_OR_RETURN(auto intents, tx.ListNotificationIntents(tenant_id, limit));
  for (const domain::NotificationIntent& n : intents) SB_RETURN_IF_ERROR(ComposeIntent(tx, n));
  return static_cast<int>(intents.size());
}

std::uint64_t IntentsWritten() { return g_intents_written.load(); }

NotificationComposer::NotificationComposer(domain::Store& store, std::function<StoreLoad()> load,
                                           Options options)
    : store_(store), load_(std::move(load)), options_(options) {}

bool NotificationComposer::Busy() {
  StoreLoad load = load_();
  if (load.in_flight >= options_.busy_writes) return true;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(rate_mu_);
  auto elapsed = now - sampled_at_;
  if (elapsed >= std::chrono::milliseconds(100)) {
    double seconds = std::chrono::duration<double>(elapsed).count();
    intents_per_second_ = static_cast<double>(load.intents - sampled_intents_) / seconds;
    sampled_at_ = now;
    sampled_intents_ = load.intents;
  }
  return intents_per_second_ >= options_.busy_intents_per_second;
}

void NotificationComposer::AfterCommit() {
  if (t_composing || IntentsWritten() == composed_.load() || Busy()) return;
  auto composed = ComposeAll();
  if (!composed.ok()) {
    spdlog::warn(R"({{"msg":"notifications left for the next pass","error":"{}"}})",
                 CodeName(composed.status().code()));
  }
}

Status NotificationComposer::ComposeWaiting() {
  auto now = std::chrono::steady_clock::now();
  if (IntentsWritten() == composed_.load()) {
    std::lock_guard lock(mu_);
    if (now - last_look_ < options_.look_every) return Status::Ok();
    last_look_ = now;
    composed_.store(~std::uint64_t{0});  // look in the store this time
  }
  if (!Busy()) return ComposeAll().status();
  std::lock_guard lock(mu_);
  if (now - last_busy_pass_ < options_.busy_every) return Status::Ok();
  last_busy_pass_ = now;
  return ComposeBatch(options_.busy_batch).status();
}

Result<int> NotificationComposer::ComposeAll() {
  std::lock_guard lock(mu_);
  int total = 0;
  while (true) {
    std::uint64_t written = IntentsWritten();
    auto n = ComposeBatch(options_.batch);
    if (!n.ok()) {
      SB_RETURN_IF_ERROR(ComposeOneByOne(options_.batch));
      continue;
    }
    total += *n;
    if (*n < options_.batch) {  // none was left
      composed_.store(written);
      return total;
    }
  }
}

Result<std::int64_t> NotificationComposer::Waiting() {
  std::int64_t waiting = 0;
  SB_RETURN_IF_ERROR(store_.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(waiting, tx.CountNotificationIntents());
    return Status::Ok();
  }));
  return waiting;
}

Result<int> NotificationComposer::ComposeBatch(int limit) {
  int composed = 0;
  t_composing = true;
  Status s = store_.Write([&](domain::Tx& tx) -> Status {
    composed = 0;
    SB_ASSIGN_OR_RETURN(auto tenants, tx.TenantsWithNotificationIntents());
    for (const std::string& tenant : tenants) {
      if (composed >= limit) break;
      SB_ASSIGN_OR_RETURN(int n, ComposeQueued(tx, tenant, limit - composed));
      composed += n;
    }
    return Status::Ok();
  });
  t_composing = false;
  SB_RETURN_IF_ERROR(s);
  return composed;
}

Status NotificationComposer::ComposeOneByOne(int limit) {
  for (int i = 0; i < limit; ++i) {
    auto n = ComposeBatch(1);
    if (n.ok() && *n == 0) return Status::Ok();
    if (n.ok()) continue;
    // The store cannot be written now: everything stays for a later pass.
    if (n.status().code() == Code::kUnavailable) return n.status();
    // The oldest intent cannot be composed: it is dropped, so that it blocks no other.
    std::string dropped;
    t_composing = true;
    Status s = store_.Write([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(auto tenants, tx.TenantsWithNotificationIntents());
      if (tenants.empty()) return Status::Ok();
      SB_ASSIGN_OR_RETURN(auto intents, tx.ListNotificationIntents(tenants.front(), 1));
      if (intents.empty()) return Status::Ok();
      dropped = intents.front().id;
      return tx.DeleteNotificationIntent(intents.front().tenant_id, dropped);
    });
    t_composing = false;
    SB_RETURN_IF_ERROR(s);
    spdlog::error(R"({{"msg":"notification not composed, dropped","intent":"{}","error":"{}"}})",
                  dropped, CodeName(n.status().code()));
  }
  return Status::Ok();
}

}  // namespace sb::app
