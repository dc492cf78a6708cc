// The account-data request types: personal_info_update, billing_info_update, access_change,
// ownership_transfer, security_settings_change. Each reads its payload, checks the account,
// and changes the sealed profile (profile_effects.h); this file runs those steps for Prepare
// and Apply and keeps the payload's personal data sealed in between.
#include "app/requests/effects/profile_effects.h"

#include "app/requests/effects/effects.h"
#include "crypto/crypto.h"

namespace sb::app::effects {

namespace json = boost::json;
using domain::RequestType;

namespace {

std::unique_ptr<ProfileEffect> NewEffect(RequestType type) {
  switch (type) {
    case RequestType::kPersonalInfoUpdate:
      return NewPersonalInfoEffect();
    case RequestType::kBillingInfoUpdate:
      return NewBillingEffect();
    case RequestType::kAccessChange:
      return NewAccessEffect();
    case RequestType::kOwnershipTransfer:
      return NewOwnershipEffect();
    case RequestType::kSecuritySettingsChange:
      return NewSecurityEffect();
    default:
      return nullptr;
  }
}

Result<std::unique_ptr<ProfileEffect>> EffectFor(RequestType type) {
  std::unique_ptr<ProfileEffect> effect = NewEffect(type);
  if (!effect) {
    return Status::Internal("not an account-data request type: " + std::string(domain::Name(type)));
  }
  return effect;
}

// The payload as sent, out of what Prepare stored: {..., "sealed": base64 of the payload
// sealed under the account's data key}.
Result<json::object> OpenStoredPayload(domain::Tx& tx, const Keyring& keyring,
                                       const domain::Account& account, const std::string& text) {
  boost::system::error_code ec;
  json::value stored = json::parse(text, ec);
  const json::value* sealed_b64 =
      !ec && stored.is_object() ? stored.as_object().if_contains("sealed") : nullptr;
  if (!sealed_b64 || !sealed_b64->is_string()) {
    return Status::Internal("the request's payload has no sealed part");
  }
  std::optional<std::string> sealed = crypto::FromBase64(sealed_b64->as_string());
  if (!sealed) return Status::Internal("the request's sealed payload is not base64");
  SB_ASSIGN_OR_RETURN(std::string plain, OpenAccountData(tx, keyring, account, *sealed));
  json::value payload = json::parse(plain, ec);
  if (ec || !payload.is_object()) return Status::Internal("the sealed payload is not an object");
  return std::move(payload.as_object());
}

}  // namespace

Result<json::object> PrepareProfile(domain::Tx& tx, const Deps& deps, const CallContext&,
                                    const AccountState& state, const PrepareArgs& args) {
  if (args.service_id) {
    return Status::Invalid("service_id",
                           std::string(domain::Name(args.type)) + " applies to the whole account",
                           "not_allowed");
  }
  SB_RETURN_IF_ERROR(RefuseCardNumbers(*args.payload, "payload"));
  SB_ASSIGN_OR_RETURN(auto effect, EffectFor(args.type));
  SB_RETURN_IF_ERROR(effect->Read(*args.payload, deps.clock.Now()));
  SB_ASSIGN_OR_RETURN(domain::Profile profile, OpenProfile(tx, deps.keyring, state.account));
  SB_RETURN_IF_ERROR(effect->Check(state, profile));
  json::object stored = effect->Summary();
  SB_ASSIGN_OR_RETURN(std::string sealed,
                      deps.keyring.SealFor(tx, state.account.tenant_id, state.account.id,
                                           json::serialize(*args.payload)));
  stored["sealed"] = crypto::Base64(sealed);
  return stored;
}

Result<json::object> ApplyProfile(domain::Tx& tx, const Deps& deps, ChangeRecorder& rec,
                                  AccountState& state, const domain::Request& request,
                                  const domain::RequestPolicy&) {
  const domain::Account& account = state.account;
  SB_ASSIGN_OR_RETURN(auto effect, EffectFor(request.type));
  SB_ASSIGN_OR_RETURN(json::object payload,
                      OpenStoredPayload(tx, deps.keyring, account, request.payload_json));
  // The payload is read and the account checked again: rules about dates are judged now,
  // and the account may have moved since the request was filed.
  SB_RETURN_IF_ERROR(effect->Read(payload, rec.now()));
  SB_ASSIGN_OR_RETURN(domain::Profile profile, OpenProfile(tx, deps.keyring, account));
  SB_RETURN_IF_ERROR(effect->Check(state, profile));
  EffectEnv env{tx, deps.keyring, account, rec.now()};
  SB_ASSIGN_OR_RETURN(ProfileChange change, effect->Apply(env, profile));
  SB_ASSIGN_OR_RETURN(
      state.account.profile_sealed,
      deps.keyring.SealFor(tx, account.tenant_id, account.id, ProfileToJson(profile)));
  SB_RETURN_IF_ERROR(rec.Audit(change.category, change.action, "account", account.id, account.id,
                               request.id, change.before, change.after));
  SB_ASSIGN_OR_RETURN(std::vector<domain::Hold> lifted, LiftClearedHolds(tx, rec, state, request));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, state, &request));
  if (!lifted.empty()) {
    json::array ids;
    for (const domain::Hold& h : lifted) ids.push_back(json::value(h.id));
    change.result["holds_lifted"] = std::move(ids);
  }
  return std::move(change.result);
}

}  // namespace sb::app::effects
