// Storage contract: staff users, sessions and the sign-in throttle (migration 0016).

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

StaffUser User(const std::string& tenant, const std::string& id, const std::string& email) {
  StaffUser u;
  u.tenant_id = tenant;
  u.id = id;
  u.email = email;
  u.name = "Name of " + id;
  u.role = Role::kSupervisor;
  u.status = UserStatus::kInvited;
  u.totp_secret = std::string("\x00\x01\xfe\xff wrapped", 12);  // binary, NUL included
  u.invitation_hash = "inv-" + id;
  u.invitation_expires_at = kT0 + 100;
  u.created_at = u.updated_at = kT0;
  u.team = "billing-desk";
  return u;
}

Session SessionOf(const std::string& tenant, const std::string& hash, const std::string& user) {
  Session s;
  s.tenant_id = tenant;
  s.id_hash = hash;
  s.subject_type = ActorType::kUser;
  s.subject_id = user;
  s.role = Role::kAgent;
  s.csrf_hash = "csrf-" + hash;
  s.created_at = s.last_seen_at = kT0;
  s.expires_at = kT0 + 1000;
  return s;
}

TEST_P(StoreContract, StaffUsersKeepEveryFieldAndOneEmailPerTenant) {
  AddTenants({"ten_a", "ten_b"});
  StaffUser ana = User("ten_a", "usr_1", "ana@example.com");
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertUser(ana); }));
  // The same email: refused in the same tenant, allowed in another.
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertUser(User("ten_a", "usr_2", ana.email)); }).code(),
            Code::kConflict);
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertUser(User("ten_b", "usr_1", ana.email)); }));

  auto by_invitation = Get([](Tx& tx) { return tx.FindUserByInvitation("ten_a", "inv-usr_1"); });
  SB_ASSERT_OK(by_invitation.status());
  EXPECT_EQ(by_invitation->totp_secret, ana.totp_secret);
  EXPECT_EQ(by_invitation->invitation_expires_at, kT0 + 100);
  EXPECT_EQ(by_invitation->role, Role::kSupervisor);
  EXPECT_EQ(by_invitation->status, UserStatus::kInvited);
  EXPECT_EQ(by_invitation->team, "billing-desk");

  ana.status = UserStatus::kActive;
  ana.password_hash = "$argon2id$...";
  ana.totp_confirmed = true;
  ana.totp_last_step = 42;
  ana.invitation_hash.clear();
  ana.invitation_expires_at.reset();
  ana.updated_at = kT0 + 5;
  ana.team.clear();
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateUser(ana); }));
  auto got = Get([](Tx& tx) { return tx.FindUserByEmail("ten_a", "ana@example.com"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(got->status, UserStatus::kActive);
  EXPECT_EQ(got->password_hash, "$argon2id$...");
  EXPECT_TRUE(got->totp_confirmed);
  EXPECT_EQ(got->totp_last_step, 42);
  EXPECT_TRUE(got->invitation_hash.empty());
  EXPECT_FALSE(got->invitation_expires_at);
  EXPECT_EQ(got->team, "");
  EXPECT_EQ(
      Get([](Tx& tx) { return tx.FindUserByInvitation("ten_a", "inv-usr_1"); }).status().code(),
      Code::kNotFound);
  EXPECT_EQ(Get([](Tx& tx) { return tx.ListUsers("ten_a"); })->size(), 1u);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetUser("ten_a", "usr_9"); }).status().code(),
            Code::kNotFound);
  EXPECT_EQ(
      Write([&](Tx& tx) { return tx.UpdateUser(User("ten_a", "usr_9", "x@example.com")); }).code(),
      Code::kNotFound);
}

TEST_P(StoreContract, SessionsAreRevokedOneByOneOrAllOfASubject) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertSession(SessionOf("ten_a", "h1", "usr_1")));
    SB_RETURN_IF_ERROR(tx.InsertSession(SessionOf("ten_a", "h2", "usr_1")));
    SB_RETURN_IF_ERROR(tx.InsertSession(SessionOf("ten_a", "h3", "usr_2")));
    return tx.InsertSession(SessionOf("ten_b", "h4", "usr_1"));
  }));
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.TouchSession("ten_a", "h1", kT0 + 7); }));
  auto s1 = Get([](Tx& tx) { return tx.GetSession("ten_a", "h1"); });
  SB_ASSERT_OK(s1.status());
  EXPECT_EQ(s1->last_seen_at, kT0 + 7);
  EXPECT_EQ(s1->csrf_hash, "csrf-h1");
  EXPECT_EQ(s1->role, Role::kAgent);
  EXPECT_FALSE(s1->revoked_at);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetSession("ten_b", "h1"); }).status().code(),
            Code::kNotFound);

  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.RevokeSession("ten_a", "h1", kT0 + 8); }));
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetSession("ten_a", "h1"); })->revoked_at, kT0 + 8);
  int revoked = -1;
  SB_ASSERT_OK(Write([&](Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(revoked, tx.RevokeSessionsOf("ten_a", ActorType::kUser, "usr_1", kT0 + 9));
    return Status::Ok();
  }));
  EXPECT_EQ(revoked, 1);  // h2 only: h1 was already revoked, h3 is another user's
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetSession("ten_a", "h1"); })->revoked_at, kT0 + 8);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetSession("ten_a", "h2"); })->revoked_at, kT0 + 9);
  EXPECT_FALSE(Get([](Tx& tx) { return tx.GetSession("ten_a", "h3"); })->revoked_at);
  EXPECT_FALSE(Get([](Tx& tx) { return tx.GetSession("ten_b", "h4"); })->revoked_at);
}

TEST_P(StoreContract, SignInThrottleIsInsertedThenReplaced) {
  AddTenants({"ten_a"});
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetSignInThrottle("ten_a", "k"); }).status().code(),
            Code::kNotFound);
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.PutSignInThrottle({"ten_a", "k", 1, kT0, kT0}); }));
  SB_ASSERT_OK(Write([](Tx& tx) {
    return tx.PutSignInThrottle({"ten_a", "k", 5, kT0 + 30, kT0 + 1});
  }));
  auto t = Get([](Tx& tx) { return tx.GetSignInThrottle("ten_a", "k"); });
  SB_ASSERT_OK(t.status());
  EXPECT_EQ(t->failures, 5);
  EXPECT_EQ(t->locked_until, kT0 + 30);
  EXPECT_EQ(t->updated_at, kT0 + 1);
}

TEST_P(StoreContract, EndedSessionsAndStaleThrottleRowsArePurgedAcrossTenants) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([&](Tx& tx) {
    Session live = SessionOf("ten_a", "live", "usr_1");
    live.last_seen_at = kT0 + 500;
    Session expired = SessionOf("ten_a", "expired", "usr_1");
    expired.expires_at = kT0 + 50;
    Session idle = SessionOf("ten_b", "idle", "usr_2");
    idle.last_seen_at = kT0 + 10;
    Session revoked = SessionOf("ten_b", "revoked", "usr_2");
    revoked.last_seen_at = kT0 + 500;
    revoked.revoked_at = kT0 + 60;
    for (const Session* s : {&live, &expired, &idle, &revoked}) {
      SB_RETURN_IF_ERROR(tx.InsertSession(*s));
    }
    SB_RETURN_IF_ERROR(tx.PutSignInThrottle({"ten_a", "stale", 3, kT0 + 40, kT0 + 40}));
    SB_RETURN_IF_ERROR(tx.PutSignInThrottle({"ten_b", "locked", 9, kT0 + 900, kT0 + 40}));
    return tx.PutSignInThrottle({"ten_b", "recent", 1, kT0, kT0 + 150});
  }));
  std::int64_t purged = -1;
  SB_ASSERT_OK(Write([&](Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(purged, tx.PurgeEndedSessions(kT0 + 100, kT0 + 20));
    return Status::Ok();
  }));
  EXPECT_EQ(purged, 4);  // expired, idle, revoked, and the stale throttle row
  SB_EXPECT_OK(Get([](Tx& tx) { return tx.GetSession("ten_a", "live"); }).status());
  for (const std::pair<const char*, const char*>& gone :
       {std::pair{"ten_a", "expired"}, {"ten_b", "idle"}, {"ten_b", "revoked"}}) {
    EXPECT_EQ(Get([&](Tx& tx) { return tx.GetSession(gone.first, gone.second); }).status().code(),
              Code::kNotFound)
        << gone.second;
  }
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetSignInThrottle("ten_a", "stale"); }).status().code(),
            Code::kNotFound);
  SB_EXPECT_OK(Get([](Tx& tx) { return tx.GetSignInThrottle("ten_b", "locked"); }).status());
  SB_EXPECT_OK(Get([](Tx& tx) { return tx.GetSignInThrottle("ten_b", "recent"); }).status());
}

}  // namespace
}  // namespace sb::testing
