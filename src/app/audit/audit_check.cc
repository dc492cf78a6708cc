#include "app/audit/audit_check.h"

#include <algorithm>
#include <utility>

#include "crypto/crypto.h"
#include "domain/audit_entry.h"

namespace sb::app {
namespace {

namespace merkle = domain::merkle;

// Entries and leaf hashes read at once; checkpoints read at once; stored nodes of one level
// read at once (entries: kCheckEntryChunk, audit_check.h). A chunk of entries is the largest
// piece a check holds (a few MB).
constexpr int kCheckpointChunk = 1024;
constexpr std::int64_t kNodeChunk = 4096;

struct Problem {
  std::string kind;
  std::optional<std::int64_t> leaf_index;
  std::string detail;
};

using MaybeProblem = std::optional<Problem>;

// Every checkpoint of the source in order, a chunk at a time.
class CheckpointCursor {
 public:
  explicit CheckpointCursor(LogSource& source) : source_(source) {}

  // The next checkpoint, or null after the last.
  Result<const domain::Checkpoint*> Next() {
    if (next_ == chunk_.size()) {
      if (ended_) return nullptr;
      std::optional<domain::Checkpoint> after;
      if (!chunk_.empty()) after = std::move(chunk_.back());
      SB_ASSIGN_OR_RETURN(chunk_, source_.Checkpoints(after ? &*after : nullptr, kCheckpointChunk));
      next_ = 0;
      ended_ = chunk_.size() < static_cast<std::size_t>(kCheckpointChunk);
      if (chunk_.empty()) return nullptr;
    }
    return &chunk_[next_++];
  }

 private:
  LogSource& source_;
  std::vector<domain::Checkpoint> chunk_;
  std::size_t next_ = 0;
  bool ended_ = false;
};

MaybeProblem CheckSignature(const LogSource& source, const domain::Checkpoint& cp) {
  const std::string what = "checkpoint at tree size " + std::to_string(cp.tree_size);
  const std::optional<domain::ServerKey>& key = source.key();
  if (!key || cp.key_id != key->id) {
    return Problem{"unknown_key", std::nullopt, what + " is signed by unknown key " + cp.key_id};
  }
  const std::string body = domain::CheckpointSignedBytes(source.tenant_id(), cp.tree_size,
                                                         cp.root_hash, cp.created_at, cp.key_id);
  if (!crypto::VerifySignature(key->public_key, body, cp.signature)) {
    return Problem{"bad_signature", std::nullopt, what + " has a signature that does not verify"};
  }
  return std::nullopt;
}

// The stored nodes of one level, read a chunk at a time as the walk asks for them in order.
class LevelCursor {
 public:
  // Whether the stored node (level, index) exists and is `hash`. Indexes must not go back.
  Result<bool> Matches(LogSource& source, int level, std::int64_t index, const std::string& hash) {
    if (index >= to_) {
      SB_ASSIGN_OR_RETURN(chunk_, source.Nodes(level, index, index + kNodeChunk));
      to_ = index + kNodeChunk;
      next_ = 0;
    }
    while (next_ < chunk_.size() && chunk_[next_].index < index) ++next_;
    return next_ < chunk_.size() && chunk_[next_].index == index && chunk_[next_].hash == hash;
  }

 private:
  std::vector<merkle::TreeNode> chunk_;
  std::size_t next_ = 0;
  std::int64_t to_ = 0;
};

// Walks the log's leaves in order, keeping only the right edge of the tree (the roots of its
// complete subtrees, largest first), from which every checkpoint's root and every stored node
// is recomputed as the walk passes it.
class Walk {
 public:
  Walk(LogSource& source, std::int64_t upper) : source_(source), upper_(upper), cps_(source) {}

  // The first leaf problem (the walk stops there); root and node problems are kept for later.
  Result<MaybeProblem> Run() {
    SB_ASSIGN_OR_RETURN(next_cp_, cps_.Next());
    SB_RETURN_IF_ERROR(CheckRootsAt(0));
    for (std::int64_t from = 0;; from += kCheckEntryChunk) {
      const std::int64_t to = from + kCheckEntryChunk;
      SB_ASSIGN_OR_RETURN(std::vector<domain::AuditEntry> entries, source_.Entries(from, to));
      if (entries.empty() && from >= upper_) break;
      std::vector<std::string> leaves;
      if (from < upper_) {
        SB_ASSIGN_OR_RETURN(leaves, source_.Leaves(from, std::min(to, upper_)));
      }
      for (const domain::AuditEntry& e : entries) {
        const std::string none;
        const std::size_t at = static_cast<std::size_t>(size_ - from);
        const std::string& ref = size_ >= from && at < leaves.size() ? leaves[at] : none;
        std::string content_leaf = e.leaf_index ? domain::AuditLeafHash(e) : std::string();
        SB_ASSIGN_OR_RETURN(MaybeProblem p, CheckEntry(e, ref, content_leaf));
        if (p) return p;
        SB_RETURN_IF_ERROR(Append(std::move(content_leaf)));
      }
    }
    return MaybeProblem();
  }

  std::int64_t size() const { return size_; }
  MaybeProblem& root_problem() { return root_problem_; }
  MaybeProblem& node_problem() { return node_problem_; }

 private:
  // `content_leaf`: the leaf the entry's content gives.
  Result<MaybeProblem> CheckEntry(const domain::AuditEntry& e, const std::string& reference,
                                  const std::string& content_leaf) {
    if (!e.leaf_index)
      return MaybeProblem(Problem{"altered", size_, "entry " + e.id + " has no leaf index"});
    const std::int64_t idx = *e.leaf_index;
    if (idx < size_)
      return MaybeProblem(Problem{"reordered", idx, "leaf index used twice by entry " + e.id});
    if (idx > size_)
      return MaybeProblem(
          Problem{"deleted", size_, "no entry holds leaf " + std::to_string(size_)});
    if (content_leaf != reference) {
      SB_ASSIGN_OR_RETURN(std::optional<std::int64_t> other, source_.PositionOf(content_leaf));
      if (other && *other != idx) {
        return MaybeProblem(
            Problem{"reordered", idx,
                    "entry " + e.id + " holds the content of leaf " + std::to_string(*other)});
      }
      return MaybeProblem(Problem{"altered", idx, "entry " + e.id + " does not hash to its leaf"});
    }
    if (source_.KeepsNodes() && e.leaf_hash != reference) {
      return MaybeProblem(
          Problem{"altered", idx, "stored leaf hash of entry " + e.id + " differs from the log"});
    }
    return MaybeProblem();
  }

  Status Append(std::string hash) {
    std::int64_t index = size_;
    int level = 0;
    while (index & 1) {
      hash = merkle::NodeHash(edge_.back(), hash);
      edge_.pop_back();
      index >>= 1;
      ++level;
      SB_RETURN_IF_ERROR(CheckNode(level, index, hash));
    }
    edge_.push_back(std::move(hash));
    ++size_;
    return CheckRootsAt(size_);
  }

  // A stored node that differs is kept if it is the lowest level's (then leftmost) so far.
  Status CheckNode(int level, std::int64_t index, const std::string& hash) {
    if (!source_.KeepsNodes()) return Status::Ok();
    if (node_problem_ && level >= problem_level_) return Status::Ok();
    if (static_cast<std::size_t>(level) >= levels_.size()) levels_.resize(level + 1);
    SB_ASSIGN_OR_RETURN(bool same, levels_[level].Matches(source_, level, index, hash));
    if (same) return Status::Ok();
    problem_level_ = level;
    node_problem_ = Problem{"node_mismatch", index << level,
                            "stored node level " + std::to_string(level) + " index " +
                                std::to_string(index) + " differs"};
    return Status::Ok();
  }

  // The root of the leaves walked so far (RFC 6962: the right edge folded right to left).
  std::string Root() const {
    if (edge_.empty()) return merkle::EmptyRoot();
    std::string root = edge_.back();
    for (std::size_t i = edge_.size() - 1; i-- > 0;) root = merkle::NodeHash(edge_[i], root);
    return root;
  }

  Status CheckRootsAt(std::int64_t size) {
    std::optional<std::string> root;
    while (next_cp_ && next_cp_->tree_size <= size) {
      if (next_cp_->tree_size == size && !root_problem_) {
        if (!root) root = Root();
        if (*root != next_cp_->root_hash) {
          root_problem_ = Problem{
              "root_mismatch", std::nullopt,
              "the entries do not give the signed root at tree size " + std::to_string(size)};
        }
      }
      SB_ASSIGN_OR_RETURN(next_cp_, cps_.Next());
    }
    return Status::Ok();
  }

  LogSource& source_;
  const std::int64_t upper_;
  CheckpointCursor cps_;
  const domain::Checkpoint* next_cp_ = nullptr;
  std::vector<std::string> edge_;
  std::int64_t size_ = 0;
  std::vector<LevelCursor> levels_;
  MaybeProblem root_problem_;
  MaybeProblem node_problem_;
  int problem_level_ = 0;
};

}  // namespace

Result<VerifyReport> CheckLog(LogSource& source) {
  VerifyReport report;
  report.tenant_id = source.tenant_id();
  // Every signature first, and the largest size a checkpoint claims.
  std::int64_t upper = source.claimed_size();
  MaybeProblem problem;
  CheckpointCursor cps(source);
  while (true) {
    SB_ASSIGN_OR_RETURN(const domain::Checkpoint* cp, cps.Next());
    if (!cp) break;
    ++report.checkpoints_checked;
    upper = std::max(upper, cp->tree_size);
    if (!problem) problem = CheckSignature(source, *cp);
  }
  std::optional<Walk> walk;
  if (!problem) {
    walk.emplace(source, upper);
    SB_ASSIGN_OR_RETURN(problem, walk->Run());
    report.entries_checked = walk->size();
  }
  if (!problem && walk->size() < upper) {
    problem = Problem{"truncated", walk->size(),
                      "the log claims " + std::to_string(upper) + " entries but holds " +
                          std::to_string(walk->size())};
  }
  if (!problem && walk->size() > source.claimed_size()) {
    problem = Problem{"unexpected_entry", source.claimed_size(),
                      "entries past the log size " + std::to_string(source.claimed_size())};
  }
  if (!problem) problem = std::move(walk->root_problem());
  if (!problem) problem = std::move(walk->node_problem());
  if (problem) {
    report.ok = false;
    report.kind = std::move(problem->kind);
    report.leaf_index = problem->leaf_index;
    report.detail = std::move(problem->detail);
  }
  return report;
}

}  // namespace sb::app
