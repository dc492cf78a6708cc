#pragma once

// Staff users for functional tests: invite one through the API, read the invitation link from
// the mail a real SMTP server received, accept the invitation, and sign in with its password
// and a TOTP code computed by an independent implementation (Debian's python3-pyotp), then call
// the API with the session cookie and CSRF token. `WithStaff<Base>` adds these to any fixture
// of the chain in server_fixture.h; it sets the tenant's email channel to its own SMTP server.

#include <boost/json.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/server_fixture.h"
#include "tests/support/smtp_sink.h"

namespace sb::testing {

// The 6-digit TOTP code of a base32 secret at `unix_seconds`, by pyotp ("" when python or
// pyotp cannot run, which the caller's assertion then reports).
std::string PyotpCode(const std::string& base32_secret, std::int64_t unix_seconds);

// The value of the session cookie in an answer's Set-Cookie header ("" when absent).
std::string SessionCookieOf(const HttpResponse& r);

// The invitation secret of the newest `user.invitation` mail among `messages` for `email`,
// when more than `invitations_before` reached it ("" otherwise).
std::string InvitationTokenIn(const std::vector<boost::json::object>& messages,
                              const std::string& email, size_t invitations_before);

// A staff user the test created, and what it needs to act as that user.
struct StaffMember {
  std::string id;
  std::string email;
  std::string password;
  std::string totp_secret;  // base32
  std::string cookie;       // the session cookie's value once signed in
  std::string csrf;         // its X-CSRF-Token
};

template <typename Base>
class WithStaff : public Base {
 protected:
  // The SMTP server the tenant's email channel points at, started on first use.
  const SmtpSink& StaffMail() {
    if (!staff_mail_) {
      staff_mail_ = std::make_unique<SmtpSink>();
      HttpResponse r = this->Api(
          "PUT", "/v1/notification-channels/email",
          boost::json::serialize(boost::json::object{{"smtp_url", staff_mail_->Url()},
                                                     {"require_tls", false},
                                                     {"from_address", "switchboard@client.example"},
                                                     {"from_name", "Switchboard"}}));
      EXPECT_EQ(r.status, 200) << r.body;
    }
    return *staff_mail_;
  }

  // The invitation secret of the newest invitation mail for `email`, once more than
  // `invitations_before` arrived ("" when none does within Eventually's wait).
  std::string InvitationTokenFor(const SmtpSink& sink, const std::string& email,
                                 size_t invitations_before = 0) {
    std::string token;
    Base::Eventually([&] {
      token = InvitationTokenIn(sink.Messages(), email, invitations_before);
      return !token.empty();
    });
    return token;
  }

  // Invites (with the fixture's admin key) and activates a user of `role`, with the link the
  // invitation mail carried.
  StaffMember Activated(const std::string& role) {
    static int n = 0;
    StaffMember m;
    m.email = "staff" + std::to_string(++n) + "-" + Base::NewRef() + "@example.com";
    m.password = "a long passphrase " + std::to_string(n);
    const SmtpSink& mail = StaffMail();
    HttpResponse invited =
        this->Api("POST", "/v1/users",
                  boost::json::serialize(boost::json::object{
                      {"email", m.email}, {"name", "Staff " + role}, {"role", role}}));
    EXPECT_EQ(invited.status, 201) << invited.body;
    m.id = Str(invited.Json().at("user"), "id");
    HttpResponse accepted =
        this->CallAs("", "POST", "/v1/invitations/accept",
                     boost::json::serialize(boost::json::object{
                         {"token", InvitationTokenFor(mail, m.email)}, {"password", m.password}}));
    EXPECT_EQ(accepted.status, 200) << accepted.body;
    m.totp_secret = Str(accepted.Json().at("totp"), "secret");
    return m;
  }

  // POST /v1/sessions for `m` with `code`.
  HttpResponse SignIn(const StaffMember& m, const std::string& code,
                      const std::string& password = "") {
    return this->CallAs("", "POST", "/v1/sessions",
                        boost::json::serialize(boost::json::object{
                            {"tenant_id", this->tenant_},
                            {"email", m.email},
                            {"password", password.empty() ? m.password : password},
                            {"totp_code", code}}));
  }

  // The code of `m` for the server's current time step moved by `steps` (each code is
  // accepted once, so successive sign-ins of one user take successive steps).
  std::string Code(const StaffMember& m, int steps = 0) {
    return PyotpCode(m.totp_secret, this->ServerNowSeconds() + 30 * steps);
  }

  // Signs `m` in with the code of step `steps`; fills its cookie and CSRF token.
  void SignedIn(StaffMember& m, int steps = 0) {
    HttpResponse r = SignIn(m, Code(m, steps));
    ASSERT_EQ(r.status, 201) << r.body;
    m.cookie = SessionCookieOf(r);
    m.csrf = Str(r.Json(), "csrf_token");
  }

  // A call made as `m`'s browser: its cookie, and its CSRF token unless `csrf` is false.
  HttpResponse As(const StaffMember& m, const std::string& method, const std::string& target,
                  const std::string& body = "", Headers headers = {}, bool csrf = true) {
    headers.emplace_back("Cookie", "__Host-sb_session=" + m.cookie);
    if (csrf) headers.emplace_back("X-CSRF-Token", m.csrf);
    return this->CallAs("", method, target, body, std::move(headers));
  }

 private:
  std::unique_ptr<SmtpSink> staff_mail_;
};

}  // namespace sb::testing
