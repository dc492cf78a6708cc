// The account as the API shows it: the stored card without its token, the authorized users
// and the security settings.
#include "http/json_view.h"

#include <gtest/gtest.h>

namespace sb::http {
namespace {

namespace json = boost::json;

TEST(AccountJson, ShowsTheCardButNeverItsToken) {
  app::AccountView v;
  v.profile.billing_address = "9 Billing Rd";
  v.profile.payment_method = domain::PaymentMethod{"tok_secret_1", "visa", "4242", 12, 2030};
  v.profile.authorized_users = {{"usr_1", "Sam", "sam@example.net", "view"}};
  v.profile.security.two_factor = true;
  v.profile.security.two_factor_method = "totp";
  v.profile.security.pin_reset_at = 0;
  json::object o = ToJson(v);
  EXPECT_EQ(json::serialize(o.at("payment_method")),
            R"({"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030})");
  EXPECT_EQ(json::serialize(o).find("tok_secret_1"), std::string::npos);
  EXPECT_EQ(o.at("billing_address"), json::value("9 Billing Rd"));
  EXPECT_EQ(json::serialize(o.at("authorized_users")),
            R"([{"id":"usr_1","name":"Sam","email":"sam@example.net","permission":"view"}])");
  EXPECT_EQ(json::serialize(o.at("security")),
            R"({"two_factor":true,"two_factor_method":"totp",)"
            R"("pin_reset_at":"1970-01-01T00:00:00.000Z","password_reset_at":null})");
}

TEST(AccountJson, AProfileWithoutCardOrSecurityShowsDefaults) {
  json::object o = ToJson(app::AccountView{});
  EXPECT_TRUE(o.at("payment_method").is_null());
  EXPECT_TRUE(o.at("authorized_users").as_array().empty());
  EXPECT_EQ(json::serialize(o.at("security")),
            R"({"two_factor":false,"two_factor_method":null,"pin_reset_at":null,)"
            R"("password_reset_at":null})");
}

}  // namespace
}  // namespace sb::http
