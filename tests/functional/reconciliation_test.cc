// Reconciliation over HTTP: a billing system's file compared with what Switchboard holds, the
// run's report and its items as JSON and CSV, the repair that tells a real receiver the
// account's state again (signed), the drift queue an agent resolves, the same file twice,
// files and callers that are refused, and one account's view pushed as a signed
// status.snapshot event.

#include "crypto/crypto.h"
#include "tests/support/events_fixture.h"
#include "tests/support/webhooks_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class Reconciliation : public Webhooks {
 protected:
  HttpResponse Send(const std::string& body, const std::string& query = "?source=billing",
                    const std::string& type = "text/csv", const std::string& key = "") {
    return CallAs(key.empty() ? key_ : key, "POST", "/v1/reconciliations" + query, body,
                  {{"Content-Type", type}});
  }
};

TEST_P(Reconciliation, ADifferenceIsRecordedRepairedAndQueuedAsThePackSays) {
  WebhookReceiver receiver;
  Endpoint ep = AddEndpoint(receiver.Url("/crm"), {"account.reconciled"});
  json::object a = NewAccount();
  json::object b = NewAccount();
  std::string a_svc = Str(a.at("services").as_array().at(0), "id");
  // Billing thinks a's service is suspended (it missed a reconnection) and that b owes 99.00.
  std::string csv = "external_ref,service_id,service_status,amount_due_minor\r\n" +
                    Str(a, "external_ref") + "," + a_svc + ",suspended,0\r\n" +
                    Str(b, "external_ref") + ",,,9900\r\n";

  HttpResponse dry = Send(csv, "?source=billing&dry_run=true");
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_TRUE(dry.Json().at("id").is_null());
  EXPECT_EQ(dry.Json().at("items").as_array().size(), 2u);

  HttpResponse r = Send(csv);
  ASSERT_EQ(r.status, 201) << r.body;
  const json::object run = r.Json().as_object();
  EXPECT_EQ(r.Header("Location"), "/v1/reconciliations/" + Str(run, "id"));
  EXPECT_EQ(Str(run, "file_sha256"), crypto::Hex(crypto::Sha256(csv)));
  EXPECT_EQ(Int(run, "rows_read"), 2);
  EXPECT_EQ(Int(run.at("drift").as_object(), "service_status"), 1);
  EXPECT_EQ(Int(run.at("drift").as_object(), "amount_due"), 1);
  EXPECT_EQ(Int(run, "repairs_filed"), 1);
  EXPECT_EQ(Int(run, "queued"), 1);

  // The repair told the CRM the account's state again, signed like every delivery.
  ASSERT_TRUE(receiver.WaitForCount(1, 10000)) << receiver.Count();
  ReceivedRequest got = receiver.Requests().at(0);
  EXPECT_TRUE(Verify(got, ep.secret).ok()) << Verify(got, ep.secret).ToString();
  json::value env = json::parse(got.body);
  EXPECT_EQ(Str(env, "type"), "account.reconciled");
  EXPECT_EQ(Str(env.at("data"), "id"), Str(a, "id"));
  EXPECT_EQ(Str(env.at("data").at("services").as_array().at(0), "status"), "active");
  EXPECT_EQ(got.body.find("Jane"), std::string::npos) << "no personal data in the event";

  // The report's items, as JSON and as CSV.
  HttpResponse items = Api("GET", "/v1/reconciliations/" + Str(run, "id") + "/items");
  ASSERT_EQ(items.status, 200) << items.body;
  const json::array data = items.Json().at("data").as_array();
  ASSERT_EQ(data.size(), 2u);
  std::string queued_id;
  for (const auto& v : data) {
    if (Str(v, "kind") == "service_status") {
      EXPECT_EQ(Str(v, "action"), "repair");
      EXPECT_EQ(Str(v, "resolution"), "repaired");
      EXPECT_FALSE(v.at("open").as_bool());
      json::object req = Api("GET", "/v1/requests/" + Str(v, "request_id")).Json().as_object();
      EXPECT_EQ(Str(req, "type"), "status_sync");
      EXPECT_EQ(Str(req, "state"), "completed");
      EXPECT_EQ(Str(req, "origin"), "automated");
    } else {
      EXPECT_EQ(Str(v, "kind"), "amount_due");
      EXPECT_EQ(Str(v, "switchboard_value"), "0");
      EXPECT_EQ(Str(v, "source_value"), "9900");
      EXPECT_EQ(Str(v, "truth"), "source");
      EXPECT_TRUE(v.at("open").as_bool());
      queued_id = Str(v, "id");
    }
  }
  HttpResponse csv_items =
      Api("GET", "/v1/reconciliations/" + Str(run, "id") + "/items?format=csv&kind=amount_due");
  ASSERT_EQ(csv_items.status, 200) << csv_items.body;
  EXPECT_EQ(csv_items.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv_items.body.rfind("id,run_id,source,kind,", 0), 0u) << csv_items.body;
  EXPECT_NE(csv_items.body.find(queued_id + "," + Str(run, "id") + ",billing,amount_due,"),
            std::string::npos)
      << csv_items.body;
  EXPECT_EQ(csv_items.body.find("service_status"), std::string::npos);

  // The same file again changes nothing.
  HttpResponse again = Send(csv);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(again.Json().at("duplicate").as_bool());
  EXPECT_EQ(Str(again.Json(), "id"), Str(run, "id"));
  EXPECT_EQ(Api("GET", "/v1/reconciliations").Json().at("data").as_array().size(), 1u);

  // The queue: an agent sees the item and resolves it; it leaves the queue.
  std::string agent = NewKey("agent", "agent");
  HttpResponse queue = CallAs(agent, "GET", "/v1/drift-items");
  ASSERT_EQ(queue.status, 200) << queue.body;
  ASSERT_EQ(queue.Json().at("data").as_array().size(), 1u);
  EXPECT_EQ(Str(queue.Json().at("data").as_array().at(0), "id"), queued_id);
  HttpResponse resolved = CallAs(agent, "POST", "/v1/drift-items/" + queued_id + "/resolve",
                                 R"({"resolution":"fixed","note":"billing corrected"})");
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(Str(resolved.Json(), "resolution"), "fixed");
  EXPECT_TRUE(CallAs(agent, "GET", "/v1/drift-items").Json().at("data").as_array().empty());
  ExpectProblem(CallAs(agent, "POST", "/v1/drift-items/" + queued_id + "/resolve",
                       R"({"resolution":"fixed"})"),
                409);
}

TEST_P(Reconciliation, RefusedFilesAndCallersRecordNothing) {
  json::object a = NewAccount();
  // Not CSV: a broken quote, named by row; an unknown column; the wrong media type.
  ExpectProblem(Send("external_ref,account_status\r\n\"" + Str(a, "external_ref") + ",active\r\n"),
                400);
  HttpResponse unknown = Send("external_ref,colour\r\nX,blue\r\n");
  ExpectProblem(unknown, 400, "colour");
  // A card number as a column's name is masked; a column without a name is given by position.
  for (std::string card : {"4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111"}) {
    HttpResponse r = Send("external_ref," + card + "\r\nX,blue\r\n");
    ExpectProblem(r, 400, "[card number removed]", "malformed_upload");
    EXPECT_EQ(r.body.find("4111"), std::string::npos) << r.body;
  }
  HttpResponse unnamed = Send("external_ref,account_status,,\r\nX,active,,\r\n");
  ExpectProblem(unnamed, 400, "column 3");
  EXPECT_NE(Str(unnamed.Json(), "detail").find("row 1, column 3: unnamed_column"),
            std::string::npos)
      << unnamed.body;
  ExpectProblem(Send("{}", "?source=billing", "application/json"), 415, "Content-Type");
  ExpectProblem(Send("external_ref,account_status\r\nX,active\r\n", "?source=Bad%20Name"), 400,
                "source");
  // A card number in any field, and invalid UTF-8, are refused too.
  HttpResponse card = Send("external_ref,account_status\r\n4111111111111111,active\r\n");
  ASSERT_EQ(card.status, 201) << card.body;
  EXPECT_NE(card.body.find("card_number_refused"), std::string::npos) << card.body;
  EXPECT_EQ(card.body.find("4111111111111111"), std::string::npos) << card.body;
  ExpectProblem(Send("external_ref,account_status\r\nX\xff,active\r\n"), 400);
  // Agents may not run a reconciliation, and nothing of another tenant's is visible.
  ExpectProblem(Send("external_ref,account_status\r\nX,active\r\n", "?source=billing", "text/csv",
                     NewKey("agent", "agent")),
                403);
  std::string run_id = Str(card.Json(), "id");
  std::string stranger = NewTenantKey("Stranger");
  ExpectProblem(CallAs(stranger, "GET", "/v1/reconciliations/" + run_id), 404);
  ExpectProblem(CallAs(stranger, "GET", "/v1/reconciliations/" + run_id + "/items?format=csv"),
                404);
  // The repair's fields are the system's: an agent filing them is refused.
  ExpectProblem(CallAs(NewKey("agent", "agent2"), "POST", "/v1/requests",
                       R"({"type":"status_sync","account_id":")" + Str(a, "id") +
                           R"(","payload":{"amount_due_minor":0}})",
                       {{"X-Reason", "agent_correction"}}),
                403, "payload.amount_due_minor");
}

class Snapshots : public EventsTest {};

TEST_P(Snapshots, OneAccountsViewIsComparedAsARunOfItsOwn) {
  json::object a = NewAccount();
  std::string svc = Str(a.at("services").as_array().at(0), "id");
  std::string id = NewEventId();
  json::object in_step =
      Send(id, "status.snapshot",
           {{"external_ref", Str(a, "external_ref")},
            {"source", "oss"},
            {"services", json::array{{{"service_id", svc}, {"status", "active"}}}}});
  EXPECT_EQ(Str(in_step, "outcome"), "in_step") << json::serialize(in_step);

  // The network says the service is suspended: Switchboard is right, the OSS is told again.
  json::object drift =
      Send(NewEventId(), "status.snapshot",
           {{"account_id", Str(a, "id")},
            {"source", "oss"},
            {"account_status", "active"},
            {"services", json::array{{{"service_id", svc}, {"status", "suspended"}},
                                     {{"service_id", "svc_nope"}, {"status", "active"}}}}});
  EXPECT_EQ(Str(drift, "outcome"), "rows_rejected") << json::serialize(drift);
  ASSERT_EQ(drift.at("request_ids").as_array().size(), 1u);
  json::object req =
      Api("GET", "/v1/requests/" + std::string(drift.at("request_ids").as_array()[0].as_string()))
          .Json()
          .as_object();
  EXPECT_EQ(Str(req, "type"), "status_sync");
  json::array runs = Api("GET", "/v1/reconciliations").Json().at("data").as_array();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(Str(runs[0], "origin"), "snapshot");
  EXPECT_EQ(Str(runs[0], "format"), "event");
  EXPECT_EQ(Int(runs[0].at("drift").as_object(), "service_status"), 1);
  EXPECT_EQ(Int(runs[0], "rows_rejected"), 1);
  EXPECT_EQ(Str(runs[0].at("rejected").as_array().at(0), "code"), "unknown_service");
  EXPECT_EQ(Outbox(Str(a, "id"), "account.reconciled").size(), 1u);

  // Sent again, the same event changes nothing; bad data is refused naming the field.
  json::object again =
      Send(id, "status.snapshot",
           {{"external_ref", Str(a, "external_ref")},
            {"source", "oss"},
            {"services", json::array{{{"service_id", svc}, {"status", "active"}}}}});
  EXPECT_TRUE(again.at("duplicate").as_bool());
  EXPECT_EQ(Api("GET", "/v1/reconciliations").Json().at("data").as_array().size(), 2u);
  auto refused = [&](const json::object& data, const std::string& param) {
    HttpResponse r = Post(EventBody(NewEventId(), "status.snapshot", data), secret_);
    ExpectProblem(r, 400, param);
  };
  refused({{"account_id", Str(a, "id")}, {"source", "oss"}}, "data");
  refused({{"account_id", Str(a, "id")}, {"source", "OSS!"}, {"amount_due_minor", 0}},
          "data.source");
  refused({{"account_id", Str(a, "id")},
           {"source", "oss"},
           {"services", json::array{{{"service_id", svc}, {"status", "active"}},
                                    {{"service_id", svc}, {"status", "active"}}}}},
          "data.services[1].service_id");
  EXPECT_EQ(Api("GET", "/v1/reconciliations").Json().at("data").as_array().size(), 2u);

  // A state this server does not know is reported on the run and the rest compared.
  json::object unknown = Send(NewEventId(), "status.snapshot",
                              {{"account_id", Str(a, "id")},
                               {"source", "oss"},
                               {"account_status", "asleep"},
                               {"amount_due_minor", 0}});
  EXPECT_EQ(Str(unknown, "outcome"), "rows_rejected") << json::serialize(unknown);
  json::object last = Api("GET", "/v1/reconciliations").Json().at("data").as_array()[0].as_object();
  EXPECT_EQ(Int(last, "rows_rejected"), 1);
  EXPECT_EQ(Int(last, "rows_in_step"), 0);
  EXPECT_EQ(Str(last.at("rejected").as_array().at(0), "code"), "unknown_state");
  EXPECT_EQ(Str(last.at("rejected").as_array().at(0), "column"), "account_status");
}

INSTANTIATE_TEST_SUITE_P(Backends, Reconciliation, ::testing::ValuesIn(Backends()), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, Snapshots, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
