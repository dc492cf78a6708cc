// What the outbox keeps of a notification: the address and text never in clear, the same
// notification back when opened, and nothing once the customer's data key is destroyed.
#include "app/notifications/sealed_notification.h"

#include <gtest/gtest.h>

#include "tests/support/sealing_fixture.h"

namespace sb::app {
namespace {

class SealedNotificationTest : public testing::SealingTest {
 protected:
  static domain::Notification Sample() {
    domain::Notification n;
    n.to = "ada@example.com";
    n.subject = "Your line is back";
    n.text = "Hello Ada, your service is reconnected.";
    n.html = "<p>Hello Ada &lt;b&gt;</p>";
    n.transactional = false;
    n.template_id = "shipped:service.reconnected";
    n.locale = "fr";
    n.unsubscribe_url = "https://portal.example.com/u/abc";
    return n;
  }
};

TEST_F(SealedNotificationTest, OpensToWhatWasSealedAndHoldsNothingInClear) {
  std::string payload;
  domain::Notification opened;
  Status s = store_->Write([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(payload, SealNotification(tx, keyring_, "ten_1", "acc_1", Sample()));
    SB_ASSIGN_OR_RETURN(opened, OpenNotification(tx, keyring_, "ten_1", "acc_1", payload));
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(payload.find("ada@example.com"), std::string::npos) << payload;
  EXPECT_EQ(payload.find("Ada"), std::string::npos) << payload;
  EXPECT_EQ(payload.rfind(R"({"sealed":")", 0), 0u) << payload;
  domain::Notification want = Sample();
  EXPECT_EQ(opened.to, want.to);
  EXPECT_EQ(opened.subject, want.subject);
  EXPECT_EQ(opened.text, want.text);
  EXPECT_EQ(opened.html, want.html);
  EXPECT_FALSE(opened.transactional);
  EXPECT_EQ(opened.template_id, want.template_id);
  EXPECT_EQ(opened.locale, want.locale);
  EXPECT_EQ(opened.unsubscribe_url, want.unsubscribe_url);
}

TEST_F(SealedNotificationTest, AnotherAccountCannotOpenIt) {
  Status s = store_->Write([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(auto payload, SealNotification(tx, keyring_, "ten_1", "acc_1", Sample()));
    SB_ASSIGN_OR_RETURN(auto other, SealNotification(tx, keyring_, "ten_1", "acc_2", Sample()));
    auto wrong = OpenNotification(tx, keyring_, "ten_1", "acc_2", payload);
    EXPECT_FALSE(wrong.ok());
    EXPECT_NE(payload, other);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
}

TEST_F(SealedNotificationTest, AStaffMessageOpensUnderTheUserItNames) {
  Status s = store_->Write([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(auto payload, SealNotification(tx, keyring_, "ten_1", "usr_1", Sample()));
    auto opened = OpenNotification(tx, keyring_, "ten_1", "", payload);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    // Given an account, the payload's subject is not trusted: it opens under that key or not.
    EXPECT_FALSE(OpenNotification(tx, keyring_, "ten_1", "acc_1", payload).ok());
    EXPECT_EQ(OpenNotification(tx, keyring_, "ten_1", "", R"({"sealed":"AAAA"})").status().code(),
              Code::kInvalidArgument);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
}

TEST_F(SealedNotificationTest, ErasedCustomerMessageCannotBeOpened) {
  Status s = store_->Write([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(auto payload, SealNotification(tx, keyring_, "ten_1", "acc_1", Sample()));
    // An erased customer: the data key's row is kept, marked destroyed (there is no erasure
    // use case yet, so the row is written as one would leave it).
    SB_ASSIGN_OR_RETURN(auto key, tx.GetSubjectKey("ten_1", "acc_1"));
    key.subject_id = "acc_erased";
    key.destroyed_at = 1;
    SB_RETURN_IF_ERROR(tx.InsertSubjectKey(key));
    auto opened = OpenNotification(tx, keyring_, "ten_1", "acc_erased", payload);
    EXPECT_EQ(opened.status().code(), Code::kNotFound);
    EXPECT_EQ(opened.status().reason(), "erased");
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
}

TEST_F(SealedNotificationTest, RefusesWhatIsNotASealedNotification) {
  Status s = store_->Write([&](domain::Tx& tx) -> Status {
    for (std::string bad :
         {"", "{}", R"({"sealed":7})", R"({"sealed":"%%%"})", R"({"type":"x"})"}) {
      auto opened = OpenNotification(tx, keyring_, "ten_1", "acc_1", bad);
      EXPECT_EQ(opened.status().code(), Code::kInvalidArgument) << bad;
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
}

}  // namespace
}  // namespace sb::app
