// Data rights (docs/ARCHITECTURE.md, "Capabilities"; docs/SECURITY.md, "Data rights"): a
// completed data_access request's export holds the customer's profile, notifications (a
// one-time code's without its text) and audit entries opened, and nothing of another customer; an
// erasure waits for identity and a supervisor's approval, then leaves every read answering without
// the data, the audit log and an exported bundle verifying, and none of the customer's values in
// the database files or the server's log; the retention scan erases a closed account past the
// pack's period and leaves a recent one.

#include <libpq-fe.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>

#include "tests/support/tenant_fixture.h"
#include "tests/support/text.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

// A customer's values, unique to the run so that a find cannot be another test's.
struct ErasedCustomer {
  std::string token = RandomLetters(12);
  std::string name = "Philippa " + token;
  std::string email = "p." + token + "@mailhost.test";
  std::string phone = "+44770" + std::to_string(100000 + std::random_device{}() % 800000);
  std::string street = token + " Juniper Lane";
  std::vector<std::string> Values() const { return {token, name, email, phone, street}; }
  json::object Create(const std::string& ref) const {
    return {{"external_ref", ref},
            {"name", name},
            {"email", email},
            {"phone", phone},
            {"address", street},
            {"kyc_level", 2},
            {"plans", json::array{"mobile_basic"}}};
  }
};

class DataRights : public OwnTenant {
 protected:
  bool OnSqlite() { return server().database_url().rfind("sqlite:", 0) == 0; }
  std::string SqlitePath() { return server().database_url().substr(7); }

  std::string NewCustomerAccount(const ErasedCustomer& c) {
    HttpResponse r = Api("POST", "/v1/accounts", json::serialize(c.Create(NewRef())));
    EXPECT_EQ(r.status, 201) << r.body;
    json::value v = r.Json();
    return v.as_object().contains("account") ? Str(v.at("account"), "id") : Str(v, "id");
  }

  HttpResponse Verify(const std::string& account, int level) {
    json::object body{{"kind", "identity"}, {"method", "document_check"}, {"level", level}};
    return Api("POST", "/v1/accounts/" + account + "/verifications", json::serialize(body));
  }

  // A personal_info_update giving the account `c`'s values: a sealed audit entry and an
  // email telling the customer.
  void UpdateTo(const std::string& account, const ErasedCustomer& c) {
    json::object body{{"type", "personal_info_update"},
                      {"account_id", account},
                      {"payload", {{"name", c.name}, {"email", c.email}, {"phone", c.phone}}}};
    json::object r = File(body, "customer_request");
    EXPECT_EQ(Str(r, "state"), "completed") << json::serialize(r);
  }

  HttpResponse FileRequest(const std::string& type, const std::string& account,
                           const std::string& key = "") {
    json::object body{{"type", type}, {"account_id", account}};
    return CallAs(key.empty() ? key_ : key, "POST", "/v1/requests", json::serialize(body),
                  {{"X-Reason", "customer_request"}});
  }

  // The stored bytes that could hold a customer's values: the SQLite file, its WAL and the
  // server's log; on PostgreSQL every row of the tenant's tables and the log.
  std::vector<std::pair<std::string, std::string>> StoredBytes() {
    std::vector<std::pair<std::string, std::string>> places;
    if (OnSqlite()) {
      places.push_back({"database file", ReadFile(SqlitePath())});
      places.push_back({"WAL file", ReadFile(SqlitePath() + "-wal")});
    } else {
      places.push_back({"tenant rows", PgTenantRows()});
    }
    places.push_back({"server log", server().FlushedLog()});
    return places;
  }

  std::string PgTenantRows() {
    PGconn* conn = PQconnectdb(server().database_url().c_str());
    EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
    const char* params[] = {tenant_.c_str()};
    PGresult* set = PQexecParams(conn, "SELECT set_config('switchboard.tenant_id', $1, false)", 1,
                                 nullptr, params, nullptr, nullptr, 0);
    PQclear(set);
    std::string out;
    for (const char* table :
         {"accounts", "requests", "audit_entries", "outbox", "idempotency_keys", "subject_keys",
          "data_exports", "verifications", "holds", "services", "jobs"}) {
      std::string sql = std::string("SELECT t::text FROM ") + table + " t WHERE tenant_id = $1";
      PGresult* r = PQexecParams(conn, sql.c_str(), 1, nullptr, params, nullptr, nullptr, 0);
      EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << table << ": " << PQerrorMessage(conn);
      for (int row = 0; row < PQntuples(r); ++row) {
        out.append(PQgetvalue(r, row, 0));
        out += '\n';
      }
      PQclear(r);
    }
    PQfinish(conn);
    return out;
  }

  std::vector<std::string> FoundAnywhere(const ErasedCustomer& c) {
    std::vector<std::string> found;
    for (const auto& [where, bytes] : StoredBytes()) {
      for (const std::string& v : c.Values()) {
        if (bytes.find(v) != std::string::npos) found.push_back(where + ": " + v);
      }
    }
    return found;
  }
};

TEST_P(DataRights, AnExportHoldsTheCustomersDataOpenedAndNoOneElses) {
  ErasedCustomer c, moved, other;
  std::string id = NewCustomerAccount(c);
  std::string other_id = NewCustomerAccount(other);
  ASSERT_EQ(Verify(id, 2).status, 201);
  UpdateTo(id, moved);
  ASSERT_EQ(Verify(other_id, 2).status, 201);
  HttpResponse code =
      Api("POST", "/v1/accounts/" + id + "/verification-codes", R"({"channel":"email"})");
  ASSERT_EQ(code.status, 202) << code.body;

  HttpResponse filed = FileRequest("data_access", id);
  ASSERT_EQ(filed.status, 201) << filed.body;
  ASSERT_EQ(Str(filed.Json(), "state"), "completed") << filed.body;
  std::string req = Str(filed.Json(), "id");

  HttpResponse got = Api("GET", "/v1/requests/" + req + "/data-export");
  ASSERT_EQ(got.status, 200) << got.body;
  json::value doc = got.Json();
  EXPECT_EQ(Str(doc, "object"), "subject_access_export");
  EXPECT_EQ(Str(doc.at("profile"), "name"), moved.name);
  EXPECT_EQ(Str(doc.at("profile"), "address"), c.street);
  // The email that told the customer of the update, opened: its address and its text.
  bool told = false;
  for (const auto& n : doc.at("notifications").as_array()) {
    told = told || (Str(n, "to") == moved.email && !Str(n, "text").empty());
  }
  EXPECT_TRUE(told) << json::serialize(doc.at("notifications"));
  // The one-time code's message is listed without its text: whoever may download an export
  // could otherwise read a code still valid and act as the customer.
  bool code_listed = false;
  for (const auto& n : doc.at("notifications").as_array()) {
    if (Str(n, "notification") != "verification_code") continue;
    code_listed = true;
    EXPECT_EQ(Str(n, "text"), "") << json::serialize(n);
  }
  EXPECT_TRUE(code_listed) << json::serialize(doc.at("notifications"));
  // The update's audit entry with its sealed fields decrypted.
  bool opened = false;
  for (const auto& e : doc.at("audit_entries").as_array()) {
    const json::value& after = e.at("after");
    opened = opened || (after.is_object() && Str(after, "name") == moved.name);
  }
  EXPECT_TRUE(opened) << "no audit entry shows the new name in clear";
  for (const std::string& v : other.Values()) {
    EXPECT_EQ(got.body.find(v), std::string::npos) << "another customer's " << v;
  }
  EXPECT_GE(AuditEntries(req, "data_export.downloaded"), 1u);

  // An agent may not download it; the pack lets supervisors.
  HttpResponse agent =
      CallAs(NewKey("agent", "agent"), "GET", "/v1/requests/" + req + "/data-export");
  ExpectProblem(agent, 403, "", "role_not_allowed");
  HttpResponse sup =
      CallAs(NewKey("supervisor", "sup"), "GET", "/v1/requests/" + req + "/data-export");
  EXPECT_EQ(sup.status, 200) << sup.body;
  // Not a data_access request: there is no export.
  std::string other_req = Str(Requests(id).at(1), "id");
  EXPECT_EQ(Api("GET", "/v1/requests/" + other_req + "/data-export").status, 404);
  // The export is sealed: none of the customer's values sits in the database in clear.
  for (const std::string& f : FoundAnywhere(moved)) {
    if (f.rfind("server log", 0) != 0) ADD_FAILURE() << f;
  }
}

TEST_P(DataRights, ErasureWaitsForIdentityAndApprovalThenLeavesNoTrace) {
  ErasedCustomer c;
  std::string id = NewCustomerAccount(c);
  HttpResponse filed = FileRequest("data_erasure", id);
  ASSERT_EQ(filed.status, 201) << filed.body;
  std::string req = Str(filed.Json(), "id");
  EXPECT_EQ(Str(filed.Json(), "state"), "awaiting_customer") << "identity first";
  ASSERT_EQ(Verify(id, 2).status, 201);
  EXPECT_EQ(Str(Request(req), "state"), "awaiting_approval");
  ErasedCustomer moved;  // a change with sealed audit fields and an email telling of it
  UpdateTo(id, moved);
  EXPECT_EQ(Str(Account(id), "name"), moved.name) << "nothing erased before the approval";
  // Another erasure while this one is open is refused.
  ExpectProblem(FileRequest("data_erasure", id), 409, "", "open_requests");

  HttpResponse own =
      Api("POST", "/v1/requests/" + req + "/approve", "", {{"X-Reason", "customer_request"}});
  EXPECT_EQ(own.status, 403) << "the filer cannot approve: " << own.body;
  std::string agent = NewKey("agent", "agent");
  ExpectProblem(CallAs(agent, "POST", "/v1/requests/" + req + "/approve", "",
                       {{"X-Reason", "customer_request"}}),
                403, "", "role_required");
  HttpResponse approved =
      CallAs(NewKey("supervisor", "sup"), "POST", "/v1/requests/" + req + "/approve", "",
             {{"X-Reason", "customer_request"}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Str(approved.Json(), "state"), "completed") << approved.body;
  for (const std::string& v : c.Values()) EXPECT_EQ(approved.body.find(v), std::string::npos) << v;

  // Reads answer without the data, never 500.
  json::object after = Account(id);
  EXPECT_TRUE(after.at("profile_erased").as_bool());
  EXPECT_EQ(Str(after, "name"), "");
  for (const std::string& target :
       {"/v1/accounts/" + id + "/timeline?limit=100", "/v1/outbox?limit=100&account_id=" + id,
        "/v1/audit/entries?limit=100&account_id=" + id, "/v1/requests?account_id=" + id,
        "/v1/accounts/" + id + "/verifications", "/v1/requests/" + req}) {
    HttpResponse r = Api("GET", target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    for (const ErasedCustomer* who : {&c, &moved}) {
      for (const std::string& v : who->Values()) {
        EXPECT_EQ(r.body.find(v), std::string::npos) << target << ": " << v;
      }
    }
  }
  // What was sealed shows as erased, not as ciphertext.
  HttpResponse audit = Api("GET", "/v1/audit/entries?limit=100&account_id=" + id);
  EXPECT_EQ(audit.body.find("sealed:"), std::string::npos) << audit.body;
  EXPECT_NE(audit.body.find("\"erased\""), std::string::npos) << audit.body;
  for (const auto& m : Outbox("limit=100&account_id=" + id)) {
    if (Str(m, "channel") != "webhook") {
      EXPECT_TRUE(m.at("payload").at("erased").as_bool());
    }
  }
  // Writes that need the key are refused clearly.
  ExpectProblem(Api("PATCH", "/v1/accounts/" + id, R"({"name":"Someone"})",
                    {{"X-Reason", "customer_request"}}),
                409, "", "personal_data_erased");
  ExpectProblem(FileRequest("data_access", id), 409, "", "personal_data_erased");
  ExpectProblem(FileRequest("data_erasure", id), 409, "", "personal_data_erased");

  // The audit log and an exported bundle still verify.
  LetJobsRun();
  EXPECT_NE(server().RunCli({"audit", "verify", "--tenant", tenant_}), "");
  char dir_template[] = "/tmp/sb-bundle-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string bundle = std::string(dir_template) + "/bundle.json";
  ASSERT_NE(server().RunCli({"audit", "export", "--tenant", tenant_, "--out", bundle}), "");
  EXPECT_NE(server().RunCli({"audit", "verify", "--bundle", bundle}), "");
  std::remove(bundle.c_str());
  rmdir(dir_template);

  EXPECT_EQ(FoundAnywhere(c), std::vector<std::string>{});
  EXPECT_EQ(FoundAnywhere(moved), std::vector<std::string>{});
}

TEST_P(DataRights, RetentionErasesAnOldClosedAccountAndLeavesARecentOne) {
  ReplacePack([](std::string yaml) {
    return Replace(yaml, "erase_after_closure_days: 0", "erase_after_closure_days: 30");
  });
  auto close = [&](const std::string& id) {
    HttpResponse r = Api("POST", "/v1/accounts/" + id + "/close", R"({"origin":"involuntary"})",
                         {{"X-Reason", "account_closure"}});
    ASSERT_EQ(r.status, 200) << r.body;
  };
  ErasedCustomer old_one, recent;
  std::string old_id = NewCustomerAccount(old_one);
  close(old_id);
  Advance(31 * 86400);
  std::string recent_id = NewCustomerAccount(recent);
  close(recent_id);

  ASSERT_TRUE(Eventually([&] { return Account(old_id).at("profile_erased").as_bool(); }));
  json::array erasures = RequestsOfType(old_id, "data_erasure");
  ASSERT_EQ(erasures.size(), 1u);
  EXPECT_EQ(Str(erasures.at(0), "origin"), "automated");
  EXPECT_EQ(Str(erasures.at(0), "state"), "completed");
  EXPECT_EQ(Str(erasures.at(0), "channel"), "system");
  EXPECT_GE(AuditEntries(Str(erasures.at(0), "id"), "customer_data.erased"), 1u);
  EXPECT_FALSE(Account(recent_id).at("profile_erased").as_bool());
  EXPECT_EQ(Str(Account(recent_id), "name"), recent.name);
  EXPECT_TRUE(RequestsOfType(recent_id, "data_erasure").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, DataRights, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
