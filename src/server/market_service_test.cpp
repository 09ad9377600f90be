// The rule endpoints of MarketService: how a refused body, a refused webhook and a failing store become
// HTTP answers (status and the exact error body). No sockets: requests go through the router.
#include "server/market_service.h"

#include <gtest/gtest.h>

#include <vector>

namespace vnt::server {
namespace {

const std::string kRule = R"({"metric":"last_price","symbol":"FPT","comparison":">","threshold":23000)";

class RuleEndpoints : public ::testing::Test {
 protected:
  RuleEndpoints() : engine_(Config()), service_(engine_, HealthInfo{}, HistoryProvider{}, metrics_) {
    service_.SetVn30({Symbol::Of("FPT")});
    service_.Register(router_);
  }
  static core::EngineConfig Config() {
    core::EngineConfig c;
    c.vn30 = {Symbol::Of("FPT")};
    return c;
  }
  Response Call(std::string method, std::string path, std::string body = {}) {
    Request q;
    q.method = std::move(method);
    q.target = path;
    q.path = std::move(path);
    q.body = std::move(body);
    return router_.Handle(q);
  }

  core::MarketEngine engine_;
  Registry metrics_;
  MarketService service_;
  Router router_;
};

TEST_F(RuleEndpoints, ABadBodyIsA400NamingTheField) {
  const Response bad =
      Call("POST", "/api/alerts/rules", R"({"metric":"last_price","comparison":"~","threshold":1})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body,
            R"({"error":{"code":"bad_parameter","message":"comparison must be one of >, >=, <, <=, ==, )"
            R"(crosses_above, crosses_below","field":"comparison"}})");
  const Response no_object = Call("PUT", "/api/alerts/rules/1", "[1]");
  EXPECT_EQ(no_object.status, 400);
  EXPECT_EQ(no_object.body,
            R"({"error":{"code":"bad_parameter","message":"body must be a JSON object","field":"body"}})");
  EXPECT_TRUE(engine_.Rules().empty());
}

TEST_F(RuleEndpoints, ARefusedWebhookIsA400NamingWebhookUrl) {
  std::vector<std::string> checked;
  service_.SetWebhookCheck([&checked](std::string_view url) -> Status {
    checked.emplace_back(url);
    return Error{ErrorCode::kInvalidArgument, "the host is missing", "url"};
  });
  const Response r = Call("POST", "/api/alerts/rules", kRule + R"(,"webhook_url":"http://x/h"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(
      r.body,
      R"({"error":{"code":"bad_parameter","message":"webhook_url: the host is missing","field":"webhook_url"}})");
  EXPECT_EQ(checked, std::vector<std::string>{"http://x/h"});
  // No webhook, no check.
  EXPECT_EQ(Call("POST", "/api/alerts/rules", kRule + "}").status, 201);
  EXPECT_EQ(checked.size(), 1u);
}

TEST_F(RuleEndpoints, TheStoresIdIsTheEnginesAndItsFailuresAre503s) {
  std::int64_t next_id = 42;
  std::vector<std::int64_t> removed;
  bool store_up = true;
  RuleStore store;
  store.create = [&](const core::AlertRule&) -> Result<std::int64_t> {
    if (!store_up) return Error{ErrorCode::kIo, "disk full"};
    return next_id;
  };
  store.update = [&](const core::AlertRule&) -> Status {
    if (!store_up) return Error{ErrorCode::kIo, "disk full"};
    return {};
  };
  store.remove = [&](std::int64_t id) -> Status {
    removed.push_back(id);
    if (!store_up) return Error{ErrorCode::kIo, "disk full"};
    return {};
  };
  service_.SetRuleStore(store);

  const Response created = Call("POST", "/api/alerts/rules", kRule + "}");
  EXPECT_EQ(created.status, 201);
  EXPECT_NE(created.body.find(R"("id":42,)"), std::string::npos) << created.body;
  ASSERT_EQ(engine_.Rules().size(), 1u);
  EXPECT_EQ(engine_.Rules()[0].id, 42);

  // The store hands out an id the engine holds already: the engine refuses, the stored row is taken back.
  const Response duplicate = Call("POST", "/api/alerts/rules", kRule + "}");
  EXPECT_EQ(duplicate.status, 400);
  EXPECT_EQ(duplicate.body,
            R"({"error":{"code":"bad_parameter","message":"a rule with this id exists","field":"rule"}})");
  EXPECT_EQ(removed, std::vector<std::int64_t>{42});

  store_up = false;
  const Response not_created = Call("POST", "/api/alerts/rules", kRule + "}");
  EXPECT_EQ(not_created.status, 503);
  EXPECT_EQ(not_created.body,
            R"({"error":{"code":"store_unavailable","message":"rule not saved: disk full"}})");
  const Response not_updated = Call("PUT", "/api/alerts/rules/42", kRule + "}");
  EXPECT_EQ(not_updated.status, 503);
  EXPECT_EQ(not_updated.body,
            R"({"error":{"code":"store_unavailable","message":"rule not saved: disk full"}})");
  const Response not_deleted = Call("DELETE", "/api/alerts/rules/42");
  EXPECT_EQ(not_deleted.status, 503);
  EXPECT_EQ(
      not_deleted.body,
      R"({"error":{"code":"store_unavailable","message":"rule not deleted from the store: disk full"}})");
  EXPECT_EQ(Call("PUT", "/api/alerts/rules/7", kRule + "}").status, 404);
}

}  // namespace
}  // namespace vnt::server
