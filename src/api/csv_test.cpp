#include "api/csv.h"

#include <gtest/gtest.h>

namespace vnt::api {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

TEST(CsvTest, ArrayOfObjectsFlattenedWithQuotingAndUnionOfColumns) {
  std::string err;
  const auto csv = JsonToCsv(
      R"([{"symbol":"FPT","price":105500,"pct":0.1,"name":"a,\"b\"","foreign":{"buy":1,"sell":null},"bid":[[1,2]]},
          {"symbol":"VNM","price":61000,"extra":true,"name":"Công ty\nX"}])",
      "", &err);
  ASSERT_TRUE(csv) << err;
  EXPECT_EQ(*csv, std::string(kBom) +
                      "symbol,price,pct,name,foreign.buy,foreign.sell,bid,extra\r\n"
                      "FPT,105500,0.1,\"a,\"\"b\"\"\",1,,\"[[1,2]]\",\r\n"
                      "VNM,61000,,\"Công ty\nX\",,,,true\r\n");
}

TEST(CsvTest, RowsFromAMemberArrayOrObject) {
  std::string err;
  auto csv = JsonToCsv(R"({"symbol":"FPT","trades":[{"seq":2,"volume":100},{"seq":1,"volume":50}]})",
                       "trades", &err);
  ASSERT_TRUE(csv) << err;
  EXPECT_EQ(*csv, std::string(kBom) + "seq,volume\r\n2,100\r\n1,50\r\n");
  csv = JsonToCsv(R"({"symbols":{"ACB":{"symbol":"ACB","last":24600},"X":{"v":1}}})", "symbols", &err);
  ASSERT_TRUE(csv) << err;
  EXPECT_EQ(*csv, std::string(kBom) + "symbol,last,key,v\r\nACB,24600,,\r\n,,X,1\r\n");
  EXPECT_FALSE(JsonToCsv(R"({"a":1})", "trades", &err));
  EXPECT_FALSE(JsonToCsv("not json", "", &err));
  EXPECT_EQ(*JsonToCsv("[]", "", &err), std::string(kBom) + "\r\n");
}

TEST(CsvTest, SafeFileName) {
  EXPECT_EQ(SafeFileName("vnt-trades-FPT/../x y"), "vnt-trades-FPT_.._x_y");
}

}  // namespace
}  // namespace vnt::api
