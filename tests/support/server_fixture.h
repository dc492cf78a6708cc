#pragma once

// The chain of functional-test fixtures, all talking to a real `switchboard serve` over HTTP
// on 127.0.0.1, each parameterised by backend ("sqlite", and "postgres" with SB_TEST_PG_URL):
//
//   ServerTest                  the server and the calls every test makes (this file)
//   ├─ Functional               one server per backend shared by the whole run, demo tenant
//   │  └─ OwnTenant             a tenant and admin key of the test's own (tenant_fixture.h)
//   │     ├─ EventsTest         + the tenant's inbound-events secret (events_fixture.h)
//   │     └─ Webhooks           + an agent key and webhook receivers (webhooks_fixture.h)
//   └─ OwnServer                a server of the test's own, free to move its clock and
//                               replace the demo tenant's pack (sla_fixture.h)
//
// Helpers live at the lowest level that can offer them and act as `key_` (the tenant the
// fixture gives the test); Call always uses the demo tenant's admin key.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/time.h"
#include "tests/support/http_client.h"
#include "tests/support/server_process.h"

namespace sb::testing {

// The header of a YAML body (policy packs).
inline const Headers kYaml = {{"Content-Type", "application/yaml"}};

// "sqlite" and "postgres" (the latter needs SB_TEST_PG_URL).
std::vector<std::string> Backends();
std::string BackendName(const ::testing::TestParamInfo<std::string>& info);

class ServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  enum class Server { kShared, kOwn };
  // `config_yaml`: the configuration of a server of the test's own (kOwn); "" runs it with
  // the built-in defaults, as production would.
  explicit ServerTest(Server which, std::string config_yaml = TestServerConfig())
      : which_(which), config_yaml_(std::move(config_yaml)) {}
  void SetUp() override;
  // A failed test on a server of its own shows what the server logged: the data directory
  // goes with the server.
  void TearDown() override;

  ServerProcess& server() { return *server_; }
  // A request with the demo tenant's admin key.
  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "", Headers headers = {});
  // A request with the given key ("" for none). A body goes as application/json unless
  // `headers` say otherwise.
  HttpResponse CallAs(const std::string& key, const std::string& method, const std::string& target,
                      const std::string& body = "", Headers headers = {});
  // A request with the fixture's key (key_).
  HttpResponse Api(const std::string& method, const std::string& target,
                   const std::string& body = "", Headers headers = {});
  // A fresh external_ref nobody used.
  static std::string NewRef();

  // --- as key_ --------------------------------------------------------------------------
  // A new account with one mobile_basic service, `extra` fields added; the account object.
  boost::json::object NewAccount(boost::json::object extra = {});
  // A new account owing `amount_due_minor`, its service suspended by a non_payment hold; its id.
  std::string SuspendedAccount(std::int64_t amount_due_minor = 4599);
  // GET /v1/accounts/{id} as an object.
  boost::json::object Account(const std::string& id);
  static std::string FirstServiceId(const boost::json::object& account);
  // The id of the account's first service.
  std::string ServiceOf(const std::string& account_id);
  // POST /v1/requests with X-Reason `reason`; expects 201 and returns the request.
  boost::json::object File(const boost::json::object& body, const std::string& reason);
  // GET /v1/requests/{id}.
  boost::json::object Request(const std::string& id);
  // The account's requests, newest first.
  boost::json::array Requests(const std::string& account);
  // GET /v1/outbox?<query> as its data array.
  boost::json::array Outbox(const std::string& query);
  // How many audit entries with `action` the request has.
  size_t AuditEntries(const std::string& request_id, const std::string& action);

  // --- the server's test clock ------------------------------------------------------------
  // Moves it to `rfc3339`; it keeps running from there.
  void SetClock(const std::string& rfc3339);
  // Moves it forward.
  void Advance(Timestamp seconds);
  // Its time, in seconds.
  Timestamp ServerNowSeconds();

  // --- waiting ----------------------------------------------------------------------------
  // Polls `done` for up to 10 s; returns whether it became true.
  static bool Eventually(const std::function<bool()>& done);
  // Long enough for the job runner to have run whatever was due (several 150 ms polls).
  static void LetJobsRun();
  // Long enough for several webhook dispatcher passes (250 ms apart).
  static void LetTheDispatcherRun();

  std::string tenant_;  // the fixture's tenant (the demo tenant unless a subclass makes one)
  std::string key_;     // an admin key of tenant_

 private:
  Server which_;
  std::string config_yaml_;
  ServerProcess* server_ = nullptr;
  std::unique_ptr<ScratchPgDatabase> own_pg_;  // kOwn: outlives the server using it
  std::unique_ptr<ServerProcess> own_server_;
};

// The shared server of each backend, started on first use and stopped at exit; the demo
// tenant. Tests must not move its clock backwards or replace the demo tenant's pack.
class Functional : public ServerTest {
 protected:
  Functional() : ServerTest(Server::kShared) {}
  // An account of the demo tenant with the given plans; the account object.
  boost::json::object CreateAccount(const std::vector<std::string>& plans = {"mobile_basic"});
  // How many accounts of the demo tenant carry this external_ref.
  size_t CountByRef(const std::string& ref);
};

// String at a JSON object key ("" when absent or not a string).
std::string Str(const boost::json::value& v, const char* key);
// Integer at a JSON object key (0 when absent).
std::int64_t Int(const boost::json::value& v, const char* key);

// Asserts a problem+json answer with this status (and param, code when non-empty).
void ExpectProblem(const HttpResponse& r, int status, const std::string& param = "",
                   const std::string& code = "");

// The instant an RFC 3339 text names (with its offset); fails the test when it does not parse.
Timestamp At(const std::string& rfc3339);
// Expects `actual` within a few seconds after `expected`: the test clock keeps running
// between setting it and the call that reads it.
void ExpectJustAfter(Timestamp actual, Timestamp expected, const std::string& what);

}  // namespace sb::testing
