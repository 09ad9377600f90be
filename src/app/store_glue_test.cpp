// The wiring between the history store and the server's rules: a real SQLite file, no server.
#include "app/store_glue.h"

#include <gtest/gtest.h>

#include <memory>

#include "store/test_util.h"
#include "store/writer.h"

namespace vnt::app {
namespace {

using store::testing::RawDb;
using store::testing::TempDir;

core::AlertRule Rule(std::string symbol, double threshold) {
  core::AlertRule r;
  r.symbol = std::move(symbol);
  r.threshold = threshold;
  return r;
}

// A migrated SQLite store (the writer creates the schema) and a reader on it.
class StoreGlueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("glue.db");
    store::WriterConfig cfg;
    cfg.path = path_;
    writer_ = std::make_unique<store::Writer>(cfg);
    reader_ = std::make_unique<store::Reader>(path_);
  }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<store::Writer> writer_;
  std::unique_ptr<store::Reader> reader_;
};

TEST_F(StoreGlueTest, LoadRulesKeepsTheStoresIdsAndSkipsRowsTheEngineRefuses) {
  const auto fpt = reader_->CreateRule(Rule("FPT", 23000));
  ASSERT_TRUE(fpt.ok()) << fpt.error;
  core::AlertRule refused = Rule("VNM", 1);
  refused.cooldown_sec = -5;  // the store keeps it; the engine does not
  ASSERT_TRUE(reader_->CreateRule(refused).ok());
  const auto any = reader_->CreateRule(Rule("*", 2));
  ASSERT_TRUE(any.ok()) << any.error;

  core::MarketEngine engine(core::EngineConfig{});
  const Result<int> loaded = LoadRules(*reader_, engine);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(*loaded, 2);
  ASSERT_EQ(engine.Rules().size(), 2u);
  EXPECT_EQ(engine.Rules()[0].id, fpt.value);
  EXPECT_EQ(engine.Rules()[0].symbol, "FPT");
  EXPECT_EQ(engine.Rules()[1].id, any.value);
}

TEST_F(StoreGlueTest, LoadRulesReportsAStoreThatCannotBeReadAsAnIoError) {
  ASSERT_EQ(RawDb(path_).Exec("DROP TABLE alert_rules"), 0);
  core::MarketEngine engine(core::EngineConfig{});
  const Result<int> loaded = LoadRules(*reader_, engine);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, ErrorCode::kIo);
  EXPECT_FALSE(loaded.error().message.empty());
  EXPECT_TRUE(engine.Rules().empty());
}

TEST_F(StoreGlueTest, TheRuleStoreCreatesUpdatesAndRemovesAndNamesARuleItDoesNotHold) {
  const server::RuleStore rules = MakeRuleStore(*reader_);
  const Result<std::int64_t> id = rules.create(Rule("FPT", 23000));
  ASSERT_TRUE(id.ok()) << id.error().message;
  core::AlertRule changed = Rule("FPT", 24000);
  changed.id = *id;
  EXPECT_TRUE(rules.update(changed).ok());
  const auto stored = reader_->GetRule(*id);
  ASSERT_TRUE(stored.ok() && stored.value.has_value());
  EXPECT_DOUBLE_EQ(stored.value->rule.threshold, 24000);
  EXPECT_TRUE(rules.remove(*id).ok());

  changed.id = *id + 100;
  const Status missing = rules.update(changed);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(),
            (Error{ErrorCode::kNotFound, "no rule " + std::to_string(*id + 100) + " in the store", "id"}));
  const Status gone = rules.remove(*id);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(gone.error().field, "id");
}

TEST_F(StoreGlueTest, TheRuleStoresFailuresAreIoErrorsWithTheStoresMessage) {
  const server::RuleStore rules = MakeRuleStore(*reader_);
  ASSERT_EQ(RawDb(path_).Exec("DROP TABLE alert_rules"), 0);
  const Result<std::int64_t> id = rules.create(Rule("FPT", 1));
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kIo);
  EXPECT_FALSE(id.error().message.empty());
  core::AlertRule r = Rule("FPT", 1);
  r.id = 1;
  EXPECT_EQ(rules.update(r).error().code, ErrorCode::kIo);
  EXPECT_EQ(rules.remove(1).error().code, ErrorCode::kIo);
}

}  // namespace
}  // namespace vnt::app
