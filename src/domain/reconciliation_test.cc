// The comparison of one row with Switchboard's account and service, and the names of the
// pack's rules.
#include "domain/reconciliation.h"

#include <gtest/gtest.h>

namespace sb::domain {
namespace {

Account AnAccount() {
  Account a;
  a.id = "acc_1";
  a.status = AccountStatus::kSuspended;
  a.amount_due_minor = 4250;
  return a;
}

TEST(Reconciliation, OnlyWhatTheSourceSaysIsCompared) {
  Account a = AnAccount();
  Service s;
  s.id = "svc_1";
  s.status = ServiceStatus::kSuspended;
  EXPECT_TRUE(Compare(a, &s, {}).empty());
  SourceView same{ServiceStatus::kSuspended, AccountStatus::kSuspended, 4250};
  EXPECT_TRUE(Compare(a, &s, same).empty());

  SourceView all{ServiceStatus::kActive, AccountStatus::kActive, 0};
  std::vector<Drift> d = Compare(a, &s, all);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].kind, DriftKind::kServiceStatus);
  EXPECT_EQ(d[0].service_id, "svc_1");
  EXPECT_EQ(d[0].switchboard_value, "suspended");
  EXPECT_EQ(d[0].source_value, "active");
  EXPECT_EQ(d[1].kind, DriftKind::kAccountStatus);
  EXPECT_EQ(d[1].service_id, "");
  EXPECT_EQ(d[2].kind, DriftKind::kAmountDue);
  EXPECT_EQ(d[2].switchboard_value, "4250");
  EXPECT_EQ(d[2].source_value, "0");
  // Without a service, a service status says nothing.
  EXPECT_EQ(Compare(a, nullptr, all).size(), 2u);
}

TEST(Reconciliation, NamesReadBackAndTheDefaultsAreTheDocumentedOnes) {
  for (DriftKind k : kDriftKinds) EXPECT_EQ(ParseDriftKind(Name(k)), k);
  EXPECT_EQ(ParseDriftTruth("source"), DriftTruth::kSource);
  EXPECT_EQ(ParseDriftRepair("queue"), DriftRepair::kQueue);
  EXPECT_FALSE(ParseDriftRepair("auto"));
  ReconciliationPolicy p;
  EXPECT_EQ(p.For(DriftKind::kServiceStatus).repair, DriftRepair::kRepair);
  EXPECT_EQ(p.For(DriftKind::kAmountDue).truth, DriftTruth::kSource);
  EXPECT_EQ(p.For(DriftKind::kAmountDue).repair, DriftRepair::kQueue);
  EXPECT_TRUE(IsSourceSystemName("oss-north_2"));
  EXPECT_FALSE(IsSourceSystemName("Billing"));
  EXPECT_FALSE(IsSourceSystemName(""));
  EXPECT_FALSE(IsSourceSystemName(std::string(33, 'a')));
}

}  // namespace
}  // namespace sb::domain
