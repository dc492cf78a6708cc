#pragma once

// How records look on the wire: snake_case JSON objects, timestamps as RFC 3339 strings,
// binary values (hashes, keys, signatures) as standard base64. Never includes secrets.

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "app/accounts/accounts.h"
#include "app/audit/audit_log.h"
#include "app/requests/request_queries.h"
#include "domain/model.h"

namespace sb::http {

boost::json::value TimeOrNull(const std::optional<Timestamp>& ts);

boost::json::object ToJson(const app::AccountView& v);
boost::json::object ToJson(const domain::Service& s);
boost::json::object ToJson(const domain::Hold& h);
boost::json::object ToJson(const domain::Request& r);
// The request with its SLA as of `now`: the status it has reached and the time left.
boost::json::object ToJson(const domain::Request& r, Timestamp now);
boost::json::object ToJson(const domain::Verification& v);
boost::json::object ToJson(const domain::OutboxMessage& m);
// Never the signing secret, sealed or not.
boost::json::object ToJson(const domain::WebhookEndpoint& e);
boost::json::object ToJson(const domain::AuditEntry& e);
boost::json::object ToJson(const domain::Plan& p);
boost::json::object ToJson(const app::TimelineItem& item);
boost::json::object ToJson(const domain::Checkpoint& c);
boost::json::object ToJson(const app::InclusionProof& p);
boost::json::object ToJson(const app::ConsistencyProof& p);
// {"object":"change","dry_run":...,"request":...,"account":...,"hold"?,"service"?}
boost::json::object ToJson(const app::ChangeOutcome& o, bool dry_run);

// {"object":"list","data":[...],"has_more":...,"next_cursor":...}
template <typename T>
boost::json::object ListJson(const domain::Page<T>& page) {
  boost::json::array data;
  for (const T& item : page.items) data.push_back(ToJson(item));
  boost::json::object o;
  o["object"] = "list";
  o["data"] = std::move(data);
  o["has_more"] = page.has_more;
  if (page.has_more) {
    o["next_cursor"] = page.next_cursor;
  } else {
    o["next_cursor"] = nullptr;
  }
  return o;
}

}  // namespace sb::http
