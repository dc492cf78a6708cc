// An auditor's view: everything the audit endpoints answer verifies offline against the
// signed checkpoint, and a tampered proof does not.

#include <chrono>
#include <thread>

#include "common/time.h"
#include "crypto/crypto.h"
#include "domain/audit_entry.h"
#include "domain/merkle.h"
#include "tests/support/server_fixture.h"

namespace sb::testing {
namespace {

namespace merkle = sb::domain::merkle;

class AuditProofs : public Functional {
 protected:
  static std::string Bytes(const boost::json::value& v, const char* key) {
    return crypto::FromBase64(Str(v, key)).value_or("");
  }
  static std::vector<std::string> Path(const boost::json::value& v, const char* key) {
    std::vector<std::string> out;
    for (const auto& h : v.at(key).as_array()) {
      out.push_back(crypto::FromBase64(std::string(h.as_string())).value_or(""));
    }
    return out;
  }
  // Polls until `target` answers 200 (the sequencer runs in the background).
  HttpResponse AwaitOk(const std::string& target) {
    HttpResponse r;
    for (int i = 0; i < 100; ++i) {
      r = Call("GET", target);
      if (r.status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return r;
  }
};

TEST_P(AuditProofs, InclusionAndConsistencyVerifyAgainstTheSignedCheckpoint) {
  std::string id = Str(CreateAccount({"mobile_basic"}), "id");
  HttpResponse entries = Call("GET", "/v1/audit/entries?account_id=" + id + "&limit=1");
  ASSERT_EQ(entries.status, 200) << entries.body;
  std::string entry = Str(entries.Json().at("data").as_array().at(0), "id");
  ASSERT_EQ(AwaitOk("/v1/audit/entries/" + entry + "/proof").status, 200);

  boost::json::value cp = AwaitOk("/v1/audit/checkpoint").Json();
  std::int64_t size = cp.at("tree_size").as_int64();
  std::string root = Bytes(cp, "root_hash");
  std::optional<Timestamp> at = ParseRfc3339(Str(cp, "created_at"));
  ASSERT_TRUE(at.has_value());
  std::string signed_bytes =
      domain::CheckpointSignedBytes(server().demo_tenant(), size, root, *at, Str(cp, "key_id"));
  EXPECT_TRUE(
      crypto::VerifySignature(Bytes(cp, "public_key"), signed_bytes, Bytes(cp, "signature")));

  HttpResponse proof =
      Call("GET", "/v1/audit/entries/" + entry + "/proof?tree_size=" + std::to_string(size));
  ASSERT_EQ(proof.status, 200) << proof.body;
  boost::json::value p = proof.Json();
  std::vector<std::string> path = Path(p, "audit_path");
  std::int64_t index = p.at("leaf_index").as_int64();
  std::string leaf = Bytes(p, "leaf_hash");
  EXPECT_EQ(Bytes(p, "root_hash"), root);
  EXPECT_TRUE(merkle::VerifyInclusion(index, size, leaf, path, root));
  if (!path.empty()) {
    path[0][0] ^= 1;
    EXPECT_FALSE(merkle::VerifyInclusion(index, size, leaf, path, root));
  }

  HttpResponse cons = Call("GET", "/v1/audit/consistency?first=1&second=" + std::to_string(size));
  ASSERT_EQ(cons.status, 200) << cons.body;
  boost::json::value c = cons.Json();
  EXPECT_EQ(Bytes(c, "second_root"), root);
  EXPECT_TRUE(merkle::VerifyConsistency(1, size, Bytes(c, "first_root"), root, Path(c, "path")));
  ExpectProblem(Call("GET", "/v1/audit/consistency?first=1&second=" + std::to_string(size + 1000)),
                400, "second", "tree_too_large");

  // The whole log the server wrote recomputes offline, while the server keeps running
  // (the command exits non-zero, and RunCli answers "", on any damage).
  std::string verified = server().RunCli({"audit", "verify", "--tenant", server().demo_tenant()});
  EXPECT_NE(verified, "") << "audit verify found damage in a log nobody touched";
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditProofs, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
