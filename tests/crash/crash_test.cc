// The crash harness: idempotent clients keep writing (accounts, holds, lifts, requests,
// signed payment events) while the server is killed with SIGKILL at random moments and
// started again, SB_CRASH_KILLS times (default 4 per backend, the CI run; scripts/crash.sh
// runs the long one). Afterwards, against the server's answers and its database: every
// acknowledged write's effect is there, none is there twice, `switchboard audit verify`
// passes, and on SQLite `PRAGMA integrity_check` is ok. The figures are printed for
// docs/RELIABILITY.md.

#include <sqlite3.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "tests/crash/crash_clients.h"
#include "tests/support/sla_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;
using SteadyClock = std::chrono::steady_clock;

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

// The JSON text of field `key` of an object ("" when absent).
std::string Part(const json::value& v, const char* key) {
  const json::value* f = v.as_object().if_contains(key);
  return f == nullptr ? std::string() : json::serialize(*f);
}

class Crash : public OwnServer {
 protected:
  // Every page of GET `target` (a list answer), concatenated.
  json::array All(const std::string& target) {
    json::array out;
    std::string after;
    for (int page = 0; page < 1000; ++page) {
      std::string sep = target.find('?') == std::string::npos ? "?" : "&";
      HttpResponse r = Api(
          "GET", target + sep + "limit=100" + (after.empty() ? "" : "&starting_after=" + after));
      EXPECT_EQ(r.status, 200) << target << ": " << r.body;
      if (r.status != 200) break;
      json::value v = r.Json();
      for (const auto& e : v.at("data").as_array()) out.push_back(e);
      if (!v.at("has_more").as_bool()) break;
      after = Str(v, "next_cursor");
    }
    return out;
  }

  // Everything the clients were told about `a` is in the server's state, once.
  void CheckAccount(const AckedAccount& a) {
    SCOPED_TRACE("account " + a.id + " (" + a.external_ref + ")");
    HttpResponse got = Api("GET", "/v1/accounts/" + a.id);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(Int(got.Json(), "amount_due_minor"), a.opening_due_minor - a.payments * kPaymentMinor)
        << "payments acknowledged: " << a.payments;
    EXPECT_EQ(All("/v1/accounts?external_ref=" + a.external_ref).size(), 1u);

    std::map<std::string, std::string> holds;
    for (const auto& h : All("/v1/accounts/" + a.id + "/holds"))
      holds[Str(h, "id")] = Str(h, "state");
    EXPECT_EQ(holds.size(), a.holds_placed.size());
    for (const auto& id : a.holds_placed) {
      ASSERT_TRUE(holds.count(id)) << "acknowledged hold " << id << " lost";
      EXPECT_EQ(holds[id], a.holds_lifted.count(id) ? "lifted" : "active") << id;
    }

    // Each payment event books one billing_adjustment its receipt does not name.
    std::set<std::string> requests;
    std::string unexpected;
    int adjustments = 0;
    for (const auto& q : All("/v1/requests?account_id=" + a.id)) {
      requests.insert(Str(q, "id"));
      if (a.requests.count(Str(q, "id"))) continue;
      if (Str(q, "type") == "billing_adjustment" && Str(q, "origin") == "automated") {
        ++adjustments;
      } else {
        unexpected += Str(q, "type") + "/" + Str(q, "origin") + "/" + Str(q, "state") + " ";
      }
    }
    EXPECT_EQ(adjustments, a.payments) << "payments booked other than once each";
    EXPECT_EQ(unexpected, "") << "requests nobody was told about";
    for (const auto& [id, kind] : a.requests) {
      EXPECT_TRUE(requests.count(id)) << "acknowledged " << kind << " request " << id << " lost";
    }
    EXPECT_EQ(requests.size(), a.requests.size() + a.payments);

    // Each entry belongs to one of the account's requests, and no request records the same
    // step twice.
    std::map<std::pair<std::string, std::string>, int> steps;
    for (const auto& e : All("/v1/audit/entries?account_id=" + a.id)) {
      std::string request = Str(e, "request_id");
      EXPECT_TRUE(request.empty() || requests.count(request)) << json::serialize(e);
      int n = ++steps[{request, Str(e, "action") + "|" + Part(e, "before") + Part(e, "after")}];
      EXPECT_EQ(n, 1) << "audit entry written twice: " << json::serialize(e);
    }
  }

  std::string SqlitePath() const {
    const std::string& url = const_cast<Crash*>(this)->server().database_url();
    return url.rfind("sqlite:", 0) == 0 ? url.substr(7) : std::string();
  }
};

TEST_P(Crash, KilledServerLosesAndRepeatsNothingAcknowledged) {
  const int kills = EnvInt("SB_CRASH_KILLS", 4);
  const int clients = EnvInt("SB_CRASH_CLIENTS", 4);
  std::string secret = server().RunCli({"events", "secret", "--tenant", tenant_});
  ASSERT_EQ(secret.rfind("whsec_", 0), 0u) << secret;

  CrashClients writers(server().port(), key_, tenant_, secret);
  writers.Start(clients);
  std::mt19937 rng(std::random_device{}());
  std::vector<double> recovery_ms;
  auto started = SteadyClock::now();
  for (int i = 0; i < kills; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 700));
    auto t0 = SteadyClock::now();
    ASSERT_TRUE(server().KillAndRestart()) << "kill " << i;
    recovery_ms.push_back(
        std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_TRUE(writers.Stop()) << "a client got no definitive answer within a minute";
  double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();

  for (const auto& refusal : writers.refusals()) ADD_FAILURE() << "refused: " << refusal;
  for (const auto& a : writers.accounts()) CheckAccount(a);

  std::sort(recovery_ms.begin(), recovery_ms.end());
  const CrashFigures& f = writers.figures();
  std::printf(
      "crash %s: %d kills in %.1f s, %zu accounts, %lld writes acknowledged, %lld retries "
      "(%lld unreachable, %lld 5xx, %lld in flight), recovery (kill to ready) median %.0f ms, "
      "max %.0f ms\n",
      GetParam().c_str(), kills, seconds, writers.accounts().size(),
      static_cast<long long>(f.acknowledged.load()), static_cast<long long>(f.retries.load()),
      static_cast<long long>(f.retries_unreachable.load()),
      static_cast<long long>(f.retries_5xx.load()),
      static_cast<long long>(f.retries_in_flight.load()),
      recovery_ms.empty() ? 0.0 : recovery_ms[recovery_ms.size() / 2],
      recovery_ms.empty() ? 0.0 : recovery_ms.back());
  EXPECT_GT(f.acknowledged.load(), kills);

  // The audit log of every tenant verifies, and the SQLite file is sound, once the server is
  // stopped.
  server().Stop();
  EXPECT_FALSE(server().RunCli({"audit", "verify"}).empty()) << "audit verify failed";
  if (std::string path = SqlitePath(); !path.empty()) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, Crash, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
