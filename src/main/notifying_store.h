#pragma once

// A Store decorator that counts the writes under way and calls a hook after every committed
// write, on the thread that asked for it, before Write returns: notifications composed at once
// while the store is free (app/notifications/notification_queue.h), background work that
// follows writes (the outbox dispatch) started soon instead of at its next tick.

#include <atomic>
#include <functional>
#include <utility>

#include "domain/ports/store.h"

namespace sb::main {

class NotifyingStore final : public domain::Store {
 public:
  // `inner` must outlive this object.
  explicit NotifyingStore(domain::Store& inner) : inner_(inner) {}

  // REQUIRES: set before any concurrent Write. `hook` must be thread-safe.
  void SetOnCommit(std::function<void()> hook) { on_commit_ = std::move(hook); }

  using domain::Store::Write;
  Status Write(const TxFn& fn, Rerun rerun) override {
    in_flight_.fetch_add(1);
    Status s = inner_.Write(fn, rerun);
    in_flight_.fetch_sub(1);
    if (s.ok() && on_commit_) on_commit_();
    return s;
  }
  Status Read(const TxFn& fn) override { return inner_.Read(fn); }
  std::string_view Backend() const override { return inner_.Backend(); }
  Status Ping() override { return inner_.Ping(); }

  // Writes begun and not yet returned.
  int WritesInFlight() const { return in_flight_.load(); }

 private:
  domain::Store& inner_;
  std::function<void()> on_commit_;
  std::atomic<int> in_flight_{0};
};

}  // namespace sb::main
