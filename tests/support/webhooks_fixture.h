#pragma once

// Fixture of the webhook tests: a tenant of its own (OwnTenant) with an agent key too, real
// receivers on 127.0.0.1 (tests/support/webhook_receiver.h), and the changes that make the
// server deliver. See server_fixture.h for the chain.

#include <boost/json.hpp>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "tests/support/tenant_fixture.h"
#include "tests/support/webhook_receiver.h"

namespace sb::testing {

class Webhooks : public OwnTenant {
 protected:
  void SetUp() override;

  struct Endpoint {
    std::string id;
    std::string secret;  // "whsec_..."
  };
  // POST /v1/webhook-endpoints; fails the test unless 201.
  Endpoint AddEndpoint(const std::string& url, const std::vector<std::string>& types);

  // A real change: a voluntary pause of a new account's service, which completes at once and
  // writes "request.completed" and "service.suspended". Returns the request.
  boost::json::object PauseAService();

  // The outbox message of `type` written by `request_id`, once `ready` holds for it (or the
  // last one seen after 10 s; empty if none).
  boost::json::object MessageWhen(const std::string& request_id, const std::string& type,
                                  const std::function<bool(const boost::json::object&)>& ready);

  // Checks a received delivery's Standard Webhooks signature against `secret` at the server's
  // current time.
  Status Verify(const ReceivedRequest& r, const std::string& secret);

  std::string agent_;
};

}  // namespace sb::testing
