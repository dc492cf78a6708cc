#pragma once

// The clients of the crash harness (crash_test.cc): threads that keep writing to a server
// that is killed with SIGKILL under them, and remember exactly what it acknowledged.
//
// Each write carries an Idempotency-Key of its own (an inbound event, its event id) and is
// sent again, unchanged, after any connection error, 5xx or "key in flight" answer, until
// it gets a definitive answer. What was acknowledged (a 2xx) is recorded per account so the
// harness can check afterwards that every acknowledged effect is there, and only once.

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http_client.h"

namespace sb::testing {

// What the clients were told about one account.
struct AckedAccount {
  std::string id;
  std::string external_ref;
  std::int64_t opening_due_minor = 0;
  std::vector<std::string> holds_placed;  // hold ids, in the order acknowledged
  std::set<std::string> holds_lifted;
  int payments = 0;  // payment.received events acknowledged (each kPaymentMinor)
  // Every request id an acknowledged answer named, with the kind of write that filed it.
  std::map<std::string, std::string> requests;
};

// Counters the harness reports.
struct CrashFigures {
  std::atomic<std::int64_t> acknowledged{0};  // writes answered 2xx
  std::atomic<std::int64_t> retries{0};       // sends repeated after an error or 5xx
  // Why: no connection or no answer (the server was down or died mid-call), a 5xx, or 409
  // idempotency_key_in_flight.
  std::atomic<std::int64_t> retries_unreachable{0};
  std::atomic<std::int64_t> retries_5xx{0};
  std::atomic<std::int64_t> retries_in_flight{0};
  std::atomic<std::int64_t> refused{0};  // definitive answers other than 2xx
};

// Amount of each payment event, in minor units.
inline constexpr std::int64_t kPaymentMinor = 100;

class CrashClients {
 public:
  // `events_secret`: the tenant's inbound-event secret ("whsec_..."). `key`: an admin key.
  CrashClients(int port, std::string key, std::string tenant, std::string events_secret);

  // Runs `n` client threads until Stop(); each finishes the write it is retrying first.
  void Start(int n);
  // Stops the clients and waits for them. Returns false when a client gave up on a write
  // (no definitive answer within a minute).
  bool Stop();

  const std::vector<AckedAccount>& accounts() const { return accounts_; }
  const CrashFigures& figures() const { return figures_; }
  // Definitive non-2xx answers, for the failure message ("status body" lines).
  const std::vector<std::string>& refusals() const { return refusals_; }

 private:
  struct Write {
    std::string kind;
    std::string method;
    std::string target;
    std::string body;
    Headers headers;
    std::string event_id;  // set: an inbound event, signed afresh on every send
  };

  void Run(int client);
  // Sends `w` until a definitive answer; status 0 when it gave up.
  HttpResponse SendUntilDefinitive(const Write& w);
  HttpResponse SignedSend(const Write& w) const;
  void Record(const Write& w, const HttpResponse& r, AckedAccount& account);

  HttpClient http_;
  std::string key_;
  std::string tenant_;
  std::string events_secret_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> gave_up_{false};
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::vector<AckedAccount> accounts_;
  std::vector<std::string> refusals_;
  CrashFigures figures_;
};

}  // namespace sb::testing
