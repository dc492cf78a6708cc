#pragma once

// The pure rules of the automated triggers (the `triggers:` section of a policy pack): when
// failed payments suspend an account, when an account counts as inactive, and which offer
// invites a dormant customer back. Nothing here reads storage or the clock.

#include <optional>

#include "common/time.h"
#include "domain/policy.h"

namespace sb::domain {

// True when a payment failure that brought the account's consecutive failures to `failures`
// places a non_payment hold: the threshold is on (> 0) and reached, and no non_payment hold
// is active already (holds of one kind are not stacked by a trigger). Failures past the
// threshold suspend again once a hold was lifted without a payment.
bool PaymentFailuresSuspend(int failures, int threshold, bool non_payment_hold_active);

// The instant before which an active account's last change makes it inactive under
// `inactive_days` (now minus that many days); nullopt when the scan is off (0 or less).
std::optional<Timestamp> DormancyCutoff(Timestamp now, int inactive_days);

// The reactivation offer named by triggers.dormancy.offer, looked up among the reactivation
// policy's offers; nullopt when the pack names none (or, for a pack that skipped
// validation, one reactivation does not list).
std::optional<Offer> DormancyOffer(const PolicyPack& pack);

}  // namespace sb::domain
