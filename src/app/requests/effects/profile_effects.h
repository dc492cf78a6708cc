#pragma once

// Internal to the account-data request types (personal_info_update, billing_info_update,
// access_change, ownership_transfer, security_settings_change): a strict reader for their
// payloads, and the steps every one of them takes, which profile_effects.cc runs
// for Prepare and again for Apply.

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/accounts/account_data.h"
#include "app/accounts/account_state.h"
#include "app/core/change.h"
#include "app/core/keyring.h"
#include "common/status.h"
#include "common/time.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app::effects {

// Longest text a payload field may carry, in bytes.
constexpr size_t kMaxPayloadText = 200;

// Reads one JSON object of a payload strictly. Every error is kInvalidArgument naming
// "<prefix>.<field>" and never quotes the value sent. Holds a reference to the object.
class PayloadReader {
 public:
  PayloadReader(const boost::json::object& o, std::string prefix)
      : o_(o), prefix_(std::move(prefix)) {}

  // "unknown_field" for the first field not in `allowed`.
  Status OnlyFields(std::initializer_list<std::string_view> allowed) const;
  bool Has(std::string_view field) const { return o_.contains(field); }
  std::string Path(std::string_view field) const;
  // kInvalidArgument `reason` naming `field`, with `message`.
  Status Error(std::string_view field, std::string message, std::string reason = "invalid") const;

  // A string of at most kMaxPayloadText bytes, taken as sent; nullopt when absent.
  Result<std::optional<std::string>> Text(std::string_view field) const;
  // Like Text, but "required" when absent or empty.
  Result<std::string> RequiredText(std::string_view field) const;
  // A Text that is an email address: kUnprocessable "invalid_email" otherwise
  // (domain::CheckEmail).
  Result<std::optional<std::string>> Email(std::string_view field) const;
  // A Text that is empty (no phone) or an E.164 number: kUnprocessable "invalid_phone"
  // otherwise (domain::CheckPhone).
  Result<std::optional<std::string>> Phone(std::string_view field) const;
  // A Text equal to one of `values`.
  Result<std::optional<std::string>> OneOf(std::string_view field,
                                           std::initializer_list<std::string_view> values) const;
  Result<std::optional<bool>> Bool(std::string_view field) const;
  // An integer in [min, max].
  Result<std::optional<std::int64_t>> Int(std::string_view field, std::int64_t min,
                                          std::int64_t max) const;
  // A nested object; null when absent.
  Result<const boost::json::object*> Object(std::string_view field) const;

 private:
  const boost::json::object& o_;
  std::string prefix_;
};

// kUnprocessable "card_number_refused" naming where in `v` (rooted at `path`) a string or a
// key looks like a full card number (domain/card_numbers.h). The number is never quoted.
Status RefuseCardNumbers(const boost::json::value& v, const std::string& path);

// What an effect may use while it changes a profile.
struct EffectEnv {
  domain::Tx& tx;
  const Keyring& keyring;
  const domain::Account& account;
  Timestamp now;
};

// What applying an effect changed: the request's result and its one audit entry (personal
// data only sealed, see SealedProfileFields).
struct ProfileChange {
  boost::json::object result;
  domain::AuditCategory category = domain::AuditCategory::kCustomerData;
  std::string action;
  boost::json::object before;
  boost::json::object after;
};

// One request type's effect on the account's profile. Not thread-safe; one per call.
class ProfileEffect {
 public:
  virtual ~ProfileEffect() = default;
  // Reads the payload strictly: as sent (Prepare) or as opened from the stored one (Apply).
  // `now` is the time rules about dates are judged against.
  virtual Status Read(const boost::json::object& payload, Timestamp now) = 0;
  // Refuses what cannot apply to the account and its profile as they stand.
  // REQUIRES: Read succeeded.
  virtual Status Check(const AccountState& state, const domain::Profile& profile) const = 0;
  // What the stored payload keeps in clear: never personal data or secrets.
  // REQUIRES: Read succeeded.
  virtual boost::json::object Summary() const = 0;
  // Changes `profile` and says what changed. REQUIRES: Check succeeded on `profile`.
  virtual Result<ProfileChange> Apply(const EffectEnv& env, domain::Profile& profile) const = 0;
};

std::unique_ptr<ProfileEffect> NewPersonalInfoEffect();  // profile_effects_customer.cc
std::unique_ptr<ProfileEffect> NewOwnershipEffect();     // profile_effects_customer.cc
std::unique_ptr<ProfileEffect> NewBillingEffect();       // profile_effects_payment_method.cc
std::unique_ptr<ProfileEffect> NewAccessEffect();        // profile_effects_access.cc
std::unique_ptr<ProfileEffect> NewSecurityEffect();      // profile_effects_access.cc

}  // namespace sb::app::effects
