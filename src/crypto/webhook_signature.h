#pragma once

// Webhook signatures in the Standard Webhooks scheme (docs/ARCHITECTURE.md, "Events and webhooks"):
// the headers `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256>`,
// where the HMAC covers "<id>.<timestamp>.<body>". All functions are pure and thread-safe.

#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"

namespace sb::crypto {

// The raw key bytes of a secret written "whsec_<base64>" (the prefix is optional, as in
// the reference libraries). Empty or undecodable secrets are kInvalidArgument (param
// "secret").
Result<std::string> DecodeWebhookSecret(std::string_view secret);

// The `webhook-signature` value for a delivery: "v1,<base64 HMAC-SHA256(secret,
// id.ts.body)>". `secret` is the raw key bytes; `ts_seconds` is seconds since the epoch.
std::string SignWebhook(std::string_view secret, std::string_view id, Timestamp ts_seconds,
                        std::string_view body);

// Checks a received delivery. `signature_header` is a space-separated list of
// "<version>,<signature>" entries; the delivery passes when any v1 entry matches (compared
// in constant time; other versions are ignored). Failures:
// - an empty id, or a header that is not well formed: kInvalidArgument, param naming the
//   header ("webhook-id", "webhook-timestamp", "webhook-signature");
// - a timestamp more than `tolerance_seconds` before or after `now_seconds`:
//   kUnauthenticated, reason "timestamp_out_of_tolerance", param "webhook-timestamp";
// - no matching signature: kUnauthenticated, reason "bad_signature", param
//   "webhook-signature".
Status VerifyWebhook(std::string_view secret, std::string_view id,
                     std::string_view timestamp_header, std::string_view signature_header,
                     std::string_view body, Timestamp now_seconds, int tolerance_seconds = 300);

}  // namespace sb::crypto
