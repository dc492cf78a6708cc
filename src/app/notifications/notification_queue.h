#pragma once

// When a message is composed (docs/NOTIFICATIONS.md, "When a message is composed"). A change
// that tells a customer does not render, seal and write the messages in its own transaction:
// it writes one notification intent (QueueNotification), and the messages are composed from
// it in a transaction of their own (ComposeQueued, which calls NotifyOfEvent of
// app/notifications/composer.h). So the change's transaction, on the one writer of SQLite,
// holds only what the change itself must write.
//
// NotificationComposer decides when: right after the change committed, before its caller
// answers, while the store is free; when writes are queueing for it (a burst, a load test),
// later, in small batches, until it is free again. Either way the intent and the messages
// are written in one transaction each, so a crash loses no message and writes none twice.

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "app/core/context.h"
#include "common/status.h"
#include "common/time.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// Writes, inside `tx`, that `event_type` on `account_id` may tell the customer: one intent,
// when a notification keyring is installed and the tenant's pack in force tells anyone of
// the event (NotifiesOf). Nothing for a dry run, an event on no account or a tenant without a
// pack. The request's state is kept as it is now; the rest is read when composing.
Status QueueNotification(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                         const std::string& event_type, const domain::Request* request,
                         const std::string& account_id, const boost::json::object& data);

// Composes, inside `tx`, up to `limit` of the tenant's intents, oldest first: each is written
// as NotifyOfEvent writes it at the time the intent was written (who made the change, the
// request in the state it had then, the account and the customer's say as they are now), and
// deleted. Returns how many.
Result<int> ComposeQueued(domain::Tx& tx, const std::string& tenant_id, int limit);

// Notifications this process's changes queued since it started (a change that rolled back
// counts too): the composer's sign that something may wait, and its measure of a burst.
std::uint64_t IntentsWritten();

// How busy the store is: writes under way, and notifications queued since the process started
// (IntentsWritten()).
struct StoreLoad {
  int in_flight = 0;
  std::uint64_t intents = 0;
};

class NotificationComposer {
 public:
  struct Options {
    // The store counts as busy from this many writes under way (others than the caller's)...
    int busy_writes = 4;
    // ...or while changes queue notifications at this rate or more (measured over 100 ms or
    // more): a burst of changes, which the messages they cause must not slow. Composing them
    // at once would halve that rate, so a burst stays a burst; one client's changes made one
    // after another, each told before its answer, stay under it.
    double busy_intents_per_second = 200;
    // While busy: at most `busy_batch` intents every `busy_every`.
    int busy_batch = 64;
    std::chrono::milliseconds busy_every{2000};
    // Intents per transaction when the store is free.
    int batch = 256;
    // The periodic pass looks in the store at least this often even when this process wrote
    // no intent since the last: another process (PostgreSQL) may have left some.
    std::chrono::milliseconds look_every{10000};
  };

  // `load` tells how busy the store is: the writes under way (NotifyingStore counts them) and
  // IntentsWritten().
  NotificationComposer(domain::Store& store, std::function<StoreLoad()> load, Options options);
  NotificationComposer(domain::Store& store, std::function<StoreLoad()> load)
      : NotificationComposer(store, std::move(load), Options{}) {}

  // Called on the thread that asked for a write once it committed (the store's commit hook):
  // composes every waiting intent now unless the store is busy. Never from inside a write.
  void AfterCommit();

  // The periodic pass (the job runner's): everything waiting when the store is free, a busy
  // batch at most every busy_every when it is not.
  Status ComposeWaiting();

  // Composes every intent waiting now, whatever the load (at shutdown, and in tests). Returns
  // how many.
  Result<int> ComposeAll();

  // How many intents wait, every tenant's and every process's (GET /metrics).
  Result<std::int64_t> Waiting();

 private:
  bool Busy();
  // Up to `limit` intents of every tenant with any, in one transaction; how many.
  Result<int> ComposeBatch(int limit);
  // After a failed batch: one intent at a time, and one that cannot be composed alone is
  // dropped with an error logged, so that it blocks no other.
  Status ComposeOneByOne(int limit);

  domain::Store& store_;
  std::function<StoreLoad()> load_;
  Options options_;
  std::mutex rate_mu_;  // the rate of intents, sampled at least 100 ms apart
  std::chrono::steady_clock::time_point sampled_at_{};
  std::uint64_t sampled_intents_ = 0;
  double intents_per_second_ = 0;
  std::mutex mu_;  // one composing pass at a time
  // IntentsWritten() before the last pass that left none; at first none was made, so that
  // what an earlier process left is composed by the first pass.
  std::atomic<std::uint64_t> composed_{~std::uint64_t{0}};
  std::chrono::steady_clock::time_point last_busy_pass_{};
  std::chrono::steady_clock::time_point last_look_{};
};

}  // namespace sb::app
