#include "domain/triggers.h"

namespace sb::domain {

bool PaymentFailuresSuspend(int failures, int threshold, bool non_payment_hold_active) {
  return threshold > 0 && failures >= threshold && !non_payment_hold_active;
}

std::optional<Timestamp> DormancyCutoff(Timestamp now, int inactive_days) {
  if (inactive_days <= 0) return std::nullopt;
  return now - static_cast<Timestamp>(inactive_days) * kMillisPerDay;
}

std::optional<Offer> DormancyOffer(const PolicyPack& pack) {
  const std::string& code = pack.triggers.dormancy_offer;
  if (code.empty()) return std::nullopt;
  auto policy = pack.requests.find(RequestType::kReactivation);
  if (policy == pack.requests.end()) return std::nullopt;
  for (const Offer& o : policy->second.offers) {
    if (o.code == code) return o;
  }
  return std::nullopt;
}

}  // namespace sb::domain
