#include "domain/audit_entry.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "crypto/crypto.h"
#include "domain/merkle.h"

namespace sb::domain {
namespace {

AuditEntry Sample() {
  AuditEntry e;
  e.tenant_id = "ten_1";
  e.id = "aud_1";
  e.category = AuditCategory::kAccountStatus;
  e.action = "hold.placed";
  e.actor = {ActorType::kApiKey, "key_1", Role::kAgent};
  e.channel = Channel::kVoice;
  e.reason_code = "non_payment";
  e.comment = "called twice";
  e.request_id = "req_1";
  e.correlation_id = "corr_1";
  e.subject_type = "hold";
  e.subject_id = "hld_1";
  e.account_id = "acc_1";
  e.before_json = "{}";
  e.after_json = R"({"state":"active"})";
  e.created_at = 1700000000123;
  return e;
}

TEST(CanonicalAuditBytes, IsDeterministicAndIgnoresLeafFields) {
  AuditEntry a = Sample();
  AuditEntry b = Sample();
  b.leaf_index = 7;
  b.leaf_hash = std::string(32, 'x');
  EXPECT_EQ(CanonicalAuditBytes(a), CanonicalAuditBytes(b));
  EXPECT_EQ(AuditLeafHash(a), merkle::LeafHash(CanonicalAuditBytes(a)));
  EXPECT_EQ(AuditLeafHash(a).size(), 32u);
}

TEST(CanonicalAuditBytes, EveryFieldChangesTheBytes) {
  const std::vector<std::function<void(AuditEntry&)>> edits = {
      [](AuditEntry& e) { e.tenant_id += "x"; },
      [](AuditEntry& e) { e.id += "x"; },
      [](AuditEntry& e) { e.category = AuditCategory::kPayment; },
      [](AuditEntry& e) { e.action += "x"; },
      [](AuditEntry& e) { e.actor.type = ActorType::kUser; },
      [](AuditEntry& e) { e.actor.id += "x"; },
      [](AuditEntry& e) { e.actor.role.reset(); },
      [](AuditEntry& e) { e.channel = Channel::kWeb; },
      [](AuditEntry& e) { e.reason_code += "x"; },
      [](AuditEntry& e) { e.comment += "x"; },
      [](AuditEntry& e) { e.request_id += "x"; },
      [](AuditEntry& e) { e.correlation_id += "x"; },
      [](AuditEntry& e) { e.subject_type += "x"; },
      [](AuditEntry& e) { e.subject_id += "x"; },
      [](AuditEntry& e) { e.account_id += "x"; },
      [](AuditEntry& e) { e.before_json += " "; },
      [](AuditEntry& e) { e.after_json += " "; },
      [](AuditEntry& e) { e.created_at += 1; },
  };
  std::set<std::string> seen = {CanonicalAuditBytes(Sample())};
  for (const auto& edit : edits) {
    AuditEntry e = Sample();
    edit(e);
    EXPECT_TRUE(seen.insert(CanonicalAuditBytes(e)).second);
  }
}

TEST(CanonicalAuditBytes, FieldBoundariesCannotBeShifted) {
  AuditEntry a = Sample();
  a.reason_code = "ab";
  a.comment = "c";
  AuditEntry b = Sample();
  b.reason_code = "a";
  b.comment = "bc";
  EXPECT_NE(CanonicalAuditBytes(a), CanonicalAuditBytes(b));
  AuditEntry c = Sample();
  c.comment = "x\ncomment 1:y";  // a value that looks like another field
  EXPECT_NE(CanonicalAuditBytes(c), CanonicalAuditBytes(Sample()));
  EXPECT_NE(CanonicalAuditBytes(c).find("comment 13:x\ncomment 1:y\n"), std::string::npos);
}

TEST(CheckpointSignedBytes, HasTheSignedNoteShape) {
  const std::string root(32, '\0');
  EXPECT_EQ(
      CheckpointSignedBytes("ten_1", 42, root, 1700000000123, "k1"),
      "switchboard.audit/v1 ten_1\n42\n" + crypto::Base64(root) + "\ntime 1700000000123\nkey k1\n");
}

TEST(CheckpointSignedBytes, EscapesLineBreaksInNames) {
  const std::string root(32, '\1');
  const std::string odd = CheckpointSignedBytes("a\nb", 1, root, 0, "k%");
  EXPECT_NE(odd.find("switchboard.audit/v1 a%0Ab\n"), std::string::npos);
  EXPECT_NE(odd.find("key k%25\n"), std::string::npos);
  EXPECT_NE(CheckpointSignedBytes("t", 1, root, 0, "k"),
            CheckpointSignedBytes("t", 2, root, 0, "k"));
}

}  // namespace
}  // namespace sb::domain
