#pragma once

// An evidence bundle checked straight from its file, in memory that does not grow with it:
// each array of the bundle (checkpoints, leaf_hashes, entries) is read as a stream of its own
// over the file, a block at a time, with boost::json's push parser, and the entries go back
// in leaf order through the window of app/audit/leaf_order.h. This reads a bundle as
// AuditLog::ExportBundle writes it; what it cannot take in order (checkpoints out of order, an
// entry out of the window's reach) is an error, and AuditLog::VerifyBundleFile then reads a
// small bundle whole. Internal to the audit log.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/audit/audit_check.h"
#include "app/audit/leaf_order.h"

namespace sb::app {

class BundleMemberReader;

class BundleFileLog : public LogSource {
 public:
  explicit BundleFileLog(std::string path);
  ~BundleFileLog() override;

  // Reads the head (format, tenant, public key) and every checkpoint once: checks they are in
  // order and finds the size the latest claims.
  Status Open();

  const std::string& tenant_id() const override { return tenant_id_; }
  std::int64_t claimed_size() const override { return claimed_size_; }
  const std::optional<domain::ServerKey>& key() const override { return key_; }
  bool KeepsNodes() const override { return false; }

  Result<std::size_t> Entries(std::int64_t from, std::int64_t to,
                              std::vector<domain::AuditEntry>& out) override;
  Result<std::vector<std::string>> Leaves(std::int64_t from, std::int64_t to) override;
  // Asked only when an entry does not hash to its leaf: reads the leaf list again.
  Result<std::optional<std::int64_t>> PositionOf(std::string_view leaf) override;
  Result<std::vector<domain::Checkpoint>> Checkpoints(const domain::Checkpoint* after,
                                                      int limit) override;
  Result<std::vector<domain::merkle::TreeNode>> Nodes(int, std::int64_t, std::int64_t) override {
    return std::vector<domain::merkle::TreeNode>();
  }

 private:
  std::string path_;
  std::string tenant_id_;
  std::int64_t claimed_size_ = 0;
  std::optional<domain::ServerKey> key_;
  std::unique_ptr<BundleMemberReader> checkpoints_;
  std::optional<domain::Checkpoint> last_checkpoint_;
  std::unique_ptr<BundleMemberReader> leaves_;
  std::int64_t leaves_read_ = 0;
  std::unique_ptr<BundleMemberReader> entries_reader_;
  std::optional<EntriesInLeafOrder> entries_;
};

}  // namespace sb::app
