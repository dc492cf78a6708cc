// billing_info_update: the stored payment card (the processor's token and what a person may
// see of it) and the billing address.
#include <chrono>

#include "app/requests/effects/profile_effects.h"

namespace sb::app::effects {

namespace json = boost::json;

namespace {

bool IsTokenChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// The year and month (1..12) of `now`, UTC.
std::pair<int, int> YearMonth(Timestamp now) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(sys_time<milliseconds>(milliseconds(now)))};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month()))};
}

// What may be shown of a card: everything but the token.
json::object VisibleCard(const domain::PaymentMethod& m) {
  return {
      {"brand", m.brand}, {"last4", m.last4}, {"exp_month", m.exp_month}, {"exp_year", m.exp_year}};
}

Status ReadToken(const PayloadReader& r, std::string& token) {
  SB_ASSIGN_OR_RETURN(token, r.RequiredText("token"));
  bool ok = token.size() <= 100;
  for (char c : token) ok = ok && IsTokenChar(c);
  if (!ok) return r.Error("token", "token must be 1 to 100 of A-Z, a-z, 0-9, '_', '-'");
  return Status::Ok();
}

Status ReadLast4(const PayloadReader& r, std::string& last4) {
  SB_ASSIGN_OR_RETURN(last4, r.RequiredText("last4"));
  bool ok = last4.size() == 4;
  for (char c : last4) ok = ok && c >= '0' && c <= '9';
  if (!ok) return r.Error("last4", "last4 must be exactly 4 digits");
  return Status::Ok();
}

// A card that expires at the end of its month, judged at `now`.
Result<domain::PaymentMethod> ReadCard(const PayloadReader& r, Timestamp now) {
  SB_RETURN_IF_ERROR(r.OnlyFields({"token", "brand", "last4", "exp_month", "exp_year"}));
  domain::PaymentMethod m;
  SB_RETURN_IF_ERROR(ReadToken(r, m.token));
  SB_ASSIGN_OR_RETURN(auto brand,
                      r.OneOf("brand", {"visa", "mastercard", "amex", "discover", "other"}));
  if (!brand) return r.Error("brand", "brand is required", "required");
  m.brand = *brand;
  SB_RETURN_IF_ERROR(ReadLast4(r, m.last4));
  SB_ASSIGN_OR_RETURN(auto month, r.Int("exp_month", 1, 12));
  if (!month) return r.Error("exp_month", "exp_month is required", "required");
  SB_ASSIGN_OR_RETURN(auto year, r.Int("exp_year", 2000, 2100));
  if (!year) return r.Error("exp_year", "exp_year is required", "required");
  m.exp_month = static_cast<int>(*month);
  m.exp_year = static_cast<int>(*year);
  auto [now_year, now_month] = YearMonth(now);
  if (m.exp_year < now_year) return r.Error("exp_year", "the card has expired", "card_expired");
  if (m.exp_year == now_year && m.exp_month < now_month) {
    return r.Error("exp_month", "the card has expired", "card_expired");
  }
  return m;
}

class BillingEffect final : public ProfileEffect {
 public:
  Status Read(const json::object& payload, Timestamp now) override {
    PayloadReader r(payload, "payload");
    SB_RETURN_IF_ERROR(r.OnlyFields({"payment_method", "billing_address"}));
    SB_ASSIGN_OR_RETURN(const json::object* card, r.Object("payment_method"));
    if (card) {
      SB_ASSIGN_OR_RETURN(card_, ReadCard(PayloadReader(*card, r.Path("payment_method")), now));
    }
    SB_ASSIGN_OR_RETURN(billing_address_, r.Text("billing_address"));
    if (!card_ && !billing_address_) {
      return Status::Invalid("payload", "give payment_method, billing_address or both",
                             "empty_payload");
    }
    return Status::Ok();
  }

  Status Check(const AccountState& state, const domain::Profile&) const override {
    return domain::CheckAccountOpen(state.account);
  }

  json::object Summary() const override {
    json::object o{{"fields", Fields()}};
    if (card_) o["payment_method"] = VisibleCard(*card_);
    return o;
  }

  // The audit entry shows brand and last4 of the card, and the billing address only sealed.
  Result<ProfileChange> Apply(const EffectEnv& env, domain::Profile& profile) const override {
    ProfileChange c;
    c.category = domain::AuditCategory::kPayment;
    c.action = "customer.billing_changed";
    c.result = {{"fields_changed", Fields()}};
    if (card_) {
      if (profile.payment_method) c.before = CardAudit(*profile.payment_method);
      c.after = CardAudit(*card_);
      profile.payment_method = card_;
      c.result["payment_method"] = VisibleCard(*card_);
    }
    if (billing_address_) {
      std::vector<std::string> field = {"billing_address"};
      const domain::Account& a = env.account;
      SB_ASSIGN_OR_RETURN(
          auto before, SealedProfileFields(env.tx, env.keyring, a.tenant_id, a.id, profile, field));
      profile.billing_address = *billing_address_;
      SB_ASSIGN_OR_RETURN(
          auto after, SealedProfileFields(env.tx, env.keyring, a.tenant_id, a.id, profile, field));
      c.before["billing_address"] = before["billing_address"];
      c.after["billing_address"] = after["billing_address"];
    }
    return c;
  }

 private:
  static json::object CardAudit(const domain::PaymentMethod& m) {
    return {{"brand", m.brand}, {"last4", m.last4}};
  }

  json::array Fields() const {
    json::array a;
    if (card_) a.push_back("payment_method");
    if (billing_address_) a.push_back("billing_address");
    return a;
  }

  std::optional<domain::PaymentMethod> card_;
  std::optional<std::string> billing_address_;
};

}  // namespace

std::unique_ptr<ProfileEffect> NewBillingEffect() { return std::make_unique<BillingEffect>(); }

}  // namespace sb::app::effects
