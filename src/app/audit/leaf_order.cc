#include "app/audit/leaf_order.h"

#include <algorithm>
#include <memory>
#include <utility>

namespace sb::app {
namespace {

// Entries read in store order at once.
constexpr std::size_t kStoreOrderChunk = 4096;

// Exchanges two entries field by field, each keeping the other's strings' storage: what the
// window does with every entry twice. std::swap moves each of an entry's fifteen strings three
// times, which was an eighth of the check's reading thread (docs/PERFORMANCE.md, "Audit verify
// and export").
void SwapEntries(domain::AuditEntry& a, domain::AuditEntry& b) noexcept {
  // A field added to AuditEntry must be swapped here too: its size (x86-64, libstdc++) tells.
  static_assert(sizeof(domain::AuditEntry) == 504,
                "AuditEntry changed: swap every field of it in SwapEntries");
  using std::swap;
  swap(a.tenant_id, b.tenant_id);
  swap(a.id, b.id);
  swap(a.category, b.category);
  swap(a.action, b.action);
  swap(a.actor.type, b.actor.type);
  swap(a.actor.id, b.actor.id);
  swap(a.actor.role, b.actor.role);
  swap(a.channel, b.channel);
  swap(a.reason_code, b.reason_code);
  swap(a.comment, b.comment);
  swap(a.request_id, b.request_id);
  swap(a.correlation_id, b.correlation_id);
  swap(a.subject_type, b.subject_type);
  swap(a.subject_id, b.subject_id);
  swap(a.account_id, b.account_id);
  swap(a.before_json, b.before_json);
  swap(a.after_json, b.after_json);
  swap(a.created_at, b.created_at);
  swap(a.leaf_index, b.leaf_index);
  swap(a.leaf_hash, b.leaf_hash);
}

}  // namespace

EntrySource StoreEntries(domain::Tx& tx, std::string tenant_id) {
  // Where the pass in store order goes on: after the last entry read.
  struct After {
    std::string id;
    std::int64_t index = -1;
  };
  auto after = std::make_shared<After>();
  EntrySource source;
  source.next = [&tx, tenant_id,
                 after](std::vector<domain::AuditEntry>& out) -> Result<std::size_t> {
    SB_ASSIGN_OR_RETURN(std::size_t n, tx.ReadAuditInStoreOrder(tenant_id, after->id, after->index,
                                                                kStoreOrderChunk, out));
    if (n > 0) {
      after->id = out[n - 1].id;
      after->index = out[n - 1].leaf_index.value_or(-1);
    }
    return n;
  };
  source.by_index = [&tx, tenant_id](std::int64_t from, std::int64_t to) {
    return tx.ListAuditByIndex(tenant_id, from, to);
  };
  return source;
}

EntriesInLeafOrder::EntriesInLeafOrder(EntrySource source) : source_(std::move(source)) {}

bool EntriesInLeafOrder::ByIndexFromNowOn() {
  by_index_ = true;
  window_ = {};
  held_ = {};
  scanned_ = {};
  scanned_count_ = next_scanned_ = 0;
  return answered_from_scan_;
}

Result<std::size_t> EntriesInLeafOrder::ReadByIndex(std::int64_t from, std::int64_t to,
                                                    std::vector<domain::AuditEntry>& out) {
  if (!source_.by_index) {
    return Status::Unavailable("an entry is too far from its place to be read in order");
  }
  SB_ASSIGN_OR_RETURN(std::vector<domain::AuditEntry> entries, source_.by_index(from, to));
  if (out.size() < entries.size()) out.resize(entries.size());
  std::move(entries.begin(), entries.end(), out.begin());
  return entries.size();
}

EntriesInLeafOrder::Placed EntriesInLeafOrder::Place() {
  for (; next_scanned_ < scanned_count_; ++next_scanned_) {
    domain::AuditEntry& e = scanned_[next_scanned_];
    if (!e.leaf_index || *e.leaf_index < base_) return Placed::kOutOfReach;
    if (*e.leaf_index >= base_ + kLeafOrderWindow) return Placed::kWaiting;
    const std::size_t slot = Slot(*e.leaf_index);
    if (held_[slot]) return Placed::kOutOfReach;
    SwapEntries(window_[slot], e);
    held_[slot] = true;
  }
  return Placed::kAll;
}

Result<bool> EntriesInLeafOrder::Fill(std::int64_t to) {
  while (true) {
    const Placed placed = Place();
    if (placed == Placed::kOutOfReach) return false;
    while (first_missing_ < base_ + kLeafOrderWindow && held_[Slot(first_missing_)]) {
      ++first_missing_;
    }
    if (first_missing_ >= to) return true;
    // The window is full of entries waiting for a position it has not got.
    if (placed == Placed::kWaiting) return false;
    if (scan_done_) return true;
    SB_ASSIGN_OR_RETURN(scanned_count_, source_.next(scanned_));
    next_scanned_ = 0;
    if (scanned_count_ == 0) scan_done_ = true;
  }
}

Result<std::size_t> EntriesInLeafOrder::Read(std::int64_t from, std::int64_t to,
                                             std::vector<domain::AuditEntry>& out) {
  if (!by_index_ && (from < base_ || to - from > kLeafOrderWindow)) {
    complete_ = false;
    ByIndexFromNowOn();
  }
  if (by_index_) return ReadByIndex(from, to, out);
  if (window_.empty()) {
    window_.resize(static_cast<std::size_t>(kLeafOrderWindow));
    held_.assign(static_cast<std::size_t>(kLeafOrderWindow), false);
  }
  // Positions skipped over are let go.
  if (from - base_ >= kLeafOrderWindow) {
    held_.assign(held_.size(), false);
    base_ = from;
  }
  for (; base_ < from; ++base_) held_[Slot(base_)] = false;
  first_missing_ = std::max(first_missing_, base_);
  SB_ASSIGN_OR_RETURN(bool filled, Fill(to));
  if (!filled) {
    complete_ = false;
    ByIndexFromNowOn();
    return ReadByIndex(from, to, out);
  }
  std::size_t n = 0;
  for (; base_ < to; ++base_) {
    if (!held_[Slot(base_)]) continue;
    if (n == out.size()) out.emplace_back();
    SwapEntries(out[n++], window_[Slot(base_)]);
    held_[Slot(base_)] = false;
  }
  first_missing_ = std::max(first_missing_, base_);
  answered_from_scan_ = true;
  return n;
}

}  // namespace sb::app
