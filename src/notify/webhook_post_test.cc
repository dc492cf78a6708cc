#include "notify/webhook_post.h"

#include <gtest/gtest.h>

#include <map>

#include "crypto/webhook_signature.h"

namespace sb::notify {
namespace {

std::map<std::string, std::string> HeaderMap(const WebhookPost& p) {
  return {p.headers.begin(), p.headers.end()};
}

TEST(SignedPost, CarriesTheStoredEnvelopeVerbatimWithStandardWebhooksHeaders) {
  domain::OutboxMessage m;
  m.id = "msg_01abc";
  m.payload_json = R"({"id":"evt_1","type":"request.completed","data":{"state":"completed"}})";
  app::WebhookTarget target{"whe_1", "https://hooks.example.com/in", "0123456789abcdef"};
  WebhookPost post = SignedPost(m, target, 1'800'000'000);
  EXPECT_EQ(post.url, "https://hooks.example.com/in");
  EXPECT_EQ(post.body, m.payload_json);
  auto h = HeaderMap(post);
  EXPECT_EQ(h["Content-Type"], "application/json");
  EXPECT_EQ(h["webhook-id"], "msg_01abc");
  EXPECT_EQ(h["webhook-timestamp"], "1800000000");
  EXPECT_EQ(h["webhook-signature"].rfind("v1,", 0), 0u);
  EXPECT_TRUE(crypto::VerifyWebhook(target.secret, h["webhook-id"], h["webhook-timestamp"],
                                    h["webhook-signature"], post.body, 1'800'000'010)
                  .ok());
  // Another endpoint's secret does not verify it, nor does a changed body.
  EXPECT_FALSE(crypto::VerifyWebhook("another-secret", h["webhook-id"], h["webhook-timestamp"],
                                     h["webhook-signature"], post.body, 1'800'000'010)
                   .ok());
  EXPECT_FALSE(crypto::VerifyWebhook(target.secret, h["webhook-id"], h["webhook-timestamp"],
                                     h["webhook-signature"], post.body + " ", 1'800'000'010)
                   .ok());
}

TEST(SignedPost, KeepsTheSameIdAcrossRetriesAndSignsEachTimestamp) {
  domain::OutboxMessage m;
  m.id = "msg_2";
  m.payload_json = "{}";
  app::WebhookTarget target{"whe_1", "http://127.0.0.1:9/", "k"};
  auto first = HeaderMap(SignedPost(m, target, 100));
  auto retry = HeaderMap(SignedPost(m, target, 130));
  EXPECT_EQ(first["webhook-id"], retry["webhook-id"]);
  EXPECT_NE(first["webhook-signature"], retry["webhook-signature"]);
  EXPECT_EQ(retry["webhook-timestamp"], "130");
}

}  // namespace
}  // namespace sb::notify
