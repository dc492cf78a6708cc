#pragma once

// A small HTTP/1.1 server on 127.0.0.1 for tests that receive webhooks: it records every
// request and answers each with the next status it was given (the last one repeats), one
// request per connection, on its own thread.

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sb::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // The header's value (name in any case), or "" when absent.
  std::string Header(const std::string& name) const;
};

class WebhookReceiver {
 public:
  // Listens on a free port of 127.0.0.1. `statuses`: the answers in order, the last repeats.
  explicit WebhookReceiver(std::vector<int> statuses = {200});
  ~WebhookReceiver();  // stops serving
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port><path>".
  std::string Url(const std::string& path = "/hook") const;

  // Replaces the answers still to come. Thread-safe.
  void AnswerWith(std::vector<int> statuses);
  // Waits this long before answering each request (to make clients time out).
  void DelayAnswers(int ms) { delay_ms_ = ms; }

  // Every request received so far, oldest first. Thread-safe.
  std::vector<ReceivedRequest> Requests() const;
  size_t Count() const;
  // Waits until at least `n` requests arrived; false after `timeout_ms`.
  bool WaitForCount(size_t n, int timeout_ms) const;

 private:
  void Serve();
  void Handle(int fd);
  int NextStatus();

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> delay_ms_{0};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<int> statuses_;
  std::vector<ReceivedRequest> requests_;
  std::thread thread_;
};

}  // namespace sb::testing
