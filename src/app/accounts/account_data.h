#pragma once

// An account's personal data: the profile sealed under the account's data key
// (app/core/keyring.h), its JSON form, and the API view of an account with it opened.

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "app/accounts/accounts.h"
#include "app/core/keyring.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// The API view of an account, with the profile opened by the keyring.
Result<AccountView> BuildView(domain::Tx& tx, const Keyring& keyring, domain::Account account,
                              std::vector<domain::Service> services,
                              const std::vector<domain::Hold>& holds);
Result<AccountView> LoadView(domain::Tx& tx, const Keyring& keyring, const std::string& tenant_id,
                             const std::string& account_id);

// Profile <-> JSON text (the sealed plaintext). ProfileFromJson reads missing or mistyped
// fields as their defaults, so profiles sealed before a field existed still open.
std::string ProfileToJson(const domain::Profile& p);
domain::Profile ProfileFromJson(const std::string& text);

// The text field of the profile named `field` ("name", "email", "phone", "address",
// "billing_address"); null for any other name.
const std::string* ProfileField(const domain::Profile& p, std::string_view field);

// The named text fields of `p` (see ProfileField, and "notification_preferences" as its JSON)
// for an audit entry, each as "sealed:<base64>" under the account's data key: the log never
// holds them in clear, and erasing the key erases them there too. kInternal for any other name.
Result<boost::json::object> SealedProfileFields(domain::Tx& tx, const Keyring& keyring,
                                                const std::string& tenant_id,
                                                const std::string& account_id,
                                                const domain::Profile& p,
                                                const std::vector<std::string>& fields);

// Opens data sealed for the account (Keyring::OpenFor). kConflict "personal_data_erased"
// when the account's data key was destroyed.
Result<std::string> OpenAccountData(domain::Tx& tx, const Keyring& keyring,
                                    const domain::Account& account, std::string_view sealed);

// The account's profile, opened by the keyring. kConflict "personal_data_erased" when the
// account's data key was destroyed.
Result<domain::Profile> OpenProfile(domain::Tx& tx, const Keyring& keyring,
                                    const domain::Account& account);

// Least privilege on reads: whether `actor` reads personal data in clear. The people who
// serve the customer (agent, supervisor, admin keys) and the server itself do; the auditor
// and client systems' machine keys (system role) see it masked (MaskProfile), enough to tell
// records apart but not to contact or impersonate the customer.
bool ReadsPersonalData(const domain::Actor& actor);

// `p` with every personal field masked: names to their initials ("J*** D***"), emails to
// "j***@e***.com", phones to their last 2 digits ("***23"), addresses to "***", the payment
// token and expiry dropped (brand and last4 kept), authorized users' names and emails masked.
// Empty fields stay empty. Notification preferences are kept: they neither reach nor identify
// the customer, and whether consent was given is what an auditor checks.
domain::Profile MaskProfile(const domain::Profile& p);

// Masks v's profile unless ReadsPersonalData(actor) or the actor is the account's own
// customer (the portal).
void MaskForReader(AccountView& v, const domain::Actor& actor);

}  // namespace sb::app
