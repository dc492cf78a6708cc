// The audit log end to end on a real SQLite database, including what an auditor sees when
// someone edits the database file behind the server's back.
#include "app/audit/audit_log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <sstream>

#include "app/audit/audit_bundle_stream.h"
#include "app/audit/audit_check.h"
#include "app/audit/leaf_order.h"
#include "app/core/keyring.h"
#include "crypto/crypto.h"
#include "domain/audit_entry.h"
#include "domain/merkle.h"
#include "storage/open.h"

namespace sb::app {
namespace {

namespace merkle = domain::merkle;
namespace json = boost::json;

constexpr Timestamp kStart = 1'700'000'000'000;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sb_audit_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    db_path_ = dir_ + "/switchboard.db";
    auto opened = storage::OpenStore("sqlite:" + db_path_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened->store);
    log_ = std::make_unique<AuditLog>(Deps{*store_, clock_, keyring_});
    ASSERT_TRUE(log_->EnsureSigningKey().ok());
    AddTenant(kTenant);
  }

  void TearDown() override {
    log_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void AddTenant(const std::string& id) {
    ASSERT_TRUE(store_
                    ->Write([&](domain::Tx& tx) {
                      return tx.InsertTenant({id, "Tenant " + id, clock_.Now()});
                    })
                    .ok());
  }

  // Inserts `n` unsequenced entries aud_<first>.. with increasing created_at.
  void AddEntries(const std::string& tenant, int first, int n) {
    ASSERT_TRUE(store_
                    ->Write([&](domain::Tx& tx) {
                      for (int i = first; i < first + n; ++i) {
                        SB_RETURN_IF_ERROR(tx.InsertAuditEntry(Entry(tenant, i)));
                      }
                      return Status::Ok();
                    })
                    .ok());
  }

  static domain::AuditEntry Entry(const std::string& tenant, int i) {
    domain::AuditEntry e;
    e.tenant_id = tenant;
    char id[32];
    snprintf(id, sizeof id, "aud_%05d", i);
    e.id = id;
    e.category = domain::AuditCategory::kAccountStatus;
    e.action = "hold.placed";
    e.actor = {domain::ActorType::kApiKey, "key_1", domain::Role::kAgent};
    e.reason_code = "non_payment";
    e.comment = "entry " + std::to_string(i);
    e.subject_type = "hold";
    e.subject_id = "hld_" + std::to_string(i);
    e.account_id = "acc_1";
    e.before_json = "{}";
    e.after_json = R"({"state":"active"})";
    e.created_at = kStart + i;
    return e;
  }

  // Sequences everything pending and expects `n` entries to have been taken.
  void Sequence(std::int64_t n) {
    clock_.Advance(1000);
    auto done = log_->SequencePending();
    ASSERT_TRUE(done.ok()) << done.status().ToString();
    EXPECT_EQ(*done, n);
  }

  // Runs SQL on the database file directly, as someone with shell access would.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }

  VerifyReport VerifyOne(const std::string& tenant = kTenant) {
    auto reports = log_->VerifyDatabase(tenant);
    EXPECT_TRUE(reports.ok()) << reports.status().ToString();
    EXPECT_EQ(reports->size(), 1u);
    return reports->empty() ? VerifyReport{} : reports->front();
  }

  // Twelve entries in two checkpoints (8, then 12).
  void TwelveEntries() {
    AddEntries(kTenant, 0, 8);
    Sequence(8);
    AddEntries(kTenant, 8, 4);
    Sequence(4);
    ASSERT_TRUE(VerifyOne().ok);
  }

  static constexpr const char* kTenant = "ten_a";
  ManualClock clock_{kStart};
  Keyring keyring_{std::string(32, 'k')};
  std::string dir_;
  std::string db_path_;
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<AuditLog> log_;
};

void ExpectProblem(const VerifyReport& r, const std::string& kind,
                   std::optional<std::int64_t> leaf) {
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.kind, kind) << r.detail;
  EXPECT_EQ(r.leaf_index, leaf) << r.detail;
}

TEST_F(AuditLogTest, SigningKeyIsCreatedOnce) {
  auto first = log_->PublicKey();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(log_->EnsureSigningKey().ok());
  AuditLog other(Deps{*store_, clock_, keyring_});
  ASSERT_TRUE(other.EnsureSigningKey().ok());
  auto again = other.PublicKey();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->id, again->id);
  EXPECT_EQ(first->public_key, again->public_key);
  EXPECT_EQ(first->public_key.size(), 32u);
  EXPECT_TRUE(again->secret_sealed.empty());
}

TEST_F(AuditLogTest, ProofsVerifyAgainstSignedCheckpoints) {
  AddEntries(kTenant, 0, 10);
  Sequence(10);
  auto key = log_->PublicKey();
  auto cp10 = log_->LatestCheckpoint(kTenant);
  ASSERT_TRUE(cp10.ok());
  EXPECT_EQ(cp10->tree_size, 10);
  EXPECT_TRUE(crypto::VerifySignature(key->public_key, domain::CheckpointSignedBytes(*cp10),
                                      cp10->signature));
  for (int i = 0; i < 10; ++i) {
    auto proof = log_->Inclusion(kTenant, Entry(kTenant, i).id, 0);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(proof->leaf_index, i);  // sequenced oldest first
    EXPECT_EQ(proof->leaf_hash, domain::AuditLeafHash(Entry(kTenant, i)));
    EXPECT_TRUE(merkle::VerifyInclusion(proof->leaf_index, cp10->tree_size, proof->leaf_hash,
                                        proof->audit_path, cp10->root_hash));
  }
  AddEntries(kTenant, 10, 7);
  Sequence(7);
  auto cp17 = log_->LatestCheckpoint(kTenant);
  ASSERT_EQ(cp17->tree_size, 17);
  auto consistency = log_->Consistency(kTenant, 10, 17);
  ASSERT_TRUE(consistency.ok()) << consistency.status().ToString();
  EXPECT_EQ(consistency->first_root, cp10->root_hash);
  EXPECT_EQ(consistency->second_root, cp17->root_hash);
  EXPECT_TRUE(
      merkle::VerifyConsistency(10, 17, cp10->root_hash, cp17->root_hash, consistency->path));
  auto old_proof = log_->Inclusion(kTenant, Entry(kTenant, 3).id, 10);
  ASSERT_TRUE(old_proof.ok());
  EXPECT_TRUE(
      merkle::VerifyInclusion(3, 10, old_proof->leaf_hash, old_proof->audit_path, cp10->root_hash));
  EXPECT_FALSE(log_->Inclusion(kTenant, Entry(kTenant, 12).id, 10).ok());
  EXPECT_FALSE(log_->Consistency(kTenant, 10, 18).ok());
  VerifyReport report = VerifyOne();
  EXPECT_TRUE(report.ok) << report.kind << " " << report.detail;
  EXPECT_EQ(report.entries_checked, 17);
  EXPECT_EQ(report.checkpoints_checked, 2);
}

// On a single writer an entry takes its leaf inside the write that makes it; the sequencer
// then only signs. Entries sequenced either way form one log that proves and verifies.
TEST_F(AuditLogTest, EntriesSequencedInTheirWriteJoinTheSameVerifiableLog) {
  AddEntries(kTenant, 0, 3);
  Sequence(3);
  ASSERT_TRUE(store_
                  ->Write([&](domain::Tx& tx) {
                    EXPECT_TRUE(tx.WritesAreSerialized());
                    for (int i = 3; i < 6; ++i) {
                      domain::AuditEntry e = Entry(kTenant, i);
                      SB_RETURN_IF_ERROR(SequenceInWrite(tx, e));
                      EXPECT_EQ(e.leaf_index, std::optional<std::int64_t>(i));
                      SB_RETURN_IF_ERROR(tx.InsertAuditEntry(e));
                    }
                    return Status::Ok();
                  })
                  .ok());
  // In the log at once, but not signed until the sequencer runs.
  auto early = log_->Inclusion(kTenant, Entry(kTenant, 4).id, 0);
  EXPECT_FALSE(early.ok());
  Sequence(0);
  auto cp = log_->LatestCheckpoint(kTenant);
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ(cp->tree_size, 6);
  for (int i = 0; i < 6; ++i) {
    auto proof = log_->Inclusion(kTenant, Entry(kTenant, i).id, 0);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(proof->leaf_index, i);
    EXPECT_TRUE(merkle::VerifyInclusion(proof->leaf_index, cp->tree_size, proof->leaf_hash,
                                        proof->audit_path, cp->root_hash));
  }
  Sequence(0);  // nothing new: no second checkpoint for the same size
  EXPECT_EQ(VerifyOne().checkpoints_checked, 2);
  VerifyReport report = VerifyOne();
  EXPECT_TRUE(report.ok) << report.kind << " " << report.detail;
  EXPECT_EQ(report.entries_checked, 6);
  // Tampering with an entry sequenced in its write is caught like any other.
  Tamper("UPDATE audit_entries SET action = 'x' WHERE tenant_id = 'ten_a' AND leaf_index = 4");
  report = VerifyOne();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.leaf_index, 4) << report.detail;
}

TEST_F(AuditLogTest, UnsequencedEntryHasNoProofYet) {
  AddEntries(kTenant, 0, 1);
  auto proof = log_->Inclusion(kTenant, Entry(kTenant, 0).id, 0);
  EXPECT_EQ(proof.status().code(), Code::kConflict);
  Sequence(1);
  EXPECT_TRUE(log_->Inclusion(kTenant, Entry(kTenant, 0).id, 0).ok());
  Sequence(0);
}

TEST_F(AuditLogTest, SequencesInBatchesAndKeepsTenantsApart) {
  AddTenant("ten_b");
  AddEntries(kTenant, 0, 1203);
  AddEntries("ten_b", 0, 5);
  Sequence(1208);
  EXPECT_EQ(log_->LatestCheckpoint(kTenant)->tree_size, 1203);
  EXPECT_EQ(log_->LatestCheckpoint("ten_b")->tree_size, 5);
  auto reports = log_->VerifyDatabase("");
  ASSERT_TRUE(reports.ok());
  ASSERT_EQ(reports->size(), 2u);
  for (const auto& r : *reports) EXPECT_TRUE(r.ok) << r.tenant_id << " " << r.detail;
}

TEST_F(AuditLogTest, DetectsAnAlteredEntry) {
  TwelveEntries();
  Tamper("UPDATE audit_entries SET comment = 'nothing happened' WHERE id = 'aud_00005'");
  ExpectProblem(VerifyOne(), "altered", 5);
}

TEST_F(AuditLogTest, DetectsADeletedEntry) {
  TwelveEntries();
  Tamper("DELETE FROM audit_entries WHERE id = 'aud_00003'");
  ExpectProblem(VerifyOne(), "deleted", 3);
}

TEST_F(AuditLogTest, DetectsSwappedEntries) {
  TwelveEntries();
  Tamper(
      "UPDATE audit_entries SET leaf_index = -1 WHERE id = 'aud_00002';"
      "UPDATE audit_entries SET leaf_index = 2 WHERE id = 'aud_00006';"
      "UPDATE audit_entries SET leaf_index = 6 WHERE id = 'aud_00002';");
  ExpectProblem(VerifyOne(), "reordered", 2);
}

TEST_F(AuditLogTest, DetectsATruncatedLog) {
  TwelveEntries();
  Tamper("DELETE FROM audit_entries WHERE leaf_index >= 9");
  ExpectProblem(VerifyOne(), "truncated", 9);
}

TEST_F(AuditLogTest, DetectsATruncatedLogWhoseSizeWasLowered) {
  TwelveEntries();
  Tamper(
      "DELETE FROM audit_entries WHERE leaf_index >= 9;"
      "UPDATE audit_log_state SET size = 9;");
  ExpectProblem(VerifyOne(), "truncated", 9);
}

TEST_F(AuditLogTest, DetectsAForgedCheckpoint) {
  TwelveEntries();
  Tamper("UPDATE audit_checkpoints SET tree_size = 7 WHERE tree_size = 8");
  ExpectProblem(VerifyOne(), "bad_signature", std::nullopt);
}

TEST_F(AuditLogTest, DetectsAnAlteredTreeNode) {
  TwelveEntries();
  Tamper("UPDATE audit_tree_nodes SET hash = zeroblob(32) WHERE level = 2 AND idx = 1");
  ExpectProblem(VerifyOne(), "node_mismatch", 4);
}

TEST_F(AuditLogTest, TamperingOneTenantLeavesOthersVerifying) {
  TwelveEntries();
  AddTenant("ten_b");
  AddEntries("ten_b", 0, 3);
  Sequence(3);
  Tamper("UPDATE audit_entries SET action = 'x' WHERE tenant_id = 'ten_a' AND leaf_index = 0");
  ExpectProblem(VerifyOne(), "altered", 0);
  EXPECT_TRUE(VerifyOne("ten_b").ok);
}

// The check and the export read a log in the store's own order (on SQLite, by id) and put it
// back in leaf order through a window (app/audit/leaf_order.h). Entries too far from their
// place for the window, or a leaf index used twice, are read by leaf index instead, with the
// same report.
TEST_F(AuditLogTest, ALogWhoseIdsRunAgainstItsOrderVerifiesExportsAndShowsItsChanges) {
  // Within the window (put back in order), and past it (read by leaf index).
  AddTenant("ten_b");
  const std::pair<std::string, int> logs[] = {{kTenant, 3000},
                                              {"ten_b", static_cast<int>(kLeafOrderWindow) + 500}};
  for (const auto& log : logs) {
    const std::string tenant = log.first;  // copies: a lambda cannot capture a binding (clang 14)
    const int n = log.second;
    ASSERT_TRUE(store_
                    ->Write([&](domain::Tx& tx) {
                      for (int i = 0; i < n; ++i) {
                        domain::AuditEntry e = Entry(tenant, i);
                        char id[32];
                        snprintf(id, sizeof id, "aud_r%06d", n - i);  // the last made sorts first
                        e.id = id;
                        SB_RETURN_IF_ERROR(tx.InsertAuditEntry(e));
                      }
                      return Status::Ok();
                    })
                    .ok());
    Sequence(n);
  }
  for (const auto& [tenant, n] : logs) {
    SCOPED_TRACE(tenant);
    VerifyReport clean = VerifyOne(tenant);
    EXPECT_TRUE(clean.ok) << clean.kind << " " << clean.detail;
    EXPECT_EQ(clean.entries_checked, n);

    std::ostringstream bundle;
    ASSERT_TRUE(log_->ExportBundle(tenant, bundle).ok());
    VerifyReport offline = AuditLog::VerifyBundle(bundle.str());
    EXPECT_TRUE(offline.ok) << offline.kind << " " << offline.detail;
    EXPECT_EQ(offline.entries_checked, n);

    Tamper(
        "UPDATE audit_entries SET comment = 'nothing happened' WHERE leaf_index = 100 "
        "AND tenant_id = '" +
        tenant + "'");
    ExpectProblem(VerifyOne(tenant), "altered", 100);
  }
}

TEST_F(AuditLogTest, FindsALeafIndexUsedTwiceEvenWithoutTheUniqueIndex) {
  TwelveEntries();
  Tamper(
      "DROP INDEX audit_entries_leaf;"
      "UPDATE audit_entries SET leaf_index = 4 WHERE id = 'aud_00009';");
  ExpectProblem(VerifyOne(), "reordered", 4);
}

// Logs of several chunks of the check (app/audit/audit_check.h): a change is found in any
// chunk, and entries swapped across a chunk's edge are found as swapped.
class LongAuditLogTest : public AuditLogTest {
 protected:
  static constexpr std::int64_t kSize = 2 * kCheckEntryChunk + 100;
  void SetUp() override {
    AuditLogTest::SetUp();
    AddEntries(kTenant, 0, static_cast<int>(kSize));
    Sequence(kSize);
  }
};

TEST_F(LongAuditLogTest, VerifiesEveryEntryAndFindsChangesInLaterChunks) {
  VerifyReport clean = VerifyOne();
  EXPECT_TRUE(clean.ok) << clean.detail;
  EXPECT_EQ(clean.entries_checked, kSize);

  const std::int64_t second = kCheckEntryChunk + 7;  // in the second chunk
  Tamper("UPDATE audit_entries SET comment = 'nothing happened' WHERE leaf_index = " +
         std::to_string(second));
  ExpectProblem(VerifyOne(), "altered", second);
  Tamper("UPDATE audit_entries SET comment = 'entry " + std::to_string(second) +
         "' WHERE leaf_index = " + std::to_string(second));
  EXPECT_TRUE(VerifyOne().ok);

  const std::int64_t third = 2 * kCheckEntryChunk + 3;
  Tamper("DELETE FROM audit_entries WHERE leaf_index = " + std::to_string(third));
  ExpectProblem(VerifyOne(), "deleted", third);
}

TEST_F(LongAuditLogTest, FindsEntriesSwappedAcrossAChunkBoundary) {
  const std::string a = std::to_string(kCheckEntryChunk - 1), b = std::to_string(kCheckEntryChunk);
  Tamper("UPDATE audit_entries SET leaf_index = -1 WHERE leaf_index = " + a + ";" +
         "UPDATE audit_entries SET leaf_index = " + a + " WHERE leaf_index = " + b + ";" +
         "UPDATE audit_entries SET leaf_index = " + b + " WHERE leaf_index = -1;");
  ExpectProblem(VerifyOne(), "reordered", kCheckEntryChunk - 1);
}

// Bundles: export, then edit the JSON as someone handling the file could.
class AuditBundleTest : public AuditLogTest {
 protected:
  void SetUp() override {
    AuditLogTest::SetUp();
    TwelveEntries();
    std::ostringstream bundle;
    Status written = log_->ExportBundle(kTenant, bundle);
    ASSERT_TRUE(written.ok()) << written.ToString();
    doc_ = json::parse(bundle.str()).as_object();
  }
  json::array& Entries() { return doc_["entries"].as_array(); }
  // `doc` in a file of the test's directory; its path.
  std::string WriteBundle(const json::object& doc) {
    std::string path = dir_ + "/bundle.json";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << json::serialize(doc);
    return path;
  }
  VerifyReport Check() { return AuditLog::VerifyBundle(json::serialize(doc_)); }

  json::object doc_;
};

TEST_F(AuditBundleTest, AnUntouchedBundleVerifiesWithoutTheDatabase) {
  store_.reset();
  VerifyReport r = Check();
  EXPECT_TRUE(r.ok) << r.kind << " " << r.detail;
  EXPECT_EQ(r.entries_checked, 12);
  EXPECT_EQ(r.checkpoints_checked, 2);
}

TEST_F(AuditBundleTest, DetectsAnAlteredEntry) {
  Entries()[4].as_object()["comment"] = "nothing happened";
  ExpectProblem(Check(), "altered", 4);
}

TEST_F(AuditBundleTest, DetectsADeletedEntry) {
  Entries().erase(Entries().begin() + 3);
  ExpectProblem(Check(), "deleted", 3);
}

TEST_F(AuditBundleTest, DetectsSwappedEntries) {
  Entries()[2].as_object()["leaf_index"] = 6;
  Entries()[6].as_object()["leaf_index"] = 2;
  ExpectProblem(Check(), "reordered", 2);
}

TEST_F(AuditBundleTest, DetectsATruncatedBundle) {
  Entries().pop_back();
  Entries().pop_back();
  ExpectProblem(Check(), "truncated", 10);
}

TEST_F(AuditBundleTest, DetectsAForgedCheckpoint) {
  auto& cp = doc_["checkpoints"].as_array()[0].as_object();
  cp["root_hash"] = crypto::Base64(std::string(32, '\0'));
  ExpectProblem(Check(), "bad_signature", std::nullopt);
}

TEST_F(AuditBundleTest, DetectsAnotherSigningKey) {
  doc_["public_key"].as_object()["public_key"] =
      crypto::Base64(crypto::NewSigningKeyPair().public_key);
  ExpectProblem(Check(), "bad_signature", std::nullopt);
}

// A bundle file is checked as a stream when it is in the order an export writes
// (app/audit/audit_bundle_stream.h); any other file gets the report of the whole read.
TEST_F(AuditBundleTest, AFileInTheOrderAnExportWritesIsCheckedAsAStream) {
  BundleFileLog streamed(WriteBundle(doc_));
  ASSERT_TRUE(streamed.Open().ok());
  auto report = CheckLog(streamed);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok) << report->kind << " " << report->detail;
  EXPECT_EQ(report->entries_checked, 12);
  EXPECT_EQ(report->checkpoints_checked, 2);

  // Entries out of order within the window are put back in order.
  std::reverse(Entries().begin(), Entries().end());
  BundleFileLog reversed(WriteBundle(doc_));
  ASSERT_TRUE(reversed.Open().ok());
  report = CheckLog(reversed);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok) << report->kind << " " << report->detail;
  EXPECT_TRUE(AuditLog::VerifyBundleFile(WriteBundle(doc_)).ok);
}

// What a forger might do to an exported bundle, by name.
std::vector<std::pair<std::string, std::function<void(json::object&)>>> Tamperings() {
  return {
      {"untouched", [](json::object&) {}},
      {"altered", [](json::object& d) { d["entries"].as_array()[4].as_object()["comment"] = "x"; }},
      {"deleted",
       [](json::object& d) { d["entries"].as_array().erase(d["entries"].as_array().begin() + 3); }},
      {"swapped",
       [](json::object& d) {
         d["entries"].as_array()[2].as_object()["leaf_index"] = 6;
         d["entries"].as_array()[6].as_object()["leaf_index"] = 2;
       }},
      {"index used twice",
       [](json::object& d) { d["entries"].as_array()[5].as_object()["leaf_index"] = 4; }},
      {"truncated", [](json::object& d) { d["entries"].as_array().pop_back(); }},
      {"forged checkpoint",
       [](json::object& d) {
         d["checkpoints"].as_array()[0].as_object()["root_hash"] =
             crypto::Base64(std::string(32, '\0'));
       }},
      {"checkpoints out of order",
       [](json::object& d) {
         std::reverse(d["checkpoints"].as_array().begin(), d["checkpoints"].as_array().end());
       }},
      {"no entries", [](json::object& d) { d.erase("entries"); }},
      {"another format", [](json::object& d) { d["format"] = "other"; }},
  };
}

TEST_F(AuditBundleTest, AFileGetsTheSameReportAsTheWholeBundle) {
  for (const auto& [name, edit] : Tamperings()) {
    SCOPED_TRACE(name);
    json::object doc = doc_;
    edit(doc);
    VerifyReport whole = AuditLog::VerifyBundle(json::serialize(doc));
    VerifyReport file = AuditLog::VerifyBundleFile(WriteBundle(doc));
    EXPECT_EQ(file.ok, whole.ok);
    EXPECT_EQ(file.kind, whole.kind);
    EXPECT_EQ(file.leaf_index, whole.leaf_index);
    EXPECT_EQ(file.detail, whole.detail);
    EXPECT_EQ(file.entries_checked, whole.entries_checked);
    EXPECT_EQ(file.checkpoints_checked, whole.checkpoints_checked);
  }
  EXPECT_FALSE(AuditLog::VerifyBundleFile(dir_ + "/no-such-file.json").ok);

  // A member named twice: the stream does not pick one of them on its own.
  std::string text = json::serialize(doc_);
  text.insert(text.size() - 1, R"(,"entries":[])");
  std::ofstream(dir_ + "/twice.json", std::ios::binary) << text;
  VerifyReport twice = AuditLog::VerifyBundleFile(dir_ + "/twice.json");
  EXPECT_EQ(twice.kind, AuditLog::VerifyBundle(text).kind);
  EXPECT_FALSE(twice.ok);
}

// Above the size read whole, a file is checked as a stream whatever it holds: a forgery the
// stream can follow gets the whole bundle's report, one it cannot is refused, never passed.
TEST_F(AuditBundleTest, ALargeForgedFileIsCheckedAsAStream) {
  const std::set<std::string> same_report = {"untouched", "altered",   "deleted",
                                             "swapped",   "truncated", "forged checkpoint"};
  for (const auto& [name, edit] : Tamperings()) {
    SCOPED_TRACE(name);
    json::object doc = doc_;
    edit(doc);
    VerifyReport whole = AuditLog::VerifyBundle(json::serialize(doc));
    VerifyReport file = AuditLog::VerifyBundleFile(WriteBundle(doc), /*whole_limit=*/0);
    if (same_report.count(name)) {
      EXPECT_EQ(file.ok, whole.ok);
      EXPECT_EQ(file.kind, whole.kind);
      EXPECT_EQ(file.leaf_index, whole.leaf_index);
      EXPECT_EQ(file.detail, whole.detail);
      EXPECT_EQ(file.entries_checked, whole.entries_checked);
    } else {
      EXPECT_FALSE(file.ok);
      EXPECT_EQ(file.kind, "malformed");
    }
  }
  // The altered entry is named as in the whole bundle's report.
  json::object doc = doc_;
  doc["entries"].as_array()[4].as_object()["comment"] = "x";
  VerifyReport altered = AuditLog::VerifyBundleFile(WriteBundle(doc), 0);
  EXPECT_EQ(altered.kind, "altered");
  EXPECT_EQ(altered.leaf_index, 4);
  // Checkpoints out of order are refused with the reason, although the whole bundle passes.
  doc = doc_;
  std::reverse(doc["checkpoints"].as_array().begin(), doc["checkpoints"].as_array().end());
  VerifyReport unordered = AuditLog::VerifyBundleFile(WriteBundle(doc), 0);
  EXPECT_FALSE(unordered.ok);
  EXPECT_NE(unordered.detail.find("only in the order an export writes it"), std::string::npos)
      << unordered.detail;
}

TEST_F(AuditBundleTest, RejectsSomethingThatIsNotABundle) {
  EXPECT_EQ(AuditLog::VerifyBundle("{not json").kind, "malformed");
  EXPECT_EQ(AuditLog::VerifyBundle("{}").kind, "malformed");
  Entries()[0].as_object().erase("created_at");
  ExpectProblem(Check(), "malformed", std::nullopt);
}

}  // namespace
}  // namespace sb::app
