#pragma once
// `--feed ssi`: the SSI FastConnect Data v2 client as a FeedSource. Frames arrive on the client's own
// thread and wait in its queue; Poll drains them. Credentials come from SSI_CONSUMER_ID /
// SSI_CONSUMER_SECRET; the base URLs default to SSI's hosts and can point at `vntracker sim-server`.

#include <memory>
#include <string>
#include <vector>

#include "source/feed_source.h"
#include "ssi/ssi_client.h"

namespace vnt::source {

struct SsiFeedOptions {
  std::string rest_url;                      // empty = SSI_REST_URL or https://fc-data.ssi.com.vn/
  std::string stream_url;                    // empty = SSI_STREAM_URL or https://fc-datahub.ssi.com.vn/
  std::string ca_file;                       // extra CA bundle (PEM)
  std::vector<std::string> fallback_stocks;  // when IndexComponents fails
};

class SsiFeed : public FeedSource {
 public:
  // Starts the client; an error with a clear message when the configuration is unusable (URLs,
  // credentials, the CA file).
  static Result<std::unique_ptr<SsiFeed>> Open(const SsiFeedOptions& opts);
  ~SsiFeed() override;
  SsiFeed(const SsiFeed&) = delete;
  SsiFeed& operator=(const SsiFeed&) = delete;
  bool Poll(SteadyTime now, std::vector<std::string>* out, std::size_t max) override;
  std::string State() const override { return client_.State(); }
  double LagMs(SteadyTime) const override { return client_.SilenceMs(); }
  const ssi::ClientStats& stats() const { return client_.stats(); }

 private:
  explicit SsiFeed(ssi::ClientConfig cfg) : client_(std::move(cfg)) {}
  ssi::SsiClient client_;
};

// The client configuration of SsiFeedOptions plus the environment (exposed for tests and `--help`).
ssi::ClientConfig MakeSsiClientConfig(const SsiFeedOptions& opts);

}  // namespace vnt::source
