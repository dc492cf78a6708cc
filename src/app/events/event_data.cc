// Strict readers of inbound events' data, one per type (see event_data.h).
#include "app/events/event_data.h"

#include <initializer_list>
#include <string_view>
#include <utility>

namespace sb::app::events {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxId = 200;
constexpr std::size_t kMaxText = 500;

std::string Param(std::string_view key) { return "data." + std::string(key); }

Status OnlyFields(const json::object& d, std::initializer_list<std::string_view> allowed) {
  for (const auto& kv : d) {
    bool known = false;
    for (std::string_view a : allowed) known |= kv.key() == a;
    if (!known) return Status::Invalid(Param(kv.key()), "unknown field", "unknown_field");
  }
  return Status::Ok();
}

// A string field of 1 to `max` bytes; nullopt when absent.
Result<std::optional<std::string>> OptString(const json::object& d, std::string_view key,
                                             std::size_t max) {
  const json::value* v = d.if_contains(key);
  if (!v) return std::optional<std::string>();
  if (!v->is_string() || v->as_string().empty() || v->as_string().size() > max) {
    return Status::Invalid(Param(key), Param(key) + " must be a non-empty string of at most " +
                                           std::to_string(max) + " bytes");
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::string> RequiredString(const json::object& d, std::string_view key, std::size_t max) {
  SB_ASSIGN_OR_RETURN(std::optional<std::string> s, OptString(d, key, max));
  if (!s) return Status::Invalid(Param(key), Param(key) + " is required", "required");
  return std::move(*s);
}

// An integer (no fraction, no exponent) within [min, max]; nullopt when absent.
Result<std::optional<std::int64_t>> OptInt(const json::object& d, std::string_view key,
                                           std::int64_t min, std::int64_t max) {
  const json::value* v = d.if_contains(key);
  if (!v) return std::optional<std::int64_t>();
  if (!v->is_int64() || v->as_int64() < min || v->as_int64() > max) {
    return Status::Invalid(Param(key), Param(key) + " must be an integer from " +
                                           std::to_string(min) + " to " + std::to_string(max));
  }
  return std::optional<std::int64_t>(v->as_int64());
}

constexpr std::int64_t kMaxAmount = 1'000'000'000'000;  // as for amount_due_minor

Result<AccountRef> ReadAccount(const json::object& d) {
  AccountRef a;
  bool by_id = d.contains("account_id");
  if (by_id == d.contains("external_ref")) {
    return Status::Invalid("data.account_id", "give exactly one of account_id and external_ref");
  }
  if (by_id) {
    SB_ASSIGN_OR_RETURN(a.account_id, RequiredString(d, "account_id", kMaxId));
  } else {
    SB_ASSIGN_OR_RETURN(a.external_ref, RequiredString(d, "external_ref", kMaxId));
  }
  return a;
}

Result<EventData> ReadPaymentReceived(const json::object& d) {
  SB_RETURN_IF_ERROR(OnlyFields(d, {"account_id", "external_ref", "amount_minor", "currency"}));
  PaymentReceived p;
  SB_ASSIGN_OR_RETURN(p.account, ReadAccount(d));
  SB_ASSIGN_OR_RETURN(auto amount, OptInt(d, "amount_minor", 1, kMaxAmount));
  if (!amount) return Status::Invalid("data.amount_minor", "amount_minor is required", "required");
  p.amount_minor = *amount;
  SB_ASSIGN_OR_RETURN(p.currency, RequiredString(d, "currency", kMaxId));
  return EventData(std::move(p));
}

Result<EventData> ReadPaymentFailed(const json::object& d) {
  SB_RETURN_IF_ERROR(
      OnlyFields(d, {"account_id", "external_ref", "amount_minor", "currency", "reason"}));
  PaymentFailed p;
  SB_ASSIGN_OR_RETURN(p.account, ReadAccount(d));
  SB_ASSIGN_OR_RETURN(p.amount_minor, OptInt(d, "amount_minor", 1, kMaxAmount));
  SB_ASSIGN_OR_RETURN(p.currency, OptString(d, "currency", kMaxId));
  SB_ASSIGN_OR_RETURN(auto reason, OptString(d, "reason", kMaxId));
  p.reason = reason.value_or("");
  return EventData(std::move(p));
}

Result<EventData> ReadKyc(const json::object& d) {
  SB_RETURN_IF_ERROR(OnlyFields(d, {"account_id", "external_ref", "kyc_level"}));
  KycCompleted k;
  SB_ASSIGN_OR_RETURN(k.account, ReadAccount(d));
  SB_ASSIGN_OR_RETURN(auto level, OptInt(d, "kyc_level", 0, 3));
  if (!level) return Status::Invalid("data.kyc_level", "kyc_level is required", "required");
  k.kyc_level = static_cast<int>(*level);
  return EventData(std::move(k));
}

Result<EventData> ReadFault(const json::object& d, bool resolved) {
  if (resolved) {
    SB_RETURN_IF_ERROR(OnlyFields(d, {"account_id", "external_ref", "service_id", "fault_id"}));
  } else {
    SB_RETURN_IF_ERROR(
        OnlyFields(d, {"account_id", "external_ref", "service_id", "fault_id", "description"}));
  }
  Fault f;
  f.resolved = resolved;
  SB_ASSIGN_OR_RETURN(f.account, ReadAccount(d));
  SB_ASSIGN_OR_RETURN(f.service_id, OptString(d, "service_id", kMaxId));
  SB_ASSIGN_OR_RETURN(auto fault_id, OptString(d, "fault_id", kMaxId));
  f.fault_id = fault_id.value_or("");
  SB_ASSIGN_OR_RETURN(auto description, OptString(d, "description", kMaxText));
  f.description = description.value_or("");
  return EventData(std::move(f));
}

Result<EventData> ReadProvisioning(const json::object& d, bool succeeded) {
  SB_RETURN_IF_ERROR(OnlyFields(d, {"request_id", "detail"}));
  ProvisioningResult p;
  p.succeeded = succeeded;
  SB_ASSIGN_OR_RETURN(p.request_id, RequiredString(d, "request_id", kMaxId));
  SB_ASSIGN_OR_RETURN(auto detail, OptString(d, "detail", kMaxText));
  p.detail = detail.value_or("");
  return EventData(std::move(p));
}

Result<EventData> ReadInactive(const json::object& d, Timestamp now) {
  SB_RETURN_IF_ERROR(OnlyFields(d, {"account_id", "external_ref", "inactive_since"}));
  CustomerInactive c;
  SB_ASSIGN_OR_RETURN(c.account, ReadAccount(d));
  SB_ASSIGN_OR_RETURN(auto since, OptString(d, "inactive_since", 64));
  if (since) {
    c.inactive_since = ParseRfc3339(*since);
    if (!c.inactive_since || *c.inactive_since > now) {
      return Status::Invalid("data.inactive_since",
                             "inactive_since must be an RFC 3339 time, not in the future");
    }
  }
  return EventData(std::move(c));
}

}  // namespace

Result<EventData> ParseEventData(const std::string& type, const json::object& data, Timestamp now) {
  if (type == "payment.received") return ReadPaymentReceived(data);
  if (type == "payment.failed") return ReadPaymentFailed(data);
  if (type == "kyc.completed") return ReadKyc(data);
  if (type == "fault.reported") return ReadFault(data, false);
  if (type == "fault.resolved") return ReadFault(data, true);
  if (type == "provisioning.completed") return ReadProvisioning(data, true);
  if (type == "provisioning.failed") return ReadProvisioning(data, false);
  if (type == "customer.inactive") return ReadInactive(data, now);
  return EventData(Ignored{});
}

}  // namespace sb::app::events
