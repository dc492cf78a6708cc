#include "http/handlers/people.h"

#include "app/people/sessions.h"
#include "app/people/staff_users.h"
#include "http/cookies.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::people {
namespace {

namespace json = boost::json;

Status NotWired() { return Status::Unavailable("Staff sign-in is not served here."); }

json::object UserJson(const domain::StaffUser& u) {
  return {{"object", "user"},
          {"id", u.id},
          {"email", u.email},
          {"name", u.name},
          {"role", domain::Name(u.role)},
          {"team", u.team.empty() ? json::value(nullptr) : json::value(u.team)},
          {"status", domain::Name(u.status)},
          {"second_factor", u.totp_confirmed ? "confirmed" : "pending"},
          {"created_at", FormatRfc3339(u.created_at)},
          {"updated_at", FormatRfc3339(u.updated_at)}};
}

// An invitation as an admin sees it: never its secret, which only the invitee's mail carries.
json::object InvitationJson(const app::Invitation& i) {
  return {{"object", "invitation"},
          {"user", UserJson(i.user)},
          {"expires_at", FormatRfc3339(i.expires_at)},
          {"message_id", i.message_id}};
}

}  // namespace

Response SignIn(Exchange& ex) {
  app::Sessions* sessions = ex.api().sessions;
  if (sessions == nullptr) return ProblemResponse(NotWired());
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  app::SignInInput in;
  in.tenant_id = body->RequiredString("tenant_id", 64);
  in.email = body->RequiredString("email", 254);
  in.password = body->RequiredString("password", 256);
  in.totp_code = body->RequiredString("totp_code", 16);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  in.source = ex.request().remote_address;
  Timestamp locked_until = 0;
  auto opened = sessions->SignInStaff(in, &locked_until);
  if (!opened.ok()) {
    Response r = ProblemResponse(opened.status());
    if (opened.status().code() == Code::kRateLimited) {
      r.SetHeader("Retry-After",
                  std::to_string(app::SecondsUntil(locked_until, ex.api().clock.Now())));
    }
    return r;
  }
  const app::SessionOptions& options = sessions->options();
  json::object o{{"object", "session"},
                 {"user", UserJson(opened->user)},
                 {"csrf_token", opened->csrf_token},
                 {"expires_at", FormatRfc3339(opened->session.expires_at)},
                 {"idle_timeout_seconds", options.idle / kMillisPerSecond}};
  Response r = JsonResponse(201, o);
  r.SetHeader("Set-Cookie", SessionCookie(opened->token, options.absolute / kMillisPerSecond));
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

Response SignOut(Exchange& ex) {
  if (ex.session_token().empty() || ex.api().sessions == nullptr) {
    return ProblemResponse(Status::Invalid("Cookie", "Only a session signs out; send its cookie.",
                                           "session_required"));
  }
  Status s = ex.api().sessions->SignOut(ex.session_token(), ex.ctx());
  if (!s.ok()) return ProblemResponse(s);
  Response r;
  r.status = 204;
  r.SetHeader("Set-Cookie", ClearedSessionCookie());
  return r;
}

Response ChangePassword(Exchange& ex) {
  app::StaffUsers* users = ex.api().users;
  if (users == nullptr) return ProblemResponse(NotWired());
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  std::string current = body->RequiredString("current_password", 256);
  std::string next = body->RequiredString("new_password", 1024);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  Status s = users->ChangePassword(ex.ctx(), current, next);
  if (!s.ok()) return ProblemResponse(s);
  Response r;
  r.status = 204;
  r.SetHeader("Set-Cookie", ClearedSessionCookie());
  return r;
}

Response AcceptInvitation(Exchange& ex) {
  app::StaffUsers* users = ex.api().users;
  if (users == nullptr) return ProblemResponse(NotWired());
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  std::string token = body->RequiredString("token", 128);
  std::string password = body->RequiredString("password", 1024);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  auto activated = users->AcceptInvitation(token, password);
  if (!activated.ok()) return ProblemResponse(activated.status());
  json::object o{{"object", "activated_user"},
                 {"user", UserJson(activated->user)},
                 {"totp",
                  {{"secret", activated->totp.secret_base32},
                   {"otpauth_uri", activated->totp.otpauth_uri},
                   {"qr_svg", activated->totp.qr_svg}}}};
  Response r = JsonResponse(200, o);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

Response InviteUser(Exchange& ex) {
  app::StaffUsers* users = ex.api().users;
  if (users == nullptr) return ProblemResponse(NotWired());
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  app::InviteInput in;
  in.email = body->RequiredString("email", 254);
  in.name = body->RequiredString("name", 200);
  in.role = body->RequiredString("role", 32);
  in.team = body->String("team", 64).value_or("");
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  auto invited = users->Invite(ex.ctx(), in);
  if (!invited.ok()) return ProblemResponse(invited.status());
  Response r = JsonResponse(201, InvitationJson(*invited));
  r.SetHeader("Location", "/v1/users/" + invited->user.id);
  return r;
}

Response ReinviteUser(Exchange& ex) {
  app::StaffUsers* users = ex.api().users;
  if (users == nullptr) return ProblemResponse(NotWired());
  auto body = ex.Body(/*allow_empty=*/true);
  if (!body.ok()) return ProblemResponse(body.status());
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  auto invited = users->Reinvite(ex.ctx(), ex.Param("id"));
  if (!invited.ok()) return ProblemResponse(invited.status());
  return JsonResponse(201, InvitationJson(*invited));
}

Response ListUsers(Exchange& ex) {
  app::StaffUsers* users = ex.api().users;
  if (users == nullptr) return ProblemResponse(NotWired());
  auto list = users->List(ex.ctx());
  if (!list.ok()) return ProblemResponse(list.status());
  json::array data;
  for (const auto& u : *list) data.push_back(UserJson(u));
  return JsonResponse(200, ListJson(std::move(data)));
}

Response GetUser(Exchange& ex) {
  app::StaffUsers* users = ex.api().users;
  if (users == nullptr) return ProblemResponse(NotWired());
  auto user = users->Get(ex.ctx(), ex.Param("id"));
  if (!user.ok()) return ProblemResponse(user.status());
  return JsonResponse(200, UserJson(*user));
}

Response UpdateUser(Exchange& ex) {
  app::StaffUsers* users = ex.api().users;
  if (users == nullptr) return ProblemResponse(NotWired());
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  // The one field a user's record takes after the invitation: its team (null takes it out;
  // an empty body changes nothing and says so).
  if (!body->Has("team")) {
    return ProblemResponse(
        Status::Invalid("team", "Give 'team': a team, or null for none.", "missing_field"));
  }
  std::optional<std::string> team = body->String("team", 64);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  auto user = users->SetTeam(ex.ctx(), ex.Param("id"), team.value_or(""));
  if (!user.ok()) return ProblemResponse(user.status());
  return JsonResponse(200, UserJson(*user));
}

Response ListTeams(Exchange& ex) {
  app::StaffUsers* users = ex.api().users;
  if (users == nullptr) return ProblemResponse(NotWired());
  auto teams = users->Teams(ex.ctx());
  if (!teams.ok()) return ProblemResponse(teams.status());
  json::array data;
  for (const app::TeamSize& t : *teams) {
    data.push_back({{"object", "team"}, {"team", t.team}, {"members", t.members}});
  }
  return JsonResponse(200, ListJson(std::move(data)));
}

Response ListStaff(Exchange& ex) {
  app::StaffUsers* users = ex.api().users;
  if (users == nullptr) return ProblemResponse(NotWired());
  auto staff = users->Directory(ex.ctx());
  if (!staff.ok()) return ProblemResponse(staff.status());
  json::array data;
  for (const domain::StaffUser& u : *staff) {
    data.push_back({{"object", "staff_member"},
                    {"id", u.id},
                    {"name", u.name},
                    {"role", domain::Name(u.role)},
                    {"team", u.team.empty() ? json::value(nullptr) : json::value(u.team)}});
  }
  return JsonResponse(200, ListJson(std::move(data)));
}

Response DisableUser(Exchange& ex) {
  app::StaffUsers* users = ex.api().users;
  if (users == nullptr) return ProblemResponse(NotWired());
  auto body = ex.Body(/*allow_empty=*/true);
  if (!body.ok()) return ProblemResponse(body.status());
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  auto user = users->Disable(ex.ctx(), ex.Param("id"));
  if (!user.ok()) return ProblemResponse(user.status());
  return JsonResponse(200, UserJson(*user));
}

}  // namespace sb::http::handlers::people
