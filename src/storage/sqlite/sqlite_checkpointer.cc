#include "storage/sqlite/sqlite_checkpointer.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace sb::storage::sqlite {
namespace {

// SQLITE_BUSY only means another checkpoint is running: the next commit tries again.
void WarnIfFailed(int rc) {
  if (rc == SQLITE_OK || rc == SQLITE_BUSY) return;
  spdlog::warn(R"({{"msg":"wal checkpoint failed","backend":"sqlite","error":"{}"}})",
               sqlite3_errstr(rc));
}

}  // namespace

Checkpointer::Checkpointer(std::unique_ptr<Conn> conn, int threshold_pages)
    : conn_(std::move(conn)), threshold_(std::max(1, threshold_pages)) {
  thread_ = std::thread([this] { Loop(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void Checkpointer::Attach(Conn& writer) { sqlite3_wal_hook(writer.db(), &OnCommit, this); }

int Checkpointer::OnCommit(void* self, sqlite3* writer, const char*, int wal_pages) {
  static_cast<Checkpointer*>(self)->AfterCommit(writer, wal_pages);
  return SQLITE_OK;  // the commit itself stands whatever happens here
}

void Checkpointer::AfterCommit(sqlite3* writer, int wal_pages) {
  bool copy_here = false;
  {
    std::lock_guard lock(mu_);
    if (wal_pages < threshold_) {
      copied_ = 0;  // the log started over, or is still small
      return;
    }
    if (running_) return;  // its pass holds the checkpoint lock; the next commit looks again
    const bool rest_is_small =
        copied_ > 0 && copied_ <= wal_pages && wal_pages - copied_ <= kWriterCopiesAtMost;
    if (rest_is_small || wal_pages >= kStallFactor * threshold_) {
      copy_here = true;
      copied_ = 0;
    } else {
      wanted_ = true;
    }
  }
  if (!copy_here) {
    cv_.notify_one();
    return;
  }
  // Between transactions, so this copies everything no reader still needs and the next
  // write starts the log over.
  int rc = sqlite3_wal_checkpoint_v2(writer, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  WarnIfFailed(rc);
}

void Checkpointer::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || wanted_; });
    if (stopping_) return;
    wanted_ = false;
    running_ = true;
    lock.unlock();
    int log_pages = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(conn_->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_pages,
                                       &copied);
    WarnIfFailed(rc);
    lock.lock();
    running_ = false;
    copied_ = rc == SQLITE_OK ? copied : 0;
  }
}

}  // namespace sb::storage::sqlite
