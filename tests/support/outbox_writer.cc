#include "tests/support/outbox_writer.h"

#include <gtest/gtest.h>

#include "app/notifications/sealed_notification.h"
#include "crypto/crypto.h"
#include "storage/open.h"

namespace sb::testing {

OutboxWriter::OutboxWriter(const ServerProcess& server, const std::string& master_key) {
  if (master_key.size() != 32) {
    ADD_FAILURE() << "a master key is 32 bytes";
    return;
  }
  keyring_ = std::make_unique<app::Keyring>(master_key);
  storage::OpenOptions options;
  options.migrate = false;
  options.read_connections = 1;
  options.pg_pool_size = 2;
  auto opened = storage::OpenStore(server.database_url(), options);
  if (!opened.ok()) {
    ADD_FAILURE() << "cannot open " << server.database_url() << ": " << opened.status().ToString();
    return;
  }
  store_ = std::move(opened->store);
}

OutboxWriter::~OutboxWriter() = default;

std::string OutboxWriter::Write(const std::string& tenant_id, const std::string& account_id,
                                const std::string& channel, const domain::Notification& n,
                                Timestamp due_ms) {
  if (!store_) return "";
  domain::OutboxMessage m;
  m.tenant_id = tenant_id;
  m.id = crypto::NewId("msg", SystemClock().Now());
  m.channel = channel;
  m.event_type = "notification.test";
  m.account_id = account_id;
  m.state = domain::OutboxState::kPending;
  m.next_attempt_at = due_ms;
  m.created_at = due_ms;
  Status s = store_->Write([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(m.payload_json,
                        app::SealNotification(tx, *keyring_, tenant_id, account_id, n));
    return tx.InsertOutbox(m);
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return s.ok() ? m.id : "";
}

}  // namespace sb::testing
