// A tenant's own notification templates through a real server: stored, replaced, listed with
// the shipped ones, deleted (the shipped one applies again), refused naming the field with
// nothing stored, kept from other tenants, and what the customer is told afterwards.

#include <set>

#include "tests/support/notification_fixture.h"
#include "tests/support/smtp_sink.h"
#include "tests/support/tenant_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

constexpr const char* kSms = "/v1/notification-templates/service.suspended/sms/en";
constexpr const char* kEmail = "/v1/notification-templates/service.suspended/email/en";

std::string Body(const std::string& text) { return json::serialize(json::object{{"body", text}}); }

class NotificationTemplates : public OwnTenant {
 protected:
  HttpResponse Put(const std::string& path, const std::string& text, Headers h = {}) {
    return Api("PUT", path, Body(text), std::move(h));
  }

  // The ids of every page of GET /v1/notification-templates?<query>, walked `limit` at a time.
  std::vector<std::string> Walk(const std::string& query, int limit) {
    std::vector<std::string> ids;
    std::string after;
    for (int page = 0; page < 100; ++page) {
      std::string target = "/v1/notification-templates?limit=" + std::to_string(limit) + query;
      if (!after.empty()) target += "&starting_after=" + after;
      HttpResponse r = Api("GET", target);
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) break;
      json::value v = r.Json();
      for (const auto& item : v.at("data").as_array()) ids.push_back(Str(item, "id"));
      if (!v.at("has_more").as_bool()) break;
      after = Str(v, "next_cursor");
    }
    return ids;
  }

  // The tenant's audit entries of category security with `action`.
  std::vector<json::object> Audited(const std::string& action) {
    std::vector<json::object> out;
    HttpResponse r = Api("GET", "/v1/audit/entries?category=security&limit=100");
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return out;
    json::value page = r.Json();  // kept alive while its items are read
    for (const auto& e : page.at("data").as_array()) {
      if (Str(e, "action") == action) out.push_back(e.as_object());
    }
    return out;
  }

  // An account with an email address and a phone, its service then suspended (which tells
  // the customer by email and SMS); the account id.
  std::string SuspendedCustomer() {
    std::string id = Str(
        NewAccount(
            {{"email", "ada@example.com"}, {"phone", "+33612345678"}, {"amount_due_minor", 4599}}),
        "id");
    HttpResponse hold = Api("POST", "/v1/accounts/" + id + "/holds",
                            R"({"hold_type":"non_payment"})", {{"X-Reason", "non_payment"}});
    EXPECT_EQ(hold.status, 201) << hold.body;
    // Composed before the answer when the store is not busy, by the job runner's next pass when
    // it is (docs/DESIGN-NOTES.md, "Notifications composed after the change"): a loaded test
    // machine can be either.
    Eventually([&] { return WrittenWith(id).size() >= 2; });
    return id;
  }

  // The template id the account's customer.notification event of service.suspended records.
  std::string ToldWith(const std::string& account) {
    json::array events = Outbox(account, "customer.notification");
    if (events.size() != 1) return "told " + std::to_string(events.size()) + " times";
    return Str(events[0].at("payload").at("data"), "template_id");
  }

  // The template ids of the account's notification.written audit entries, sorted.
  std::vector<std::string> WrittenWith(const std::string& account) {
    std::vector<std::string> out;
    HttpResponse r = Api("GET", "/v1/audit/entries?limit=100&account_id=" + account);
    EXPECT_EQ(r.status, 200) << r.body;
    json::value page = r.Json();  // kept alive while its items are read
    if (r.status != 200) return out;
    for (const auto& e : page.at("data").as_array()) {
      if (Str(e, "action") == "notification.written") {
        out.push_back(Str(e.at("after"), "template_id"));
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

TEST_P(NotificationTemplates, StoredReplacedReadAndListedWithTheShippedOnes) {
  HttpResponse created = Put(kSms, "Account {{account_reference}}: suspended. Pay {{amount_due}}.");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Int(created.Json(), "version"), 1);
  EXPECT_EQ(Str(created.Json(), "source"), "tenant");
  EXPECT_EQ(Str(created.Json(), "template_id"), "tenant:service.suspended/sms/en@v1");
  EXPECT_EQ(created.Header("ETag"), "\"1\"");
  EXPECT_EQ(created.Header("Location"), kSms);

  HttpResponse replaced = Put(kSms, "Suspended: {{account_reference}}.", {{"If-Match", "\"1\""}});
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(Int(replaced.Json(), "version"), 2);
  HttpResponse stale = Put(kSms, "Too late.", {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;

  HttpResponse got = Api("GET", kSms);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Str(got.Json(), "body"), "Suspended: {{account_reference}}.");
  EXPECT_EQ(Int(got.Json(), "version"), 2);
  EXPECT_TRUE(got.Json().at("shipped").as_bool());
  EXPECT_EQ(got.Header("ETag"), "\"2\"");
  HttpResponse shipped = Api("GET", kEmail);
  ASSERT_EQ(shipped.status, 200) << shipped.body;
  EXPECT_EQ(Str(shipped.Json(), "source"), "shipped");
  EXPECT_EQ(Str(shipped.Json(), "template_id"), "shipped:service.suspended/email/en");
  EXPECT_EQ(shipped.Header("ETag"), "");

  // Every key once, in order, whatever the page size; the tenant's replaces the shipped one.
  std::vector<std::string> all = Walk("", 100);
  EXPECT_EQ(Walk("", 7), all);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size());
  EXPECT_EQ(std::count(all.begin(), all.end(), "service.suspended/sms/en"), 1);
  EXPECT_EQ(Walk("&source=tenant", 5), std::vector<std::string>{"service.suspended/sms/en"});
  std::vector<std::string> shipped_only = Walk("&source=shipped", 3);
  EXPECT_EQ(shipped_only.size(), all.size() - 1);
  EXPECT_EQ(std::count(shipped_only.begin(), shipped_only.end(), "service.suspended/sms/en"), 0);

  // Audited with the key, the version and a hash, never the body.
  std::vector<json::object> stored = Audited("notification_template.stored");
  ASSERT_EQ(stored.size(), 2u);
  for (const json::object& e : stored) {
    EXPECT_EQ(Str(e, "subject_id"), "service.suspended/sms/en");
    EXPECT_EQ(Str(e.at("after"), "body_sha256").size(), 64u);
    EXPECT_EQ(json::serialize(e).find("Suspended:"), std::string::npos);
    EXPECT_EQ(json::serialize(e).find("account_reference"), std::string::npos);
  }
}

TEST_P(NotificationTemplates, DeletingBringsTheShippedOneBackAndVersionsGoOn) {
  ASSERT_EQ(Put(kSms, "Mine.").status, 201);
  HttpResponse dry = Api("DELETE", std::string(kSms) + "?dry_run=true");
  EXPECT_EQ(dry.status, 204) << dry.body;
  EXPECT_EQ(Str(Api("GET", kSms).Json(), "source"), "tenant");
  HttpResponse deleted = Api("DELETE", kSms);
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(deleted.body, "");
  HttpResponse got = Api("GET", kSms);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Str(got.Json(), "source"), "shipped");
  EXPECT_EQ(Api("DELETE", kSms).status, 404);
  EXPECT_TRUE(Walk("&source=tenant", 10).empty());
  EXPECT_EQ(Audited("notification_template.deleted").size(), 1u);

  HttpResponse again = Put(kSms, "Mine again.");
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(Int(again.Json(), "version"), 2);
}

struct Refusal {
  const char* name;
  std::string path;
  std::string text;
  int status;
  std::string param;
  std::string code;
};

TEST_P(NotificationTemplates, BadInputIsRefusedNamingTheFieldAndNothingIsStored) {
  const std::string base = "/v1/notification-templates/";
  const std::vector<Refusal> refusals = {
      {"unknown channel", base + "service.suspended/push/en", "Hi", 422, "channel",
       "invalid_value"},
      {"unknown locale", base + "service.suspended/sms/de", "Hi", 422, "locale", "invalid_value"},
      {"not an event name", base + "Suspended/sms/en", "Hi", 422, "notification",
       "unknown_notification"},
      {"no such notification", base + "account.renamed/sms/en", "Hi", 422, "notification",
       "unknown_notification"},
      {"the notification event itself", base + "customer.notification/sms/en", "Hi", 422,
       "notification", "unknown_notification"},
      {"unknown variable", base + "service.suspended/email/en",
       "subject: Hi\n--- text\nHello {{customer_nam}}", 422, "body", "invalid_template"},
      {"email without its text part", base + "service.suspended/email/fr", "subject: Hi", 422,
       "body", "invalid_template"},
      {"over 16 KiB", base + "service.suspended/sms/en", std::string(17 * 1024, 'x'), 422, "body",
       "invalid_template"},
  };
  for (const Refusal& r : refusals) {
    HttpResponse answer = Put(r.path, r.text);
    EXPECT_EQ(answer.status, r.status) << r.name << ": " << answer.body;
    EXPECT_EQ(answer.Header("Content-Type"), "application/problem+json") << r.name;
    EXPECT_EQ(Str(answer.Json(), "param"), r.param) << r.name << ": " << answer.body;
    EXPECT_EQ(Str(answer.Json(), "code"), r.code) << r.name << ": " << answer.body;
  }
  HttpResponse line =
      Put(base + "service.suspended/email/en", "subject: Hi\n--- text\nHello {{customer_nam}}");
  EXPECT_NE(Str(line.Json(), "detail").find("template service.suspended/email/en line 3"),
            std::string::npos)
      << line.body;
  EXPECT_EQ(Api("PUT", kSms, R"({"text":"Hi"})").status, 400);
  EXPECT_EQ(Put(kSms, "Hi", {{"If-Match", "\"3\""}}).status, 412) << "no template to match";
  HttpResponse cursor = Api("GET", "/v1/notification-templates?starting_after=nope");
  EXPECT_EQ(cursor.status, 422) << cursor.body;
  EXPECT_EQ(Str(cursor.Json(), "param"), "starting_after");
  HttpResponse source = Api("GET", "/v1/notification-templates?source=mine");
  EXPECT_EQ(Str(source.Json(), "param"), "source") << source.body;

  EXPECT_TRUE(Walk("&source=tenant", 10).empty());
  EXPECT_TRUE(Audited("notification_template.stored").empty());
}

TEST_P(NotificationTemplates, ANotificationWithNothingShippedNeedsItsFallbackLocaleFirst) {
  // The pack tells of a closed account; no template ships for it.
  ReplacePack([](std::string yaml) {
    return Replace(yaml, "    service.terminated: {channels: [email]}\n",
                   "    service.terminated: {channels: [email]}\n"
                   "    account.closed: {channels: [sms]}\n");
  });
  const std::string fr = "/v1/notification-templates/account.closed/sms/fr";
  const std::string en = "/v1/notification-templates/account.closed/sms/en";
  HttpResponse early = Put(fr, "Compte {{account_reference}} clos.");
  ASSERT_EQ(early.status, 422) << early.body;
  EXPECT_EQ(Str(early.Json(), "code"), "fallback_required");
  EXPECT_EQ(Str(early.Json(), "param"), "locale");
  EXPECT_EQ(Api("GET", fr).status, 404);

  ASSERT_EQ(Put(en, "Account {{account_reference}} closed.").status, 201);
  ASSERT_EQ(Put(fr, "Compte {{account_reference}} clos.").status, 201);
  HttpResponse keep = Api("DELETE", en);
  ASSERT_EQ(keep.status, 422) << keep.body;
  EXPECT_EQ(Str(keep.Json(), "code"), "fallback_required");
  EXPECT_EQ(Str(Api("GET", en).Json(), "source"), "tenant");
  EXPECT_EQ(Api("DELETE", fr).status, 204);
  EXPECT_EQ(Api("DELETE", en).status, 204);
}

TEST_P(NotificationTemplates, AnotherTenantNeitherSeesNorUsesThem) {
  ASSERT_EQ(Put(kSms, "Tenant A: {{account_reference}}.").status, 201);
  std::string other_tenant;
  std::string other = NewTenantKey("Other Tenant", &other_tenant);
  ASSERT_FALSE(other.empty());
  HttpResponse got = CallAs(other, "GET", kSms);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Str(got.Json(), "source"), "shipped");
  EXPECT_EQ(Str(got.Json(), "body").find("Tenant A"), std::string::npos);
  HttpResponse list = CallAs(other, "GET", "/v1/notification-templates?source=tenant");
  ASSERT_EQ(list.status, 200) << list.body;
  json::value listed = list.Json();
  EXPECT_TRUE(listed.at("data").as_array().empty());
  EXPECT_EQ(CallAs(other, "DELETE", kSms).status, 404);
  HttpResponse preview = CallAs(other, "POST", "/v1/notification-templates/preview",
                                R"({"notification":"service.suspended","channel":"sms",)"
                                R"("locale":"en"})");
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(Str(preview.Json(), "template_id"), "shipped:service.suspended/sms/en");
  // Still there for its own tenant.
  EXPECT_EQ(Str(Api("GET", kSms).Json(), "source"), "tenant");
}

TEST_P(NotificationTemplates, TheCustomerIsToldWithTheStoredTemplateUntilItIsDeleted) {
  ASSERT_EQ(Put(kEmail,
                "subject: Account {{account_reference}} on hold\n--- text\n"
                "Dear {{customer_name}}, please pay {{amount_due}}.")
                .status,
            201);
  ASSERT_EQ(Put(kSms, "Pay {{amount_due}} for {{account_reference}}.").status, 201);
  HttpResponse preview = Api("POST", "/v1/notification-templates/preview",
                             R"({"notification":"service.suspended","channel":"sms",)"
                             R"("locale":"en"})");
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(Str(preview.Json(), "template_id"), "tenant:service.suspended/sms/en@v1");
  EXPECT_EQ(Str(preview.Json(), "text"), "Pay 42.00 EUR for CUST-1001.");

  std::string first = SuspendedCustomer();
  EXPECT_EQ(ToldWith(first), "tenant:service.suspended/email/en@v1");
  EXPECT_EQ(WrittenWith(first), (std::vector<std::string>{"tenant:service.suspended/email/en@v1",
                                                          "tenant:service.suspended/sms/en@v1"}));

  ASSERT_EQ(Api("DELETE", kEmail).status, 204);
  std::string second = SuspendedCustomer();
  EXPECT_EQ(WrittenWith(second), (std::vector<std::string>{"shipped:service.suspended/email/en",
                                                           "tenant:service.suspended/sms/en@v1"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationTemplates, ::testing::ValuesIn(Backends()),
                         BackendName);

// Delivered for real: the email the SMTP server receives is the tenant's template rendered.
using TemplateDelivery = NotificationTest;

TEST_P(TemplateDelivery, TheEmailTheCustomerReceivesIsTheTenantsTemplate) {
  SmtpSink sink;
  UseEmail(sink.Url());
  HttpResponse put = Api("PUT", kEmail,
                         Body("subject: On hold: {{account_reference}}\n--- text\n"
                              "Dear {{customer_name}}, please pay {{amount_due}}.\n"
                              "--- html\n<p>Dear {{customer_name}}</p>"));
  ASSERT_EQ(put.status, 201) << put.body;
  json::object account =
      ServerTest::NewAccount({{"email", "ada@example.com"}, {"amount_due_minor", 4599}});
  std::string id = Str(account, "id");
  HttpResponse hold = Api("POST", "/v1/accounts/" + id + "/holds", R"({"hold_type":"non_payment"})",
                          {{"X-Reason", "non_payment"}});
  ASSERT_EQ(hold.status, 201) << hold.body;
  ASSERT_TRUE(sink.WaitForCount(1, 10000));
  json::object got = sink.Messages().at(0);
  EXPECT_EQ(Str(got, "to"), "ada@example.com");
  EXPECT_EQ(Str(got, "subject"), "On hold: " + Str(account, "external_ref"));
  EXPECT_NE(Str(got, "text").find("Dear Test Customer, please pay 45.99 EUR."), std::string::npos)
      << Str(got, "text");
  EXPECT_NE(Str(got, "html").find("<p>Dear Test Customer</p>"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, TemplateDelivery, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
