#include "notify/email_message.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

#include "crypto/crypto.h"

namespace sb::notify {
namespace {

constexpr const char* kCrlf = "\r\n";

bool IsPlainAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20 && c < 0x7f; });
}

std::string OneLine(std::string_view s) {
  std::string out(s);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return out;
}

// Splits UTF-8 `s` into pieces of at most `max` bytes, never inside a character.
std::vector<std::string> Chunks(std::string_view s, size_t max) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t end = std::min(s.size(), i + max);
    // Back off continuation bytes (10xxxxxx) so that the next piece starts a character.
    while (end < s.size() && end > i + 1 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) {
      --end;
    }
    out.emplace_back(s.substr(i, end - i));
    i = end;
  }
  return out;
}

// Base64 in lines of 76 characters.
std::string Base64Lines(std::string_view data) {
  std::string b64 = crypto::Base64(data);
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76) {
    out += b64.substr(i, 76);
    out += kCrlf;
  }
  return out;
}

std::string Mailbox(std::string_view name, std::string_view address) {
  if (name.empty()) return std::string(address);
  std::string line = OneLine(name);
  std::string shown;
  if (IsPlainAscii(line) && line.find_first_of("\"\\") == std::string::npos) {
    shown = "\"" + line + "\"";
  } else {
    shown = EncodeHeaderText(line);
  }
  return shown + " <" + std::string(address) + ">";
}

std::string Rfc5322Date(Timestamp ms) {
  std::time_t t = static_cast<std::time_t>(ms / kMillisPerSecond);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string Part(const char* type, std::string_view body) {
  std::string out = std::string("Content-Type: ") + type + "; charset=UTF-8" + kCrlf;
  out += std::string("Content-Transfer-Encoding: base64") + kCrlf + kCrlf;
  out += Base64Lines(body);
  return out;
}

bool UsableUnsubscribeUrl(std::string_view url) {
  return !url.empty() && url.size() <= 900 && IsPlainAscii(url) &&
         url.find_first_of("<> ") == std::string_view::npos;
}

}  // namespace

std::string MessageIdFor(std::string_view outbox_id, std::string_view from_address) {
  size_t at = from_address.rfind('@');
  std::string_view domain = at == std::string_view::npos ? std::string_view("switchboard.invalid")
                                                         : from_address.substr(at + 1);
  return "<" + std::string(outbox_id) + "@" + std::string(domain) + ">";
}

std::string EncodeHeaderText(std::string_view text) {
  std::string line = OneLine(text);
  if (IsPlainAscii(line)) return line;
  // 45 bytes give 60 base64 characters: with "=?UTF-8?B?" and "?=" a word stays under 75.
  std::string out;
  for (const std::string& piece : Chunks(line, 45)) {
    if (!out.empty()) out += std::string(kCrlf) + " ";
    out += "=?UTF-8?B?" + crypto::Base64(piece) + "?=";
  }
  return out;
}

std::string ComposeEmail(const EmailParts& p) {
  std::string m;
  m += "From: " + Mailbox(p.from_name, p.from_address) + kCrlf;
  if (!p.reply_to.empty()) m += "Reply-To: " + p.reply_to + kCrlf;
  m += "To: " + p.to + kCrlf;
  m += "Subject: " + EncodeHeaderText(p.subject) + kCrlf;
  m += "Date: " + Rfc5322Date(p.date_ms) + kCrlf;
  m += "Message-ID: " + p.message_id + kCrlf;
  if (UsableUnsubscribeUrl(p.list_unsubscribe_url)) {
    m += "List-Unsubscribe: <" + p.list_unsubscribe_url + ">" + kCrlf;
    m += std::string("List-Unsubscribe-Post: List-Unsubscribe=One-Click") + kCrlf;
  }
  m += std::string("MIME-Version: 1.0") + kCrlf;
  if (p.html.empty()) return m + Part("text/plain", p.text);
  // The boundary comes from the Message-ID so that a retry repeats the same bytes; base64
  // parts can never contain it ('=' and '_' lead it).
  std::string boundary = "=_sb_" + crypto::Hex(crypto::Sha256(p.message_id)).substr(0, 32);
  m += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"" + kCrlf + kCrlf;
  m += "--" + boundary + kCrlf + Part("text/plain", p.text);
  m += "--" + boundary + kCrlf + Part("text/html", p.html);
  m += "--" + boundary + "--" + kCrlf;
  return m;
}

}  // namespace sb::notify
