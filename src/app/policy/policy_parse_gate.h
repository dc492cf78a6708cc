#pragma once

// How many policy packs a server parses at once. Each parse is bounded (PackLimits), but a
// tenant admin can send many at the same time; the gate keeps their sum bounded too, and
// hands freed memory back to the system after a large parse. Thread-safe.

#include <atomic>
#include <cstddef>
#include <type_traits>

#include "common/status.h"

namespace sb::app {

class PolicyParseGate {
 public:
  // Texts at least this large trim the heap once parsed (glibc keeps freed memory otherwise).
  static constexpr std::size_t kTrimAboveBytes = 64 * 1024;

  // At most `slots` parses at once (at least 1).
  explicit PolicyParseGate(int slots) : slots_(slots < 1 ? 1 : slots) {}
  PolicyParseGate(const PolicyParseGate&) = delete;
  PolicyParseGate& operator=(const PolicyParseGate&) = delete;

  // Runs `parse` (returning a Status or a Result) when a slot is free, else answers at once,
  // without waiting, kRateLimited "policy_parse_busy" (param "policy"): the caller retries
  // a second later. `text_bytes` is the size of the text parsed.
  template <typename F>
  std::invoke_result_t<F> Run(std::size_t text_bytes, F&& parse) {
    if (!Enter()) return Busy();
    struct Leave {
      PolicyParseGate& gate;
      std::size_t bytes;
      ~Leave() { gate.Exit(bytes); }
    } leave{*this, text_bytes};
    return parse();
  }

 private:
  bool Enter();
  void Exit(std::size_t text_bytes);
  static Status Busy();

  const int slots_;
  std::atomic<int> busy_{0};
};

}  // namespace sb::app
