// SsiClient: the client thread and its io_context, the frame queue for Drain, the state other threads read,
// and the run loop that connects, resumes and backs off (decisions in reconnect_policy.h). The HTTP
// exchanges are in rest_session.cpp, the WebSocket stream in signalr_stream.cpp.
#include "ssi/ssi_client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <optional>

#include "ssi/client_impl.h"

namespace vnt::ssi {

std::int64_t EpochSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
std::int64_t EpochMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
std::int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

SsiClient::Impl::Impl(ClientConfig cfg)
    : cfg_(std::move(cfg)), policy_(cfg_.backoff_base, cfg_.backoff_max) {}

Status SsiClient::Impl::Start() {
  auto rest = ParseBaseUrl(cfg_.rest_url);
  if (!rest) {
    return Error{ErrorCode::kInvalidArgument, "SSI REST URL '" + cfg_.rest_url + "': " + rest.error().message,
                 "SSI_REST_URL"};
  }
  auto stream = ParseBaseUrl(cfg_.stream_url);
  if (!stream) {
    return Error{ErrorCode::kInvalidArgument,
                 "SSI stream URL '" + cfg_.stream_url + "': " + stream.error().message, "SSI_STREAM_URL"};
  }
  if (cfg_.consumer_id.empty() || cfg_.consumer_secret.empty()) {
    return Error{ErrorCode::kInvalidArgument,
                 "SSI credentials missing: set SSI_CONSUMER_ID and SSI_CONSUMER_SECRET", "SSI_CONSUMER_ID"};
  }
  rest_ = *rest;
  stream_ = *stream;
  if (!cfg_.ca_file.empty()) {
    if (Status st = tls_.LoadCaFile(cfg_.ca_file); !st) return st;
  }
  auto self = shared_from_this();
  net::co_spawn(ioc_, Run(), net::detached);
  net::co_spawn(ioc_, KeepTokenFresh(), net::detached);
  if (cfg_.reference_data) net::co_spawn(ioc_, KeepReferenceFresh(), net::detached);
  thread_ = std::thread([self] {
    self->ioc_.run();
    self->done_.set_value();
  });
  return {};
}

void SsiClient::Impl::Stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  net::post(ioc_, [self = shared_from_this()] {
    self->timer_.cancel();
    self->token_timer_.cancel();
    self->ref_timer_.cancel();
    if (self->cancel_current_) self->cancel_current_();
    if (self->cancel_ref_) self->cancel_ref_();
  });
  // The run loop sends /abort (bounded by a short timeout) and returns; do not wait forever.
  if (done_future_.wait_for(std::chrono::seconds(5)) != std::future_status::ready) ioc_.stop();
  thread_.join();
  SetState("stopped");
}

std::size_t SsiClient::Impl::Drain(std::vector<std::string>* out, std::size_t max,
                                   std::vector<std::int64_t>* recv_ms) {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  while (n < max && !queue_.empty()) {
    out->push_back(std::move(queue_.front().first));
    if (recv_ms) recv_ms->push_back(queue_.front().second);
    queue_.pop_front();
    ++n;
  }
  return n;
}

std::string SsiClient::Impl::State() const {
  std::lock_guard lock(mu_);
  return state_;
}

std::string SsiClient::Impl::Channels() const {
  std::lock_guard lock(mu_);
  return channels_;
}

double SsiClient::Impl::SilenceMs() const {
  const std::int64_t last = last_rx_ms_.load();
  return last == 0 ? 0.0 : static_cast<double>(SteadyMs() - last);
}

void SsiClient::Impl::LogFailure(LogLevel level, const std::string& reason,
                                 std::chrono::milliseconds retry_in) {
  FailureLog::Line line = failures_.Note(level, reason, retry_in);
  Log(line.level, line.text);
}

void SsiClient::Impl::SetState(std::string s) {
  std::lock_guard lock(mu_);
  state_ = std::move(s);
}

void SsiClient::Impl::Push(std::string frame) {
  stats_.frames.fetch_add(1, std::memory_order_relaxed);
  stats_.bytes.fetch_add(frame.size(), std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  queue_.emplace_back(std::move(frame), EpochMs());
  if (queue_.size() == cfg_.queue_warn) {
    stats_.queue_overflows.fetch_add(1);
    Log(LogLevel::kWarning,
        "the tracker is " + std::to_string(queue_.size()) + " frames behind the feed (none dropped)");
  }
}

awaitable<bool> SsiClient::Impl::Sleep(std::chrono::milliseconds d) {
  timer_.expires_after(d);
  co_await timer_.async_wait(kTuple);
  co_return !stopping_;
}

double SsiClient::Impl::Unit() {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  return unit(rng_);
}

awaitable<void> SsiClient::Impl::Run() {
  while (!stopping_) {
    if (!token_.Usable(EpochSeconds()) && !fetching_) {
      SetState("authenticating");
      fetching_ = true;
      bool auth = false;
      const std::string e = co_await FetchToken(&auth);
      fetching_ = false;
      if (!e.empty()) {
        (auth ? stats_.auth_failures : stats_.connect_failures).fetch_add(1);
        SetState(auth ? "auth-failed" : "unreachable");
        const auto d = policy_.NextDelay(Unit());
        LogFailure(LogLevel::kError, e, d);
        if (!co_await Sleep(d)) break;
        continue;
      }
    }
    Outcome out(End::kFailed, {});
    if (policy_.ShouldResume(SteadyMs())) {
      SetState("reconnecting");
      out = co_await Connect(*policy_.info(), true);
      if (out.end == End::kFailed || out.end == End::kAuth) {
        Log(LogLevel::kWarning, "reconnect failed (" + out.reason + "); negotiating a new connection");
        policy_.Forget();
        continue;
      }
    } else {
      SetState("connecting");
      policy_.Forget();
      Result<NegotiateInfo> negotiated = co_await Negotiate();
      if (!negotiated) {
        const Error& e = negotiated.error();
        out = Outcome(e.code == ErrorCode::kRejected ? End::kAuth : End::kFailed, e.message);
      } else {
        policy_.Negotiated(std::move(negotiated).value());
        co_await RefreshChannels();
        out = co_await Connect(*policy_.info(), false);
      }
    }
    if (out.end == End::kStopped || stopping_) break;
    const ReconnectPolicy::Step step = policy_.After(out, SteadyMs());
    if (step.lost) stats_.connection_losses.fetch_add(1);
    if (step.auth) {
      stats_.auth_failures.fetch_add(1);
      token_.Clear();
    }
    if (step.connect) stats_.connect_failures.fetch_add(1);
    SetState(step.state);
    if (step.lost) Log(LogLevel::kWarning, "connection lost: " + out.reason);
    if (step.retry_now) continue;
    const auto d = policy_.NextDelay(Unit());
    LogFailure(step.level, out.reason, d);
    if (!co_await Sleep(d)) break;
  }
  if (const auto& info = policy_.info(); info && !info->connection_token.empty()) {
    // Tell the server we are gone (best effort, short timeout).
    cfg_.io_timeout = std::min(cfg_.io_timeout, std::chrono::milliseconds(1000));
    co_await Http(stream_, client::Method::kPost,
                  AbortTarget(stream_.path, info->protocol_version, info->connection_token), {}, true);
  }
  token_timer_.cancel();
  ref_timer_.cancel();
}

SsiClient::SsiClient(ClientConfig cfg) : impl_(std::make_shared<Impl>(std::move(cfg))) {}
SsiClient::~SsiClient() {
  Stop();
}
Status SsiClient::Start() {
  return impl_->Start();
}
void SsiClient::Stop() {
  impl_->Stop();
}
std::size_t SsiClient::Drain(std::vector<std::string>* out, std::size_t max,
                             std::vector<std::int64_t>* recv_ms) {
  return impl_->Drain(out, max, recv_ms);
}
std::string SsiClient::State() const {
  return impl_->State();
}
double SsiClient::SilenceMs() const {
  return impl_->SilenceMs();
}
const ClientStats& SsiClient::stats() const {
  return impl_->stats();
}
std::string SsiClient::Channels() const {
  return impl_->Channels();
}

}  // namespace vnt::ssi
