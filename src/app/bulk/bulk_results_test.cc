#include "app/bulk/bulk_results.h"

#include <gtest/gtest.h>

namespace sb::app {
namespace {

TEST(BulkResults, LinesQuoteWhatNeedsIt) {
  domain::BulkRow r;
  r.row_no = 7;
  r.state = domain::BulkRowState::kFailed;
  r.account_id = "acc_1";
  r.error_code = "blocked_by_hold";
  r.error_param = "payload.a,b";
  EXPECT_EQ(ResultsCsvLine(r, domain::BulkJobState::kRunning),
            "7,failed,acc_1,,,blocked_by_hold,\"payload.a,b\"\r\n");
}

TEST(BulkResults, PendingRowsOfACancelledJobReadCancelled) {
  domain::BulkRow r;
  r.row_no = 2;
  EXPECT_EQ(ResultsCsvLine(r, domain::BulkJobState::kCancelled), "2,cancelled,,,,,\r\n");
  EXPECT_EQ(ResultsCsvLine(r, domain::BulkJobState::kPaused), "2,pending,,,,,\r\n");
}

}  // namespace
}  // namespace sb::app
