// Runs the storage contract suite (contract.h) on PostgreSQL. Needs SB_TEST_PG_URL, the URL that
// `scripts/pg_test_cluster.sh start DIR` prints; every test fails without it.
#include "tests/storage/contract.h"
#include "tests/support/test_stores.h"

namespace sb::testing {

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContract, ::testing::Values(&NewPostgresTestStore));

}  // namespace sb::testing
