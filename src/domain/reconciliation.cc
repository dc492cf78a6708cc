#include "domain/reconciliation.h"

namespace sb::domain {
namespace {

template <typename E, std::size_t N>
std::optional<E> ByName(std::string_view text, const E (&all)[N]) {
  for (E e : all) {
    if (Name(e) == text) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view Name(DriftKind k) {
  switch (k) {
    case DriftKind::kServiceStatus:
      return "service_status";
    case DriftKind::kAccountStatus:
      return "account_status";
    case DriftKind::kAmountDue:
      return "amount_due";
  }
  return "service_status";
}

std::optional<DriftKind> ParseDriftKind(std::string_view text) { return ByName(text, kDriftKinds); }

std::string_view Name(DriftTruth t) {
  return t == DriftTruth::kSwitchboard ? "switchboard" : "source";
}

std::optional<DriftTruth> ParseDriftTruth(std::string_view text) {
  constexpr DriftTruth kAll[] = {DriftTruth::kSwitchboard, DriftTruth::kSource};
  return ByName(text, kAll);
}

std::string_view Name(DriftRepair r) { return r == DriftRepair::kRepair ? "repair" : "queue"; }

std::optional<DriftRepair> ParseDriftRepair(std::string_view text) {
  constexpr DriftRepair kAll[] = {DriftRepair::kRepair, DriftRepair::kQueue};
  return ByName(text, kAll);
}

const DriftRule& ReconciliationPolicy::For(DriftKind k) const {
  switch (k) {
    case DriftKind::kServiceStatus:
      return service_status;
    case DriftKind::kAccountStatus:
      return account_status;
    case DriftKind::kAmountDue:
      return amount_due;
  }
  return service_status;
}

DriftRule& ReconciliationPolicy::For(DriftKind k) {
  return const_cast<DriftRule&>(static_cast<const ReconciliationPolicy&>(*this).For(k));
}

bool IsSourceSystemName(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::vector<Drift> Compare(const Account& account, const Service* service, const SourceView& said) {
  std::vector<Drift> out;
  if (service && said.service_status && *said.service_status != service->status) {
    out.push_back({DriftKind::kServiceStatus, service->id, std::string(Name(service->status)),
                   std::string(Name(*said.service_status))});
  }
  if (said.account_status && *said.account_status != account.status) {
    out.push_back({DriftKind::kAccountStatus, "", std::string(Name(account.status)),
                   std::string(Name(*said.account_status))});
  }
  if (said.amount_due_minor && *said.amount_due_minor != account.amount_due_minor) {
    out.push_back({DriftKind::kAmountDue, "", std::to_string(account.amount_due_minor),
                   std::to_string(*said.amount_due_minor)});
  }
  return out;
}

}  // namespace sb::domain
