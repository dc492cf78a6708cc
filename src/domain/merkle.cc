#include "domain/merkle.h"

#include <bit>
#include <utility>

#include "crypto/crypto.h"

namespace sb::domain::merkle {
namespace {

// The largest power of two strictly below n. REQUIRES: n >= 2.
std::int64_t SplitPoint(std::int64_t n) {
  return static_cast<std::int64_t>(std::bit_floor(static_cast<std::uint64_t>(n - 1)));
}

bool IsPowerOfTwo(std::int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

// Appends PATH(m, D[begin:end]) (RFC 9162 2.1.3.1), leaf to root.
Status AppendPath(const NodeLookup& lookup, std::int64_t m, std::int64_t begin, std::int64_t end,
                  std::vector<std::string>& out) {
  const std::int64_t n = end - begin;
  if (n <= 1) return Status::Ok();
  const std::int64_t k = SplitPoint(n);
  if (m < k) {
    SB_RETURN_IF_ERROR(AppendPath(lookup, m, begin, begin + k, out));
    SB_ASSIGN_OR_RETURN(std::string right, RangeHash(lookup, begin + k, end));
    out.push_back(std::move(right));
  } else {
    SB_RETURN_IF_ERROR(AppendPath(lookup, m - k, begin + k, end, out));
    SB_ASSIGN_OR_RETURN(std::string left, RangeHash(lookup, begin, begin + k));
    out.push_back(std::move(left));
  }
  return Status::Ok();
}

// Appends SUBPROOF(m, D[begin:end], b) (RFC 9162 2.1.4.1).
Status AppendSubproof(const NodeLookup& lookup, std::int64_t m, std::int64_t begin,
                      std::int64_t end, bool whole, std::vector<std::string>& out) {
  const std::int64_t n = end - begin;
  if (m == n) {
    if (whole) return Status::Ok();
    SB_ASSIGN_OR_RETURN(std::string hash, RangeHash(lookup, begin, end));
    out.push_back(std::move(hash));
    return Status::Ok();
  }
  const std::int64_t k = SplitPoint(n);
  if (m <= k) {
    SB_RETURN_IF_ERROR(AppendSubproof(lookup, m, begin, begin + k, whole, out));
    SB_ASSIGN_OR_RETURN(std::string right, RangeHash(lookup, begin + k, end));
    out.push_back(std::move(right));
  } else {
    SB_RETURN_IF_ERROR(AppendSubproof(lookup, m - k, begin + k, end, false, out));
    SB_ASSIGN_OR_RETURN(std::string left, RangeHash(lookup, begin, begin + k));
    out.push_back(std::move(left));
  }
  return Status::Ok();
}

// Right-shifts fn and sn together until fn's lowest bit is set or fn is 0.
void ShiftWhileEven(std::uint64_t& fn, std::uint64_t& sn) {
  while (fn != 0 && (fn & 1) == 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

std::string LeafHash(std::string_view data) {
  return crypto::Sha256({std::string_view("\x00", 1), data});
}

std::string NodeHash(std::string_view left, std::string_view right) {
  return crypto::Sha256({std::string_view("\x01", 1), left, right});
}

std::string EmptyRoot() { return crypto::Sha256(""); }

Result<std::string> RangeHash(const NodeLookup& lookup, std::int64_t begin, std::int64_t end) {
  const std::int64_t n = end - begin;
  if (begin < 0 || n <= 0) return Status::Invalid("range", "empty or negative leaf range");
  if (IsPowerOfTwo(n) && begin % n == 0) {
    const int level = std::countr_zero(static_cast<std::uint64_t>(n));
    return lookup(level, begin >> level);
  }
  const std::int64_t k = SplitPoint(n);
  SB_ASSIGN_OR_RETURN(std::string left, RangeHash(lookup, begin, begin + k));
  SB_ASSIGN_OR_RETURN(std::string right, RangeHash(lookup, begin + k, end));
  return NodeHash(left, right);
}

Result<std::string> RootHash(const NodeLookup& lookup, std::int64_t size) {
  if (size < 0) return Status::Invalid("tree_size", "negative tree size");
  if (size == 0) return EmptyRoot();
  return RangeHash(lookup, 0, size);
}

Result<std::vector<std::string>> InclusionProof(const NodeLookup& lookup, std::int64_t index,
                                                std::int64_t size) {
  if (index < 0 || index >= size) {
    return Status::Invalid("leaf_index", "leaf index outside the tree");
  }
  std::vector<std::string> out;
  SB_RETURN_IF_ERROR(AppendPath(lookup, index, 0, size, out));
  return out;
}

bool VerifyInclusion(std::int64_t index, std::int64_t size, std::string_view leaf_hash,
                     const std::vector<std::string>& proof, std::string_view root) {
  if (index < 0 || index >= size || leaf_hash.size() != kHashSize) return false;
  std::uint64_t fn = static_cast<std::uint64_t>(index);
  std::uint64_t sn = static_cast<std::uint64_t>(size - 1);
  std::string r(leaf_hash);
  for (const std::string& p : proof) {
    if (sn == 0 || p.size() != kHashSize) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      ShiftWhileEven(fn, sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && crypto::ConstantTimeEqual(r, root);
}

Result<std::vector<std::string>> ConsistencyProof(const NodeLookup& lookup, std::int64_t first,
                                                  std::int64_t second) {
  if (first < 0 || first > second) {
    return Status::Invalid("first", "first tree size must be between 0 and the second");
  }
  std::vector<std::string> out;
  if (first == 0 || first == second) return out;
  SB_RETURN_IF_ERROR(AppendSubproof(lookup, first, 0, second, true, out));
  return out;
}

bool VerifyConsistency(std::int64_t first, std::int64_t second, std::string_view first_root,
                       std::string_view second_root, const std::vector<std::string>& proof) {
  if (first < 0 || first > second) return false;
  if (first == second) return proof.empty() && crypto::ConstantTimeEqual(first_root, second_root);
  if (first == 0) return proof.empty();
  if (proof.empty()) return false;
  std::vector<std::string> path;
  if (IsPowerOfTwo(first)) path.emplace_back(first_root);
  path.insert(path.end(), proof.begin(), proof.end());
  std::uint64_t fn = static_cast<std::uint64_t>(first - 1);
  std::uint64_t sn = static_cast<std::uint64_t>(second - 1);
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  if (path[0].size() != kHashSize) return false;
  std::string fr = path[0];
  std::string sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const std::string& c = path[i];
    if (sn == 0 || c.size() != kHashSize) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      ShiftWhileEven(fn, sn);
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && crypto::ConstantTimeEqual(fr, first_root) &&
         crypto::ConstantTimeEqual(sr, second_root);
}

Result<std::vector<TreeNode>> NodesCompletedBy(const NodeLookup& lookup, std::int64_t leaf_index,
                                               std::string_view leaf_hash) {
  if (leaf_index < 0) return Status::Invalid("leaf_index", "negative leaf index");
  std::vector<TreeNode> out;
  out.push_back({0, leaf_index, std::string(leaf_hash)});
  std::int64_t index = leaf_index;
  int level = 0;
  while ((index & 1) == 1) {
    SB_ASSIGN_OR_RETURN(std::string left, lookup(level, index - 1));
    std::string parent = NodeHash(left, out.back().hash);
    ++level;
    index >>= 1;
    out.push_back({level, index, std::move(parent)});
  }
  return out;
}

MemoryTree::MemoryTree(const std::vector<std::string>& leaf_hashes) {
  for (const std::string& h : leaf_hashes) Append(h);
}

void MemoryTree::Append(std::string leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(std::move(leaf_hash));
  for (std::size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    const auto& row = levels_[level];
    std::string parent = NodeHash(row[row.size() - 2], row.back());
    if (levels_.size() == level + 1) levels_.emplace_back();
    levels_[level + 1].push_back(std::move(parent));
  }
}

std::int64_t MemoryTree::size() const {
  return levels_.empty() ? 0 : static_cast<std::int64_t>(levels_[0].size());
}

Result<std::string> MemoryTree::Node(int level, std::int64_t index) const {
  if (level < 0 || static_cast<std::size_t>(level) >= levels_.size() || index < 0 ||
      static_cast<std::size_t>(index) >= levels_[level].size()) {
    return Status::NotFound("tree node");
  }
  return levels_[level][index];
}

NodeLookup MemoryTree::Lookup() const {
  return [this](int level, std::int64_t index) { return Node(level, index); };
}

std::string MemoryTree::Root(std::int64_t size) const {
  Result<std::string> root = RootHash(Lookup(), size);
  return root.ok() ? *root : std::string();
}

}  // namespace sb::domain::merkle
