#pragma once

// Reads a tenant's audit entries, and the leaves recorded for them, ahead of a check
// (app/audit/audit_check.h) on a thread and a read transaction of its own, while the check
// hashes the chunk before: reading the rows and hashing them each take about half of a
// check's time. Internal to the audit log.
//
// Only positions below `limit`, the log size the check's own transaction saw, are read
// ahead: those were sequenced before the check began, and a sequenced entry and its leaf
// never change, so both transactions see the same rows. At most two chunks wait at once.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

class AuditReadAhead {
 public:
  struct Chunk {
    std::int64_t from = 0;
    std::vector<domain::AuditEntry> entries;
    std::vector<std::string> leaves;  // kCheckEntryChunk of them, "" where none is recorded
  };

  AuditReadAhead(domain::Store& store, std::string tenant_id, std::int64_t limit);
  // Stops and joins the reader: not inside a transaction of the same store (a reader still
  // waiting for a connection would wait for it).
  ~AuditReadAhead();
  AuditReadAhead(const AuditReadAhead&) = delete;
  AuditReadAhead& operator=(const AuditReadAhead&) = delete;

  // The chunk starting at `from` if it was read ahead; nullopt when the caller must read
  // it itself (past the limit, not read yet because the reader has no connection, or the
  // reader failed). Chunks are asked for in increasing order.
  std::optional<Chunk> Take(std::int64_t from);
  // Tells the reader to stop (it ends its transaction at once, or starts none) without
  // waiting for it.
  void Stop();

 private:
  void Run();

  domain::Store& store_;
  const std::string tenant_id_;
  const std::int64_t limit_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Chunk> ready_;
  std::int64_t wanted_ = 0;  // where the next chunk the check will ask for starts
  bool started_ = false;     // the reader holds its transaction
  bool done_ = false;        // the reader ended (at the limit, on failure, or told to)
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace sb::app
