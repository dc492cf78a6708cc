#include "domain/merkle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/crypto.h"

namespace sb::domain::merkle {
namespace {

// The RFC 6962 reference data and expected values published with the Certificate
// Transparency reference implementations: google/certificate-transparency
// (cpp/merkletree/merkle_tree_test.cc) and transparency-dev/merkle (proof/verify_test.go,
// variables `leaves`, `roots`, `inclusionProofs`, `consistencyProofs`).
const std::vector<std::string> kLeafHex = {"",
                                           "00",
                                           "10",
                                           "2021",
                                           "3031",
                                           "40414243",
                                           "5051525354555657",
                                           "606162636465666768696a6b6c6d6e6f"};

// kRootHex[n - 1] is the root of the tree of the first n leaves.
const std::vector<std::string> kRootHex = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct ProofVector {
  std::int64_t a;  // leaf index (inclusion) or first size (consistency)
  std::int64_t b;  // tree size (inclusion) or second size (consistency)
  std::vector<std::string> hex;
};

// Inclusion paths; the published table counts leaves from 1, these from 0.
const std::vector<ProofVector> kInclusion = {
    {0, 1, {}},
    {0,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5,
     8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1,
     5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

const std::vector<ProofVector> kConsistency = {
    {1, 1, {}},
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2,
     5,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6,
     7,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

std::string Unhex(const std::string& hex) { return crypto::FromHex(hex).value(); }

std::vector<std::string> Unhex(const std::vector<std::string>& hexes) {
  std::vector<std::string> out;
  for (const auto& h : hexes) out.push_back(Unhex(h));
  return out;
}

MemoryTree ReferenceTree() {
  MemoryTree tree;
  for (const auto& hex : kLeafHex) tree.Append(LeafHash(Unhex(hex)));
  return tree;
}

MemoryTree SyntheticTree(int n) {
  MemoryTree tree;
  for (int i = 0; i < n; ++i) tree.Append(LeafHash("leaf " + std::to_string(i)));
  return tree;
}

TEST(MerkleHash, EmptyTreeIsSha256OfNothing) {
  EXPECT_EQ(crypto::Hex(EmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MerkleVectors, RootsForEverySize) {
  MemoryTree tree = ReferenceTree();
  for (int n = 1; n <= 8; ++n) {
    EXPECT_EQ(crypto::Hex(tree.Root(n)), kRootHex[n - 1]) << "size " << n;
    Result<std::string> root = RootHash(tree.Lookup(), n);
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(crypto::Hex(*root), kRootHex[n - 1]);
  }
}

TEST(MerkleVectors, InclusionPaths) {
  MemoryTree tree = ReferenceTree();
  for (const auto& v : kInclusion) {
    Result<std::vector<std::string>> proof = InclusionProof(tree.Lookup(), v.a, v.b);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(*proof, Unhex(v.hex)) << "leaf " << v.a << " size " << v.b;
    std::string leaf = LeafHash(Unhex(kLeafHex[v.a]));
    EXPECT_TRUE(VerifyInclusion(v.a, v.b, leaf, Unhex(v.hex), Unhex(kRootHex[v.b - 1])));
  }
}

TEST(MerkleVectors, ConsistencyProofs) {
  MemoryTree tree = ReferenceTree();
  for (const auto& v : kConsistency) {
    Result<std::vector<std::string>> proof = ConsistencyProof(tree.Lookup(), v.a, v.b);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(*proof, Unhex(v.hex)) << v.a << " -> " << v.b;
    EXPECT_TRUE(VerifyConsistency(v.a, v.b, Unhex(kRootHex[v.a - 1]), Unhex(kRootHex[v.b - 1]),
                                  Unhex(v.hex)));
  }
}

TEST(MerkleProperties, EveryInclusionProofVerifiesAndTamperingFails) {
  MemoryTree tree = SyntheticTree(64);
  for (std::int64_t size = 1; size <= 64; ++size) {
    const std::string root = tree.Root(size);
    for (std::int64_t i = 0; i < size; ++i) {
      auto proof = InclusionProof(tree.Lookup(), i, size);
      ASSERT_TRUE(proof.ok());
      const std::string leaf = *tree.Node(0, i);
      ASSERT_TRUE(VerifyInclusion(i, size, leaf, *proof, root)) << i << "/" << size;
      EXPECT_FALSE(VerifyInclusion(i, size, *tree.Node(0, (i + 1) % 64), *proof, root));
      if (size > 1) {
        EXPECT_FALSE(VerifyInclusion((i + 1) % size, size, leaf, *proof, root));
      }
      EXPECT_FALSE(VerifyInclusion(i, size * 2, leaf, *proof, root));
      for (std::size_t k = 0; k < proof->size(); ++k) {
        auto bad = *proof;
        bad[k][k % kHashSize] ^= 0x01;
        EXPECT_FALSE(VerifyInclusion(i, size, leaf, bad, root)) << i << "/" << size;
      }
      auto longer = *proof;
      longer.push_back(root);
      EXPECT_FALSE(VerifyInclusion(i, size, leaf, longer, root));
    }
  }
}

TEST(MerkleProperties, EveryConsistencyProofVerifiesAndTamperingFails) {
  MemoryTree tree = SyntheticTree(64);
  for (std::int64_t second = 1; second <= 64; ++second) {
    const std::string root2 = tree.Root(second);
    for (std::int64_t first = 1; first <= second; ++first) {
      const std::string root1 = tree.Root(first);
      auto proof = ConsistencyProof(tree.Lookup(), first, second);
      ASSERT_TRUE(proof.ok());
      ASSERT_TRUE(VerifyConsistency(first, second, root1, root2, *proof))
          << first << " -> " << second;
      if (first == second) continue;
      EXPECT_FALSE(VerifyConsistency(first, second, root2, root2, *proof));
      EXPECT_FALSE(VerifyConsistency(first, second, root1, root1, *proof));
      EXPECT_FALSE(VerifyConsistency(first, second, root1, root2, {}));
      for (std::size_t k = 0; k < proof->size(); ++k) {
        auto bad = *proof;
        bad[k][k % kHashSize] ^= 0x10;
        EXPECT_FALSE(VerifyConsistency(first, second, root1, root2, bad));
      }
      EXPECT_FALSE(VerifyConsistency(first, second * 2, root1, root2, *proof));
    }
  }
}

TEST(MerkleProperties, EmptyAndDegenerateCases) {
  MemoryTree tree = SyntheticTree(4);
  EXPECT_FALSE(InclusionProof(tree.Lookup(), 4, 4).ok());
  EXPECT_FALSE(InclusionProof(tree.Lookup(), -1, 4).ok());
  EXPECT_FALSE(ConsistencyProof(tree.Lookup(), 5, 4).ok());
  EXPECT_TRUE(VerifyConsistency(0, 4, EmptyRoot(), tree.Root(), {}));
  EXPECT_FALSE(VerifyConsistency(4, 4, tree.Root(3), tree.Root(), {}));
  EXPECT_FALSE(VerifyConsistency(4, 3, tree.Root(), tree.Root(3), {}));
  EXPECT_FALSE(VerifyInclusion(0, 0, *tree.Node(0, 0), {}, EmptyRoot()));
}

TEST(MerkleAppender, CompletedNodesMatchTheFullTree) {
  MemoryTree full = SyntheticTree(37);
  MemoryTree built;  // grows only through NodesCompletedBy
  std::vector<std::vector<std::string>> stored;
  NodeLookup lookup = [&](int level, std::int64_t index) -> Result<std::string> {
    if (level >= static_cast<int>(stored.size()) ||
        index >= static_cast<std::int64_t>(stored[level].size())) {
      return Status::NotFound("node");
    }
    return stored[level][index];
  };
  for (std::int64_t i = 0; i < 37; ++i) {
    auto nodes = NodesCompletedBy(lookup, i, *full.Node(0, i));
    ASSERT_TRUE(nodes.ok());
    for (const TreeNode& n : *nodes) {
      if (n.level >= static_cast<int>(stored.size())) stored.resize(n.level + 1);
      ASSERT_EQ(static_cast<std::int64_t>(stored[n.level].size()), n.index);
      stored[n.level].push_back(n.hash);
      EXPECT_EQ(n.hash, *full.Node(n.level, n.index));
    }
    auto root = RootHash(lookup, i + 1);
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(*root, full.Root(i + 1));
  }
  EXPECT_EQ(full.levels(), stored);
}

}  // namespace
}  // namespace sb::domain::merkle
