// Reconnection and churn scoring (app/scoring/, docs/SCORING.md) on SQLite: ACCOUNTS accounts of
// one tenant, every one suspended now (a completed suspension request with the amount due its
// checks read), most with an earlier suspension a year ago that ended in a reconnection after a
// time that depends on what they owed, and a third with failed payments in the audit log. Then,
// through the use case: the features of every suspended account read from the store
// (ForEachHistory + CurrentFeatures), their scores and drivers under a trained model, and one
// training run on the tenant's history (capped at ScoringOptions::max_examples examples). Then
// the refresh run the training started, slice after slice, which stores every score for the
// outreach list, and pages of that list.
//
//   scoring [ACCOUNTS] [DIR]     (defaults 1000000, a temp dir)
//
// A DIR that already holds a history of ACCOUNTS accounts written by an earlier run (its file
// `generated` names them and the tenant) is reused: generating a million accounts takes
// minutes, and profiling the extraction needs it alone.
//
// Prints one JSON line: seconds to generate, extract, score, train and refresh; milliseconds
// of an outreach page; counts; peak RSS.

#include "app/scoring/scoring.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include "app/core/job_kinds.h"
#include "app/core/keyring.h"
#include "app/tenants/tenant_admin.h"
#include "crypto/crypto.h"
#include "process_stats.h"
#include "storage/open.h"

using sb::bench::Seconds;
using sb::bench::Steady;
namespace domain = sb::domain;

namespace {

int Fail(const std::string& what, const sb::Status& s) {
  std::cerr << "scoring: " << what << ": " << s.ToString() << "\n";
  return 1;
}

class FixedClock : public sb::Clock {
 public:
  sb::Timestamp Now() const override { return 1796169600000; }  // 2026-12-01
};

constexpr sb::Timestamp kDay = sb::kMillisPerDay;

domain::Request Completed(const std::string& tenant, const std::string& account,
                          domain::RequestType type, domain::Channel channel, sb::Timestamp at) {
  domain::Request r;
  r.tenant_id = tenant;
  r.id = sb::crypto::NewId("req", at);
  r.account_id = account;
  r.type = type;
  r.origin = domain::Origin::kInvoluntary;
  r.channel = channel;
  r.state = domain::RequestState::kCompleted;
  r.created_at = r.updated_at = at;
  r.completed_at = at;
  r.payload_json = "{}";
  r.result_json = "{}";
  return r;
}

std::string Inputs(std::int64_t due, sb::Timestamp at) {
  return "{\"at\":" + std::to_string(at) +
         ",\"account\":{\"amount_due_minor\":" + std::to_string(due) + "}}";
}

// One account and its history, as the engine would have left them.
sb::Status WriteAccount(domain::Tx& tx, const std::string& tenant, std::int64_t i,
                        std::mt19937_64& rng, sb::Timestamp now) {
  domain::Account a;
  a.tenant_id = tenant;
  a.created_at = a.updated_at = now - (400 + static_cast<sb::Timestamp>(rng() % 1000)) * kDay;
  a.id = sb::crypto::NewId("acc", a.created_at);
  a.external_ref = "B" + std::to_string(i);
  a.status = domain::AccountStatus::kSuspended;
  a.amount_due_minor = static_cast<std::int64_t>(rng() % 20000);
  SB_RETURN_IF_ERROR(tx.InsertAccount(a));
  auto channel = static_cast<domain::Channel>(rng() % 9);
  if (rng() % 10 < 8) {  // an earlier episode a year ago
    sb::Timestamp start = now - (300 + static_cast<sb::Timestamp>(rng() % 60)) * kDay;
    std::int64_t owed = static_cast<std::int64_t>(rng() % 20000);
    domain::Request s = Completed(tenant, a.id, domain::RequestType::kSuspension, channel, start);
    s.check_inputs_json = Inputs(owed, start);
    SB_RETURN_IF_ERROR(tx.InsertRequest(s));
    std::exponential_distribution<double> wait(1.0 / (5.0 + owed / 400.0));
    sb::Timestamp back = start + static_cast<sb::Timestamp>(wait(rng) * kDay) + 1;
    SB_RETURN_IF_ERROR(tx.InsertRequest(
        Completed(tenant, a.id, domain::RequestType::kReconnection, domain::Channel::kApi, back)));
  }
  sb::Timestamp start = now - static_cast<sb::Timestamp>(rng() % 60) * kDay;
  domain::Request s = Completed(tenant, a.id, domain::RequestType::kSuspension, channel, start);
  s.check_inputs_json = Inputs(a.amount_due_minor, start);
  SB_RETURN_IF_ERROR(tx.InsertRequest(s));
  if (rng() % 3 == 0) {
    domain::AuditEntry e;
    e.tenant_id = tenant;
    e.created_at = start - kDay;
    e.id = sb::crypto::NewId("aud", e.created_at);
    e.category = domain::AuditCategory::kPayment;
    e.action = "payment.failed";
    e.actor = {domain::ActorType::kSystem, "system", domain::Role::kSystem};
    e.subject_type = "account";
    e.subject_id = e.account_id = a.id;
    e.before_json = e.after_json = "{}";
    SB_RETURN_IF_ERROR(tx.InsertAuditEntry(e));
  }
  return sb::Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t count = argc > 1 ? std::stoll(argv[1]) : 1000000;
  std::filesystem::path dir = argc > 2 ? std::filesystem::path(argv[2])
                                       : std::filesystem::temp_directory_path() / "sb_scoring";
  // The history generated earlier in `dir`, if it has `count` accounts: "<count> <tenant id>".
  const std::filesystem::path marker = dir / "generated";
  std::string tenant_id;
  {
    std::ifstream in(marker);
    std::int64_t had = 0;
    if (in >> had >> tenant_id && had != count) tenant_id.clear();
  }
  if (tenant_id.empty()) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  sb::crypto::Init();
  auto opened = sb::storage::OpenStore("sqlite:" + (dir / "bench.db").string(), {});
  if (!opened.ok()) return Fail("open", opened.status());
  FixedClock clock;
  // A fixed master key, so that a reused history's tenant keys open again.
  sb::app::Keyring keyring(std::string(32, 'k'));
  sb::app::Deps deps{*opened->store, clock, keyring};
  const sb::Timestamp now = clock.Now();
  auto t0 = Steady::now();
  double generate_s = 0;
  if (tenant_id.empty()) {
    auto tenant = sb::app::AdminUseCases(deps).CreateTenant("Bench");
    if (!tenant.ok()) return Fail("tenant", tenant.status());
    tenant_id = tenant->id;
    std::mt19937_64 rng(7);
    const std::int64_t batch = 5000;
    for (std::int64_t done = 0; done < count; done += batch) {
      sb::Status s = opened->store->Write([&](domain::Tx& tx) -> sb::Status {
        for (std::int64_t i = done; i < std::min(count, done + batch); ++i) {
          SB_RETURN_IF_ERROR(WriteAccount(tx, tenant_id, i, rng, now));
        }
        return sb::Status::Ok();
      });
      if (!s.ok()) return Fail("generate", s);
    }
    generate_s = Seconds(t0);
    std::ofstream(marker) << count << " " << tenant_id << "\n";
  }

  sb::app::Scoring scoring(deps);
  sb::app::CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = {domain::ActorType::kApiKey, "key_bench", domain::Role::kAdmin};
  auto t1 = Steady::now();
  auto model = scoring.Train(ctx, nullptr);
  const double train_s = Seconds(t1);
  if (!model.ok()) return Fail("train", model.status());

  // Extraction: every suspended account's features as they stand now, from the store.
  std::vector<std::vector<double>> features;
  features.reserve(static_cast<size_t>(count));
  auto t2 = Steady::now();
  sb::Status read = scoring.ForEachHistory(tenant_id, domain::AccountStatus::kSuspended,
                                           [&](domain::ScoringHistory&& h, const std::string&) {
                                             if (auto x = domain::CurrentFeatures(h, now))
                                               features.push_back(std::move(*x));
                                             return true;
                                           });
  const double extract_s = Seconds(t2);
  if (!read.ok()) return Fail("extract", read);

  // Scoring: probability and the five drivers of each.
  auto t3 = Steady::now();
  double sum = 0;
  std::size_t drivers = 0;
  for (const auto& x : features) {
    sum += domain::PredictScore(*model, x);
    drivers += domain::ScoreDrivers(*model, x, 5).size();
  }
  const double score_s = Seconds(t3);

  // The refresh run training started: its slices claimed and run one after another, as the job
  // runner would, until the run has stored every score the outreach list reads.
  auto t4 = Steady::now();
  int slices = 0;
  for (bool more = true; more;) {
    std::vector<domain::Job> due;
    sb::Status claimed = opened->store->Write([&](domain::Tx& tx) -> sb::Status {
      SB_ASSIGN_OR_RETURN(due, tx.ClaimDueJobs(clock.Now(), 10, 60'000));
      return sb::Status::Ok();
    });
    if (!claimed.ok()) return Fail("claim", claimed);
    more = !due.empty();
    for (const domain::Job& job : due) {
      if (job.kind != sb::app::kScoringRefreshJob) continue;
      if (sb::Status s = scoring.RefreshSlice(job); !s.ok()) return Fail("refresh", s);
      ++slices;
    }
  }
  const double refresh_s = Seconds(t4);

  // The outreach list: its first page, then 50 pages after it, 50 accounts each.
  std::vector<double> page_ms;
  std::string cursor;
  std::size_t listed = 0;
  for (int p = 0; p < 51; ++p) {
    auto tp = Steady::now();
    auto page = scoring.Outreach(ctx, cursor, 50);
    page_ms.push_back(Seconds(tp) * 1000);
    if (!page.ok()) return Fail("outreach", page.status());
    listed += page->items.size();
    if (!page->has_more) break;
    cursor = page->next_cursor;
  }
  const double first_page_ms = page_ms.front();
  std::sort(page_ms.begin() + 1, page_ms.end());
  const double later_page_ms = page_ms.size() > 1 ? page_ms[page_ms.size() / 2] : 0;

  std::cout << "{\"bench\":\"scoring\",\"accounts\":" << count << ",\"scored\":" << features.size()
            << ",\"drivers\":" << drivers
            << ",\"mean_score\":" << sum / std::max<std::size_t>(1, features.size())
            << ",\"training_examples\":" << model->training_size + model->holdout_size
            << ",\"holdout_auc\":" << model->holdout_auc << ",\"generate_seconds\":" << generate_s
            << ",\"train_seconds\":" << train_s << ",\"extract_seconds\":" << extract_s
            << ",\"score_seconds\":" << score_s
            << ",\"extract_and_score_seconds\":" << extract_s + score_s
            << ",\"refresh_seconds\":" << refresh_s << ",\"refresh_slices\":" << slices
            << ",\"outreach_first_page_ms\":" << first_page_ms
            << ",\"outreach_page_p50_ms\":" << later_page_ms << ",\"outreach_listed\":" << listed
            << ",\"peak_rss_mb\":" << sb::bench::PeakRssMb() << "}\n";
  return 0;
}
