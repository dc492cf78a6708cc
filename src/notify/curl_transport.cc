#include "notify/curl_transport.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>

#include "domain/webhook_targets.h"

namespace sb::notify {
namespace {

// One post in flight: its handle, its header list, and how much of the answer was read.
struct Transfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  long read_bytes = 0;
  long max_bytes = 0;
  bool cut_short = false;
  SocketCheck socket_check;
  bool keep_answer = false;  // WebhookPost::keep_answer
  std::string answer;        // its first kKeptAnswerBytes when kept

  Transfer() = default;
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;
  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    if (headers) curl_slist_free_all(headers);
  }
};

// Most bytes of an answer kept for WebhookPost::keep_answer (a gateway's message id).
constexpr size_t kKeptAnswerBytes = 4096;

size_t Drop(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (t->keep_answer && t->answer.size() < kKeptAnswerBytes) {
    t->answer.append(data, std::min(size * count, kKeptAnswerBytes - t->answer.size()));
  }
  t->read_bytes += static_cast<long>(size * count);
  if (t->read_bytes <= t->max_bytes) return size * count;
  t->cut_short = true;
  return 0;  // aborts the transfer with CURLE_WRITE_ERROR
}

// REQUIRES: `post` outlives the transfer (the body is not copied).
bool Prepare(Transfer& t, const WebhookPost& post, const CurlOptions& o, size_t index) {
  t.easy = curl_easy_init();
  if (!t.easy) return false;
  for (const auto& [name, value] : post.headers) {
    t.headers = curl_slist_append(t.headers, (name + ": " + value).c_str());
  }
  t.headers = curl_slist_append(t.headers, "Expect:");  // no 100-continue round trip
  t.max_bytes = o.max_response_bytes;
  t.socket_check.allow_private = o.allow_private_targets;
  t.keep_answer = post.keep_answer;
  CURL* e = t.easy;
  curl_easy_setopt(e, CURLOPT_URL, post.url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, o.allow_private_targets ? "http,https" : "https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROXY, "");  // no proxy from the environment: connect directly
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &OpenCheckedSocket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &t.socket_check);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o.connect_timeout_ms);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o.total_timeout_ms);
  curl_easy_setopt(e, CURLOPT_POST, 1L);
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, post.body.data());
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post.body.size()));
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Drop);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(e, CURLOPT_PRIVATE, reinterpret_cast<void*>(index));
  return true;
}

WebhookReply ReplyOf(const Transfer& t, CURLcode code) {
  long status = 0;
  curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
  bool answered = code == CURLE_OK || (code == CURLE_WRITE_ERROR && t.cut_short);
  if (answered && status > 0) return {static_cast<int>(status), "", "", t.answer};
  std::string detail = curl_easy_strerror(code == CURLE_OK ? CURLE_GOT_NOTHING : code);
  return {0, t.socket_check.refused_address ? kTargetNotAllowed : kNoAnswer, detail, ""};
}

// Moves finished transfers' outcomes into `replies`.
void Collect(CURLM* multi, std::vector<Transfer>& transfers, std::vector<WebhookReply>& replies) {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    void* index = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &index);
    size_t i = reinterpret_cast<size_t>(index);
    replies[i] = ReplyOf(transfers[i], msg->data.result);
  }
}

}  // namespace

curl_socket_t OpenCheckedSocket(void* check, curlsocktype purpose, curl_sockaddr* address) {
  auto* c = static_cast<SocketCheck*>(check);
  bool allowed = purpose == CURLSOCKTYPE_IPCXN &&
                 (c->allow_private || domain::IsPublicSocketAddress(&address->addr));
  if (!allowed) {
    c->refused_address = true;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

CurlTransport::CurlTransport(CurlOptions options) : options_(options) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::vector<WebhookReply> CurlTransport::SendAll(const std::vector<WebhookPost>& posts) {
  std::vector<WebhookReply> replies(posts.size(), WebhookReply{0, "not sent", "", ""});
  if (posts.empty()) return replies;
  std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi(curl_multi_init(),
                                                              &curl_multi_cleanup);
  if (!multi) return replies;
  curl_multi_setopt(multi.get(), CURLMOPT_MAX_TOTAL_CONNECTIONS, options_.max_parallel);
  std::vector<Transfer> transfers(posts.size());
  const domain::WebhookTargetRules rules{options_.allow_private_targets};
  for (size_t i = 0; i < posts.size(); ++i) {
    // A URL stored before the rules were stricter (http://, a private literal) is refused
    // as its connection would be.
    if (Status s = domain::ValidateWebhookUrl(posts[i].url, rules); !s.ok()) {
      replies[i] = {0, kTargetNotAllowed, s.message(), ""};
      continue;
    }
    if (Prepare(transfers[i], posts[i], options_, i)) {
      curl_multi_add_handle(multi.get(), transfers[i].easy);
    }
  }
  int running = 1;
  while (running > 0) {
    if (curl_multi_perform(multi.get(), &running) != CURLM_OK) break;
    Collect(multi.get(), transfers, replies);
    if (running > 0) curl_multi_poll(multi.get(), nullptr, 0, 200, nullptr);
  }
  Collect(multi.get(), transfers, replies);
  for (Transfer& t : transfers) {
    if (t.easy) curl_multi_remove_handle(multi.get(), t.easy);
  }
  return replies;
}

}  // namespace sb::notify
