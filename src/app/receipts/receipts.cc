#include "app/receipts/receipts.h"

#include <vector>

#include "app/core/keyring.h"
#include "app/policy/policy_cache.h"
#include "crypto/crypto.h"
#include "domain/audit_entry.h"
#include "domain/ports/store.h"

namespace sb::app {

namespace {

constexpr std::string_view kPurpose = "receipt-token/v1";
// 22 base64url characters: 132 bits of the HMAC, beyond any guessing within the failed
// authentication limits of the check's route.
constexpr size_t kMacChars = 22;
// A request's own entries are few; a bound keeps a pathological one from reading without end.
constexpr int kMaxEntryPages = 10;

std::string Mac(const Keyring& keyring, std::string_view tenant_id, std::string_view request_id) {
  std::string data;
  data.append(tenant_id).append("\n").append(request_id);
  return crypto::Base64Url(crypto::HmacSha256(keyring.DerivedKey(kPurpose), data))
      .substr(0, kMacChars);
}

bool RecordsFiling(const domain::AuditEntry& e, const std::string& request_id) {
  return e.subject_type == "request" && e.subject_id == request_id;
}

// The entry that recorded the filing of `r`: the oldest of its own entries. It is written by the
// call that filed it, at r.created_at, so the first read looks at that instant only.
Result<domain::AuditEntry> FilingEntry(domain::Tx& tx, const domain::Request& r) {
  domain::AuditFilter filter;
  filter.request_id = r.id;
  filter.limit = 100;
  filter.created_from = r.created_at;
  filter.created_to = r.created_at + 1;
  std::optional<domain::AuditEntry> oldest;
  for (int page = 0; page < kMaxEntryPages; ++page) {
    SB_ASSIGN_OR_RETURN(auto entries, tx.ListAuditEntries(r.tenant_id, filter));
    for (auto& e : entries.items) {  // newest first
      if (RecordsFiling(e, r.id)) oldest = std::move(e);
    }
    if (!entries.has_more) {
      if (oldest || !filter.created_to) break;
      filter.created_from.reset();  // not at that instant: look at all of the request's entries
      filter.created_to.reset();
      filter.starting_after.clear();
      continue;
    }
    filter.starting_after = entries.next_cursor;
  }
  if (!oldest) return Status::Unprocessable("no_receipt", "the request's filing is not recorded");
  return *std::move(oldest);
}

Result<Receipt> ReadReceipt(domain::Tx& tx, const Keyring& keyring, Timestamp now,
                            const std::string& tenant_id, const std::string& request_id) {
  SB_ASSIGN_OR_RETURN(domain::Request r, tx.GetRequest(tenant_id, request_id));
  if (!HasReceipt(r)) {
    return Status::Unprocessable("no_receipt",
                                 "only a request the customer asked for has a receipt");
  }
  SB_ASSIGN_OR_RETURN(domain::AuditEntry e, FilingEntry(tx, r));
  Receipt out;
  out.tenant_id = tenant_id;
  out.request_id = r.id;
  out.type = r.type;
  out.channel = r.channel;
  out.filed_at = r.created_at;
  out.audit_entry_id = e.id;
  // The leaf depends on the entry alone, so it is known before the sequencer places it.
  out.leaf_hash = e.leaf_hash.empty() ? domain::AuditLeafHash(e) : e.leaf_hash;
  out.token = ReceiptToken(keyring, tenant_id, r.id);
  auto policy = PolicyInForce(tx, tenant_id, now);
  if (policy.ok()) out.url = ReceiptLink(keyring, (*policy)->pack.notify.portal_url, r);
  return out;
}

struct TokenParts {
  std::string tenant_id;
  std::string request_id;
};

std::optional<TokenParts> VerifiedToken(const Keyring& keyring, std::string_view token) {
  size_t first = token.find('.');
  size_t last = token.rfind('.');
  if (first == std::string_view::npos || first == last || first == 0 || last == first + 1) {
    return std::nullopt;
  }
  TokenParts parts{std::string(token.substr(0, first)),
                   std::string(token.substr(first + 1, last - first - 1))};
  std::string_view mac = token.substr(last + 1);
  if (!crypto::ConstantTimeEqual(mac, Mac(keyring, parts.tenant_id, parts.request_id))) {
    return std::nullopt;
  }
  return parts;
}

}  // namespace

bool HasReceipt(const domain::Request& r) { return r.origin == domain::Origin::kVoluntary; }

std::string ReceiptToken(const Keyring& keyring, std::string_view tenant_id,
                         std::string_view request_id) {
  std::string token;
  token.append(tenant_id).append(".").append(request_id).append(".");
  return token + Mac(keyring, tenant_id, request_id);
}

std::string ReceiptLink(const Keyring& keyring, const std::string& portal_url,
                        const domain::Request& r) {
  if (portal_url.empty() || !HasReceipt(r)) return "";
  return portal_url + "#receipt=" + ReceiptToken(keyring, r.tenant_id, r.id);
}

Result<Receipt> Receipts::ForRequest(const std::string& tenant_id,
                                     const std::string& request_id) const {
  Receipt out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out,
                        ReadReceipt(tx, deps_.keyring, deps_.clock.Now(), tenant_id, request_id));
    return Status::Ok();
  }));
  return out;
}

Result<ReceiptCheck> Receipts::Check(std::string_view token) const {
  const Status unknown = Status::Unauthenticated("this is not a receipt of this service");
  std::optional<TokenParts> parts = VerifiedToken(deps_.keyring, token);
  if (!parts) return unknown;
  ReceiptCheck out;
  Status read = deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out.receipt, ReadReceipt(tx, deps_.keyring, deps_.clock.Now(),
                                                 parts->tenant_id, parts->request_id));
    auto cp = tx.LatestCheckpoint(parts->tenant_id);
    if (cp.ok()) out.checkpoint = *std::move(cp);
    return cp.ok() || cp.status().code() == Code::kNotFound ? Status::Ok() : cp.status();
  });
  if (read.code() == Code::kNotFound) return unknown;
  SB_RETURN_IF_ERROR(read);
  out.receipt.token.clear();
  out.receipt.url.clear();
  if (!out.checkpoint) return out;
  auto proof =
      audit_.Inclusion(parts->tenant_id, out.receipt.audit_entry_id, out.checkpoint->tree_size);
  if (!proof.ok()) {
    // Not yet in a signed checkpoint (sequenced after it, or not at all yet): said as pending.
    if (proof.status().code() == Code::kConflict ||
        proof.status().code() == Code::kInvalidArgument) {
      out.checkpoint.reset();
      return out;
    }
    return proof.status();
  }
  SB_ASSIGN_OR_RETURN(domain::ServerKey key, audit_.PublicKey());
  out.proof = *std::move(proof);
  out.public_key = key.public_key;
  return out;
}

}  // namespace sb::app
