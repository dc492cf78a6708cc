// Least privilege (docs/SECURITY.md, "Who may do what"): a key cannot choose the checks it is
// held to by claiming an origin or channel that is not its own, a client system's machine key
// (system role) cannot close or hand over accounts, and the auditor and system roles read
// personal data masked. Every refusal is a 403 that writes nothing.

#include <functional>

#include "tests/support/events_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

// A write on one account, as the route and body the key sends.
struct Write {
  const char* name;
  std::string method, target, body;
};

class LeastPrivilege : public EventsTest {
 protected:
  void SetUp() override {
    EventsTest::SetUp();
    if (HasFatalFailure()) return;
    agent_ = NewKey("agent", "desk");
  }

  // What a refused call must leave as it was: the account's requests, audit entries and
  // version.
  struct Trace {
    size_t requests = 0, audit = 0;
    std::int64_t version = 0;
    bool operator==(const Trace&) const = default;
  };
  Trace TraceOf(const std::string& account) {
    HttpResponse audit = Api("GET", "/v1/audit/entries?limit=100&account_id=" + account);
    EXPECT_EQ(audit.status, 200) << audit.body;
    return Trace{Requests(account).size(), audit.Json().at("data").as_array().size(),
                 Account(account).at("version").as_int64()};
  }

  // Every direct route and POST /v1/requests, on `account` (owing money, its service
  // suspended by `hold`), each with `extra` fields in its body.
  std::vector<Write> Writes(const std::string& account, const std::string& hold,
                            const json::object& extra) {
    std::string service = ServiceOf(account);
    auto with = [&](json::object body) {
      for (const auto& kv : extra) body[kv.key()] = kv.value();
      return json::serialize(body);
    };
    json::object reconnect{{"type", "reconnection"},
                           {"account_id", account},
                           {"service_id", service},
                           {"payload", {{"hold_ids", json::array{json::value(hold)}}}}};
    return {
        {"POST /v1/requests", "POST", "/v1/requests", with(reconnect)},
        {"place hold", "POST", "/v1/accounts/" + account + "/holds",
         with({{"hold_type", "voluntary_pause"}})},
        {"lift hold", "POST", "/v1/holds/" + hold + "/lift", with({})},
        {"close", "POST", "/v1/accounts/" + account + "/close", with({})},
        {"reactivate", "POST", "/v1/accounts/" + account + "/reactivate", with({})},
        {"activate", "POST", "/v1/accounts/" + account + "/activate", with({})},
        {"dormant", "POST", "/v1/accounts/" + account + "/dormant", with({})},
        {"add service", "POST", "/v1/accounts/" + account + "/services",
         with({{"plan_code", "mobile_basic"}})},
        {"plan change", "POST", "/v1/services/" + service + "/plan-change",
         with({{"plan_code", "mobile_unlimited"}})},
        {"terminate service", "POST", "/v1/services/" + service + "/terminate", with({})},
    };
  }

  // The id of the active hold on a SuspendedAccount.
  std::string HoldOn(const std::string& account) {
    return Str(Account(account).at("active_holds").as_array().at(0), "id");
  }

  std::string agent_;
};

// The attack of the report: an agent files a reconnection claiming origin automated, which
// the default pack lets skip payment_cleared. Refused on every route, nothing written, the
// money still due and the service still suspended.
TEST_P(LeastPrivilege, AKeyCannotClaimTheSystemsOrigins) {
  for (const char* origin : {"automated", "technical"}) {
    std::string id = SuspendedAccount();
    std::string hold = HoldOn(id);
    Trace before = TraceOf(id);
    for (const Write& w : Writes(id, hold, {{"origin", origin}})) {
      SCOPED_TRACE(std::string(origin) + " " + w.name);
      for (const std::string& key : {agent_, key_}) {
        HttpResponse r =
            CallAs(key, w.method, w.target, w.body, {{"X-Reason", "payment_received"}});
        ExpectProblem(r, 403, "origin", "origin_not_allowed");
      }
      EXPECT_EQ(TraceOf(id), before);
    }
    json::object a = Account(id);
    EXPECT_EQ(a.at("amount_due_minor").as_int64(), 4599);
    EXPECT_EQ(Str(a.at("services").as_array().at(0), "status"), "suspended");
    EXPECT_EQ(Str(a, "status"), "suspended");
  }
}

TEST_P(LeastPrivilege, AKeyCannotClaimTheSystemChannel) {
  std::string id = SuspendedAccount();
  std::string hold = HoldOn(id);
  Trace before = TraceOf(id);
  std::vector<Write> writes = Writes(id, hold, {});
  writes.push_back({"update profile", "PATCH", "/v1/accounts/" + id, R"({"name":"X"})"});
  for (const Write& w : writes) {
    SCOPED_TRACE(w.name);
    for (const std::string& key : {agent_, key_}) {
      HttpResponse r = CallAs(key, w.method, w.target, w.body,
                              {{"X-Reason", "payment_received"}, {"X-Channel", "system"}});
      ExpectProblem(r, 403, "X-Channel", "channel_not_allowed");
    }
    EXPECT_EQ(TraceOf(id), before);
  }
  // Channels of people stay open to them.
  HttpResponse voice =
      CallAs(agent_, "POST", "/v1/accounts/" + id + "/holds", R"({"hold_type":"voluntary_pause"})",
             {{"X-Reason", "customer_request"}, {"X-Channel", "voice"}});
  EXPECT_EQ(voice.status, 201) << voice.body;
}

// An origin the pack lets skip checks (an involuntary closure skips identity and consent) is
// a supervisor's to claim, not an agent's; naming the default origin is anyone's.
TEST_P(LeastPrivilege, AnOriginThePackTrustsNeedsASupervisor) {
  std::string supervisor = NewKey("supervisor", "lead");
  std::string id = Str(NewAccount(), "id");
  Trace before = TraceOf(id);
  ExpectProblem(CallAs(agent_, "POST", "/v1/accounts/" + id + "/close",
                       R"({"origin":"involuntary"})", {{"X-Reason", "account_closure"}}),
                403, "origin", "origin_not_allowed");
  EXPECT_EQ(TraceOf(id), before);
  HttpResponse voluntary = CallAs(agent_, "POST", "/v1/accounts/" + id + "/close",
                                  R"({"origin":"voluntary"})", {{"X-Reason", "account_closure"}});
  EXPECT_EQ(voluntary.status, 202) << voluntary.body;  // waits for identity and consent

  std::string other = Str(NewAccount(), "id");
  HttpResponse closed = CallAs(supervisor, "POST", "/v1/accounts/" + other + "/close",
                               R"({"origin":"involuntary"})", {{"X-Reason", "account_closure"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Str(closed.Json().at("account"), "status"), "closed");
}

// The system actor (signed inbound events, jobs) still files its automated reconnection.
TEST_P(LeastPrivilege, TheSystemStillFilesAutomatedRequests) {
  std::string id = SuspendedAccount();
  json::object receipt = Send(NewEventId(), "payment.received",
                              {{"account_id", id}, {"amount_minor", 4599}, {"currency", "EUR"}});
  EXPECT_EQ(Str(receipt, "outcome"), "reconnected");
  json::array reconnections = RequestsOfType(id, "reconnection");
  ASSERT_EQ(reconnections.size(), 1u);
  EXPECT_EQ(Str(reconnections.at(0), "origin"), "automated");
  EXPECT_EQ(Str(reconnections.at(0), "channel"), "system");
  EXPECT_EQ(ServiceStatus(id), "active");
}

// A client system's machine key may place holds, but a person closes, reactivates or hands
// over an account.
TEST_P(LeastPrivilege, ASystemRoleKeyCannotCloseOrHandOverAnAccount) {
  std::string machine = NewKey("system", "billing");
  std::string id = Str(NewAccount({{"name", "Zeno Ramsbottom"}}), "id");
  Trace before = TraceOf(id);
  ExpectProblem(CallAs(machine, "POST", "/v1/accounts/" + id + "/close", "",
                       {{"X-Reason", "account_closure"}}),
                403, "type", "role_not_allowed");
  for (const char* type : {"termination", "reactivation", "ownership_transfer", "access_change",
                           "security_settings_change"}) {
    SCOPED_TRACE(type);
    json::object body{{"type", type}, {"account_id", id}};
    ExpectProblem(CallAs(machine, "POST", "/v1/requests", json::serialize(body),
                         {{"X-Reason", "customer_request"}}),
                  403, "type", "role_not_allowed");
  }
  EXPECT_EQ(TraceOf(id), before);
  HttpResponse hold = CallAs(machine, "POST", "/v1/accounts/" + id + "/holds",
                             R"({"hold_type":"non_payment"})", {{"X-Reason", "non_payment"}});
  EXPECT_EQ(hold.status, 201) << hold.body;
  // Its write answers show the account as its reads do: masked.
  EXPECT_EQ(Str(hold.Json().at("account"), "name"), "Z*** R***");
  EXPECT_EQ(hold.body.find("Ramsbottom"), std::string::npos);
}

// The auditor and machine keys read personal data masked; people serving the customer read
// it in clear.
TEST_P(LeastPrivilege, TheAuditorAndSystemRolesReadPersonalDataMasked) {
  std::string ref = NewRef();
  std::string id = Str(NewAccount({{"external_ref", ref},
                                   {"name", "Zelda Quillfeather"},
                                   {"email", "zelda.quill@example.org"},
                                   {"phone", "+447700900123"},
                                   {"address", "12 Larkspur Lane, Bath"}}),
                       "id");
  for (const char* role : {"auditor", "system"}) {
    SCOPED_TRACE(role);
    std::string key = NewKey(role, role);
    HttpResponse one = CallAs(key, "GET", "/v1/accounts/" + id);
    ASSERT_EQ(one.status, 200) << one.body;
    json::value a = one.Json();
    EXPECT_EQ(Str(a, "name"), "Z*** Q***");
    EXPECT_EQ(Str(a, "email"), "z***@e***.org");
    EXPECT_EQ(Str(a, "phone"), "***23");
    EXPECT_EQ(Str(a, "address"), "***");
    HttpResponse list = CallAs(key, "GET", "/v1/accounts?limit=100");
    ASSERT_EQ(list.status, 200) << list.body;
    for (const char* value : {"Zelda", "Quillfeather", "zelda.quill", "7700 900123", "Larkspur"}) {
      EXPECT_EQ(one.body.find(value), std::string::npos) << value;
      EXPECT_EQ(list.body.find(value), std::string::npos) << value;
    }
  }
  HttpResponse clear = CallAs(agent_, "GET", "/v1/accounts/" + id);
  ASSERT_EQ(clear.status, 200) << clear.body;
  EXPECT_EQ(Str(clear.Json(), "name"), "Zelda Quillfeather");
  EXPECT_EQ(Str(clear.Json(), "phone"), "+447700900123");
}

INSTANTIATE_TEST_SUITE_P(Backends, LeastPrivilege, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
