// Reads after an erasure (see erased_views.h).
#include "app/rights/erased_views.h"

#include <boost/json.hpp>

namespace sb::app {

namespace json = boost::json;

namespace {

void EraseSealed(json::value& v) {
  if (v.is_string()) {
    if (std::string_view(v.as_string()).rfind("sealed:", 0) == 0) v = "erased";
  } else if (v.is_array()) {
    for (json::value& item : v.as_array()) EraseSealed(item);
  } else if (v.is_object()) {
    for (auto& kv : v.as_object()) EraseSealed(kv.value());
  }
}

void EraseSealedText(std::string& text) {
  if (text.find("sealed:") == std::string::npos) return;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return;
  EraseSealed(v);
  text = json::serialize(v);
}

}  // namespace

Result<bool> ErasedAccounts::IsErased(const std::string& account_id) {
  if (account_id.empty()) return false;
  if (auto it = known_.find(account_id); it != known_.end()) return it->second;
  auto key = tx_.GetSubjectKey(tenant_id_, account_id);
  if (!key.ok() && key.status().code() != Code::kNotFound) return key.status();
  bool erased = key.ok() && key->destroyed_at.has_value();
  known_[account_id] = erased;
  return erased;
}

Status ShowErased(ErasedAccounts& erased, domain::AuditEntry& e) {
  SB_ASSIGN_OR_RETURN(bool gone, erased.IsErased(e.account_id));
  if (!gone) return Status::Ok();
  EraseSealedText(e.before_json);
  EraseSealedText(e.after_json);
  return Status::Ok();
}

Status ShowErased(ErasedAccounts& erased, domain::OutboxMessage& m) {
  if (m.channel != "email" && m.channel != "sms") return Status::Ok();
  SB_ASSIGN_OR_RETURN(bool gone, erased.IsErased(m.account_id));
  if (gone) m.payload_json = R"({"erased":true})";
  return Status::Ok();
}

}  // namespace sb::app
