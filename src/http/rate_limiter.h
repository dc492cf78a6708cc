#pragma once

// Token buckets keyed by a string (an API key id, a tenant, a source address), held in a
// table of fixed capacity so that no sequence of keys can grow memory without bound.
// Thread-safe.

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sb::http {

class RateLimiter {
 public:
  // Enough for every active key, tenant or address of a busy server, in about 2 MB.
  static constexpr std::size_t kDefaultCapacity = 10000;

  // `per_second` tokens refill each second up to `burst`. per_second <= 0 disables limiting.
  // At most `capacity` (at least 1) buckets are kept: a bucket that has refilled to `burst`
  // is dropped (it is the same as no bucket), and when the table is still full the bucket
  // used least recently makes room.
  RateLimiter(double per_second, double burst, std::size_t capacity = kDefaultCapacity);

  // Takes one token for `key` at monotonic time `now_ms`. Returns 0 when allowed, else the
  // whole seconds to wait before retrying (at least 1).
  int Take(const std::string& key, std::int64_t now_ms);

  // What Take would answer now, without taking a token or creating a bucket.
  int Wait(const std::string& key, std::int64_t now_ms);

  // How many buckets are held now (never more than the capacity).
  std::size_t size();

 private:
  struct Bucket {
    std::string key;
    double tokens = 0;
    std::int64_t at_ms = 0;
  };
  using List = std::list<Bucket>;  // most recently used first

  double TokensAt(const Bucket& b, std::int64_t now_ms) const;
  int WaitFor(double tokens) const;
  // Drops refilled buckets from the least recently used end. REQUIRES: mu_ held.
  void DropRefilled(std::int64_t now_ms);

  double rate_;
  double burst_;
  std::size_t capacity_;
  std::mutex mu_;
  List lru_;
  std::unordered_map<std::string, List::iterator> index_;
};

}  // namespace sb::http
