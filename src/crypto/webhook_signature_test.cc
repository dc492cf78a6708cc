#include "crypto/webhook_signature.h"

#include <gtest/gtest.h>

namespace sb::crypto {
namespace {

// The published Standard Webhooks test vector, from the reference libraries' tests
// (github.com/standard-webhooks/standard-webhooks, libraries/python/tests/test_webhooks.py,
// test_sign_function; the other libraries use the same values).
constexpr std::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kMsgId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr Timestamp kTimestamp = 1614265330;
constexpr std::string_view kPayload = R"({"test": 2432232314})";
constexpr std::string_view kSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

std::string Key() { return *DecodeWebhookSecret(kSecret); }

TEST(WebhookSignature, ReproducesThePublishedTestVector) {
  EXPECT_EQ(SignWebhook(Key(), kMsgId, kTimestamp, kPayload), kSignature);
  EXPECT_TRUE(VerifyWebhook(Key(), kMsgId, "1614265330", kSignature, kPayload, kTimestamp).ok());
}

TEST(WebhookSignature, DecodesSecretsWithOrWithoutPrefix) {
  EXPECT_EQ(*DecodeWebhookSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), Key());
  EXPECT_EQ(Key().size(), 24u);
  for (std::string_view bad : {"", "whsec_", "whsec_not base64!", "whsec_MfKQ9r8"}) {
    auto key = DecodeWebhookSecret(bad);
    ASSERT_FALSE(key.ok()) << bad;
    EXPECT_EQ(key.status().param(), "secret");
  }
}

struct VerifyCase {
  const char* name;
  std::string id;
  std::string timestamp;
  std::string signature;
  std::string body;
  Timestamp now;
  Code code;
  std::string reason;
  std::string param;
};

TEST(WebhookSignature, VerifyAcceptsOnlyFreshMatchingDeliveries) {
  const std::string sig(kSignature);
  const std::string body(kPayload);
  const std::string id(kMsgId);
  const std::string ts = "1614265330";
  const Timestamp now = kTimestamp;
  const VerifyCase cases[] = {
      {"valid", id, ts, sig, body, now, Code::kOk, "", ""},
      {"among several", id, ts, "v1,bm9wZQ== v2,abc " + sig + " v1a,xyz", body, now, Code::kOk, "",
       ""},
      {"at the tolerance", id, ts, sig, body, now + 300, Code::kOk, "", ""},
      {"just stale", id, ts, sig, body, now + 301, Code::kUnauthenticated,
       "timestamp_out_of_tolerance", "webhook-timestamp"},
      {"from the future", id, ts, sig, body, now - 301, Code::kUnauthenticated,
       "timestamp_out_of_tolerance", "webhook-timestamp"},
      {"body changed", id, ts, sig, body + " ", now, Code::kUnauthenticated, "bad_signature",
       "webhook-signature"},
      {"id changed", "msg_other", ts, sig, body, now, Code::kUnauthenticated, "bad_signature",
       "webhook-signature"},
      {"last byte flipped", id, ts, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=", body, now,
       Code::kUnauthenticated, "bad_signature", "webhook-signature"},
      {"only another version", id, ts, "v2" + sig.substr(2), body, now, Code::kUnauthenticated,
       "bad_signature", "webhook-signature"},
      {"missing id", "", ts, sig, body, now, Code::kInvalidArgument, "malformed_header",
       "webhook-id"},
      {"timestamp not a number", id, "hello", sig, body, now, Code::kInvalidArgument,
       "malformed_header", "webhook-timestamp"},
      {"negative timestamp", id, "-1614265330", sig, body, now, Code::kInvalidArgument,
       "malformed_header", "webhook-timestamp"},
      {"missing signature", id, ts, "", body, now, Code::kInvalidArgument, "malformed_header",
       "webhook-signature"},
      {"signature without version", id, ts, "g0hM9SsE+OTPJTGt", body, now, Code::kInvalidArgument,
       "malformed_header", "webhook-signature"},
  };
  for (const auto& c : cases) {
    Status s = VerifyWebhook(Key(), c.id, c.timestamp, c.signature, c.body, c.now);
    EXPECT_EQ(s.code(), c.code) << c.name << ": " << s.ToString();
    EXPECT_EQ(s.reason(), c.reason) << c.name;
    EXPECT_EQ(s.param(), c.param) << c.name;
  }
}

TEST(WebhookSignature, SignatureRoundTripsUnderAnotherSecret) {
  std::string key = "another raw key of any bytes \x01\x02";
  std::string sig = SignWebhook(key, "msg_1", 1700000000, "{}");
  EXPECT_TRUE(VerifyWebhook(key, "msg_1", "1700000000", sig, "{}", 1700000100).ok());
  EXPECT_FALSE(VerifyWebhook(Key(), "msg_1", "1700000000", sig, "{}", 1700000100).ok());
}

}  // namespace
}  // namespace sb::crypto
