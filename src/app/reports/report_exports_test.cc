#include "app/reports/report_exports.h"

#include <gtest/gtest.h>

namespace sb::app {
namespace {

TEST(ExportCsvCell, PlainTextStaysAsItIs) {
  EXPECT_EQ(CsvCell("req_01"), "req_01");
  EXPECT_EQ(CsvCell(""), "");
}

TEST(ExportCsvCell, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("a\nb"), "\"a\nb\"");
}

TEST(ExportCsvCell, NeutralisesWhatASpreadsheetWouldRunAsAFormula) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : {Case{"=1+1", "'=1+1"}, Case{"+33", "'+33"}, Case{"-2", "'-2"},
                        Case{"@SUM(A1)", "'@SUM(A1)"}, Case{"\tx", "'\tx"},
                        Case{"=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""}}) {
    EXPECT_EQ(CsvCell(c.in), c.out) << c.in;
  }
}

TEST(ExportLines, RequestRowAsCsvAndJsonLine) {
  domain::RequestReportRow r;
  r.id = "req_1";
  r.account_id = "acc_1";
  r.region = "eu-west";
  r.type = domain::RequestType::kReconnection;
  r.state = domain::RequestState::kCompleted;
  r.origin = domain::Origin::kBulk;
  r.channel = domain::Channel::kApi;
  r.priority = "normal";
  r.actor.type = domain::ActorType::kApiKey;
  r.actor.id = "=evil";
  r.reason_code = "payment_received";
  r.created_at = 0;
  r.updated_at = 1000;
  std::string csv = ToLine(r, ExportFormat::kCsv);
  EXPECT_EQ(csv.substr(0, 6), "req_1,");
  EXPECT_NE(csv.find(",'=evil,"), std::string::npos);
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
  std::string line = ToLine(r, ExportFormat::kJsonLines);
  EXPECT_NE(line.find("\"region\":\"eu-west\""), std::string::npos);
  EXPECT_NE(line.find("\"actor_id\":\"=evil\""), std::string::npos);
  EXPECT_NE(line.find("\"completed_at\":null"), std::string::npos);
  EXPECT_EQ(line.back(), '\n');
}

}  // namespace
}  // namespace sb::app
