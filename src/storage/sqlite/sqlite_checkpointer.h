#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "storage/sqlite/sqlite_conn.h"

namespace sb::storage::sqlite {

// Copies the write-ahead log back into the database file on a connection and a thread of
// its own, so that no commit waits for it. (SQLite's automatic checkpoint runs inside the
// commit that crosses the threshold, on the writer, while every queued caller waits.)
//
// A checkpoint beside a busy writer copies only what was committed when it started, and
// the log starts over only once everything in it has been copied. So background passes
// follow each other until what is left is at most kWriterCopiesAtMost pages (a few group
// commits' worth), and the writer copies that rest itself after its next commit.
// If the log still grows to kStallFactor times the threshold (a reader on an old snapshot,
// a slow disk), the writer checkpoints after its commit, as SQLite would.
class Checkpointer {
 public:
  static constexpr int kWriterCopiesAtMost = 1024;
  static constexpr int kStallFactor = 4;

  // `conn`: a read-write connection of its own to the database. `threshold_pages`: the
  // log size at which copying starts. Starts the thread.
  Checkpointer(std::unique_ptr<Conn> conn, int threshold_pages);
  // Stops the thread, letting a pass in progress finish.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Makes this the WAL hook of `writer`, replacing SQLite's automatic checkpoint.
  // REQUIRES: this outlives every commit on `writer`.
  void Attach(Conn& writer);

 private:
  static int OnCommit(void* self, sqlite3* writer, const char* db_name, int wal_pages);
  // On the writer's thread, after each commit, with the log's size in pages.
  void AfterCommit(sqlite3* writer, int wal_pages);
  void Loop();

  std::unique_ptr<Conn> conn_;
  const int threshold_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;   // a background pass is asked for
  bool running_ = false;  // a background pass is copying
  int copied_ = 0;        // pages of the current log the last background pass copied
  bool stopping_ = false;

  std::thread thread_;  // last: started once everything above exists
};

}  // namespace sb::storage::sqlite
