#include "notify/sms_gateway.h"

#include <gtest/gtest.h>

namespace sb::notify {
namespace {

TEST(SmsGateway, TheAnswerNamesTheProviderMessageIdInTheUsualPlaces) {
  EXPECT_EQ(ProviderRefOf(R"({"id":"a1"})"), "a1");
  EXPECT_EQ(ProviderRefOf(R"({"message_id":"b2"})"), "b2");
  EXPECT_EQ(ProviderRefOf(R"({"sid":"SM3"})"), "SM3");
  EXPECT_EQ(ProviderRefOf(R"({"messages":[{"message-id":"v4"}]})"), "v4");
  EXPECT_EQ(ProviderRefOf("ok"), "");
  EXPECT_EQ(ProviderRefOf(R"({"id":"has space"})"), "");
  EXPECT_EQ(ProviderRefOf(R"({"id":7})"), "");
}

TEST(SmsGateway, WhatAStatusMeans) {
  struct Case {
    int status;
    app::SendOutcome outcome;
  };
  for (Case c : {Case{200, app::SendOutcome::kAccepted}, Case{202, app::SendOutcome::kAccepted},
                 Case{400, app::SendOutcome::kRefused}, Case{404, app::SendOutcome::kRefused},
                 Case{408, app::SendOutcome::kFailed}, Case{429, app::SendOutcome::kFailed},
                 Case{500, app::SendOutcome::kFailed}, Case{0, app::SendOutcome::kFailed},
                 Case{302, app::SendOutcome::kFailed}}) {
    EXPECT_EQ(SmsOutcome(c.status), c.outcome) << c.status;
  }
}

TEST(SmsGateway, TheJsonShapeCarriesTheReference) {
  app::SmsChannel g;
  g.gateway_url = "https://sms.example/send";
  g.auth = "bearer";
  g.token = "t";
  g.sender_id = "Acme";
  g.body_shape = "json";
  domain::Notification n;
  n.to = "+33612345678";
  n.text = "Hi \"you\"";
  WebhookPost p = SmsPost(g, n, "msg_9");
  EXPECT_EQ(p.body,
            R"({"to":"+33612345678","from":"Acme","text":"Hi \"you\"","reference":"msg_9"})");
  EXPECT_TRUE(p.keep_answer);
}

}  // namespace
}  // namespace sb::notify
