#include "domain/webhook_targets.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

namespace sb::domain {
namespace {

const WebhookTargetRules kProduction{};
const WebhookTargetRules kPrivateAllowed{.allow_private_targets = true};

TEST(WebhookUrls, AreHttpOrHttpsUrlsWithAHostOnly) {
  struct Case {
    std::string url;
    bool ok;
  };
  const Case cases[] = {
      {"https://hooks.example.com/switchboard", true},
      {"http://127.0.0.1:8080/hook?tenant=a&x=1", true},
      {"HTTPS://Example.COM", true},
      {"https://example.com:443", true},
      {"http://[::1]:9000/in", true},
      {"https://sub-1.example.co.uk/a/b%20c", true},
      {"", false},
      {"example.com/hook", false},
      {"ftp://example.com/hook", false},
      {"file:///etc/passwd", false},
      {"gopher://example.com:25/", false},
      {"https://", false},
      {"https:///path", false},
      {"https:example.com", false},
      {"https://user:pass@example.com/hook", false},
      {"https://token@example.com", false},
      {"https://example.com:0/", false},
      {"https://example.com:65536/", false},
      {"https://example.com:99999/", false},
      {"https://example.com:80a/", false},
      {"https://example.com:8080x/", false},
      {"https://example.com:/", false},
      {"https://exa mple.com/", false},
      {"https://example.com/a b", false},
      {"https://example.com/#frag", false},
      {"https://example..com/", false},
      {"https://.example.com/", false},
      {"https://example.com./", false},
      {"https://exa_mple.com/", false},
      {"https://%31%32%37.0.0.1/", false},  // percent-encoded host
      {"https://[zz::1]/", false},
      {"https://[::1/", false},
      {"https://[fe80::1%25eth0]/", false},  // zone id
      {"https://[v1.x]/", false},            // IPvFuture
      {"https://1.1.1.1\\@127.0.0.1/", false},
      {"https://example.com/\x01", false},
      {"https://example.com/<script>", false},
      {"https://example.com/" + std::string(2048, 'a'), false},
  };
  for (const Case& c : cases) {
    Status s = ValidateWebhookUrl(c.url, kPrivateAllowed);
    EXPECT_EQ(s.ok(), c.ok) << c.url << ": " << s.ToString();
    if (!c.ok) {
      EXPECT_EQ(s.code(), Code::kInvalidArgument) << c.url;
      EXPECT_EQ(s.param(), "url") << c.url;
      EXPECT_EQ(s.reason(), "invalid_url") << c.url;
    }
  }
}

TEST(WebhookUrls, SplitTheHostAsTheTransportReadsIt) {
  auto name = ParseWebhookUrl("https://Hooks.Example.COM:8443/in?x=1");
  ASSERT_TRUE(name.ok()) << name.status().ToString();
  EXPECT_TRUE(name->https);
  EXPECT_EQ(name->host, "hooks.example.com");
  EXPECT_FALSE(name->host_is_ip);
  EXPECT_EQ(name->port, 8443);
  auto v6 = ParseWebhookUrl("http://[::ffff:127.0.0.1]/in");
  ASSERT_TRUE(v6.ok());
  EXPECT_FALSE(v6->https);
  EXPECT_TRUE(v6->host_is_ip);
  EXPECT_EQ(v6->port, 0);
  EXPECT_TRUE(boost::asio::ip::make_address(v6->host).to_v6().is_v4_mapped()) << v6->host;
  // Not IPv4 literals to RFC 3986, so names here: resolving them (as curl would) is the
  // caller's check.
  for (const char* host : {"2130706433", "0x7f000001", "127.1", "017700000001"}) {
    auto numeric = ParseWebhookUrl(std::string("https://") + host + "/");
    ASSERT_TRUE(numeric.ok()) << host;
    EXPECT_FALSE(numeric->host_is_ip) << host;
  }
}

// Production rules: https only, and IP literals must be public.
TEST(WebhookUrls, InProductionAreHttpsToPublicLiteralsOrNames) {
  struct Case {
    const char* url;
    const char* reason;  // nullptr: accepted
  };
  const Case cases[] = {
      {"https://hooks.example.com/in", nullptr},
      {"https://93.184.215.14/in", nullptr},
      {"https://[2606:4700:4700::1111]/in", nullptr},
      {"http://hooks.example.com/in", "invalid_url"},
      {"http://93.184.215.14/in", "invalid_url"},
      {"https://127.0.0.1/in", "target_not_allowed"},
      {"https://[::1]/in", "target_not_allowed"},
      {"https://169.254.169.254/latest/meta-data/", "target_not_allowed"},
      {"https://10.0.0.1/", "target_not_allowed"},
      {"https://[::ffff:169.254.169.254]/", "target_not_allowed"},
      {"https://[::ffff:a9fe:a9fe]/", "target_not_allowed"},
      {"https://[::]/", "target_not_allowed"},
      {"https://0.0.0.0/", "target_not_allowed"},
  };
  for (const Case& c : cases) {
    Status s = ValidateWebhookUrl(c.url, kProduction);
    if (c.reason == nullptr) {
      EXPECT_TRUE(s.ok()) << c.url << ": " << s.ToString();
      continue;
    }
    EXPECT_EQ(s.reason(), c.reason) << c.url << ": " << s.ToString();
    EXPECT_EQ(s.param(), "url") << c.url;
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << c.url;
  }
}

TEST(WebhookTargets, OnlyGlobalUnicastAddressesArePublic) {
  struct Case {
    const char* address;
    bool public_;
  };
  const Case cases[] = {
      {"93.184.215.14", true},
      {"8.8.8.8", true},
      {"1.1.1.1", true},
      {"100.63.255.255", true},
      {"100.128.0.0", true},
      {"172.15.255.255", true},
      {"172.32.0.0", true},
      {"169.253.255.255", true},
      {"223.255.255.255", true},
      {"0.0.0.0", false},
      {"0.1.2.3", false},
      {"10.1.2.3", false},
      {"100.64.0.1", false},
      {"100.127.255.255", false},
      {"127.0.0.1", false},
      {"127.255.255.254", false},
      {"169.254.169.254", false},
      {"172.16.0.1", false},
      {"172.31.255.255", false},
      {"192.0.0.8", false},
      {"192.0.2.1", false},
      {"192.88.99.1", false},
      {"192.168.1.1", false},
      {"198.18.0.1", false},
      {"198.19.255.255", false},
      {"198.51.100.1", false},
      {"203.0.113.1", false},
      {"224.0.0.1", false},
      {"239.255.255.250", false},
      {"240.0.0.1", false},
      {"255.255.255.255", false},
      {"2606:4700:4700::1111", true},
      {"2a00:1450:4001:82b::200e", true},
      {"::", false},
      {"::1", false},
      {"::127.0.0.1", false},  // IPv4-compatible, deprecated
      {"::ffff:127.0.0.1", false},
      {"::ffff:10.0.0.1", false},
      {"::ffff:169.254.169.254", false},
      {"::ffff:93.184.215.14", true},
      {"64:ff9b::7f00:1", false},  // NAT64 of 127.0.0.1
      {"64:ff9b::5db8:d70e", true},
      {"64:ff9b:1::1", false},
      {"100::1", false},
      {"2001::1", false},  // Teredo
      {"2001:db8::1", false},
      {"2002:7f00:1::1", false},  // 6to4
      {"3fff::1", false},
      {"fc00::1", false},
      {"fd12:3456::1", false},
      {"fe80::1", false},
      {"febf::1", false},
      {"fec0::1", false},
      {"ff02::1", false},
      {"ff0e::1", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsPublicAddress(boost::asio::ip::make_address(c.address)), c.public_) << c.address;
  }
}

// The form the resolver and libcurl hand addresses over in.
TEST(WebhookTargets, SocketAddressesFollowTheSameRule) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  inet_pton(AF_INET, "169.254.169.254", &v4.sin_addr);
  EXPECT_FALSE(IsPublicSocketAddress(reinterpret_cast<sockaddr*>(&v4)));
  inet_pton(AF_INET, "93.184.215.14", &v4.sin_addr);
  EXPECT_TRUE(IsPublicSocketAddress(reinterpret_cast<sockaddr*>(&v4)));
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "::ffff:127.0.0.1", &v6.sin6_addr);
  EXPECT_FALSE(IsPublicSocketAddress(reinterpret_cast<sockaddr*>(&v6)));
  inet_pton(AF_INET6, "2606:4700:4700::1111", &v6.sin6_addr);
  EXPECT_TRUE(IsPublicSocketAddress(reinterpret_cast<sockaddr*>(&v6)));
  sockaddr_un local{};
  local.sun_family = AF_UNIX;
  EXPECT_FALSE(IsPublicSocketAddress(reinterpret_cast<sockaddr*>(&local)));
  EXPECT_FALSE(IsPublicSocketAddress(nullptr));
}

TEST(WebhookTargets, AllowingPrivateTargetsAcceptsHttpAndLoopback) {
  EXPECT_TRUE(ValidateWebhookUrl("http://127.0.0.1:8080/hook", kPrivateAllowed).ok());
  EXPECT_TRUE(ValidateWebhookUrl("http://[::1]:8080/hook", kPrivateAllowed).ok());
  EXPECT_FALSE(ValidateWebhookUrl("http://127.0.0.1:8080/hook", kProduction).ok());
}

}  // namespace
}  // namespace sb::domain
