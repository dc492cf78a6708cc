#include "notify/email_message.h"

#include <gtest/gtest.h>

#include "crypto/crypto.h"

namespace sb::notify {
namespace {

EmailParts Parts() {
  EmailParts p;
  p.from_address = "notify@client.example";
  p.from_name = "Client Support";
  p.reply_to = "help@client.example";
  p.to = "ann@example.org";
  p.subject = "Your request";
  p.text = "Hello";
  p.html = "<p>Hello</p>";
  p.message_id = MessageIdFor("msg_123", p.from_address);
  p.date_ms = 1'780'000'000'000;
  return p;
}

TEST(EmailMessage, TheMessageIdIsTheOutboxIdAtTheSendersDomain) {
  EXPECT_EQ(MessageIdFor("msg_1", "a@b.example"), "<msg_1@b.example>");
  EXPECT_EQ(ComposeEmail(Parts()), ComposeEmail(Parts())) << "a retry repeats the same bytes";
}

TEST(EmailMessage, NonAsciiHeaderTextIsEncodedInWordsOfAtMost75Characters) {
  EXPECT_EQ(EncodeHeaderText("Plain subject"), "Plain subject");
  EXPECT_EQ(EncodeHeaderText("Line\r\nBcc: x@y.z"), "Line  Bcc: x@y.z") << "no header injection";
  std::string long_text;
  for (int i = 0; i < 20; ++i) long_text += "Réactivation ";
  std::string encoded = EncodeHeaderText(long_text);
  size_t start = 0;
  std::string decoded;
  while (start < encoded.size()) {
    size_t end = encoded.find("\r\n ", start);
    std::string word =
        encoded.substr(start, end == std::string::npos ? std::string::npos : end - start);
    EXPECT_LE(word.size(), 75u);
    ASSERT_EQ(word.rfind("=?UTF-8?B?", 0), 0u) << word;
    decoded += *crypto::FromBase64(word.substr(10, word.size() - 12));
    start = end == std::string::npos ? encoded.size() : end + 3;
  }
  EXPECT_EQ(decoded, long_text) << "split between characters, never inside one";
}

TEST(EmailMessage, HeadersAndBothPartsAreThere) {
  EmailParts p = Parts();
  p.from_name = "Clïent";
  std::string m = ComposeEmail(p);
  EXPECT_NE(
      m.find("From: =?UTF-8?B?" + crypto::Base64("Clïent") + "?= <notify@client.example>\r\n"),
      std::string::npos);
  EXPECT_NE(m.find("Reply-To: help@client.example\r\n"), std::string::npos);
  EXPECT_NE(m.find("To: ann@example.org\r\n"), std::string::npos);
  EXPECT_NE(m.find("Message-ID: <msg_123@client.example>\r\n"), std::string::npos);
  EXPECT_NE(m.find("Date: "), std::string::npos);
  EXPECT_NE(m.find("multipart/alternative"), std::string::npos);
  EXPECT_NE(m.find(crypto::Base64("Hello")), std::string::npos);
  EXPECT_NE(m.find(crypto::Base64("<p>Hello</p>")), std::string::npos);
  EXPECT_EQ(m.find("List-Unsubscribe"), std::string::npos);
}

TEST(EmailMessage, ListUnsubscribeOnlyWithAUsableUrl) {
  EmailParts p = Parts();
  p.list_unsubscribe_url = "https://client.example/u?t=1";
  std::string m = ComposeEmail(p);
  EXPECT_NE(m.find("List-Unsubscribe: <https://client.example/u?t=1>\r\n"), std::string::npos);
  EXPECT_NE(m.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), std::string::npos);
  p.list_unsubscribe_url = "https://x.example/>\r\nBcc: y@z.example";
  EXPECT_EQ(ComposeEmail(p).find("List-Unsubscribe"), std::string::npos);
}

TEST(EmailMessage, TextOnlyWithoutHtml) {
  EmailParts p = Parts();
  p.html.clear();
  std::string m = ComposeEmail(p);
  EXPECT_EQ(m.find("multipart"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
}

}  // namespace
}  // namespace sb::notify
