#pragma once

// Reads after an erasure: what sealed data an erased account left behind (audit before/after
// values "sealed:<base64>", email and SMS outbox payloads) is shown as "erased" rather than
// as ciphertext nobody can open any more. Only the views change: the stored entries, and so
// the audit log's leaves, stay as they were written.

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// Answers whether an account's data key was destroyed, reading each account's key once.
// Valid inside the transaction it was made for.
class ErasedAccounts {
 public:
  ErasedAccounts(domain::Tx& tx, std::string tenant_id)
      : tx_(tx), tenant_id_(std::move(tenant_id)) {}
  // False for an empty id or an account without a key.
  Result<bool> IsErased(const std::string& account_id);

 private:
  domain::Tx& tx_;
  std::string tenant_id_;
  std::map<std::string, bool> known_;
};

// Every "sealed:..." string of e.before_json / e.after_json becomes "erased" when e's account
// was erased.
Status ShowErased(ErasedAccounts& erased, domain::AuditEntry& e);
// An email or SMS message's sealed payload becomes {"erased": true} when its account was
// erased; webhooks carry no personal data and stay.
Status ShowErased(ErasedAccounts& erased, domain::OutboxMessage& m);

}  // namespace sb::app
