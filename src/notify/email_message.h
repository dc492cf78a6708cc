#pragma once

// The MIME text of one email (RFC 5322 / RFC 2045-2047), built from a rendered notification
// and the tenant's email settings. Pure and deterministic: the same outbox message gives the
// same bytes on every retry but for the Date, so that the Message-ID a receiver deduplicates
// on never changes (docs/DESIGN-NOTES.md, "At least once, and the Message-ID").

#include <string>
#include <string_view>

#include "common/time.h"

namespace sb::notify {

struct EmailParts {
  std::string from_address;  // REQUIRES: app::IsEmailAddress
  std::string from_name;     // may be empty, may be UTF-8
  std::string reply_to;      // may be empty
  std::string to;            // REQUIRES: app::IsEmailAddress
  std::string subject;       // UTF-8
  std::string text;          // UTF-8
  std::string html;          // UTF-8, already escaped by the renderer; empty: text only
  std::string message_id;    // "<...@...>", MessageIdFor
  Timestamp date_ms = 0;
  // Non-transactional messages: List-Unsubscribe (with List-Unsubscribe-Post, RFC 8058).
  // Empty, or holding anything but printable ASCII without '<' '>': no such header.
  std::string list_unsubscribe_url;
};

// "<msg_...@domain>": the outbox message id at the domain of the sender's address, the same
// on every attempt.
std::string MessageIdFor(std::string_view outbox_id, std::string_view from_address);

// `text` as it may stand in a header: itself when it is printable ASCII, otherwise RFC 2047
// encoded words ("=?UTF-8?B?...?=", each at most 75 characters, folded). Line breaks in
// `text` become spaces, so a value can never start a header of its own.
std::string EncodeHeaderText(std::string_view text);

// The whole message, CRLF line ends: From, Reply-To, To, Subject, Date, Message-ID,
// MIME-Version, the List-Unsubscribe pair when asked, and a multipart/alternative body of a
// text/plain and a text/html part (only text/plain without html), each UTF-8 in base64.
std::string ComposeEmail(const EmailParts& p);

}  // namespace sb::notify
