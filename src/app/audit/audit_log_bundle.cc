// Evidence bundles: a tenant's sequenced audit entries, checkpoints and public key as one
// JSON document that an auditor checks with no database (AuditLog::ExportBundle and
// AuditLog::VerifyBundle). Binary values are base64; timestamps are milliseconds.

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <ostream>
#include <sstream>
#include <tuple>

#include "app/audit/audit_bundle_json.h"
#include "app/audit/audit_bundle_stream.h"
#include "app/audit/audit_check.h"
#include "app/audit/audit_log.h"
#include "app/audit/leaf_order.h"
#include "crypto/crypto.h"

namespace sb::app {
namespace {

namespace json = boost::json;
using domain::AuditEntry;
using domain::Checkpoint;

constexpr std::int64_t kChunk = 1000;

Result<const json::array*> Array(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) return Status::Invalid(std::string(key), "not an array");
  return &v->get_array();
}

// A bundle's log, held in memory as parsed: entries in leaf-index order, checkpoints in
// (tree_size, created_at) order; the latest checkpoint is the claimed size.
class BundleLog : public LogSource {
 public:
  const std::string& tenant_id() const override { return tenant_id_; }
  std::int64_t claimed_size() const override { return claimed_size_; }
  const std::optional<domain::ServerKey>& key() const override { return key_; }
  bool KeepsNodes() const override { return false; }

  // Entries in [from, to); the first chunk also has those with a negative index, which the
  // check reports as used twice.
  Result<std::size_t> Entries(std::int64_t from, std::int64_t to,
                              std::vector<AuditEntry>& out) override {
    auto index = [](const AuditEntry& e) { return e.leaf_index.value_or(-1); };
    auto lo = from <= 0
                  ? entries_.begin()
                  : std::partition_point(entries_.begin(), entries_.end(),
                                         [&](const AuditEntry& e) { return index(e) < from; });
    auto hi = std::partition_point(lo, entries_.end(),
                                   [&](const AuditEntry& e) { return index(e) < to; });
    const auto n = static_cast<std::size_t>(hi - lo);
    if (out.size() < n) out.resize(n);
    std::copy(lo, hi, out.begin());
    return n;
  }
  Result<std::vector<std::string>> Leaves(std::int64_t from, std::int64_t to) override {
    std::vector<std::string> out;
    for (std::int64_t i = from; i < to; ++i) {
      out.push_back(i < static_cast<std::int64_t>(leaves_.size()) ? leaves_[i] : std::string());
    }
    return out;
  }
  Result<std::optional<std::int64_t>> PositionOf(std::string_view leaf) override {
    auto it = std::find(leaves_.begin(), leaves_.end(), leaf);
    if (it == leaves_.end()) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(it - leaves_.begin());
  }
  Result<std::vector<Checkpoint>> Checkpoints(const Checkpoint* after, int limit) override {
    auto it = checkpoints_.begin();
    if (after) {
      it = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), *after, Earlier);
    }
    auto end = checkpoints_.end() - it > limit ? it + limit : checkpoints_.end();
    return std::vector<Checkpoint>(it, end);
  }
  Result<std::vector<domain::merkle::TreeNode>> Nodes(int, std::int64_t, std::int64_t) override {
    return std::vector<domain::merkle::TreeNode>();
  }

  static bool Earlier(const Checkpoint& a, const Checkpoint& b) {
    return std::tie(a.tree_size, a.created_at) < std::tie(b.tree_size, b.created_at);
  }

  std::string tenant_id_;
  std::int64_t claimed_size_ = 0;
  std::optional<domain::ServerKey> key_;
  std::vector<AuditEntry> entries_;
  std::vector<std::string> leaves_;
  std::vector<Checkpoint> checkpoints_;
};

// Parses a bundle into the log it carries.
Status ReadBundle(const std::string& text, BundleLog& log) {
  json::parse_options options;
  options.allow_invalid_utf8 = true;  // fields round-trip byte for byte
  std::error_code ec;
  json::value doc = json::parse(text, ec, {}, options);
  if (ec || !doc.is_object()) return Status::Invalid("bundle", "not a JSON object");
  const json::object& root = doc.get_object();
  SB_ASSIGN_OR_RETURN(bundle::Head head, bundle::ReadHead(root));
  log.tenant_id_ = std::move(head.tenant_id);
  log.key_ = std::move(head.key);
  SB_ASSIGN_OR_RETURN(const json::array* leaves, Array(root, "leaf_hashes"));
  for (const json::value& v : *leaves) {
    SB_ASSIGN_OR_RETURN(std::string leaf, bundle::ReadLeaf(v));
    log.leaves_.push_back(std::move(leaf));
  }
  SB_ASSIGN_OR_RETURN(const json::array* entries, Array(root, "entries"));
  for (const json::value& v : *entries) {
    if (!v.is_object()) return Status::Invalid("entries", "an entry is not an object");
    SB_ASSIGN_OR_RETURN(AuditEntry e, bundle::ReadEntry(v.get_object(), log.tenant_id_));
    log.entries_.push_back(std::move(e));
  }
  std::stable_sort(log.entries_.begin(), log.entries_.end(), [](const auto& a, const auto& b) {
    return a.leaf_index.value_or(-1) < b.leaf_index.value_or(-1);
  });
  SB_ASSIGN_OR_RETURN(const json::array* checkpoints, Array(root, "checkpoints"));
  for (const json::value& v : *checkpoints) {
    if (!v.is_object()) return Status::Invalid("checkpoints", "a checkpoint is not an object");
    SB_ASSIGN_OR_RETURN(Checkpoint c, bundle::ReadCheckpoint(v.get_object(), log.tenant_id_));
    log.claimed_size_ = std::max(log.claimed_size_, c.tree_size);
    log.checkpoints_.push_back(std::move(c));
  }
  std::stable_sort(log.checkpoints_.begin(), log.checkpoints_.end(), BundleLog::Earlier);
  return Status::Ok();
}

// Writes `items` as the JSON array member `name` of the bundle, reading them a chunk at a
// time through `next` (which returns an empty chunk at the end).
template <typename T>
Status WriteArray(std::ostream& out, std::string_view name,
                  const std::function<Result<std::vector<T>>()>& next,
                  const std::function<json::value(const T&)>& render) {
  out << ",\"" << name << "\":[";
  bool first = true;
  while (true) {
    SB_ASSIGN_OR_RETURN(std::vector<T> chunk, next());
    if (chunk.empty()) break;
    for (const T& item : chunk) {
      if (!first) out << ',';
      first = false;
      out << json::serialize(render(item));
    }
  }
  out << ']';
  return out ? Status::Ok() : Status::Internal("the bundle could not be written");
}

}  // namespace

Status AuditLog::ExportBundle(const std::string& tenant_id, std::ostream& out) const {
  return deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_RETURN_IF_ERROR(tx.GetTenant(tenant_id).status());
    SB_ASSIGN_OR_RETURN(domain::ServerKey key, tx.GetServerKey(kAuditSigningPurpose));
    // Only what a checkpoint covers: entries sequenced after it are not signed yet.
    std::int64_t size = 0;
    Result<Checkpoint> latest = tx.LatestCheckpoint(tenant_id);
    if (latest.ok()) size = latest->tree_size;
    if (!latest.ok() && latest.status().code() != Code::kNotFound) return latest.status();

    json::object head{{"format", bundle::kFormat},
                      {"tenant_id", tenant_id},
                      {"public_key",
                       {{"id", key.id},
                        {"algorithm", "ed25519"},
                        {"public_key", crypto::Base64(key.public_key)}}}};
    std::string opening = json::serialize(head);
    opening.pop_back();  // the closing brace: the arrays follow
    out << opening;

    std::optional<Checkpoint> after;
    std::function<Result<std::vector<Checkpoint>>()> checkpoints =
        [&]() -> Result<std::vector<Checkpoint>> {
      SB_ASSIGN_OR_RETURN(auto chunk, tx.ListCheckpointsAfter(
                                          tenant_id, after ? after->tree_size : -1,
                                          after ? after->created_at : 0, static_cast<int>(kChunk)));
      if (!chunk.empty()) after = chunk.back();
      return chunk;
    };
    SB_RETURN_IF_ERROR(WriteArray<Checkpoint>(
        out, "checkpoints", checkpoints,
        [](const Checkpoint& c) { return json::value(bundle::CheckpointJson(c)); }));

    // The entries are read twice, once for each array, so that neither is held whole. A
    // range with no entry (a log with a gap) is passed over, not taken for the end.
    std::int64_t from = 0;
    std::optional<EntriesInLeafOrder> reader;
    std::vector<AuditEntry> read;
    std::function<Result<std::vector<AuditEntry>>()> entries =
        [&]() -> Result<std::vector<AuditEntry>> {
      std::size_t n = 0;
      while (n == 0 && from < size) {
        SB_ASSIGN_OR_RETURN(n, reader->Read(from, std::min(size, from + kChunk), read));
        from += kChunk;
      }
      return std::vector<AuditEntry>(std::make_move_iterator(read.begin()),
                                     std::make_move_iterator(read.begin() + n));
    };
    reader.emplace(StoreEntries(tx, tenant_id));
    SB_RETURN_IF_ERROR(WriteArray<AuditEntry>(out, "leaf_hashes", entries, [](const AuditEntry& e) {
      return json::value(json::string(crypto::Base64(e.leaf_hash)));
    }));
    from = 0;
    reader.emplace(StoreEntries(tx, tenant_id));
    SB_RETURN_IF_ERROR(WriteArray<AuditEntry>(out, "entries", entries, [](const AuditEntry& e) {
      return json::value(bundle::EntryJson(e));
    }));
    out << "}";
    return out ? Status::Ok() : Status::Internal("the bundle could not be written");
  });
}

VerifyReport AuditLog::VerifyBundleFile(const std::string& path, std::uintmax_t whole_limit) {
  Result<VerifyReport> streamed_report = Status::Unavailable("not read");
  {
    BundleFileLog streamed(path);
    Status opened = streamed.Open();
    streamed_report = opened.ok() ? CheckLog(streamed) : Result<VerifyReport>(opened);
    if (streamed_report.ok() && streamed_report->ok) return std::move(streamed_report).value();
  }
  std::error_code size_error;
  const std::uintmax_t size = std::filesystem::file_size(path, size_error);
  if (!size_error && size > whole_limit) {
    if (streamed_report.ok()) return std::move(streamed_report).value();
    VerifyReport report;
    report.ok = false;
    report.kind = "malformed";
    report.detail = streamed_report.status().message() + " (" + streamed_report.status().param() +
                    "); a bundle this large is checked only in the order an export writes it";
    return report;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return VerifyBundle(text.str());
}

VerifyReport AuditLog::VerifyBundle(const std::string& bundle_json) {
  BundleLog log;
  Status read = ReadBundle(bundle_json, log);
  Result<VerifyReport> checked = read.ok() ? CheckLog(log) : Result<VerifyReport>(read);
  if (!checked.ok()) {
    VerifyReport report;
    report.ok = false;
    report.kind = "malformed";
    report.detail = checked.status().message() + " (" + checked.status().param() + ")";
    return report;
  }
  return std::move(checked).value();
}

}  // namespace sb::app
