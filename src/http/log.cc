#include "http/log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace sb::http {
namespace {

// What the log holds before it is written: one `write` per this many bytes instead of one
// per request line (docs/PERFORMANCE.md, "Account reads against nginx").
constexpr std::size_t kBufferBytes = 32 * 1024;
// The longest a line waits in the buffer.
constexpr std::chrono::milliseconds kFlushEvery{200};

// Writes all of `data` to stderr's descriptor.
void WriteAll(const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(STDERR_FILENO, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to log to: the lines are dropped, never the request
    done += static_cast<std::size_t>(n);
  }
}

// Lines gathered in memory and written to stderr when kBufferBytes are waiting, when a warning
// or an error is logged (the logger flushes on them), every kFlushEvery by a thread of its
// own, and when the process ends.
class BufferedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  BufferedStderrSink() : flusher_([this] { FlushPeriodically(); }) {}
  ~BufferedStderrSink() override {
    {
      std::lock_guard lock(stop_mu_);
      stopping_ = true;
    }
    stop_cv_.notify_one();
    flusher_.join();
    std::lock_guard lock(mutex_);
    WriteAll(buffer_);
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    buffer_.append(formatted.data(), formatted.size());
    if (buffer_.size() >= kBufferBytes) flush_();
  }
  void flush_() override {
    WriteAll(buffer_);
    buffer_.clear();
  }

 private:
  void FlushPeriodically() {
    std::unique_lock lock(stop_mu_);
    while (!stop_cv_.wait_for(lock, kFlushEvery, [this] { return stopping_; })) flush();
  }

  std::string buffer_;  // under base_sink's mutex_
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread flusher_;  // last: started once the members above exist
};

const std::shared_ptr<spdlog::logger>& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    if (auto existing = spdlog::get("http")) return existing;
    auto l = std::make_shared<spdlog::logger>("http", std::make_shared<BufferedStderrSink>());
    l->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","logger":"http",%v})",
                   spdlog::pattern_time_type::utc);
    l->flush_on(spdlog::level::warn);
    spdlog::register_logger(l);
    return l;
  }();
  return logger;
}

}  // namespace

void LogLine(LogLevel level, const std::string& msg, const boost::json::object& fields) {
  // The object's members written in order after "msg", without copying them into another
  // object: the object serialized once, its braces left out (the pattern supplies them).
  std::string inner = "\"msg\":" + boost::json::serialize(boost::json::string_view(msg));
  if (!fields.contains("msg")) {
    if (!fields.empty()) {
      const std::string members = boost::json::serialize(fields);
      inner += ',';
      inner.append(members, 1, members.size() - 2);
    }
  } else {
    for (const auto& [k, v] : fields) {
      if (k == "msg") continue;
      inner += ',';
      inner += boost::json::serialize(k);
      inner += ':';
      inner += boost::json::serialize(v);
    }
  }
  const auto& logger = Logger();
  switch (level) {
    case LogLevel::kInfo:
      logger->info(inner);
      break;
    case LogLevel::kWarn:
      logger->warn(inner);
      break;
    case LogLevel::kError:
      logger->error(inner);
      break;
  }
}

void FlushLog() { Logger()->flush(); }

}  // namespace sb::http
