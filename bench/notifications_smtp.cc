// Notifications per second to a local SMTP server: the email channel of the outbox dispatcher
// (claim, open the sealed notification, compose the MIME message, one SMTP transaction each,
// record) against tests/support/smtp_sink.py (Debian's python3-aiosmtpd) on 127.0.0.1, over a
// SQLite database in a temporary directory. Prints one JSON line: messages, seconds,
// messages/s.
//
//   notifications_smtp [messages=2000]

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "app/core/keyring.h"
#include "app/notifications/channel_settings.h"
#include "app/notifications/notification_delivery.h"
#include "app/notifications/sealed_notification.h"
#include "crypto/crypto.h"
#include "notify/notification_channels.h"
#include "notify/smtp_sender.h"
#include "storage/open.h"

extern char** environ;

namespace {

using Steady = std::chrono::steady_clock;

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

int Die(const std::string& what, const sb::Status& s) {
  std::cerr << what << ": " << s.ToString() << std::endl;
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sb;
  int messages = argc > 1 ? std::atoi(argv[1]) : 2000;
  std::string dir =
      std::filesystem::temp_directory_path() / ("sb-bench-smtp-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir + "/mail");
  int port = FreePort();
  std::vector<std::string> args = {"/usr/bin/python3",
                                   std::string(SB_SOURCE_DIR) + "/tests/support/smtp_sink.py",
                                   "--port",
                                   std::to_string(port),
                                   "--dir",
                                   dir + "/mail"};
  std::vector<char*> argv_sink;
  for (auto& a : args) argv_sink.push_back(a.data());
  argv_sink.push_back(nullptr);
  pid_t sink = -1;
  if (posix_spawn(&sink, "/usr/bin/python3", nullptr, nullptr, argv_sink.data(), environ) != 0)
    return 1;
  for (int i = 0; i < 300 && !Accepts(port); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));

  auto opened = storage::OpenStore("sqlite:" + dir + "/db.sqlite");
  if (!opened.ok()) return Die("open", opened.status());
  domain::Store& store = *opened->store;
  SystemClock clock;
  app::Keyring keyring(crypto::RandomBytes(32));
  app::Deps deps{store, clock, keyring};
  const std::string tenant = "ten_bench";
  Status s = store.Write([&](domain::Tx& tx) {
    domain::Tenant t;
    t.id = tenant;
    t.name = "Bench";
    t.created_at = clock.Now();
    return tx.InsertTenant(t);
  });
  if (!s.ok()) return Die("tenant", s);
  app::ChannelSettingsUseCases channels(deps, domain::WebhookTargetRules{true});
  app::CallContext ctx;
  ctx.tenant_id = tenant;
  ctx.actor = domain::Actor{domain::ActorType::kSystem, "bench", std::nullopt};
  ctx.correlation_id = "bench";
  app::EmailChannel email;
  email.smtp_url = "smtp://127.0.0.1:" + std::to_string(port);
  email.require_tls = false;
  email.from_address = "notify@client.example";
  email.from_name = "Client Support";
  auto put = channels.PutEmail(ctx, email);
  if (!put.ok()) return Die("channel", put.status());

  // The backlog, written as the composer writes it, in transactions of 100.
  for (int done = 0; done < messages;) {
    s = store.Write([&](domain::Tx& tx) -> Status {
      for (int i = 0; i < 100 && done + i < messages; ++i) {
        domain::Notification n;
        n.to = "customer" + std::to_string(done + i) + "@example.org";
        n.subject = "Votre demande a été reçue";
        n.text = "Bonjour, votre demande REQ-" + std::to_string(done + i) + " est reçue.";
        n.html =
            "<p>Bonjour, votre demande <b>REQ-" + std::to_string(done + i) + "</b> est reçue.</p>";
        domain::OutboxMessage m;
        m.tenant_id = tenant;
        m.id = crypto::NewId("msg", clock.Now());
        m.channel = "email";
        m.event_type = "notification.bench";
        m.account_id = "acc_" + std::to_string((done + i) % 50);
        m.created_at = clock.Now();
        SB_ASSIGN_OR_RETURN(m.payload_json,
                            app::SealNotification(tx, keyring, tenant, m.account_id, n));
        SB_RETURN_IF_ERROR(tx.InsertOutbox(m));
      }
      return Status::Ok();
    });
    if (!s.ok()) return Die("enqueue", s);
    done += 100;
  }

  app::NotificationDelivery delivery(deps);
  notify::SmtpSender sender(notify::SmtpOptions{10000, 60000, true});
  notify::EmailDelivery lane(delivery, sender, clock,
                             notify::ChannelOptions{16, 10 * kMillisPerMinute});
  int sent = 0;
  auto start = Steady::now();
  while (sent < messages) {
    auto pass = lane.RunOnce();
    if (!pass.ok()) return Die("pass", pass.status());
    if (pass->claimed == 0) break;
    sent += pass->sent;
  }
  double seconds = std::chrono::duration<double>(Steady::now() - start).count();
  kill(sink, SIGTERM);
  int status = 0;
  waitpid(sink, &status, 0);
  size_t received = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir + "/mail")) {
    received += e.path().extension() == ".eml" ? 1 : 0;
  }
  std::printf(
      "{\"bench\":\"notifications_smtp\",\"messages\":%d,\"received\":%zu,\"seconds\":%.2f,"
      "\"per_second\":%.1f}\n",
      sent, received, seconds, sent / seconds);
  opened->store.reset();
  std::filesystem::remove_all(dir);
  return received == static_cast<size_t>(messages) ? 0 : 1;
}
