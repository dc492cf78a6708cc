// TMF638 Service resources over AccountUseCases' service reads.

#include "http/handlers/service_inventory.h"

#include <boost/json.hpp>

#include "app/accounts/accounts.h"
#include "common/time.h"
#include "http/problem.h"

namespace sb::http::handlers::service_inventory {
namespace {

namespace json = boost::json;

constexpr std::string_view kBase = "/tmf-api/serviceInventory/v4/service";

json::object Characteristic(std::string_view name, std::string_view value) {
  return {{"name", name}, {"valueType", "string"}, {"value", value}};
}

// One TMF638 Service. No personal data: the party is named by the account's id and the
// client's own external_ref.
json::object ToTmf(const app::ServiceOfAccount& item) {
  const domain::Service& s = item.service;
  std::string href(kBase);
  href.append("/").append(s.id);
  std::string_view state = TmfServiceState(s.status);
  json::object o{
      {"id", s.id},
      {"href", href},
      {"name", s.plan_code},
      {"state", state},
      {"isServiceEnabled", state == "active"},
      {"hasStarted", s.status != domain::ServiceStatus::kPending},
      {"startDate", FormatRfc3339(s.created_at)},
      {"serviceSpecification",
       {{"id", s.plan_code}, {"name", s.plan_code}, {"@referredType", "ServiceSpecification"}}},
      {"relatedParty",
       json::array{json::object{
           {"id", s.account_id}, {"role", "customer"}, {"@referredType", "Customer"}}}},
      {"serviceCharacteristic",
       json::array{Characteristic("switchboardStatus", domain::Name(s.status)),
                   Characteristic("accountExternalRef", item.external_ref)}},
      {"@type", "Service"},
      {"@baseType", "Service"},
  };
  if (s.terminated_at) o["endDate"] = FormatRfc3339(*s.terminated_at);
  return o;
}

}  // namespace

std::string_view TmfServiceState(domain::ServiceStatus status) {
  switch (status) {
    case domain::ServiceStatus::kPending:
      return "inactive";  // exists, not yet activated for the customer
    case domain::ServiceStatus::kActive:
      return "active";
    case domain::ServiceStatus::kSuspended:
      return "suspended";
    case domain::ServiceStatus::kTerminated:
      return "terminated";
  }
  return "inactive";
}

Response GetService(Exchange& ex) {
  auto item = ex.api().accounts.GetService(ex.ctx(), ex.Param("id"));
  if (!item.ok()) return ProblemResponse(item.status());
  Response r = JsonResponse(200, ToTmf(*item));
  r.SetHeader("ETag", "\"" + std::to_string(item->service.version) + "\"");
  return r;
}

Response ListServices(Exchange& ex) {
  std::optional<std::string> party = ex.Query("relatedParty.id");
  if (!party || party->empty()) {
    return ProblemResponse(Status::Invalid(
        "relatedParty.id", "'relatedParty.id' (an account id or external_ref) is required.",
        "required"));
  }
  std::optional<std::int64_t> offset, limit;
  Status s = ex.QueryInt("offset", 0, 1'000'000, &offset);
  if (s.ok()) s = ex.QueryInt("limit", 1, 1000, &limit);
  if (!s.ok()) return ProblemResponse(s);
  auto items = ex.api().accounts.ServicesOfParty(ex.ctx(), *party);
  if (!items.ok()) return ProblemResponse(items.status());
  json::array out;
  std::size_t first = static_cast<std::size_t>(offset.value_or(0));
  std::size_t count = static_cast<std::size_t>(limit.value_or(100));
  for (std::size_t i = first; i < items->size() && out.size() < count; ++i) {
    out.push_back(ToTmf((*items)[i]));
  }
  Response r;
  r.status = 200;
  r.SetHeader("Content-Type", "application/json");
  r.SetHeader("X-Total-Count", std::to_string(items->size()));
  r.SetHeader("X-Result-Count", std::to_string(out.size()));
  r.body = json::serialize(out);
  return r;
}

}  // namespace sb::http::handlers::service_inventory
