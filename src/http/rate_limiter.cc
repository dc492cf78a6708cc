#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace sb::http {

int RateLimiter::Take(const std::string& key, std::int64_t now_ms) {
  if (rate_ <= 0) return 0;
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now_ms});
  Bucket& b = it->second;
  double elapsed = std::max<std::int64_t>(0, now_ms - b.at_ms) / 1000.0;
  b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
  b.at_ms = now_ms;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate_)));
}

}  // namespace sb::http
