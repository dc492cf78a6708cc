#pragma once

// Fixture of the webhook tests: a tenant of its own with an admin and an agent key, real
// receivers on 127.0.0.1 (tests/support/webhook_receiver.h), and the changes and clock moves
// that make the server deliver.

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "tests/functional/fixture.h"
#include "tests/support/webhook_receiver.h"

namespace sb::testing {

class Webhooks : public Functional {
 protected:
  void SetUp() override;

  // A call with this test's tenant admin key (another key when given).
  HttpResponse Api(const std::string& method, const std::string& target,
                   const std::string& body = "", Headers headers = {});
  // Creates a tenant with an admin key; returns the key.
  std::string NewTenantKey(const std::string& name, std::string* tenant_id = nullptr);

  struct Endpoint {
    std::string id;
    std::string secret;  // "whsec_..."
  };
  // POST /v1/webhook-endpoints; fails the test unless 201.
  Endpoint AddEndpoint(const std::string& url, const std::vector<std::string>& types);

  // A real change: a voluntary pause of a new account's service, which completes at once and
  // writes "request.completed" and "service.suspended". Returns the request.
  boost::json::object PauseAService();

  // GET /v1/outbox?<query> as its data array.
  boost::json::array Outbox(const std::string& query);
  // The outbox message of `type` written by `request_id`, once `ready` holds for it (or the
  // last one seen after 10 s; empty if none).
  boost::json::object MessageWhen(const std::string& request_id, const std::string& type,
                                  const std::function<bool(const boost::json::object&)>& ready);

  // Moves the server's clock forward, and its time in seconds.
  void Advance(Timestamp seconds);
  Timestamp ServerNowSeconds();

  // Checks a received delivery's Standard Webhooks signature against `secret` at the server's
  // current time.
  Status Verify(const ReceivedRequest& r, const std::string& secret);

  // Waits long enough for several dispatcher passes (250 ms apart) to have run.
  static void LetTheDispatcherRun();

  std::string tenant_;
  std::string key_;
  std::string agent_;
};

// Integer field of a JSON object (0 when absent).
std::int64_t Int(const boost::json::value& v, const char* key);

}  // namespace sb::testing
