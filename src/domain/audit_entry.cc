#include "domain/audit_entry.h"

#include <charconv>
#include <cstring>
#include <iterator>
#include <utility>

#include "crypto/crypto.h"
#include "domain/merkle.h"

namespace sb::domain {
namespace {

constexpr std::string_view kAuditVersion = "switchboard.audit.entry/v1\n";
constexpr std::string_view kCheckpointOrigin = "switchboard.audit/v1 ";

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
  char created_at[24];
  const char* created_end =
      std::to_chars(created_at, created_at + sizeof created_at, e.created_at).ptr;
  const std::pair<std::string_view, std::string_view> fields[] = {
      {"tenant_id", e.tenant_id},
      {"id", e.id},
      {"category", Name(e.category)},
      {"action", e.action},
      {"actor_type", Name(e.actor.type)},
      {"actor_id", e.actor.id},
      {"actor_role", e.actor.role ? Name(*e.actor.role) : std::string_view()},
      {"channel", Name(e.channel)},
      {"reason_code", e.reason_code},
      {"comment", e.comment},
      {"request_id", e.request_id},
      {"correlation_id", e.correlation_id},
      {"subject_type", e.subject_type},
      {"subject_id", e.subject_id},
      {"account_id", e.account_id},
      {"before_json", e.before_json},
      {"after_json", e.after_json},
      {"created_at", std::string_view(created_at, created_end - created_at)},
  };
  // Each field is "name size:value\n"; the buffer is sized once (this runs for every entry a
  // check or the sequencer hashes).
  char sizes[std::size(fields)][24];
  std::size_t size_lengths[std::size(fields)];
  std::size_t total = kAuditVersion.size();
  for (std::size_t i = 0; i < std::size(fields); ++i) {
    const auto& [name, value] = fields[i];
    size_lengths[i] = static_cast<std::size_t>(
        std::to_chars(sizes[i], sizes[i] + sizeof sizes[i], value.size()).ptr - sizes[i]);
    total += name.size() + 1 + size_lengths[i] + 1 + value.size() + 1;
  }
  std::string out(total, '\0');
  char* at = out.data();
  auto put = [&at](std::string_view part) {
    if (part.empty()) return;  // an empty view may have no data pointer, which memcpy refuses
    std::memcpy(at, part.data(), part.size());
    at += part.size();
  };
  put(kAuditVersion);
  for (std::size_t i = 0; i < std::size(fields); ++i) {
    const auto& [name, value] = fields[i];
    put(name);
    *at++ = ' ';
    put(std::string_view(sizes[i], size_lengths[i]));
    *at++ = ':';
    put(value);
    *at++ = '\n';
  }
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
