#pragma once

// A fixture for the tests of time-driven request behaviour (SLA timers, provisioning
// timeouts, the work queue, restarts): each test gets a server of its own, so it can put the
// test clock anywhere and replace the demo tenant's policy pack without disturbing other
// tests. See server_fixture.h for the chain.

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/time.h"
#include "tests/support/server_fixture.h"

namespace sb::testing {

class OwnServer : public ServerTest {
 protected:
  OwnServer() : ServerTest(Server::kOwn) {}

  // Stores a new version of the demo tenant's pack: the default pack with each (from, to)
  // text replaced, in force from 2026-01-02.
  void PutPack(const std::vector<std::pair<std::string, std::string>>& edits);

  // A new account with one service, owing `amount_due_minor`; returns its id.
  std::string NewAccount(std::int64_t amount_due_minor = 0);
  using ServerTest::File;
  // POST /v1/requests (on `service_id` unless empty); returns the request object (empty on
  // failure, which is reported).
  boost::json::object File(const std::string& type, const std::string& account_id,
                           const std::string& priority, const std::string& reason,
                           const std::string& payload = "{}", const std::string& service_id = "");
  // A reconnection of the account's service.
  boost::json::object Reconnect(const std::string& account_id, const std::string& priority);
  // A reconnection of a suspended account owing money: it waits in awaiting_payment.
  boost::json::object WaitingReconnection(const std::string& priority = "normal");

  // How many outbox messages of `event_type` the request has.
  size_t Events(const std::string& request_id, const std::string& event_type);

  // The SLA object of a request, and its times.
  static const boost::json::object& SlaOf(const boost::json::object& request);
  static Timestamp SlaTime(const boost::json::object& request, const char* key);
};

}  // namespace sb::testing
