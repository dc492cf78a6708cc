// What an attacker notices against a running server: failed authentications are limited
// per source address (without a database read once over the limit), forged events neither
// spend a tenant's event budget nor block its real events, and policy packs that would
// take memory without bound, repeat keys, carry extra documents, invalid UTF-8 or numbers
// that overflow are refused with 400 naming the line, storing nothing.
//
// Each test runs a server of its own: the failures it provokes must not count against the
// address the other tests call from.

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <string>

#include "crypto/webhook_signature.h"
#include "tests/support/sla_fixture.h"

namespace sb::testing {
namespace {

// 127.0.0.0/8 is all loopback on Linux: a second source address for the same server.
constexpr const char* kOtherAddress = "127.0.0.2";
// limits.auth_failures_per_minute by default.
constexpr int kFailuresAllowed = 30;

// One request to 127.0.0.1:port sent from `source`.
HttpResponse SendFrom(const std::string& source, int port, const std::string& method,
                      const std::string& target, const std::string& body, const Headers& headers) {
  namespace asio = boost::asio;
  namespace bhttp = boost::beast::http;
  using tcp = asio::ip::tcp;
  HttpResponse out;
  try {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.open(tcp::v4());
    socket.bind(tcp::endpoint(asio::ip::make_address(source), 0));
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    bhttp::write(socket, req);
    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(socket, buffer, res);
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(f.value());
    }
    out.body = res.body();
  } catch (const std::exception& e) {
    out.body = e.what();
  }
  return out;
}

class AbuseLimits : public OwnServer {
 protected:
  HttpResponse From(const std::string& source, const std::string& key, const std::string& method,
                    const std::string& target, const std::string& body = "", Headers headers = {}) {
    if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
    return SendFrom(source, server().port(), method, target, body, headers);
  }

  // The current policy pack's version, and its text.
  std::string PackVersion() { return Str(Call("GET", "/v1/policy-pack").Json(), "version"); }
  std::string PackText() { return Str(Call("GET", "/v1/policy-pack").Json(), "yaml"); }

  HttpResponse SendPack(const std::string& yaml, const std::string& method = "PUT",
                        const std::string& target = "/v1/policy-pack") {
    return Call(method, target, yaml, {{"Content-Type", "application/yaml"}});
  }
};

TEST_P(AbuseLimits, FailedKeysAreLimitedPerSourceAddress) {
  for (int i = 0; i < kFailuresAllowed; ++i) {
    ASSERT_EQ(CallAs("sb_guessed_key_" + std::to_string(i), "GET", "/v1/accounts").status, 401);
  }
  HttpResponse refused = CallAs("sb_guessed_key_again", "GET", "/v1/accounts");
  ExpectProblem(refused, 429, "", "too_many_failures");
  EXPECT_GE(std::stoi(refused.Header("Retry-After").empty() ? "0" : refused.Header("Retry-After")),
            1);
  // The address is refused before any lookup, whatever key it sends.
  ExpectProblem(Call("GET", "/v1/accounts"), 429, "", "too_many_failures");
  // Another address is not held back by this one's failures.
  EXPECT_EQ(From(kOtherAddress, key_, "GET", "/v1/accounts").status, 200);
  EXPECT_EQ(From(kOtherAddress, "sb_one_wrong_key", "GET", "/v1/accounts").status, 401);
}

TEST_P(AbuseLimits, ForgedEventsDoNotBlockTheTenantsRealEvents) {
  std::string secret = server().RunCli({"events", "secret", "--tenant", tenant_});
  ASSERT_EQ(secret.rfind("whsec_", 0), 0u) << secret;
  std::string id = SuspendedAccount();
  auto body = [&](const std::string& event_id) {
    return boost::json::serialize(boost::json::object{
        {"id", event_id},
        {"type", "payment.received"},
        {"data", {{"account_id", id}, {"amount_minor", 4599}, {"currency", "EUR"}}}});
  };
  // Unsigned and wrongly signed posts from one address: refused, then the address is.
  Headers forged{{"webhook-id", "msg_forged"},
                 {"webhook-timestamp", std::to_string(ServerNowSeconds())},
                 {"webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}};
  int unauthenticated = 0, limited = 0;
  // Every third goes to a made-up tenant: those are failures of the address too.
  for (int i = 0; i < kFailuresAllowed + 20; ++i) {
    std::string to = i % 3 == 2 ? "ten_made_up_" + std::to_string(i) : tenant_;
    HttpResponse r = From(kOtherAddress, "", "POST", "/v1/events/" + to,
                          body("evt_forged_" + std::to_string(i)), i % 2 ? forged : Headers{});
    unauthenticated += r.status == 401;
    limited += r.status == 429;
  }
  EXPECT_EQ(unauthenticated, kFailuresAllowed);
  EXPECT_EQ(limited, 20);

  // The client system's real, signed event still goes through.
  std::string key = crypto::DecodeWebhookSecret(secret).value();
  Timestamp ts = ServerNowSeconds();
  std::string real = body("evt_real");
  HttpResponse ok = CallAs("", "POST", "/v1/events/" + tenant_, real,
                           {{"webhook-id", "msg_real"},
                            {"webhook-timestamp", std::to_string(ts)},
                            {"webhook-signature", crypto::SignWebhook(key, "msg_real", ts, real)}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Str(ok.Json(), "outcome"), "reconnected");
}

TEST_P(AbuseLimits, OversizedAndBombPacksAreRefusedBeforeParsing) {
  std::string before = PackVersion();
  // A 1 MB list of integers, as in the reported attack.
  std::string big = "version: \"big\"\nlist: [";
  while (big.size() < 1000000) big += "1, ";
  big += "1]\n";
  for (const char* target : {"/v1/policy-pack/validate", "/v1/policy-pack"}) {
    const char* method = std::string(target) == "/v1/policy-pack" ? "PUT" : "POST";
    HttpResponse r = SendPack(big, method, target);
    ExpectProblem(r, 400, "policy", "pack_too_large");
    EXPECT_NE(Str(r.Json(), "detail").find("262144 bytes"), std::string::npos) << r.body;
  }
  std::string bomb = "version: \"bomb\"\na: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'g'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + static_cast<char>(c - 1);
    bomb += "]\n";
  }
  ExpectProblem(SendPack(bomb), 400, "policy", "too_many_nodes");
  EXPECT_EQ(PackVersion(), before);
}

TEST_P(AbuseLimits, PacksWithRepeatedKeysExtraDocumentsBadBytesOrHugeNumbersAreRefused) {
  std::string before = PackVersion();
  std::string pack = PackText();
  auto with = [&](const std::string& find, const std::string& replace) {
    std::string text = pack;
    size_t at = text.find(find);
    EXPECT_NE(at, std::string::npos) << find;
    if (at != std::string::npos) text.replace(at, find.size(), replace);
    return text;
  };
  struct Case {
    std::string text;
    std::string param;
    std::string code;
    std::string line_of;
  } cases[] = {
      {with("    fee_minor: 1500\n", "    fee_minor: 1500\n    fee_minor: 0\n"),
       "requests.reactivation.fee_minor", "duplicate_key", "    fee_minor: 0\n"},
      {pack + "---\nversion: \"2026.10\"\n", "policy", "multiple_documents",
       "---\nversion: \"2026.10\""},
      {with("version: \"2026.1\"", "version: \"2026.9\xff\""), "policy", "invalid_utf8",
       "version: \"2026.9"},
      {with("    fee_minor: 1500\n", "    fee_minor: 0x7fffffffffffffff\n"),
       "requests.reactivation.fee_minor", "invalid", "    fee_minor: 0x7f"},
      {with("max_age_minutes: 43200  # 30 days", "max_age_minutes: 0x7fffffffffffffff"),
       "requests.reactivation.checks[0].max_age_minutes", "invalid", "max_age_minutes: 0x7f"},
  };
  for (const Case& c : cases) {
    HttpResponse r = SendPack(c.text);
    ExpectProblem(r, 400, c.param, c.code);
    size_t at = c.text.find(c.line_of);
    ASSERT_NE(at, std::string::npos) << c.code;
    int line = 1 + static_cast<int>(std::count(c.text.begin(), c.text.begin() + at, '\n'));
    EXPECT_EQ(Str(r.Json(), "detail").rfind("line " + std::to_string(line) + ":", 0), 0u)
        << c.code << ": " << r.body;
  }
  EXPECT_EQ(PackVersion(), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, AbuseLimits, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
