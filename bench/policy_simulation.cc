// Policy what-if (POST /v1/policy-pack/simulate, app/policy/policy_simulation.h) on SQLite:
// REQUESTS requests of one tenant filed over the last 30 days, 70% reconnections and 30%
// suspensions, each stored as the engine stores it (its check inputs, its checks' results and
// its state as the default pack decided them). Then one simulation of the whole window under
// a candidate that also asks reconnections for KYC level 1 and cuts their normal SLA target,
// through the use case (parse, validate, replay page by page, report).
//
//   policy_simulation [REQUESTS] [DIR]     (defaults 100000, a temp dir)
//
// Prints one JSON line: seconds to replay, requests, replayed, changed, peak RSS.

#include "app/policy/policy_simulation.h"

#include <filesystem>
#include <iostream>
#include <random>
#include <string>

#include "app/core/keyring.h"
#include "app/policy/policy_packs.h"
#include "app/policy/policy_yaml.h"
#include "app/requests/check_inputs.h"
#include "app/requests/request_flow.h"
#include "app/tenants/tenant_admin.h"
#include "crypto/crypto.h"
#include "process_stats.h"
#include "storage/open.h"

using sb::bench::Seconds;
using sb::bench::Steady;
namespace domain = sb::domain;

namespace {

int Fail(const std::string& what, const sb::Status& s) {
  std::cerr << "policy_simulation: " << what << ": " << s.ToString() << "\n";
  return 1;
}

class FixedClock : public sb::Clock {
 public:
  sb::Timestamp Now() const override { return 1796169600000; }  // 2026-12-01
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t count = argc > 1 ? std::stoll(argv[1]) : 100000;
  std::filesystem::path dir = argc > 2 ? std::filesystem::path(argv[2])
                                       : std::filesystem::temp_directory_path() / "sb_what_if";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  sb::crypto::Init();
  auto opened = sb::storage::OpenStore("sqlite:" + (dir / "bench.db").string(), {});
  if (!opened.ok()) return Fail("open", opened.status());
  FixedClock clock;
  sb::app::Keyring keyring(sb::crypto::RandomBytes(32));
  sb::app::Deps deps{*opened->store, clock, keyring};
  auto tenant = sb::app::AdminUseCases(deps).CreateTenant("Bench");
  if (!tenant.ok()) return Fail("tenant", tenant.status());

  const std::string yaml = sb::app::DefaultPolicyPackYaml();
  auto pack = sb::app::ParsePolicyPack(yaml);
  if (!pack.ok()) return Fail("default pack", pack.status());

  // The requests, decided by the default pack on inputs drawn at random: a third of the
  // accounts owe money, KYC levels 0..2.
  std::mt19937_64 rng(7);
  const sb::Timestamp now = clock.Now();
  std::uniform_int_distribution<sb::Timestamp> age(1, 30 * sb::kMillisPerDay - 1);
  auto t0 = Steady::now();
  const std::int64_t batch = 5000;
  for (std::int64_t done = 0; done < count; done += batch) {
    sb::Status s = opened->store->Write([&](domain::Tx& tx) -> sb::Status {
      for (std::int64_t i = done; i < std::min(count, done + batch); ++i) {
        domain::Request r;
        r.tenant_id = tenant->id;
        r.created_at = r.updated_at = now - age(rng);
        r.id = sb::crypto::NewId("req", r.created_at);
        r.account_id = "acc_bench" + std::to_string(i % 20000);
        r.service_id = "svc_bench" + std::to_string(i % 20000);
        r.type =
            rng() % 10 < 7 ? domain::RequestType::kReconnection : domain::RequestType::kSuspension;
        r.origin = domain::Origin::kVoluntary;
        r.reason_code =
            r.type == domain::RequestType::kReconnection ? "customer_request" : "non_payment";
        r.policy_version = pack->version;
        r.payload_json = "{}";
        r.result_json = "{}";

        sb::app::CheckInputs in;
        in.at = r.created_at;
        in.account.tenant_id = tenant->id;
        in.account.id = r.account_id;
        in.account.amount_due_minor = rng() % 3 == 0 ? 2500 : 0;
        in.account.kyc_level = static_cast<int>(rng() % 3);
        in.account.created_at = now - 400 * sb::kMillisPerDay;
        in.maker = {domain::ActorType::kApiKey, "key_bench", domain::Role::kAgent};
        in.service_id = r.service_id;
        in.cooling_off_counts = {{30, 0}, {365, 0}};  // the windows the default pack counts
        const domain::RequestPolicy& policy = pack->requests.at(r.type);
        auto decided = sb::app::Replay(in, r, policy, *pack);
        if (!decided) return sb::Status::Internal("a generated request cannot be replayed");
        in.verdict = decided->verdict;
        r.state = decided->verdict == domain::RequestState::kApproved
                      ? domain::RequestState::kCompleted
                      : decided->verdict;
        r.checks_json = sb::app::ChecksToJson(decided->checks);
        r.check_inputs_json = sb::app::CheckInputsJson(in);
        SB_RETURN_IF_ERROR(tx.InsertRequest(r));
      }
      return sb::Status::Ok();
    });
    if (!s.ok()) return Fail("generate", s);
  }
  const double generate_s = Seconds(t0);

  std::string candidate = Replace(yaml, "version: \"2026.1\"", "version: \"2026.2\"");
  candidate = Replace(candidate,
                      "  reconnection:\n    checks:\n      - kind: payment_cleared\n"
                      "      - kind: no_fraud_hold\n",
                      "  reconnection:\n    checks:\n      - kind: payment_cleared\n"
                      "      - kind: no_fraud_hold\n      - kind: kyc_complete\n"
                      "        min_kyc_level: 1\n");
  candidate = Replace(candidate, "      normal: {target_minutes: 540}  # 1 business day",
                      "      normal: {target_minutes: 300}");

  sb::app::PolicyPackUseCases packs(deps);
  sb::app::CallContext ctx;
  ctx.tenant_id = tenant->id;
  ctx.actor = {domain::ActorType::kApiKey, "key_bench", domain::Role::kAdmin};
  const long rss_before = sb::bench::RssMb();
  auto t1 = Steady::now();
  auto sim = packs.Simulate(ctx, candidate, 30);
  const double simulate_s = Seconds(t1);
  if (!sim.ok()) return Fail("simulate", sim.status());
  std::cout << "{\"bench\":\"policy_simulation\",\"requests\":" << sim->requests
            << ",\"replayed\":" << sim->replayed << ",\"changed\":" << sim->changed
            << ",\"listed\":" << sim->decisions.size() << ",\"sla_moves\":" << sim->sla_moves.size()
            << ",\"generate_seconds\":" << generate_s << ",\"simulate_seconds\":" << simulate_s
            << ",\"rss_before_mb\":" << rss_before << ",\"peak_rss_mb\":" << sb::bench::PeakRssMb()
            << "}\n";
  return 0;
}
