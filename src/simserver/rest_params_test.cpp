#include "simserver/rest_params.h"

#include <gtest/gtest.h>

namespace vnt::simserver {
namespace {

TEST(RestParams, AnyCaseWithOrWithoutTheLookupRequestPrefix) {
  const Params p("lookupRequest.indexCode=VN30&PageIndex=2&pageSize=100&LOOKUPREQUEST.Market=hose&x=a%2Fb+c");
  EXPECT_EQ(p.Get("indexCode"), "VN30");
  EXPECT_EQ(p.Get("INDEXCODE"), "VN30");
  EXPECT_EQ(p.Get("pageIndex"), "2");
  EXPECT_EQ(p.Get("PageSize"), "100");
  EXPECT_EQ(p.Get("market"), "hose");
  EXPECT_EQ(p.Get("x"), "a/b c");
  EXPECT_FALSE(p.Get("symbol").has_value());
  EXPECT_EQ(Params("flag&bad=%zz").Get("flag"), "");
  EXPECT_EQ(Params("bad=%zz").Get("bad"), "%zz");  // malformed percent-encoding is kept as it came
}

TEST(DmyDates, DdMmYyyy) {
  Date d;
  ASSERT_TRUE(ParseDmy("18/03/2026", &d));
  EXPECT_EQ(d, Date::Of(2026, 3, 18));
  EXPECT_EQ(FormatDmy(Date::Of(2026, 3, 8)), "08/03/2026");
  EXPECT_FALSE(ParseDmy("2026-03-18", &d));
  EXPECT_FALSE(ParseDmy("18/13/2026", &d));
  EXPECT_FALSE(ParseDmy("1/3/2026", &d));
  EXPECT_FALSE(ParseDmy("18/03/20a6", &d));
}

TEST(PageQuery, DefaultsAndValidation) {
  PageQuery q = ReadPageQuery(Params(""), false);
  EXPECT_TRUE(q.error.empty());
  EXPECT_EQ(q.page_index, 1);
  EXPECT_EQ(q.page_size, 10);
  EXPECT_FALSE(q.ascending);
  q = ReadPageQuery(Params("pageIndex=10&pageSize=500&ascending=TRUE"), false);
  EXPECT_TRUE(q.error.empty()) << q.error;
  EXPECT_EQ(q.page_index, 10);
  EXPECT_EQ(q.page_size, 500);
  EXPECT_TRUE(q.ascending);
  for (const char* bad : {"pageIndex=0", "pageIndex=11", "pageIndex=x", "pageSize=7", "pageSize=10x"}) {
    EXPECT_FALSE(ReadPageQuery(Params(bad), false).error.empty()) << bad;
  }
  EXPECT_NE(ReadPageQuery(Params(""), true).error.find("fromDate"), std::string::npos);
  EXPECT_NE(ReadPageQuery(Params("fromDate=2026-03-18&toDate=18/03/2026"), true).error.find("fromDate"),
            std::string::npos);
  EXPECT_FALSE(ReadPageQuery(Params("fromDate=19/03/2026&toDate=18/03/2026"), true).error.empty());
  q = ReadPageQuery(Params("fromDate=17/03/2026&toDate=18/03/2026"), true);
  EXPECT_TRUE(q.error.empty());
  EXPECT_TRUE(q.Covers(Date::Of(2026, 3, 18)));
  EXPECT_FALSE(q.Covers(Date::Of(2026, 3, 19)));
}

TEST(RestEnvelope, PagesAndCountsEverything) {
  std::vector<std::string> items;
  for (int i = 0; i < 25; ++i) items.push_back("{\"n\":\"" + std::to_string(i) + "\"}");
  PageQuery q;
  q.page_index = 3;
  EXPECT_EQ(PageEnvelope(items, q),
            R"({"data":[{"n":"20"},{"n":"21"},{"n":"22"},{"n":"23"},{"n":"24"}],"message":"Success",)"
            R"("status":"Success","totalRecord":25})");
  q.page_index = 4;
  EXPECT_EQ(PageEnvelope(items, q), R"({"data":[],"message":"Success","status":"Success","totalRecord":25})");
  EXPECT_EQ(ErrorEnvelope("pageSize must be \"10\""),
            R"({"data":null,"message":"pageSize must be \"10\"","status":"BadRequest","totalRecord":0})");
  EXPECT_EQ(UnauthorizedBody(), R"({"message":"Missing Authorization header","status":401})");
}

TEST(ItemWriter, StringNumbersAndNulls) {
  EXPECT_EQ(ItemWriter()
                .Field("Symbol", "FPT")
                .Field("Close", Fixed4::FromRaw(1'283'9000))
                .Field("Volume", std::int64_t{23382100})
                .Null("Time")
                .Raw("List", "[]")
                .Done(),
            R"({"Symbol":"FPT","Close":"1283.9","Volume":"23382100","Time":null,"List":[]})");
}

}  // namespace
}  // namespace vnt::simserver
