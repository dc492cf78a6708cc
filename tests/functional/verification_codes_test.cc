// Proving a customer's identity by a one-time code, end to end: the code reaches the email or
// phone on record through a real SMTP server and SMS gateway, the customer reads it back, and
// requests waiting on identity resume; the limits, the lock and the refusals a caller notices;
// and no code left in clear in the database or the log.

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <fstream>
#include <random>
#include <regex>
#include <thread>

#include "tests/support/notification_fixture.h"
#include "tests/support/smtp_sink.h"
#include "tests/support/text.h"
#include "tests/support/webhook_receiver.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

// Whether `code` appears in `bytes` as a number of its own (not inside a longer run of digits).
bool ContainsCode(const std::string& bytes, const std::string& code) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (size_t at = bytes.find(code); at != std::string::npos; at = bytes.find(code, at + 1)) {
    bool before = at > 0 && digit(bytes[at - 1]);
    bool after = at + code.size() < bytes.size() && digit(bytes[at + code.size()]);
    if (!before && !after) return true;
  }
  return false;
}

class VerificationCodes : public NotificationTest {
 protected:
  // A customer with an email and a phone on record; their account's id.
  std::string Customer(json::object extra = {{"email", "jane.doe@example.com"},
                                             {"phone", "+33612345678"}}) {
    return Str(ServerTest::NewAccount(std::move(extra)), "id");
  }

  HttpResponse Send(const std::string& account, const std::string& channel) {
    return Api("POST", "/v1/accounts/" + account + "/verification-codes",
               json::serialize(json::object{{"channel", channel}}));
  }

  HttpResponse CheckCode(const std::string& account, const std::string& channel,
                         const std::string& code) {
    return Api("POST", "/v1/accounts/" + account + "/verification-codes/check",
               json::serialize(json::object{{"channel", channel}, {"code", code}}));
  }

  // The codes of every verification code email the sink received, oldest first, once `n`
  // arrived.
  static std::vector<std::string> EmailedCodes(const SmtpSink& sink, size_t n) {
    std::vector<std::string> codes;
    Eventually([&] {
      codes.clear();
      for (const json::object& m : sink.Messages()) {
        if (Str(m, "subject") != "Your verification code") continue;
        std::smatch match;
        std::string text = Str(m, "text");
        if (std::regex_search(text, match, std::regex(" is ([0-9]{6})\\."))) {
          codes.push_back(match[1]);
        }
      }
      return codes.size() >= n;
    });
    return codes;
  }

  // Sends a code by email and returns it as the customer reads it.
  std::string EmailedCode(const SmtpSink& sink, const std::string& account) {
    size_t before = EmailedCodes(sink, 0).size();
    HttpResponse sent = Send(account, "email");
    EXPECT_EQ(sent.status, 202) << sent.body;
    std::vector<std::string> codes = EmailedCodes(sink, before + 1);
    EXPECT_EQ(codes.size(), before + 1);
    return codes.size() > before ? codes.back() : "";
  }

  // Every row the codes touch on PostgreSQL, as text: the codes, their checks, the outbox, the
  // audit entries, the verifications and the stored answers of the tenant.
  std::string PgRows() {
    PGconn* conn = PQconnectdb(server().database_url().c_str());
    EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
    const char* params[] = {tenant_.c_str()};
    PQclear(PQexecParams(conn, "SELECT set_config('switchboard.tenant_id', $1, false)", 1, nullptr,
                         params, nullptr, nullptr, 0));
    std::string out;
    for (const char* table : {"verification_codes", "verification_code_checks", "outbox",
                              "audit_entries", "verifications", "idempotency_keys"}) {
      std::string sql = std::string("SELECT t::text FROM ") + table + " t WHERE tenant_id = $1";
      PGresult* r = PQexecParams(conn, sql.c_str(), 1, nullptr, params, nullptr, nullptr, 0);
      EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << table << ": " << PQerrorMessage(conn);
      for (int row = 0; row < PQntuples(r); ++row) out += std::string(PQgetvalue(r, row, 0)) + "\n";
      PQclear(r);
    }
    PQfinish(conn);
    EXPECT_FALSE(out.empty());
    return out;
  }

  // The account's outbox messages of `event_type`.
  size_t OutboxOf(const std::string& account, const std::string& event_type) {
    size_t n = 0;
    for (const auto& m : Outbox("limit=100&account_id=" + account)) {
      n += Str(m, "event_type") == event_type;
    }
    return n;
  }
};

TEST_P(VerificationCodes, TheEmailedCodeVerifiesTheCustomerEvenInQuietHours) {
  SmtpSink sink;
  UseEmail(sink.Url());
  SetClock("2026-03-02T22:30:00Z");  // 23:30 in Paris: the pack's quiet hours
  std::string id = Customer();
  HttpResponse sent = Send(id, "email");
  ASSERT_EQ(sent.status, 202) << sent.body;
  json::object s = sent.Json().as_object();
  EXPECT_EQ(Str(s, "channel"), "email");
  EXPECT_EQ(Str(s, "destination"), "j•••@example.com");
  EXPECT_EQ(s.count("code"), 0u) << "the code is never in the answer";
  ExpectJustAfter(At(Str(s, "expires_at")), At("2026-03-02T22:40:00Z"), "expires_at");

  std::vector<std::string> codes = EmailedCodes(sink, 1);
  ASSERT_EQ(codes.size(), 1u) << "a transactional code does not wait out the quiet hours";
  json::object mail = sink.Messages().back();
  EXPECT_EQ(Str(mail, "to"), "jane.doe@example.com");
  EXPECT_NE(Str(mail, "text").find("valid for 10 minutes"), std::string::npos);

  HttpResponse ok = CheckCode(id, "email", codes[0]);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Str(ok.Json(), "method"), "otp_email");
  EXPECT_EQ(Str(ok.Json(), "kind"), "identity");
  EXPECT_EQ(Int(ok.Json(), "level"), 1) << "the pack's level for otp_email";
  json::array listed =
      Api("GET", "/v1/accounts/" + id + "/verifications").Json().at("data").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(Str(listed[0], "id"), Str(ok.Json(), "id"));
}

TEST_P(VerificationCodes, TheTextedCodeReachesThePhoneOnRecord) {
  WebhookReceiver gateway({201});
  HttpResponse put = Api("PUT", "/v1/notification-channels/sms",
                         json::serialize(json::object{{"gateway_url", gateway.Url("/sms")},
                                                      {"auth", "bearer"},
                                                      {"token", "tok-1"},
                                                      {"sender_id", "Switchboard"},
                                                      {"body_shape", "json"}}));
  ASSERT_EQ(put.status, 200) << put.body;
  std::string id = Customer();
  HttpResponse sent = Send(id, "sms");
  ASSERT_EQ(sent.status, 202) << sent.body;
  EXPECT_EQ(Str(sent.Json(), "destination"), "•••• 5678");
  // The demo tenant's own notices, pending since it was created, may reach the gateway too.
  std::smatch match;
  std::string text, to;
  ASSERT_TRUE(Eventually([&] {
    for (const ReceivedRequest& r : gateway.Requests()) {
      json::object body = json::parse(r.body).as_object();
      text = Str(body, "text");
      to = Str(body, "to");
      if (std::regex_search(text, match, std::regex("code is ([0-9]{6})\\."))) return true;
    }
    return false;
  }));
  EXPECT_EQ(to, "+33612345678");
  HttpResponse ok = CheckCode(id, "sms", match[1]);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Str(ok.Json(), "method"), "otp_sms");
}

TEST_P(VerificationCodes, ARequestWaitingOnIdentityResumesOnceTheCodeChecks) {
  SmtpSink sink;
  UseEmail(sink.Url());
  std::string id = Customer();
  json::object r =
      File("personal_info_update", id, "normal", "customer_request", R"({"name":"Jane Smith"})");
  ASSERT_EQ(Str(r, "state"), "awaiting_customer") << json::serialize(r);
  std::string code = EmailedCode(sink, id);
  ASSERT_EQ(CheckCode(id, "email", code).status, 200);
  EXPECT_EQ(Str(Request(Str(r, "id")), "state"), "completed");
  EXPECT_EQ(Str(Account(id), "name"), "Jane Smith");
}

// 10,000 random guesses: the lock lets 5 be evaluated in every 15 minutes, and none passes.
TEST_P(VerificationCodes, TenThousandRandomGuessesFindNothingAndMostAreRefusedByTheLock) {
  SmtpSink sink;
  UseEmail(sink.Url());
  std::string id = Customer();
  std::mt19937 rng{std::random_device{}()};
  std::uniform_int_distribution<int> digits(0, 999'999);
  int passed = 0, evaluated = 0, locked = 0, other = 0;
  const int kGuesses = 10'000, kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    if (round > 0) Advance(16 * 60);  // the lock ends and the round's code expired
    ASSERT_EQ(Send(id, "email").status, 202);
    for (int i = 0; i < kGuesses / kRounds; ++i) {
      char guess[8];
      std::snprintf(guess, sizeof guess, "%06d", digits(rng));
      HttpResponse r = CheckCode(id, "email", guess);
      if (r.status == 429 && Str(r.Json(), "code") == "rate_limited") {  // the key's own limit
        std::this_thread::sleep_for(std::chrono::seconds(1));
        --i;
        continue;
      }
      if (r.status == 200) ++passed;
      if (r.status == 422 && Str(r.Json(), "code") == "invalid_code") ++evaluated;
      if (r.status == 429 && Str(r.Json(), "code") == "verification_locked") ++locked;
      if (r.status != 422 && r.status != 429 && r.status != 200) ++other;
    }
  }
  EXPECT_EQ(passed, 0);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(evaluated, 5 * kRounds) << "5 guesses evaluated per lock period";
  EXPECT_EQ(locked, kGuesses - 5 * kRounds);
}

TEST_P(VerificationCodes, FiveWrongCodesLockTheChannelEvenForTheRightCode) {
  SmtpSink sink;
  UseEmail(sink.Url());
  std::string id = Customer();
  std::string code = EmailedCode(sink, id);
  std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i)
    ExpectProblem(CheckCode(id, "email", wrong), 422, "code", "invalid_code");
  HttpResponse refused = CheckCode(id, "email", code);
  ExpectProblem(refused, 429, "code", "verification_locked");
  ASSERT_FALSE(refused.Header("Retry-After").empty());
  int wait = std::stoi(refused.Header("Retry-After"));
  EXPECT_GT(wait, 14 * 60);
  EXPECT_LE(wait, 15 * 60);
  // The other channel is not locked: a wrong SMS code is still just wrong.
  ExpectProblem(CheckCode(id, "sms", wrong), 422, "code", "invalid_code");
  EXPECT_TRUE(
      Api("GET", "/v1/accounts/" + id + "/verifications").Json().at("data").as_array().empty());

  Advance(15 * 60 + 5);
  std::string fresh = EmailedCode(sink, id);
  ASSERT_EQ(CheckCode(id, "email", fresh).status, 200) << "the lock ended";
}

TEST_P(VerificationCodes, AnExpiredAUsedAndASupersededCodeAreRefusedAlike) {
  SmtpSink sink;
  UseEmail(sink.Url());
  std::string id = Customer();
  std::string expired = EmailedCode(sink, id);
  Advance(10 * 60 + 2);
  HttpResponse late = CheckCode(id, "email", expired);
  ExpectProblem(late, 422, "code", "invalid_code");

  std::string first = EmailedCode(sink, id);
  std::string second = EmailedCode(sink, id);
  if (first != second) {
    ExpectProblem(CheckCode(id, "email", first), 422, "code", "invalid_code");
  }
  ASSERT_EQ(CheckCode(id, "email", second).status, 200);
  HttpResponse again = CheckCode(id, "email", second);
  ExpectProblem(again, 422, "code", "invalid_code");
  EXPECT_EQ(Str(again.Json(), "detail"), Str(late.Json(), "detail")) << "one answer for all";
  EXPECT_EQ(Api("GET", "/v1/accounts/" + id + "/verifications").Json().at("data").as_array().size(),
            1u);
}

TEST_P(VerificationCodes, AFourthCodeInFifteenMinutesWaits) {
  SmtpSink sink;
  UseEmail(sink.Url());
  std::string id = Customer();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Send(id, "email").status, 202);
  HttpResponse fourth = Send(id, "email");
  ExpectProblem(fourth, 429, "channel", "too_many_codes");
  ASSERT_FALSE(fourth.Header("Retry-After").empty());
  EXPECT_LE(std::stoi(fourth.Header("Retry-After")), 15 * 60);
  EXPECT_EQ(OutboxOf(id, "verification_code"), 3u);
  ASSERT_EQ(Send(id, "sms").status, 202) << "the limit is per channel";
  Advance(15 * 60 + 1);
  EXPECT_EQ(Send(id, "email").status, 202);
}

TEST_P(VerificationCodes, ACodeGoesOnlyToTheContactOnRecord) {
  std::string id = Customer({{"email", "jane.doe@example.com"}});
  HttpResponse elsewhere = Api("POST", "/v1/accounts/" + id + "/verification-codes",
                               R"({"channel":"email","email":"attacker@example.net"})");
  ExpectProblem(elsewhere, 400, "email", "unknown_field");
  HttpResponse to = Api("POST", "/v1/accounts/" + id + "/verification-codes",
                        R"({"channel":"sms","to":"+15550001111"})");
  ExpectProblem(to, 400, "to", "unknown_field");
  ExpectProblem(Send(id, "sms"), 422, "channel", "no_contact_on_record");
  ExpectProblem(Send(id, "pigeon"), 422, "channel");
  ExpectProblem(Send("acc_nobody", "email"), 404);
  EXPECT_EQ(OutboxOf(id, "verification_code"), 0u) << "nothing was sent";
  ExpectProblem(CheckCode(id, "email", "123456"), 422, "code", "invalid_code");
}

// A dry run of a send writes and sends nothing; a check has no dry run, since it would be a
// guess that does not count.
TEST_P(VerificationCodes, ADryRunSendsNothingAndACheckHasNone) {
  std::string id = Customer();
  HttpResponse dry = Api("POST", "/v1/accounts/" + id + "/verification-codes?dry_run=true",
                         R"({"channel":"email"})");
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_TRUE(dry.Json().at("dry_run").as_bool());
  EXPECT_EQ(Str(dry.Json(), "destination"), "j•••@example.com");
  EXPECT_EQ(OutboxOf(id, "verification_code"), 0u);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Send(id, "email").status, 202) << "the dry run counted";
  HttpResponse check = Api("POST", "/v1/accounts/" + id + "/verification-codes/check?dry_run=true",
                           R"({"channel":"email","code":"123456"})");
  ExpectProblem(check, 422, "dry_run");
}

// The message is the shipped one, readable by an admin; a tenant cannot replace it with one
// that might leave the code out.
TEST_P(VerificationCodes, TheCodeMessageIsShippedAndCannotBeReplaced) {
  const std::string path = "/v1/notification-templates/verification_code/sms/fr";
  HttpResponse got = Api("GET", path);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Str(got.Json(), "source"), "shipped");
  EXPECT_NE(Str(got.Json(), "body").find("{{code}}"), std::string::npos);
  HttpResponse put =
      Api("PUT", path, json::serialize(json::object{{"body", "Bonjour {{customer_name}}"}}));
  ExpectProblem(put, 422, "notification", "unknown_notification");
}

TEST_P(VerificationCodes, NoCodeIsLeftInClearInTheDatabaseOrTheLog) {
  SmtpSink sink;
  UseEmail(sink.Url());
  std::string id = Customer();
  std::vector<std::string> codes;
  for (int i = 0; i < 3; ++i) codes.push_back(EmailedCode(sink, id));
  ASSERT_EQ(CheckCode(id, "email", codes.back()).status, 200);
  std::vector<std::pair<std::string, std::string>> places;
  places.push_back({"server log", server().FlushedLog()});
  ASSERT_FALSE(places[0].second.empty());
  const std::string& url = server().database_url();
  if (url.rfind("sqlite:", 0) == 0) {
    places.push_back({"database file", ReadFile(url.substr(7))});
    places.push_back({"WAL file", ReadFile(url.substr(7) + "-wal")});
  } else {
    places.push_back({"database rows", PgRows()});
  }
  for (const auto& [where, bytes] : places) {
    for (const std::string& code : codes) {
      EXPECT_FALSE(ContainsCode(bytes, code)) << where << " holds the code " << code;
    }
  }
}

TEST_P(VerificationCodes, AVerificationByHandTakesItsLevelFromThePack) {
  std::string id = Customer();
  auto record = [&](const std::string& body) {
    return Api("POST", "/v1/accounts/" + id + "/verifications", body);
  };
  ExpectProblem(record(R"({"kind":"identity","method":"otp_sms"})"), 422, "method");
  ExpectProblem(record(R"({"kind":"identity","method":"otp_email","level":1})"), 422, "method");
  ExpectProblem(record(R"({"kind":"identity","method":"selfie"})"), 422, "method");
  ExpectProblem(record(R"({"kind":"identity","method":"document_check","level":3})"), 422, "level");
  HttpResponse doc = record(R"({"kind":"identity","method":"document_check"})");
  ASSERT_EQ(doc.status, 201) << doc.body;
  EXPECT_EQ(Int(doc.Json(), "level"), 2);
  HttpResponse lower = record(R"({"kind":"identity","method":"in_person","level":1})");
  ASSERT_EQ(lower.status, 201) << lower.body;
  EXPECT_EQ(Int(lower.Json(), "level"), 1);
  HttpResponse consent = record(R"({"kind":"consent","method":"recorded_call"})");
  EXPECT_EQ(consent.status, 201) << "other kinds keep their free methods";
}

// Knowledge questions only add to another factor: alone they leave the request waiting.
TEST_P(VerificationCodes, KnowledgeAnswersAloneDoNotProveAnIdentity) {
  SmtpSink sink;
  UseEmail(sink.Url());
  std::string id = Customer();
  json::object r =
      File("personal_info_update", id, "normal", "customer_request", R"({"name":"Jane Smith"})");
  ASSERT_EQ(Str(r, "state"), "awaiting_customer");
  HttpResponse knowledge = Api("POST", "/v1/accounts/" + id + "/verifications",
                               R"({"kind":"identity","method":"knowledge"})");
  ASSERT_EQ(knowledge.status, 201) << knowledge.body;
  EXPECT_EQ(Str(Request(Str(r, "id")), "state"), "awaiting_customer");
  ASSERT_EQ(CheckCode(id, "email", EmailedCode(sink, id)).status, 200);
  EXPECT_EQ(Str(Request(Str(r, "id")), "state"), "completed");
}

INSTANTIATE_TEST_SUITE_P(Backends, VerificationCodes, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
