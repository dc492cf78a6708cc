// The rules every endpoint shares: strict input, authentication, idempotency, limits,
// errors as problem+json, metrics.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include "tests/support/server_fixture.h"

namespace sb::testing {
namespace {

class ApiRules : public Functional {};

struct BadInput {
  const char* name;
  std::string body;
  int status;
  const char* param;
};

TEST_P(ApiRules, BadAccountBodiesAreRefusedNamingTheFieldAndWriteNothing) {
  std::string ref = NewRef();
  std::string r = R"("external_ref":")" + ref + "\"";
  const BadInput cases[] = {
      {"malformed", "{" + r, 400, ""},
      {"not an object", "[" + std::string("1") + "]", 400, ""},
      {"wrong type", R"({"external_ref":42})", 400, "external_ref"},
      {"unknown field", "{" + r + R"(,"nickname":"x"})", 400, "nickname"},
      {"duplicate field", "{" + r + "," + r + "}", 400, "external_ref"},
      {"missing field", R"({"name":"No Ref"})", 400, "external_ref"},
      {"invalid utf-8", "{" + r + ",\"name\":\"\xc3\x28\"}", 400, ""},
      {"out of range", "{" + r + R"(,"kyc_level":99})", 400, "kyc_level"},
      {"huge number", "{" + r + R"(,"amount_due_minor":123456789012345678901234567890})", 400,
       "amount_due_minor"},
      {"bool as string", "{" + r + R"(,"pending_activation":"yes"})", 400, "pending_activation"},
      {"plans not strings", "{" + r + R"(,"plans":[1]})", 400, "plans"},
      {"unknown plan", "{" + r + R"(,"plans":["gold"]})", 400, "plans"},
  };
  for (const BadInput& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectProblem(Call("POST", "/v1/accounts", c.body), c.status, c.param);
  }
  EXPECT_EQ(CountByRef(ref), 0u);
}

TEST_P(ApiRules, OversizedBodyIs413) {
  std::string big = R"({"external_ref":")" + std::string(2 << 20, 'a') + "\"}";
  HttpResponse r = Call("POST", "/v1/accounts", big);
  ExpectProblem(r, 413);
}

TEST_P(ApiRules, OversizedHeadersAreRefused) {
  std::string raw =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 << 10, 'a') + "\r\n\r\n";
  std::string answer = server().client().SendRaw(raw);
  EXPECT_TRUE(answer.rfind("HTTP/1.1 431", 0) == 0 || answer.rfind("HTTP/1.1 400", 0) == 0)
      << answer.substr(0, 200);
}

TEST_P(ApiRules, MalformedHttpIs400AndServerStaysUp) {
  std::string answer = server().client().SendRaw("BLAH\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer.substr(0, 200);
  EXPECT_EQ(server().client().Send("GET", "/healthz").status, 200);
}

TEST_P(ApiRules, BadHoldInputs) {
  std::string id = Str(CreateAccount({"mobile_basic"}), "id");
  std::string holds = "/v1/accounts/" + id + "/holds";
  ExpectProblem(Call("POST", holds, R"({"hold_type":"bogus"})", {{"X-Reason", "non_payment"}}), 400,
                "hold_type");
  ExpectProblem(Call("POST", holds, R"({"hold_type":"non_payment","expires_at":"tomorrow"})",
                     {{"X-Reason", "non_payment"}}),
                400, "expires_at");
  ExpectProblem(Call("POST", holds, R"({"hold_type":"non_payment","blocks_service":1})",
                     {{"X-Reason", "non_payment"}}),
                400, "blocks_service");
  ExpectProblem(Call("POST", holds, R"({"hold_type":"non_payment"})"), 400, "X-Reason");
  ExpectProblem(Call("POST", holds, R"({"hold_type":"non_payment"})", {{"X-Reason", "because"}}),
                422, "X-Reason", "reason_not_allowed");
  EXPECT_EQ(Call("GET", holds).Json().at("data").as_array().size(), 0u);
  EXPECT_EQ(Str(Account(id), "status"), "active");
}

TEST_P(ApiRules, BadQueriesAndHeaders) {
  ExpectProblem(Call("GET", "/v1/accounts?limit=0"), 400, "limit");
  ExpectProblem(Call("GET", "/v1/accounts?limit=101"), 400, "limit");
  ExpectProblem(Call("GET", "/v1/accounts?limit=ten"), 400, "limit");
  ExpectProblem(Call("GET", "/v1/accounts?status=sleeping"), 400, "status");
  ExpectProblem(Call("POST", "/v1/accounts?dry_run=maybe", "{}"), 400, "dry_run");
  std::string id = Str(CreateAccount({}), "id");
  ExpectProblem(Call("PATCH", "/v1/accounts/" + id, R"({"name":"x"})", {{"If-Match", "abc"}}), 400,
                "If-Match");
  ExpectProblem(Call("GET", "/v1/accounts/acc_nosuchaccount"), 404);
  ExpectProblem(Call("GET", "/v1/nothing-here"), 404);
  ExpectProblem(Call("DELETE", "/v1/accounts/" + id), 405);
}

// A JSON route reads only a body declared as JSON: text/plain creates nothing (415, with a
// title of its own), and the +json types and charset parameters are JSON.
TEST_P(ApiRules, NonJsonBodyIs415AndWritesNothing) {
  std::string ref = NewRef();
  std::string body = R"({"external_ref":")" + ref + "\"}";
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "application/xml"}) {
    HttpResponse r = Call("POST", "/v1/accounts", body, {{"Content-Type", type}});
    ExpectProblem(r, 415, "Content-Type", "unsupported_media_type");
    EXPECT_EQ(Str(r.Json(), "title"), "Unsupported media type") << type;
  }
  EXPECT_EQ(CountByRef(ref), 0u);
  HttpResponse plus = Call("POST", "/v1/accounts", body,
                           {{"Content-Type", "application/merge-patch+json; charset=utf-8"}});
  EXPECT_EQ(plus.status, 201) << plus.body;
  HttpResponse charset = Call("POST", "/v1/accounts", R"({"external_ref":")" + NewRef() + "\"}",
                              {{"Content-Type", "Application/JSON; charset=UTF-8"}});
  EXPECT_EQ(charset.status, 201) << charset.body;
  // A route without a body takes any declared type; the policy pack keeps its YAML rule.
  std::string id = Str(CreateAccount(), "id");
  EXPECT_NE(Call("GET", "/v1/accounts/" + id, "", {{"Content-Type", "text/plain"}}).status, 415);
  ExpectProblem(
      Call("PUT", "/v1/policy-pack", "version: x", {{"Content-Type", "application/json"}}), 415,
      "Content-Type", "unsupported_media_type");
}

// Every problem's title is the phrase of its status, not "Internal error".
TEST_P(ApiRules, ProblemTitlesFitTheirStatus) {
  EXPECT_EQ(Str(Call("GET", "/v1/nothing-here").Json(), "title"), "Not found");
  EXPECT_EQ(Str(CallAs("", "GET", "/v1/accounts").Json(), "title"), "Unauthenticated");
  EXPECT_EQ(Str(Call("POST", "/v1/accounts", R"({"colour":"red"})").Json(), "title"),
            "Bad request");
  EXPECT_EQ(Str(Call("DELETE", "/v1/accounts/x").Json(), "title"), "Method not allowed");
}

// Any role learns its tenant id (the events URL needs it), its key id and its role.
TEST_P(ApiRules, WhoAmINamesTenantKeyAndRole) {
  HttpResponse admin = Call("GET", "/v1/whoami");
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(Str(admin.Json(), "tenant_id"), server().demo_tenant());
  EXPECT_EQ(Str(admin.Json(), "role"), "admin");
  EXPECT_EQ(Str(admin.Json(), "actor_type"), "api_key");
  EXPECT_EQ(Str(admin.Json(), "key_id").rfind("key_", 0), 0u) << admin.body;
  EXPECT_TRUE(admin.Json().at("user_id").is_null());
  for (const char* role : {"auditor", "agent"}) {
    std::string key = server().RunCli(
        {"apikey", "create", "--tenant", server().demo_tenant(), "--role", role, "--name", role});
    ASSERT_FALSE(key.empty());
    HttpResponse r = CallAs(key, "GET", "/v1/whoami");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Str(r.Json(), "role"), role);
    EXPECT_EQ(Str(r.Json(), "tenant_id"), server().demo_tenant());
    EXPECT_NE(Str(r.Json(), "key_id"), Str(admin.Json(), "key_id"));
    EXPECT_EQ(r.body.find(key), std::string::npos) << "never the key itself";
  }
  ExpectProblem(CallAs("", "GET", "/v1/whoami"), 401);
}

TEST_P(ApiRules, MissingOrWrongKeyIs401) {
  ExpectProblem(CallAs("", "GET", "/v1/accounts"), 401);
  ExpectProblem(CallAs("sb_not_a_real_key", "GET", "/v1/accounts"), 401);
  HttpResponse basic =
      server().client().Send("GET", "/v1/accounts", "", {{"Authorization", "Basic abc"}});
  ExpectProblem(basic, 401);
  EXPECT_EQ(CallAs("", "GET", "/healthz").status, 200);
}

TEST_P(ApiRules, AuditorKeyCannotWrite) {
  std::string key = server().RunCli({"apikey", "create", "--tenant", server().demo_tenant(),
                                     "--role", "auditor", "--name", "auditor"});
  ASSERT_FALSE(key.empty());
  ExpectProblem(CallAs(key, "POST", "/v1/accounts", R"({"external_ref":"x"})"), 403);
  EXPECT_EQ(CallAs(key, "GET", "/v1/accounts").status, 200);
}

TEST_P(ApiRules, IdempotentReplayReturnsTheSameAnswer) {
  std::string key = "idem-" + NewRef();
  std::string body = R"({"external_ref":")" + NewRef() + "\"}";
  HttpResponse first = Call("POST", "/v1/accounts", body, {{"Idempotency-Key", key}});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Header("Idempotent-Replayed"), "");
  HttpResponse again = Call("POST", "/v1/accounts", body, {{"Idempotency-Key", key}});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("ETag"), first.Header("ETag"));
  EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
  HttpResponse other = Call("POST", "/v1/accounts", R"({"external_ref":")" + NewRef() + "\"}",
                            {{"Idempotency-Key", key}});
  ExpectProblem(other, 422, "", "idempotency_key_reused");
}

// A key replays only its own caller's answer: an agent's keyed hold, sent again under the
// same key by a system key (which reads personal data masked) or by another agent, is 422,
// never the first answer with the customer's name in clear; its own caller still replays it.
TEST_P(ApiRules, AKeyReplaysOnlyItsOwnCallersAnswer) {
  std::string name = "Quill " + NewRef();
  HttpResponse made = Call("POST", "/v1/accounts",
                           R"({"external_ref":")" + NewRef() + R"(","name":")" + name + R"("})");
  ASSERT_EQ(made.status, 201) << made.body;
  std::string account = Str(made.Json().at("account"), "id");
  auto new_key = [&](const std::string& role) {
    std::string key = server().RunCli({"apikey", "create", "--tenant", server().demo_tenant(),
                                       "--role", role, "--name", role + NewRef()});
    EXPECT_FALSE(key.empty());
    return key;
  };
  std::string agent = new_key("agent");
  std::string idem = "hold-" + NewRef();
  std::string target = "/v1/accounts/" + account + "/holds";
  const std::string body = R"({"hold_type":"non_payment"})";
  const std::vector<std::pair<std::string, std::string>> headers = {{"Idempotency-Key", idem},
                                                                    {"X-Reason", "non_payment"}};
  HttpResponse first = CallAs(agent, "POST", target, body, headers);
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_NE(first.body.find(name), std::string::npos) << "the agent reads the name in clear";
  for (const std::string& other : {new_key("system"), new_key("agent")}) {
    HttpResponse replayed = CallAs(other, "POST", target, body, headers);
    ExpectProblem(replayed, 422, "", "idempotency_key_reused");
    EXPECT_EQ(replayed.body.find(name), std::string::npos) << replayed.body;
    EXPECT_EQ(replayed.Header("Idempotent-Replayed"), "");
  }
  HttpResponse again = CallAs(agent, "POST", target, body, headers);
  EXPECT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
}

// A query parameter given twice is refused naming it, on reads and writes alike: a write
// asked for as a dry run and as a real one at once writes nothing.
TEST_P(ApiRules, AQueryParameterGivenTwiceIsRefusedAndNothingIsWritten) {
  std::string account = Str(CreateAccount(), "id");
  size_t holds_before =
      Call("GET", "/v1/accounts/" + account).Json().at("active_holds").as_array().size();
  HttpResponse write =
      Call("POST", "/v1/accounts/" + account + "/holds?dry_run=true&dry_run=false",
           R"({"hold_type":"voluntary_pause"})", {{"X-Reason", "customer_request"}});
  ExpectProblem(write, 400, "dry_run", "repeated_parameter");
  EXPECT_EQ(Call("GET", "/v1/accounts/" + account).Json().at("active_holds").as_array().size(),
            holds_before);
  ExpectProblem(Call("GET", "/v1/accounts?limit=1&limit=2"), 400, "limit", "repeated_parameter");
  EXPECT_EQ(Call("GET", "/v1/accounts?limit=1").status, 200);
}

// A write takes the query parameters its operation declares in api/openapi.yaml and no other:
// a misspelt ?DRY_RUN=true, or a dry run asked of a route that has none, is refused naming the
// parameter and writes nothing; reads keep ignoring what they do not know.
TEST_P(ApiRules, AWriteRefusesAQueryParameterItDoesNotTake) {
  std::string account = Str(CreateAccount(), "id");
  HttpResponse misspelt =
      Call("POST", "/v1/accounts/" + account + "/holds?DRY_RUN=true",
           R"({"hold_type":"voluntary_pause"})", {{"X-Reason", "customer_request"}});
  ExpectProblem(misspelt, 400, "DRY_RUN", "unknown_parameter");
  EXPECT_TRUE(Call("GET", "/v1/accounts/" + account).Json().at("active_holds").as_array().empty());
  HttpResponse no_dry_run = Call("POST", "/v1/users?dry_run=true",
                                 R"({"email":"x@example.com","name":"X","role":"agent"})");
  ExpectProblem(no_dry_run, 400, "dry_run", "unknown_parameter");
  HttpResponse dry = Call("POST", "/v1/accounts/" + account + "/holds?dry_run=true",
                          R"({"hold_type":"voluntary_pause"})", {{"X-Reason", "customer_request"}});
  EXPECT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(Call("GET", "/v1/accounts/" + account + "?cache=1").status, 200);
}

TEST_P(ApiRules, ConcurrentSameKeyCreatesOnce) {
  std::string key = "idem-" + NewRef();
  std::string ref = NewRef();
  std::string body = R"({"external_ref":")" + ref + "\"}";
  std::vector<std::future<HttpResponse>> calls;
  for (int i = 0; i < 6; ++i) {
    calls.push_back(std::async(std::launch::async, [&] {
      return Call("POST", "/v1/accounts", body, {{"Idempotency-Key", key}});
    }));
  }
  int created = 0;
  for (auto& f : calls) {
    HttpResponse r = f.get();
    if (r.status == 201) {
      ++created;
    } else {
      ExpectProblem(r, 409, "", "idempotency_key_in_flight");
    }
  }
  EXPECT_GE(created, 1);
  EXPECT_EQ(CountByRef(ref), 1u);
}

TEST_P(ApiRules, RequestIdIsEchoedOrGenerated) {
  HttpResponse given = Call("GET", "/v1/plans", "", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(given.Header("X-Request-Id"), "abc-123");
  HttpResponse generated = Call("GET", "/v1/plans");
  EXPECT_FALSE(generated.Header("X-Request-Id").empty());
}

TEST_P(ApiRules, HealthAndMetrics) {
  EXPECT_EQ(CallAs("", "GET", "/readyz").status, 200);
  Call("GET", "/v1/plans");
  HttpResponse m = CallAs("", "GET", "/metrics", "",
                          {{"Authorization", std::string("Bearer ") + kTestMetricsToken}});
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(
      m.body.find(R"(switchboard_http_requests_total{route="/v1/plans",method="GET",code="200"})"),
      std::string::npos)
      << m.body.substr(0, 500);
  EXPECT_NE(m.body.find("switchboard_http_request_duration_seconds_bucket"), std::string::npos);
}

// A server of its own: SIGTERM with an idle keep-alive connection open still exits at once
// and cleanly.
TEST(Shutdown, SigtermClosesIdleConnectionsAndExitsCleanly) {
  std::unique_ptr<ServerProcess> own = ServerProcess::Start();
  ASSERT_NE(own, nullptr);
  int idle = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(own->port()));
  ASSERT_EQ(connect(idle, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(own->Stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  close(idle);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiRules, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
