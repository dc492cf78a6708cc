// Storage contract: one-time verification codes and their checks.

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;
using V = std::vector<std::string>;

VerificationCode CodeRow(const std::string& tenant, const std::string& id,
                         const std::string& account, const std::string& channel, Timestamp at) {
  VerificationCode c;
  c.tenant_id = tenant;
  c.id = id;
  c.account_id = account;
  c.channel = channel;
  c.purpose = "verification";
  c.code_hash = std::string(64, 'a');
  c.message_id = "msg_" + id;
  c.created_at = at;
  c.expires_at = at + 600'000;
  return c;
}

CodeCheck CheckOf(const std::string& tenant, const std::string& id, const std::string& account,
                  const std::string& channel, bool passed, Timestamp at) {
  return {tenant, id, account, channel, "sign_in", "vcode_1", passed, at};
}

auto CodeFields(const VerificationCode& c) {
  return std::make_tuple(c.tenant_id, c.id, c.account_id, c.channel, c.purpose, c.code_hash,
                         c.message_id, c.created_at, c.expires_at, c.used_at);
}

auto CheckFields(const CodeCheck& c) {
  return std::make_tuple(c.tenant_id, c.id, c.account_id, c.channel, c.purpose, c.code_id, c.passed,
                         c.at);
}

TEST_P(StoreContract, VerificationCodesListNewestFirstPerChannelAndAreUsedOnce) {
  AddTenants({"ten_a", "ten_b"});
  AddAccount("ten_a", "acc_1", "REF-1");
  AddAccount("ten_a", "acc_2", "REF-2");
  AddAccount("ten_b", "acc_1", "REF-1");
  VerificationCode full = CodeRow("ten_a", "vcode_1", "acc_1", "sms", kT0);
  full.purpose = "sign_in";
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertVerificationCode(full));
    SB_RETURN_IF_ERROR(
        tx.InsertVerificationCode(CodeRow("ten_a", "vcode_2", "acc_1", "sms", kT0 + 5)));
    SB_RETURN_IF_ERROR(
        tx.InsertVerificationCode(CodeRow("ten_a", "vcode_3", "acc_1", "email", kT0 + 9)));
    SB_RETURN_IF_ERROR(
        tx.InsertVerificationCode(CodeRow("ten_a", "vcode_4", "acc_2", "sms", kT0 + 9)));
    return tx.InsertVerificationCode(CodeRow("ten_b", "vcode_5", "acc_1", "sms", kT0 + 9));
  }));
  auto list = [&](const std::string& tenant, const std::string& channel, Timestamp since) {
    auto got =
        Get([&](Tx& tx) { return tx.ListVerificationCodes(tenant, "acc_1", channel, since); });
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? *got : std::vector<VerificationCode>{};
  };
  EXPECT_EQ(Ids(list("ten_a", "sms", kT0)), (V{"vcode_2", "vcode_1"}));
  EXPECT_EQ(Ids(list("ten_a", "sms", kT0 + 1)), (V{"vcode_2"}));
  EXPECT_EQ(Ids(list("ten_a", "", kT0)), (V{"vcode_3", "vcode_2", "vcode_1"}));
  EXPECT_EQ(Ids(list("ten_b", "sms", 0)), (V{"vcode_5"}));
  EXPECT_EQ(CodeFields(list("ten_a", "sms", kT0).back()), CodeFields(full));

  SB_ASSERT_OK(
      Write([&](Tx& tx) { return tx.MarkVerificationCodeUsed("ten_a", "vcode_1", kT0 + 7); }));
  EXPECT_EQ(list("ten_a", "sms", kT0).back().used_at, kT0 + 7);
  Status again =
      Write([&](Tx& tx) { return tx.MarkVerificationCodeUsed("ten_a", "vcode_1", kT0 + 8); });
  EXPECT_EQ(again.code(), Code::kNotFound) << "a code is used once";
  EXPECT_EQ(list("ten_a", "sms", kT0).back().used_at, kT0 + 7);
  Status other =
      Write([&](Tx& tx) { return tx.MarkVerificationCodeUsed("ten_b", "vcode_2", kT0); });
  EXPECT_EQ(other.code(), Code::kNotFound) << "another tenant's id finds nothing";
}

TEST_P(StoreContract, CodeChecksListNewestFirstPerChannelSince) {
  AddTenants({"ten_a", "ten_b"});
  AddAccount("ten_a", "acc_1", "REF-1");
  AddAccount("ten_b", "acc_1", "REF-1");
  CodeCheck passed = CheckOf("ten_a", "vcheck_3", "acc_1", "sms", true, kT0 + 3);
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(
        tx.InsertCodeCheck(CheckOf("ten_a", "vcheck_1", "acc_1", "sms", false, kT0)));
    SB_RETURN_IF_ERROR(
        tx.InsertCodeCheck(CheckOf("ten_a", "vcheck_2", "acc_1", "email", false, kT0 + 1)));
    SB_RETURN_IF_ERROR(tx.InsertCodeCheck(passed));
    return tx.InsertCodeCheck(CheckOf("ten_b", "vcheck_4", "acc_1", "sms", false, kT0 + 4));
  }));
  auto list = [&](const std::string& channel, Timestamp since) {
    auto got = Get([&](Tx& tx) { return tx.ListCodeChecks("ten_a", "acc_1", channel, since); });
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? *got : std::vector<CodeCheck>{};
  };
  EXPECT_EQ(Ids(list("sms", kT0)), (V{"vcheck_3", "vcheck_1"}));
  EXPECT_EQ(Ids(list("", kT0)), (V{"vcheck_3", "vcheck_2", "vcheck_1"}));
  EXPECT_EQ(Ids(list("", kT0 + 2)), (V{"vcheck_3"}));
  EXPECT_EQ(CheckFields(list("sms", kT0).front()), CheckFields(passed));
  EXPECT_FALSE(list("sms", kT0).back().passed);
}

}  // namespace
}  // namespace sb::testing
