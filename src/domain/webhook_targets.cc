#include "domain/webhook_targets.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>
#include <cstring>
#include <initializer_list>

namespace sb::domain {
namespace {

namespace ip = boost::asio::ip;
namespace urls = boost::urls;

Status BadUrl(const std::string& why) {
  return Status::Invalid("url", "url " + why + ".", "invalid_url");
}

// Characters RFC 3986 never allows unencoded in a URL, beyond controls and space: refused
// before parsing so that no parser differential between Boost.URL and libcurl can matter.
bool Unsafe(char c) {
  return c <= 0x20 || c >= 0x7f || std::string_view("\"<>\\^`{|}").find(c) != std::string::npos;
}

// A DNS name: dot-separated labels of 1-63 letters, digits and '-', 253 characters at most.
// Refuses what RFC 3986 allows in a reg-name but resolvers read differently (percent-encoding,
// '_', empty labels, a trailing dot).
bool ValidHostname(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t label = 0;
  for (char c : host) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if ((std::isalnum(static_cast<unsigned char>(c)) || c == '-') && ++label <= 63) {
      continue;
    } else {
      return false;
    }
  }
  return label > 0;
}

bool ValidPort(std::string_view port, std::uint16_t& out) {
  if (port.empty() || port.size() > 5) return false;
  int value = 0;
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 65535) return false;
  out = static_cast<std::uint16_t>(value);
  return true;
}

// Fills `out.host` from the parsed authority.
Status ReadHost(const urls::url_view& u, WebhookUrl& out) {
  switch (u.host_type()) {
    case urls::host_type::ipv4:
      out.host = ip::address_v4(u.host_ipv4_address().to_uint()).to_string();
      out.host_is_ip = true;
      return Status::Ok();
    case urls::host_type::ipv6:
      out.host = ip::address_v6(u.host_ipv6_address().to_bytes()).to_string();
      out.host_is_ip = true;
      return Status::Ok();
    case urls::host_type::name: {
      std::string host(u.encoded_host().data(), u.encoded_host().size());
      if (!ValidHostname(host)) return BadUrl("must name a host");
      std::transform(host.begin(), host.end(), host.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      out.host = std::move(host);
      return Status::Ok();
    }
    default:
      return BadUrl("must name a host");
  }
}

struct V4Range {
  std::uint32_t base;
  int bits;
};

// IANA IPv4 special-purpose registry, and the multicast and reserved blocks.
constexpr V4Range kRefusedV4[] = {
    {0x00000000, 8},   // 0.0.0.0/8 "this network", unspecified
    {0x0A000000, 8},   // 10/8 private
    {0x64400000, 10},  // 100.64/10 shared address space (CGNAT)
    {0x7F000000, 8},   // 127/8 loopback
    {0xA9FE0000, 16},  // 169.254/16 link-local, cloud metadata
    {0xAC100000, 12},  // 172.16/12 private
    {0xC0000000, 24},  // 192.0.0/24 IETF protocol assignments
    {0xC0000200, 24},  // 192.0.2/24 documentation
    {0xC01FC400, 24},  // 192.31.196/24 AS112
    {0xC034C100, 24},  // 192.52.193/24 AMT
    {0xC0586300, 24},  // 192.88.99/24 6to4 relay anycast
    {0xC0A80000, 16},  // 192.168/16 private
    {0xC0AF3000, 24},  // 192.175.48/24 direct delegation AS112
    {0xC6120000, 15},  // 198.18/15 benchmarking
    {0xC6336400, 24},  // 198.51.100/24 documentation
    {0xCB007100, 24},  // 203.0.113/24 documentation
    {0xE0000000, 4},   // 224/4 multicast
    {0xF0000000, 4},   // 240/4 reserved, broadcast
};

bool IsPublicV4(const ip::address_v4& a) {
  std::uint32_t v = a.to_uint();
  return std::none_of(std::begin(kRefusedV4), std::end(kRefusedV4), [v](const V4Range& r) {
    std::uint32_t mask = r.bits == 0 ? 0 : ~std::uint32_t{0} << (32 - r.bits);
    return (v & mask) == r.base;
  });
}

using V6Bytes = ip::address_v6::bytes_type;

// Whether the first `bits` bits of `b` are those of `prefix` (missing bytes are zeros).
bool HasPrefix(const V6Bytes& b, std::initializer_list<unsigned char> prefix, int bits) {
  auto want = [&](std::size_t i) -> unsigned char {
    return i < prefix.size() ? *(prefix.begin() + i) : 0;
  };
  std::size_t whole = static_cast<std::size_t>(bits / 8);
  for (std::size_t i = 0; i < whole; ++i) {
    if (b[i] != want(i)) return false;
  }
  int rest = bits % 8;
  if (rest == 0) return true;
  auto mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (b[whole] & mask) == (want(whole) & mask);
}

bool IsPublicV6(const ip::address_v6& a) {
  if (a.is_v4_mapped()) return IsPublicV4(ip::make_address_v4(ip::v4_mapped, a));
  V6Bytes b = a.to_bytes();
  // NAT64 well-known prefix: reaches the IPv4 address in the last 32 bits.
  if (HasPrefix(b, {0x00, 0x64, 0xff, 0x9b}, 96)) {
    return IsPublicV4(ip::address_v4(ip::address_v4::bytes_type{b[12], b[13], b[14], b[15]}));
  }
  if (!HasPrefix(b, {0x20}, 3)) return false;            // only global unicast 2000::/3
  return !HasPrefix(b, {0x20, 0x01, 0x00, 0x00}, 23) &&  // IETF protocol assignments, Teredo
         !HasPrefix(b, {0x20, 0x01, 0x0d, 0xb8}, 32) &&  // documentation
         !HasPrefix(b, {0x20, 0x02}, 16) &&              // 6to4: an IPv4 address inside
         !HasPrefix(b, {0x3f, 0xff}, 20);                // documentation
}

}  // namespace

Result<WebhookUrl> ParseWebhookUrl(std::string_view url) {
  if (url.empty()) return BadUrl("is required");
  if (url.size() > kMaxWebhookUrlLength) return BadUrl("is too long");
  if (std::any_of(url.begin(), url.end(), Unsafe)) {
    return BadUrl("must not contain spaces, control characters or unencoded delimiters");
  }
  auto parsed = urls::parse_absolute_uri(url);
  if (!parsed) return BadUrl("must be an absolute http:// or https:// URL");
  const urls::url_view& u = *parsed;
  WebhookUrl out;
  if (u.scheme_id() == urls::scheme::https) {
    out.https = true;
  } else if (u.scheme_id() != urls::scheme::http) {
    return BadUrl("must be an absolute http:// or https:// URL");
  }
  if (!u.has_authority()) return BadUrl("must name a host");
  // Boost.URL 1.81 reads "host:80a" as port 80: require that it took the whole authority.
  std::string_view rest = url.substr(url.find("://") + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority != std::string_view(u.encoded_authority().data(), u.encoded_authority().size())) {
    return BadUrl("has a malformed host or port");
  }
  if (u.has_userinfo()) return BadUrl("must not carry a user name or password");
  if (u.has_fragment()) return BadUrl("must not have a fragment");
  SB_RETURN_IF_ERROR(ReadHost(u, out));
  if (u.has_port() && !ValidPort(std::string_view(u.port().data(), u.port().size()), out.port)) {
    return BadUrl("has a port outside 1-65535");
  }
  return out;
}

Status ValidateWebhookUrl(std::string_view url, const WebhookTargetRules& rules) {
  SB_ASSIGN_OR_RETURN(WebhookUrl parsed, ParseWebhookUrl(url));
  if (rules.allow_private_targets) return Status::Ok();
  if (!parsed.https) return BadUrl("must be https://");
  boost::system::error_code ec;
  if (parsed.host_is_ip && !IsPublicAddress(ip::make_address(parsed.host, ec))) {
    return TargetNotAllowed();
  }
  return Status::Ok();
}

bool IsPublicAddress(const ip::address& address) {
  return address.is_v4() ? IsPublicV4(address.to_v4()) : IsPublicV6(address.to_v6());
}

bool IsPublicSocketAddress(const sockaddr* address) {
  if (address == nullptr) return false;
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    return IsPublicV4(ip::address_v4(ntohl(in->sin_addr.s_addr)));
  }
  if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    V6Bytes bytes;
    std::memcpy(bytes.data(), in6->sin6_addr.s6_addr, bytes.size());
    return IsPublicV6(ip::address_v6(bytes));
  }
  return false;
}

Status TargetNotAllowed() {
  return Status::Invalid("url",
                         "url must name a host that resolves only to public internet addresses.",
                         "target_not_allowed");
}

}  // namespace sb::domain
