#pragma once

// Sends one email through an SMTP server with libcurl (CURLPROTO_SMTP/SMTPS): STARTTLS
// required or tried, or TLS from the first byte for smtps://; AUTH when a user is set; each
// message bounded by its own connect and total timeouts. As for webhooks
// (notify/curl_transport.h), every socket is opened by the sender for the address libcurl is
// about to connect to, and only when that address is public unless private targets are
// allowed. One connection is kept between messages to the same server.

#include <string>

#include "app/notifications/notification_delivery.h"

namespace sb::notify {

struct SmtpOptions {
  long connect_timeout_ms = 10000;
  long total_timeout_ms = 60000;
  bool allow_private_targets = false;  // webhooks.allow_private_targets
};

// One message for one recipient. Holds credentials and personal data: never log it.
struct SmtpMessage {
  std::string url;  // smtp://host:port or smtps://host:port
  bool require_tls = true;
  std::string username;  // empty: no AUTH
  std::string password;
  std::string mail_from;  // the envelope sender
  std::string rcpt_to;    // the one recipient
  std::string data;       // the whole MIME message, CRLF line ends (ComposeEmail)
};

// What a send got: kAccepted (the server took the message), kRefused (a 5xx to RCPT TO: the
// address is refused for good), kFailed (anything else: a 4xx, a 5xx elsewhere, no answer).
// `error` is a fixed phrase for last_error ("SMTP 451", "no answer", "target address not
// allowed"); `detail` says more for the server's log only and never holds an address.
struct SmtpResult {
  app::SendOutcome outcome = app::SendOutcome::kFailed;
  int smtp_code = 0;
  std::string error;
  std::string detail;
};

class SmtpSender {
 public:
  explicit SmtpSender(SmtpOptions options = {});
  ~SmtpSender();
  SmtpSender(const SmtpSender&) = delete;
  SmtpSender& operator=(const SmtpSender&) = delete;

  // Sends `m`; blocks for at most the total timeout. One thread at a time.
  SmtpResult Send(const SmtpMessage& m);

 private:
  SmtpOptions options_;
  void* easy_ = nullptr;  // CURL*, kept for its connection
};

}  // namespace sb::notify
