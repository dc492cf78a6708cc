#pragma once

// Prometheus metrics: those of the HTTP front (a request counter and a latency histogram
// labelled by route pattern, method and status code; thread-safe), and the rendering of
// the request engine's per-tenant KPI gauges computed at scrape time.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "app/reports/kpi_queries.h"

namespace sb::http {

class Metrics {
 public:
  // Records one answered request. `route` is the pattern ("/v1/accounts/{id}"), never the path.
  void Observe(const std::string& route, const std::string& method, int status, double duration_ms);
  // The Prometheus text exposition (format 0.0.4).
  std::string Render() const;

 private:
  static constexpr std::array<double, 11> kBucketsSeconds = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
  struct Series {
    long long count = 0;
    double sum_seconds = 0;
    std::array<long long, kBucketsSeconds.size()> buckets{};
  };
  using Key = std::tuple<std::string, std::string, int>;

  mutable std::mutex mu_;
  std::map<Key, Series> series_;
};

// The request figures of every tenant in Prometheus text format, labelled by tenant id and
// request type: the gauges switchboard_requests_backlog{state} (every open state, zeros
// included), switchboard_request_success_ratio and switchboard_request_sla_compliance_ratio
// (left out when null), and the histogram switchboard_request_processing_seconds
// (_bucket{le}, _sum, _count; domain::kProcessingBucketsSeconds). Adds
// switchboard_kpi_tenants_failed, the tenants whose figures could not be read. Per-tenant:
// served only to an authenticated scraper (http/handlers/system.h).
std::string RenderRequestKpis(const app::RecentKpis& recent);

// The gauge switchboard_notification_intents_waiting: notifications queued by changes and
// not composed yet (app/notifications/notification_queue.h). It grows during a burst of
// changes and falls back to 0 once the store is free.
std::string RenderNotificationsWaiting(std::int64_t waiting);

}  // namespace sb::http
