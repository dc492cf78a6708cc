// PgTx: the rows a transaction read or wrote, kept so that reading them again costs no round
// trip (PgTx::Rows in storage/postgres/pg_tx.h).
#include <algorithm>
#include <string_view>

#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {

std::string PgTx::RowKey(std::string_view tenant_id, std::string_view id) {
  std::string key;
  key.reserve(tenant_id.size() + 1 + id.size());
  key.append(tenant_id).append(1, '\n').append(id);
  return key;
}

void PgTx::ForgetRowsWrittenBy(const Stmt& stmt) {
  std::string_view sql = stmt.sql;
  if (sql.rfind("SELECT", 0) == 0) return;  // no function the app calls writes these tables
  for (std::string_view table : {"accounts", "services", "holds", "subject_keys"}) {
    if (sql.find(table) != std::string_view::npos) {
      rows_ = Rows{};
      return;
    }
  }
}

void PgTx::KeepHold(const domain::Hold& h) {
  rows_.holds[RowKey(h.tenant_id, h.id)] = h;
  for (auto& [account, holds] : rows_.active_holds_of) {
    std::erase_if(holds, [&h](const domain::Hold& listed) { return listed.id == h.id; });
  }
  if (h.state != domain::HoldState::kActive) return;
  auto listed = rows_.active_holds_of.find(RowKey(h.tenant_id, h.account_id));
  if (listed == rows_.active_holds_of.end()) return;
  // Newest first, as ListHolds reads them (ORDER BY id DESC).
  auto at = std::find_if(listed->second.begin(), listed->second.end(),
                         [&h](const domain::Hold& other) { return other.id < h.id; });
  listed->second.insert(at, h);
}

}  // namespace sb::storage::postgres
