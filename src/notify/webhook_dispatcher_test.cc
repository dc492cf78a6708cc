// The dispatcher end to end on a real SQLite store with a scripted transport: fan-out,
// signatures, retries at the backoff times, dead letters, replay, skipped messages.
#include "notify/webhook_dispatcher.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <thread>

#include "app/core/keyring.h"
#include "app/requests/request_flow.h"
#include "app/tenants/tenant_admin.h"
#include "app/webhooks/webhook_endpoints.h"
#include "crypto/webhook_signature.h"
#include "notify/curl_transport.h"
#include "tests/support/server_process.h"
#include "tests/support/test_stores.h"
#include "tests/support/webhook_receiver.h"

namespace sb::notify {
namespace {

namespace json = boost::json;
using domain::OutboxState;

// Answers each post by its URL with the next status scripted for it (the last repeats) and
// keeps every post.
class ScriptedTransport final : public WebhookTransport {
 public:
  void Script(const std::string& url, std::vector<int> statuses) { script_[url] = statuses; }
  std::vector<WebhookReply> SendAll(const std::vector<WebhookPost>& posts) override {
    std::vector<WebhookReply> out;
    for (const WebhookPost& p : posts) {
      sent.push_back(p);
      std::vector<int>& s = script_[p.url];
      int status = s.empty() ? 200 : s.front();
      if (s.size() > 1) s.erase(s.begin());
      out.push_back(status > 0 ? WebhookReply{status, "", ""}
                               : WebhookReply{0, "no HTTP answer", ""});
    }
    return out;
  }
  std::vector<WebhookPost> sent;

 private:
  std::map<std::string, std::vector<int>> script_;
};

std::string HeaderOf(const WebhookPost& p, const std::string& name) {
  for (const auto& [n, v] : p.headers) {
    if (n == name) return v;
  }
  return "";
}

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tenant = admin_.CreateTenant("Hooks Telecom");
    ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
    ctx_.tenant_id = tenant->id;
    ctx_.actor = {domain::ActorType::kApiKey, "key_admin", domain::Role::kAdmin};
  }

  // Registers an endpoint; returns its raw signing key.
  std::string AddEndpoint(const std::string& url, std::vector<std::string> types,
                          std::string* id = nullptr) {
    auto created = endpoints_.Create(ctx_, {url, std::move(types), ""});
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    if (!created.ok()) return "";
    if (id) *id = created->endpoint.id;
    return crypto::DecodeWebhookSecret(created->secret).value();
  }

  // Writes a webhook as a change would (app::Emit); returns its message id.
  std::string Emit(const std::string& type) {
    std::string id;
    Status s = store_->Write([&](domain::Tx& tx) -> Status {
      domain::Request r;
      r.id = "req_" + std::to_string(++emitted_);
      r.idempotency_key = "idem-" + r.id;
      SB_RETURN_IF_ERROR(
          app::Emit(tx, ctx_, clock_.Now(), type, &r, "acc_1", {{"state", "completed"}}));
      domain::OutboxFilter f;
      f.request_id = r.id;
      SB_ASSIGN_OR_RETURN(auto page, tx.ListOutbox(ctx_.tenant_id, f));
      id = page.items.at(0).id;
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return id;
  }

  domain::OutboxMessage Message(const std::string& id) {
    domain::OutboxMessage m;
    Status s = store_->Read([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(m, tx.GetOutbox(ctx_.tenant_id, id));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return m;
  }

  // One pass; how many messages it sent.
  int Pass() {
    auto pass = dispatcher_.RunOnce();
    EXPECT_TRUE(pass.ok()) << pass.status().ToString();
    return pass.ok() ? pass->sent : -1;
  }

  ManualClock clock_{1'800'000'000'000};
  app::Keyring keyring_{std::string(32, 'k')};
  std::unique_ptr<domain::Store> store_ = sb::testing::NewSqliteTestStore();
  app::Deps deps_{*store_, clock_, keyring_};
  app::AdminUseCases admin_{deps_};
  // The transport is scripted: no name is resolved nor connected to.
  app::WebhookEndpointUseCases endpoints_{deps_, {.allow_private_targets = true}};
  app::OutboxDelivery delivery_{deps_, [] { return 0.0; }};
  ScriptedTransport transport_;
  WebhookDispatcher dispatcher_{delivery_, transport_, clock_};
  app::CallContext ctx_;
  int emitted_ = 0;
};

TEST_F(DispatcherTest, SendsTheSignedEnvelopeToEverySubscribedEndpoint) {
  std::string all_key = AddEndpoint("https://a.example.com/in", {"*"});
  std::string named_key = AddEndpoint("https://b.example.com/in", {"request.completed"});
  AddEndpoint("https://c.example.com/in", {"account.closed"});
  std::string id = Emit("request.completed");
  EXPECT_EQ(Pass(), 1);
  ASSERT_EQ(transport_.sent.size(), 2u);
  std::map<std::string, std::string> keys{{"https://a.example.com/in", all_key},
                                          {"https://b.example.com/in", named_key}};
  domain::OutboxMessage m = Message(id);
  for (const WebhookPost& p : transport_.sent) {
    ASSERT_TRUE(keys.count(p.url)) << p.url;
    EXPECT_EQ(p.body, m.payload_json);
    EXPECT_EQ(HeaderOf(p, "webhook-id"), id);
    EXPECT_EQ(HeaderOf(p, "webhook-timestamp"), "1800000000");
    EXPECT_TRUE(crypto::VerifyWebhook(keys[p.url], id, HeaderOf(p, "webhook-timestamp"),
                                      HeaderOf(p, "webhook-signature"), p.body, 1'800'000'000)
                    .ok())
        << p.url;
  }
  json::object env = json::parse(transport_.sent[0].body).as_object();
  EXPECT_EQ(env.at("type"), "request.completed");
  EXPECT_EQ(env.at("tenant_id").as_string(), ctx_.tenant_id);
  EXPECT_EQ(env.at("created_at"), "2027-01-15T08:00:00.000Z");
  EXPECT_EQ(env.at("id").as_string(), id) << "the envelope's id is the webhook-id";
  EXPECT_EQ(env.at("data").at("account_id"), "acc_1");
  EXPECT_EQ(env.at("request").at("idempotency_key"), "idem-req_1");
  EXPECT_EQ(m.state, OutboxState::kDelivered);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.delivered_at, std::optional<Timestamp>(clock_.Now()));
  EXPECT_EQ(m.delivered_to.size(), 2u);
  EXPECT_EQ(Pass(), 0) << "a delivered message is not sent again";
}

TEST_F(DispatcherTest, RetriesOnlyTheFailingEndpointAtTheBackoffTimes) {
  AddEndpoint("https://a.example.com/in", {"*"});
  AddEndpoint("https://b.example.com/in", {"*"});
  transport_.Script("https://b.example.com/in", {500, 0, 200});
  std::string id = Emit("request.sla_breached");
  EXPECT_EQ(Pass(), 1);
  domain::OutboxMessage m = Message(id);
  EXPECT_EQ(m.state, OutboxState::kPending);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.next_attempt_at, clock_.Now() + 30 * kMillisPerSecond);
  EXPECT_NE(m.last_error.find(": HTTP 500"), std::string::npos) << m.last_error;
  EXPECT_EQ(m.locked_until, std::nullopt);

  clock_.Advance(29 * kMillisPerSecond);
  EXPECT_EQ(Pass(), 0);
  clock_.Advance(kMillisPerSecond);
  EXPECT_EQ(Pass(), 1);
  EXPECT_EQ(transport_.sent.back().url, "https://b.example.com/in");
  EXPECT_EQ(transport_.sent.size(), 3u) << "the endpoint that acknowledged is not sent again";
  m = Message(id);
  EXPECT_EQ(m.attempts, 2);
  EXPECT_NE(m.last_error.find(": no HTTP answer"), std::string::npos) << m.last_error;
  clock_.Advance(2 * kMillisPerMinute);
  EXPECT_EQ(Pass(), 1);
  m = Message(id);
  EXPECT_EQ(m.state, OutboxState::kDelivered);
  EXPECT_EQ(m.attempts, 3);
  EXPECT_EQ(m.last_error, "");
}

TEST_F(DispatcherTest, NeverSucceedingEndsDeadAndReplayDeliversIt) {
  AddEndpoint("https://a.example.com/in", {"*"});
  transport_.Script("https://a.example.com/in", {503});
  std::string id = Emit("provisioning.requested");
  for (Timestamp wait : domain::WebhookRetrySchedule()) {
    ASSERT_EQ(Pass(), 1);
    ASSERT_EQ(Message(id).state, OutboxState::kPending);
    clock_.Advance(wait);
  }
  EXPECT_EQ(Pass(), 1);
  domain::OutboxMessage dead = Message(id);
  EXPECT_EQ(dead.state, OutboxState::kDead);
  EXPECT_EQ(dead.attempts, 9);
  clock_.Advance(30 * kMillisPerHour);
  EXPECT_EQ(Pass(), 0) << "a dead message is not retried";

  transport_.Script("https://a.example.com/in", {200});
  auto replayed = delivery_.Replay(ctx_, id);
  ASSERT_TRUE(replayed.ok()) << replayed.status().ToString();
  EXPECT_EQ(replayed->state, OutboxState::kPending);
  EXPECT_EQ(replayed->attempts, 0);
  EXPECT_EQ(delivery_.Replay(ctx_, id).status().reason(), "already_pending");
  EXPECT_EQ(Pass(), 1);
  EXPECT_EQ(Message(id).state, OutboxState::kDelivered);
  EXPECT_EQ(Message(id).attempts, 1);

  app::CallContext other = ctx_;
  other.tenant_id = "ten_other";
  EXPECT_EQ(delivery_.Replay(other, id).status().code(), Code::kNotFound);
}

TEST_F(DispatcherTest, WithoutASubscriberTheMessageIsSkippedUntilReplayed) {
  AddEndpoint("https://a.example.com/in", {"account.closed"});
  std::string id = Emit("request.completed");
  EXPECT_EQ(Pass(), 0);
  EXPECT_TRUE(transport_.sent.empty());
  domain::OutboxMessage m = Message(id);
  EXPECT_EQ(m.state, OutboxState::kSkipped);
  EXPECT_EQ(m.attempts, 0);
  EXPECT_EQ(m.locked_until, std::nullopt);

  AddEndpoint("https://b.example.com/in", {"request.completed"});
  ASSERT_TRUE(delivery_.Replay(ctx_, id).ok());
  EXPECT_EQ(Pass(), 1);
  ASSERT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(transport_.sent[0].url, "https://b.example.com/in");
  EXPECT_EQ(Message(id).state, OutboxState::kDelivered);
}

// An event no endpoint wants is settled when it is written: no dispatcher claims it, and one
// an endpoint wants waits for its delivery.
TEST_F(DispatcherTest, AnEventNoEndpointWantsIsStoredSkippedAndNeverClaimed) {
  AddEndpoint("https://a.example.com/in", {"account.closed"});
  std::string unwanted = Emit("request.completed");
  domain::OutboxMessage m = Message(unwanted);
  EXPECT_EQ(m.state, OutboxState::kSkipped);
  EXPECT_EQ(m.attempts, 0);
  std::string wanted = Emit("account.closed");
  EXPECT_EQ(Message(wanted).state, OutboxState::kPending);
  auto claimed = delivery_.ClaimDue(16, kMillisPerMinute);
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  EXPECT_EQ(claimed->claimed, 1);
  ASSERT_EQ(claimed->due.size(), 1u);
  EXPECT_EQ(claimed->due[0].message.id, wanted);
}

TEST_F(DispatcherTest, ARemovedEndpointGetsNothingMore) {
  std::string endpoint;
  AddEndpoint("https://a.example.com/in", {"*"}, &endpoint);
  transport_.Script("https://a.example.com/in", {500});
  std::string id = Emit("request.completed");
  EXPECT_EQ(Pass(), 1);
  ASSERT_TRUE(endpoints_.Remove(ctx_, endpoint).ok());
  clock_.Advance(kMillisPerMinute);
  EXPECT_EQ(Pass(), 0);
  EXPECT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(Message(id).state, OutboxState::kSkipped);
  EXPECT_EQ(endpoints_.Remove(ctx_, endpoint).status().code(), Code::kNotFound);
}

TEST_F(DispatcherTest, AMessageAnotherDispatcherHoldsIsNotSentTwice) {
  AddEndpoint("https://a.example.com/in", {"*"});
  std::string id = Emit("request.completed");
  auto held = delivery_.ClaimDue(16, kMillisPerMinute);  // another process's claim
  ASSERT_TRUE(held.ok());
  ASSERT_EQ(held->due.size(), 1u);
  EXPECT_EQ(Pass(), 0);
  clock_.Advance(kMillisPerMinute);  // that process died: its lease runs out
  EXPECT_EQ(Pass(), 1);
  EXPECT_EQ(Message(id).state, OutboxState::kDelivered);
}

TEST_F(DispatcherTest, OneTickDrainsABacklogOnTheDispatchersOwnThread) {
  AddEndpoint("https://a.example.com/in", {"request.completed"});
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(Emit("request.completed"));
  for (int i = 0; i < 20; ++i) ids.push_back(Emit("service.suspended"));  // nobody wants these
  OutboxDispatcher lanes({&dispatcher_});
  lanes.Start();
  ASSERT_TRUE(lanes.Tick().ok());
  auto settled = [&] {
    for (const std::string& id : ids) {
      if (Message(id).state == OutboxState::kPending) return false;
    }
    return true;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!settled() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  lanes.Stop();
  EXPECT_TRUE(settled()) << "40 messages, batches of 16: one tick goes on until none is due";
  EXPECT_EQ(transport_.sent.size(), 20u);
  EXPECT_EQ(Message(ids.front()).state, OutboxState::kDelivered);
  EXPECT_EQ(Message(ids.back()).state, OutboxState::kSkipped);
}

TEST_F(DispatcherTest, EmailMessagesAreLeftAlone) {
  AddEndpoint("https://a.example.com/in", {"*"});
  Status s = store_->Write([&](domain::Tx& tx) {
    return app::Emit(tx, ctx_, clock_.Now(), "request.escalated", nullptr, "acc_1", {}, "email");
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Pass(), 0);
  EXPECT_TRUE(transport_.sent.empty());
}

// Endpoints that point inside the network (registered while private targets were allowed,
// or a name that resolves there now) and production's transport: nothing connects, and what
// the tenant reads in last_error is the same fixed phrase for an open port and a closed one.
TEST_F(DispatcherTest, ARefusedTargetReadsTheSameForAnOpenAndAClosedPort) {
  sb::testing::WebhookReceiver open({200});
  int closed = sb::testing::FreePort();
  std::string open_id, closed_id;
  AddEndpoint("https://127.0.0.1:" + std::to_string(open.port()) + "/in", {"*"}, &open_id);
  AddEndpoint("https://localhost:" + std::to_string(closed) + "/in", {"*"}, &closed_id);
  std::string id = Emit("request.completed");
  CurlTransport production;
  WebhookDispatcher dispatcher(delivery_, production, clock_);
  auto pass = dispatcher.RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  domain::OutboxMessage m = Message(id);
  EXPECT_EQ(m.state, OutboxState::kPending);
  EXPECT_EQ(m.attempts, 1);
  const std::string refused = ": target address not allowed";
  EXPECT_TRUE(m.last_error == open_id + refused + "; " + closed_id + refused ||
              m.last_error == closed_id + refused + "; " + open_id + refused)
      << m.last_error;
  EXPECT_EQ(m.last_error.find("onnect"), std::string::npos) << m.last_error;
  EXPECT_EQ(open.Count(), 0u);
}

}  // namespace
}  // namespace sb::notify
