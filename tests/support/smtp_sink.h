#pragma once

// A real SMTP server for functional tests and the bench: tests/support/smtp_sink.py (Debian's
// python3-aiosmtpd) run as a process on 127.0.0.1. Every message it accepts is kept in a
// directory, and read back as a mail reader shows it (headers decoded, both MIME parts).

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace sb::testing {

struct SmtpSinkOptions {
  std::vector<std::string> refuse;  // addresses answered 550 at RCPT TO
  double ack_delay_seconds = 0;     // wait this long after storing a message before its 250
};

class SmtpSink {
 public:
  // Starts the server on `port` (0: a free one) and waits until it accepts connections. Fails
  // the current test when it does not.
  explicit SmtpSink(SmtpSinkOptions options = {}, int port = 0);
  ~SmtpSink();  // Stop()
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  // "smtp://127.0.0.1:<port>".
  std::string Url() const;
  // Stops the server (the port then refuses connections); the messages stay readable.
  void Stop();
  // Starts it again on the same port (with `options`, or those it had); true once it accepts
  // connections.
  bool Restart();
  bool Restart(SmtpSinkOptions options);

  // What it received, oldest first: objects with mail_from, rcpt_tos, from, reply_to, to,
  // subject, message_id, date, list_unsubscribe, list_unsubscribe_post, content_type, text,
  // html (see smtp_sink.py).
  std::vector<boost::json::object> Messages() const;
  // Waits until at least `n` messages arrived; false after `timeout_ms`.
  bool WaitForCount(size_t n, int timeout_ms) const;
  // The newest one-time code ("... is 123456.") mailed to `email`, once at least `n` codes
  // arrived in all; "" after `timeout_ms`.
  std::string CodeFor(const std::string& email, size_t n, int timeout_ms = 10000) const;

 private:
  bool Launch();

  SmtpSinkOptions options_;
  int port_ = 0;
  int pid_ = -1;
  std::string dir_;
};

}  // namespace sb::testing
