// Provisioning hand-off over HTTP: a reconnection whose policy needs the network waits in
// `provisioning` with a provisioning.requested message out, and when nobody answers within
// the policy's timeout it fails or escalates as the policy says.

#include "tests/support/sla_fixture.h"

namespace sb::testing {
namespace {

// The default pack's provisioning block (shared by reconnection, activation and
// reactivation) made mandatory with a 30-minute timeout.
std::pair<std::string, std::string> Mandatory(const std::string& on_failure) {
  return {
      "      required: false\n      timeout_minutes: 240  # 4 hours, wall clock\n"
      "      on_failure: escalate",
      "      required: true\n      timeout_minutes: 30\n      on_failure: " + on_failure};
}

class Provisioning : public OwnServer {
 protected:
  // A reconnection handed to provisioning at Monday 10:00 Paris; returns its id.
  std::string HandedOff() {
    SetClock("2026-12-07T10:00:00+01:00");
    account_ = SuspendedAccount(0);
    boost::json::object filed = Reconnect(account_, "normal");
    EXPECT_EQ(Str(filed, "state"), "provisioning");
    std::string id = Str(filed, "id");
    EXPECT_EQ(Events(id, "provisioning.requested"), 1u);
    SetClock("2026-12-07T10:29:00+01:00");
    LetJobsRun();
    EXPECT_EQ(Str(Request(id), "state"), "provisioning");
    return id;
  }

  std::string ServiceStatus() {
    HttpResponse r = Call("GET", "/v1/accounts/" + account_);
    EXPECT_EQ(r.status, 200) << r.body;
    return Str(r.Json().at("services").as_array().at(0), "status");
  }

  std::string account_;
};

TEST_P(Provisioning, RequestedMessageNamesTheRequestAndService) {
  PutPack({Mandatory("fail")});
  std::string id = HandedOff();
  HttpResponse r =
      Call("GET", "/v1/outbox?request_id=" + id + "&event_type=provisioning.requested");
  ASSERT_EQ(r.status, 200) << r.body;
  boost::json::value page = r.Json();
  const boost::json::value& data = page.at("data").at(0).at("payload").at("data");
  EXPECT_EQ(Str(data, "request_id"), id);
  EXPECT_EQ(Str(data, "type"), "reconnection");
  EXPECT_EQ(Str(data, "account_id"), account_);
  EXPECT_FALSE(Str(data, "service_id").empty());
  EXPECT_EQ(ServiceStatus(), "suspended");
}

TEST_P(Provisioning, TimeoutFailsTheRequestWhenThePolicySaysFail) {
  PutPack({Mandatory("fail")});
  std::string id = HandedOff();
  SetClock("2026-12-07T10:30:30+01:00");
  EXPECT_TRUE(Eventually([&] { return Str(Request(id), "state") == "failed"; }));
  boost::json::object failed = Request(id);
  EXPECT_EQ(Str(failed.at("result"), "provisioning_error"), "provisioning timed out");
  EXPECT_FALSE(Str(failed, "completed_at").empty());
  EXPECT_EQ(AuditEntries(id, "request.failed"), 1u);
  EXPECT_EQ(Events(id, "request.escalated"), 0u);
  EXPECT_EQ(ServiceStatus(), "suspended");  // nothing was reconnected
}

TEST_P(Provisioning, TimeoutEscalatesTheRequestWhenThePolicySaysEscalate) {
  PutPack({Mandatory("escalate")});
  std::string id = HandedOff();
  SetClock("2026-12-07T10:30:30+01:00");
  EXPECT_TRUE(Eventually([&] { return Events(id, "request.escalated") == 1; }));
  boost::json::object escalated = Request(id);
  EXPECT_EQ(Str(escalated, "state"), "provisioning");  // still waiting for the network
  EXPECT_EQ(Str(escalated, "priority"), "high");
  EXPECT_EQ(Str(escalated, "assignee"), "supervisors");
  EXPECT_EQ(Str(escalated.at("result"), "provisioning_error"), "provisioning timed out");
  EXPECT_EQ(AuditEntries(id, "request.provisioning_escalated"), 1u);

  SetClock("2026-12-07T12:00:00+01:00");
  LetJobsRun();
  EXPECT_EQ(Events(id, "request.escalated"), 1u);
  EXPECT_EQ(Str(Request(id), "priority"), "high");
  EXPECT_EQ(ServiceStatus(), "suspended");
}

INSTANTIATE_TEST_SUITE_P(Backends, Provisioning, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
