#include "app/audit/audit_check.h"

#include <algorithm>
#include <functional>
#include <future>
#include <memory>
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
using CheckpointChunk = std::shared_ptr<const std::vector<domain::Checkpoint>>;

// Checks checkpoints' signatures on a second thread, one chunk at a time, while the walk
// reads on: an Ed25519 check costs about as much as hashing a few hundred entries.
class SignatureCheck {
 public:
  explicit SignatureCheck(const LogSource& source)
      : tenant_id_(source.tenant_id()), key_(source.key()) {}
  ~SignatureCheck() { Collect(); }

  // Checks `chunk` once the chunk before it is checked.
  void Add(CheckpointChunk chunk) {
    Collect();
    pending_ = std::async(std::launch::async, [this, chunk = std::move(chunk)] {
      for (const domain::Checkpoint& cp : *chunk) {
        if (MaybeProblem p = Check(cp)) return p;
      }
      return MaybeProblem();
    });
  }

  // The first checkpoint, in order, whose signature fails.
  MaybeProblem Finish() {
    Collect();
    return problem_;
  }

 private:
  void Collect() {
    if (!pending_.valid()) return;
    MaybeProblem p = pending_.get();
    if (!problem_) problem_ = std::move(p);
  }

  MaybeProblem Check(const domain::Checkpoint& cp) const {
    const std::string what = "checkpoint at tree size " + std::to_string(cp.tree_size);
    if (!key_ || cp.key_id != key_->id) {
      return Problem{"unknown_key", std::nullopt, what + " is signed by unknown key " + cp.key_id};
    }
    const std::string body = domain::CheckpointSignedBytes(tenant_id_, cp.tree_size, cp.root_hash,
                                                           cp.created_at, cp.key_id);
    if (!crypto::VerifySignature(key_->public_key, body, cp.signature)) {
      return Problem{"bad_signature", std::nullopt, what + " has a signature that does not verify"};
    }
    return std::nullopt;
  }

  const std::string tenant_id_;
  const std::optional<domain::ServerKey> key_;
  std::future<MaybeProblem> pending_;
  MaybeProblem problem_;
};

// Every checkpoint of the source in order, a chunk at a time, each chunk handed to
// `signatures` when there is one.
class CheckpointCursor {
 public:
  CheckpointCursor(LogSource& source, SignatureCheck* signatures)
      : source_(source), signatures_(signatures) {}

  // The next checkpoint, or null after the last.
  Result<const domain::Checkpoint*> Next() {
    if (!chunk_ || next_ == chunk_->size()) {
      if (ended_) return nullptr;
      std::optional<domain::Checkpoint> after;
      if (chunk_ && !chunk_->empty()) after = chunk_->back();
      SB_ASSIGN_OR_RETURN(std::vector<domain::Checkpoint> read,
                          source_.Checkpoints(after ? &*after : nullptr, kCheckpointChunk));
      ended_ = read.size() < static_cast<std::size_t>(kCheckpointChunk);
      chunk_ = std::make_shared<const std::vector<domain::Checkpoint>>(std::move(read));
      next_ = 0;
      if (signatures_ && !chunk_->empty()) signatures_->Add(chunk_);
      if (chunk_->empty()) return nullptr;
    }
    return &(*chunk_)[next_++];
  }

 private:
  LogSource& source_;
  SignatureCheck* signatures_;
  CheckpointChunk chunk_;
  std::size_t next_ = 0;
  bool ended_ = false;
};

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
  // Hands every checkpoint to `signatures` when there is one.
  Walk(LogSource& source, std::int64_t upper, SignatureCheck* signatures)
      : source_(source), upper_(upper), cps_(source, signatures) {}

  // The first leaf problem (the walk stops there); root and node problems are kept for later.
  Result<MaybeProblem> Run() {
    SB_ASSIGN_OR_RETURN(next_cp_, cps_.Next());
    SB_RETURN_IF_ERROR(CheckRootsAt(0));
    // A chunk's entries are hashed on a second thread while the next chunk is read.
    Chunk chunks[2];
    std::future<void> hashing;
    SB_RETURN_IF_ERROR(Read(0, chunks[0]));
    hashing = std::async(std::launch::async, HashEntries, std::ref(chunks[0]));
    for (int k = 0;; k ^= 1) {
      Chunk& chunk = chunks[k];
      if (chunk.count == 0 && chunk.from >= upper_) break;
      Chunk& next = chunks[k ^ 1];
      Status read = Read(chunk.from + kCheckEntryChunk, next);
      hashing.get();
      SB_RETURN_IF_ERROR(read);
      hashing = std::async(std::launch::async, HashEntries, std::ref(next));
      const std::string none;
      for (std::size_t i = 0; i < chunk.count; ++i) {
        const domain::AuditEntry& e = chunk.entries[i];
        const std::size_t at = static_cast<std::size_t>(size_ - chunk.from);
        const std::string& ref =
            size_ >= chunk.from && at < chunk.leaves.size() ? chunk.leaves[at] : none;
        SB_ASSIGN_OR_RETURN(MaybeProblem p, CheckEntry(e, ref, chunk.content_leaves[i]));
        if (p) return p;
        SB_RETURN_IF_ERROR(Append(std::move(chunk.content_leaves[i])));
      }
    }
    return MaybeProblem();
  }

  // Reads the checkpoints the walk did not reach (it stops at the first leaf problem), so that
  // every one is handed to the signature check.
  Status ReadRemainingCheckpoints() {
    while (next_cp_) {
      SB_ASSIGN_OR_RETURN(next_cp_, cps_.Next());
    }
    return Status::Ok();
  }

  std::int64_t size() const { return size_; }
  MaybeProblem& root_problem() { return root_problem_; }
  MaybeProblem& node_problem() { return node_problem_; }

 private:
  // Entries [from, from + kCheckEntryChunk) with the leaves recorded for them, and the leaf
  // each entry's content gives ("" for an entry without a leaf index).
  struct Chunk {
    std::int64_t from = 0;
    std::vector<domain::AuditEntry> entries;
    std::size_t count = 0;
    std::vector<std::string> leaves;
    std::vector<std::string> content_leaves;
  };

  Status Read(std::int64_t from, Chunk& chunk) {
    chunk.from = from;
    const std::int64_t to = from + kCheckEntryChunk;
    SB_ASSIGN_OR_RETURN(chunk.count, source_.Entries(from, to, chunk.entries));
    chunk.leaves.clear();
    if (from < upper_) {
      SB_ASSIGN_OR_RETURN(chunk.leaves, source_.Leaves(from, std::min(to, upper_)));
    }
    return Status::Ok();
  }

  static void HashEntries(Chunk& chunk) {
    chunk.content_leaves.resize(chunk.count);
    for (std::size_t i = 0; i < chunk.count; ++i) {
      const domain::AuditEntry& e = chunk.entries[i];
      chunk.content_leaves[i] = e.leaf_index ? domain::AuditLeafHash(e) : std::string();
    }
  }

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

// The walk's findings, the first in the order CheckLog reports them.
struct WalkResult {
  MaybeProblem problem;
  std::int64_t entries_checked = 0;
};

Result<WalkResult> WalkLog(LogSource& source, std::int64_t upper, SignatureCheck* signatures) {
  Walk walk(source, upper, signatures);
  WalkResult out;
  SB_ASSIGN_OR_RETURN(out.problem, walk.Run());
  SB_RETURN_IF_ERROR(walk.ReadRemainingCheckpoints());
  out.entries_checked = walk.size();
  if (!out.problem && walk.size() < upper) {
    out.problem = Problem{"truncated", walk.size(),
                          "the log claims " + std::to_string(upper) + " entries but holds " +
                              std::to_string(walk.size())};
  }
  if (!out.problem && walk.size() > source.claimed_size()) {
    out.problem = Problem{"unexpected_entry", source.claimed_size(),
                          "entries past the log size " + std::to_string(source.claimed_size())};
  }
  if (!out.problem) out.problem = std::move(walk.root_problem());
  if (!out.problem) out.problem = std::move(walk.node_problem());
  return out;
}

}  // namespace

Result<VerifyReport> CheckLog(LogSource& source) {
  VerifyReport report;
  report.tenant_id = source.tenant_id();
  // The largest size a checkpoint claims, before the walk.
  std::int64_t upper = source.claimed_size();
  CheckpointCursor cps(source, nullptr);
  while (true) {
    SB_ASSIGN_OR_RETURN(const domain::Checkpoint* cp, cps.Next());
    if (!cp) break;
    ++report.checkpoints_checked;
    upper = std::max(upper, cp->tree_size);
  }
  SignatureCheck signatures(source);
  SB_ASSIGN_OR_RETURN(WalkResult walked, WalkLog(source, upper, &signatures));
  MaybeProblem problem = signatures.Finish();
  if (!problem) {
    if ((walked.problem || !source.Complete()) && source.ReadByIndexFromNowOn()) {
      SB_ASSIGN_OR_RETURN(walked, WalkLog(source, upper, nullptr));
    }
    problem = std::move(walked.problem);
    report.entries_checked = walked.entries_checked;
  }
  if (problem) {
    report.ok = false;
    report.kind = std::move(problem->kind);
    report.leaf_index = problem->leaf_index;
    report.detail = std::move(problem->detail);
  }
  return report;
}

}  // namespace sb::app
