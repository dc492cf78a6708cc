#include "notify/smtp_sender.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <cstring>
#include <mutex>

#include "domain/webhook_targets.h"
#include "notify/curl_transport.h"

namespace sb::notify {
namespace {

// SmtpResult::error when no SMTP answer came (refused, closed, timed out, no TLS).
constexpr const char* kNoSmtpAnswer = "no answer";

struct Upload {
  const std::string* data = nullptr;
  size_t offset = 0;
};

size_t ReadData(char* buffer, size_t size, size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t n = std::min(size * count, u->data->size() - u->offset);
  std::memcpy(buffer, u->data->data() + u->offset, n);
  u->offset += n;
  return n;
}

// libcurl reports a refused recipient as "RCPT failed: <code>" (lib/smtp.c); only that
// refusal says something about the address itself.
bool RefusedRecipient(const char* error_buffer, long code) {
  return std::strncmp(error_buffer, "RCPT failed", 11) == 0 && code >= 500 && code < 600;
}

}  // namespace

SmtpSender::SmtpSender(SmtpOptions options) : options_(options) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

SmtpSender::~SmtpSender() {
  if (easy_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(easy_));
}

SmtpResult SmtpSender::Send(const SmtpMessage& m) {
  if (easy_ == nullptr) easy_ = curl_easy_init();
  CURL* e = static_cast<CURL*>(easy_);
  if (e == nullptr) return {app::SendOutcome::kFailed, 0, kNoSmtpAnswer, "curl_easy_init failed"};
  curl_easy_reset(e);  // keeps the connection cache
  Upload upload{&m.data, 0};
  SocketCheck socket_check{options_.allow_private_targets};
  std::string from = "<" + m.mail_from + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.rcpt_to + ">").c_str());
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(e, CURLOPT_URL, m.url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(e, CURLOPT_USE_SSL,
                   static_cast<long>(m.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  if (!m.username.empty()) {
    curl_easy_setopt(e, CURLOPT_USERNAME, m.username.c_str());
    curl_easy_setopt(e, CURLOPT_PASSWORD, m.password.c_str());
  }
  curl_easy_setopt(e, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(e, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(e, CURLOPT_READFUNCTION, &ReadData);
  curl_easy_setopt(e, CURLOPT_READDATA, &upload);
  curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(m.data.size()));
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &OpenCheckedSocket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &socket_check);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, options_.total_timeout_ms);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error_buffer);
  CURLcode code = curl_easy_perform(e);
  long smtp_code = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &smtp_code);
  curl_easy_setopt(e, CURLOPT_MAIL_RCPT, nullptr);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, nullptr);
  curl_slist_free_all(rcpt);
  SmtpResult r;
  r.smtp_code = static_cast<int>(smtp_code);
  if (code == CURLE_OK) {
    r.outcome = app::SendOutcome::kAccepted;
    return r;
  }
  r.detail = std::string(curl_easy_strerror(code)) + ": " + error_buffer;
  if (socket_check.refused_address) {
    r.error = kTargetNotAllowed;
  } else if (smtp_code > 0) {
    r.error = "SMTP " + std::to_string(smtp_code);
    if (RefusedRecipient(error_buffer, smtp_code)) r.outcome = app::SendOutcome::kRefused;
  } else {
    r.error = kNoSmtpAnswer;
  }
  return r;
}

}  // namespace sb::notify
