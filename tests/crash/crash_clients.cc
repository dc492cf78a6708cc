#include "tests/crash/crash_clients.h"

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>

#include "crypto/webhook_signature.h"
#include "tests/support/server_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;
using SteadyClock = std::chrono::steady_clock;

// Writes per account before a client opens a new one: keeps every list the check reads
// within one page.
constexpr int kWritesPerAccount = 12;
// What a new account owes: payments never clear it, so no payment reconnects anything and
// every one of them lowers the balance by exactly kPaymentMinor.
constexpr std::int64_t kOpeningDueMinor = 10'000'000;

std::string Field(const json::value& v, const char* object, const char* key) {
  if (!v.is_object()) return {};
  const json::value* o = v.as_object().if_contains(object);
  if (o == nullptr || !o->is_object()) return {};
  const json::value* f = o->as_object().if_contains(key);
  return f != nullptr && f->is_string() ? std::string(f->as_string()) : std::string();
}

std::string ProblemCode(const HttpResponse& r) {
  json::value v = r.Json();
  return Str(v, "code");
}

}  // namespace

CrashClients::CrashClients(int port, std::string key, std::string tenant, std::string secret)
    : http_(port),
      key_(std::move(key)),
      tenant_(std::move(tenant)),
      events_secret_(std::move(secret)) {}

void CrashClients::Start(int n) {
  for (int i = 0; i < n; ++i) threads_.emplace_back([this, i] { Run(i); });
}

bool CrashClients::Stop() {
  stop_ = true;
  for (auto& t : threads_) t.join();
  threads_.clear();
  return !gave_up_;
}

HttpResponse CrashClients::SignedSend(const Write& w) const {
  Headers h = w.headers;
  if (!w.event_id.empty()) {
    Timestamp ts = static_cast<Timestamp>(std::time(nullptr));
    std::string msg_id = "msg_" + w.event_id;
    std::string secret = crypto::DecodeWebhookSecret(events_secret_).value();
    h.push_back({"webhook-id", msg_id});
    h.push_back({"webhook-timestamp", std::to_string(ts)});
    h.push_back({"webhook-signature", crypto::SignWebhook(secret, msg_id, ts, w.body)});
  } else {
    h.push_back({"Authorization", "Bearer " + key_});
  }
  h.push_back({"Content-Type", "application/json"});
  return http_.Send(w.method, w.target, w.body, h);
}

HttpResponse CrashClients::SendUntilDefinitive(const Write& w) {
  auto deadline = SteadyClock::now() + std::chrono::seconds(60);
  for (bool first = true;; first = false) {
    if (!first) ++figures_.retries;
    HttpResponse r = SignedSend(w);
    bool again = r.status == 0 || r.status >= 500 ||
                 (r.status == 409 && ProblemCode(r) == "idempotency_key_in_flight");
    if (!again) return r;
    ++(r.status == 0     ? figures_.retries_unreachable
       : r.status >= 500 ? figures_.retries_5xx
                         : figures_.retries_in_flight);
    if (r.status >= 500 && std::getenv("SB_CRASH_VERBOSE")) {
      std::fprintf(stderr, "retry %s: %d %s\n", w.kind.c_str(), r.status, r.body.c_str());
    }
    if (SteadyClock::now() > deadline) {
      gave_up_ = true;
      return HttpResponse{};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void CrashClients::Record(const Write& w, const HttpResponse& r, AckedAccount& account) {
  if (r.status < 200 || r.status > 299) {
    ++figures_.refused;
    std::lock_guard<std::mutex> lock(mu_);
    refusals_.push_back(w.kind + " " + std::to_string(r.status) + " " + r.body);
    return;
  }
  ++figures_.acknowledged;
  json::value v = r.Json();
  // A write's answer is its request (payment receipts name none), with the account and hold.
  std::string request = w.kind == "payment" ? std::string() : Str(v, "id");
  if (!request.empty()) account.requests[request] = w.kind;
  if (w.kind == "create") {
    account.id = Field(v, "account", "id");
  } else if (w.kind == "hold") {
    // 202: the suspension was filed but a check refused or parked it; no hold was placed.
    if (Field(v, "hold", "state") == "active")
      account.holds_placed.push_back(Field(v, "hold", "id"));
  } else if (w.kind == "lift") {
    if (Field(v, "hold", "state") == "lifted") account.holds_lifted.insert(Field(v, "hold", "id"));
  } else if (w.kind == "payment") {
    ++account.payments;
  }
}

void CrashClients::Run(int client) {
  std::mt19937 rng(std::random_device{}());
  int serial = 0;
  auto key = [&] { return "crash-" + std::to_string(client) + "-" + std::to_string(++serial); };
  std::string nonce = std::to_string(rng());
  while (!stop_ && !gave_up_) {
    AckedAccount account;
    account.external_ref = "CRASH-" + nonce + "-" + std::to_string(client) + "-" + key();
    account.opening_due_minor = kOpeningDueMinor;
    json::object body{{"external_ref", account.external_ref},
                      {"plans", json::array{"mobile_basic"}},
                      {"amount_due_minor", kOpeningDueMinor}};
    Write create{
        "create", "POST", "/v1/accounts", json::serialize(body), {{"Idempotency-Key", key()}}, ""};
    Record(create, SendUntilDefinitive(create), account);
    if (account.id.empty()) continue;
    for (int i = 0; i < kWritesPerAccount && !stop_ && !gave_up_; ++i) {
      Write w;
      std::vector<std::string> active;
      for (const auto& h : account.holds_placed) {
        if (!account.holds_lifted.count(h)) active.push_back(h);
      }
      switch (rng() % 4) {
        case 0:
          if (!active.empty()) {
            w = {"lift",
                 "POST",
                 "/v1/holds/" + active[rng() % active.size()] + "/lift",
                 "",
                 {{"Idempotency-Key", key()}, {"X-Reason", "agent_correction"}},
                 ""};
            break;
          }
          [[fallthrough]];
        case 1:
          w = {"hold",
               "POST",
               "/v1/accounts/" + account.id + "/holds",
               R"({"hold_type":"voluntary_pause"})",
               {{"Idempotency-Key", key()}, {"X-Reason", "customer_request"}},
               ""};
          break;
        case 2:
          w = {"request",
               "POST",
               "/v1/requests",
               json::serialize(json::object{{"type", "status_sync"}, {"account_id", account.id}}),
               {{"Idempotency-Key", key()}, {"X-Reason", "agent_correction"}},
               ""};
          break;
        default: {
          std::string event_id = "evt_crash_" + nonce + "_" + key();
          json::object data{
              {"account_id", account.id}, {"amount_minor", kPaymentMinor}, {"currency", "EUR"}};
          w = {"payment",
               "POST",
               "/v1/events/" + tenant_,
               json::serialize(
                   json::object{{"id", event_id}, {"type", "payment.received"}, {"data", data}}),
               {},
               event_id};
        }
      }
      Record(w, SendUntilDefinitive(w), account);
    }
    std::lock_guard<std::mutex> lock(mu_);
    accounts_.push_back(std::move(account));
  }
}

}  // namespace sb::testing
