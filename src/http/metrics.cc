#include "http/metrics.h"

#include <charconv>
#include <sstream>

namespace sb::http {
namespace {

std::string Labels(const std::string& route, const std::string& method, int status) {
  return "route=\"" + route + "\",method=\"" + method + "\",code=\"" + std::to_string(status) +
         "\"";
}

constexpr domain::RequestState kOpenStates[] = {
    domain::RequestState::kReceived,         domain::RequestState::kVerifying,
    domain::RequestState::kAwaitingCustomer, domain::RequestState::kAwaitingApproval,
    domain::RequestState::kAwaitingPayment,  domain::RequestState::kApproved,
    domain::RequestState::kProvisioning,
};

// Shortest text that reads back as the same double (no precision lost on large values).
std::string Number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "NaN";
}

// A label value with backslash, double quote and newline escaped.
std::string Escaped(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void Family(std::ostringstream& out, const char* name, const char* help,
            const char* type = "gauge") {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
}

// The processing-time histogram of one type: cumulative buckets, +Inf, sum and count.
void ProcessingHistogram(std::ostringstream& out, const std::string& labels,
                         const domain::TypeKpis& k) {
  const std::string name = "switchboard_request_processing_seconds";
  for (std::size_t i = 0; i < domain::kProcessingBucketsSeconds.size(); ++i) {
    out << name << "_bucket{" << labels << ",le=\"" << Number(domain::kProcessingBucketsSeconds[i])
        << "\"} " << k.processing_buckets[i] << "\n";
  }
  out << name << "_bucket{" << labels << ",le=\"+Inf\"} " << k.processing_count << "\n";
  out << name << "_sum{" << labels << "} " << Number(k.processing_seconds_sum) << "\n";
  out << name << "_count{" << labels << "} " << k.processing_count << "\n";
}

// One gauge sample; `labels` is the rendered label set without braces.
void Sample(std::ostringstream& out, const char* name, const std::string& labels,
            std::optional<double> value) {
  if (value) out << name << "{" << labels << "} " << Number(*value) << "\n";
}

// Calls fn(labels, kpis of one type) for every tenant and type.
template <typename Fn>
void EachType(const app::RecentKpis& recent, Fn fn) {
  for (const app::TenantKpis& t : recent.tenants) {
    for (const auto& [type, k] : t.kpis.types) {
      fn("tenant=\"" + Escaped(t.tenant_id) + "\",type=\"" + std::string(domain::Name(type)) + "\"",
         k);
    }
  }
}

}  // namespace

void Metrics::Observe(const std::string& route, const std::string& method, int status,
                      double duration_ms) {
  double seconds = duration_ms / 1000.0;
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = series_[Key{route, method, status}];
  ++s.count;
  s.sum_seconds += seconds;
  for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    if (seconds <= kBucketsSeconds[i]) ++s.buckets[i];
  }
}

std::string Metrics::Render() const {
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(mu_);
  out << "# HELP switchboard_http_requests_total HTTP requests answered.\n"
      << "# TYPE switchboard_http_requests_total counter\n";
  for (const auto& [key, s] : series_) {
    const auto& [route, method, status] = key;
    out << "switchboard_http_requests_total{" << Labels(route, method, status) << "} " << s.count
        << "\n";
  }
  out << "# HELP switchboard_http_request_duration_seconds Time to answer HTTP requests.\n"
      << "# TYPE switchboard_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series_) {
    const auto& [route, method, status] = key;
    std::string labels = Labels(route, method, status);
    for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      out << "switchboard_http_request_duration_seconds_bucket{" << labels << ",le=\""
          << kBucketsSeconds[i] << "\"} " << s.buckets[i] << "\n";
    }
    out << "switchboard_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} "
        << s.count << "\n";
    out << "switchboard_http_request_duration_seconds_sum{" << labels << "} " << s.sum_seconds
        << "\n";
    out << "switchboard_http_request_duration_seconds_count{" << labels << "} " << s.count << "\n";
  }
  return out.str();
}

std::string RenderRequestKpis(const app::RecentKpis& recent) {
  std::ostringstream out;
  Family(out, "switchboard_requests_backlog", "Open requests by state, now.");
  EachType(recent, [&](const std::string& labels, const domain::TypeKpis& k) {
    for (domain::RequestState state : kOpenStates) {
      auto it = k.backlog.find(state);
      double count = it == k.backlog.end() ? 0 : static_cast<double>(it->second);
      Sample(out, "switchboard_requests_backlog",
             labels + ",state=\"" + std::string(domain::Name(state)) + "\"", count);
    }
  });
  Family(out, "switchboard_request_success_ratio",
         "Completed over completed, rejected and failed requests created in the last 24 hours.");
  EachType(recent, [&](const std::string& labels, const domain::TypeKpis& k) {
    Sample(out, "switchboard_request_success_ratio", labels, k.success_rate);
  });
  // Recomputed at each scrape over a sliding window, so its figures may fall: read it with
  // histogram_quantile() on the values themselves, not on rate().
  Family(out, "switchboard_request_processing_seconds",
         "Creation to completion of the requests created in the last 24 hours.", "histogram");
  EachType(recent, [&](const std::string& labels, const domain::TypeKpis& k) {
    ProcessingHistogram(out, labels, k);
  });
  Family(out, "switchboard_request_sla_compliance_ratio",
         "Share of requests completed in the last 24 hours by their due time.");
  EachType(recent, [&](const std::string& labels, const domain::TypeKpis& k) {
    Sample(out, "switchboard_request_sla_compliance_ratio", labels, k.sla_compliance);
  });
  Family(out, "switchboard_kpi_tenants_failed", "Tenants whose request figures could not be read.");
  out << "switchboard_kpi_tenants_failed " << recent.failed_tenants << "\n";
  return out.str();
}

std::string RenderNotificationsWaiting(std::int64_t waiting) {
  std::ostringstream out;
  Family(out, "switchboard_notification_intents_waiting",
         "Notifications queued by changes and not composed into messages yet.");
  out << "switchboard_notification_intents_waiting " << waiting << "\n";
  return out.str();
}

}  // namespace sb::http
