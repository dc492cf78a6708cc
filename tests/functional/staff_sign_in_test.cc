// Staff sign-in (docs/SECURITY.md, "People"): invitation, argon2id password and TOTP
// second factor checked against an independent implementation (pyotp), the session cookie
// and its CSRF token, attribution of every change to the user, revocation, throttling that
// cannot lock a user out from elsewhere, and answers that never say whether a user exists.

#include "tests/support/sla_fixture.h"
#include "tests/support/staff_fixture.h"
#include "tests/support/tenant_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class StaffSignIn : public WithStaff<OwnTenant> {};

TEST_P(StaffSignIn, InvitedUserSignsInWithPasswordAndAnAuthenticatorCode) {
  const SmtpSink& mail = StaffMail();
  HttpResponse invited =
      Api("POST", "/v1/users", R"({"email":"Ana.Agent@Example.com","name":"Ana","role":"agent"})");
  ASSERT_EQ(invited.status, 201) << invited.body;
  const json::value user = invited.Json().at("user");
  EXPECT_EQ(Str(user, "email"), "ana.agent@example.com");
  EXPECT_EQ(Str(user, "status"), "invited");
  const std::string token = InvitationTokenFor(mail, "ana.agent@example.com");
  ASSERT_FALSE(token.empty()) << "no invitation mail reached the SMTP server";
  // The secret goes to the invitee's mailbox only, never to the admin who invited.
  EXPECT_EQ(invited.body.find(token.substr(token.find('.') + 1)), std::string::npos);
  const json::object letter = mail.Messages().back();
  EXPECT_EQ(Str(letter, "subject"), "You are invited to Switchboard");
  EXPECT_NE(Str(letter, "text").find("Hello Ana,"), std::string::npos);
  EXPECT_NE(Str(letter, "html").find("#invitation=" + token), std::string::npos);
  // Its outbox message keeps the link sealed: the tenant's outbox shows no secret.
  HttpResponse outbox = Api("GET", "/v1/outbox");
  ASSERT_EQ(outbox.status, 200) << outbox.body;
  EXPECT_NE(outbox.body.find(Str(invited.Json(), "message_id")), std::string::npos);
  EXPECT_EQ(outbox.body.find(token.substr(token.find('.') + 1)), std::string::npos);
  EXPECT_EQ(outbox.body.find("ana.agent@example.com"), std::string::npos);
  // A weak password is refused and leaves the invitation usable.
  HttpResponse weak =
      CallAs("", "POST", "/v1/invitations/accept",
             json::serialize(json::object{{"token", token}, {"password", "short"}}));
  ExpectProblem(weak, 422, "password", "weak_password");
  HttpResponse accepted = CallAs(
      "", "POST", "/v1/invitations/accept",
      json::serialize(json::object{{"token", token}, {"password", "correct horse battery"}}));
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const json::value totp = accepted.Json().at("totp");
  const std::string secret = Str(totp, "secret");
  EXPECT_EQ(secret.size(), 32u);  // 160 bits in base32
  EXPECT_NE(Str(totp, "otpauth_uri").find("secret=" + secret), std::string::npos);
  EXPECT_EQ(Str(totp, "qr_svg").rfind("<svg", 0), 0u);
  EXPECT_EQ(Str(accepted.Json().at("user"), "second_factor"), "pending");
  // The invitation works once.
  ExpectProblem(CallAs("", "POST", "/v1/invitations/accept",
                       json::serialize(
                           json::object{{"token", token}, {"password", "another long password"}})),
                404, "token");

  StaffMember ana{Str(user, "id"), "ana.agent@example.com", "correct horse battery", secret};
  // A wrong code, then the right password with the code pyotp computes.
  ExpectProblem(SignIn(ana, "000000"), 401, "", "invalid_credentials");
  const std::string code = Code(ana);
  ASSERT_EQ(code.size(), 6u) << "pyotp did not run (python3-pyotp installed?)";
  HttpResponse signed_in = SignIn(ana, code);
  ASSERT_EQ(signed_in.status, 201) << signed_in.body;
  const std::string set_cookie = signed_in.Header("Set-Cookie");
  for (const char* attribute : {"HttpOnly", "Secure", "SameSite=Strict", "Path=/"}) {
    EXPECT_NE(set_cookie.find(attribute), std::string::npos) << set_cookie;
  }
  const std::string cookie = SessionCookieOf(signed_in);
  EXPECT_GE(cookie.size(), 43u);  // the tenant, then 256 random bits
  EXPECT_EQ(Str(signed_in.Json().at("user"), "second_factor"), "confirmed");
  // The same code again is refused: each is good once.
  ExpectProblem(SignIn(ana, code), 401, "", "invalid_credentials");

  ana.cookie = cookie;
  ana.csrf = Str(signed_in.Json(), "csrf_token");
  HttpResponse me = As(ana, "GET", "/v1/whoami");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Str(me.Json(), "actor_type"), "user");
  EXPECT_EQ(Str(me.Json(), "user_id"), ana.id);
  EXPECT_EQ(Str(me.Json(), "role"), "agent");
  EXPECT_EQ(Str(me.Json(), "tenant_id"), tenant_);
  // Signing in again opens another session with another cookie (rotated at sign-in).
  HttpResponse again = SignIn(ana, Code(ana, 1));
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_NE(SessionCookieOf(again), cookie);
}

TEST_P(StaffSignIn, ChangesNameTheUserAndWritesNeedTheCsrfToken) {
  StaffMember agent = Activated("agent");
  SignedIn(agent);
  std::string account = Str(NewAccount(), "id");
  const size_t requests_before = Requests(account).size();
  const std::string hold = R"({"hold_type":"voluntary_pause"})";
  // Without the token (what a forged cross-site post would send): refused, nothing written.
  HttpResponse forged = As(agent, "POST", "/v1/accounts/" + account + "/holds", hold,
                           {{"X-Reason", "customer_request"}}, /*csrf=*/false);
  ExpectProblem(forged, 403, "X-CSRF-Token", "csrf_token_invalid");
  HttpResponse wrong = As(agent, "POST", "/v1/accounts/" + account + "/holds", hold,
                          {{"X-Reason", "customer_request"}, {"X-CSRF-Token", "nope"}}, false);
  ExpectProblem(wrong, 403, "X-CSRF-Token", "csrf_token_invalid");
  EXPECT_EQ(Requests(account).size(), requests_before);
  // With it, the hold is placed and every row names the user.
  HttpResponse placed = As(agent, "POST", "/v1/accounts/" + account + "/holds", hold,
                           {{"X-Reason", "customer_request"}});
  ASSERT_EQ(placed.status, 201) << placed.body;
  const json::value request = placed.Json();  // the request, with the account and the hold
  EXPECT_EQ(Str(request.at("actor"), "type"), "user");
  EXPECT_EQ(Str(request.at("actor"), "id"), agent.id);
  EXPECT_EQ(Str(request.at("actor"), "role"), "agent");
  HttpResponse audit = Api("GET", "/v1/audit/entries?limit=100&account_id=" + account);
  ASSERT_EQ(audit.status, 200) << audit.body;
  size_t by_the_hold = 0;
  const json::value entries = audit.Json();
  for (const auto& entry : entries.at("data").as_array()) {
    if (Str(entry, "request_id") != Str(request, "id")) continue;
    ++by_the_hold;
    EXPECT_EQ(Str(entry.at("actor"), "type"), "user") << entry;
    EXPECT_EQ(Str(entry.at("actor"), "id"), agent.id) << entry;
  }
  EXPECT_GE(by_the_hold, 2u);  // the request's and the hold's at least
  HttpResponse timeline = As(agent, "GET", "/v1/accounts/" + account + "/timeline");
  ASSERT_EQ(timeline.status, 200) << timeline.body;
  EXPECT_NE(timeline.body.find(agent.id), std::string::npos);
}

TEST_P(StaffSignIn, RolesDecideTheRoutesAsForKeys) {
  StaffMember auditor = Activated("auditor");
  StaffMember agent = Activated("agent");
  SignedIn(auditor);
  SignedIn(agent);
  std::string account = Str(NewAccount(), "id");
  ExpectProblem(As(auditor, "POST", "/v1/accounts/" + account + "/holds",
                   R"({"hold_type":"voluntary_pause"})", {{"X-Reason", "customer_request"}}),
                403);
  EXPECT_EQ(As(auditor, "GET", "/v1/audit/entries?limit=1").status, 200);
  ExpectProblem(As(agent, "GET", "/v1/audit/entries?limit=1"), 403);
  ExpectProblem(As(agent, "GET", "/v1/users"), 403);
  ExpectProblem(
      As(agent, "POST", "/v1/users", R"({"email":"x@example.com","name":"X","role":"admin"})"),
      403);
}

TEST_P(StaffSignIn, SignOutPasswordChangeAndDisablingEndSessions) {
  StaffMember agent = Activated("supervisor");
  SignedIn(agent, 0);
  StaffMember second_browser = agent;
  SignedIn(second_browser, 1);
  // Signing out ends that session only.
  HttpResponse out = As(agent, "DELETE", "/v1/sessions/current");
  ASSERT_EQ(out.status, 204) << out.body;
  EXPECT_NE(out.Header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  ExpectProblem(As(agent, "GET", "/v1/whoami"), 401, "", "session_expired");
  ASSERT_EQ(As(second_browser, "GET", "/v1/whoami").status, 200);
  // A wrong current password changes nothing; the right one ends every session.
  ExpectProblem(
      As(second_browser, "POST", "/v1/me/password",
         R"({"current_password":"not it at all","new_password":"a brand new passphrase"})"),
      401, "current_password", "invalid_credentials");
  ASSERT_EQ(As(second_browser, "GET", "/v1/whoami").status, 200);
  HttpResponse changed =
      As(second_browser, "POST", "/v1/me/password",
         json::serialize(json::object{{"current_password", agent.password},
                                      {"new_password", "a brand new passphrase"}}));
  ASSERT_EQ(changed.status, 204) << changed.body;
  ExpectProblem(As(second_browser, "GET", "/v1/whoami"), 401, "", "session_expired");
  // The old password no longer signs in; the new one does (with a code of a later step: the
  // two sessions above used the current one and the next).
  Advance(60);
  ExpectProblem(SignIn(agent, Code(agent)), 401, "", "invalid_credentials");
  agent.password = "a brand new passphrase";
  SignedIn(agent);
  // Disabling the user ends its session at once and refuses its sign-ins.
  HttpResponse disabled = Api("POST", "/v1/users/" + agent.id + "/disable");
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(Str(disabled.Json(), "status"), "disabled");
  ExpectProblem(As(agent, "GET", "/v1/whoami"), 401, "", "session_expired");
}

TEST_P(StaffSignIn, AUserWhoLostTheSecondFactorIsInvitedAgainWithANewEnrolment) {
  StaffMember agent = Activated("agent");
  SignedIn(agent);
  StaffMember admin = Activated("admin");
  SignedIn(admin);
  const std::string old_secret = agent.totp_secret;
  // An admin may not reset itself (a stolen session could not then lock its owner out).
  ExpectProblem(As(admin, "POST", "/v1/users/" + admin.id + "/invitation"), 409, "",
                "cannot_reinvite_self");
  ExpectProblem(Api("POST", "/v1/users/usr_unknown/invitation"), 404);
  HttpResponse again = As(admin, "POST", "/v1/users/" + agent.id + "/invitation");
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(Str(again.Json().at("user"), "status"), "invited");
  EXPECT_EQ(Str(again.Json().at("user"), "second_factor"), "pending");
  // Its sessions end, and its old password no longer signs in.
  ExpectProblem(As(agent, "GET", "/v1/whoami"), 401, "", "session_expired");
  Advance(60);
  ExpectProblem(SignIn(agent, Code(agent)), 401, "", "invalid_credentials");
  // The second mail's link gives a new password and a new TOTP secret.
  const std::string token = InvitationTokenFor(StaffMail(), agent.email, 1);
  ASSERT_FALSE(token.empty()) << "no second invitation mail";
  HttpResponse accepted = CallAs(
      "", "POST", "/v1/invitations/accept",
      json::serialize(json::object{{"token", token}, {"password", "a replacement passphrase"}}));
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  agent.totp_secret = Str(accepted.Json().at("totp"), "secret");
  agent.password = "a replacement passphrase";
  EXPECT_NE(agent.totp_secret, old_secret);
  SignedIn(agent, 1);
  // The audit log names who reset whom.
  HttpResponse audit = Api("GET", "/v1/audit/entries?category=security");
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_NE(audit.body.find("user.reinvited"), std::string::npos);
  // A disabled user is not invited again.
  ASSERT_EQ(Api("POST", "/v1/users/" + agent.id + "/disable").status, 200);
  ExpectProblem(As(admin, "POST", "/v1/users/" + agent.id + "/invitation"), 409, "",
                "user_disabled");
}

TEST_P(StaffSignIn, FailuresLockOneEmailFromOneAddressAndNeverTellWhoExists) {
  StaffMember locked = Activated("agent");
  StaffMember other = Activated("agent");
  // An unknown email and a wrong password answer alike.
  StaffMember nobody{"", "nobody-" + NewRef() + "@example.com", "whatever it is"};
  HttpResponse unknown = SignIn(nobody, "123456");
  HttpResponse wrong = SignIn(locked, "123456", "not the password");
  ExpectProblem(unknown, 401, "", "invalid_credentials");
  ExpectProblem(wrong, 401, "", "invalid_credentials");
  EXPECT_EQ(unknown.Json().at("detail"), wrong.Json().at("detail"));
  for (int i = 0; i < 4; ++i) {
    ExpectProblem(SignIn(locked, "123456", "not the password"), 401, "", "invalid_credentials");
  }
  // Five failures: locked, even with the right password and code.
  HttpResponse refused = SignIn(locked, Code(locked));
  ExpectProblem(refused, 429, "", "sign_in_locked");
  EXPECT_FALSE(refused.Header("Retry-After").empty());
  // Another user from the same address is not locked out by it.
  SignedIn(other);
  // An unknown email locks alike, so the lock does not tell either.
  for (int i = 0; i < 5; ++i) SignIn(nobody, "123456");
  ExpectProblem(SignIn(nobody, "123456"), 429, "", "sign_in_locked");
}

TEST_P(StaffSignIn, BadInputIsRefusedNamingTheField) {
  ExpectProblem(CallAs("", "POST", "/v1/sessions", R"({"tenant_id":"x","email":"a@b.c"})"), 400,
                "password");
  ExpectProblem(
      CallAs("", "POST", "/v1/sessions",
             R"({"tenant_id":"x","email":"a@b.c","password":"p","totp_code":"1","admin":true})"),
      400, "admin");
  ExpectProblem(Api("POST", "/v1/users", R"({"email":"not an email","name":"X","role":"agent"})"),
                422, "email");
  ExpectProblem(Api("POST", "/v1/users", R"({"email":"a@example.com","name":"X","role":"system"})"),
                422, "role");
  StaffMember taken = Activated("agent");
  ExpectProblem(Api("POST", "/v1/users",
                    json::serialize(json::object{
                        {"email", taken.email}, {"name", "Again"}, {"role", "agent"}})),
                409, "email", "user_exists");
  // A cookie that is no session: 401, nothing else.
  HttpResponse forged =
      CallAs("", "GET", "/v1/whoami", "", {{"Cookie", "__Host-sb_session=" + tenant_ + ".AAAA"}});
  ExpectProblem(forged, 401, "", "session_expired");
  // A user of another tenant cannot sign in to this one.
  ExpectProblem(CallAs("", "POST", "/v1/sessions",
                       json::serialize(json::object{{"tenant_id", "ten_nothere"},
                                                    {"email", taken.email},
                                                    {"password", taken.password},
                                                    {"totp_code", Code(taken)}})),
                401, "", "invalid_credentials");
}

INSTANTIATE_TEST_SUITE_P(Backends, StaffSignIn, ::testing::ValuesIn(Backends()), BackendName);

// The timeouts, on a server of the test's own whose clock the test moves.
class StaffSessionTimeouts : public WithStaff<OwnServer> {};

TEST_P(StaffSessionTimeouts, IdleAndAbsoluteTimeoutsEndSessions) {
  SetClock("2026-03-02T09:00:00Z");
  StaffMember agent = Activated("agent");
  SignedIn(agent);
  // Active use keeps it alive past the idle timeout (30 minutes)...
  for (int i = 0; i < 4; ++i) {
    Advance(20 * 60);
    ASSERT_EQ(As(agent, "GET", "/v1/whoami").status, 200) << i;
  }
  // ...but not 31 minutes of silence.
  Advance(31 * 60);
  ExpectProblem(As(agent, "GET", "/v1/whoami"), 401, "", "session_expired");
  // And not past 12 hours whatever happens.
  SignedIn(agent, 0);
  for (int i = 0; i < 25; ++i) {
    Advance(29 * 60);
    HttpResponse r = As(agent, "GET", "/v1/whoami");
    if (i < 24) {
      ASSERT_EQ(r.status, 200) << i;
    } else {
      ExpectProblem(r, 401, "", "session_expired");  // 12 h 05 after sign-in
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StaffSessionTimeouts, ::testing::ValuesIn(Backends()),
                         BackendName);

}  // namespace
}  // namespace sb::testing
