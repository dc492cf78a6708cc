#pragma once

// What the assistant says (docs/ASSISTANT.md): short plain sentences in en and fr, kept here
// as a code table rather than tenant templates, since they are the assistant's own words and
// carry no message a tenant brands. No sentence ever holds a code,
// a contact or a name: only amounts, request types and references. Pure and thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/assistant.h"
#include "domain/model.h"

namespace sb::app::replies {

// The sentence `key` in `locale` ("en" when it has none). Keys: greeting, ask_account,
// ask_account_again, code_sent, wrong_code, identified, not_understood, ask_code, ask_choice,
// ask_yes_no, declined, fault_open, verification_missing, under_review, approval_needed,
// nothing_blocks, not_applicable, handover_request, handover_reference, requests_open.
std::string Say(std::string_view locale, std::string_view key);

// "An amount of 45.00 EUR is due on your account." (fr: "45,00 EUR").
std::string AmountDue(std::string_view locale, std::int64_t minor, const std::string& currency);
// "Your account is suspended."
std::string AccountIs(std::string_view locale, domain::AccountStatus status);
// "Do you want me to file a reconnection request?"
std::string Offer(std::string_view locale, domain::RequestType type);
// "Your reconnection request is filed. Its reference is req_... It will go ahead as soon as
// the amount due is paid."
std::string Filed(std::string_view locale, const domain::Request& r);
// The label of an option ("Reconnect my service").
std::string OptionLabel(std::string_view locale, domain::Intent intent);
// `text` with `{reference}` replaced.
std::string WithReference(std::string text, const std::string& reference);

}  // namespace sb::app::replies
