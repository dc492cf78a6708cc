#pragma once

// The handlers of the chat and IVR assistant's conversations (app/conversations/), each
// answering the route named above it. The routes themselves (method, path, who may call) are
// listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::conversations {

// POST /v1/conversations: {"channel": "chat" | "ivr", "locale": "en" | "fr"}; 201 with the
// greeting.
Response Start(Exchange& ex);

// POST /v1/conversations/{id}/turns: {"text"}; 200 with the assistant's reply.
Response Turn(Exchange& ex);

// GET /v1/conversations/{id}: the conversation with its turns.
Response Get(Exchange& ex);

// GET /v1/conversations?state=handed_over|completed&limit&starting_after: the conversations,
// newest first, without their turns.
Response List(Exchange& ex);

}  // namespace sb::http::handlers::conversations
