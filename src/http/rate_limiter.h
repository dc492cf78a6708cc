#pragma once

// Per-key token buckets for the API rate limit. Thread-safe.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace sb::http {

class RateLimiter {
 public:
  // `per_second` tokens refill each second up to `burst`. per_second <= 0 disables limiting.
  RateLimiter(double per_second, double burst) : rate_(per_second), burst_(burst) {}

  // Takes one token for `key` at monotonic time `now_ms`. Returns 0 when allowed, else the
  // whole seconds to wait before retrying (at least 1).
  int Take(const std::string& key, std::int64_t now_ms);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t at_ms = 0;
  };
  double rate_;
  double burst_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace sb::http
