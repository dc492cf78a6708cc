#include "domain/webhooks.h"

#include <algorithm>
#include <set>

namespace sb::domain {
namespace {

constexpr std::size_t kMaxEventTypeLength = 100;
constexpr std::size_t kMaxLastErrorLength = 500;

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
