// Storage contract: tenant notification templates (stored, replaced, deleted and stored
// again, listed in key order from a starting key, counted), each tenant seeing only its own.

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;
using V = std::vector<std::string>;

NotificationTemplate Template(const std::string& tenant, const std::string& notification,
                              const std::string& channel, const std::string& locale) {
  NotificationTemplate t;
  t.tenant_id = tenant;
  t.notification = notification;
  t.channel = channel;
  t.locale = locale;
  t.body = "Hello {{customer_name}}, " + notification + " in " + locale;
  t.version = 1;
  t.created_at = kT0;
  t.updated_at = kT0 + 1;
  return t;
}

auto TemplateFields(const NotificationTemplate& t) {
  return std::make_tuple(t.tenant_id, t.notification, t.channel, t.locale, t.body, t.version,
                         t.created_at, t.updated_at, t.deleted_at);
}

V Keys(const std::vector<NotificationTemplate>& list) {
  V out;
  for (const NotificationTemplate& t : list) {
    out.push_back(t.notification + "/" + t.channel + "/" + t.locale);
  }
  return out;
}

TEST_P(StoreContract, NotificationTemplatesRoundTripAndStayWithTheirTenant) {
  AddTenants({"ten_a", "ten_b"});
  NotificationTemplate t = Template("ten_a", "service.suspended", "sms", "fr");
  t.deleted_at = kT0 + 2;
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.PutNotificationTemplate(t); }));
  auto got = Get(
      [](Tx& tx) { return tx.GetNotificationTemplate("ten_a", "service.suspended", "sms", "fr"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(TemplateFields(*got), TemplateFields(t));
  EXPECT_EQ(Get([](Tx& tx) {
              return tx.GetNotificationTemplate("ten_b", "service.suspended", "sms", "fr");
            })
                .status()
                .code(),
            Code::kNotFound);
  EXPECT_EQ(Get([](Tx& tx) {
              return tx.GetNotificationTemplate("ten_a", "service.suspended", "sms", "en");
            })
                .status()
                .code(),
            Code::kNotFound);
}

TEST_P(StoreContract, StoringANotificationTemplateAgainReplacesEveryField) {
  AddTenants({"ten_a"});
  NotificationTemplate first = Template("ten_a", "request.received", "email", "en");
  first.deleted_at = kT0 + 5;
  NotificationTemplate second = first;
  second.body = "subject: again\n--- text\nagain";
  second.version = 2;
  second.created_at = kT0 + 6;
  second.updated_at = kT0 + 7;
  second.deleted_at.reset();
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.PutNotificationTemplate(first); }));
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.PutNotificationTemplate(second); }));
  auto got = Get([](Tx& tx) {
    return tx.GetNotificationTemplate("ten_a", "request.received", "email", "en");
  });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(TemplateFields(*got), TemplateFields(second));
  auto count = Get([](Tx& tx) { return tx.CountNotificationTemplates("ten_a"); });
  SB_ASSERT_OK(count.status());
  EXPECT_EQ(*count, 1);
}

TEST_P(StoreContract, NotificationTemplatesListInKeyOrderWithoutTheDeletedOnes) {
  AddTenants({"ten_a", "ten_b"});
  NotificationTemplate deleted = Template("ten_a", "request.completed", "email", "fr");
  deleted.deleted_at = kT0 + 9;
  SB_ASSERT_OK(Write([&](Tx& tx) {
    // Inserted out of order; "service.suspended" sorts after "service.reconnected", and
    // "request.received" after "request.completed".
    for (const NotificationTemplate& t :
         {Template("ten_a", "service.suspended", "email", "en"),
          Template("ten_a", "request.received", "sms", "en"),
          Template("ten_a", "service.reconnected", "sms", "fr"),
          Template("ten_a", "request.received", "email", "fr"),
          Template("ten_a", "request.received", "email", "en"), deleted,
          Template("ten_b", "request.completed", "email", "en")}) {
      SB_RETURN_IF_ERROR(tx.PutNotificationTemplate(t));
    }
    return Status::Ok();
  }));
  auto all = Get([](Tx& tx) { return tx.ListNotificationTemplates("ten_a", {}, 100); });
  SB_ASSERT_OK(all.status());
  EXPECT_EQ(Keys(*all),
            (V{"request.received/email/en", "request.received/email/fr", "request.received/sms/en",
               "service.reconnected/sms/fr", "service.suspended/email/en"}));
  auto first = Get([](Tx& tx) { return tx.ListNotificationTemplates("ten_a", {}, 2); });
  SB_ASSERT_OK(first.status());
  EXPECT_EQ(Keys(*first), (V{"request.received/email/en", "request.received/email/fr"}));
  auto next = Get([](Tx& tx) {
    return tx.ListNotificationTemplates("ten_a", {"request.received", "email", "fr"}, 2);
  });
  SB_ASSERT_OK(next.status());
  EXPECT_EQ(Keys(*next), (V{"request.received/sms/en", "service.reconnected/sms/fr"}));
  // A start that names no stored template still starts after it.
  auto between = Get([](Tx& tx) {
    return tx.ListNotificationTemplates("ten_a", {"service.a", "email", "en"}, 10);
  });
  SB_ASSERT_OK(between.status());
  EXPECT_EQ(Keys(*between), (V{"service.reconnected/sms/fr", "service.suspended/email/en"}));
  auto count = Get([](Tx& tx) { return tx.CountNotificationTemplates("ten_a"); });
  SB_ASSERT_OK(count.status());
  EXPECT_EQ(*count, 5);
  auto other = Get([](Tx& tx) { return tx.ListNotificationTemplates("ten_b", {}, 100); });
  SB_ASSERT_OK(other.status());
  EXPECT_EQ(Keys(*other), V{"request.completed/email/en"});
  auto none = Get([](Tx& tx) { return tx.CountNotificationTemplates("ten_c"); });
  SB_ASSERT_OK(none.status());
  EXPECT_EQ(*none, 0);
}

}  // namespace
}  // namespace sb::testing
