#pragma once

// The handlers of reconnection and churn scoring (app/scoring/, docs/SCORING.md), each answering
// the route named above it. The routes themselves (method, path, who may call) are listed in
// http/routes.cc.

#include <boost/json.hpp>

#include "app/scoring/scoring.h"
#include "http/exchange.h"
#include "http/types.h"

namespace sb::http::handlers::scoring {

// POST /v1/scoring/models: trains a model on the tenant's history now (an empty body or {}).
// 201 with the model; 422 not_enough_history saying what is missing.
Response Train(Exchange& ex);
// GET /v1/scoring/models: the tenant's models, newest version first.
Response ListModels(Exchange& ex);
// GET /v1/outreach?sort=score: suspended and dormant accounts by score, highest first.
Response Outreach(Exchange& ex);

// An account's score as the account read and the outreach list show it.
boost::json::object ScoreJson(const app::AccountScore& s);

}  // namespace sb::http::handlers::scoring
