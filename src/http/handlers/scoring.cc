// Scoring: training a model now, the tenant's models, and the outreach list by score.

#include "http/handlers/scoring.h"

#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::scoring {
namespace {

namespace json = boost::json;
using domain::ScoringModel;

Response Unwired() {
  return ProblemResponse(Status::Unavailable("scoring is not wired in this server"));
}

json::object ModelJson(const ScoringModel& m) {
  json::array features;
  for (size_t j = 0; j < m.feature_names.size(); ++j) {
    features.push_back(
        json::object{{"name", m.feature_names[j]},
                     {"mean", j < m.means.size() ? m.means[j] : 0.0},
                     {"scale", j < m.scales.size() ? m.scales[j] : 1.0},
                     {"coefficient", j < m.coefficients.size() ? m.coefficients[j] : 0.0}});
  }
  return {{"object", "scoring_model"},
          {"version", m.version},
          {"trained_at", FormatRfc3339(m.trained_at)},
          {"outcome_days", domain::kOutcomeDays},
          {"features", std::move(features)},
          {"intercept", m.intercept},
          {"training_size", m.training_size},
          {"holdout_size", m.holdout_size},
          {"holdout_auc", m.holdout_auc},
          {"positive_rate", m.positive_rate}};
}

}  // namespace

json::object ScoreJson(const app::AccountScore& s) {
  json::array drivers;
  for (const auto& d : s.drivers) {
    drivers.push_back(
        json::object{{"feature", d.feature}, {"value", d.value}, {"contribution", d.contribution}});
  }
  return {{"object", "account_score"},
          {"account_id", s.account_id},
          {"external_ref", s.external_ref},
          {"status", domain::Name(s.status)},
          {"probability", s.probability},
          {"outcome_days", domain::kOutcomeDays},
          {"model_version", s.model_version},
          {"drivers", std::move(drivers)},
          {"scored_at", FormatRfc3339(s.scored_at)}};
}

Response Train(Exchange& ex) {
  if (ex.api().scoring == nullptr) return Unwired();
  auto body = ex.Body(/*allow_empty=*/true);
  if (!body.ok()) return ProblemResponse(body.status());
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  app::AnswerFn<ScoringModel> answer = [](const ScoringModel& m) {
    return ToStored(JsonResponse(201, ModelJson(m)));
  };
  auto model = ex.api().scoring->Train(ex.ctx(), answer);
  if (!model.ok()) return ProblemResponse(model.status());
  return JsonResponse(201, ModelJson(*model));
}

Response ListModels(Exchange& ex) {
  if (ex.api().scoring == nullptr) return Unwired();
  int limit = 20;
  std::string after;
  Status paging = ex.ReadPaging(&limit, &after);
  if (!paging.ok()) return ProblemResponse(paging);
  auto page = ex.api().scoring->Models(ex.ctx(), after, limit);
  if (!page.ok()) return ProblemResponse(page.status());
  return JsonResponse(200, ListJson(*page, &ModelJson));
}

Response Outreach(Exchange& ex) {
  if (ex.api().scoring == nullptr) return Unwired();
  int limit = 20;
  std::string after;
  Status paging = ex.ReadPaging(&limit, &after);
  if (!paging.ok()) return ProblemResponse(paging);
  std::optional<std::string> sort = ex.Query("sort");
  if (sort && *sort != "score") {
    return ProblemResponse(Status::Invalid("sort", "'sort' must be score.", "invalid_value"));
  }
  auto page = ex.api().scoring->Outreach(ex.ctx(), after, limit);
  if (!page.ok()) return ProblemResponse(page.status());
  return JsonResponse(200, ListJson(*page, &ScoreJson));
}

}  // namespace sb::http::handlers::scoring
