// Strict readers of inbound events' data, one per type (see event_data.h), on the app's one
// strict JSON reader (app/core/json_fields.h).
#include "app/events/event_data.h"

#include <string_view>
#include <utility>

#include "app/core/json_fields.h"
#include "domain/reconciliation.h"

namespace sb::app::events {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxId = 200;
constexpr std::size_t kMaxText = 500;

// An event's data: a field sent as null is a value (of the wrong type); every problem is
// "invalid" but a missing one ("required").
JsonFields Data(const json::object& d) { return JsonFields(d, "data", JsonNull::kValue); }

constexpr std::int64_t kMaxAmount = 1'000'000'000'000;  // as for amount_due_minor

Result<AccountRef> ReadAccount(const json::object& d) {
  AccountRef a;
  bool by_id = d.contains("account_id");
  if (by_id == d.contains("external_ref")) {
    return Status::Invalid("data.account_id", "give exactly one of account_id and external_ref");
  }
  if (by_id) {
    SB_ASSIGN_OR_RETURN(a.account_id, Data(d).RequiredString("account_id", 1, kMaxId));
  } else {
    SB_ASSIGN_OR_RETURN(a.external_ref, Data(d).RequiredString("external_ref", 1, kMaxId));
  }
  return a;
}

Result<EventData> ReadPaymentReceived(const json::object& d) {
  SB_RETURN_IF_ERROR(
      Data(d).OnlyFields({"account_id", "external_ref", "amount_minor", "currency"}));
  PaymentReceived p;
  SB_ASSIGN_OR_RETURN(p.account, ReadAccount(d));
  SB_ASSIGN_OR_RETURN(auto amount, Data(d).Int("amount_minor", 1, kMaxAmount));
  if (!amount) return Status::Invalid("data.amount_minor", "amount_minor is required", "required");
  p.amount_minor = *amount;
  SB_ASSIGN_OR_RETURN(p.currency, Data(d).RequiredString("currency", 1, kMaxId));
  return EventData(std::move(p));
}

Result<EventData> ReadPaymentFailed(const json::object& d) {
  SB_RETURN_IF_ERROR(
      Data(d).OnlyFields({"account_id", "external_ref", "amount_minor", "currency", "reason"}));
  PaymentFailed p;
  SB_ASSIGN_OR_RETURN(p.account, ReadAccount(d));
  SB_ASSIGN_OR_RETURN(p.amount_minor, Data(d).Int("amount_minor", 1, kMaxAmount));
  SB_ASSIGN_OR_RETURN(p.currency, Data(d).String("currency", 1, kMaxId));
  SB_ASSIGN_OR_RETURN(auto reason, Data(d).String("reason", 1, kMaxId));
  p.reason = reason.value_or("");
  return EventData(std::move(p));
}

Result<EventData> ReadKyc(const json::object& d) {
  SB_RETURN_IF_ERROR(Data(d).OnlyFields({"account_id", "external_ref", "kyc_level"}));
  KycCompleted k;
  SB_ASSIGN_OR_RETURN(k.account, ReadAccount(d));
  SB_ASSIGN_OR_RETURN(auto level, Data(d).Int("kyc_level", 0, 3));
  if (!level) return Status::Invalid("data.kyc_level", "kyc_level is required", "required");
  k.kyc_level = static_cast<int>(*level);
  return EventData(std::move(k));
}

Result<EventData> ReadFault(const json::object& d, bool resolved) {
  if (resolved) {
    SB_RETURN_IF_ERROR(
        Data(d).OnlyFields({"account_id", "external_ref", "service_id", "fault_id"}));
  } else {
    SB_RETURN_IF_ERROR(Data(d).OnlyFields(
        {"account_id", "external_ref", "service_id", "fault_id", "description"}));
  }
  Fault f;
  f.resolved = resolved;
  SB_ASSIGN_OR_RETURN(f.account, ReadAccount(d));
  SB_ASSIGN_OR_RETURN(f.service_id, Data(d).String("service_id", 1, kMaxId));
  SB_ASSIGN_OR_RETURN(auto fault_id, Data(d).String("fault_id", 1, kMaxId));
  f.fault_id = fault_id.value_or("");
  SB_ASSIGN_OR_RETURN(auto description, Data(d).String("description", 1, kMaxText));
  f.description = description.value_or("");
  return EventData(std::move(f));
}

Result<EventData> ReadProvisioning(const json::object& d, bool succeeded) {
  SB_RETURN_IF_ERROR(Data(d).OnlyFields({"request_id", "detail"}));
  ProvisioningResult p;
  p.succeeded = succeeded;
  SB_ASSIGN_OR_RETURN(p.request_id, Data(d).RequiredString("request_id", 1, kMaxId));
  SB_ASSIGN_OR_RETURN(auto detail, Data(d).String("detail", 1, kMaxText));
  p.detail = detail.value_or("");
  return EventData(std::move(p));
}

Result<EventData> ReadInactive(const json::object& d, Timestamp now) {
  SB_RETURN_IF_ERROR(Data(d).OnlyFields({"account_id", "external_ref", "inactive_since"}));
  CustomerInactive c;
  SB_ASSIGN_OR_RETURN(c.account, ReadAccount(d));
  SB_ASSIGN_OR_RETURN(auto since, Data(d).String("inactive_since", 1, 64));
  if (since) {
    c.inactive_since = ParseRfc3339(*since);
    if (!c.inactive_since || *c.inactive_since > now) {
      return Status::Invalid("data.inactive_since",
                             "inactive_since must be an RFC 3339 time, not in the future");
    }
  }
  return EventData(std::move(c));
}

Result<EventData> ReadFraudAlert(const json::object& d) {
  SB_RETURN_IF_ERROR(Data(d).OnlyFields({"account_id", "external_ref", "alert_id", "reason"}));
  FraudAlert a;
  SB_ASSIGN_OR_RETURN(a.account, ReadAccount(d));
  SB_ASSIGN_OR_RETURN(auto alert_id, Data(d).String("alert_id", 1, kMaxId));
  a.alert_id = alert_id.value_or("");
  SB_ASSIGN_OR_RETURN(auto reason, Data(d).String("reason", 1, kMaxText));
  a.reason = reason.value_or("");
  return EventData(std::move(a));
}

constexpr std::size_t kMaxSnapshotServices = 100;

Result<EventData> ReadStatusSnapshot(const json::object& d) {
  SB_RETURN_IF_ERROR(Data(d).OnlyFields(
      {"account_id", "external_ref", "source", "account_status", "amount_due_minor", "services"}));
  StatusSnapshot s;
  SB_ASSIGN_OR_RETURN(s.account, ReadAccount(d));
  SB_ASSIGN_OR_RETURN(s.source, Data(d).RequiredString("source", 1, 32));
  if (!domain::IsSourceSystemName(s.source)) {
    return Status::Invalid("data.source", "source must be 1 to 32 of a-z, 0-9, '_' and '-'");
  }
  SB_ASSIGN_OR_RETURN(s.account_status, Data(d).String("account_status", 1, 32));
  SB_ASSIGN_OR_RETURN(s.amount_due_minor, Data(d).Int("amount_due_minor", 0, kMaxAmount));
  if (const json::value* services = d.if_contains("services")) {
    if (!services->is_array() || services->as_array().size() > kMaxSnapshotServices) {
      return Status::Invalid("data.services", "services must be an array of at most 100");
    }
    for (std::size_t i = 0; i < services->as_array().size(); ++i) {
      const std::string at = "data.services[" + std::to_string(i) + "]";
      const json::value& v = services->as_array()[i];
      if (!v.is_object()) return Status::Invalid(at, "each service is an object");
      const json::object& o = v.as_object();
      JsonFields f(o, at, JsonNull::kValue);
      SB_RETURN_IF_ERROR(f.OnlyFields({"service_id", "status"}));
      SB_ASSIGN_OR_RETURN(std::string id, f.RequiredString("service_id", 1, kMaxId));
      SB_ASSIGN_OR_RETURN(std::string text, f.RequiredString("status", 1, 32));
      for (const auto& [seen, _] : s.services) {
        if (seen == id)
          return Status::Invalid(at + ".service_id", "service " + id + " is named twice");
      }
      s.services.emplace_back(std::move(id), std::move(text));
    }
  }
  if (!s.account_status && !s.amount_due_minor && s.services.empty()) {
    return Status::Invalid("data",
                           "a snapshot says at least one of account_status, "
                           "amount_due_minor and services");
  }
  return EventData(std::move(s));
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
  if (type == "fraud.alert") return ReadFraudAlert(data);
  if (type == "status.snapshot") return ReadStatusSnapshot(data);
  return EventData(Ignored{});
}

}  // namespace sb::app::events
