// The inputs a decision was made on (app/requests/check_inputs.h): kept as JSON with the
// request and read back whole, refused when they are not what was written, and replayed under
// the pack that decided them to the same verdict.
#include "app/requests/check_inputs.h"

#include <gtest/gtest.h>

#include "app/policy/policy_yaml.h"

namespace sb::app {
namespace {

using domain::RequestState;

CheckInputs Sample() {
  CheckInputs in;
  in.at = 1796169600000;
  in.account.id = "acc_1";
  in.account.amount_due_minor = 2500;
  in.account.currency = "EUR";
  in.account.kyc_level = 1;
  in.account.created_at = 1780000000000;
  domain::Hold hold;
  hold.id = "hld_1";
  hold.type = domain::HoldType::kNonPayment;
  hold.blocks_service = true;
  in.holds.push_back(hold);
  domain::Verification v;
  v.kind = domain::VerificationKind::kIdentity;
  v.party = "owner";
  v.method = "otp_sms";
  v.level = 2;
  v.verified_at = 1796160000000;
  in.verifications.push_back(v);
  in.maker = {domain::ActorType::kApiKey, "key_1", domain::Role::kAgent};
  in.service_id = "svc_1";
  in.cooling_off_counts = {{30, 2}};
  in.offer_answered = true;
  in.verdict = RequestState::kAwaitingPayment;
  return in;
}

TEST(CheckInputs, ReadBackAsWritten) {
  CheckInputs in = Sample();
  auto back = ParseCheckInputs(CheckInputsJson(in));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->at, in.at);
  EXPECT_EQ(back->account.amount_due_minor, 2500);
  EXPECT_EQ(back->account.kyc_level, 1);
  EXPECT_EQ(back->account.created_at, in.account.created_at);
  ASSERT_EQ(back->holds.size(), 1u);
  EXPECT_EQ(back->holds[0].type, domain::HoldType::kNonPayment);
  EXPECT_TRUE(back->holds[0].blocks_service);
  ASSERT_EQ(back->verifications.size(), 1u);
  EXPECT_EQ(back->verifications[0].method, "otp_sms");
  EXPECT_EQ(back->verifications[0].level, 2);
  EXPECT_EQ(back->maker.id, "key_1");
  EXPECT_EQ(back->service_id, "svc_1");
  EXPECT_EQ(back->cooling_off_counts, in.cooling_off_counts);
  EXPECT_TRUE(back->offer_answered);
  EXPECT_EQ(back->verdict, RequestState::kAwaitingPayment);
  // No personal data is kept: the account's sealed profile is not part of the inputs.
  EXPECT_EQ(CheckInputsJson(in).find("profile"), std::string::npos);
}

TEST(CheckInputs, WhatWasNotWrittenByTheEngineIsRefused) {
  for (std::string text : {"", "{", "[]", R"({"at":"soon"})", R"({"cooling_off":{"x":1}})"}) {
    auto parsed = ParseCheckInputs(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().param(), "check_inputs") << text;
  }
}

TEST(CheckInputs, TheDecidingPackReplaysToTheSameVerdictAndATighterOneDoesNot) {
  auto pack = ParsePolicyPack(DefaultPolicyPackYaml());
  ASSERT_TRUE(pack.ok());
  domain::Request r;
  r.id = "req_1";
  r.type = domain::RequestType::kReconnection;
  r.origin = domain::Origin::kVoluntary;
  CheckInputs in = Sample();
  in.holds.clear();
  in.account.amount_due_minor = 0;
  in.account.kyc_level = 0;
  const domain::RequestPolicy& policy = pack->requests.at(r.type);
  auto same = Replay(in, r, policy, *pack);
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->verdict, RequestState::kApproved);

  domain::RequestPolicy tighter = policy;
  domain::CheckSpec kyc;
  kyc.kind = domain::CheckKind::kKycComplete;
  kyc.min_kyc_level = 1;
  tighter.checks.push_back(kyc);
  auto replayed = Replay(in, r, tighter, *pack);
  ASSERT_TRUE(replayed.has_value());
  EXPECT_EQ(replayed->verdict, RequestState::kAwaitingCustomer);
  in.account.amount_due_minor = 2500;  // money first, whatever else is missing
  EXPECT_EQ(Replay(in, r, tighter, *pack)->verdict, RequestState::kAwaitingPayment);
}

}  // namespace
}  // namespace sb::app
