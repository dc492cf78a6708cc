#pragma once

// Merkle tree hashing and proofs in the shape of RFC 6962 / RFC 9162 section 2.1. Pure: no
// storage. Proof generation reads complete subtrees through a NodeLookup, so a store that
// keeps the hash of every complete subtree answers any proof with O(log n) lookups.
//
// A complete subtree is addressed by (level, index): level L covers 2^L leaves, and index
// counts such subtrees from the left, so node (L, i) covers leaves [i * 2^L, (i + 1) * 2^L).
// Level 0 holds the leaf hashes. All hashes are 32 raw bytes in std::string.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sb::domain::merkle {

constexpr std::size_t kHashSize = 32;

// SHA-256(0x00 || data).
std::string LeafHash(std::string_view data);
// SHA-256(0x01 || left || right).
std::string NodeHash(std::string_view left, std::string_view right);
// Root of the empty tree: SHA-256 of the empty string.
std::string EmptyRoot();

// One complete subtree's hash.
struct TreeNode {
  int level = 0;
  std::int64_t index = 0;
  std::string hash;

  bool operator==(const TreeNode&) const = default;
};

// Returns the hash of the complete subtree (level, index), or a failure (kNotFound when the
// node is unknown). Must only be asked for subtrees inside the tree being proved.
using NodeLookup = std::function<Result<std::string>(int level, std::int64_t index)>;

// Hash of the leaves [begin, end) as RFC 6962 defines it for D[begin:end], where the range
// is one that the RFC's recursion produces (begin is a multiple of the largest power of two
// not above end - begin). REQUIRES: 0 <= begin < end.
Result<std::string> RangeHash(const NodeLookup& lookup, std::int64_t begin, std::int64_t end);

// Root hash of the tree of `size` leaves (EmptyRoot() for 0). REQUIRES: size >= 0.
Result<std::string> RootHash(const NodeLookup& lookup, std::int64_t size);

// Audit path of leaf `index` in the tree of `size` leaves, leaf to root (RFC 9162 2.1.3.1).
// kInvalidArgument unless 0 <= index < size.
Result<std::vector<std::string>> InclusionProof(const NodeLookup& lookup, std::int64_t index,
                                                std::int64_t size);

// True when `proof` shows that `leaf_hash` is leaf `index` of the tree of `size` leaves whose
// root is `root` (RFC 9162 2.1.3.2).
bool VerifyInclusion(std::int64_t index, std::int64_t size, std::string_view leaf_hash,
                     const std::vector<std::string>& proof, std::string_view root);

// Consistency proof between the trees of `first` and `second` leaves (RFC 9162 2.1.4.1);
// empty when first == 0 or first == second. kInvalidArgument unless 0 <= first <= second.
Result<std::vector<std::string>> ConsistencyProof(const NodeLookup& lookup, std::int64_t first,
                                                  std::int64_t second);

// True when `proof` shows that the tree of `second` leaves with root `second_root` extends
// the tree of `first` leaves with root `first_root` (RFC 9162 2.1.4.2). When first == second
// the proof must be empty and the roots equal; when first == 0 the proof must be empty.
bool VerifyConsistency(std::int64_t first, std::int64_t second, std::string_view first_root,
                       std::string_view second_root, const std::vector<std::string>& proof);

// The complete subtrees that appending leaf `leaf_index` (with hash `leaf_hash`) to a tree
// of `leaf_index` leaves completes: (0, leaf_index) first, then each parent up the right
// edge. Left siblings are read through `lookup`, which must already know every node
// completed by earlier leaves.
Result<std::vector<TreeNode>> NodesCompletedBy(const NodeLookup& lookup, std::int64_t leaf_index,
                                               std::string_view leaf_hash);

// Every complete subtree of a list of leaf hashes, kept in memory. Used to verify a log
// offline and in tests. Not thread-safe for concurrent Append.
class MemoryTree {
 public:
  MemoryTree() = default;
  explicit MemoryTree(const std::vector<std::string>& leaf_hashes);

  // Appends one leaf hash and records the subtrees it completes.
  void Append(std::string leaf_hash);
  std::int64_t size() const;
  // Hash of (level, index); kNotFound if that subtree is not complete.
  Result<std::string> Node(int level, std::int64_t index) const;
  // A lookup over this tree; valid while the tree lives.
  NodeLookup Lookup() const;
  // Root of the first `size` leaves. REQUIRES: 0 <= size <= this->size().
  std::string Root(std::int64_t size) const;
  std::string Root() const { return Root(size()); }
  // levels()[L][i] is node (L, i).
  const std::vector<std::vector<std::string>>& levels() const { return levels_; }

 private:
  std::vector<std::vector<std::string>> levels_;
};

}  // namespace sb::domain::merkle
