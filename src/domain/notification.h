#pragma once

// A notification to one person, rendered and ready to send: what an `email` or `sms` outbox
// message carries between the moment it is composed (app/notifications/, inside the change's
// transaction) and the moment a channel adapter sends it (notify/). It holds personal data
// (the address, the customer's name in the text), so the outbox keeps it sealed under the
// account's data key (app/notifications/sealed_notification.h): erasing the customer's data
// makes an unsent message unreadable, and it is never sent.

#include <string>

namespace sb::domain {

struct Notification {
  std::string to;       // an email address, or an E.164 phone number ("+33612345678")
  std::string subject;  // email only
  std::string text;     // the plain-text body; for SMS, the whole message
  std::string html;     // email only, HTML-escaped when rendered; may be empty
  // Transactional messages (a request received, a suspension...) go regardless of marketing
  // consent; the others (a reactivation offer) carry List-Unsubscribe and need consent.
  bool transactional = true;
  std::string template_id;  // which template rendered it ("tenant:<key>@v<n>" or "shipped:<key>")
  std::string locale;       // the locale it was rendered in ("en", "fr")
  std::string unsubscribe_url;  // non-transactional messages only; may be empty
};

}  // namespace sb::domain
