#include "app/webhooks/webhook_target_check.h"

#include <netdb.h>
#include <sys/socket.h>

#include <memory>
#include <string>

namespace sb::app {
namespace {

// Whether `host` resolves to at least one address and only to public ones.
bool ResolvesOnlyToPublic(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) return false;
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, &freeaddrinfo);
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (!domain::IsPublicSocketAddress(a->ai_addr)) return false;
  }
  return true;
}

}  // namespace

Status CheckWebhookTarget(std::string_view url, const domain::WebhookTargetRules& rules) {
  SB_RETURN_IF_ERROR(domain::ValidateWebhookUrl(url, rules));
  if (rules.allow_private_targets) return Status::Ok();
  SB_ASSIGN_OR_RETURN(domain::WebhookUrl parsed, domain::ParseWebhookUrl(url));
  if (parsed.host_is_ip) return Status::Ok();  // ValidateWebhookUrl checked the literal
  return ResolvesOnlyToPublic(parsed.host) ? Status::Ok() : domain::TargetNotAllowed();
}

}  // namespace sb::app
