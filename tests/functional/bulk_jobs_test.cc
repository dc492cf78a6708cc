// Bulk jobs: uploads validated whole before anything runs, dry runs, jobs of thousands of
// rows through the request engine, pause, resume and cancel, a server killed with SIGKILL in
// the middle of a job, the results CSV, the live progress stream and hostile files.

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "crypto/crypto.h"
#include "tests/support/sla_fixture.h"
#include "tests/support/tenant_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

constexpr const char* kHeader = "external_ref,type,reason_code,payload.hold_type\r\n";

std::string SuspendRow(const std::string& ref, const std::string& hold = "non_payment",
                       const std::string& reason = "non_payment") {
  return ref + ",suspension," + reason + "," + hold + "\r\n";
}

// The results CSV's data lines (header dropped), split into fields.
std::vector<std::vector<std::string>> ResultLines(const std::string& csv) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(csv);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (header) {
      header = false;
      EXPECT_EQ(line, "row,state,account_id,request_id,request_state,error_code,error_column");
      continue;
    }
    std::vector<std::string> fields;
    std::stringstream ls(line);
    std::string f;
    while (std::getline(ls, f, ',')) fields.push_back(f);
    while (fields.size() < 7) fields.emplace_back();
    out.push_back(fields);
  }
  return out;
}

// The calls every bulk test makes, for either fixture.
template <typename Base>
class BulkCalls : public Base {
 protected:
  using Base::Base;
  HttpResponse Upload(const std::string& body, const std::string& query = "",
                      const std::string& type = "text/csv", const std::string& key = "") {
    return this->CallAs(key.empty() ? this->key_ : key, "POST", "/v1/bulk-jobs" + query, body,
                        {{"Content-Type", type}});
  }
  json::object Job(const std::string& id) {
    HttpResponse r = this->Api("GET", "/v1/bulk-jobs/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().as_object() : json::object();
  }
  // Polls the job until `done` holds (up to `seconds`); the job as last read.
  json::object WaitFor(const std::string& id, const std::function<bool(const json::object&)>& done,
                       int seconds = 60) {
    json::object j;
    for (int i = 0; i < seconds * 10; ++i) {
      j = Job(id);
      if (j.empty() || done(j)) return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << id << " is still " << json::serialize(j);
    return j;
  }
  json::object WaitFinished(const std::string& id, int seconds = 60) {
    return WaitFor(
        id,
        [](const json::object& j) {
          return Str(j, "state") == "completed" || Str(j, "state") == "cancelled";
        },
        seconds);
  }
  std::string Results(const std::string& id) {
    HttpResponse r = this->Api("GET", "/v1/bulk-jobs/" + id + "/results");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  }
  // `n` new accounts; their external refs.
  std::vector<std::string> Refs(int n) {
    std::vector<std::string> refs;
    for (int i = 0; i < n; ++i) refs.push_back(Str(this->NewAccount(), "external_ref"));
    return refs;
  }
  // The audit entries whose subject is bulk job `id`, oldest first, as "action before>after"
  // (the states), each checked to name the caller as its actor.
  std::vector<std::string> JobAudit(const std::string& id) {
    std::vector<std::string> out;
    std::string cursor;
    do {
      HttpResponse r = this->Api("GET", "/v1/audit/entries?category=account_status&limit=100" +
                                            (cursor.empty() ? "" : "&starting_after=" + cursor));
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) break;
      const json::value body = r.Json();
      const json::object& page = body.as_object();
      for (const json::value& v : page.at("data").as_array()) {
        const json::object& e = v.as_object();
        if (Str(e, "subject_type") != "bulk_job" || Str(e, "subject_id") != id) continue;
        EXPECT_EQ(Str(e.at("actor").as_object(), "type"), "api_key");
        const json::value& before = e.at("before");
        std::string from = before.is_object() && before.as_object().contains("state")
                               ? Str(before.as_object(), "state")
                               : "";
        out.push_back(Str(e, "action") + " " + from + ">" +
                      Str(e.at("after").as_object(), "state"));
      }
      cursor = page.at("has_more").as_bool() ? Str(page, "next_cursor") : "";
    } while (!cursor.empty());
    std::reverse(out.begin(), out.end());
    return out;
  }
  // How many jobs the tenant has.
  size_t JobCount() {
    HttpResponse r = this->Api("GET", "/v1/bulk-jobs?limit=100");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().at("data").as_array().size() : 0;
  }
};

class BulkJobs : public BulkCalls<OwnTenant> {
 protected:
  // Runs `sql` on the server's database as its own role would, for the fixture's tenant, with
  // $1 bound to the tenant's id and $2 to `id` (each named in that order).
  void ExecForTenant(const std::string& sql, const std::string& id) {
    const std::string& url = server().database_url();
    if (url.rfind("sqlite:", 0) == 0) {
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open(url.substr(7).c_str(), &db), SQLITE_OK);
      sqlite3_busy_timeout(db, 10000);
      sqlite3_stmt* st = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK)
          << sqlite3_errmsg(db);
      sqlite3_bind_text(st, 1, tenant_.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 2, id.c_str(), -1, SQLITE_TRANSIENT);
      EXPECT_EQ(sqlite3_step(st), SQLITE_DONE) << sqlite3_errmsg(db);
      sqlite3_finalize(st);
      sqlite3_close(db);
      return;
    }
    PGconn* conn = PQconnectdb(url.c_str());
    ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
    const char* scope[] = {tenant_.c_str()};
    PQclear(PQexecParams(conn, "SELECT set_config('switchboard.tenant_id', $1, false)", 1, nullptr,
                         scope, nullptr, nullptr, 0));
    const char* params[] = {tenant_.c_str(), id.c_str()};
    PGresult* r = PQexecParams(conn, sql.c_str(), 2, nullptr, params, nullptr, nullptr, 0);
    EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQerrorMessage(conn);
    PQclear(r);
    PQfinish(conn);
  }
  // The ids of the bulk jobs the supervisor's dashboard shows in progress.
  std::vector<std::string> OnTheDashboard() {
    HttpResponse r = Api("GET", "/v1/kpis/dashboard");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    if (r.status != 200) return ids;
    const json::value body = r.Json();
    for (const json::value& j : body.at("bulk_jobs").as_array()) {
      ids.push_back(Str(j.as_object(), "id"));
    }
    return ids;
  }
};

TEST_P(BulkJobs, SupervisorsSubmitAgentsMayNot) {
  std::vector<std::string> refs = Refs(1);
  std::string body = std::string(kHeader) + SuspendRow(refs[0]);
  ExpectProblem(Upload(body, "", "text/csv", NewKey("agent", "agent")), 403);
  HttpResponse ok = Upload(body, "", "text/csv", NewKey("supervisor", "supervisor"));
  ASSERT_EQ(ok.status, 202) << ok.body;
  EXPECT_EQ(ok.Header("Location"), "/v1/bulk-jobs/" + Str(ok.Json(), "id"));
  EXPECT_EQ(Str(ok.Json(), "file_sha256"), crypto::Hex(crypto::Sha256(body)));
  EXPECT_EQ(Str(WaitFinished(Str(ok.Json(), "id")), "state"), "completed");
  // Another tenant sees nothing of it.
  std::string stranger = NewTenantKey("Stranger");
  for (const char* path : {"", "/events", "/results"}) {
    ExpectProblem(CallAs(stranger, "GET", "/v1/bulk-jobs/" + Str(ok.Json(), "id") + path), 404);
  }
  ExpectProblem(CallAs(stranger, "POST", "/v1/bulk-jobs/" + Str(ok.Json(), "id") + "/cancel"), 404);
  ExpectProblem(Upload(body, "", "application/json"), 415, "Content-Type");
}

// The caller is judged from the header: a client that may not submit is answered before it
// sends the body it announced, and nothing of it is written to disk.
TEST_P(BulkJobs, ACallerWhoMayNotSubmitIsRefusedBeforeTheBodyIsRead) {
  const std::string agent = NewKey("agent", "agent");
  for (const auto& [credentials, status] : std::vector<std::pair<std::string, std::string>>{
           {"", "401"},
           {"Authorization: Bearer sk_not_a_key\r\n", "401"},
           {"Authorization: Bearer " + agent + "\r\n", "403"},
           {"Cookie: __Host-sb_session=" + tenant_ + ".forged\r\n", "401"}}) {
    // 50 MB announced, none sent: only an answer from the header ends this before the read
    // timeout.
    std::string answer = server().client().SendRaw(
        "POST /v1/bulk-jobs HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n" + credentials +
        "Content-Length: 50000000\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 " + status, 0), 0u) << credentials << answer.substr(0, 200);
  }
}

TEST_P(BulkJobs, InvalidRowsAreEachNamedAndNothingIsApplied) {
  std::vector<std::string> refs = Refs(2);
  std::string body =
      std::string("external_ref,type,reason_code,idempotency_key,payload.hold_type\r\n") + refs[0] +
      ",suspension,non_payment,k1,non_payment\r\n" +                 // row 2: fine
      "NO-SUCH-REF,suspension,non_payment,k2,non_payment\r\n" +      // row 3
      refs[1] + ",teleportation,non_payment,k3,non_payment\r\n" +    // row 4
      refs[1] + ",suspension,payment_received,k4,non_payment\r\n" +  // row 5
      refs[1] + ",suspension,non_payment,k1,non_payment\r\n" +       // row 6
      refs[1] + ",suspension,non_payment,k6,4111111111111111\r\n";   // row 7
  HttpResponse r = Upload(body);
  ExpectProblem(r, 422, "", "invalid_rows");
  json::object p = r.Json().as_object();
  EXPECT_EQ(Int(p, "error_count"), 5);
  std::vector<std::tuple<std::int64_t, std::string, std::string>> want = {
      {3, "external_ref", "unknown_account"},
      {4, "type", "unknown_type"},
      {5, "reason_code", "reason_not_allowed"},
      {6, "idempotency_key", "duplicate_idempotency_key"},
      {7, "payload.hold_type", "card_number_refused"},
  };
  std::vector<std::tuple<std::int64_t, std::string, std::string>> got;
  for (const auto& e : p.at("errors").as_array()) {
    got.emplace_back(Int(e, "row"), Str(e, "column"), Str(e, "code"));
  }
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, want);
  EXPECT_EQ(r.body.find("4111111111111111"), std::string::npos);
  // Row 2 was valid, yet nothing of the file ran.
  EXPECT_EQ(JobCount(), 0u);
  LetJobsRun();
  HttpResponse acc = Api("GET", "/v1/accounts?external_ref=" + refs[0]);
  ASSERT_EQ(acc.status, 200) << acc.body;
  EXPECT_EQ(Str(acc.Json().at("data").as_array().at(0), "status"), "active");
}

TEST_P(BulkJobs, DryRunSaysWhatEachRowWouldDoAndAppliesNothing) {
  std::vector<std::string> refs = Refs(3);
  std::string body = kHeader;
  for (const auto& ref : refs) body += SuspendRow(ref);
  HttpResponse r = Upload(body, "?dry_run=true");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Int(r.Json(), "rows"), 3);
  json::value answer = r.Json();
  const json::array& plan = answer.at("plan").as_array();
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(Int(plan[0], "row"), 2);
  EXPECT_EQ(Str(plan[0], "type"), "suspension");
  EXPECT_EQ(Str(plan[0], "action"), "file_request");
  EXPECT_FALSE(Str(plan[2], "account_id").empty());
  LetJobsRun();
  EXPECT_EQ(JobCount(), 0u);
  EXPECT_EQ(Str(Account(Str(plan[0], "account_id")), "status"), "active");
  EXPECT_TRUE(RequestsOfType(Str(plan[0], "account_id"), "suspension").empty());
}

TEST_P(BulkJobs, AJobOfThousandsOfRowsFilesEveryRowWithItsAudit) {
  std::vector<std::string> refs = Refs(1500);
  std::string body = kHeader;
  for (const auto& ref : refs) body += SuspendRow(ref);
  for (const auto& ref : refs) body += SuspendRow(ref, "fraud_review", "fraud_suspected");
  HttpResponse r = Upload(body);
  ASSERT_EQ(r.status, 202) << r.body;
  std::string id = Str(r.Json(), "id");
  EXPECT_EQ(Int(r.Json(), "total_rows"), 3000);
  // An agent's holds and lifts stay quick while the job runs: it yields the shared writer.
  std::string agent = NewKey("agent", "agent");
  std::string other = Str(NewAccount(), "id");
  std::vector<double> waits_ms;
  while (waits_ms.size() < 200 && Str(Job(id), "state") == "running") {
    auto t0 = std::chrono::steady_clock::now();
    HttpResponse placed = CallAs(agent, "POST", "/v1/accounts/" + other + "/holds",
                                 R"({"hold_type":"non_payment"})", {{"X-Reason", "non_payment"}});
    ASSERT_EQ(placed.status, 201) << placed.body;
    HttpResponse lifted =
        CallAs(agent, "POST", "/v1/holds/" + Str(placed.Json().at("hold"), "id") + "/lift", "",
               {{"X-Reason", "payment_received"}});
    ASSERT_EQ(lifted.status, 200) << lifted.body;
    waits_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() /
        2);
  }
  ASSERT_FALSE(waits_ms.empty());
  std::sort(waits_ms.begin(), waits_ms.end());
  double p99 = waits_ms[std::min(waits_ms.size() - 1, waits_ms.size() * 99 / 100)];
  std::cout << "hold/lift during the job: " << waits_ms.size() << " pairs, median "
            << waits_ms[waits_ms.size() / 2] << " ms, p99 " << p99 << " ms\n";
  EXPECT_LT(p99, 1000);
  json::object done = WaitFinished(id, 180);
  EXPECT_EQ(Str(done, "state"), "completed");
  EXPECT_EQ(Int(done, "applied_rows"), 3000);
  EXPECT_EQ(Int(done, "failed_rows"), 0);
  EXPECT_EQ(Int(done, "remaining_rows"), 0);
  EXPECT_GT(done.at("rows_per_second").to_number<double>(), 0);

  auto lines = ResultLines(Results(id));
  ASSERT_EQ(lines.size(), 3000u);
  std::set<std::string> request_ids;
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i][0], std::to_string(i + 2));
    EXPECT_EQ(lines[i][1], "applied") << lines[i][0];
    EXPECT_EQ(lines[i][4], "completed") << lines[i][0];
    request_ids.insert(lines[i][3]);
  }
  EXPECT_EQ(request_ids.size(), 3000u);
  for (size_t i = 0; i < lines.size(); i += 97) {
    json::object q = Request(lines[i][3]);
    EXPECT_EQ(Str(q, "origin"), "bulk");
    EXPECT_EQ(Str(q, "correlation_id"), id);
    HttpResponse audit = Api("GET", "/v1/audit/entries?request_id=" + lines[i][3]);
    ASSERT_EQ(audit.status, 200) << audit.body;
    EXPECT_FALSE(audit.Json().at("data").as_array().empty()) << lines[i][3];
  }
  EXPECT_EQ(Str(Account(lines[0][2]), "status"), "suspended");
  // The job sums itself up once, for the client's systems.
  json::array events = Outbox("limit=100&event_type=bulk_job.completed");
  ASSERT_EQ(events.size(), 1u);
  std::string payload = json::serialize(events[0]);
  EXPECT_NE(payload.find(id), std::string::npos);
  EXPECT_NE(payload.find("3000"), std::string::npos);
}

TEST_P(BulkJobs, RowKeysAreAppliedOnceAcrossJobs) {
  std::vector<std::string> refs = Refs(2);
  std::string header = "external_ref,type,reason_code,idempotency_key,payload.hold_type\r\n";
  std::string first = header + refs[0] + ",suspension,non_payment,once-1,non_payment\r\n";
  HttpResponse a = Upload(first);
  ASSERT_EQ(a.status, 202) << a.body;
  WaitFinished(Str(a.Json(), "id"));
  std::string again = first + refs[1] + ",suspension,non_payment,once-2,non_payment\r\n";
  HttpResponse plan = Upload(again, "?dry_run=true");
  ASSERT_EQ(plan.status, 200) << plan.body;
  EXPECT_EQ(Str(plan.Json().at("plan").as_array().at(0), "action"), "skip");
  HttpResponse b = Upload(again);
  ASSERT_EQ(b.status, 202) << b.body;
  json::object done = WaitFinished(Str(b.Json(), "id"));
  EXPECT_EQ(Int(done, "skipped_rows"), 1);
  EXPECT_EQ(Int(done, "applied_rows"), 1);
  auto lines = ResultLines(Results(Str(b.Json(), "id")));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0][1], "skipped");
  EXPECT_EQ(lines[0][5], "already_applied");
  EXPECT_EQ(RequestsOfType(lines[1][2], "suspension").size(), 1u);
}

// A row the engine refuses for its account as it stands (here a service that is not the
// account's) fails alone when it runs; the others run.
TEST_P(BulkJobs, ARefusedRowFailsAloneAndTheOthersRun) {
  std::vector<std::string> refs = Refs(3);
  std::string body = std::string("external_ref,type,reason_code,service_id,payload.hold_type\r\n") +
                     refs[0] + ",suspension,non_payment,,non_payment\r\n" + refs[1] +
                     ",suspension,non_payment,svc_not_this_accounts,non_payment\r\n" + refs[2] +
                     ",suspension,non_payment,,non_payment\r\n";
  HttpResponse r = Upload(body);
  ASSERT_EQ(r.status, 202) << r.body;
  json::object done = WaitFinished(Str(r.Json(), "id"));
  EXPECT_EQ(Int(done, "applied_rows"), 2);
  EXPECT_EQ(Int(done, "failed_rows"), 1);
  auto lines = ResultLines(Results(Str(r.Json(), "id")));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1][1], "failed");
  EXPECT_EQ(lines[1][6], "service_id");
  EXPECT_EQ(lines[2][1], "applied");
}

// A payload the type's own reader refuses (an unknown hold type, a field suspensions do not
// take) fails the file before anything runs, naming each row and column, in a dry run too;
// each shape of payload is tried once, on its first row.
TEST_P(BulkJobs, APayloadTheEngineRefusesFailsTheFileBeforeAnythingRuns) {
  std::vector<std::string> refs = Refs(4);
  std::string header = "external_ref,type,reason_code,payload.hold_type,payload.note\r\n";
  std::string body = header + refs[0] + ",suspension,non_payment,non_payment,\r\n" +  // row 2
                     refs[1] + ",suspension,non_payment,bogus_type,\r\n" +            // row 3
                     refs[2] + ",suspension,non_payment,bogus_type,\r\n" +            // row 4
                     refs[3] + ",suspension,non_payment,non_payment,hello\r\n";       // row 5
  for (const std::string& query : {std::string("?dry_run=true"), std::string()}) {
    SCOPED_TRACE(query);
    HttpResponse r = Upload(body, query);
    ExpectProblem(r, 422, "", "invalid_rows");
    json::object p = r.Json().as_object();
    EXPECT_EQ(Int(p, "error_count"), 3) << r.body;
    std::vector<std::pair<std::int64_t, std::string>> got;
    for (const auto& e : p.at("errors").as_array()) {
      got.emplace_back(Int(e, "row"), Str(e, "column"));
    }
    std::sort(got.begin(), got.end());
    std::vector<std::pair<std::int64_t, std::string>> want = {
        {3, "payload.hold_type"}, {4, "payload.hold_type"}, {5, "payload.note"}};
    EXPECT_EQ(got, want) << r.body;
  }
  EXPECT_EQ(JobCount(), 0u);
  LetJobsRun();
  for (const std::string& ref : refs) {
    HttpResponse acc = Api("GET", "/v1/accounts?external_ref=" + ref);
    ASSERT_EQ(acc.status, 200) << acc.body;
    EXPECT_EQ(Str(acc.Json().at("data").as_array().at(0), "status"), "active") << ref;
  }
}

TEST_P(BulkJobs, SubmittingAgainWithTheSameKeyReplaysTheJob) {
  std::vector<std::string> refs = Refs(1);
  std::string body = std::string(kHeader) + SuspendRow(refs[0]);
  Headers h = {{"Content-Type", "text/csv"}, {"Idempotency-Key", "bulk-once-" + refs[0]}};
  HttpResponse a = Api("POST", "/v1/bulk-jobs", body, h);
  ASSERT_EQ(a.status, 202) << a.body;
  HttpResponse b = Api("POST", "/v1/bulk-jobs", body, h);
  ASSERT_EQ(b.status, 202) << b.body;
  EXPECT_EQ(b.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(Str(a.Json(), "id"), Str(b.Json(), "id"));
  ExpectProblem(Api("POST", "/v1/bulk-jobs", body + SuspendRow(refs[0]), h), 422);
  EXPECT_EQ(JobCount(), 1u);
}

TEST_P(BulkJobs, HostileFilesAreRefusedNamingRowAndColumn) {
  std::vector<std::string> refs = Refs(1);
  std::string ok_row = SuspendRow(refs[0]);
  struct Case {
    std::string name;
    std::string body;
    std::string type;
    int status;
    std::int64_t row;
    std::string column;
    std::string code;
  };
  std::string wide;  // 253 columns before the 4 of kHeader
  for (int i = 1; i <= 253; ++i) wide += "c" + std::to_string(i) + ",";
  std::vector<Case> cases = {
      {"quote", std::string(kHeader) + ok_row + refs[0] + ",suspension,non\"payment,x\r\n",
       "text/csv", 400, 3, "reason_code", "quote_in_unquoted_field"},
      {"unterminated", std::string(kHeader) + ok_row + refs[0] + ",\"suspension\r\n", "text/csv",
       400, 3, "type", "unterminated_quote"},
      {"utf8", std::string(kHeader) + refs[0] + ",suspension,non_payment,\xC3\x28\r\n", "text/csv",
       400, 2, "payload.hold_type", "invalid_utf8"},
      {"unknown column", "external_ref,type,reason_code,colour\r\n" + ok_row, "text/csv", 400, 1,
       "colour", "unknown_column"},
      {"missing column", "external_ref,type\r\n" + refs[0] + ",suspension\r\n", "text/csv", 400, 1,
       "reason_code", "missing_column"},
      {"10 MB field",
       std::string(kHeader) + refs[0] + ",suspension,non_payment," +
           std::string(10 * 1024 * 1024, 'x') + "\r\n",
       "text/csv", 400, 2, "payload.hold_type", "field_too_large"},
      {"a million empty lines", std::string(kHeader) + ok_row + std::string(1000000, '\n'),
       "text/csv", 400, 1000002, "", "too_many_rows"},
      {"json line", "{\"external_ref\":\"" + refs[0] + "\",\"colour\":\"red\"}\n",
       "application/x-ndjson", 422, 1, "colour", "unknown_field"},
      {"no header", "", "text/csv", 400, 1, "", "missing_header"},
      {"columns without a name", "external_ref,type,reason_code,payload.hold_type,,\r\n" + ok_row,
       "text/csv", 400, 1, "column 5", "unnamed_column"},
      {"a trailing comma", "external_ref,type,reason_code,\r\n" + ok_row, "text/csv", 400, 1,
       "column 4", "unnamed_column"},
      {"257 columns", wide + kHeader, "text/csv", 400, 1, "column 257", "too_many_fields"},
  };
  // A card number as a column's name, in any notation, is never carried back.
  for (std::string card : {"4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111"}) {
    cases.push_back({"card column " + card, "external_ref,type,reason_code," + card + "\r\n",
                     "text/csv", 400, 1, "[card number removed]", "unknown_column"});
    cases.push_back({"card field " + card, "{\"external_ref\":\"x\",\"" + card + "\":\"x\"}\n",
                     "application/x-ndjson", 422, 1, "[card number removed]",
                     "card_number_refused"});
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    HttpResponse r = Upload(c.body, "", c.type);
    ASSERT_EQ(r.status, c.status) << r.body.substr(0, 400);
    json::value answer = r.Json();
    ASSERT_TRUE(answer.is_object() && answer.as_object().contains("errors"))
        << r.body.substr(0, 400);
    const json::value& e = answer.at("errors").as_array().at(0);
    EXPECT_EQ(Int(e, "row"), c.row);
    EXPECT_EQ(Str(e, "column"), c.column);
    EXPECT_EQ(Str(e, "code"), c.code);
    EXPECT_EQ(Str(answer, "param"), c.column);
    std::string detail = Str(answer, "detail");
    EXPECT_NE(detail.find(c.column), std::string::npos) << detail;
    EXPECT_EQ(detail.find("column column"), std::string::npos) << detail;
    EXPECT_EQ(r.body.find("4111"), std::string::npos) << r.body;
  }
  EXPECT_EQ(JobCount(), 0u);
  HttpResponse acc = Api("GET", "/v1/accounts?external_ref=" + refs[0]);
  ASSERT_EQ(acc.status, 200) << acc.body;
  std::string account = Str(acc.Json().at("data").as_array().at(0), "id");
  EXPECT_TRUE(RequestsOfType(account, "suspension").empty());
}

TEST_P(BulkJobs, SpreadsheetOutputIsRead) {
  std::vector<std::string> refs = Refs(2);
  std::string body =
      "\xEF\xBB\xBF" +
      std::string("external_ref,type,reason_code,payload.hold_type,payload.owner\r\n") + refs[0] +
      ",suspension,non_payment,non_payment,\"two, parts\"\r\n" + refs[1] +
      ",suspension,non_payment,non_payment,\"a\r\nline \"\"quoted\"\"\"\r\n";
  HttpResponse r = Upload(body, "?dry_run=true");
  // The quoted fields, commas and line breaks in them, are read whole: the holds' owners.
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Int(r.Json(), "rows"), 2);
  std::string lines = "{\"external_ref\":\"" + refs[0] +
                      "\",\"type\":\"suspension\",\"reason_code\":\"non_payment\","
                      "\"payload\":{\"hold_type\":\"non_payment\"}}\r\n";
  HttpResponse nd = Upload(lines, "", "application/x-ndjson");
  ASSERT_EQ(nd.status, 202) << nd.body;
  EXPECT_EQ(Int(WaitFinished(Str(nd.Json(), "id")), "applied_rows"), 1);
}

TEST_P(BulkJobs, TheCommandLineSubmitsWaitsAndPrintsResults) {
  std::vector<std::string> refs = Refs(3);
  std::string path = ::testing::TempDir() + "bulk-cli-" + refs[0] + ".csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << kHeader;
    for (const auto& ref : refs) out << SuspendRow(ref);
  }
  std::string plan = server().RunCli({"bulk", "submit", path, "--tenant", tenant_, "--dry-run"});
  EXPECT_NE(plan.find("\"action\":\"file_request\""), std::string::npos) << plan;
  EXPECT_EQ(JobCount(), 0u);
  std::string out = server().RunCli({"bulk", "submit", path, "--tenant", tenant_, "--wait"});
  std::string id = out.substr(0, out.find('\n'));
  ASSERT_EQ(id.rfind("blk_", 0), 0u) << out;
  EXPECT_NE(out.find(id + " completed total=3 applied=3 failed=0"), std::string::npos) << out;
  std::string results = server().RunCli({"bulk", "results", id, "--tenant", tenant_});
  auto lines = ResultLines(results);
  ASSERT_EQ(lines.size(), 3u) << results;
  for (const auto& l : lines) EXPECT_EQ(l[1], "applied");
  std::string status = server().RunCli({"bulk", "status", id, "--tenant", tenant_});
  EXPECT_EQ(status.rfind(id + " completed", 0), 0u) << status;
  // A file with a bad row stores nothing and exits non-zero (RunCli then gives "").
  {
    std::ofstream out(path, std::ios::binary);
    out << kHeader << "NO-SUCH-REF,suspension,non_payment,non_payment\r\n";
  }
  EXPECT_EQ(server().RunCli({"bulk", "submit", path, "--tenant", tenant_}), "");
  EXPECT_EQ(JobCount(), 1u);
  std::remove(path.c_str());
}

// A server killed while a valid upload's rows were being stored leaves its job loading with the
// rows stored so far pending (made here by writing the database as such a kill leaves it). It
// cannot run, so it is cancelled: it then leaves the dashboard's jobs in progress, for good.
TEST_P(BulkJobs, AJobLeftLoadingByAKilledServerIsCancelled) {
  std::vector<std::string> refs = Refs(3);
  std::string body = kHeader;
  for (const auto& ref : refs) body += SuspendRow(ref);
  HttpResponse r = Upload(body);
  ASSERT_EQ(r.status, 202) << r.body;
  std::string id = Str(r.Json(), "id");
  WaitFinished(id);
  ExecForTenant(
      "UPDATE bulk_jobs SET state = 'loading', applied_rows = 0, failed_rows = 0, "
      "skipped_rows = 0, started_at = NULL, finished_at = NULL, running_since = NULL, "
      "active_ms = 0 WHERE tenant_id = $1 AND id = $2",
      id);
  ExecForTenant(
      "UPDATE bulk_job_rows SET state = 'pending', request_id = '', request_state = '' "
      "WHERE tenant_id = $1 AND job_id = $2",
      id);
  json::object loading = Job(id);
  ASSERT_EQ(Str(loading, "state"), "loading");
  EXPECT_EQ(OnTheDashboard(), std::vector<std::string>{id});
  ExpectProblem(Api("POST", "/v1/bulk-jobs/" + id + "/pause"), 409, "", "bulk_job_loading");
  ExpectProblem(Api("POST", "/v1/bulk-jobs/" + id + "/resume"), 409, "", "bulk_job_loading");
  HttpResponse cancelled = Api("POST", "/v1/bulk-jobs/" + id + "/cancel");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Str(cancelled.Json(), "state"), "cancelled");
  EXPECT_EQ(Int(cancelled.Json(), "remaining_rows"), 0);
  EXPECT_EQ(Int(cancelled.Json(), "cancelled_rows"), 3);
  EXPECT_EQ(OnTheDashboard(), std::vector<std::string>{});
  LetJobsRun();
  EXPECT_EQ(Str(Job(id), "state"), "cancelled");
  for (const auto& l : ResultLines(Results(id))) EXPECT_EQ(l[1], "cancelled") << l[0];
  ExpectProblem(Api("POST", "/v1/bulk-jobs/" + id + "/resume"), 409, "", "bulk_job_finished");
  EXPECT_EQ(JobAudit(id), (std::vector<std::string>{"bulk_job.submitted >running",
                                                    "bulk_job.cancelled loading>cancelled"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, BulkJobs, ::testing::ValuesIn(Backends()), BackendName);

// A server of its own whose job runs slowly (small slices, long yields) and whose job leases
// are short, so that a job can be paused, cancelled or killed in its middle.
std::string SlowBulkConfig() {
  return TestServerConfig() +
         "limits:\n  max_upload_bytes: 200000\n"
         "jobs:\n  lease_seconds: 2\nbulk:\n  rows_per_transaction: 2\n  slice_ms: 10\n"
         "  yield_ms: 400\nthreads:\n  streams: 8\n";
}

class SlowBulk : public BulkCalls<ServerTest> {
 protected:
  SlowBulk() : BulkCalls<ServerTest>(Server::kOwn, SlowBulkConfig()) {}

  // A job suspending `rows` new accounts; its id.
  std::string SlowJob(int rows) {
    std::vector<std::string> refs = Refs(rows);
    std::string body = kHeader;
    for (const auto& ref : refs) body += SuspendRow(ref);
    HttpResponse r = Upload(body);
    EXPECT_EQ(r.status, 202) << r.body;
    return Str(r.Json(), "id");
  }
  static bool Started(const json::object& j) { return Int(j, "done_rows") > 0; }
};

TEST_P(SlowBulk, PauseHoldsTheJobAndResumeFinishesIt) {
  std::string id = SlowJob(60);
  WaitFor(id, Started);
  HttpResponse paused = Api("POST", "/v1/bulk-jobs/" + id + "/pause");
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(Str(paused.Json(), "state"), "paused");
  EXPECT_EQ(paused.Json().at("eta_seconds"), json::value(nullptr));
  std::int64_t at_pause = Int(Job(id), "done_rows");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(Int(Job(id), "done_rows"), at_pause);
  EXPECT_LT(at_pause, 60);
  ASSERT_EQ(Api("POST", "/v1/bulk-jobs/" + id + "/pause").status, 200);  // changes nothing
  HttpResponse resumed = Api("POST", "/v1/bulk-jobs/" + id + "/resume");
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(Str(resumed.Json(), "state"), "running");
  json::object done = WaitFinished(id);
  EXPECT_EQ(Str(done, "state"), "completed");
  EXPECT_EQ(Int(done, "applied_rows"), 60);
  ExpectProblem(Api("POST", "/v1/bulk-jobs/" + id + "/resume"), 409, "", "bulk_job_finished");
  // Who started, paused and resumed it is in the audit log; the pause that changed nothing and
  // the refused resume are not.
  EXPECT_EQ(JobAudit(id), (std::vector<std::string>{"bulk_job.submitted >running",
                                                    "bulk_job.paused running>paused",
                                                    "bulk_job.resumed paused>running"}));
}

TEST_P(SlowBulk, CancelLeavesTheRestUnapplied) {
  std::string id = SlowJob(60);
  WaitFor(id, Started);
  HttpResponse cancelled = Api("POST", "/v1/bulk-jobs/" + id + "/cancel");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Str(cancelled.Json(), "state"), "cancelled");
  std::int64_t applied = Int(cancelled.Json(), "applied_rows");
  // Nothing remains of a cancelled job: the rows it never ran are counted as cancelled.
  EXPECT_EQ(Int(cancelled.Json(), "remaining_rows"), 0);
  EXPECT_EQ(Int(cancelled.Json(), "cancelled_rows"), 60 - Int(cancelled.Json(), "done_rows"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  json::object after = Job(id);
  EXPECT_EQ(Int(after, "applied_rows"), applied);
  EXPECT_EQ(Int(after, "remaining_rows"), 0);
  EXPECT_FALSE(Str(after, "finished_at").empty());
  auto lines = ResultLines(Results(id));
  ASSERT_EQ(lines.size(), 60u);
  std::int64_t applied_lines = 0, cancelled_lines = 0;
  for (const auto& l : lines) {
    if (l[1] == "applied") {
      ++applied_lines;
      EXPECT_EQ(Str(Account(l[2]), "status"), "suspended");
    } else {
      EXPECT_EQ(l[1], "cancelled");
      EXPECT_EQ(Str(Account(l[2]), "status"), "active");
      ++cancelled_lines;
    }
  }
  EXPECT_EQ(applied_lines, applied);
  EXPECT_GT(cancelled_lines, 0);
  EXPECT_EQ(Int(after, "cancelled_rows"), cancelled_lines);
  HttpResponse listed = Api("GET", "/v1/bulk-jobs?limit=1");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(Int(listed.Json().at("data").as_array().at(0).as_object(), "cancelled_rows"),
            cancelled_lines);
  HttpResponse stream = Api("GET", "/v1/bulk-jobs/" + id + "/events");
  ASSERT_EQ(stream.status, 200);
  EXPECT_NE(stream.body.find("\"cancelled_rows\":" + std::to_string(cancelled_lines)),
            std::string::npos)
      << stream.body;
  std::string status = server().RunCli({"bulk", "status", id, "--tenant", tenant_});
  EXPECT_NE(status.find(" cancelled=" + std::to_string(cancelled_lines) + " remaining=0 "),
            std::string::npos)
      << status;
  // The client's systems learn that the job is over, as they do of a completed one.
  json::array events = Outbox("limit=100&event_type=bulk_job.completed");
  ASSERT_EQ(events.size(), 1u);
  const json::object& data = events[0].at("payload").at("data").as_object();
  EXPECT_EQ(Str(data, "id"), id);
  EXPECT_EQ(Str(data, "state"), "cancelled");
  EXPECT_EQ(Int(data, "applied_rows"), applied);
  EXPECT_EQ(Int(data, "cancelled_rows"), cancelled_lines);
  ExpectProblem(Api("POST", "/v1/bulk-jobs/" + id + "/resume"), 409, "", "bulk_job_finished");
  EXPECT_EQ(JobAudit(id), (std::vector<std::string>{"bulk_job.submitted >running",
                                                    "bulk_job.cancelled running>cancelled"}));
}

TEST_P(SlowBulk, KilledServerResumesTheJobWithoutApplyingARowTwice) {
  std::string id = SlowJob(80);
  WaitFor(id, Started);
  ASSERT_TRUE(server().KillAndRestart());
  json::object done = WaitFinished(id, 120);
  EXPECT_EQ(Str(done, "state"), "completed");
  EXPECT_EQ(Int(done, "applied_rows"), 80);
  EXPECT_EQ(Int(done, "failed_rows"), 0);
  auto lines = ResultLines(Results(id));
  ASSERT_EQ(lines.size(), 80u);
  for (const auto& l : lines) {
    EXPECT_EQ(l[1], "applied") << l[0];
    // One suspension per account: the row killed mid-way was not filed twice.
    std::vector<std::string> suspensions;
    for (const auto& q : Requests(l[2])) {
      if (Str(q, "type") == "suspension") suspensions.push_back(Str(q, "id"));
    }
    EXPECT_EQ(suspensions, std::vector<std::string>{l[3]}) << l[2];
  }
}

TEST_P(SlowBulk, ProgressStreamsAsServerSentEventsUntilTheJobEnds) {
  std::string id = SlowJob(30);
  HttpResponse stream = Api("GET", "/v1/bulk-jobs/" + id + "/events");
  ASSERT_EQ(stream.status, 200) << stream.body;
  EXPECT_EQ(stream.Header("Content-Type"), "text/event-stream");
  std::vector<json::object> events;
  std::istringstream in(stream.body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("data: ", 0) == 0) events.push_back(json::parse(line.substr(6)).as_object());
  }
  ASSERT_GE(events.size(), 3u) << stream.body;
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_GE(Int(events[i], "done_rows"), Int(events[i - 1], "done_rows"));
  }
  EXPECT_EQ(Str(events.back(), "state"), "completed");
  EXPECT_EQ(Int(events.back(), "done_rows"), 30);
  // A finished job's stream is its last state, at once.
  HttpResponse again = Api("GET", "/v1/bulk-jobs/" + id + "/events");
  ASSERT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("\"state\":\"completed\""), std::string::npos);
}

// A live progress stream lasts as long as its watcher: eight of them open at once on a
// paused job still leave an account read and a write answering at once (a streamed answer
// holds a thread of its own pool, ServerOptions::stream_threads, here 8); a ninth watcher is
// told to come back later (503, Retry-After) rather than kept waiting or let take a thread
// writes need.
TEST_P(SlowBulk, OpenProgressStreamsLeaveReadsAndWritesAnswering) {
  namespace asio = boost::asio;
  std::string account = Str(NewAccount(), "id");
  std::string id = SlowJob(60);
  WaitFor(id, Started);
  ASSERT_EQ(Api("POST", "/v1/bulk-jobs/" + id + "/pause").status, 200);
  asio::io_context io;
  std::vector<std::unique_ptr<asio::ip::tcp::socket>> watchers;
  const std::string watch = "GET /v1/bulk-jobs/" + id +
                            "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key_ +
                            "\r\n\r\n";
  auto open_watcher = [&](std::string* head_text) {
    auto s = std::make_unique<asio::ip::tcp::socket>(io);
    s->connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(server().port())});
    asio::write(*s, asio::buffer(watch));
    asio::streambuf head;
    asio::read_until(*s, head, "\r\n\r\n");
    *head_text = std::string(asio::buffers_begin(head.data()), asio::buffers_end(head.data()));
    return s;
  };
  for (int i = 0; i < 8; ++i) {
    std::string head;
    watchers.push_back(open_watcher(&head));
    ASSERT_EQ(head.substr(0, 12), "HTTP/1.1 200") << "watcher " << i;
  }
  std::string ninth;
  auto refused = open_watcher(&ninth);
  EXPECT_EQ(ninth.substr(0, 12), "HTTP/1.1 503") << ninth;
  EXPECT_NE(ninth.find("Retry-After: 5"), std::string::npos) << ninth;
  auto start = std::chrono::steady_clock::now();
  HttpResponse read = Api("GET", "/v1/accounts/" + account);
  HttpResponse write =
      Api("POST", "/v1/accounts/" + account + "/holds", R"({"hold_type":"voluntary_pause"})",
          {{"X-Reason", "customer_request"}});
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(write.status, 201) << write.body;
  EXPECT_LT(took, std::chrono::seconds(2));
  for (int i = 0; i < 8; ++i) EXPECT_EQ(Api("GET", "/v1/bulk-jobs/" + id).status, 200);
  // Once the streams end (the job is cancelled), their places are taken again.
  ASSERT_EQ(Api("POST", "/v1/bulk-jobs/" + id + "/cancel").status, 200);
  EXPECT_TRUE(Eventually([&] {
    std::string head;
    auto again = open_watcher(&head);
    return head.substr(0, 12) == "HTTP/1.1 200";
  }));
}

TEST_P(SlowBulk, AnUploadOverTheLimitIsRefusedAndNoUploadStaysOnDisk) {
  std::string big = std::string(kHeader) + std::string(300000, 'x') + "\r\n";
  ExpectProblem(Upload(big), 413, "", "body_too_large");
  std::string id = SlowJob(3);
  WaitFinished(id);
  ExpectProblem(Upload(std::string(kHeader) + "NO-SUCH-REF,suspension,non_payment,x\r\n"), 422);
  std::string log = server().log_path();
  std::filesystem::path uploads = std::filesystem::path(log).parent_path() / "uploads";
  ASSERT_TRUE(std::filesystem::is_directory(uploads));
  // The spooled file goes once the answer is made, which may be just after the client read it.
  EXPECT_TRUE(Eventually([&] { return std::filesystem::is_empty(uploads); }));
}

INSTANTIATE_TEST_SUITE_P(Backends, SlowBulk, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
