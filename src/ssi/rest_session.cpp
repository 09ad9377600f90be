// SsiClient's HTTP exchanges, each on a connection of its own through the shared client (src/client): the
// access token and its refresh, negotiate and /start, the channel list (IndexComponents, Securities) and the
// reference data (SecuritiesDetails, DailyStockPrice). Asio coroutines, no Beast.
#include <cstdio>
#include <string>
#include <vector>

#include "ssi/client_impl.h"

namespace vnt::ssi {

namespace {

// Today's date in Vietnam (UTC+7, no daylight saving) as dd/MM/yyyy.
std::string VietnamDateDmy() {
  using namespace std::chrono;
  const auto local = floor<days>(system_clock::now() + hours(7));
  const year_month_day ymd{local};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", static_cast<unsigned>(ymd.day()),
                static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()));
  return buf;
}

client::Endpoint EndpointOf(const BaseUrl& url) {
  return client::Endpoint{url.tls, url.host, url.port};
}

}  // namespace

awaitable<HttpResult> SsiClient::Impl::Http(const BaseUrl& base, client::Method method, std::string target,
                                            std::string body, bool with_token, client::CancelHook* cancel) {
  client::ClientRequest req;
  req.method = method;
  req.target = std::move(target);
  req.headers.emplace_back("Accept", "application/json");
  if (with_token) req.headers.emplace_back("Authorization", "Bearer " + token_.value());
  if (method == client::Method::kPost) req.content_type = "application/json";
  req.body = std::move(body);
  client::FetchOptions opts;
  opts.timeout = cfg_.io_timeout;
  opts.max_body = kMaxMessage;
  opts.user_agent = kUserAgent;
  client::ClientReply r =
      co_await client::Fetch(tls_, EndpointOf(base), req, opts, cancel ? cancel : &cancel_current_);
  co_return HttpResult{r.status, std::move(r.body), std::move(r.error_text)};
}

// ---- access token ----

awaitable<std::string> SsiClient::Impl::FetchToken(bool* auth) {
  *auth = false;
  stats_.token_fetches.fetch_add(1);
  HttpResult r = co_await Http(rest_, client::Method::kPost, rest_.path + "/api/v2/Market/AccessToken",
                               AccessTokenRequestBody(cfg_.consumer_id, cfg_.consumer_secret), false);
  if (!r.error.empty()) co_return r.error;
  if (r.status != 200) co_return "AccessToken: HTTP " + std::to_string(r.status);
  TokenReply reply = ParseAccessTokenReply(r.body);
  if (reply.token.empty()) {
    *auth = true;
    co_return "AccessToken refused: " + reply.error;
  }
  token_.Set(std::move(reply.token), EpochSeconds());
  Log(LogLevel::kInfo, "access token obtained, valid until epoch " + std::to_string(token_.expires()));
  co_return std::string{};
}

awaitable<void> SsiClient::Impl::KeepTokenFresh() {
  while (!stopping_) {
    token_timer_.expires_after(token_.RefreshWait(EpochSeconds()));
    co_await token_timer_.async_wait(kTuple);
    if (stopping_ || token_.empty() || token_.Usable(EpochSeconds()) || fetching_) continue;
    fetching_ = true;
    bool auth = false;
    const std::string e = co_await FetchToken(&auth);
    fetching_ = false;
    if (!e.empty()) Log(LogLevel::kWarning, "token refresh failed: " + e);
  }
}

// ---- SignalR over HTTP ----

awaitable<Result<NegotiateInfo>> SsiClient::Impl::Negotiate() {
  using Negotiated = Result<NegotiateInfo>;
  HttpResult r = co_await Http(stream_, client::Method::kGet,
                               NegotiateTarget(stream_.path, cfg_.client_protocol), {}, true);
  if (!r.error.empty()) co_return Negotiated(Error{ErrorCode::kIo, "negotiate: " + r.error});
  if (r.status == 401 || r.status == 403) {
    co_return Negotiated(Error{ErrorCode::kRejected,
                               "negotiate refused the access token (HTTP " + std::to_string(r.status) + ")",
                               "access_token"});
  }
  if (r.status != 200) {
    co_return Negotiated(Error{ErrorCode::kUnavailable, "negotiate: HTTP " + std::to_string(r.status)});
  }
  auto info = ParseNegotiate(r.body);
  if (!info) co_return Negotiated(Error{ErrorCode::kParse, "negotiate: " + info.error().message});
  co_return info;
}

awaitable<void> SsiClient::Impl::StartTransport(const NegotiateInfo& info) {
  HttpResult r =
      co_await Http(stream_, client::Method::kGet,
                    StartTarget(stream_.path, info.protocol_version, info.connection_token), {}, true);
  if (stopping_) co_return;
  if (!r.error.empty() || r.status != 200) {
    Log(LogLevel::kWarning, "/start did not succeed (" +
                                (r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error) +
                                "); continuing, data flows without it");
  }
}

// ---- REST: the subscription and the reference data (protocol.h) ----

awaitable<Result<std::string>> SsiClient::Impl::RestGet(const std::string& endpoint,
                                                        client::CancelHook* cancel) {
  HttpResult r =
      co_await Http(rest_, client::Method::kGet, rest_.path + "/api/v2/Market/" + endpoint, {}, true, cancel);
  if (!r.error.empty()) co_return Result<std::string>(Error{ErrorCode::kIo, r.error});
  if (r.status != 200)
    co_return Result<std::string>(Error{ErrorCode::kRejected, "HTTP " + std::to_string(r.status)});
  co_return Result<std::string>(std::move(r.body));
}

awaitable<void> SsiClient::Impl::RefreshChannels() {
  std::vector<std::string> stocks = cfg_.stocks;
  if (stocks.empty()) {
    const Result<std::string> body =
        co_await RestGet("IndexComponents?indexCode=VN30&pageIndex=1&pageSize=100");
    Result<std::vector<std::string>> listed =
        body ? ParseIndexComponents(*body) : Result<std::vector<std::string>>(body.error());
    if (listed) {
      stocks = std::move(listed).value();
    } else {
      stocks = last_stocks_.empty() ? cfg_.fallback_stocks : last_stocks_;
      Log(LogLevel::kWarning, "IndexComponents VN30: " + listed.error().message + "; using " +
                                  std::to_string(stocks.size()) + " known symbols");
    }
  }
  last_stocks_ = stocks;
  std::vector<std::string> futures;
  if (cfg_.is_futures) {
    const Result<std::string> body = co_await RestGet("Securities?market=DER&pageIndex=1&pageSize=1000");
    Result<std::vector<std::string>> listed =
        body ? ParseSecurities(*body) : Result<std::vector<std::string>>(body.error());
    if (listed) {
      for (std::string& s : *listed) {
        if (cfg_.is_futures(s)) futures.push_back(std::move(s));
      }
    }
    if (futures.empty()) {
      Log(LogLevel::kWarning,
          "Securities DER: " + (listed ? std::string("no VN30 futures listed") : listed.error().message) +
              "; using the contract calendar");
    }
  }
  if (futures.empty()) futures = cfg_.futures_provider ? cfg_.futures_provider() : cfg_.futures;
  channel_list_ = ChannelList(stocks, futures, cfg_.indices, cfg_.snapshot_channel);
  // The reference data follows the subscription: wake its loop for symbols it has not loaded yet.
  reference_.SetSymbols(stocks, futures);
  ref_timer_.cancel();
  std::lock_guard lock(mu_);
  channels_ = channel_list_;
}

// One round: the server's trading date (SecuritiesDetails ReportDate, else Vietnam's calendar date), then
// DailyStockPrice for each symbol not yet loaded for that date. Success when every symbol is loaded. A
// transport failure ends the round at once (the host is down: no point asking 30 more times).
awaitable<Status> SsiClient::Impl::LoadReference() {
  Error stopped{ErrorCode::kUnavailable, "stopping"};  // the caller checks stopping_ first
  const Result<std::string> details = co_await RestGet(
      "SecuritiesDetails?market=HOSE&symbol=" + UrlEncode(reference_.Probe()) + "&pageIndex=1&pageSize=10",
      &cancel_ref_);
  if (stopping_) co_return stopped;
  if (!details && details.error().code == ErrorCode::kIo) {
    stats_.reference_failures.fetch_add(1);
    co_return Error{ErrorCode::kIo, "SecuritiesDetails: " + details.error().message};
  }
  const Result<std::string> reported =
      details ? ParseReportDate(*details) : Result<std::string>(details.error());
  std::string date;
  if (reported) {
    date = *reported;
  } else {
    date = VietnamDateDmy();
    Log(LogLevel::kDebug, "reference date: " + reported.error().message + "; using the Vietnam date " + date);
  }
  reference_.StartRound(date);
  const auto symbols = reference_.symbols();  // RefreshChannels may replace the list while we wait
  std::size_t failed = 0, loaded = 0;
  std::string first_error;
  for (const auto& [sym, market] : symbols) {
    if (reference_.Loaded(sym)) continue;
    const Result<std::string> body = co_await RestGet(DailyStockPriceQuery(sym, market, date), &cancel_ref_);
    if (stopping_) co_return stopped;
    const Result<ReferencePrices> r =
        body ? ParseDailyStockPrice(*body, sym, date) : Result<ReferencePrices>(body.error());
    if (!r) {
      stats_.reference_failures.fetch_add(1);
      ++failed;
      const std::string& e = r.error().message;
      if (first_error.empty())
        first_error = e.rfind("DailyStockPrice", 0) == 0 ? e : "DailyStockPrice " + sym + ": " + e;
      if (!body && body.error().code == ErrorCode::kIo) break;
      continue;
    }
    Push(ReferenceFrame(*r));
    stats_.reference_frames.fetch_add(1);
    reference_.MarkLoaded(sym);
    ++loaded;
  }
  if (loaded > 0) {
    Log(LogLevel::kInfo, "reference/ceiling/floor for " + std::to_string(loaded) + " symbols (" + date +
                             ") from DailyStockPrice");
  }
  co_return reference_.Outcome(symbols.size(), failed, first_error);
}

// Loads the reference data once the symbols and a token are known, then every `reference_check` one
// SecuritiesDetails call tells whether the trading date moved on (and fetches symbols added by a
// resubscription); failures are retried with backoff. Runs beside the stream and never delays it.
awaitable<void> SsiClient::Impl::KeepReferenceFresh() {
  int attempt = 0;
  std::string last_error;
  while (!stopping_) {
    std::chrono::milliseconds wait = cfg_.reference_check;
    if (reference_.empty() || !token_.Usable(EpochSeconds())) {
      wait = std::chrono::milliseconds(500);
    } else {
      const Status st = co_await LoadReference();
      if (st) {
        attempt = 0;
        last_error.clear();
      } else if (!stopping_) {
        const std::string& e = st.error().message;
        wait = BackoffDelay(attempt++, cfg_.backoff_base, cfg_.backoff_max, 0.2, Unit());
        // One warning per new failure; the same one again at debug level (no flood while REST is down).
        Log(e == last_error ? LogLevel::kDebug : LogLevel::kWarning, e + "; retrying in " + Seconds(wait));
        last_error = e;
      }
    }
    if (stopping_) break;
    ref_timer_.expires_after(wait);
    co_await ref_timer_.async_wait(kTuple);
  }
}

}  // namespace vnt::ssi
