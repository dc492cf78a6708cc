#include "domain/webhooks.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace sb::domain {
namespace {

constexpr std::size_t kMaxEventTypeLength = 100;
constexpr std::size_t kMaxLastErrorLength = 500;

Status BadUrl(const std::string& why) {
  return Status::Invalid("url", "url " + why + ".", "invalid_url");
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// Characters RFC 3986 never allows unencoded in a URL, beyond controls and space.
bool Unsafe(char c) {
  return c <= 0x20 || c >= 0x7f || std::string_view("\"<>\\^`{|}").find(c) != std::string::npos;
}

bool HostnameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }

// A DNS name or IPv4 literal: dot-separated non-empty labels of letters, digits and '-'.
bool ValidHostname(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t label = 0;
  for (char c : host) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (HostnameChar(c) && ++label <= 63) {
      continue;
    } else {
      return false;
    }
  }
  return label > 0;
}

bool ValidIpv6Literal(std::string_view inner) {
  if (inner.empty()) return false;
  return std::all_of(inner.begin(), inner.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
  });
}

bool ValidPort(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  int value = 0;
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  return value >= 1 && value <= 65535;
}

// "host", "host:port", "[v6]" or "[v6]:port".
Status ValidateAuthority(std::string_view authority) {
  if (authority.find('@') != std::string_view::npos) {
    return BadUrl("must not carry a user name or password");
  }
  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos || !ValidIpv6Literal(authority.substr(1, close - 1))) {
      return BadUrl("has a malformed IPv6 host");
    }
    host = authority.substr(0, close + 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return BadUrl("has a malformed host");
    has_port = !rest.empty();
    if (has_port) port = rest.substr(1);
  } else {
    std::size_t colon = authority.find(':');
    has_port = colon != std::string_view::npos;
    if (has_port) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    if (!ValidHostname(host)) return BadUrl("must name a host");
  }
  if (has_port && !ValidPort(port)) return BadUrl("has a port outside 1-65535");
  return Status::Ok();
}

bool ValidEventName(std::string_view name) {
  if (name.empty() || name.size() > kMaxEventTypeLength) return false;
  std::size_t part = 0;
  int dots = 0;
  for (char c : name) {
    if (c == '.') {
      if (part == 0) return false;
      part = 0;
      ++dots;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
      ++part;
    } else {
      return false;
    }
  }
  return dots > 0 && part > 0;
}

std::string AnswerText(const EndpointAnswer& a) {
  std::string what = a.http_status > 0 ? "HTTP " + std::to_string(a.http_status) : a.error;
  return a.endpoint_id + ": " + (what.empty() ? "no answer" : what);
}

bool Acknowledged(const EndpointAnswer& a) { return a.http_status >= 200 && a.http_status < 300; }

}  // namespace

Status ValidateWebhookUrl(std::string_view url) {
  if (url.empty()) return BadUrl("is required");
  if (url.size() > kMaxWebhookUrlLength) return BadUrl("is too long");
  if (std::any_of(url.begin(), url.end(), Unsafe)) {
    return BadUrl("must not contain spaces, control characters or unencoded delimiters");
  }
  std::size_t scheme_end = 0;
  if (StartsWithNoCase(url, "https://")) {
    scheme_end = 8;
  } else if (StartsWithNoCase(url, "http://")) {
    scheme_end = 7;
  } else {
    return BadUrl("must be an absolute http:// or https:// URL");
  }
  if (url.find('#') != std::string_view::npos) return BadUrl("must not have a fragment");
  std::string_view rest = url.substr(scheme_end);
  std::size_t end = rest.find_first_of("/?");
  return ValidateAuthority(rest.substr(0, end));
}

Status ValidateEventTypes(const std::vector<std::string>& types) {
  if (types.empty()) {
    return Status::Invalid("event_types", "event_types must list at least one event type.");
  }
  if (types.size() > kMaxEventTypes) {
    return Status::Invalid("event_types", "event_types may list at most 50 event types.");
  }
  if (types.size() == 1 && types.front() == "*") return Status::Ok();
  std::set<std::string> seen;
  for (const std::string& t : types) {
    if (t == "*") {
      return Status::Invalid("event_types", "\"*\" stands alone: it already means every type.");
    }
    if (!ValidEventName(t)) {
      return Status::Invalid("event_types",
                             "'" + t.substr(0, kMaxEventTypeLength) +
                                 "' is not an event type such as request.completed.",
                             "invalid_value");
    }
    if (!seen.insert(t).second) {
      return Status::Invalid("event_types", "'" + t + "' is listed twice.", "invalid_value");
    }
  }
  return Status::Ok();
}

bool Subscribes(const std::vector<std::string>& types, std::string_view event_type) {
  return std::any_of(types.begin(), types.end(),
                     [&](const std::string& t) { return t == "*" || t == event_type; });
}

const std::vector<Timestamp>& WebhookRetrySchedule() {
  static const std::vector<Timestamp> kSchedule{
      30 * kMillisPerSecond, 2 * kMillisPerMinute, 10 * kMillisPerMinute, kMillisPerHour,
      6 * kMillisPerHour,    12 * kMillisPerHour,  24 * kMillisPerHour,   24 * kMillisPerHour};
  return kSchedule;
}

std::optional<Timestamp> WebhookRetryDelay(int failed_attempts, double jitter) {
  const std::vector<Timestamp>& schedule = WebhookRetrySchedule();
  if (failed_attempts < 1 || failed_attempts > static_cast<int>(schedule.size())) {
    return std::nullopt;
  }
  Timestamp base = schedule[static_cast<std::size_t>(failed_attempts - 1)];
  double j = std::clamp(jitter, 0.0, 1.0);
  return base + static_cast<Timestamp>(static_cast<double>(base) * 0.1 * j);
}

OutboxMessage AfterAttempt(OutboxMessage m, const std::vector<EndpointAnswer>& answers,
                           Timestamp now, double jitter) {
  m.attempts += 1;
  m.locked_until.reset();
  std::string errors;
  for (const EndpointAnswer& a : answers) {
    if (Acknowledged(a)) {
      m.delivered_to.push_back(a.endpoint_id);
      continue;
    }
    if (!errors.empty()) errors += "; ";
    errors += AnswerText(a);
  }
  if (errors.empty()) {
    m.state = OutboxState::kDelivered;
    m.delivered_at = now;
    m.last_error.clear();
    return m;
  }
  if (errors.size() > kMaxLastErrorLength) errors.resize(kMaxLastErrorLength);
  m.last_error = errors;
  std::optional<Timestamp> delay = WebhookRetryDelay(m.attempts, jitter);
  m.state = delay ? OutboxState::kPending : OutboxState::kDead;
  if (delay) m.next_attempt_at = now + *delay;
  return m;
}

}  // namespace sb::domain
