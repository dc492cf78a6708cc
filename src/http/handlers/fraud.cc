// Fraud signals: what the pack's fraud rules found and the alerts client systems sent
// (app/fraud/fraud_rules.h).

#include "http/handlers/fraud.h"

#include "app/fraud/fraud_signals.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::fraud {
namespace {

namespace json = boost::json;

json::object SignalJson(const domain::FraudSignal& s) {
  json::value figures = json::parse(s.figures_json.empty() ? "{}" : s.figures_json);
  json::object o{{"id", s.id},
                 {"object", "fraud_signal"},
                 {"rule", s.rule},
                 {"account_id", s.account_id},
                 {"figures", figures.is_object() ? figures : json::object()},
                 {"created_at", FormatRfc3339(s.created_at)}};
  o["request_id"] = s.request_id.empty() ? json::value(nullptr) : json::value(s.request_id);
  o["hold_request_id"] =
      s.hold_request_id.empty() ? json::value(nullptr) : json::value(s.hold_request_id);
  return o;
}

}  // namespace

Response ListSignals(Exchange& ex) {
  if (ex.api().fraud == nullptr) {
    return ProblemResponse(Status::Unavailable("Fraud signals are not served here."));
  }
  domain::FraudSignalFilter f;
  if (Status s = ex.ReadPaging(&f.limit, &f.starting_after); !s.ok()) return ProblemResponse(s);
  f.account_id = ex.Query("account_id").value_or("");
  auto page = ex.api().fraud->List(ex.ctx(), f);
  if (!page.ok()) return ProblemResponse(page.status());
  return JsonResponse(200, ListJson(*page, SignalJson));
}

}  // namespace sb::http::handlers::fraud
