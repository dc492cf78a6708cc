// An account as it stood at a past instant: rebuilt from the audit log, it equals what a read at
// that instant answered, and every entry it used verifies against the signed checkpoint.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "common/time.h"
#include "crypto/crypto.h"
#include "domain/audit_entry.h"
#include "domain/merkle.h"
#include "tests/support/sla_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;
namespace merkle = sb::domain::merkle;

class AccountAsOf : public OwnServer {
 protected:
  // What a read answered at one instant, and an instant after it and before the next change.
  struct Seen {
    std::string as_of;
    json::object account;
  };

  void Remember(const std::string& id, const std::string& as_of) {
    seen_.push_back({as_of, Account(id)});
  }

  HttpResponse AsOf(const std::string& id, const std::string& as_of, const std::string& key = "") {
    return CallAs(key.empty() ? key_ : key, "GET", "/v1/accounts/" + id + "?as_of=" + as_of);
  }

  std::string NewKey(const std::string& role) {
    std::string key =
        server().RunCli({"apikey", "create", "--tenant", tenant_, "--role", role, "--name", role});
    EXPECT_FALSE(key.empty()) << "apikey create failed";
    return key;
  }

  static std::string Bytes(const json::value& v, const char* key) {
    return crypto::FromBase64(Str(v, key)).value_or("");
  }

  // The answer at `s.as_of` shows what the read showed then.
  void ExpectSameAsRead(const Seen& s, const json::object& past) {
    SCOPED_TRACE("as_of " + s.as_of);
    const json::object& now = s.account;
    for (const char* key :
         {"id", "external_ref", "currency", "status", "lifecycle", "amount_due_minor", "kyc_level",
          "failed_payments", "last_payment_at", "created_at"}) {
      EXPECT_EQ(past.at(key), now.at(key)) << key;
    }
    std::map<std::string, json::object> services;
    for (const auto& v : now.at("services").as_array()) services[Str(v, "id")] = v.as_object();
    ASSERT_EQ(past.at("services").as_array().size(), services.size());
    for (const auto& v : past.at("services").as_array()) {
      const json::object& read = services[Str(v, "id")];
      for (const char* key : {"plan", "status", "created_at", "terminated_at"}) {
        EXPECT_EQ(v.at(key), read.at(key)) << Str(v, "id") << " " << key;
      }
    }
    const json::array& holds = now.at("active_holds").as_array();
    ASSERT_EQ(past.at("active_holds").as_array().size(), holds.size());
    for (size_t i = 0; i < holds.size(); ++i) {
      const json::value& was = past.at("active_holds").as_array()[i];
      for (const char* key :
           {"id", "hold_type", "state", "service_id", "blocks_service", "blocks_billing",
            "blocks_changes", "reason_code", "placed_at", "expires_at", "placed_by_request_id"}) {
        EXPECT_EQ(was.at(key), holds[i].at(key)) << Str(was, "id") << " " << key;
      }
    }
  }

  std::vector<Seen> seen_;
};

TEST_P(AccountAsOf, ThePastRebuiltFromTheLogEqualsWhatAReadThenAnswered) {
  SetClock("2026-03-02T10:00:00Z");
  json::object created =
      ServerTest::NewAccount({{"amount_due_minor", 0},
                              {"kyc_level", 2},
                              {"plans", json::array{"mobile_basic", "mobile_basic"}}});
  std::string id = Str(created, "id");
  json::object account = Account(id);
  std::string first = Str(account.at("services").as_array()[0], "id");
  std::string second = Str(account.at("services").as_array()[1], "id");
  Remember(id, "2026-03-02T10:00:30Z");

  SetClock("2026-03-02T10:01:00Z");  // one line moves to another plan
  HttpResponse plan =
      Api("POST", "/v1/services/" + first + "/plan-change", R"({"plan_code":"mobile_unlimited"})",
          {{"X-Reason", "customer_request"}});
  ASSERT_EQ(plan.status, 200) << plan.body;
  EXPECT_EQ(Str(plan.Json(), "state"), "completed");
  Remember(id, "2026-03-02T10:01:30Z");

  SetClock("2026-03-02T10:02:00Z");  // the whole account suspended for non-payment
  HttpResponse hold = Api("POST", "/v1/accounts/" + id + "/holds", R"({"hold_type":"non_payment"})",
                          {{"X-Reason", "non_payment"}});
  ASSERT_EQ(hold.status, 201) << hold.body;
  Remember(id, "2026-03-02T10:02:30Z");

  SetClock("2026-03-02T10:03:00Z");  // a fault on the other line, with an expiry
  HttpResponse fault = Api("POST", "/v1/accounts/" + id + "/holds",
                           json::serialize(json::object{{"hold_type", "technical_fault"},
                                                        {"service_id", second},
                                                        {"expires_at", "2026-03-09T10:00:00Z"}}),
                           {{"X-Reason", "technical_fault"}});
  ASSERT_EQ(fault.status, 201) << fault.body;
  Remember(id, "2026-03-02T10:03:30Z");

  SetClock("2026-03-02T10:04:00Z");  // the fault is fixed
  std::string fault_id = Str(fault.Json().at("hold"), "id");
  HttpResponse lifted =
      Api("POST", "/v1/holds/" + fault_id + "/lift", "", {{"X-Reason", "agent_correction"}});
  ASSERT_EQ(lifted.status / 100, 2) << lifted.body;
  Remember(id, "2026-03-02T10:04:30Z");
  SetClock("2026-03-02T10:05:00Z");

  for (const Seen& s : seen_) {
    HttpResponse r = AsOf(id, s.as_of);
    ASSERT_EQ(r.status, 200) << r.body;
    ExpectSameAsRead(s, r.Json().at("account").as_object());
  }
  // The five instants differ from one another: the comparison is not of one state five times.
  EXPECT_NE(seen_[0].account.at("services"), seen_[1].account.at("services"));
  EXPECT_NE(seen_[1].account.at("status"), seen_[2].account.at("status"));
  EXPECT_NE(seen_[2].account.at("active_holds"), seen_[3].account.at("active_holds"));
  EXPECT_NE(seen_[3].account.at("active_holds"), seen_[4].account.at("active_holds"));
}

TEST_P(AccountAsOf, EveryEntryUsedVerifiesAgainstTheSignedCheckpoint) {
  SetClock("2026-03-02T10:00:00Z");
  std::string id = SuspendedAccount(4200);
  SetClock("2026-03-02T10:01:00Z");
  json::object past;
  for (int i = 0; i < 100; ++i) {  // until the sequencer has signed every entry used
    HttpResponse r = AsOf(id, "2026-03-02T10:00:30Z");
    ASSERT_EQ(r.status, 200) << r.body;
    past = r.Json().as_object();
    bool all = true;
    for (const auto& u : past.at("entries").as_array()) all = all && !u.at("proof").is_null();
    if (all) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(Str(past.at("account"), "status"), "suspended");
  const json::value& cp = past.at("checkpoint");
  std::int64_t size = cp.at("tree_size").as_int64();
  std::string root = Bytes(cp, "root_hash");
  std::optional<Timestamp> at = ParseRfc3339(Str(cp, "created_at"));
  ASSERT_TRUE(at.has_value());
  EXPECT_TRUE(crypto::VerifySignature(
      Bytes(cp, "public_key"),
      domain::CheckpointSignedBytes(tenant_, size, root, *at, Str(cp, "key_id")),
      Bytes(cp, "signature")));
  const json::array& entries = past.at("entries").as_array();
  // The creation (external_ref, currency), the hold and the statuses it set.
  ASSERT_GE(entries.size(), 3u);
  std::set<std::string> actions;
  for (const auto& u : entries) {
    const json::value& e = u.at("entry");
    const json::value& p = u.at("proof");
    actions.insert(Str(e, "action"));
    EXPECT_EQ(Str(e, "account_id"), id);
    EXPECT_LE(At(Str(e, "created_at")), At("2026-03-02T10:00:30Z"));
    ASSERT_FALSE(p.is_null()) << Str(e, "id");
    EXPECT_EQ(Str(p, "leaf_hash"), Str(e, "leaf_hash"));
    std::vector<std::string> path;
    for (const auto& h : p.at("audit_path").as_array()) {
      path.push_back(crypto::FromBase64(std::string(h.as_string())).value_or(""));
    }
    EXPECT_TRUE(merkle::VerifyInclusion(p.at("leaf_index").as_int64(), size, Bytes(p, "leaf_hash"),
                                        path, root))
        << Str(e, "id");
  }
  EXPECT_TRUE(actions.count("account.created"));
  EXPECT_TRUE(actions.count("hold.placed"));
}

TEST_P(AccountAsOf, OnlyTheAuditRolesAskAndOnlyForThePast) {
  SetClock("2026-03-02T10:00:00Z");
  std::string id = Str(ServerTest::NewAccount(), "id");
  SetClock("2026-03-02T10:01:00Z");
  ASSERT_EQ(AsOf(id, "2026-03-02T10:00:30Z").status, 200);
  ASSERT_EQ(AsOf(id, "2026-03-02T10:00:30Z", NewKey("auditor")).status, 200);
  ExpectProblem(AsOf(id, "2026-03-02T10:00:30Z", NewKey("agent")), 403);
  ExpectProblem(AsOf(id, "yesterday"), 400, "as_of");
  ExpectProblem(AsOf(id, "2030-01-01T00:00:00Z"), 400, "as_of");
  // Before the account existed, and an account that never did.
  ExpectProblem(AsOf(id, "2026-03-02T09:59:00Z"), 404);
  ExpectProblem(AsOf("acc_nosuchaccount", "2026-03-02T10:00:30Z"), 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountAsOf, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
