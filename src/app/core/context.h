#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/time.h"
#include "domain/enums.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// Everything a use case needs to know about the call besides its input: who, through which
// channel, why (audit context), and how (dry run, idempotency, optimistic concurrency).
struct CallContext {
  std::string tenant_id;
  domain::Actor actor;
  domain::Channel channel = domain::Channel::kApi;
  std::string reason_code;               // X-Reason; checked against the tenant's reason codes
  std::string comment;                   // X-Comment
  std::string correlation_id;            // X-Request-Id, or generated
  bool dry_run = false;                  // ?dry_run=true: same checks and effects, nothing written
  std::optional<std::int64_t> if_match;  // If-Match: expected version of the resource
  // Idempotency-Key and the fingerprint of the call (hex SHA-256 of method, path, body);
  // when set, a successful write stores its answer in the same transaction.
  std::string idempotency_key;
  std::string fingerprint;
};

// The answer the HTTP layer would give for a result, so that it can be stored with the
// change (Idempotency-Key) and replayed verbatim.
struct StoredAnswer {
  int status_code = 200;
  std::string headers_json = "{}";  // {"ETag": "...", "Location": "..."}
  std::string body;
};

template <typename T>
using AnswerFn = std::function<StoredAnswer(const T&)>;

// The collaborators every use case gets. References; the composition root owns them.
struct Deps {
  domain::Store& store;
  const Clock& clock;
  const class Keyring& keyring;
};

}  // namespace sb::app
