#pragma once

// WebhookTransport over libcurl's multi interface: every post of a pass in flight at once
// (up to `max_parallel` connections), each bounded by its own connect and total timeouts,
// redirects not followed (a 3xx is a failed delivery), no proxy, only https (and http when
// private targets are allowed).
//
// Every socket is opened by the transport itself, for the address libcurl is about to
// connect to, and only when domain::IsPublicAddress accepts it (unless private targets are
// allowed): a name that resolved to a public address at registration and to a private one
// now (DNS rebinding) is still refused, before any packet leaves (docs/SECURITY.md, "Webhook
// targets"). What a failed post reports is as little as a tenant needs: no HTTP answer looks
// the same whether the port was closed, filtered, slow or spoke no TLS, so that endpoints
// cannot serve as a port scanner.

#include <curl/curl.h>

#include <vector>

#include "notify/webhook_post.h"

namespace sb::notify {

// Where libcurl opens the socket of each connection a transfer of this layer makes (webhook
// posts, SMTP): only to an address domain::IsPublicSocketAddress accepts, unless private
// targets are allowed. Set CURLOPT_OPENSOCKETFUNCTION to OpenCheckedSocket and
// CURLOPT_OPENSOCKETDATA to the transfer's SocketCheck.
struct SocketCheck {
  bool allow_private = false;
  bool refused_address = false;  // a connect to a non-public address was refused
};
curl_socket_t OpenCheckedSocket(void* check, curlsocktype purpose, curl_sockaddr* address);

struct CurlOptions {
  long connect_timeout_ms = 2000;
  long total_timeout_ms = 10000;
  long max_parallel = 64;
  // Response bodies are read and dropped; past this many bytes the transfer is cut short
  // and its status still counts.
  long max_response_bytes = 64 * 1024;
  // Configuration `webhooks.allow_private_targets`: http:// and any address (tests and
  // development).
  bool allow_private_targets = false;
};

// WebhookReply::error of a post refused because its URL breaks domain::ValidateWebhookUrl
// (not https, a non-public literal) or the address it would connect to is not public.
inline constexpr const char* kTargetNotAllowed = "target address not allowed";
// WebhookReply::error of every other post that got no HTTP answer.
inline constexpr const char* kNoAnswer = "no HTTP answer";

class CurlTransport final : public WebhookTransport {
 public:
  // Initialises libcurl once per process.
  explicit CurlTransport(CurlOptions options = {});

  std::vector<WebhookReply> SendAll(const std::vector<WebhookPost>& posts) override;

 private:
  CurlOptions options_;
};

}  // namespace sb::notify
