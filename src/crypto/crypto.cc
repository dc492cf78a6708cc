#include "crypto/crypto.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <cstdio>
#include <mutex>
#include <stdexcept>

namespace sb::crypto {

void Init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
  });
}

namespace {

// The SHA-256 implementation fetched once, and a digest context per thread: the one-call
// SHA256() fetches the algorithm from OpenSSL's provider store (a lock and a reference count)
// on every call, which cost more than hashing a Merkle node.
EVP_MD_CTX* Sha256Context() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct Ctx {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Ctx holder;
  if (md == nullptr || holder.ctx == nullptr || EVP_DigestInit_ex2(holder.ctx, md, nullptr) != 1)
    throw std::runtime_error("OpenSSL SHA-256 is not available");
  return holder.ctx;
}

}  // namespace

std::string Sha256(std::string_view data) { return Sha256({data}); }

std::string Sha256(std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* ctx = Sha256Context();
  for (std::string_view p : parts) EVP_DigestUpdate(ctx, p.data(), p.size());
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()), &len);
  return out;
}

std::optional<std::string> Sha256OfFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return std::nullopt;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1;
  std::string piece(64 * 1024, '\0');
  std::size_t got = 0;
  while (ok && (got = std::fread(piece.data(), 1, piece.size(), f)) > 0) {
    ok = EVP_DigestUpdate(ctx, piece.data(), got) == 1;
  }
  ok = ok && std::ferror(f) == 0;
  std::fclose(f);
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  unsigned int len = 0;
  ok = ok && EVP_DigestFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()), &len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return std::nullopt;
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  Init();
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&st, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  Init();
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Hex(std::string_view bytes) {
  Init();
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

std::optional<std::string> FromHex(std::string_view hex) {
  Init();
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out(hex.size() / 2, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                     hex.size(), nullptr, &len, &end) != 0 ||
      end != hex.data() + hex.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

namespace {
std::string ToB64(std::string_view bytes, int variant) {
  Init();
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.size() - 1);
  return out;
}
}  // namespace

std::string Base64(std::string_view bytes) { return ToB64(bytes, sodium_base64_VARIANT_ORIGINAL); }
std::string Base64Url(std::string_view bytes) {
  return ToB64(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::optional<std::string> FromBase64(std::string_view b64) {
  Init();
  std::string out(b64.size(), '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(),
                        b64.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != b64.data() + b64.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

std::string RandomBytes(size_t n) {
  Init();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string RandomDigits(size_t n) {
  Init();
  std::string out(n, '0');
  for (char& c : out) c = static_cast<char>('0' + randombytes_uniform(10));
  return out;
}

namespace {

using Tail = unsigned __int128;  // the 80-bit part after the time, in its low bits
constexpr Tail kTailLimit = Tail{1} << 80;

// `bits` (at most 80) random bits. Ids take ten bytes at a time from a per-thread block
// filled by the same generator: one system call per 409 ids instead of one per id, which a
// single writer thread making a dozen ids per change would otherwise pay for each.
Tail RandomTail(int bits) {
  constexpr size_t kBlock = 4096;
  thread_local unsigned char block[kBlock];
  thread_local size_t used = kBlock;
  if (used + 10 > kBlock) {
    Init();
    randombytes_buf(block, kBlock);
    used = 0;
  }
  Tail t = 0;
  for (size_t i = 0; i < 10; ++i) t = (t << 8) | block[used + i];
  sodium_memzero(block + used, 10);
  used += 10;
  return t >> (80 - bits);
}

// What this thread made last for one clock reading: the time its caller passed, the time
// part it wrote (later only after the tail ran out within one millisecond) and the tail.
struct LastId {
  bool set = false;
  Timestamp now = 0;
  std::uint64_t time_part = 0;
  Tail tail = 0;
  std::uint64_t used = 0;  // when this slot was last used, in calls on this thread
};

// The slot for `now` among a few recent clock readings of this thread (a transaction that
// makes an id with another reading in between, e.g. a job's due time, keeps its order), or
// the least recently used one, emptied.
LastId& SlotFor(Timestamp now) {
  thread_local LastId slots[4];
  thread_local std::uint64_t calls = 0;
  LastId* oldest = &slots[0];
  for (LastId& s : slots) {
    if (s.set && s.now == now) {
      s.used = ++calls;
      return s;
    }
    if (s.used < oldest->used) oldest = &s;
  }
  *oldest = LastId{};
  oldest->used = ++calls;
  return *oldest;
}

constexpr char kIdAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
// Every card number has at least 13 digits, and an id has no separator inside it: an id
// without 13 digits in a row can never be refused as one (http/card_guard.h) when a client
// sends it back in a path or a body. Without this, about one id in 30,000 had such a run and
// one in 180,000 was refused.
constexpr int kCardDigits = 13;

// The 26 characters of an id: the time part, then the tail.
void EncodeId(std::uint64_t time_part, Tail tail, char (&out)[26]) {
  for (int i = 9; i >= 0; --i) {
    out[i] = kIdAlphabet[time_part & 31];
    time_part >>= 5;
  }
  for (int i = 25; i >= 10; --i) {
    out[i] = kIdAlphabet[static_cast<unsigned>(tail & 31)];
    tail >>= 5;
  }
}

bool HasCardLengthDigitRun(const char (&id)[26]) {
  int run = 0;
  for (char c : id) {
    run = c >= '0' && c <= '9' ? run + 1 : 0;
    if (run >= kCardDigits) return true;
  }
  return false;
}

// The next tail after `last`'s in its millisecond (moving the time part on when the tail's
// bits run out).
void Step(LastId& last) {
  Tail next = last.tail + 1 + RandomTail(64);
  if (next >= kTailLimit) {
    last.time_part += 1;
    next = RandomTail(76);
  }
  last.tail = next;
}

}  // namespace

std::string NewId(std::string_view prefix, Timestamp now) {
  // One transaction runs on one thread with one clock reading, so per-thread state orders its
  // ids without a lock. A new millisecond starts from 76 random bits, leaving room above for
  // the steps; each later id of the same millisecond adds 1 + 64 random bits, so it sorts
  // after the one before and still cannot be guessed from it. If the 80 bits ever run out
  // (tens of thousands of ids in one millisecond) the time part moves one millisecond on.
  // An id that would hold a card number's run of digits is skipped by one more step.
  LastId& last = SlotFor(now);
  if (last.set) {
    Step(last);
  } else {
    last.set = true;
    last.now = now;
    last.time_part = static_cast<std::uint64_t>(now);
    last.tail = RandomTail(76);
  }
  char out[26];
  EncodeId(last.time_part, last.tail, out);
  while (HasCardLengthDigitRun(out)) {
    Step(last);
    EncodeId(last.time_part, last.tail, out);
  }
  std::string id(prefix);
  id += '_';
  id.append(out, 26);
  return id;
}

SigningKeyPair NewSigningKeyPair() {
  Init();
  SigningKeyPair kp;
  kp.public_key.resize(crypto_sign_PUBLICKEYBYTES);
  kp.secret_key.resize(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(kp.public_key.data()),
                      reinterpret_cast<unsigned char*>(kp.secret_key.data()));
  return kp;
}

std::string Sign(std::string_view secret_key, std::string_view message) {
  Init();
  if (secret_key.size() != crypto_sign_SECRETKEYBYTES)
    throw std::invalid_argument("bad Ed25519 secret key size");
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(secret_key.data()));
  return sig;
}

bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature) {
  Init();
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES)
    return false;
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(signature.data()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
             reinterpret_cast<const unsigned char*>(public_key.data())) == 0;
}

std::string NewAeadKey() { return RandomBytes(kAeadKeySize); }

std::string Seal(std::string_view key, std::string_view plaintext, std::string_view ad) {
  Init();
  if (key.size() != kAeadKeySize) throw std::invalid_argument("bad AEAD key size");
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string out(kNonce + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(o, kNonce);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      o + kNonce, &clen, reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
      reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr, o,
      reinterpret_cast<const unsigned char*>(key.data()));
  out.resize(kNonce + clen);
  return out;
}

void Wipe(std::string& secret) {
  if (!secret.empty()) sodium_memzero(secret.data(), secret.size());
  secret.clear();
}

std::optional<std::string> Open(std::string_view key, std::string_view sealed,
                                std::string_view ad) {
  Init();
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (key.size() != kAeadKeySize ||
      sealed.size() < kNonce + crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return std::nullopt;
  std::string out(sealed.size() - kNonce, '\0');
  unsigned long long mlen = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &mlen, nullptr, s + kNonce,
          sealed.size() - kNonce, reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), s,
          reinterpret_cast<const unsigned char*>(key.data())) != 0) {
    return std::nullopt;
  }
  out.resize(mlen);
  return out;
}

}  // namespace sb::crypto
