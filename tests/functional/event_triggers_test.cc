// Inbound events that drive requests on: kyc.completed lets a waiting activation finish,
// fault.reported / fault.resolved suspend and reconnect a service, provisioning results
// finish a request waiting for the network, customer.inactive marks an account dormant and
// invites it back. Duplicates change nothing; bad data is refused with nothing written.

#include "tests/support/events_fixture.h"

namespace sb::testing {
namespace {

class EventTriggers : public EventsTest {
 protected:
  // A reconnection waiting in provisioning (the tenant's pack needs the network for it).
  std::string ProvisioningReconnection(const std::string& on_failure) {
    ReplacePack([&](std::string yaml) {
      yaml = Replace(yaml, "      required: false\n", "      required: true\n");
      return Replace(yaml, "on_failure: escalate", "on_failure: " + on_failure);
    });
    // Nothing due, a non-payment hold an agent reconnects: approved, then handed off.
    std::string id = Str(NewAccount(), "id");
    HttpResponse hold = Api("POST", "/v1/accounts/" + id + "/holds",
                            R"({"hold_type":"non_payment"})", {{"X-Reason", "non_payment"}});
    EXPECT_EQ(hold.status, 201) << hold.body;
    boost::json::object filed = File(
        {{"type", "reconnection"}, {"account_id", id}, {"service_id", FirstServiceId(Account(id))}},
        "agent_correction");
    EXPECT_EQ(Str(filed, "state"), "provisioning") << boost::json::serialize(filed);
    return Str(filed, "id");
  }
};

TEST_P(EventTriggers, KycCompletedMovesAWaitingActivationOn) {
  std::string id = Str(NewAccount({{"pending_activation", true}}), "id");
  boost::json::object filed =
      File({{"type", "activation"}, {"account_id", id}, {"consent", {{"method", "recorded_call"}}}},
           "customer_request");
  ASSERT_EQ(Str(filed, "state"), "awaiting_customer") << boost::json::serialize(filed);
  std::string request = Str(filed, "id");

  std::string event_id = NewEventId();
  boost::json::object receipt =
      Send(event_id, "kyc.completed", {{"account_id", id}, {"kyc_level", 2}});
  EXPECT_EQ(Str(receipt, "outcome"), "kyc_updated");
  ASSERT_EQ(receipt.at("request_ids").as_array().size(), 1u);
  EXPECT_EQ(receipt.at("request_ids").at(0).as_string(), request);
  EXPECT_EQ(Str(Request(request), "state"), "completed");
  boost::json::object a = Account(id);
  EXPECT_EQ(a.at("kyc_level").as_int64(), 2);
  EXPECT_EQ(Str(a, "status"), "active");

  boost::json::object dup = Send(event_id, "kyc.completed", {{"account_id", id}, {"kyc_level", 2}});
  EXPECT_TRUE(dup.at("duplicate").as_bool());
  EXPECT_EQ(Account(id).at("version"), a.at("version"));
}

TEST_P(EventTriggers, FaultReportedSuspendsTheServiceAndFaultResolvedReconnectsIt) {
  boost::json::object created = NewAccount();
  std::string id = Str(created, "id");
  std::string service = FirstServiceId(created);
  boost::json::object fault{{"account_id", id}, {"service_id", service}, {"fault_id", "F-17"}};
  std::string reported = NewEventId();
  EXPECT_EQ(Str(Send(reported, "fault.reported", fault), "outcome"), "suspended");
  EXPECT_EQ(ServiceStatus(id), "suspended");
  boost::json::array suspensions = RequestsOfType(id, "suspension");
  ASSERT_EQ(suspensions.size(), 1u);
  EXPECT_EQ(Str(suspensions.at(0), "origin"), "technical");
  EXPECT_EQ(Str(suspensions.at(0), "reason_code"), "technical_fault");
  EXPECT_EQ(Str(suspensions.at(0), "service_id"), service);
  // A sync of the account's statuses waits until the fault is fixed.
  boost::json::object sync =
      File({{"type", "status_sync"}, {"account_id", id}}, "agent_correction");
  ASSERT_EQ(Str(sync, "state"), "verifying") << boost::json::serialize(sync);

  boost::json::object version = Account(id);
  EXPECT_TRUE(Send(reported, "fault.reported", fault).at("duplicate").as_bool());
  EXPECT_EQ(Str(Send(NewEventId(), "fault.reported", fault), "outcome"), "already_suspended");
  EXPECT_EQ(Account(id).at("version"), version.at("version"));

  std::string resolved = NewEventId();
  boost::json::object fixed{{"account_id", id}, {"service_id", service}};
  EXPECT_EQ(Str(Send(resolved, "fault.resolved", fixed), "outcome"), "reconnected");
  EXPECT_EQ(ServiceStatus(id), "active");
  boost::json::array reconnections = RequestsOfType(id, "reconnection");
  ASSERT_EQ(reconnections.size(), 1u);
  EXPECT_EQ(Str(reconnections.at(0), "origin"), "technical");
  EXPECT_EQ(Str(reconnections.at(0), "reason_code"), "fault_resolved");
  EXPECT_EQ(Str(Request(Str(sync, "id")), "state"), "completed");
  size_t requests = Requests(id).size();
  version = Account(id);
  EXPECT_TRUE(Send(resolved, "fault.resolved", fixed).at("duplicate").as_bool());
  EXPECT_EQ(Account(id).at("version"), version.at("version"));
  EXPECT_EQ(Str(Send(NewEventId(), "fault.resolved", fixed), "outcome"), "no_open_fault");
  EXPECT_EQ(Requests(id).size(), requests);
}

TEST_P(EventTriggers, ProvisioningCompletedFinishesAWaitingReconnection) {
  std::string request = ProvisioningReconnection("escalate");
  std::string id = Str(Request(request), "account_id");
  EXPECT_EQ(Outbox(id, "provisioning.requested").size(), 1u);
  EXPECT_EQ(ServiceStatus(id), "suspended");

  std::string event_id = NewEventId();
  boost::json::object done =
      Send(event_id, "provisioning.completed", {{"request_id", request}, {"detail", "port up"}});
  EXPECT_EQ(Str(done, "outcome"), "completed");
  EXPECT_EQ(done.at("request_ids").at(0).as_string(), request);
  EXPECT_EQ(Str(Request(request), "state"), "completed");
  EXPECT_EQ(ServiceStatus(id), "active");

  boost::json::object version = Account(id);
  EXPECT_TRUE(Send(event_id, "provisioning.completed", {{"request_id", request}})
                  .at("duplicate")
                  .as_bool());
  ExpectProblem(
      Post(EventBody(NewEventId(), "provisioning.completed", {{"request_id", request}}), secret_),
      409, "data.request_id", "not_provisioning");
  ExpectProblem(
      Post(EventBody(NewEventId(), "provisioning.failed", {{"request_id", "req_nosuchrequest"}}),
           secret_),
      404, "data.request_id");
  EXPECT_EQ(Account(id).at("version"), version.at("version"));
}

// The network finished, but meanwhile the service came back by another request (an agent's
// lift, itself handed to provisioning, finished first): the first reconnection has nothing
// left to do, so it fails with the reason instead of waiting for its timeout.
TEST_P(EventTriggers, ProvisioningCompletedAfterTheAccountMovedFailsTheRequest) {
  std::string request = ProvisioningReconnection("escalate");
  std::string id = Str(Request(request), "account_id");
  boost::json::object account = Account(id);
  std::string hold = Str(account.at("active_holds").at(0), "id");
  HttpResponse lifted =
      Api("POST", "/v1/holds/" + hold + "/lift", "", {{"X-Reason", "agent_correction"}});
  ASSERT_EQ(lifted.status, 202) << lifted.body;
  ASSERT_EQ(Str(lifted.Json(), "state"), "provisioning");
  Send(NewEventId(), "provisioning.completed", {{"request_id", Str(lifted.Json(), "id")}});
  ASSERT_EQ(ServiceStatus(id), "active");

  boost::json::object done =
      Send(NewEventId(), "provisioning.completed", {{"request_id", request}, {"detail", "up"}});
  EXPECT_EQ(Str(done, "outcome"), "failed") << boost::json::serialize(done);
  boost::json::object req = Request(request);
  EXPECT_EQ(Str(req, "state"), "failed");
  EXPECT_EQ(Str(req.at("result").at("error"), "reason"), "not_suspended")
      << boost::json::serialize(req);
  EXPECT_EQ(ServiceStatus(id), "active");
}

TEST_P(EventTriggers, ProvisioningFailedEscalatesOrFailsAsThePolicySays) {
  std::string escalated = ProvisioningReconnection("escalate");
  std::string event_id = NewEventId();
  boost::json::object failure{{"request_id", escalated}, {"detail", "no port"}};
  EXPECT_EQ(Str(Send(event_id, "provisioning.failed", failure), "outcome"), "escalated");
  boost::json::object req = Request(escalated);
  EXPECT_EQ(Str(req, "state"), "provisioning");
  EXPECT_EQ(Str(req, "assignee"), "supervisors");
  EXPECT_EQ(Str(req, "priority"), "high");
  EXPECT_EQ(Str(req.at("result"), "provisioning_error"), "no port");
  // A redelivery does not escalate a second time.
  EXPECT_TRUE(Send(event_id, "provisioning.failed", failure).at("duplicate").as_bool());
  EXPECT_EQ(Str(Request(escalated), "priority"), "high");
  EXPECT_EQ(Request(escalated).at("updated_at"), req.at("updated_at"));
}

TEST_P(EventTriggers, ProvisioningFailedFailsTheRequestWhenThePolicySaysFail) {
  std::string failing = ProvisioningReconnection("fail");
  boost::json::object r = Send(NewEventId(), "provisioning.failed", {{"request_id", failing}});
  EXPECT_EQ(Str(r, "outcome"), "failed");
  EXPECT_EQ(Str(Request(failing), "state"), "failed");
  EXPECT_EQ(ServiceStatus(Str(Request(failing), "account_id")), "suspended");
}

TEST_P(EventTriggers, CustomerInactiveMarksDormantAndInvitesOnce) {
  boost::json::object created = NewAccount();
  std::string id = Str(created, "id");
  std::string event_id = NewEventId();
  std::string since = FormatRfc3339((ServerNowSeconds() - 200 * 86400) * kMillisPerSecond);
  boost::json::object data{{"external_ref", Str(created, "external_ref")},
                           {"inactive_since", since}};
  boost::json::object receipt = Send(event_id, "customer.inactive", data);
  EXPECT_EQ(Str(receipt, "outcome"), "dormant");
  EXPECT_EQ(Str(Account(id), "status"), "dormant");
  boost::json::array syncs = RequestsOfType(id, "status_sync");
  ASSERT_EQ(syncs.size(), 1u);
  EXPECT_EQ(Str(syncs.at(0), "origin"), "automated");
  EXPECT_EQ(Str(syncs.at(0), "reason_code"), "inactivity");
  boost::json::array invites = Outbox(id, "account.reactivation_invited");
  ASSERT_EQ(invites.size(), 1u);
  const boost::json::value& invite = invites.at(0).at("payload").at("data");
  EXPECT_EQ(Str(invite.at("offer"), "code"), "welcome_back");
  EXPECT_EQ(invite.at("offer").at("discount_percent").as_int64(), 50);
  EXPECT_EQ(Str(invite, "inactive_since"), since);

  EXPECT_TRUE(Send(event_id, "customer.inactive", data).at("duplicate").as_bool());
  EXPECT_EQ(Str(Send(NewEventId(), "customer.inactive", data), "outcome"), "already_dormant");
  EXPECT_EQ(Outbox(id, "account.reactivation_invited").size(), 1u);

  // The customer takes the offer: the reactivation records it.
  HttpResponse verified = Api("POST", "/v1/accounts/" + id + "/verifications",
                              R"({"kind":"identity","method":"document_check","level":2})");
  ASSERT_EQ(verified.status, 201) << verified.body;
  HttpResponse unknown = Api(
      "POST", "/v1/requests",
      boost::json::serialize(boost::json::object{{"type", "reactivation"},
                                                 {"account_id", id},
                                                 {"payload", {{"offer_code", "free_forever"}}}}),
      {{"X-Reason", "customer_request"}});
  ExpectProblem(unknown, 422, "payload.offer_code", "unknown_offer");
  boost::json::object back = File(
      {{"type", "reactivation"}, {"account_id", id}, {"payload", {{"offer_code", "welcome_back"}}}},
      "customer_request");
  EXPECT_EQ(Str(back, "state"), "completed") << boost::json::serialize(back);
  EXPECT_EQ(Str(back.at("result").at("offer"), "code"), "welcome_back");
  EXPECT_EQ(Str(Account(id), "status"), "active");
}

TEST_P(EventTriggers, BadDataIsRefusedAndWritesNothing) {
  boost::json::object created = NewAccount();
  std::string id = Str(created, "id");
  struct Case {
    const char* type;
    boost::json::object data;
    int status;
    const char* param;
  } cases[] = {
      {"payment.failed", {{"account_id", id}, {"attempt", 2}}, 400, "data.attempt"},
      {"payment.failed", {{"account_id", id}, {"amount_minor", "12"}}, 400, "data.amount_minor"},
      {"payment.failed", {{"account_id", "acc_nosuchaccount"}}, 404, "data.account_id"},
      {"payment.failed", {{"account_id", id}, {"currency", "USD"}}, 422, "data.currency"},
      {"kyc.completed", {{"account_id", id}, {"kyc_level", 7}}, 400, "data.kyc_level"},
      {"kyc.completed",
       {{"external_ref", "no-such-ref"}, {"kyc_level", 1}},
       404,
       "data.external_ref"},
      {"fault.reported",
       {{"account_id", id}, {"service_id", "svc_nosuchservice"}},
       404,
       "data.service_id"},
      {"fault.reported", {{"account_id", id}, {"severity", 1}}, 400, "data.severity"},
      {"fault.resolved", {{"service_id", FirstServiceId(created)}}, 400, "data.account_id"},
      {"provisioning.completed", {{"request_id", 12}}, 400, "data.request_id"},
      {"provisioning.failed", {{"request_id", "req_x"}, {"why", "x"}}, 400, "data.why"},
      {"customer.inactive",
       {{"account_id", id}, {"inactive_since", "soon"}},
       400,
       "data.inactive_since"},
  };
  boost::json::object before = Account(id);
  size_t requests = Requests(id).size();
  for (const Case& c : cases) {
    std::string event_id = NewEventId();
    ExpectProblem(Post(EventBody(event_id, c.type, c.data), secret_), c.status, c.param);
    // Nothing remembered either: the same id with good data is handled, not a duplicate.
    boost::json::object later =
        Send(event_id, "kyc.completed", {{"account_id", id}, {"kyc_level", 0}});
    EXPECT_FALSE(later.at("duplicate").as_bool()) << c.type << " " << c.param;
  }
  boost::json::object after = Account(id);
  EXPECT_EQ(after.at("version"), before.at("version"));
  EXPECT_EQ(after.at("failed_payments").as_int64(), 0);
  EXPECT_EQ(Str(after, "status"), "active");
  EXPECT_EQ(Requests(id).size(), requests);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventTriggers, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
