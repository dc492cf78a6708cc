#pragma once
// What the benches that run use cases in process (bulk_jobs, reconciliation) report of time
// and memory.

#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <string>

namespace sb::bench {

using Steady = std::chrono::steady_clock;

inline double Seconds(Steady::time_point from) {
  return std::chrono::duration<double>(Steady::now() - from).count();
}

// The process's peak resident set so far, in MiB.
inline long PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// The resident set now (not the peak), in MiB, from /proc; -1 when unreadable.
inline long RssMb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      long kb = 0;
      status >> kb;
      return kb / 1024;
    }
    status.ignore(1 << 10, '\n');
  }
  return -1;
}

}  // namespace sb::bench
