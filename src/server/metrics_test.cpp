#include "server/metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace vnt::server {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MetricsHistogram, DeclaredBoundsAreUsedAndBucketsAreCumulative) {
  Registry m;
  m.DeclareHistogram("req_seconds", "Request time.", {0.001, 0.01, 0.1});
  m.Observe("req_seconds", {{"route", "/a"}}, 0.0005);
  m.Observe("req_seconds", {{"route", "/a"}}, 0.001);  // on a bound: counted in that bucket (le = <=)
  m.Observe("req_seconds", {{"route", "/a"}}, 0.05);
  m.Observe("req_seconds", {{"route", "/a"}}, 3);
  const std::string t = m.Render();
  EXPECT_TRUE(Has(t, "# HELP req_seconds Request time.\n# TYPE req_seconds histogram\n")) << t;
  EXPECT_TRUE(Has(t,
                  "req_seconds_bucket{route=\"/a\",le=\"0.001\"} 2\n"
                  "req_seconds_bucket{route=\"/a\",le=\"0.01\"} 2\n"
                  "req_seconds_bucket{route=\"/a\",le=\"0.1\"} 3\n"
                  "req_seconds_bucket{route=\"/a\",le=\"+Inf\"} 4\n"
                  "req_seconds_sum{route=\"/a\"} 3.0515\n"
                  "req_seconds_count{route=\"/a\"} 4\n"))
      << t;
}

TEST(MetricsHistogram, TouchExposesAnEmptySeriesBeforeTheFirstObservation) {
  Registry m;
  m.DeclareHistogram("pub_seconds", "Publish time.", {0.01, 0.1});
  m.Touch("pub_seconds", {{"channel", "market"}});
  m.Declare("errors_total", "counter", "Errors.");
  m.Touch("errors_total", {{"kind", "x"}});
  std::string t = m.Render();
  EXPECT_TRUE(Has(t,
                  "pub_seconds_bucket{channel=\"market\",le=\"+Inf\"} 0\n"
                  "pub_seconds_sum{channel=\"market\"} 0\npub_seconds_count{channel=\"market\"} 0\n"))
      << t;
  EXPECT_TRUE(Has(t, "errors_total{kind=\"x\"} 0\n")) << t;
  // Touch never resets a series that exists.
  m.Add("errors_total", {{"kind", "x"}}, 3);
  m.Observe("pub_seconds", {{"channel", "market"}}, 0.05);
  m.Touch("errors_total", {{"kind", "x"}});
  m.Touch("pub_seconds", {{"channel", "market"}});
  t = m.Render();
  EXPECT_TRUE(Has(t, "errors_total{kind=\"x\"} 3\n")) << t;
  EXPECT_TRUE(Has(t, "pub_seconds_count{channel=\"market\"} 1\n")) << t;
}

TEST(MetricsHistogram, CallbackHistogramFromPerBucketCounts) {
  Registry m;
  m.Declare("commit_seconds", "histogram", "Commit time.");
  m.HistogramCallback("commit_seconds", [] { return Histogram::FromBuckets({0.001, 0.01}, {1, 2, 3}, 0.5); });
  const std::string t = m.Render();
  EXPECT_TRUE(Has(t,
                  "commit_seconds_bucket{le=\"0.001\"} 1\ncommit_seconds_bucket{le=\"0.01\"} 3\n"
                  "commit_seconds_bucket{le=\"+Inf\"} 6\ncommit_seconds_sum 0.5\ncommit_seconds_count 6\n"))
      << t;
}

TEST(MetricsHistogram, LatencyBucketsAreSortedAndCoverTheMeasuredRanges) {
  for (const auto* b : {&kHttpLatencyBuckets, &kPublishLatencyBuckets}) {
    ASSERT_FALSE(b->empty());
    EXPECT_TRUE(std::is_sorted(b->begin(), b->end()));
    EXPECT_EQ(std::adjacent_find(b->begin(), b->end()), b->end());
  }
  // HTTP: 50 us (an optimised /health) to seconds (a year of history); publish: 10 us (the index channel,
  // optimised) to a second (the market channel of the sanitizer build with many clients).
  EXPECT_LE(kHttpLatencyBuckets.front(), 5e-5);
  EXPECT_GE(kHttpLatencyBuckets.back(), 5.0);
  EXPECT_LE(kPublishLatencyBuckets.front(), 1e-5);
  EXPECT_GE(kPublishLatencyBuckets.back(), 1.0);
}

}  // namespace
}  // namespace vnt::server
