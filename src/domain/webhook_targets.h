#pragma once

// Where a webhook may be sent (docs/SECURITY.md, "Webhook targets"): the form of an endpoint's
// URL and the addresses a delivery may connect to. A tenant admin chooses the URL, so without
// these rules the server would post into its own network on their behalf (loopback services,
// the cloud metadata address, private hosts) and tell them, through the delivery's error,
// which ports are open. The same address rule is applied twice: to the addresses the host
// resolves to when the endpoint is registered (app/webhooks/webhook_target_check.h) and to
// the address each delivery actually connects to (notify/curl_transport.h). Pure;
// thread-safe.

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

struct sockaddr;

namespace sb::domain {

// Longest endpoint URL accepted.
inline constexpr std::size_t kMaxWebhookUrlLength = 2048;

// What targets are allowed. The default is what production needs; allow_private_targets
// (configuration `webhooks.allow_private_targets`) lets development and test setups use
// plain http:// receivers on loopback or private addresses.
struct WebhookTargetRules {
  bool allow_private_targets = false;
};

// A webhook URL as the transport will read it.
struct WebhookUrl {
  bool https = false;
  std::string host;  // a DNS name (lower-cased) or an IP literal (IPv6 without brackets)
  bool host_is_ip = false;
  std::uint16_t port = 0;  // 0: the scheme's default
};

// Parses `url` with the RFC 3986 grammar (Boost.URL): an absolute http:// or https:// URL
// whose host is a DNS name (dot-separated labels of letters, digits and '-', no
// percent-encoding), an IPv4 literal or a bracketed IPv6 literal without zone; an optional
// port 1-65535; no user info (it would be stored and shown in clear); no fragment; at most
// kMaxWebhookUrlLength printable ASCII characters. Otherwise kInvalidArgument, reason
// "invalid_url", param "url".
Result<WebhookUrl> ParseWebhookUrl(std::string_view url);

// ParseWebhookUrl, then, unless rules.allow_private_targets: the scheme must be https
// (kInvalidArgument "invalid_url") and an IP literal host must be a public address
// (TargetNotAllowed()). A DNS name is checked once resolved, by the caller.
Status ValidateWebhookUrl(std::string_view url, const WebhookTargetRules& rules);

// Whether a delivery may connect to `address`: a global unicast address. Refused: the
// unspecified, loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), shared CGNAT
// (100.64/10), link-local (169.254/16, where cloud metadata answers; fe80::/10), multicast,
// broadcast, reserved, benchmarking, documentation and protocol-assignment ranges of the
// IANA special-purpose registries, every IPv6 address outside 2000::/3, and IPv4-mapped or
// NAT64 (64:ff9b::/96) IPv6 forms of refused IPv4 addresses.
bool IsPublicAddress(const boost::asio::ip::address& address);

// IsPublicAddress of an IPv4 or IPv6 socket address, as the resolver and the socket layer
// hand it over; false for any other family.
bool IsPublicSocketAddress(const sockaddr* address);

// The refusal of a URL whose host is, or resolves to, an address IsPublicAddress refuses,
// or resolves to nothing: kInvalidArgument, reason "target_not_allowed", param "url". The
// same words for every case, so that registration does not tell what a name resolves to.
Status TargetNotAllowed();

}  // namespace sb::domain
