#include "app/audit/audit_bundle_json.h"

#include "crypto/crypto.h"

namespace sb::app::bundle {
namespace {

namespace json = boost::json;
using domain::AuditEntry;
using domain::Checkpoint;

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

}  // namespace

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

Result<Head> ReadHead(const json::object& root) {
  SB_ASSIGN_OR_RETURN(std::string format, Str(root, "format"));
  if (format != kFormat) return Status::Invalid("format", "unknown bundle format " + format);
  Head head;
  SB_ASSIGN_OR_RETURN(head.tenant_id, Str(root, "tenant_id"));
  const json::value* key = root.if_contains("public_key");
  if (key == nullptr || !key->is_object()) return Status::Invalid("public_key", "missing");
  SB_ASSIGN_OR_RETURN(head.key.id, Str(key->get_object(), "id"));
  SB_ASSIGN_OR_RETURN(head.key.public_key, Bytes(key->get_object(), "public_key"));
  return head;
}

Result<std::string> ReadLeaf(const json::value& v) {
  std::optional<std::string> leaf;
  if (v.is_string()) leaf = crypto::FromBase64(v.get_string());
  if (!leaf) return Status::Invalid("leaf_hashes", "a leaf hash is not base64");
  return *leaf;
}

}  // namespace sb::app::bundle
