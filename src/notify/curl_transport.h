#pragma once

// WebhookTransport over libcurl's multi interface: every post of a pass in flight at once
// (up to `max_parallel` connections), each bounded by its own connect and total timeouts,
// redirects not followed (a 3xx is a failed delivery), only http and https.

#include <vector>

#include "notify/webhook_post.h"

namespace sb::notify {

struct CurlOptions {
  long connect_timeout_ms = 2000;
  long total_timeout_ms = 10000;
  long max_parallel = 64;
  // Response bodies are read and dropped; past this many bytes the transfer is cut short
  // and its status still counts.
  long max_response_bytes = 64 * 1024;
};

class CurlTransport final : public WebhookTransport {
 public:
  // Initialises libcurl once per process.
  explicit CurlTransport(CurlOptions options = {});

  std::vector<WebhookReply> SendAll(const std::vector<WebhookPost>& posts) override;

 private:
  CurlOptions options_;
};

}  // namespace sb::notify
