#pragma once

// A Store decorator that calls a hook after every committed write, so background work that
// follows writes (audit sequencing) starts soon instead of at its next tick.

#include <functional>
#include <utility>

#include "domain/ports/store.h"

namespace sb::main {

class NotifyingStore final : public domain::Store {
 public:
  // `inner` must outlive this object.
  explicit NotifyingStore(domain::Store& inner) : inner_(inner) {}

  // REQUIRES: set before any concurrent Write. `hook` must be cheap and thread-safe.
  void SetOnCommit(std::function<void()> hook) { on_commit_ = std::move(hook); }

  Status Write(const TxFn& fn) override {
    Status s = inner_.Write(fn);
    if (s.ok() && on_commit_) on_commit_();
    return s;
  }
  Status Read(const TxFn& fn) override { return inner_.Read(fn); }
  std::string_view Backend() const override { return inner_.Backend(); }
  Status Ping() override { return inner_.Ping(); }

 private:
  domain::Store& inner_;
  std::function<void()> on_commit_;
};

}  // namespace sb::main
