// OutboxDelivery: claiming due webhooks, recording attempts, replaying by hand.
#include "app/webhooks/outbox_delivery.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>

#include "app/core/change.h"
#include "app/core/keyring.h"
#include "app/webhooks/tmf641_event.h"
#include "app/webhooks/webhook_endpoints.h"
#include "crypto/crypto.h"

namespace sb::app {

namespace json = boost::json;
using domain::OutboxMessage;
using domain::OutboxState;

namespace {

double WebhookJitter() {
  std::string bytes = crypto::RandomBytes(sizeof(std::uint64_t));
  std::uint64_t v = 0;
  std::memcpy(&v, bytes.data(), sizeof v);
  return static_cast<double>(v >> 11) / static_cast<double>(std::uint64_t{1} << 53);
}

// The enabled endpoints of one tenant with their secrets opened. An endpoint whose secret
// does not open (a master key replaced without re-sealing) is left out and logged.
std::vector<std::pair<domain::WebhookEndpoint, std::string>> OpenEndpoints(
    domain::Tx& tx, const Keyring& keyring, const std::string& tenant_id, Status* status) {
  std::vector<std::pair<domain::WebhookEndpoint, std::string>> out;
  auto listed = tx.ListWebhookEndpoints(tenant_id);
  if (!listed.ok()) {
    *status = listed.status();
    return out;
  }
  for (domain::WebhookEndpoint& e : *listed) {
    auto secret = keyring.UnwrapSecret(e.secret_sealed, WebhookEndpointUseCases::SealPurpose(e));
    if (!secret.ok()) {
      spdlog::error("webhook endpoint secret does not open: tenant={} endpoint={}", e.tenant_id,
                    e.id);
      continue;
    }
    std::string raw = std::move(secret).value();
    out.emplace_back(std::move(e), std::move(raw));
  }
  return out;
}

using EndpointCache =
    std::map<std::string, std::vector<std::pair<domain::WebhookEndpoint, std::string>>>;

// The endpoints `m` still has to reach.
Result<std::vector<WebhookTarget>> TargetsOf(domain::Tx& tx, const Keyring& keyring,
                                             EndpointCache& cache, const OutboxMessage& m) {
  auto it = cache.find(m.tenant_id);
  if (it == cache.end()) {
    Status s;
    auto opened = OpenEndpoints(tx, keyring, m.tenant_id, &s);
    SB_RETURN_IF_ERROR(s);
    it = cache.emplace(m.tenant_id, std::move(opened)).first;
  }
  std::vector<WebhookTarget> targets;
  // The TMF641 body, made once for the first endpoint of that format (nullopt: none).
  bool tmf641_made = false;
  std::optional<std::string> tmf641;
  for (const auto& [e, secret] : it->second) {
    if (!domain::Subscribes(e.event_types, m.event_type)) continue;
    const auto& done = m.delivered_to;
    if (std::find(done.begin(), done.end(), e.id) != done.end()) continue;
    WebhookTarget target{e.id, e.url, secret, std::nullopt};
    if (e.format == domain::WebhookFormat::kTmf641) {
      if (!tmf641_made) {
        tmf641 = Tmf641Body(m);
        tmf641_made = true;
      }
      if (!tmf641) continue;  // not a service order event: nothing for this endpoint
      target.body = *tmf641;
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

// A message no endpoint is left to receive: delivered if one ever acknowledged it.
OutboxMessage Settled(OutboxMessage m, Timestamp now) {
  m.locked_until.reset();
  if (m.delivered_to.empty()) {
    m.state = OutboxState::kSkipped;
  } else {
    m.state = OutboxState::kDelivered;
    m.delivered_at = now;
    m.last_error.clear();
  }
  return m;
}

json::object ReplayAuditView(const OutboxMessage& m) {
  return {{"state", domain::Name(m.state)},
          {"attempts", m.attempts},
          {"last_error", m.last_error},
          {"event_type", m.event_type}};
}

// Every channel replays the same way; only a message still waiting cannot.
Status CheckReplayable(const OutboxMessage& m) {
  if (m.state == OutboxState::kPending) {
    return Status::Conflict("already_pending", "This message is already waiting for delivery.");
  }
  return Status::Ok();
}

}  // namespace

OutboxDelivery::OutboxDelivery(Deps deps, Jitter jitter)
    : deps_(deps), jitter_(jitter ? std::move(jitter) : Jitter(WebhookJitter)) {}

Result<ClaimedWebhooks> OutboxDelivery::ClaimDue(int limit, Timestamp lease_ms) const {
  ClaimedWebhooks out;
  Status s = deps_.store.Write([&](domain::Tx& tx) -> Status {
    out = {};
    Timestamp now = deps_.clock.Now();
    SB_ASSIGN_OR_RETURN(auto claimed,
                        tx.ClaimDueOutbox(domain::kWebhookChannel, now, limit, lease_ms));
    out.claimed = static_cast<int>(claimed.size());
    EndpointCache cache;
    std::vector<OutboxMessage> settled;
    for (OutboxMessage& m : claimed) {
      SB_ASSIGN_OR_RETURN(std::vector<WebhookTarget> targets,
                          TargetsOf(tx, deps_.keyring, cache, m));
      if (targets.empty()) {
        settled.push_back(Settled(std::move(m), now));
        continue;
      }
      out.due.push_back({std::move(m), std::move(targets)});
    }
    return tx.UpdateOutboxDeliveries(settled);
  });
  if (!s.ok()) return s;
  return out;
}

Status OutboxDelivery::Record(const std::vector<WebhookAttempt>& attempts) const {
  if (attempts.empty()) return Status::Ok();
  return deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    std::vector<OutboxMessage> outcomes;
    outcomes.reserve(attempts.size());
    for (const WebhookAttempt& a : attempts) {
      outcomes.push_back(domain::AfterAttempt(a.message, a.answers, now, jitter_()));
    }
    return tx.UpdateOutboxDeliveries(outcomes);
  });
}

Result<OutboxMessage> OutboxDelivery::Replay(const CallContext& ctx, const std::string& id,
                                             const AnswerFn<OutboxMessage>& answer) const {
  return RunChange<OutboxMessage>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<OutboxMessage> {
        auto found = tx.GetOutbox(ctx.tenant_id, id);
        if (!found.ok() && found.status().code() == Code::kNotFound) {
          return Status::NotFound("outbox message");
        }
        SB_RETURN_IF_ERROR(found.status());
        OutboxMessage m = std::move(found).value();
        SB_RETURN_IF_ERROR(CheckReplayable(m));
        json::object before = ReplayAuditView(m);
        if (m.state == OutboxState::kDelivered) m.delivered_to.clear();
        m.state = OutboxState::kPending;
        m.attempts = 0;
        m.next_attempt_at = now;
        m.last_error.clear();
        m.delivered_at.reset();
        m.locked_until.reset();
        SB_RETURN_IF_ERROR(tx.UpdateOutboxDelivery(m));
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSecurity, "outbox.replayed",
                                     "outbox_message", m.id, m.account_id, "", before,
                                     ReplayAuditView(m)));
        return m;
      });
}

}  // namespace sb::app
