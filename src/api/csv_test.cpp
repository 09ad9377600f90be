#include "api/csv.h"

#include <gtest/gtest.h>

namespace vnt::api {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

TEST(CsvTest, ArrayOfObjectsFlattenedWithQuotingAndUnionOfColumns) {
  const auto csv = JsonToCsv(
      R"([{"symbol":"FPT","price":105500,"pct":0.1,"name":"a,\"b\"","foreign":{"buy":1,"sell":null},"bid":[[1,2]]},
          {"symbol":"VNM","price":61000,"extra":true,"name":"Công ty\nX"}])",
      "");
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_EQ(*csv, std::string(kBom) +
                      "symbol,price,pct,name,foreign.buy,foreign.sell,bid,extra\r\n"
                      "FPT,105500,0.1,\"a,\"\"b\"\"\",1,,\"[[1,2]]\",\r\n"
                      "VNM,61000,,\"Công ty\nX\",,,,true\r\n");
}

TEST(CsvTest, RowsFromAMemberArrayOrObject) {
  auto csv =
      JsonToCsv(R"({"symbol":"FPT","trades":[{"seq":2,"volume":100},{"seq":1,"volume":50}]})", "trades");
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_EQ(*csv, std::string(kBom) + "seq,volume\r\n2,100\r\n1,50\r\n");
  csv = JsonToCsv(R"({"symbols":{"ACB":{"symbol":"ACB","last":24600},"X":{"v":1}}})", "symbols");
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_EQ(*csv, std::string(kBom) + "symbol,last,key,v\r\nACB,24600,,\r\n,,X,1\r\n");
  EXPECT_EQ(*JsonToCsv("[]", ""), std::string(kBom) + "\r\n");
}

TEST(CsvTest, DocumentsWithoutRowsSayWhatIsMissing) {
  EXPECT_EQ(JsonToCsv(R"({"a":1})", "trades").error(),
            (Error{ErrorCode::kNotFound, "no member 'trades'", "trades"}));
  EXPECT_EQ(JsonToCsv("[1]", "trades").error().code, ErrorCode::kNotFound);  // not an object
  EXPECT_EQ(JsonToCsv("not json", "").error(), (Error{ErrorCode::kParse, "not JSON"}));
  EXPECT_EQ(JsonToCsv(R"({"trades":3})", "trades").error(),
            (Error{ErrorCode::kParse, "the rows are neither an array nor an object", "trades"}));
}

TEST(CsvTest, SafeFileName) {
  EXPECT_EQ(SafeFileName("vnt-trades-FPT/../x y"), "vnt-trades-FPT_.._x_y");
}

}  // namespace
}  // namespace vnt::api
