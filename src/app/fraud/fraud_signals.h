#pragma once

// Reading what the fraud rules found (app/fraud/fraud_rules.h): the signals of a tenant,
// newest first. Thread-safe.

#include "app/core/context.h"
#include "common/status.h"
#include "domain/model.h"

namespace sb::app {

class FraudSignals {
 public:
  explicit FraudSignals(Deps deps) : deps_(deps) {}

  // The tenant's signals, newest first, optionally of one account. kInvalidArgument naming
  // `limit` outside 1..100.
  Result<domain::Page<domain::FraudSignal>> List(const CallContext& ctx,
                                                 const domain::FraudSignalFilter& f) const;

 private:
  Deps deps_;
};

}  // namespace sb::app
