// Evidence bundles: a tenant's sequenced audit entries, checkpoints and public key as one
// JSON document that an auditor checks with no database (AuditLog::ExportBundle and
// AuditLog::VerifyBundle). Binary values are base64; timestamps are milliseconds.

#include <algorithm>
#include <boost/json.hpp>

#include "app/audit/audit_check.h"
#include "app/audit/audit_log.h"
#include "crypto/crypto.h"

namespace sb::app {
namespace {

namespace json = boost::json;
using domain::AuditEntry;
using domain::Checkpoint;

constexpr std::string_view kFormat = "switchboard.audit.bundle/v1";
constexpr std::string_view kPurpose = "audit_signing";
constexpr std::int64_t kChunk = 1000;

json::object EntryJson(const AuditEntry& e) {
  json::object o;
  o["id"] = e.id;
  o["leaf_index"] = e.leaf_index.value_or(-1);
  o["leaf_hash"] = crypto::Base64(e.leaf_hash);
  o["category"] = domain::Name(e.category);
  o["action"] = e.action;
  o["actor_type"] = domain::Name(e.actor.type);
  o["actor_id"] = e.actor.id;
  o["actor_role"] = e.actor.role ? json::value(domain::Name(*e.actor.role)) : json::value(nullptr);
  o["channel"] = domain::Name(e.channel);
  o["reason_code"] = e.reason_code;
  o["comment"] = e.comment;
  o["request_id"] = e.request_id;
  o["correlation_id"] = e.correlation_id;
  o["subject_type"] = e.subject_type;
  o["subject_id"] = e.subject_id;
  o["account_id"] = e.account_id;
  o["before_json"] = e.before_json;
  o["after_json"] = e.after_json;
  o["created_at"] = e.created_at;
  return o;
}

json::object CheckpointJson(const Checkpoint& c) {
  return {{"tree_size", c.tree_size},
          {"root_hash", crypto::Base64(c.root_hash)},
          {"created_at", c.created_at},
          {"key_id", c.key_id},
          {"signature", crypto::Base64(c.signature)}};
}

// Typed field readers: each fails with the field's name when it is missing or mistyped.
Result<std::string> Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return Status::Invalid(std::string(key), "not a string");
  return std::string(v->get_string());
}

Result<std::int64_t> Int(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_int64()) return Status::Invalid(std::string(key), "not an integer");
  return v->get_int64();
}

Result<std::string> Bytes(const json::object& o, std::string_view key) {
  SB_ASSIGN_OR_RETURN(std::string text, Str(o, key));
  std::optional<std::string> bytes = crypto::FromBase64(text);
  if (!bytes) return Status::Invalid(std::string(key), "not base64");
  return *bytes;
}

template <typename E>
Result<E> Enum(const json::object& o, std::string_view key) {
  SB_ASSIGN_OR_RETURN(std::string text, Str(o, key));
  std::optional<E> v = domain::Parse<E>(text);
  if (!v) return Status::Invalid(std::string(key), "unknown value " + text);
  return *v;
}

Status ReadActor(const json::object& o, domain::Actor& actor) {
  SB_ASSIGN_OR_RETURN(actor.type, Enum<domain::ActorType>(o, "actor_type"));
  SB_ASSIGN_OR_RETURN(actor.id, Str(o, "actor_id"));
  const json::value* role = o.if_contains("actor_role");
  if (role != nullptr && !role->is_null()) {
    SB_ASSIGN_OR_RETURN(actor.role, Enum<domain::Role>(o, "actor_role"));
  }
  return Status::Ok();
}

Result<AuditEntry> ReadEntry(const json::object& o, const std::string& tenant_id) {
  AuditEntry e;
  e.tenant_id = tenant_id;
  SB_ASSIGN_OR_RETURN(e.id, Str(o, "id"));
  SB_ASSIGN_OR_RETURN(e.leaf_index, Int(o, "leaf_index"));
  SB_ASSIGN_OR_RETURN(e.leaf_hash, Bytes(o, "leaf_hash"));
  SB_ASSIGN_OR_RETURN(e.category, Enum<domain::AuditCategory>(o, "category"));
  SB_ASSIGN_OR_RETURN(e.action, Str(o, "action"));
  SB_RETURN_IF_ERROR(ReadActor(o, e.actor));
  SB_ASSIGN_OR_RETURN(e.channel, Enum<domain::Channel>(o, "channel"));
  SB_ASSIGN_OR_RETURN(e.reason_code, Str(o, "reason_code"));
  SB_ASSIGN_OR_RETURN(e.comment, Str(o, "comment"));
  SB_ASSIGN_OR_RETURN(e.request_id, Str(o, "request_id"));
  SB_ASSIGN_OR_RETURN(e.correlation_id, Str(o, "correlation_id"));
  SB_ASSIGN_OR_RETURN(e.subject_type, Str(o, "subject_type"));
  SB_ASSIGN_OR_RETURN(e.subject_id, Str(o, "subject_id"));
  SB_ASSIGN_OR_RETURN(e.account_id, Str(o, "account_id"));
  SB_ASSIGN_OR_RETURN(e.before_json, Str(o, "before_json"));
  SB_ASSIGN_OR_RETURN(e.after_json, Str(o, "after_json"));
  SB_ASSIGN_OR_RETURN(e.created_at, Int(o, "created_at"));
  return e;
}

Result<Checkpoint> ReadCheckpoint(const json::object& o, const std::string& tenant_id) {
  Checkpoint c;
  c.tenant_id = tenant_id;
  SB_ASSIGN_OR_RETURN(c.tree_size, Int(o, "tree_size"));
  SB_ASSIGN_OR_RETURN(c.root_hash, Bytes(o, "root_hash"));
  SB_ASSIGN_OR_RETURN(c.created_at, Int(o, "created_at"));
  SB_ASSIGN_OR_RETURN(c.key_id, Str(o, "key_id"));
  SB_ASSIGN_OR_RETURN(c.signature, Bytes(o, "signature"));
  return c;
}

Result<const json::array*> Array(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) return Status::Invalid(std::string(key), "not an array");
  return &v->get_array();
}

// Parses a bundle into the evidence it carries; the latest checkpoint is the claimed size.
Result<LogEvidence> ReadBundle(const std::string& text) {
  json::parse_options options;
  options.allow_invalid_utf8 = true;  // fields round-trip byte for byte
  std::error_code ec;
  json::value doc = json::parse(text, ec, {}, options);
  if (ec || !doc.is_object()) return Status::Invalid("bundle", "not a JSON object");
  const json::object& root = doc.get_object();
  SB_ASSIGN_OR_RETURN(std::string format, Str(root, "format"));
  if (format != kFormat) return Status::Invalid("format", "unknown bundle format " + format);
  LogEvidence ev;
  SB_ASSIGN_OR_RETURN(ev.tenant_id, Str(root, "tenant_id"));
  const json::value* key = root.if_contains("public_key");
  if (key == nullptr || !key->is_object()) return Status::Invalid("public_key", "missing");
  domain::ServerKey k;
  SB_ASSIGN_OR_RETURN(k.id, Str(key->get_object(), "id"));
  SB_ASSIGN_OR_RETURN(k.public_key, Bytes(key->get_object(), "public_key"));
  ev.key = std::move(k);
  SB_ASSIGN_OR_RETURN(const json::array* leaves, Array(root, "leaf_hashes"));
  for (const json::value& v : *leaves) {
    std::optional<std::string> leaf;
    if (v.is_string()) leaf = crypto::FromBase64(v.get_string());
    if (!leaf) return Status::Invalid("leaf_hashes", "a leaf hash is not base64");
    ev.reference_leaves.push_back(std::move(*leaf));
  }
  SB_ASSIGN_OR_RETURN(const json::array* entries, Array(root, "entries"));
  for (const json::value& v : *entries) {
    if (!v.is_object()) return Status::Invalid("entries", "an entry is not an object");
    SB_ASSIGN_OR_RETURN(AuditEntry e, ReadEntry(v.get_object(), ev.tenant_id));
    ev.entries.push_back(std::move(e));
  }
  SB_ASSIGN_OR_RETURN(const json::array* checkpoints, Array(root, "checkpoints"));
  for (const json::value& v : *checkpoints) {
    if (!v.is_object()) return Status::Invalid("checkpoints", "a checkpoint is not an object");
    SB_ASSIGN_OR_RETURN(Checkpoint c, ReadCheckpoint(v.get_object(), ev.tenant_id));
    ev.claimed_size = std::max(ev.claimed_size, c.tree_size);
    ev.checkpoints.push_back(std::move(c));
  }
  return ev;
}

}  // namespace

Result<std::string> AuditLog::ExportBundle(const std::string& tenant_id) const {
  json::object doc;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) {
    SB_RETURN_IF_ERROR(tx.GetTenant(tenant_id).status());
    SB_ASSIGN_OR_RETURN(domain::ServerKey key, tx.GetServerKey(kPurpose));
    SB_ASSIGN_OR_RETURN(auto checkpoints, tx.ListCheckpoints(tenant_id));
    json::array cps;
    std::int64_t size = 0;
    for (const auto& c : checkpoints) {
      cps.push_back(CheckpointJson(c));
      size = std::max(size, c.tree_size);
    }
    // Only what a checkpoint covers: entries sequenced after it are not signed yet.
    json::array entries;
    json::array leaves;
    for (std::int64_t from = 0; from < size; from += kChunk) {
      SB_ASSIGN_OR_RETURN(auto chunk,
                          tx.ListAuditByIndex(tenant_id, from, std::min(size, from + kChunk)));
      for (const auto& e : chunk) {
        entries.push_back(EntryJson(e));
        leaves.push_back(json::string(crypto::Base64(e.leaf_hash)));
      }
    }
    doc["format"] = kFormat;
    doc["tenant_id"] = tenant_id;
    doc["public_key"] = json::object{
        {"id", key.id}, {"algorithm", "ed25519"}, {"public_key", crypto::Base64(key.public_key)}};
    doc["leaf_hashes"] = std::move(leaves);
    doc["entries"] = std::move(entries);
    doc["checkpoints"] = std::move(cps);
    return Status::Ok();
  }));
  return json::serialize(doc);
}

VerifyReport AuditLog::VerifyBundle(const std::string& bundle_json) {
  Result<LogEvidence> ev = ReadBundle(bundle_json);
  if (!ev.ok()) {
    VerifyReport report;
    report.ok = false;
    report.kind = "malformed";
    report.detail = ev.status().message() + " (" + ev.status().param() + ")";
    return report;
  }
  std::stable_sort(ev->entries.begin(), ev->entries.end(), [](const auto& a, const auto& b) {
    return a.leaf_index.value_or(-1) < b.leaf_index.value_or(-1);
  });
  return CheckLog(*ev);
}

}  // namespace sb::app
