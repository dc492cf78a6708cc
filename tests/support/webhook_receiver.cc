#include "tests/support/webhook_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "tests/support/text.h"

namespace sb::testing {
namespace {

// Reads from `fd` until `buffer` holds `want` bytes or the peer stops (2 s of silence).
bool ReadUntil(int fd, std::string& buffer, size_t want) {
  while (buffer.size() < want) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 2000) <= 0) return false;
    char chunk[4096];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  return true;
}

// Reads the head; returns the offset past "\r\n\r\n", or npos.
size_t ReadHead(int fd, std::string& buffer) {
  while (true) {
    size_t end = buffer.find("\r\n\r\n");
    if (end != std::string::npos) return end + 4;
    if (buffer.size() > 64 * 1024 || !ReadUntil(fd, buffer, buffer.size() + 1)) {
      return std::string::npos;
    }
  }
}

ReceivedRequest ParseHead(const std::string& head) {
  ReceivedRequest r;
  size_t line_end = head.find("\r\n");
  std::string first = head.substr(0, line_end);
  size_t sp1 = first.find(' ');
  size_t sp2 = first.find(' ', sp1 + 1);
  r.method = first.substr(0, sp1);
  r.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t at = line_end + 2;
  while (at < head.size()) {
    size_t end = head.find("\r\n", at);
    if (end == std::string::npos || end == at) break;
    std::string line = head.substr(at, end - at);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      r.headers[AsciiLower(line.substr(0, colon))] = value;
    }
    at = end + 2;
  }
  return r;
}

}  // namespace

std::string ReceivedRequest::Header(const std::string& name) const {
  auto it = headers.find(AsciiLower(name));
  return it == headers.end() ? "" : it->second;
}

WebhookReceiver::WebhookReceiver(std::vector<int> statuses) : statuses_(std::move(statuses)) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  listen(listen_fd_, 64);
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

WebhookReceiver::~WebhookReceiver() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
}

std::string WebhookReceiver::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void WebhookReceiver::AnswerWith(std::vector<int> statuses) {
  std::lock_guard lock(mu_);
  statuses_ = std::move(statuses);
}

std::vector<ReceivedRequest> WebhookReceiver::Requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t WebhookReceiver::Count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

bool WebhookReceiver::WaitForCount(size_t n, int timeout_ms) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                      [&] { return requests_.size() >= n; });
}

int WebhookReceiver::NextStatus() {
  std::lock_guard lock(mu_);
  if (statuses_.empty()) return 200;
  int status = statuses_.front();
  if (statuses_.size() > 1) statuses_.erase(statuses_.begin());
  return status;
}

void WebhookReceiver::Serve() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    Handle(fd);
    close(fd);
  }
}

void WebhookReceiver::Handle(int fd) {
  std::string buffer;
  size_t body_at = ReadHead(fd, buffer);
  if (body_at == std::string::npos) return;
  ReceivedRequest r = ParseHead(buffer.substr(0, body_at));
  size_t length = 0;
  std::string cl = r.Header("content-length");
  if (!cl.empty()) length = static_cast<size_t>(std::stoul(cl));
  if (!ReadUntil(fd, buffer, body_at + length)) return;
  r.body = buffer.substr(body_at, length);
  int status = NextStatus();
  {
    std::lock_guard lock(mu_);
    requests_.push_back(std::move(r));
  }
  cv_.notify_all();
  for (int waited = 0; waited < delay_ms_ && !stopping_; waited += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::string answer = "HTTP/1.1 " + std::to_string(status) +
                       " Test\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                       "Connection: close\r\n\r\nok";
  // The client may have given up already: no SIGPIPE for that.
  ssize_t written = send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
  (void)written;
}

}  // namespace sb::testing
