// Reports: accounts' region, the streamed requests and audit exports (every row checked, on
// both backends), the audit list's time and actor filters, and KPIs broken down by group.

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/tenant_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

constexpr const char* kRequestsHeader =
    "id,created_at,updated_at,completed_at,due_at,type,state,origin,channel,priority,account_id,"
    "region,service_id,actor_type,actor_id,actor_role,reason_code,assignee,sla_status,"
    "correlation_id";

// The lines of a CSV answer without their CRLF; fails the test on a bare LF line end.
std::vector<std::string> Lines(const std::string& body, bool crlf) {
  std::vector<std::string> out;
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line)) {
    if (crlf) {
      EXPECT_TRUE(!line.empty() && line.back() == '\r') << line;
      if (!line.empty() && line.back() == '\r') line.pop_back();
    }
    out.push_back(line);
  }
  return out;
}

// A CSV line's cells (the exports quote only cells with a comma, quote or line break; the tests
// read lines without any).
std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream ls(line);
  std::string c;
  while (std::getline(ls, c, ',')) cells.push_back(c);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

class ReportExports : public OwnTenant {
 protected:
  std::string WindowQuery() { return "from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"; }
  std::string NewRegionAccount(const std::string& region) {
    json::object extra;
    if (!region.empty()) extra["region"] = region;
    return Str(NewAccount(extra), "id");
  }
  // Places a non_payment hold; the suspension request's id ("" on failure).
  std::string Suspend(const std::string& key, const std::string& account,
                      const std::string& request_id = "") {
    Headers h{{"X-Reason", "non_payment"}};
    if (!request_id.empty()) h.push_back({"X-Request-Id", request_id});
    HttpResponse r = CallAs(key, "POST", "/v1/accounts/" + account + "/holds",
                            R"({"hold_type":"non_payment"})", h);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.Json(), "id") : "";
  }
};

TEST_P(ReportExports, AccountsCarryTheirRegionAndListByIt) {
  std::string eu = NewRegionAccount("eu-west");
  std::string none = NewRegionAccount("");
  EXPECT_EQ(Str(Account(eu), "region"), "eu-west");
  EXPECT_TRUE(Account(none).at("region").is_null());
  HttpResponse list = Api("GET", "/v1/accounts?region=eu-west");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.Json().at("data").as_array().size(), 1u);
  EXPECT_EQ(Str(list.Json().at("data").as_array()[0], "id"), eu);
  ExpectProblem(Api("POST", "/v1/accounts",
                    R"x({"external_ref":")x" + NewRef() + R"x(","region":"=cmd()"})x"),
                400, "region");
  ExpectProblem(Api("GET", "/v1/accounts?region=a%20b"), 400, "region");
}

// A few thousand requests over two regions, streamed out in pages and every row checked.
TEST_P(ReportExports, RequestsExportStreamsEveryMatchingRow) {
  std::map<std::string, std::string> region_of;  // account -> region
  std::vector<std::string> accounts;
  for (int i = 0; i < 24; ++i) {
    std::string region = i % 2 == 0 ? "eu-west" : "us-east";
    std::string id = NewRegionAccount(region);
    region_of[id] = region;
    accounts.push_back(id);
  }
  constexpr int kPerAccount = 100;
  std::mutex mu;
  std::set<std::string> ids;
  std::vector<std::thread> workers;
  for (int w = 0; w < 8; ++w) {
    workers.emplace_back([&, w] {
      for (size_t a = w; a < accounts.size(); a += 8) {
        for (int i = 0; i < kPerAccount; ++i) {
          std::string id = Suspend(key_, accounts[a]);
          std::lock_guard<std::mutex> lock(mu);
          ids.insert(id);
        }
      }
    });
  }
  for (auto& t : workers) t.join();
  ASSERT_EQ(ids.size(), accounts.size() * kPerAccount);

  HttpResponse csv = Api("GET", "/v1/reports/requests?" + WindowQuery() + "&type=suspension");
  ASSERT_EQ(csv.status, 200) << csv.body.substr(0, 500);
  EXPECT_EQ(csv.Header("Content-Type"), "text/csv; charset=utf-8");
  std::vector<std::string> lines = Lines(csv.body, /*crlf=*/true);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], kRequestsHeader);
  std::set<std::string> seen;
  std::string previous_created;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> c = Cells(lines[i]);
    ASSERT_EQ(c.size(), 20u) << lines[i];
    EXPECT_TRUE(ids.count(c[0])) << lines[i];
    EXPECT_TRUE(seen.insert(c[0]).second) << "twice: " << c[0];
    EXPECT_EQ(c[5], "suspension");
    EXPECT_EQ(c[6], "completed");
    EXPECT_EQ(c[11], region_of[c[10]]) << lines[i];
    EXPECT_EQ(c[13], "api_key");
    if (!previous_created.empty()) {
      EXPECT_LE(c[1], previous_created) << "newest first";
    }
    previous_created = c[1];
  }
  EXPECT_EQ(seen, ids);

  // One region, as JSON lines.
  HttpResponse eu = Api("GET", "/v1/reports/requests?" + WindowQuery() +
                                   "&type=suspension&region=eu-west&format=jsonl");
  ASSERT_EQ(eu.status, 200) << eu.body.substr(0, 500);
  EXPECT_EQ(eu.Header("Content-Type"), "application/x-ndjson");
  size_t eu_rows = 0;
  for (const std::string& line : Lines(eu.body, /*crlf=*/false)) {
    json::value row = json::parse(line);
    EXPECT_EQ(Str(row, "region"), "eu-west");
    EXPECT_EQ(region_of[Str(row, "account_id")], "eu-west");
    EXPECT_TRUE(ids.count(Str(row, "id")));
    ++eu_rows;
  }
  EXPECT_EQ(eu_rows, ids.size() / 2);

  // The same through Accept, narrowed by state and origin to nothing.
  HttpResponse none = Api("GET", "/v1/reports/requests?" + WindowQuery() + "&state=rejected", "",
                          {{"Accept", "application/x-ndjson"}});
  ASSERT_EQ(none.status, 200);
  EXPECT_EQ(none.body, "");
}

TEST_P(ReportExports, CsvCellsCannotRunAsFormulas) {
  std::string account = NewRegionAccount("eu-west");
  // X-Request-Id becomes the correlation id, and may start with '-'.
  std::string id = Suspend(key_, account, "-1-1");
  ASSERT_FALSE(id.empty());
  HttpResponse csv = Api("GET", "/v1/reports/requests?" + WindowQuery() + "&type=suspension");
  ASSERT_EQ(csv.status, 200);
  std::vector<std::string> lines = Lines(csv.body, /*crlf=*/true);
  ASSERT_EQ(lines.size(), 2u) << csv.body;
  EXPECT_EQ(Cells(lines[1])[19], "'-1-1");
  // JSON lines carry the value as it is: no spreadsheet reads them.
  HttpResponse jsonl = Api("GET", "/v1/reports/requests?" + WindowQuery() + "&format=jsonl");
  EXPECT_NE(jsonl.body.find("\"correlation_id\":\"-1-1\""), std::string::npos);
}

TEST_P(ReportExports, KpisBreakDownByRegionOriginChannelAndAgent) {
  std::string eu = NewRegionAccount("eu-west");
  std::string us = NewRegionAccount("us-east");
  for (int i = 0; i < 3; ++i) Suspend(key_, eu);
  Suspend(key_, us);
  Timestamp t = ServerNowSeconds();
  std::string q = "/v1/kpis?from=" + FormatRfc3339((t - 3600) * 1000) +
                  "&to=" + FormatRfc3339((t + 3600) * 1000);
  HttpResponse r = Api("GET", q + "&group_by=region");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value answer = r.Json();
  const json::object& groups = answer.at("groups").as_object();
  // Each account's activation and its suspensions.
  EXPECT_EQ(Int(groups.at("eu-west"), "volume"), 4);
  EXPECT_EQ(Int(groups.at("eu-west"), "completed"), 4);
  EXPECT_EQ(groups.at("eu-west").at("success_rate").as_double(), 1.0);
  EXPECT_EQ(Int(groups.at("us-east"), "volume"), 2);
  for (const char* by : {"origin", "channel", "agent"}) {
    HttpResponse g = Api("GET", q + "&group_by=" + by);
    ASSERT_EQ(g.status, 200) << g.body;
    std::int64_t total = 0;
    json::value grouped = g.Json();
    for (const auto& [key, k] : grouped.at("groups").as_object()) total += Int(k, "volume");
    EXPECT_GE(total, 4) << by;
  }
  ExpectProblem(Api("GET", q + "&group_by=teams"), 400, "group_by");
}

TEST_P(ReportExports, BadFiltersAreNamedAndRolesAreKept) {
  std::string base = "/v1/reports/requests?";
  ExpectProblem(Api("GET", base + "to=2100-01-01T00:00:00Z"), 400, "from");
  ExpectProblem(Api("GET", base + "from=yesterday&to=2100-01-01T00:00:00Z"), 400, "from");
  ExpectProblem(Api("GET", base + "from=2100-01-01T00:00:00Z&to=2000-01-01T00:00:00Z"), 400, "to");
  ExpectProblem(Api("GET", base + WindowQuery() + "&type=teleportation"), 400, "type");
  ExpectProblem(Api("GET", base + WindowQuery() + "&state=asleep"), 400, "state");
  ExpectProblem(Api("GET", base + WindowQuery() + "&origin=moon"), 400, "origin");
  ExpectProblem(Api("GET", base + WindowQuery() + "&channel=pigeon"), 400, "channel");
  ExpectProblem(Api("GET", base + WindowQuery() + "&region=%3Dx"), 400, "region");
  ExpectProblem(Api("GET", base + WindowQuery() + "&format=xlsx"), 400, "format");
  ExpectProblem(Api("GET", "/v1/reports/audit-entries?" + WindowQuery() + "&category=gossip"), 400,
                "category");
  ExpectProblem(Api("GET", "/v1/reports/audit-entries?from=2000-01-01T00:00:00Z"), 400, "to");
  ExpectProblem(Api("GET", "/v1/audit/entries?from=soon"), 400, "from");

  std::string agent = NewKey("agent", "agent");
  std::string supervisor = NewKey("supervisor", "supervisor");
  std::string auditor = NewKey("auditor", "auditor");
  ExpectProblem(CallAs(agent, "GET", base + WindowQuery()), 403);
  EXPECT_EQ(CallAs(supervisor, "GET", base + WindowQuery()).status, 200);
  ExpectProblem(CallAs(supervisor, "GET", "/v1/reports/audit-entries?" + WindowQuery()), 403);
  EXPECT_EQ(CallAs(auditor, "GET", "/v1/reports/audit-entries?" + WindowQuery()).status, 200);
}

// Audit entries by actor and time, in the list and in the export; the export shows no
// before/after image.
TEST_P(ReportExports, AuditEntriesFilterByActorAndTime) {
  std::string agent = NewKey("agent", "agent");
  std::string agent_id = Str(CallAs(agent, "GET", "/v1/whoami").Json(), "key_id");
  std::string account = NewRegionAccount("eu-west");
  std::string request = Suspend(agent, account);
  ASSERT_FALSE(request.empty());

  HttpResponse list = Api("GET", "/v1/audit/entries?limit=100&actor_id=" + agent_id);
  ASSERT_EQ(list.status, 200) << list.body;
  json::value listed = list.Json();
  const json::array& entries = listed.at("data").as_array();
  ASSERT_FALSE(entries.empty());
  for (const auto& e : entries) EXPECT_EQ(Str(e.at("actor"), "id"), agent_id);
  EXPECT_EQ(Api("GET", "/v1/audit/entries?actor_id=key_nobody").Json().at("data").as_array().size(),
            0u);
  EXPECT_EQ(
      Api("GET", "/v1/audit/entries?to=2001-01-01T00:00:00Z").Json().at("data").as_array().size(),
      0u);
  EXPECT_EQ(Api("GET", "/v1/audit/entries?limit=100&from=2001-01-01T00:00:00Z&actor_id=" + agent_id)
                .Json()
                .at("data")
                .as_array()
                .size(),
            entries.size());

  HttpResponse csv =
      Api("GET", "/v1/reports/audit-entries?" + WindowQuery() + "&actor_id=" + agent_id);
  ASSERT_EQ(csv.status, 200) << csv.body;
  std::vector<std::string> lines = Lines(csv.body, /*crlf=*/true);
  ASSERT_EQ(lines.size(), entries.size() + 1);
  EXPECT_EQ(lines[0],
            "id,created_at,category,action,actor_type,actor_id,actor_role,channel,reason_code,"
            "request_id,correlation_id,subject_type,subject_id,account_id,leaf_index");
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> c = Cells(lines[i]);
    ASSERT_EQ(c.size(), 15u) << lines[i];
    EXPECT_EQ(c[0], Str(entries[i - 1], "id"));
    EXPECT_EQ(c[5], agent_id);
  }
  HttpResponse jsonl = Api("GET", "/v1/reports/audit-entries?" + WindowQuery() +
                                      "&format=jsonl&category=account_status");
  ASSERT_EQ(jsonl.status, 200);
  for (const std::string& line : Lines(jsonl.body, /*crlf=*/false)) {
    json::value e = json::parse(line);
    EXPECT_EQ(Str(e, "category"), "account_status");
    EXPECT_FALSE(e.as_object().contains("before"));
    EXPECT_FALSE(e.as_object().contains("after"));
  }
}

// The supervisor's dashboard, as a page polling it reads it.
TEST_P(ReportExports, TheDashboardShowsTheLastDayAndTheBacklog) {
  std::string supervisor = NewKey("supervisor", "supervisor");
  std::string account = NewRegionAccount("eu-west");
  for (int i = 0; i < 3; ++i) Suspend(key_, account);
  // A profile update that waits for the customer stays in the backlog.
  HttpResponse waiting = Api("POST", "/v1/requests",
                             R"({"type":"personal_info_update","account_id":")" + account +
                                 R"(","payload":{"name":"New Name"}})",
                             {{"X-Reason", "customer_request"}});
  ASSERT_EQ(waiting.status, 201) << waiting.body;

  ExpectProblem(CallAs(NewKey("agent", "agent"), "GET", "/v1/kpis/dashboard"), 403);
  HttpResponse r = CallAs(supervisor, "GET", "/v1/kpis/dashboard");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value d = r.Json();
  EXPECT_EQ(Int(d.at("backlog").at("personal_info_update"), Str(waiting.Json(), "state").c_str()),
            1);
  const json::array& hours = d.at("processing_by_hour").at("suspension").as_array();
  std::int64_t completed = 0;
  for (const auto& h : hours) completed += Int(h, "completed");
  EXPECT_EQ(completed, 3);
  EXPECT_EQ(Int(d.at("throughput_by_agent"), "unassigned"), 4)
      << "three suspensions, one activation";
  EXPECT_EQ(d.at("success_rate").to_number<double>(), 1.0);
  EXPECT_EQ(Int(d, "breaches_today"), 0);
  EXPECT_EQ(Int(d.at("csat"), "count"), 0);
  EXPECT_TRUE(d.at("bulk_jobs").as_array().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportExports, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
