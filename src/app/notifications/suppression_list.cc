#include "app/notifications/suppression_list.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "crypto/crypto.h"

namespace sb::app {
namespace {

constexpr const char* kKeyPurpose = "notification_suppression";

std::string SuppressionSealPurpose(const std::string& tenant_id) {
  return std::string(kKeyPurpose) + ":" + tenant_id;
}

// Addresses compare without case and surrounding space: "Ann@X.org " bounced is "ann@x.org".
std::string Normalised(std::string_view address) {
  size_t b = address.find_first_not_of(" \t");
  size_t e = address.find_last_not_of(" \t");
  std::string out(b == std::string_view::npos ? std::string_view() : address.substr(b, e - b + 1));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The tenant's raw key; nullopt when it has none and `create` is false.
Result<std::optional<std::string>> Key(domain::Tx& tx, const Keyring& keyring,
                                       const std::string& tenant_id, bool create, Timestamp now) {
  auto row = tx.GetTenantSecret(tenant_id, kKeyPurpose);
  if (row.ok()) {
    SB_ASSIGN_OR_RETURN(std::string raw, keyring.UnwrapSecret(row->secret_sealed,
                                                              SuppressionSealPurpose(tenant_id)));
    return std::optional<std::string>(std::move(raw));
  }
  if (row.status().code() != Code::kNotFound) return row.status();
  if (!create) return std::optional<std::string>();
  std::string raw = crypto::RandomBytes(32);
  SB_RETURN_IF_ERROR(tx.UpsertTenantSecret(
      {tenant_id, kKeyPurpose, keyring.WrapSecret(raw, SuppressionSealPurpose(tenant_id)), now}));
  return std::optional<std::string>(std::move(raw));
}

std::string Hash(const std::string& key, std::string_view address) {
  return crypto::Hex(crypto::HmacSha256(key, Normalised(address)));
}

}  // namespace

Result<bool> IsSuppressedAddress(domain::Tx& tx, const Keyring& keyring,
                                 const std::string& tenant_id, std::string_view address) {
  SB_ASSIGN_OR_RETURN(auto key, Key(tx, keyring, tenant_id, /*create=*/false, 0));
  if (!key) return false;
  return tx.IsSuppressed(tenant_id, Hash(*key, address));
}

Status SuppressAddress(domain::Tx& tx, const Keyring& keyring, const std::string& tenant_id,
                       std::string_view address, const std::string& message_id, Timestamp now) {
  SB_ASSIGN_OR_RETURN(auto key, Key(tx, keyring, tenant_id, /*create=*/true, now));
  return tx.InsertSuppression(tenant_id, Hash(*key, address), message_id, now);
}

}  // namespace sb::app
