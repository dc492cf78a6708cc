// The refresh runs that store every suspended and dormant account's score for the outreach list
// (docs/SCORING.md, "The outreach list"): a chain of durable jobs, one slice each.
#include <boost/json.hpp>
#include <chrono>
#include <iterator>
#include <utility>
#include <vector>

#include "app/core/job_kinds.h"
#include "app/scoring/scoring.h"
#include "crypto/crypto.h"

namespace sb::app {
namespace {

namespace json = boost::json;
using domain::AccountStatus;

// Scores stored per transaction.
constexpr size_t kScoresPerWrite = 500;

// Where a run stands, as its job's payload keeps it. A run reads the suspended accounts, then
// the dormant ones, each newest first; `after` is the last account it scored.
struct RunPoint {
  Timestamp started_at = 0;  // 0: the run has not started (its first slice starts it)
  AccountStatus phase = AccountStatus::kSuspended;
  std::string after;
  std::int64_t scored = 0;
};

Result<RunPoint> ParseRunPoint(const std::string& payload) {
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return Status::Invalid("payload", "refresh job payload is not JSON");
  const json::object& o = v.as_object();
  RunPoint p;
  if (o.empty()) return p;
  const json::value* started = o.if_contains("started_at");
  const json::value* phase = o.if_contains("phase");
  const json::value* after = o.if_contains("after");
  const json::value* scored = o.if_contains("scored");
  if (!started || !started->is_int64() || !phase || !phase->is_string() || !after ||
      !after->is_string() || !scored || !scored->is_int64()) {
    return Status::Invalid("payload", "refresh job payload lacks its run's point");
  }
  p.started_at = started->as_int64();
  p.phase = phase->as_string() == "dormant" ? AccountStatus::kDormant : AccountStatus::kSuspended;
  p.after = json::value_to<std::string>(*after);
  p.scored = scored->as_int64();
  return p;
}

std::string RunPointJson(const RunPoint& p) {
  return json::serialize(json::object{{"started_at", p.started_at},
                                      {"phase", domain::Name(p.phase)},
                                      {"after", p.after},
                                      {"scored", p.scored}});
}

}  // namespace

domain::Job Scoring::RefreshJob(const std::string& tenant_id, std::int64_t version, Timestamp now,
                                Timestamp run_at, std::string payload_json) {
  domain::Job j;
  j.tenant_id = tenant_id;
  j.id = crypto::NewId("job", now);
  j.kind = kScoringRefreshJob;
  j.subject_id = std::to_string(version);
  j.payload_json = std::move(payload_json);
  j.run_at = run_at;
  j.created_at = now;
  return j;
}

Status Scoring::RefreshSlice(const domain::Job& job) const {
  SB_ASSIGN_OR_RETURN(RunPoint point, ParseRunPoint(job.payload_json));
  Timestamp now = deps_.clock.Now();
  if (point.started_at == 0) point.started_at = now;
  domain::ScoringModel model;
  bool superseded = false;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto latest = tx.LatestScoringModel(job.tenant_id);
    if (latest.status().code() == Code::kNotFound) {
      superseded = true;
      return Status::Ok();
    }
    SB_ASSIGN_OR_RETURN(model, std::move(latest));
    superseded = std::to_string(model.version) != job.subject_id;
    return Status::Ok();
  }));
  if (superseded) return Status::Ok();

  // Read and score until the slice's time is up or the run has read everything; a slice stops
  // only where a read of histories ends, so that none is read for nothing.
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.refresh_slice_ms);
  std::vector<domain::StoredScore> scores;
  bool finished = false;
  while (!finished) {
    bool out_of_time = false;
    int taken = 0;
    SB_RETURN_IF_ERROR(ForEachHistory(
        job.tenant_id, point.phase,
        [&](domain::ScoringHistory&& h, const std::string&) {
          point.after = h.account_id;
          if (auto x = domain::CurrentFeatures(h, now)) {
            domain::StoredScore s;
            s.tenant_id = job.tenant_id;
            s.account_id = h.account_id;
            s.model_version = model.version;
            s.rank_ppb = domain::RankPpb(domain::PredictScore(model, *x));
            s.features = std::move(*x);
            s.scored_at = point.started_at;
            scores.push_back(std::move(s));
            ++point.scored;
          }
          out_of_time =
              ++taken % kHistoriesPerRead == 0 && std::chrono::steady_clock::now() >= deadline;
          return !out_of_time;
        },
        point.after));
    if (out_of_time) break;
    // Every account of this phase was read.
    if (point.phase == AccountStatus::kSuspended) {
      point.phase = AccountStatus::kDormant;
      point.after.clear();
    } else {
      finished = true;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
  }

  // The scores in transactions of kScoresPerWrite, so that interactive writes queued behind
  // them on the writer wait milliseconds; writing one again after a crash changes nothing.
  // The last transaction also moves the chain on.
  while (scores.size() > kScoresPerWrite) {
    std::vector<domain::StoredScore> some(std::make_move_iterator(scores.end() - kScoresPerWrite),
                                          std::make_move_iterator(scores.end()));
    scores.resize(scores.size() - kScoresPerWrite);
    SB_RETURN_IF_ERROR(
        deps_.store.Write([&](domain::Tx& tx) { return tx.UpsertAccountScores(some); }));
  }
  return deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp at = deps_.clock.Now();
    SB_RETURN_IF_ERROR(tx.UpsertAccountScores(scores));
    if (finished) {
      // What the run did not reach is no longer suspended or dormant.
      SB_RETURN_IF_ERROR(tx.DeleteAccountScoresBefore(job.tenant_id, point.started_at).status());
      if (options_.refresh_every_ms > 0) {
        SB_RETURN_IF_ERROR(tx.InsertJob(
            RefreshJob(job.tenant_id, model.version, at, at + options_.refresh_every_ms, "{}")));
      }
    } else {
      SB_RETURN_IF_ERROR(
          tx.InsertJob(RefreshJob(job.tenant_id, model.version, at, at, RunPointJson(point))));
    }
    // Done in the same commit as the step of the chain: a crash before it leaves the job to be
    // claimed again with the chain where it was (the scores it wrote are written again, which
    // changes nothing), never a second chain.
    domain::Job done = job;
    done.state = domain::JobState::kDone;
    done.attempts += 1;
    done.locked_until.reset();
    done.last_error.clear();
    return tx.UpdateJob(done);
  });
}

}  // namespace sb::app
