#pragma once

// A fixture for the tests of notification delivery: a server of the test's own (its clock is
// moved and it is killed in some tests), an account, a writer of email and SMS outbox messages
// as the composer writes them, and the calls that set the tenant's channels and read a
// message's delivery state. See server_fixture.h for the chain.

#include <stdlib.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "domain/notification.h"
#include "tests/support/outbox_writer.h"
#include "tests/support/sla_fixture.h"

namespace sb::testing {

class NotificationTest : public OwnServer {
 protected:
  // The server's master key comes from the environment, so that the test can seal what the
  // composer would; it stays set for restarts and is removed when the test ends.
  void SetUp() override {
    setenv("SWITCHBOARD_MASTER_KEY", std::string(64, 'b').c_str(), 1);
    OwnServer::SetUp();
    if (HasFatalFailure()) return;
    account_ = NewAccount();
    ASSERT_FALSE(account_.empty());
    writer_ = std::make_unique<OutboxWriter>(server(), std::string(32, '\xbb'));
  }
  void TearDown() override {
    writer_.reset();
    OwnServer::TearDown();
    unsetenv("SWITCHBOARD_MASTER_KEY");
  }

  // PUT /v1/notification-channels/email to the SMTP server at `smtp_url` (plain, AUTH-less),
  // from notify@client.example, with `extra` fields set; expects 200.
  void UseEmail(const std::string& smtp_url, boost::json::object extra = {}) {
    boost::json::object body{{"smtp_url", smtp_url},
                             {"require_tls", false},
                             {"from_address", "notify@client.example"},
                             {"from_name", "Client Support"},
                             {"reply_to", "help@client.example"}};
    for (auto& [k, v] : extra) body[k] = v;
    HttpResponse r = Api("PUT", "/v1/notification-channels/email", boost::json::serialize(body));
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // A transactional email to `to`.
  static domain::Notification Email(const std::string& to, const std::string& subject = "Hello") {
    domain::Notification n;
    n.to = to;
    n.subject = subject;
    n.text = "Your request was received.";
    n.html = "<p>Your request was received.</p>";
    n.template_id = "shipped:request_received";
    n.locale = "en";
    return n;
  }

  // Writes a pending message of `channel` for the account; its id.
  std::string Enqueue(const std::string& channel, const domain::Notification& n) {
    std::string id = writer_->Write(tenant_, account_, channel, n);
    EXPECT_FALSE(id.empty());
    return id;
  }

  // The message as GET /v1/outbox shows it (an empty object when it is not there).
  boost::json::object Message(const std::string& id) {
    for (const auto& m : Outbox("limit=100&account_id=" + account_)) {
      if (Str(m, "id") == id) return m.as_object();
    }
    return {};
  }

  // Waits for the message to reach `state`.
  bool WaitForState(const std::string& id, const std::string& state) {
    return Eventually([&] { return Str(Message(id), "state") == state; });
  }

  // Waits for the message's attempts to reach `n`.
  bool WaitForAttempts(const std::string& id, std::int64_t n) {
    return Eventually([&] { return Int(Message(id), "attempts") >= n; });
  }

  std::string account_;
  std::unique_ptr<OutboxWriter> writer_;
};

}  // namespace sb::testing
