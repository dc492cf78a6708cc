#include "app/policy/policy_parse_gate.h"

#include <malloc.h>

namespace sb::app {

bool PolicyParseGate::Enter() {
  int now = busy_.load();
  while (now < slots_) {
    if (busy_.compare_exchange_weak(now, now + 1)) return true;
  }
  return false;
}

void PolicyParseGate::Exit(std::size_t text_bytes) {
  busy_.fetch_sub(1);
  // The node tree of a large pack is freed in many small blocks that glibc keeps in its
  // arenas; without a trim the server's RSS stays at its peak after the answer.
  if (text_bytes >= kTrimAboveBytes) malloc_trim(0);
}

Status PolicyParseGate::Busy() {
  return Status(Code::kRateLimited, "policy_parse_busy",
                "Too many policy packs are being checked right now; retry in a second.", "policy");
}

}  // namespace sb::app
