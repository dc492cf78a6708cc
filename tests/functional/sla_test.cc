// The SLA clock of requests over HTTP, driven by the test clock: at-risk and breach fire once
// at the right business minute and escalate, holidays and the calendar's time zone move the
// deadline, waiting for the customer pauses it, and calendar-hours targets count nights.

#include <set>

#include "tests/support/sla_fixture.h"
#include "tests/support/staff_fixture.h"

namespace sb::testing {
namespace {

// Reconnections get a 120-business-minute target at normal priority (the default pack's
// normal target is a business day).
const std::pair<std::string, std::string> kTwoHourTarget = {
    "normal: {target_minutes: 540}  # 1 business day", "normal: {target_minutes: 120}"};

class Sla : public OwnServer {
 protected:
  // Under a two-hour target, files a personal data change on a Friday at 17:00 Paris time:
  // it waits for the customer to prove who they are (the clock paused), and auto_approve:
  // never keeps it open afterwards, waiting for an approver. Returns the write answer.
  boost::json::object FileWaitingDataChange() {
    PutPack({kTwoHourTarget,
             {"max_age_minutes: 60\n    auto_approve: when_checks_pass\n    sla: *sla_standard\n"
              "    reason_codes: [customer_request, data_outdated",
              "max_age_minutes: 60\n    auto_approve: never\n    approval_role: admin\n"
              "    sla: *sla_standard\n"
              "    reason_codes: [customer_request, data_outdated"}});
    SetClock("2026-12-04T17:00:00+01:00");
    return File("personal_info_update", NewAccount(), "normal", "customer_request",
                R"({"email":"new.address@example.com"})");
  }
};

// Filed Friday 17:00 Paris with 120 business minutes: 60 on Friday, 60 on Monday from 09:00.
// At risk after 80% (96 minutes): Monday 09:36.
TEST_P(Sla, AtRiskFiresOnceAtItsBusinessMinute) {
  PutPack({kTwoHourTarget});
  SetClock("2026-12-04T17:00:00+01:00");
  boost::json::object filed = WaitingReconnection();
  std::string id = Str(filed, "id");
  ExpectJustAfter(SlaTime(filed, "at_risk_at"), At("2026-12-07T09:36:00+01:00"), "at_risk_at");
  EXPECT_EQ(Str(SlaOf(filed), "status"), "on_track");

  SetClock("2026-12-07T09:35:00+01:00");
  LetJobsRun();
  EXPECT_EQ(Str(SlaOf(Request(id)), "status"), "on_track");
  EXPECT_EQ(Events(id, "request.sla_at_risk"), 0u);

  SetClock("2026-12-07T09:36:30+01:00");
  EXPECT_TRUE(Eventually([&] { return Events(id, "request.sla_at_risk") == 1; }));
  boost::json::object at_risk = Request(id);
  EXPECT_EQ(Str(SlaOf(at_risk), "status"), "at_risk");
  // The default pack's at-risk escalation only tells the supervisors.
  EXPECT_EQ(Events(id, "request.escalated"), 1u);
  EXPECT_EQ(Str(at_risk, "priority"), "normal");
  EXPECT_EQ(AuditEntries(id, "request.sla_at_risk"), 1u);

  SetClock("2026-12-07T09:50:00+01:00");
  LetJobsRun();
  EXPECT_EQ(Events(id, "request.sla_at_risk"), 1u);
  EXPECT_EQ(Events(id, "request.sla_breached"), 0u);
}

TEST_P(Sla, BreachFiresOnceAtTheDueMinuteAndEscalates) {
  PutPack({kTwoHourTarget});
  SetClock("2026-12-04T17:00:00+01:00");
  boost::json::object filed = WaitingReconnection();
  std::string id = Str(filed, "id");
  ExpectJustAfter(SlaTime(filed, "due_at"), At("2026-12-07T10:00:00+01:00"), "due_at");

  SetClock("2026-12-07T09:59:00+01:00");
  EXPECT_TRUE(Eventually([&] { return Events(id, "request.sla_at_risk") == 1; }));
  LetJobsRun();
  EXPECT_EQ(Str(SlaOf(Request(id)), "status"), "at_risk");
  EXPECT_EQ(Events(id, "request.sla_breached"), 0u);

  SetClock("2026-12-07T10:00:30+01:00");
  EXPECT_TRUE(Eventually([&] { return Events(id, "request.sla_breached") == 1; }));
  boost::json::object breached = Request(id);
  EXPECT_EQ(Str(SlaOf(breached), "status"), "breached");
  EXPECT_EQ(Str(breached, "priority"), "high");  // one step up from normal
  EXPECT_EQ(Str(breached, "assignee"), "supervisors");
  EXPECT_EQ(Str(breached, "state"), "awaiting_payment");
  EXPECT_EQ(Events(id, "request.escalated"), 2u);  // at risk, then breached
  EXPECT_EQ(AuditEntries(id, "request.sla_breached"), 1u);

  SetClock("2026-12-09T12:00:00+01:00");
  LetJobsRun();
  EXPECT_EQ(Events(id, "request.sla_breached"), 1u);
  EXPECT_EQ(Events(id, "request.escalated"), 2u);
  EXPECT_EQ(Str(Request(id), "priority"), "high");
}

// Thursday 24 December 2026 17:00: one hour that day, Christmas (a holiday of the default
// calendar) and the weekend closed, the second hour on Monday 28th.
TEST_P(Sla, HolidayDoesNotCount) {
  PutPack({kTwoHourTarget});
  SetClock("2026-12-24T17:00:00+01:00");
  boost::json::object filed = WaitingReconnection();
  std::string id = Str(filed, "id");
  ExpectJustAfter(SlaTime(filed, "due_at"), At("2026-12-28T10:00:00+01:00"), "due_at");

  // Without the holiday it would be due at 10:00 on the 25th.
  SetClock("2026-12-25T10:30:00+01:00");
  LetJobsRun();
  EXPECT_EQ(Str(SlaOf(Request(id)), "status"), "on_track");
  EXPECT_EQ(Events(id, "request.sla_breached"), 0u);

  SetClock("2026-12-28T10:00:30+01:00");
  EXPECT_TRUE(Eventually([&] { return Events(id, "request.sla_breached") == 1; }));
}

// The same filing instant in two calendars: Friday 17:00 in Paris is 11:00 in New York,
// where two business hours end at 13:00 the same day.
TEST_P(Sla, CalendarInAnotherTimeZoneGivesAnotherDueInstant) {
  PutPack({kTwoHourTarget,
           {"high: {target_minutes: 240}  # 4 business hours",
            "high: {target_minutes: 120, calendar: new_york}"},
           {"calendars:\n", R"(calendars:
  new_york:
    time_zone: America/New_York
    hours: {monday: "09:00-17:00", tuesday: "09:00-17:00", wednesday: "09:00-17:00",
            thursday: "09:00-17:00", friday: "09:00-17:00"}
)"}});
  SetClock("2026-12-04T17:00:00+01:00");
  boost::json::object paris = WaitingReconnection("normal");
  boost::json::object new_york = WaitingReconnection("high");
  ExpectJustAfter(SlaTime(paris, "due_at"), At("2026-12-07T10:00:00+01:00"), "Paris due_at");
  ExpectJustAfter(SlaTime(new_york, "due_at"), At("2026-12-04T13:00:00-05:00"), "New York due_at");

  SetClock("2026-12-04T13:00:30-05:00");
  std::string id = Str(new_york, "id");
  EXPECT_TRUE(Eventually([&] { return Events(id, "request.sla_breached") == 1; }));
  EXPECT_EQ(Str(Request(id), "priority"), "urgent");
  EXPECT_EQ(Str(SlaOf(Request(Str(paris, "id"))), "status"), "on_track");
}

// A personal data change waits for the customer to prove who they are; the clock stops
// meanwhile. auto_approve: never keeps it open afterwards, waiting for an approver.
TEST_P(Sla, WaitingForTheCustomerPausesTheClock) {
  boost::json::object filed = FileWaitingDataChange();
  std::string account = Str(filed, "account_id");
  std::string id = Str(filed, "id");
  ASSERT_EQ(Str(filed, "state"), "awaiting_customer");
  EXPECT_EQ(SlaOf(filed).at("paused"), true);

  // What would have been the deadline passes while the customer has not answered: no breach,
  // and no due time in the past next to on_track.
  SetClock("2026-12-07T10:05:00+01:00");
  LetJobsRun();
  boost::json::object waiting = Request(id);
  EXPECT_EQ(Str(SlaOf(waiting), "status"), "on_track");
  EXPECT_TRUE(SlaOf(waiting).at("due_at").is_null()) << boost::json::serialize(waiting);
  EXPECT_EQ(Events(id, "request.sla_breached"), 0u);

  // Paused for 60 minutes on Friday and 65 on Monday: due 125 business minutes later.
  HttpResponse proof = Call("POST", "/v1/accounts/" + account + "/verifications",
                            R"({"kind":"identity","method":"document_check","level":1})");
  ASSERT_EQ(proof.status, 201) << proof.body;
  boost::json::object resumed = Request(id);
  EXPECT_EQ(Str(resumed, "state"), "awaiting_approval");
  EXPECT_EQ(SlaOf(resumed).at("paused"), false);
  ExpectJustAfter(SlaTime(resumed, "due_at"), At("2026-12-07T12:05:00+01:00"), "due_at resumed");
  ExpectJustAfter(SlaTime(resumed, "at_risk_at"), At("2026-12-07T11:41:00+01:00"),
                  "at_risk_at resumed");

  SetClock("2026-12-07T12:04:00+01:00");
  EXPECT_TRUE(Eventually([&] { return Events(id, "request.sla_at_risk") == 1; }));
  LetJobsRun();
  EXPECT_EQ(Events(id, "request.sla_breached"), 0u);
  SetClock("2026-12-07T12:06:00+01:00");
  EXPECT_TRUE(Eventually([&] { return Events(id, "request.sla_breached") == 1; }));
}

// A paused request reads as paused with the working time it has left, in every read (the
// request, the lists, the work queue), however long the pause: no due time, no at-risk time.
// The 120 business minutes of the target were all left when it paused at filing, a Friday at
// 17:00 Paris time, and still are on Monday at noon.
TEST_P(Sla, PausedRequestShowsTheWorkingTimeLeft) {
  boost::json::object filed = FileWaitingDataChange();
  std::string account = Str(filed, "account_id");
  std::string id = Str(filed, "id");
  ASSERT_EQ(Str(filed, "state"), "awaiting_customer");

  SetClock("2026-12-07T12:00:00+01:00");
  LetJobsRun();
  auto expect_paused = [&](const boost::json::object& r, const std::string& where) {
    SCOPED_TRACE(where);
    const boost::json::object& sla = SlaOf(r);
    EXPECT_EQ(Str(r, "id"), id);
    EXPECT_EQ(sla.at("paused"), true);
    EXPECT_EQ(Str(sla, "status"), "on_track");
    EXPECT_TRUE(sla.at("due_at").is_null()) << boost::json::serialize(sla);
    EXPECT_TRUE(sla.at("at_risk_at").is_null()) << boost::json::serialize(sla);
    EXPECT_TRUE(r.at("due_at").is_null());
    ExpectJustAfter(At(Str(sla, "paused_since")), At("2026-12-04T17:00:00+01:00"), "paused_since");
    // The test clock ran a few seconds between setting it and filing.
    ASSERT_TRUE(sla.at("working_time_left_seconds").is_int64()) << boost::json::serialize(sla);
    EXPECT_LE(sla.at("working_time_left_seconds").as_int64(), 120 * 60);
    EXPECT_GT(sla.at("working_time_left_seconds").as_int64(), 120 * 60 - 10);
    EXPECT_TRUE(sla.at("time_left_seconds").is_null());
    EXPECT_EQ(Str(sla, "clock"), "business_hours");
    EXPECT_EQ(sla.at("target_minutes"), 120);
    EXPECT_EQ(Str(sla, "calendar"), "paris_business");
  };
  expect_paused(Request(id), "GET /v1/requests/{id}");
  const std::vector<std::string> lists = {"/v1/requests?state=awaiting_customer",
                                          "/v1/requests?sort=due_at&limit=100",
                                          "/v1/requests?account_id=" + account};
  for (const std::string& list : lists) {
    HttpResponse r = Call("GET", list);
    ASSERT_EQ(r.status, 200) << r.body;
    bool found = false;
    boost::json::value page = r.Json();
    for (const auto& item : page.at("data").as_array()) {
      if (Str(item, "id") != id) continue;
      found = true;
      expect_paused(item.as_object(), list);
    }
    EXPECT_TRUE(found) << list;
  }

  // Proof arrives Monday at noon: the clock runs again from there with its two hours.
  HttpResponse proof = Call("POST", "/v1/accounts/" + account + "/verifications",
                            R"({"kind":"identity","method":"document_check","level":1})");
  ASSERT_EQ(proof.status, 201) << proof.body;
  boost::json::object resumed = Request(id);
  EXPECT_EQ(SlaOf(resumed).at("paused"), false);
  ExpectJustAfter(SlaTime(resumed, "due_at"), At("2026-12-07T14:00:00+01:00"), "due_at resumed");
  EXPECT_TRUE(SlaOf(resumed).at("working_time_left_seconds").is_null());
  EXPECT_TRUE(SlaOf(resumed).at("time_left_seconds").is_int64());
}

// Urgent reconnections count calendar hours (default pack: 60 minutes): filed at 22:30 on a
// Friday night, breached at 23:30 that night, not on Monday.
TEST_P(Sla, CalendarHoursCountNights) {
  SetClock("2026-12-04T22:30:00+01:00");
  boost::json::object filed = WaitingReconnection("urgent");
  std::string id = Str(filed, "id");
  // An hour from filing, night or not (the test clock flows while the request is filed, so
  // the hour is counted from the request's own time).
  Timestamp created = ParseRfc3339(Str(filed, "created_at")).value_or(0);
  ExpectJustAfter(created, At("2026-12-04T22:30:00+01:00"), "created_at");
  EXPECT_EQ(SlaTime(filed, "due_at"), created + 60 * kMillisPerMinute);
  EXPECT_EQ(SlaTime(filed, "at_risk_at"), created + 48 * kMillisPerMinute);

  SetClock("2026-12-04T23:29:00+01:00");
  EXPECT_TRUE(Eventually([&] { return Events(id, "request.sla_at_risk") == 1; }));
  EXPECT_EQ(Events(id, "request.sla_breached"), 0u);
  SetClock("2026-12-04T23:30:30+01:00");
  EXPECT_TRUE(Eventually([&] { return Events(id, "request.sla_breached") == 1; }));
  boost::json::object breached = Request(id);
  EXPECT_EQ(Str(SlaOf(breached), "status"), "breached");
  EXPECT_EQ(Str(breached, "priority"), "urgent");  // already the highest
  EXPECT_EQ(Str(breached, "assignee"), "supervisors");
}

INSTANTIATE_TEST_SUITE_P(Backends, Sla, ::testing::ValuesIn(Backends()), BackendName);

class SlaEscalation : public WithStaff<OwnServer> {};

// The default pack's at-risk escalation names the admin role: every active admin gets an
// email (from the real SMTP server's point of view), agents do not, and the pack's email rate
// limit bounds how many one admin gets when many requests escalate at once.
TEST_P(SlaEscalation, TheRoleNamedIsEmailedAndTheRateLimitBoundsIt) {
  StaffMember ada = Activated("admin");
  StaffMember bob = Activated("admin");
  StaffMember agent = Activated("agent");
  const SmtpSink& mail = StaffMail();
  PutPack({kTwoHourTarget,
           {"rate_limit: {window_minutes: 60, sms: 5, email: 20}",
            "rate_limit: {window_minutes: 60, sms: 5, email: 1}"}});
  SetClock("2026-12-04T17:00:00+01:00");
  boost::json::object first = WaitingReconnection();
  boost::json::object second = WaitingReconnection();
  SetClock("2026-12-07T09:36:30+01:00");
  ASSERT_TRUE(Eventually([&] {
    return Events(Str(first, "id"), "request.escalated") == 1 &&
           Events(Str(second, "id"), "request.escalated") == 1;
  }));
  // One escalation email per admin: the second request's is over the limit of one an hour.
  // (The customers' own notices reach the same SMTP server: only the escalations count.)
  auto escalations = [&] {
    std::vector<boost::json::object> out;
    for (const boost::json::object& m : mail.Messages()) {
      if (Str(m, "subject").rfind("Escalated: ", 0) == 0) out.push_back(m);
    }
    return out;
  };
  ASSERT_TRUE(Eventually([&] { return escalations().size() >= 2; }));
  LetTheDispatcherRun();
  std::vector<boost::json::object> letters = escalations();
  ASSERT_EQ(letters.size(), 2u);
  std::set<std::string> to;
  for (const boost::json::object& m : letters) {
    to.insert(boost::json::serialize(m.at("rcpt_tos")));
    EXPECT_NE(Str(m, "subject").find("at risk"), std::string::npos) << Str(m, "subject");
    const std::string text = Str(m, "text");
    const bool about_first = text.find(Str(first, "id")) != std::string::npos;
    const bool about_second = text.find(Str(second, "id")) != std::string::npos;
    EXPECT_TRUE(about_first != about_second) << text;
    EXPECT_NE(text.find("/#/accounts/"), std::string::npos) << text;
  }
  EXPECT_EQ(to.size(), 2u);
  for (const std::string& r : to) {
    EXPECT_TRUE(r.find(ada.email) != std::string::npos || r.find(bob.email) != std::string::npos)
        << r;
    EXPECT_EQ(r.find(agent.email), std::string::npos) << r;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, SlaEscalation, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
