#pragma once

// A fixture for unit tests of what is sealed under a subject's data key: a fresh SQLite store
// holding one tenant, "ten_1", and a keyring over a fixed master key.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/core/keyring.h"
#include "tests/support/test_stores.h"

namespace sb::testing {

class SealingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status s = store_->Write([](domain::Tx& tx) { return tx.InsertTenant({"ten_1", "T", 1}); });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::unique_ptr<domain::Store> store_ = NewSqliteTestStore();
  app::Keyring keyring_{std::string(32, 'k')};
};

}  // namespace sb::testing
