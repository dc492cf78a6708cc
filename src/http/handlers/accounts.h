#pragma once

// The handlers of accounts and their lifecycle, each answering the route named above it. The routes
// themselves (method, path, who may call) are listed in http/routes.cc.

#include "app/accounts/accounts.h"
#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::accounts {

// POST /v1/accounts.
Response CreateAccount(Exchange& ex);

// GET /v1/accounts.
Response ListAccounts(Exchange& ex);

// GET /v1/accounts/{id}; with `as_of`, GetAccountAsOf.
Response GetAccount(Exchange& ex);

// GET /v1/accounts/{id}?as_of=<RFC 3339>: the account as it stood then, rebuilt from the audit
// log with the proofs of the entries it used (accounts_as_of.cc).
Response GetAccountAsOf(Exchange& ex);

// PATCH /v1/accounts/{id}.
Response UpdateAccount(Exchange& ex);

// The handler of one lifecycle move (POST /v1/accounts/{id}/activate, POST /v1/accounts/{id}/close,
// POST /v1/accounts/{id}/dormant, POST /v1/accounts/{id}/reactivate).
HandlerFn Lifecycle(app::AccountAction action);

}  // namespace sb::http::handlers::accounts
