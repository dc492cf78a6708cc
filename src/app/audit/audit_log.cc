#include "app/audit/audit_log.h"

#include <map>
#include <utility>

#include "app/audit/audit_check.h"
#include "app/audit/leaf_order.h"
#include "app/core/keyring.h"
#include "app/rights/erased_views.h"
#include "crypto/crypto.h"
#include "domain/audit_entry.h"
#include "domain/merkle.h"

namespace sb::app {
namespace {

namespace merkle = domain::merkle;

// One signing key per deployment; a fixed id makes two processes racing to create it
// collide on the primary key instead of both succeeding with different keys.
constexpr std::string_view kSigningKeyId = "audit_signing_v1";
constexpr int kSequenceBatch = 1000;

struct SigningKey {
  std::string id;
  std::string secret;
};

merkle::NodeLookup TxLookup(domain::Tx& tx, const std::string& tenant_id) {
  return [&tx, &tenant_id](int level, std::int64_t index) {
    return tx.GetTreeNode(tenant_id, level, index);
  };
}

// The nodes a batch completes, by place, so that later leaves of the batch find them
// without reading back the batch's own writes, which all go to the store at its end.
using FreshNodes = std::map<std::pair<int, std::int64_t>, std::string>;

// True when the tenant's latest checkpoint already covers `size` leaves.
Result<bool> Signed(domain::Tx& tx, const std::string& tenant_id, std::int64_t size) {
  Result<domain::Checkpoint> latest = tx.LatestCheckpoint(tenant_id);
  if (latest.ok()) return latest->tree_size >= size;
  if (latest.status().code() != Code::kNotFound) return latest.status();
  return size == 0;
}

// Gives the next batch of a tenant's pending entries leaf indices, stores the subtrees they
// complete and signs the new size (also when the entries were sequenced as they were
// written, see SequenceInWrite). Sets `sequenced` to how many entries it took.
Status SequenceBatch(domain::Tx& tx, const std::string& tenant_id, const SigningKey& key,
                     Timestamp now, std::int64_t& sequenced) {
  sequenced = 0;
  SB_ASSIGN_OR_RETURN(std::int64_t size, tx.GetLogSize(tenant_id));  // locks the log row
  SB_ASSIGN_OR_RETURN(auto entries, tx.ListUnsequencedAudit(tenant_id, kSequenceBatch));
  if (entries.empty()) {
    SB_ASSIGN_OR_RETURN(bool covered, Signed(tx, tenant_id, size));
    if (covered) return Status::Ok();
  }
  FreshNodes fresh;
  merkle::NodeLookup stored = TxLookup(tx, tenant_id);
  merkle::NodeLookup lookup = [&](int level, std::int64_t index) -> Result<std::string> {
    auto it = fresh.find({level, index});
    if (it != fresh.end()) return it->second;
    return stored(level, index);
  };
  std::vector<domain::AuditLeaf> leaves;
  leaves.reserve(entries.size());
  for (const domain::AuditEntry& e : entries) {
    domain::AuditLeaf leaf{e.id, size, domain::AuditLeafHash(e)};
    SB_ASSIGN_OR_RETURN(auto nodes, merkle::NodesCompletedBy(lookup, size, leaf.leaf_hash));
    for (merkle::TreeNode& n : nodes) fresh[{n.level, n.index}] = std::move(n.hash);
    leaves.push_back(std::move(leaf));
    ++size;
  }
  // The batch's rows in two statements, however many entries it has.
  SB_RETURN_IF_ERROR(tx.SetAuditLeaves(tenant_id, leaves));
  std::vector<merkle::TreeNode> nodes;
  nodes.reserve(fresh.size());
  for (const auto& [place, hash] : fresh) nodes.push_back({place.first, place.second, hash});
  SB_RETURN_IF_ERROR(tx.PutTreeNodes(tenant_id, nodes));
  SB_RETURN_IF_ERROR(tx.SetLogSize(tenant_id, size));
  domain::Checkpoint cp{tenant_id, size, {}, now, key.id, {}};
  SB_ASSIGN_OR_RETURN(cp.root_hash, merkle::RootHash(lookup, size));
  cp.signature = crypto::Sign(key.secret, domain::CheckpointSignedBytes(cp));
  SB_RETURN_IF_ERROR(tx.InsertCheckpoint(cp));
  sequenced = static_cast<std::int64_t>(entries.size());
  return Status::Ok();
}

// Root of the first `size` leaves. Proofs are only served for sizes a signed checkpoint
// covers (and without GetLogSize, which locks and so belongs in write transactions).
// `param` names the query parameter the size came from, for the error.
Result<std::string> RootAt(domain::Tx& tx, const std::string& tenant_id, std::int64_t size,
                           const char* param = "tree_size") {
  if (size > 0) {
    SB_ASSIGN_OR_RETURN(domain::Checkpoint latest, tx.LatestCheckpoint(tenant_id));
    if (size > latest.tree_size) {
      return Status::Invalid(param, "tree size is larger than the latest checkpoint",
                             "tree_too_large");
    }
  }
  return merkle::RootHash(TxLookup(tx, tenant_id), size);
}

// The latest checkpoint's size when `size` is 0.
Result<std::int64_t> ResolveSize(domain::Tx& tx, const std::string& tenant_id, std::int64_t size) {
  if (size < 0) return Status::Invalid("tree_size", "tree size must not be negative");
  if (size > 0) return size;
  SB_ASSIGN_OR_RETURN(domain::Checkpoint cp, tx.LatestCheckpoint(tenant_id));
  return cp.tree_size;
}

// A tenant's log as the database holds it, read in the one read transaction `tx`.
class DatabaseLog : public LogSource {
 public:
  DatabaseLog(domain::Tx& tx, std::string tenant_id)
      : tx_(tx), tenant_id_(std::move(tenant_id)), entries_(StoreEntries(tx, tenant_id_)) {}

  Status Open() {
    SB_ASSIGN_OR_RETURN(claimed_size_, tx_.GetLogSize(tenant_id_));
    Result<domain::ServerKey> key = tx_.GetServerKey(kAuditSigningPurpose);
    if (key.ok()) key_ = std::move(*key);
    return Status::Ok();
  }

  const std::string& tenant_id() const override { return tenant_id_; }
  std::int64_t claimed_size() const override { return claimed_size_; }
  const std::optional<domain::ServerKey>& key() const override { return key_; }
  bool KeepsNodes() const override { return true; }

  Result<std::size_t> Entries(std::int64_t from, std::int64_t to,
                              std::vector<domain::AuditEntry>& out) override {
    return entries_.Read(from, to, out);
  }
  bool Complete() const override { return entries_.Complete(); }
  bool ReadByIndexFromNowOn() override { return entries_.ByIndexFromNowOn(); }
  Result<std::vector<std::string>> Leaves(std::int64_t from, std::int64_t to) override {
    SB_ASSIGN_OR_RETURN(auto nodes, tx_.ListTreeNodes(tenant_id_, 0, from, to));
    std::vector<std::string> out(static_cast<std::size_t>(to - from));
    for (merkle::TreeNode& n : nodes)
      out[static_cast<std::size_t>(n.index - from)] = std::move(n.hash);
    return out;
  }
  Result<std::optional<std::int64_t>> PositionOf(std::string_view leaf) override {
    return tx_.FindLeafPosition(tenant_id_, leaf);
  }
  Result<std::vector<domain::Checkpoint>> Checkpoints(const domain::Checkpoint* after,
                                                      int limit) override {
    return tx_.ListCheckpointsAfter(tenant_id_, after ? after->tree_size : -1,
                                    after ? after->created_at : 0, limit);
  }
  Result<std::vector<merkle::TreeNode>> Nodes(int level, std::int64_t from,
                                              std::int64_t to) override {
    return tx_.ListTreeNodes(tenant_id_, level, from, to);
  }

 private:
  domain::Tx& tx_;
  std::string tenant_id_;
  std::int64_t claimed_size_ = 0;
  std::optional<domain::ServerKey> key_;
  EntriesInLeafOrder entries_;
};

}  // namespace

Status SequenceInWrite(domain::Tx& tx, domain::AuditEntry& e) {
  SB_ASSIGN_OR_RETURN(std::int64_t size, tx.GetLogSize(e.tenant_id));
  e.leaf_hash = domain::AuditLeafHash(e);  // the entry's content, not its place
  e.leaf_index = size;
  SB_ASSIGN_OR_RETURN(auto nodes,
                      merkle::NodesCompletedBy(TxLookup(tx, e.tenant_id), size, e.leaf_hash));
  SB_RETURN_IF_ERROR(tx.PutTreeNodes(e.tenant_id, nodes));
  return tx.SetLogSize(e.tenant_id, size + 1);
}

Status AuditLog::EnsureSigningKey() const {
  Status found = deps_.store.Read(
      [](domain::Tx& tx) { return tx.GetServerKey(kAuditSigningPurpose).status(); });
  if (found.ok()) return found;
  if (found.code() != Code::kNotFound) return found;
  crypto::SigningKeyPair pair = crypto::NewSigningKeyPair();
  domain::ServerKey key{
      std::string(kSigningKeyId), std::string(kAuditSigningPurpose), pair.public_key,
      deps_.keyring.WrapSecret(pair.secret_key, kAuditSigningPurpose), deps_.clock.Now()};
  Status inserted = deps_.store.Write([&](domain::Tx& tx) {
    Result<domain::ServerKey> existing = tx.GetServerKey(kAuditSigningPurpose);
    if (existing.ok()) return Status::Ok();
    return tx.InsertServerKey(key);
  });
  if (inserted.code() != Code::kConflict) return inserted;
  // Another process created it first: use theirs.
  return deps_.store.Read(
      [](domain::Tx& tx) { return tx.GetServerKey(kAuditSigningPurpose).status(); });
}

Result<domain::ServerKey> AuditLog::PublicKey() const {
  domain::ServerKey key;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) {
    SB_ASSIGN_OR_RETURN(key, tx.GetServerKey(kAuditSigningPurpose));
    return Status::Ok();
  }));
  key.secret_sealed.clear();
  return key;
}

Result<std::int64_t> AuditLog::SequencePending() const {
  domain::ServerKey stored;
  std::vector<std::string> tenants;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) {
    SB_ASSIGN_OR_RETURN(stored, tx.GetServerKey(kAuditSigningPurpose));
    SB_ASSIGN_OR_RETURN(tenants, tx.TenantsWithUnsequencedAudit());
    return Status::Ok();
  }));
  SigningKey key{stored.id, {}};
  SB_ASSIGN_OR_RETURN(key.secret,
                      deps_.keyring.UnwrapSecret(stored.secret_sealed, kAuditSigningPurpose));
  std::int64_t total = 0;
  for (const std::string& tenant_id : tenants) {
    std::int64_t sequenced = 0;
    do {
      SB_RETURN_IF_ERROR(deps_.store.Write([&](domain::Tx& tx) {
        return SequenceBatch(tx, tenant_id, key, deps_.clock.Now(), sequenced);
      }));
      total += sequenced;
    } while (sequenced == kSequenceBatch);
  }
  return total;
}

Result<domain::Checkpoint> AuditLog::LatestCheckpoint(const std::string& tenant_id) const {
  domain::Checkpoint cp;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) {
    SB_ASSIGN_OR_RETURN(cp, tx.LatestCheckpoint(tenant_id));
    return Status::Ok();
  }));
  return cp;
}

Result<domain::Page<domain::AuditEntry>> AuditLog::ListEntries(
    const std::string& tenant_id, const domain::AuditFilter& filter) const {
  if (filter.limit < 1 || filter.limit > 100) {
    return Status::Invalid("limit", "limit must be between 1 and 100");
  }
  domain::Page<domain::AuditEntry> page;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) {
    SB_ASSIGN_OR_RETURN(page, tx.ListAuditEntries(tenant_id, filter));
    ErasedAccounts erased(tx, tenant_id);
    for (domain::AuditEntry& e : page.items) SB_RETURN_IF_ERROR(ShowErased(erased, e));
    return Status::Ok();
  }));
  return page;
}

Result<InclusionProof> InclusionInTx(domain::Tx& tx, const domain::AuditEntry& e,
                                     std::int64_t tree_size, const std::string& root_hash) {
  if (!e.leaf_index || *e.leaf_index >= tree_size) {
    return Status::Invalid("tree_size", "the entry is not in a tree of that size", "not_in_tree");
  }
  InclusionProof proof;
  SB_ASSIGN_OR_RETURN(proof.audit_path,
                      merkle::InclusionProof(TxLookup(tx, e.tenant_id), *e.leaf_index, tree_size));
  proof.entry_id = e.id;
  proof.leaf_index = *e.leaf_index;
  proof.tree_size = tree_size;
  proof.leaf_hash = e.leaf_hash;
  proof.root_hash = root_hash;
  return proof;
}

Result<InclusionProof> AuditLog::Inclusion(const std::string& tenant_id,
                                           const std::string& entry_id,
                                           std::int64_t tree_size) const {
  InclusionProof proof;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) {
    SB_ASSIGN_OR_RETURN(domain::AuditEntry e, tx.GetAuditEntry(tenant_id, entry_id));
    if (!e.leaf_index) {
      return Status::Conflict("not_sequenced", "the entry is not in the log yet", "entry_id");
    }
    SB_ASSIGN_OR_RETURN(proof.tree_size, ResolveSize(tx, tenant_id, tree_size));
    if (*e.leaf_index >= proof.tree_size) {
      return Status::Invalid("tree_size", "the entry is not in a tree of that size", "not_in_tree");
    }
    SB_ASSIGN_OR_RETURN(proof.root_hash, RootAt(tx, tenant_id, proof.tree_size));
    SB_ASSIGN_OR_RETURN(proof.audit_path, merkle::InclusionProof(TxLookup(tx, tenant_id),
                                                                 *e.leaf_index, proof.tree_size));
    proof.entry_id = e.id;
    proof.leaf_index = *e.leaf_index;
    proof.leaf_hash = e.leaf_hash;
    return Status::Ok();
  }));
  return proof;
}

Result<ConsistencyProof> AuditLog::Consistency(const std::string& tenant_id, std::int64_t first,
                                               std::int64_t second) const {
  ConsistencyProof proof;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) {
    SB_ASSIGN_OR_RETURN(proof.second, ResolveSize(tx, tenant_id, second));
    if (first < 0 || first > proof.second) {
      return Status::Invalid("first", "first must be between 0 and second");
    }
    proof.first = first;
    SB_ASSIGN_OR_RETURN(proof.second_root, RootAt(tx, tenant_id, proof.second, "second"));
    SB_ASSIGN_OR_RETURN(proof.first_root, RootAt(tx, tenant_id, first, "first"));
    SB_ASSIGN_OR_RETURN(proof.path,
                        merkle::ConsistencyProof(TxLookup(tx, tenant_id), first, proof.second));
    return Status::Ok();
  }));
  return proof;
}

Result<std::vector<VerifyReport>> AuditLog::VerifyDatabase(const std::string& tenant_id) const {
  std::vector<std::string> tenants;
  if (!tenant_id.empty()) tenants.push_back(tenant_id);
  std::vector<VerifyReport> reports;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) {
    if (tenant_id.empty()) {
      SB_ASSIGN_OR_RETURN(auto all, tx.ListTenants());
      for (const auto& t : all) tenants.push_back(t.id);
    } else {
      SB_RETURN_IF_ERROR(tx.GetTenant(tenant_id).status());
    }
    for (const std::string& t : tenants) {
      DatabaseLog log(tx, t);
      SB_RETURN_IF_ERROR(log.Open());
      SB_ASSIGN_OR_RETURN(VerifyReport report, CheckLog(log));
      reports.push_back(std::move(report));
    }
    return Status::Ok();
  }));
  return reports;
}

}  // namespace sb::app
