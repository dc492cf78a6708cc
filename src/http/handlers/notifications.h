#pragma once

// The handlers of notifications (docs/NOTIFICATIONS.md), each answering the route named above
// it. The routes themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::notifications {

// POST /v1/notification-templates/preview: {notification, channel, locale, template?} ->
// {template_id, subject, text, html}, rendered with sample data; nothing stored.
Response PreviewTemplate(Exchange& ex);

}  // namespace sb::http::handlers::notifications
