#pragma once

// The handlers of the tenant's notification channels (email over SMTP, SMS through a gateway)
// and of the SMS delivery receipts, each answering the route named above it. The routes
// themselves (method, path, who may call) are listed in http/routes.cc.

#include <string>

#include "common/status.h"
#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::notification_channels {

// GET /v1/notification-channels/email.
Response GetEmail(Exchange& ex);
// PUT /v1/notification-channels/email.
Response PutEmail(Exchange& ex);
// GET /v1/notification-channels/sms.
Response GetSms(Exchange& ex);
// PUT /v1/notification-channels/sms.
Response PutSms(Exchange& ex);

// POST /v1/notification-receipts/{tenant_id}: signed with the tenant's receipt secret.
Response ReceiveReceipt(Exchange& ex);
// The signature check of that route (Route::verify).
Status VerifyReceipt(Exchange& ex, const std::string& tenant_id);

}  // namespace sb::http::handlers::notification_channels
