// GET /v1/accounts/{id}?as_of=<instant> (declared in http/handlers/accounts.h).

#include "app/audit/account_as_of.h"
#include "crypto/crypto.h"
#include "http/handlers/accounts.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::accounts {

namespace json = boost::json;

namespace {

json::value OrNull(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value OrNull(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object AccountJson(const app::AccountAsOf& a) {
  json::array services;
  for (const app::ServiceAsOf& s : a.services) {
    services.push_back(json::object{{"id", s.id},
                                    {"plan", s.plan},
                                    {"status", s.status},
                                    {"created_at", FormatRfc3339(s.created_at)},
                                    {"terminated_at", TimeOrNull(s.terminated_at)}});
  }
  json::array holds;
  for (const app::HoldAsOf& h : a.active_holds) {
    holds.push_back(json::object{{"id", h.id},
                                 {"hold_type", h.hold_type},
                                 {"state", h.state},
                                 {"service_id", OrNull(h.service_id)},
                                 {"blocks_service", h.blocks_service},
                                 {"blocks_billing", h.blocks_billing},
                                 {"blocks_changes", h.blocks_changes},
                                 {"reason_code", h.reason_code},
                                 {"placed_at", FormatRfc3339(h.placed_at)},
                                 {"expires_at", TimeOrNull(h.expires_at)},
                                 {"placed_by_request_id", h.placed_by_request_id}});
  }
  return json::object{{"id", a.account_id},
                      {"external_ref", a.external_ref},
                      {"currency", a.currency},
                      {"created_at", FormatRfc3339(a.created_at)},
                      {"status", OrNull(a.status)},
                      {"lifecycle", OrNull(a.lifecycle)},
                      {"amount_due_minor", OrNull(a.amount_due_minor)},
                      {"kyc_level", OrNull(a.kyc_level)},
                      {"failed_payments", OrNull(a.failed_payments)},
                      {"last_payment_at", OrNull(a.last_payment_at)},
                      {"services", std::move(services)},
                      {"active_holds", std::move(holds)}};
}

}  // namespace

Response GetAccountAsOf(Exchange& ex) {
  if (ex.api().account_history == nullptr) {
    return ProblemResponse(Status::Unavailable("point-in-time reads are not wired in this server"));
  }
  std::optional<Timestamp> as_of = ParseRfc3339(ex.Query("as_of").value_or(""));
  if (!as_of) {
    return ProblemResponse(
        Status::Invalid("as_of", "'as_of' must be an RFC 3339 time.", "invalid"));
  }
  auto past = ex.api().account_history->AsOf(ex.ctx(), ex.Param("id"), *as_of);
  if (!past.ok()) return ProblemResponse(past.status());
  json::array entries;
  for (const auto& used : past->entries) {
    entries.push_back(json::object{
        {"entry", ToJson(used.entry)},
        {"proof", used.proof ? json::value(ToJson(*used.proof)) : json::value(nullptr)}});
  }
  json::value checkpoint = nullptr;
  if (past->checkpoint) {
    json::object cp = ToJson(*past->checkpoint);
    cp["public_key"] = crypto::Base64(past->public_key);
    checkpoint = std::move(cp);
  }
  return JsonResponse(200, json::object{{"object", "account_as_of"},
                                        {"as_of", FormatRfc3339(past->as_of)},
                                        {"account", AccountJson(*past)},
                                        {"entries", std::move(entries)},
                                        {"checkpoint", std::move(checkpoint)}});
}

}  // namespace sb::http::handlers::accounts
