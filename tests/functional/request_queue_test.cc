// The work queue over HTTP: GET /v1/requests filtered by state, type, SLA status, assignee
// and priority, in due-time order with cursor pagination.

#include <algorithm>

#include "tests/support/sla_fixture.h"

namespace sb::testing {
namespace {

class RequestQueue : public OwnServer {
 protected:
  // The ids GET /v1/requests?<query> answers, in order.
  std::vector<std::string> Ids(const std::string& query, bool* has_more = nullptr,
                               std::string* next = nullptr) {
    HttpResponse r = Call("GET", "/v1/requests?" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> ids;
    if (r.status != 200) return ids;
    boost::json::value page = r.Json();
    for (const auto& item : page.at("data").as_array()) ids.push_back(Str(item, "id"));
    if (has_more) *has_more = page.at("has_more").as_bool();
    if (next) *next = Str(page, "next_cursor");
    return ids;
  }
};

using List = std::vector<std::string>;

// Filed together on Monday 09:00 Paris: due at 10:00 (urgent: 60 calendar minutes), 13:00
// (high: 240 business minutes) and 18:00 (normal: 540), plus one paused for the customer.
TEST_P(RequestQueue, FiltersAndDueOrder) {
  SetClock("2026-12-07T09:00:00+01:00");
  std::string normal = Str(WaitingReconnection("normal"), "id");
  std::string high = Str(WaitingReconnection("high"), "id");
  std::string urgent = Str(WaitingReconnection("urgent"), "id");
  std::string profile = Str(File("personal_info_update", NewAccount(), "normal", "customer_request",
                                 R"({"email":"queue@example.com"})"),
                            "id");
  ASSERT_EQ(Str(Request(profile), "state"), "awaiting_customer");
  HttpResponse assigned =
      Call("POST", "/v1/requests/" + normal + "/assign", R"({"assignee":"agent_ann"})");
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  SetClock("2026-12-07T10:00:30+01:00");
  ASSERT_TRUE(Eventually([&] { return Events(urgent, "request.sla_breached") == 1; }));

  EXPECT_EQ(Ids("state=awaiting_payment&sort=due_at"), (List{urgent, high, normal}));
  // Newest first without sort.
  EXPECT_EQ(Ids("state=awaiting_payment"), (List{urgent, high, normal}));
  EXPECT_EQ(Ids("type=personal_info_update&state=awaiting_customer"), List{profile});
  EXPECT_EQ(Ids("sla_status=breached"), List{urgent});
  EXPECT_EQ(Ids("sla_status=on_track&type=reconnection&sort=due_at"), (List{high, normal}));
  EXPECT_EQ(Ids("assignee=agent_ann"), List{normal});
  EXPECT_EQ(Ids("assignee=supervisors"), List{urgent});  // the breach escalation moved it
  EXPECT_EQ(Ids("priority=high&state=awaiting_payment"), List{high});
  EXPECT_EQ(Ids("priority=normal&state=awaiting_payment&sort=due_at"), List{normal});
  EXPECT_EQ(Ids("state=completed&type=personal_info_update"), List{});
}

TEST_P(RequestQueue, DueOrderPagesWithACursor) {
  SetClock("2026-12-07T09:00:00+01:00");
  std::string normal = Str(WaitingReconnection("normal"), "id");
  std::string urgent = Str(WaitingReconnection("urgent"), "id");
  std::string high = Str(WaitingReconnection("high"), "id");
  bool more = false;
  std::string next;
  EXPECT_EQ(Ids("state=awaiting_payment&sort=due_at&limit=2", &more, &next), (List{urgent, high}));
  EXPECT_TRUE(more);
  EXPECT_EQ(next, high);
  EXPECT_EQ(Ids("state=awaiting_payment&sort=due_at&limit=2&starting_after=" + next, &more),
            List{normal});
  EXPECT_FALSE(more);
  // The whole queue is in due order too (the direct routes' requests have deadlines as well).
  List all = Ids("sort=due_at&limit=100");
  auto at = [&](const std::string& id) {
    return std::find(all.begin(), all.end(), id) - all.begin();
  };
  EXPECT_LT(at(urgent), at(high));
  EXPECT_LT(at(high), at(normal));
  EXPECT_LT(at(normal), static_cast<std::ptrdiff_t>(all.size()));
}

TEST_P(RequestQueue, UnknownFilterValuesAreRefused) {
  ExpectProblem(Call("GET", "/v1/requests?sla_status=late"), 400, "sla_status");
  ExpectProblem(Call("GET", "/v1/requests?state=waiting"), 400, "state");
  ExpectProblem(Call("GET", "/v1/requests?type=upgrade"), 400, "type");
  ExpectProblem(Call("GET", "/v1/requests?priority=critical"), 400, "priority");
  ExpectProblem(Call("GET", "/v1/requests?sort=priority"), 400, "sort");
  ExpectProblem(Call("GET", "/v1/requests?sort=due_at&starting_after=req_nosuchrequest"), 400,
                "starting_after");
}

INSTANTIATE_TEST_SUITE_P(Backends, RequestQueue, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
