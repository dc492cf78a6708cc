#include "domain/audit_entry.h"

#include "crypto/crypto.h"
#include "domain/merkle.h"

namespace sb::domain {
namespace {

constexpr std::string_view kAuditVersion = "switchboard.audit.entry/v1\n";
constexpr std::string_view kCheckpointOrigin = "switchboard.audit/v1 ";

void Field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.push_back(' ');
  out.append(std::to_string(value.size()));
  out.push_back(':');
  out.append(value);
  out.push_back('\n');
}

std::string Escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '%' || c < 0x21 || c == 0x7f) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

}  // namespace

std::string CanonicalAuditBytes(const AuditEntry& e) {
  std::string out(kAuditVersion);
  Field(out, "tenant_id", e.tenant_id);
  Field(out, "id", e.id);
  Field(out, "category", Name(e.category));
  Field(out, "action", e.action);
  Field(out, "actor_type", Name(e.actor.type));
  Field(out, "actor_id", e.actor.id);
  Field(out, "actor_role", e.actor.role ? Name(*e.actor.role) : std::string_view());
  Field(out, "channel", Name(e.channel));
  Field(out, "reason_code", e.reason_code);
  Field(out, "comment", e.comment);
  Field(out, "request_id", e.request_id);
  Field(out, "correlation_id", e.correlation_id);
  Field(out, "subject_type", e.subject_type);
  Field(out, "subject_id", e.subject_id);
  Field(out, "account_id", e.account_id);
  Field(out, "before_json", e.before_json);
  Field(out, "after_json", e.after_json);
  Field(out, "created_at", std::to_string(e.created_at));
  return out;
}

std::string AuditLeafHash(const AuditEntry& e) { return merkle::LeafHash(CanonicalAuditBytes(e)); }

std::string CheckpointSignedBytes(std::string_view tenant_id, std::int64_t tree_size,
                                  std::string_view root_hash, Timestamp created_at,
                                  std::string_view key_id) {
  std::string out(kCheckpointOrigin);
  out.append(Escape(tenant_id));
  out.push_back('\n');
  out.append(std::to_string(tree_size));
  out.push_back('\n');
  out.append(crypto::Base64(root_hash));
  out.push_back('\n');
  out.append("time ");
  out.append(std::to_string(created_at));
  out.push_back('\n');
  out.append("key ");
  out.append(Escape(key_id));
  out.push_back('\n');
  return out;
}

std::string CheckpointSignedBytes(const Checkpoint& c) {
  return CheckpointSignedBytes(c.tenant_id, c.tree_size, c.root_hash, c.created_at, c.key_id);
}

}  // namespace sb::domain
