#include "crypto/totp.h"

#include <gtest/gtest.h>

#include "crypto/password.h"

namespace sb::crypto {
namespace {

// RFC 6238 appendix B: the SHA-1 secret "12345678901234567890" and its 8-digit codes, of
// which the authenticator's 6 digits are the last six.
TEST(Totp, MatchesTheRfc6238TestVectors) {
  const std::string secret = "12345678901234567890";
  struct Vector {
    std::int64_t seconds;
    const char* code;
  };
  for (Vector v : {Vector{59, "287082"}, Vector{1111111109, "081804"}, Vector{1111111111, "050471"},
                   Vector{1234567890, "005924"}, Vector{2000000000, "279037"},
                   Vector{20000000000, "353130"}}) {
    EXPECT_EQ(TotpCode(secret, TotpStep(v.seconds * kMillisPerSecond)), v.code) << v.seconds;
  }
}

TEST(Totp, AcceptsTheNeighbouringStepsOnceEach) {
  const std::string secret = NewTotpSecret();
  const Timestamp now = 1'800'000'000'000;
  const std::int64_t step = TotpStep(now);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, step), now, 0), step);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, step - 1), now, 0), step - 1);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, step + 1), now, 0), step + 1);
  EXPECT_FALSE(MatchTotp(secret, TotpCode(secret, step - 2), now, 0));
  // A code already used (its step recorded) is refused, as is any older one.
  EXPECT_FALSE(MatchTotp(secret, TotpCode(secret, step), now, step));
  EXPECT_FALSE(MatchTotp(secret, TotpCode(secret, step - 1), now, step));
  EXPECT_FALSE(MatchTotp(secret, "12345", now, 0));
  EXPECT_FALSE(MatchTotp(secret, "", now, 0));
}

TEST(Totp, UriCarriesTheSecretInBase32) {
  EXPECT_EQ(Base32("12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(Base32("f"), "MY");
  EXPECT_EQ(Base32("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(OtpauthUri("Demo Telecom", "ana@example.com", "foobar"),
            "otpauth://totp/Demo%20Telecom:ana%40example.com?secret=MZXW6YTBOI"
            "&issuer=Demo%20Telecom&algorithm=SHA1&digits=6&period=30");
}

TEST(Password, Argon2idHashVerifiesOnlyItsPassword) {
  const std::string hash = HashPassword("correct horse battery staple");
  ASSERT_EQ(hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << hash;
  EXPECT_TRUE(VerifyPassword(hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(hash, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("$argon2i$v=19$m=19456,t=2,p=1$AAAA$AAAA", "x"));
  EXPECT_FALSE(PasswordNeedsRehash(hash));
  // Two hashes of one password differ (fresh salt each time).
  EXPECT_NE(HashPassword("correct horse battery staple"), hash);
}

}  // namespace
}  // namespace sb::crypto
