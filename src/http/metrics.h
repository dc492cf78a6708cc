#pragma once

// Prometheus metrics of the HTTP front: a request counter and a latency histogram labelled
// by route pattern, method and status code. Thread-safe.

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

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

}  // namespace sb::http
