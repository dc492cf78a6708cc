// Storage contract: the SLA terms kept on a request (migration 0010).

#include <tuple>

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

// The columns of migration 0010, comparable with EXPECT_EQ.
auto SlaFields(const Request& r) {
  std::optional<std::tuple<SlaClock, std::int64_t, std::string>> terms;
  if (r.sla_terms)
    terms.emplace(r.sla_terms->clock, r.sla_terms->target_minutes, r.sla_terms->calendar);
  return std::make_tuple(terms, r.sla_left_ms, r.sla_paused_at, r.due_at);
}

TEST_P(StoreContract, RequestKeepsItsSlaTermsAndTheTimeLeftWhilePaused) {
  AddTenants({"ten_a"});
  Request paused = FullRequest("ten_a", "req_1", "acc_1");
  paused.sla_terms = SlaTerms{SlaClock::kBusinessHours, 540, "paris_business"};
  paused.sla_paused_at = kT0 + 10;
  paused.sla_left_ms = -90'000;  // paused after its due time: negative
  Request none = FullRequest("ten_a", "req_2", "acc_1");
  none.sla_terms.reset();
  none.sla_left_ms.reset();
  none.due_at.reset();
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertRequest(paused));
    return tx.InsertRequest(none);
  }));
  EXPECT_EQ(SlaFields(*Get([](Tx& tx) { return tx.GetRequest("ten_a", "req_1"); })),
            SlaFields(paused));
  EXPECT_EQ(SlaFields(*Get([](Tx& tx) { return tx.GetRequest("ten_a", "req_2"); })),
            SlaFields(none));

  // Resumed: the terms stay, the time left goes; calendar hours keep no calendar.
  paused.sla_paused_at.reset();
  paused.sla_left_ms.reset();
  none.sla_terms = SlaTerms{SlaClock::kCalendarHours, 60, ""};
  none.due_at = kT0 + 3'600'000;
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.UpdateRequest(paused));
    return tx.UpdateRequest(none);
  }));
  auto listed = Get([](Tx& tx) { return tx.ListRequests("ten_a", {}); });
  SB_ASSERT_OK(listed.status());
  ASSERT_EQ(listed->items.size(), 2u);
  EXPECT_EQ(SlaFields(listed->items[0]), SlaFields(none));
  EXPECT_EQ(SlaFields(listed->items[1]), SlaFields(paused));
  RequestFilter queue;
  queue.by_due = true;
  auto queued = Get([&](Tx& tx) { return tx.ListRequests("ten_a", queue); });
  SB_ASSERT_OK(queued.status());
  ASSERT_EQ(queued->items.size(), 2u);
  EXPECT_EQ(SlaFields(queued->items[0]), SlaFields(paused));  // the same due_at: by id
}

}  // namespace
}  // namespace sb::testing
