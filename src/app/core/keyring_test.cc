// The keyring's data keys: what one subject's key sealed opens for that subject only, keeps
// opening after more subjects than it keeps keys for in memory, and stops opening as soon as
// the key is destroyed in the store, by this process or any other.
#include "app/core/keyring.h"

#include <gtest/gtest.h>

#include "tests/support/sealing_fixture.h"

namespace sb::app {
namespace {

class KeyringTest : public testing::SealingTest {
 protected:
  std::string Seal(const std::string& subject, const std::string& text) {
    std::string sealed;
    Status s = store_->Write([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(sealed, keyring_.SealFor(tx, "ten_1", subject, text));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return sealed;
  }

  Result<std::string> Open(const std::string& subject, const std::string& sealed) {
    std::optional<Result<std::string>> out;
    Status s = store_->Read([&](domain::Tx& tx) -> Status {
      out = keyring_.OpenFor(tx, "ten_1", subject, sealed);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return *out;
  }
};

TEST_F(KeyringTest, OpensForItsSubjectOnly) {
  const std::string sealed = Seal("acc_1", "Ada Lovelace");
  EXPECT_EQ(sealed.find("Ada"), std::string::npos);
  for (int i = 0; i < 3; ++i) {  // the first opening unwraps the key, the next ones reuse it
    auto opened = Open("acc_1", sealed);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, "Ada Lovelace");
  }
  Seal("acc_2", "Grace Hopper");
  EXPECT_FALSE(Open("acc_2", sealed).ok()) << "another subject's key must not open it";
}

TEST_F(KeyringTest, KeepsOpeningAfterMoreSubjectsThanItKeepsKeysFor) {
  const std::string first = Seal("acc_first", "first");
  ASSERT_TRUE(Open("acc_first", first).ok());
  std::vector<std::pair<std::string, std::string>> others;
  for (std::size_t i = 0; i < Keyring::kKeptDataKeys + 10; ++i) {
    const std::string subject = "acc_" + std::to_string(i);
    others.emplace_back(subject, Seal(subject, "text " + std::to_string(i)));
    ASSERT_TRUE(Open(subject, others.back().second).ok());
  }
  auto opened = Open("acc_first", first);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "first");
  auto last = Open(others.back().first, others.back().second);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, "text " + std::to_string(Keyring::kKeptDataKeys + 9));
}

TEST_F(KeyringTest, StopsOpeningOnceTheKeyIsDestroyedEvenIfItWasInMemory) {
  const std::string sealed = Seal("acc_1", "Ada Lovelace");
  ASSERT_TRUE(Open("acc_1", sealed).ok());
  // Destroyed straight in the store, as another server process sharing the database does:
  // this keyring is not told.
  Status destroyed =
      store_->Write([](domain::Tx& tx) { return tx.DestroySubjectKey("ten_1", "acc_1", 2); });
  ASSERT_TRUE(destroyed.ok()) << destroyed.ToString();
  auto opened = Open("acc_1", sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().reason(), "erased");
  // Nor can anything be sealed for the subject again.
  Status s = store_->Write(
      [&](domain::Tx& tx) { return keyring_.SealFor(tx, "ten_1", "acc_1", "again").status(); });
  EXPECT_EQ(s.code(), Code::kConflict);
}

}  // namespace
}  // namespace sb::app
