#pragma once

// The handlers of notifications (docs/NOTIFICATIONS.md), each answering the route named above
// it. The routes themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::notifications {

// POST /v1/notification-templates/preview: {notification, channel, locale, template?} ->
// {template_id, subject, text, html}, rendered with sample data; nothing stored. Without a
// template, the tenant's stored one of the key, else the shipped one.
Response PreviewTemplate(Exchange& ex);

// GET /v1/notification-templates?source=&limit=&starting_after=: the tenant's templates and
// the shipped ones it has not replaced, in key order, without bodies.
Response ListTemplates(Exchange& ex);

// GET /v1/notification-templates/{notification}/{channel}/{locale}: the template in effect
// for the key (the tenant's, with its version as ETag, else the shipped one), with its body.
Response GetTemplate(Exchange& ex);

// PUT /v1/notification-templates/{notification}/{channel}/{locale} {body}: stores the
// tenant's template; 201 when the key had none, 200 when it replaced one.
Response PutTemplate(Exchange& ex);

// DELETE /v1/notification-templates/{notification}/{channel}/{locale}: 204; the shipped
// template applies again.
Response DeleteTemplate(Exchange& ex);

}  // namespace sb::http::handlers::notifications
