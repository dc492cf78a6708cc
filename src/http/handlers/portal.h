#pragma once

// The handlers of the customer portal's back end (docs/SECURITY.md, "The customer portal"),
// each answering the route named above it: a customer signs in with a one-time code and
// reads and files on their own account only. The routes are listed in http/routes.cc.

#include <array>

#include "domain/enums.h"
#include "http/exchange.h"
#include "http/types.h"

namespace sb::http::handlers::portal {

// The types a customer may file on the portal; a suspension only as a voluntary pause, and
// data_access: a copy of their data, downloaded on the portal once completed.
inline constexpr std::array kSelfService = {
    domain::RequestType::kReconnection,       domain::RequestType::kReactivation,
    domain::RequestType::kPersonalInfoUpdate, domain::RequestType::kPlanChange,
    domain::RequestType::kTermination,        domain::RequestType::kSuspension,
    domain::RequestType::kDataAccess};

// POST /v1/portal/sign-in-codes: always 202, whether or not the account exists.
Response SendSignInCode(Exchange& ex);

// POST /v1/portal/sessions: the code read back; sets the session cookie.
Response SignIn(Exchange& ex);

// GET /v1/portal/account: the customer's own account, services and holds.
Response GetAccount(Exchange& ex);

// GET /v1/portal/request-types: the self-service types the tenant's pack in force lets a
// customer file (its reason codes for the type name `customer_request`, the reason every
// portal filing carries), so the portal offers nothing the engine would refuse
// (portal_request_types.cc).
Response ListRequestTypes(Exchange& ex);

// GET /v1/portal/requests: the account's requests, newest first.
Response ListNotifications(Exchange& ex);
Response ListRequests(Exchange& ex);

// POST /v1/portal/requests: a self-service request on the customer's own account.
Response FileRequest(Exchange& ex);

// POST /v1/portal/requests/{id}/offer: the customer accepts or declines an offer pending on
// one of their own requests (e.g. a retention offer on a termination); another account's
// request is not found (portal_offers.cc).
Response AnswerOffer(Exchange& ex);

}  // namespace sb::http::handlers::portal
