#include "http/metrics.h"

#include <sstream>

namespace sb::http {
namespace {

std::string Labels(const std::string& route, const std::string& method, int status) {
  return "route=\"" + route + "\",method=\"" + method + "\",code=\"" + std::to_string(status) +
         "\"";
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

}  // namespace sb::http
