#pragma once

// A fixture for the tests of time-driven request behaviour (SLA timers, provisioning
// timeouts, the work queue): each test gets a server of its own, so it can put the test
// clock anywhere and replace the demo tenant's policy pack without disturbing other tests.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/time.h"
#include "tests/functional/fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/server_process.h"

namespace sb::testing {

// The instant an RFC 3339 text names (with its offset); fails the test when it does not parse.
Timestamp At(const std::string& rfc3339);

class OwnServer : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;

  ServerProcess& server() { return *server_; }
  // A call with the demo tenant's admin key.
  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "", Headers headers = {});

  // Moves the server's clock to `rfc3339`. The clock keeps running from there.
  void SetClock(const std::string& rfc3339);
  // Stores a new version of the demo tenant's pack: the default pack with each (from, to)
  // text replaced, in force from 2026-01-02.
  void PutPack(const std::vector<std::pair<std::string, std::string>>& edits);

  // A new account with one service, owing `amount_due_minor`; returns its id.
  std::string NewAccount(std::int64_t amount_due_minor = 0);
  // The same with a non_payment hold suspending the service.
  std::string SuspendedAccount(std::int64_t amount_due_minor);
  // The id of the account's first service.
  std::string ServiceOf(const std::string& account_id);
  // POST /v1/requests (on `service_id` unless empty); returns the request object (empty on
  // failure, which is reported).
  boost::json::object File(const std::string& type, const std::string& account_id,
                           const std::string& priority, const std::string& reason,
                           const std::string& payload = "{}", const std::string& service_id = "");
  // A reconnection of the account's service.
  boost::json::object Reconnect(const std::string& account_id, const std::string& priority);
  // A reconnection of a suspended account owing money: it waits in awaiting_payment.
  boost::json::object WaitingReconnection(const std::string& priority = "normal");
  // GET /v1/requests/{id}.
  boost::json::object Request(const std::string& id);

  // How many outbox messages of `event_type` the request has.
  size_t Events(const std::string& request_id, const std::string& event_type);
  // How many audit entries with `action` the request has.
  size_t AuditEntries(const std::string& request_id, const std::string& action);
  // Polls `done` for up to 10 s; returns whether it became true.
  static bool Eventually(const std::function<bool()>& done);
  // Waits long enough for the job runner to have run whatever was due (several polls).
  static void LetJobsRun();

  // The SLA object of a request, and its times.
  static const boost::json::object& SlaOf(const boost::json::object& request);
  static Timestamp SlaTime(const boost::json::object& request, const char* key);

 private:
  std::unique_ptr<ScratchPgDatabase> pg_;  // outlives the server using it
  std::unique_ptr<ServerProcess> server_;
};

// Expects `actual` within a few seconds after `expected`: the test clock keeps running
// between setting it and the call that reads it.
void ExpectJustAfter(Timestamp actual, Timestamp expected, const std::string& what);

}  // namespace sb::testing
