#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/postgres/pg_conn.h"

namespace sb::storage::postgres {

class Pool;

// A connection borrowed from the pool; returned (or dropped, if it broke) on destruction.
class Lease {
 public:
  Lease(Pool& pool, std::unique_ptr<Conn> conn) : pool_(&pool), conn_(std::move(conn)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();

  Conn& operator*() { return *conn_; }
  Conn* operator->() { return conn_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<Conn> conn_;
};

// At most `size` connections to one database, opened lazily and reused. A connection that
// broke is dropped on return and a new one is opened on a later Acquire. Thread-safe.
class Pool {
 public:
  Pool(std::string uri, int size) : uri_(std::move(uri)), size_(size < 1 ? 1 : size) {}

  // Blocks while every connection is in use. kUnavailable when a new connection is needed
  // and the server cannot be reached.
  Result<Lease> Acquire();

 private:
  friend class Lease;
  void Release(std::unique_ptr<Conn> conn);

  const std::string uri_;
  const int size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;  // connections idle or leased
};

}  // namespace sb::storage::postgres
