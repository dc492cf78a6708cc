#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace sb::http {

RateLimiter::RateLimiter(double per_second, double burst, std::size_t capacity)
    : rate_(per_second), burst_(burst), capacity_(std::max<std::size_t>(1, capacity)) {}

double RateLimiter::TokensAt(const Bucket& b, std::int64_t now_ms) const {
  double elapsed = std::max<std::int64_t>(0, now_ms - b.at_ms) / 1000.0;
  return std::min(burst_, b.tokens + elapsed * rate_);
}

int RateLimiter::WaitFor(double tokens) const {
  if (tokens >= 1.0) return 0;
  return std::max(1, static_cast<int>(std::ceil((1.0 - tokens) / rate_)));
}

void RateLimiter::DropRefilled(std::int64_t now_ms) {
  // The least recently used bucket is the one that has had longest to refill; once one is
  // still short of `burst`, the newer ones mostly are too, so the scan stops there.
  while (!lru_.empty() && TokensAt(lru_.back(), now_ms) >= burst_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

int RateLimiter::Take(const std::string& key, std::int64_t now_ms) {
  if (rate_ <= 0) return 0;
  std::lock_guard<std::mutex> lock(mu_);
  DropRefilled(now_ms);
  auto found = index_.find(key);
  if (found == index_.end()) {
    if (lru_.size() >= capacity_) {
      index_.erase(lru_.back().key);
      lru_.pop_back();
    }
    lru_.push_front(Bucket{key, burst_, now_ms});
    found = index_.emplace(key, lru_.begin()).first;
  } else {
    lru_.splice(lru_.begin(), lru_, found->second);
  }
  Bucket& b = *found->second;
  b.tokens = TokensAt(b, now_ms);
  b.at_ms = now_ms;
  int wait = WaitFor(b.tokens);
  if (wait == 0) b.tokens -= 1.0;
  return wait;
}

int RateLimiter::Wait(const std::string& key, std::int64_t now_ms) {
  if (rate_ <= 0) return 0;
  std::lock_guard<std::mutex> lock(mu_);
  auto found = index_.find(key);
  return found == index_.end() ? 0 : WaitFor(TokensAt(*found->second, now_ms));
}

std::size_t RateLimiter::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return lru_.size();
}

}  // namespace sb::http
