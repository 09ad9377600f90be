#include "source/ssi_feed.h"

#include <cstdlib>
#include <stdexcept>

#include "common/env.h"
#include "common/log.h"
#include "core/calendar.h"
#include "core/futures.h"
#include "source/cli_time.h"

namespace vnt::source {

ssi::ClientConfig MakeSsiClientConfig(const SsiFeedOptions& opts) {
  ssi::ClientConfig cfg;
  if (std::string v = OptionOrEnv(opts.rest_url, "SSI_REST_URL"); !v.empty()) cfg.rest_url = v;
  if (std::string v = OptionOrEnv(opts.stream_url, "SSI_STREAM_URL"); !v.empty()) {
    cfg.stream_url = v;
  }
  cfg.consumer_id = Env("SSI_CONSUMER_ID");
  cfg.consumer_secret = Env("SSI_CONSUMER_SECRET");
  cfg.ca_file = opts.ca_file;
  cfg.fallback_stocks = opts.fallback_stocks;
  // VN30 index futures (KRX 41I1..., legacy VN30F...) among the listed derivatives; else the four
  // contracts the calendar lists for the Vietnam trading day.
  cfg.is_futures = [](const std::string& code) { return core::ParseFuturesCode(code).has_value(); };
  cfg.futures_provider = [] {
    std::vector<std::string> codes;
    const auto& cal = core::HolidayCalendar::Vietnam();
    for (const core::ListedContract& c : core::ListedContracts(VietnamNow().first, cal)) {
      codes.emplace_back(c.contract.krx_code.view());
    }
    return codes;
  };
  cfg.log = Log;
  return cfg;
}

Result<std::unique_ptr<SsiFeed>> SsiFeed::Open(const SsiFeedOptions& opts) {
  std::unique_ptr<SsiFeed> feed(new SsiFeed(MakeSsiClientConfig(opts)));
  if (Status started = feed->client_.Start(); !started) return std::move(started).error();
  return feed;
}

SsiFeed::~SsiFeed() {
  client_.Stop();
}

bool SsiFeed::Poll(SteadyTime, std::vector<std::string>* out, std::size_t max) {
  client_.Drain(out, max);
  return true;  // a live feed never ends; Stop() ends it
}

}  // namespace vnt::source
