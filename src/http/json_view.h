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

// `sp` is where the answer's nodes are allocated (a handler that answers at once may give an
// arena: http/handlers/accounts.cc).
boost::json::object ToJson(const app::AccountView& v, boost::json::storage_ptr sp = {});
boost::json::object ToJson(const domain::Service& s, boost::json::storage_ptr sp = {});
boost::json::object ToJson(const domain::Hold& h, boost::json::storage_ptr sp = {});
boost::json::object ToJson(const domain::Request& r);
// The request with its SLA as of `now`: the status it has reached and the time left.
boost::json::object ToJson(const domain::Request& r, Timestamp now);
// A request answer `o` of ToJson as the customer portal shows it: the sentiment of the staff's
// comments and the request's summary null.
boost::json::object WithoutSentiment(boost::json::object o);
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

// {"object":"list","data":[...],"has_more":...,"next_cursor":...}: the shape of every list the
// API answers; `next_cursor` is null when nothing follows.
boost::json::object ListJson(boost::json::array data, bool has_more = false,
                             const std::string& next_cursor = "");

// A page of items, each as `to_json` writes it.
template <typename T, typename ToJsonFn>
boost::json::object ListJson(const domain::Page<T>& page, ToJsonFn&& to_json) {
  boost::json::array data;
  for (const T& item : page.items) data.push_back(to_json(item));
  return ListJson(std::move(data), page.has_more, page.next_cursor);
}

template <typename T>
boost::json::object ListJson(const domain::Page<T>& page) {
  return ListJson(page, [](const T& item) { return ToJson(item); });
}

}  // namespace sb::http
