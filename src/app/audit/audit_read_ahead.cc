#include "app/audit/audit_read_ahead.h"

#include <algorithm>
#include <utility>

#include "app/audit/audit_check.h"

namespace sb::app {

AuditReadAhead::AuditReadAhead(domain::Store& store, std::string tenant_id, std::int64_t limit)
    : store_(store), tenant_id_(std::move(tenant_id)), limit_(limit) {
  thread_ = std::thread([this] { Run(); });
}

AuditReadAhead::~AuditReadAhead() {
  Stop();
  thread_.join();
}

void AuditReadAhead::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
}

std::optional<AuditReadAhead::Chunk> AuditReadAhead::Take(std::int64_t from) {
  std::unique_lock lock(mu_);
  wanted_ = std::max(wanted_, from + kCheckEntryChunk);
  cv_.notify_all();
  // Waiting only makes sense for a reader that holds its transaction: one still waiting for
  // a connection (all held by the check's side) might wait for the check itself.
  if (from + kCheckEntryChunk > limit_ || !started_) return std::nullopt;
  while (true) {
    while (!ready_.empty() && ready_.front().from < from) ready_.pop_front();
    if (!ready_.empty()) {
      if (ready_.front().from != from) return std::nullopt;
      Chunk chunk = std::move(ready_.front());
      ready_.pop_front();
      cv_.notify_all();
      return chunk;
    }
    if (done_) return std::nullopt;
    cv_.wait(lock);
  }
}

void AuditReadAhead::Run() {
  Status read = store_.Read([&](domain::Tx& tx) -> Status {
    std::int64_t next = 0;
    while (true) {
      std::int64_t from = 0;
      {
        std::unique_lock lock(mu_);
        started_ = true;
        cv_.notify_all();
        cv_.wait(lock, [&] { return stopping_ || ready_.empty(); });
        // (A reader that got its connection only once the check ended stops here.)
        if (stopping_) return Status::Ok();
        from = std::max(next, wanted_);
      }
      const std::int64_t to = from + kCheckEntryChunk;
      if (to > limit_) return Status::Ok();
      Chunk chunk;
      chunk.from = from;
      SB_ASSIGN_OR_RETURN(chunk.entries, tx.ListAuditByIndex(tenant_id_, from, to));
      SB_ASSIGN_OR_RETURN(auto nodes, tx.ListTreeNodes(tenant_id_, 0, from, to));
      chunk.leaves.resize(static_cast<std::size_t>(kCheckEntryChunk));
      for (domain::merkle::TreeNode& n : nodes)
        chunk.leaves[static_cast<std::size_t>(n.index - from)] = std::move(n.hash);
      {
        std::lock_guard lock(mu_);
        ready_.push_back(std::move(chunk));
      }
      cv_.notify_all();
      next = to;
    }
  });
  (void)read;  // the check reads what was not read ahead itself, and reports its failures
  std::lock_guard lock(mu_);
  done_ = true;
  cv_.notify_all();
}

}  // namespace sb::app
