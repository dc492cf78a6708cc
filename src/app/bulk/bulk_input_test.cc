#include "app/bulk/bulk_input.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace sb::app {
namespace {

struct Read {
  std::vector<BulkRowInput> rows;
  std::vector<BulkRowError> errors;
  std::optional<BulkRowError> fatal;
};

Read ReadText(const std::string& text, BulkFormat format = BulkFormat::kCsv,
              BulkReadLimits limits = {}) {
  Read out;
  std::istringstream in(text);
  out.fatal = ReadBulkFile(
      in, format, limits,
      [&](BulkRowInput&& r) {
        out.rows.push_back(std::move(r));
        return true;
      },
      [&](BulkRowError&& e) { out.errors.push_back(std::move(e)); });
  return out;
}

TEST(BulkInput, CsvColumnsBecomeTheRowAndItsPayload) {
  Read r = ReadText(
      "external_ref,type,reason_code,idempotency_key,payload.hold_type,payload.amount_minor:json,"
      "payload.note\r\n"
      "A-1,suspension,non_payment,k-1,non_payment,-500,\r\n");
  ASSERT_FALSE(r.fatal);
  ASSERT_TRUE(r.errors.empty());
  ASSERT_EQ(r.rows.size(), 1u);
  const BulkRowInput& row = r.rows[0];
  EXPECT_EQ(row.row, 2);
  EXPECT_EQ(row.external_ref, "A-1");
  EXPECT_EQ(row.type, domain::RequestType::kSuspension);
  EXPECT_EQ(row.idempotency_key, "k-1");
  EXPECT_EQ(row.payload.at("hold_type").as_string(), "non_payment");
  EXPECT_EQ(row.payload.at("amount_minor").as_int64(), -500);
  EXPECT_FALSE(row.payload.contains("note"));  // an empty cell sends no field
}

TEST(BulkInput, RowErrorsNameColumnAndCode) {
  struct Case {
    std::string line;
    std::string column;
    std::string code;
  };
  std::vector<Case> cases = {
      {",suspension,non_payment,x", "external_ref", "account_required"},
      {"A-1,,non_payment,x", "type", "type_required"},
      {"A-1,nap,non_payment,x", "type", "unknown_type"},
      {"A-1,suspension,,x", "reason_code", "reason_required"},
      {"A-1,suspension,no way,x", "reason_code", "invalid_value"},
      {"A-1,suspension,non_payment,4111 1111 1111 1111", "payload.hold_type",
       "card_number_refused"},
      {"A-1,suspension", "", "wrong_field_count"},
      {",,,", "", "empty_row"},
  };
  for (const Case& c : cases) {
    Read r = ReadText("external_ref,type,reason_code,payload.hold_type\n" + c.line + "\n");
    ASSERT_FALSE(r.fatal) << c.line;
    ASSERT_EQ(r.errors.size(), 1u) << c.line;
    EXPECT_EQ(r.errors[0].row, 2) << c.line;
    EXPECT_EQ(r.errors[0].column, c.column) << c.line;
    EXPECT_EQ(r.errors[0].code, c.code) << c.line;
  }
}

TEST(BulkInput, HeaderProblemsStopReading) {
  struct Case {
    std::string header;
    std::string column;
    std::string code;
  };
  std::vector<Case> cases = {
      {"external_ref,type,reason_code,colour", "colour", "unknown_column"},
      {"external_ref,type,reason_code,type", "type", "duplicate_column"},
      {"external_ref,type", "reason_code", "missing_column"},
      {"type,reason_code", "external_ref", "missing_column"},
      {"external_ref,type,reason_code,payload.Bad-Name", "payload.Bad-Name", "unknown_column"},
  };
  for (const Case& c : cases) {
    Read r = ReadText(c.header + "\nA-1,suspension,x,y\n");
    ASSERT_TRUE(r.fatal) << c.header;
    EXPECT_EQ(r.fatal->row, 1);
    EXPECT_EQ(r.fatal->column, c.column) << c.header;
    EXPECT_EQ(r.fatal->code, c.code) << c.header;
    EXPECT_TRUE(r.rows.empty());
  }
}

TEST(BulkInput, ACardNumberAsAColumnNameIsNeverEchoed) {
  const std::string header = "external_ref,type,reason_code,";
  for (std::string card : {"4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111"}) {
    Read unknown = ReadText(header + card + "\nA-1,suspension,x,y\n");
    ASSERT_TRUE(unknown.fatal) << card;
    EXPECT_EQ(unknown.fatal->column, "[card number removed]");
    EXPECT_EQ(unknown.fatal->code, "unknown_column");
    Read twice = ReadText("external_ref," + card + "," + card + "\n");
    ASSERT_TRUE(twice.fatal) << card;
    EXPECT_EQ(twice.fatal->column, "[card number removed]");
    EXPECT_EQ(twice.fatal->code, "duplicate_column");
    std::string key = "\"" + card + "\"";
    Read json =
        ReadText("{\"external_ref\":\"A-1\"," + key + ":\"x\"}\n{" + key + ":1," + key + ":2}\n",
                 BulkFormat::kNdjson);
    ASSERT_EQ(json.errors.size(), 2u) << card;
    EXPECT_EQ(json.errors[0].column, "[card number removed]");
    EXPECT_EQ(json.errors[0].code, "card_number_refused");
    EXPECT_EQ(json.errors[1].column, "[card number removed]");
    EXPECT_EQ(json.errors[1].code, "duplicate_field");
  }
  // A payload column may be named so: each row is refused, and so is a file that breaks in it.
  for (std::string card : {"4111111111111111", "4111_1111_1111_1111"}) {
    std::string payload_header = header + "payload." + card + "\n";
    Read rows = ReadText(payload_header + "A-1,suspension,x,y\n");
    ASSERT_FALSE(rows.fatal) << card;
    ASSERT_EQ(rows.errors.size(), 1u) << card;
    EXPECT_EQ(rows.errors[0].column, "payload.[card number removed]");
    EXPECT_EQ(rows.errors[0].code, "card_number_refused");
    Read broken = ReadText(payload_header + "A-1,suspension,x,\"y\n");
    ASSERT_TRUE(broken.fatal) << card;
    EXPECT_EQ(broken.fatal->column, "payload.[card number removed]");
    EXPECT_EQ(broken.fatal->code, "unterminated_quote");
  }
}

TEST(BulkInput, AColumnWithoutANameIsNamedByItsPosition) {
  struct Case {
    std::string header;
    std::string column;
  };
  std::vector<Case> cases = {
      {"external_ref,type,reason_code,payload.hold_type,,", "column 5"},
      {"external_ref,type,reason_code,", "column 4"},
      {",external_ref,type,reason_code", "column 1"},
      {"", "column 1"},
  };
  for (const Case& c : cases) {
    Read r = ReadText(c.header + "\nA-1,suspension,x,y\n");
    ASSERT_TRUE(r.fatal) << c.header;
    EXPECT_EQ(r.fatal->row, 1);
    EXPECT_EQ(r.fatal->column, c.column) << c.header;
    EXPECT_EQ(r.fatal->code, "unnamed_column") << c.header;
  }
}

TEST(BulkInput, AnErrorsPlaceNamesTheColumnOnce) {
  EXPECT_EQ(RowErrorPlace({3, "reason_code", "x"}), "row 3, column reason_code");
  EXPECT_EQ(RowErrorPlace({1, "column 257", "too_many_fields"}), "row 1, column 257");
  EXPECT_EQ(RowErrorPlace({1, "column x", "unknown_column"}), "row 1, column column x");
  EXPECT_EQ(RowErrorPlace({4, "", "empty_row"}), "row 4");
}

TEST(BulkInput, TooManyRowsStopsReading) {
  BulkReadLimits limits;
  limits.max_rows = 2;
  Read r =
      ReadText("external_ref,type,reason_code\nA,suspension,x\n\n\n", BulkFormat::kCsv, limits);
  ASSERT_TRUE(r.fatal);
  EXPECT_EQ(r.fatal->code, "too_many_rows");
  EXPECT_EQ(r.fatal->row, 4);
}

TEST(BulkInput, JsonLinesAreReadStrictly) {
  Read r = ReadText(
      "{\"account_id\":\"acc_1\",\"type\":\"suspension\",\"reason_code\":\"non_payment\","
      "\"payload\":{\"hold_type\":\"non_payment\"}}\n"
      "{\"account_id\":\"acc_1\",\"type\":\"suspension\",\"colour\":\"red\"}\n"
      "not json\n"
      "{\"account_id\":\"acc_1\",\"type\":\"suspension\",\"reason_code\":\"x\",\"payload\":3}\n",
      BulkFormat::kNdjson);
  ASSERT_FALSE(r.fatal);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].payload.at("hold_type").as_string(), "non_payment");
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0].row, 2);
  EXPECT_EQ(r.errors[0].column, "colour");
  EXPECT_EQ(r.errors[0].code, "unknown_field");
  EXPECT_EQ(r.errors[1].row, 3);
  EXPECT_EQ(r.errors[1].code, "invalid_json");
  EXPECT_EQ(r.errors[2].column, "payload");
}

TEST(BulkInput, JsonLineOverTheLimitStopsReading) {
  BulkReadLimits limits;
  limits.max_line_bytes = 64;
  Read r = ReadText("{\"note\":\"" + std::string(100, 'x') + "\"}\n", BulkFormat::kNdjson, limits);
  ASSERT_TRUE(r.fatal);
  EXPECT_EQ(r.fatal->code, "line_too_large");
  EXPECT_EQ(r.fatal->row, 1);
}

}  // namespace
}  // namespace sb::app
