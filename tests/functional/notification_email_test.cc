// Email over SMTP, end to end: outbox messages written as the composer writes them, the
// tenant's email channel set over the API, and a real SMTP server (tests/support/smtp_sink.py)
// whose received messages the tests parse as a mail reader would.

#include <gtest/gtest.h>

#include <thread>

#include "tests/support/notification_fixture.h"
#include "tests/support/smtp_sink.h"

namespace sb::testing {
namespace {

using EmailDelivery = NotificationTest;

TEST_P(EmailDelivery, AMessageArrivesWithItsHeadersBothPartsAndTheNameStillEscaped) {
  SmtpSink sink;
  UseEmail(sink.Url(), {{"from_name", "Clïent Support"}});
  domain::Notification n = Email("ann@example.org", "Votre demande a été reçue");
  n.text = "Bonjour <script>alert(1)</script>, votre demande est reçue.";
  n.html = "<p>Bonjour &lt;script&gt;alert(1)&lt;/script&gt;, votre demande est reçue.</p>";
  n.transactional = false;
  n.unsubscribe_url = "https://client.example/unsubscribe?t=abc";
  std::string id = Enqueue("email", n);
  ASSERT_TRUE(sink.WaitForCount(1, 10000));
  boost::json::object got = sink.Messages().at(0);
  EXPECT_EQ(Str(got, "from"), "Clïent Support <notify@client.example>");
  EXPECT_EQ(Str(got, "reply_to"), "help@client.example");
  EXPECT_EQ(Str(got, "to"), "ann@example.org");
  EXPECT_EQ(Str(got, "subject"), "Votre demande a été reçue") << "RFC 2047, decoded";
  EXPECT_EQ(Str(got, "content_type"), "multipart/alternative");
  EXPECT_NE(Str(got, "text").find("Bonjour <script>alert(1)</script>, votre demande est reçue."),
            std::string::npos);
  std::string html = Str(got, "html");
  EXPECT_NE(html.find("Bonjour &lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(Str(got, "message_id"), "<" + id + "@client.example>");
  EXPECT_EQ(Str(got, "list_unsubscribe"), "<https://client.example/unsubscribe?t=abc>");
  EXPECT_EQ(Str(got, "list_unsubscribe_post"), "List-Unsubscribe=One-Click");
  EXPECT_FALSE(Str(got, "date").empty());
  EXPECT_EQ(Str(got, "mail_from"), "notify@client.example");
  ASSERT_TRUE(WaitForState(id, "sent"));
  EXPECT_EQ(Int(Message(id), "attempts"), 1);
}

TEST_P(EmailDelivery, ATransactionalMessageCarriesNoListUnsubscribe) {
  SmtpSink sink;
  UseEmail(sink.Url());
  std::string id = Enqueue("email", Email("bob@example.org"));
  ASSERT_TRUE(sink.WaitForCount(1, 10000));
  EXPECT_EQ(Str(sink.Messages().at(0), "list_unsubscribe"), "");
  EXPECT_EQ(Str(sink.Messages().at(0), "subject"), "Hello");
  ASSERT_TRUE(WaitForState(id, "sent"));
}

TEST_P(EmailDelivery, ADownServerIsRetriedUntilDeadAndAReplayDelivers) {
  SmtpSink sink;
  std::string url = sink.Url();
  sink.Stop();
  UseEmail(url);
  std::string id = Enqueue("email", Email("carol@example.org"));
  ASSERT_TRUE(WaitForAttempts(id, 1));
  EXPECT_EQ(Str(Message(id), "state"), "pending");
  EXPECT_EQ(Str(Message(id), "last_error"), "email: no answer");
  // Each retry falls due by the clock alone: 30 s, 2 min, 10 min, 1 h, 6 h, 12 h, 24 h, 24 h.
  for (int attempt = 2; attempt <= 9; ++attempt) {
    Advance(27 * 3600);  // the longest wait, 24 h, plus at most 10 % of jitter
    ASSERT_TRUE(WaitForAttempts(id, attempt)) << "attempt " << attempt;
  }
  ASSERT_TRUE(WaitForState(id, "dead"));
  bool listed = false;
  for (const auto& m : Outbox("state=dead&limit=100")) listed |= Str(m, "id") == id;
  EXPECT_TRUE(listed) << "the dead-letter list holds it";
  EXPECT_EQ(sink.Messages().size(), 0u);

  ASSERT_TRUE(sink.Restart());
  HttpResponse r = Api("POST", "/v1/outbox/" + id + "/replay");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(sink.WaitForCount(1, 10000));
  EXPECT_EQ(Str(sink.Messages().at(0), "message_id"), "<" + id + "@client.example>");
  ASSERT_TRUE(WaitForState(id, "sent"));
}

TEST_P(EmailDelivery, AHardBounceFailsAtOnceAndSuppressesTheAddressForTheNextMessage) {
  SmtpSinkOptions refusing;
  refusing.refuse = {"gone@example.org"};
  SmtpSink sink(refusing);
  UseEmail(sink.Url());
  std::string bounced = Enqueue("email", Email("gone@example.org"));
  ASSERT_TRUE(WaitForState(bounced, "failed"));
  EXPECT_EQ(Int(Message(bounced), "attempts"), 1) << "no retry";
  EXPECT_EQ(Str(Message(bounced), "last_error"), "SMTP 550");

  std::string next = Enqueue("email", Email("GONE@example.org"));
  std::string other = Enqueue("email", Email("dan@example.org"));
  ASSERT_TRUE(WaitForState(next, "suppressed"));
  EXPECT_EQ(Int(Message(next), "attempts"), 0) << "never sent";
  ASSERT_TRUE(WaitForState(other, "sent"));
  ASSERT_EQ(sink.Messages().size(), 1u);
  EXPECT_EQ(Str(sink.Messages().at(0), "to"), "dan@example.org");
}

// The server dies after the SMTP server stored the message and before it said so: the
// message is claimed again once its lease runs out, and the copy carries the same Message-ID.
TEST_P(EmailDelivery, AKillWhileSendingLosesNothingAndTheDuplicateKeepsItsMessageId) {
  SmtpSinkOptions slow;
  slow.ack_delay_seconds = 30;
  SmtpSink sink(slow);
  UseEmail(sink.Url());
  std::string id = Enqueue("email", Email("erin@example.org"));
  ASSERT_TRUE(sink.WaitForCount(1, 10000));
  ASSERT_TRUE(server().KillAndRestart());
  ASSERT_TRUE(sink.Restart(SmtpSinkOptions{})) << "the same server, without the delay";
  EXPECT_EQ(Str(Message(id), "state"), "pending") << "leased by the dead process";
  Advance(11 * 60);  // the lease (10 min) runs out
  ASSERT_TRUE(sink.WaitForCount(2, 10000)) << boost::json::serialize(Message(id));
  std::vector<boost::json::object> got = sink.Messages();
  EXPECT_EQ(Str(got.at(0), "message_id"), "<" + id + "@client.example>");
  EXPECT_EQ(Str(got.at(1), "message_id"), Str(got.at(0), "message_id"));
  ASSERT_TRUE(WaitForState(id, "sent"));
}

INSTANTIATE_TEST_SUITE_P(Backends, EmailDelivery, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
