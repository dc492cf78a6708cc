// libFuzzer target: an inbound event delivery as EventUseCases::Receive checks it before any
// transaction (app/events/event_envelope.h): the Standard Webhooks signature
// (crypto/webhook_signature.h), the envelope and the event's data (app/events/event_data.h).
//
// Input layout: one mode byte, then
// - mode bit 0 set: the body; the target signs it with the test secret at "now", so the
//   fuzzer gets past the signature to the envelope and data readers;
// - mode bit 0 clear: "<webhook-timestamp>\n<webhook-signature>\n<body>", the headers as
//   sent, so the header parsing and the signature comparison are fuzzed too.
// Mode bit 1 leaves the webhook-id empty.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "app/events/event_envelope.h"
#include "crypto/webhook_signature.h"

namespace {

constexpr std::string_view kSecret = "fuzz-secret-32-bytes-long-000000";
constexpr sb::Timestamp kNowMillis = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

// The next line of `in` (without its '\n'), consumed; all of `in` when there is no '\n'.
std::string_view NextLine(std::string_view& in) {
  std::size_t end = in.find('\n');
  std::string_view line = in.substr(0, end);
  in.remove_prefix(end == std::string_view::npos ? in.size() : end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::uint8_t mode = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  sb::app::EventHeaders headers;
  headers.webhook_id = (mode & 2) ? "" : "msg_fuzz";
  std::string body;
  if (mode & 1) {
    body = std::string(rest);
    sb::Timestamp ts = kNowMillis / sb::kMillisPerSecond;
    headers.webhook_timestamp = std::to_string(ts);
    headers.webhook_signature = sb::crypto::SignWebhook(kSecret, headers.webhook_id, ts, body);
  } else {
    headers.webhook_timestamp = std::string(NextLine(rest));
    headers.webhook_signature = std::string(NextLine(rest));
    body = std::string(rest);
  }
  (void)sb::app::events::CheckEvent(kSecret, headers, body, "ten_fuzz", kNowMillis);
  return 0;
}
