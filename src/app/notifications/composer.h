#pragma once

// Composing notifications: the one path from an event to the messages that tell a person of
// it. Every outbox event the engine writes (app/requests/request_flow.h, Emit and EmitChange:
// a request moving, a status change whoever caused it, the dormancy scan's invitation) is
// queued as a notification intent (app/notifications/notification_queue.h) when the pack
// tells anyone of it, and composed from it by NotifyOfEvent, which asks the tenant's pack in
// force (`notify:`, domain::NotifyPolicy) whom the event tells and on which channels, renders
// the template in the customer's locale, and writes one sealed `email` / `sms` outbox message
// per channel (app/notifications/sealed_notification.h) in its transaction, for the sender to
// deliver. It never sends anything itself.

#include <boost/json.hpp>
#include <map>
#include <string>

#include "app/core/context.h"
#include "app/core/keyring.h"
#include "common/status.h"
#include "common/tzif.h"
#include "domain/model.h"
#include "domain/policy.h"
#include "domain/ports/store.h"

namespace sb::app {

// The keyring notifications are sealed with. The composition root installs it once before
// serving: events are written deep inside changes (Reconcile's announcements among them) that
// carry no Deps, and the keyring is one immutable object per process. Until one is installed
// no notification is composed. Not thread-safe against concurrent composing: install first.
void InstallNotificationKeyring(const Keyring* keyring);
// Whether one is installed.
bool NotificationKeyringInstalled();

// Whether the pack tells anyone of `event_type` about `request` (null: no request).
bool NotifiesOf(const domain::PolicyPack& pack, const std::string& event_type,
                const domain::Request* request);

// Writes, inside `tx`, the notifications the tenant's pack in force gives `event_type` on
// `account_id` (`data` is the event's, e.g. the dormancy offer), one outbox message per
// channel with a contact on record, in the customer's locale and time zone (their
// notification preferences, else the pack's defaults; app/notifications/customer_say.h):
// - `pending` with next_attempt_at now, or at the end of the customer's quiet hours for a
//   non-urgent message, or later still when the recipient reached the channel's rate limit;
// - `suppressed` with the reason in last_error (WhyNotSent) on a channel the customer opted
//   out of, or for a marketing message without their consent; an urgent transactional
//   message suppressed on all its channels that way goes on the customer's other channel
//   (FallbackChannels).
// Each gets an audit entry (template id, channel, SHA-256 of the rendered text, never the
// text), and the call writes one `customer.notification` webhook event naming them. A
// request's event tells once per channel however many times it is written (one per service
// suspended). Nothing is written for a tenant without a pack, an account without contacts or
// whose data was erased, or when no keyring is installed.
Status NotifyOfEvent(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                     const std::string& event_type, const domain::Request* request,
                     const std::string& account_id, const boost::json::object& data);

// A message written outside the pack's `notify:` rules, for a use case that must reach the
// customer whatever their say: a one-time code (app/verification/verification_codes.h).
struct DirectMessage {
  std::string notification;                 // the template's notification, e.g. "verification_code"
  std::string channel;                      // "email" or "sms"
  std::string to;                           // the contact on record
  std::map<std::string, std::string> vars;  // the template's variables (kTemplateVariables)
};

// Writes `m` inside `tx` as one pending, transactional outbox message due now: it ignores
// quiet hours, opt-outs and the pack's rate limit (the caller bounds how often). The template
// is the tenant's, else the shipped one, in the customer's locale (the pack's default without
// a preference; "en" for a tenant without a pack), sealed under the account's data key like
// every notification. Writes no audit entry and no customer.notification event: the caller
// records its own, since the text may hold a secret whose hash must not be kept. Returns the
// message's id; kUnavailable when no keyring is installed, kNotFound when no template exists.
Result<std::string> WriteDirectMessage(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                                       const domain::Account& account,
                                       const domain::Profile& profile, const DirectMessage& m);

// Writes `m` inside `tx` as WriteDirectMessage does, to a staff user of the tenant rather than
// a customer: sealed under the user's own data key (the outbox row has no account; its payload
// names the user as the sealed subject), in the pack's default locale ("en" without a pack).
Result<std::string> WriteStaffMessage(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                                      const std::string& user_id, const DirectMessage& m);

// The base of the links staff messages carry (the server's public_url, without a trailing
// slash). Installed once before serving, like the keyring; empty: the links are left out.
void InstallConsoleUrl(const std::string& url);

// What telling staff of an escalation wrote.
struct StaffNotice {
  int written = 0;     // messages written
  int over_limit = 0;  // users skipped: they reached the rate limit
};

// Emails every active staff user of `role` in ctx's tenant that `request` was escalated
// (`sla_status`: at_risk or breached): the `request.escalated` staff message, in the pack's
// locale and time zone, with a link to the account in the console (WriteStaffMessage). A user
// who got the pack's `rate_limit.email` escalation messages within its window gets no more
// until it passes: a breach of many requests at once (a bulk job, an outage) tells each user
// a bounded number of times, and the queue shows every request anyway. Nothing is written
// when the tenant has no pack or its notify.enabled is false, or without a keyring.
Result<StaffNotice> NotifyStaffOfEscalation(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                                            domain::Role role, const domain::Request& request,
                                            const std::string& sla_status);

// The values of the templates' variables (app/notifications/templates.h) for one event,
// in `locale`, times in `zone`, which is named as the customer's (CustomerTimeZone). Amounts
// are the account's amount due.
std::map<std::string, std::string> TemplateVariables(
    const domain::PolicyPack& pack, const domain::Account& account, const domain::Profile& profile,
    const domain::Request* request, const boost::json::object& data, const std::string& locale,
    const TimeZone& zone);

// `at` as a person reads it in `locale` and `zone`: "Monday 30 March 2026, 09:00
// (Europe/Paris)" in English, "lundi 30 mars 2026 à 09:00 (Europe/Paris)" in French.
std::string FormatLocalTime(Timestamp at, const std::string& locale, const TimeZone& zone,
                            const std::string& zone_name);

}  // namespace sb::app
