// vntracker: the VN30 market tracker. Subcommands are thin wiring over src/feed, src/core, ...
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "api/rule_json.h"
#include "app/decode_command.h"
#include "app/edge_command.h"
#include "app/record_command.h"
#include "app/replay_command.h"
#include "app/serve_command.h"
#include "app/sim_server_command.h"
#include "common/env.h"
#include "core/calendar.h"
#include "core/vn30_basket.h"
#include "feed/cpu.h"

namespace {
constexpr int kUsageError = 2;

std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    std::string item = list.substr(start, comma - start);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

// The --feed ssi options shared by serve and record.
void AddSsiOptions(CLI::App* cmd, vnt::source::SsiFeedOptions* o) {
  cmd->add_option("--ssi-rest-url", o->rest_url,
                  "SSI REST base for --feed ssi (default: SSI_REST_URL or https://fc-data.ssi.com.vn/)");
  cmd->add_option(
      "--ssi-stream-url", o->stream_url,
      "SSI SignalR base for --feed ssi (default: SSI_STREAM_URL or https://fc-datahub.ssi.com.vn/)");
  cmd->add_option("--ssi-ca-file", o->ca_file, "extra CA certificates (PEM) trusted for the SSI hosts");
}

// The feed options shared by serve and record (source::FeedOptions).
void AddFeedOptions(CLI::App* cmd, vnt::source::FeedOptions* o, const char* date_help,
                    const char* start_help) {
  cmd->add_option("--feed", o->feed, "sim | ssi | replay:FILE")->capture_default_str();
  cmd->add_option("--speed", o->speed, "feed pacing, x real time (0 = as fast as possible)")
      ->capture_default_str();
  cmd->add_option("--sim-seed", o->sim_seed, "simulator seed")->capture_default_str();
  cmd->add_option("--sim-date", o->sim_date, date_help);
  cmd->add_option("--sim-start", o->sim_start, start_help);
  cmd->add_option("--sim-end", o->sim_end, "simulated end time HH:MM:SS (default 15:00:00)");
  AddSsiOptions(cmd, &o->ssi);
}
// The per-connection limits and WebSocket settings shared by serve and edge.
void AddConnectionOptions(CLI::App* cmd, vnt::app::ConnectionOptions* o) {
  cmd->add_option("--ws-per-ip", o->ws_per_ip, "WebSocket connections allowed per peer address")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--conn-per-ip", o->conn_per_ip,
                  "TCP connections (HTTP + WebSocket) allowed per peer address, 0 = no cap")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--ws-write-timeout-s", o->write_timeout_s,
                  "close a connection whose write has not completed in this many seconds")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  cmd->add_option(
         "--ws-idle-timeout-s", o->ws_idle_timeout_s,
         "close a WebSocket that sent nothing (not even a pong) for this many seconds; pinged at half")
      ->capture_default_str()
      ->check(CLI::Range(2, 3600));
  cmd->add_option("--ws-deflate", o->ws_deflate,
                  "permessage-deflate with clients that offer it (each message compressed once per filter)")
      ->capture_default_str();
  cmd->add_option("--ws-send-buffer", o->ws_send_buffer,
                  "kernel send buffer per WebSocket in bytes (0 = autotuning); bounds the kernel memory a\n"
                  "slow reader holds: the rest waits in its queue, coalesced and timed out")
      ->capture_default_str()
      ->check(CLI::Range(0, 64 << 20));
}

// Alert delivery (serve): webhook, Telegram, retries. Environment fallbacks are read after parsing.
void AddAlertDeliveryOptions(CLI::App* cmd, vnt::notify::DeliveryOptions* o) {
  cmd->add_option("--alert-webhook", o->webhook_url,
                  "POST every alert at or above --alert-min-severity as JSON to this http(s) URL\n"
                  "(default: ALERT_WEBHOOK_URL); a rule's own webhook_url gets that rule's alerts");
  cmd->add_option("--alert-min-severity", o->min_severity,
                  "info | warning | critical: the least severe alert sent to the webhook and Telegram\n"
                  "(default: ALERT_MIN_SEVERITY or warning)");
  cmd->add_option(
      "--telegram-bot-token", o->telegram_token,
      "send alerts to Telegram with this bot (from @BotFather; prefer TELEGRAM_BOT_TOKEN: a flag\n"
      "shows in the process list)");
  cmd->add_option("--telegram-chat-id", o->telegram_chat_id,
                  "the chat, group or @channel the bot writes to (default: TELEGRAM_CHAT_ID)");
  cmd->add_option("--telegram-api-url", o->telegram_api_url,
                  "Telegram Bot API base (default: TELEGRAM_API_URL or https://api.telegram.org)");
  cmd->add_option("--alert-language", o->language,
                  "vi | en: the language of the Telegram messages (default: ALERT_LANGUAGE or vi)");
  cmd->add_option("--alert-retry-s", o->retry_s, "how long a delivery is retried after its alert fired")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  cmd->add_option("--alert-timeout-s", o->timeout_s, "time allowed to one delivery attempt")
      ->capture_default_str()
      ->check(CLI::Range(1, 600));
  cmd->add_option("--alert-queue", o->queue,
                  "deliveries waiting or in flight per destination; beyond it alerts are dropped (counted)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  cmd->add_option("--alert-webhook-secret", o->webhook_secret,
                  "sign every webhook POST: X-VNT-Signature: sha256=<HMAC-SHA256 of the body> (prefer\n"
                  "ALERT_WEBHOOK_SECRET: a flag shows in the process list)");
  cmd->add_option("--alert-ca-file", o->ca_file,
                  "extra CA certificates (PEM) trusted for https webhooks and Telegram");
}

// The environment variables of the delivery options not given as flags.
void AlertDeliveryFromEnv(const CLI::App* cmd, vnt::notify::DeliveryOptions* o) {
  const auto fill = [cmd](const char* flag, const char* env, std::string* value) {
    if (cmd->count(flag) == 0 && !vnt::Env(env).empty()) *value = vnt::Env(env);
  };
  fill("--alert-webhook", "ALERT_WEBHOOK_URL", &o->webhook_url);
  fill("--alert-min-severity", "ALERT_MIN_SEVERITY", &o->min_severity);
  fill("--telegram-bot-token", "TELEGRAM_BOT_TOKEN", &o->telegram_token);
  fill("--telegram-chat-id", "TELEGRAM_CHAT_ID", &o->telegram_chat_id);
  fill("--telegram-api-url", "TELEGRAM_API_URL", &o->telegram_api_url);
  fill("--alert-language", "ALERT_LANGUAGE", &o->language);
  fill("--alert-webhook-secret", "ALERT_WEBHOOK_SECRET", &o->webhook_secret);
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vntracker: real-time tracker of the VN30 stocks and VN30 index futures"};
  app.require_subcommand(1);
  std::string holidays_file = vnt::Env("VNT_HOLIDAYS_FILE");
  app.add_option(
      "--holidays", holidays_file,
      "exchange holidays beyond the built-in 2024-2027 data (the exchange's official schedule), in\n"
      "the format of src/core/data/vn_holidays.txt; its covered range replaces the built-in list\n"
      "there (env VNT_HOLIDAYS_FILE). Give it before the command: vntracker --holidays F serve");
  app.set_version_flag("--version", "vntracker 0.1.0");

  std::string decode_file;
  CLI::App* decode = app.add_subcommand(
      "decode",
      "Decode SSI FastConnect frames (one per line, stdin when no FILE) into one JSON event per line.\n"
      "Bad lines are reported on stderr as 'line N: reason'; exit 1 if any line failed.");
  decode->add_option("FILE", decode_file, "file of frames, one per line (default: stdin)");

  std::string replay_file;
  vnt::app::ReplayOptions replay_opts;
  std::string vn30_list;
  CLI::App* replay = app.add_subcommand(
      "replay",
      "Run a file of frames (decode input, or record format) through decoder and market engine as fast as\n"
      "possible. Prints one JSON line per classified trade and alert, or with --summary one JSON object\n"
      "at the end. Environment: FUTURES_OVERRIDE pins the front futures contract.");
  replay->add_option("FILE", replay_file, "frame file ('-' = stdin)")->required();
  replay->add_flag("--summary", replay_opts.summary, "print the end-of-replay state as one JSON object");
  std::vector<std::string> replay_rules;
  replay->add_option("--rule", replay_rules,
                     "a user alert rule as JSON (as POST /api/alerts/rules takes it); repeatable");
  replay->add_option("--vn30", vn30_list, "comma-separated VN30 basket (default: the built-in 2026 basket)");

  vnt::app::ServeOptions serve_opts;
  CLI::App* serve = app.add_subcommand(
      "serve",
      "Run the tracker: feed -> engine -> REST, WebSocket, Prometheus metrics and the web app.\n"
      "Environment (all optional): DATABASE_URL (= --db), CORS_ORIGINS (comma-separated allowed origins),\n"
      "LOG_LEVEL (DEBUG, INFO, WARNING, ERROR), LOG_FORMAT (text, or json: one object per line),\n"
      "CHANNEL_R_INTERVAL_MS (/ws/foreign cadence, default 1000),\n"
      "FUTURES_OVERRIDE (pin the front futures contract: KRX code, VN30FYYMM or alias),\n"
      "SSI_CONSUMER_ID / SSI_CONSUMER_SECRET (the ssi feed), SSI_REST_URL / SSI_STREAM_URL (= --ssi-rest-url "
      "/\n"
      "--ssi-stream-url), VNT_API_TOKEN (= --api-token), PORT (= --port), REDIS_URL (= --bus), "
      "ALERT_WEBHOOK_URL,\n"
      "ALERT_MIN_SEVERITY, ALERT_LANGUAGE, ALERT_WEBHOOK_SECRET, TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID,\n"
      "TELEGRAM_API_URL (= the "
      "alert delivery options).\n"
      "SSI's terms allow its data only for the account holder's own use: do not share a server on the ssi "
      "feed.");
  serve->add_option("--host", serve_opts.host, "listen address")->capture_default_str();
  serve->add_option("--port", serve_opts.port, "HTTP port (0 = any free port)")->capture_default_str();
  AddFeedOptions(serve, &serve_opts.feed,
                 "simulated trading date YYYY-MM-DD (default: today in Vietnam, or the last business day)",
                 "simulated start time HH:MM:SS (default: now during market hours, else 09:14:30)");
  serve
      ->add_option("--db", serve_opts.db,
                   "history store: sqlite:PATH | postgresql://USER:PASSWORD@HOST:PORT/DB | none")
      ->capture_default_str();
  serve
      ->add_option(
          "--store-buffer-rows", serve_opts.store_buffer_rows,
          "rows kept in memory while the store is slow or down (about 250 bytes each); beyond it rows\n"
          "are dropped and counted (vnt_store_rows_dropped_total)")
      ->capture_default_str()
      ->check(CLI::Range(1000, 100'000'000));
  serve
      ->add_option("--retention-days", serve_opts.retention_days,
                   "keep this many calendar days of market history (0 = forever); checked hourly")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  serve->add_option("--web", serve_opts.web_dir,
                    "directory of the built web app (default: web/dist when present)");
  serve->add_option("--ws-interval-ms", serve_opts.ws_interval_ms, "WebSocket update cadence")
      ->capture_default_str()
      ->check(CLI::Range(20, 60000));
  AddConnectionOptions(serve, &serve_opts.conn);
  serve->add_option("--max-rules", serve_opts.max_rules, "user alert rules kept at most")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  serve->add_option("--api-token", serve_opts.api_token,
                    "require this token on /api and /ws (Authorization: Bearer or ?token=)");
  serve->add_option("--vn30", vn30_list, "comma-separated VN30 basket (default: the built-in 2026 basket)");
  serve->add_option(
      "--bus", serve_opts.bus,
      "also publish every channel to Redis for `vntracker edge` servers: redis://HOST:PORT[/DB]\n"
      "(env REDIS_URL)");
  serve
      ->add_option("--resume-messages", serve_opts.resume_messages,
                   "deltas kept per WebSocket channel for clients that resume (?epoch=&seq=)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  AddAlertDeliveryOptions(serve, &serve_opts.alerts);

  vnt::app::EdgeOptions edge_opts;
  CLI::App* edge = app.add_subcommand(
      "edge",
      "Run a stateless WebSocket edge: no feed, no engine; follows what `serve --bus` publishes to Redis\n"
      "and serves the same /ws/* channels (snapshots, deltas, filters, resume), /health, /metrics, the web\n"
      "app, the /api/market/* reads its channels carry (the others answer 503 engine_only) and, with --db,\n"
      "/api/history/*. Rules and the engine-only reads are the engine node's (see deploy/nginx/nginx.conf).\n"
      "Environment: REDIS_URL (= --bus), DATABASE_URL (= --db), CORS_ORIGINS, LOG_LEVEL, LOG_FORMAT,\n"
      "VNT_API_TOKEN, PORT.");
  edge->add_option("--bus", edge_opts.bus, "the engine node's Redis: redis://HOST:PORT[/DB] (env REDIS_URL)");
  edge->add_option("--host", edge_opts.host, "listen address")->capture_default_str();
  edge->add_option("--port", edge_opts.port, "HTTP port (0 = any free port)")->capture_default_str();
  edge->add_option("--web", edge_opts.web_dir,
                   "directory of the built web app (default: web/dist when present)");
  edge->add_option("--db", edge_opts.db,
                   "answer /api/history/* from this store (the one the engine node writes):\n"
                   "postgresql://USER:PASSWORD@HOST:PORT/DB | sqlite:PATH | none (env DATABASE_URL)")
      ->capture_default_str();
  AddConnectionOptions(edge, &edge_opts.conn);
  edge->add_option("--resume-messages", edge_opts.resume_messages,
                   "deltas kept per channel for clients that resume")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  edge->add_option("--api-token", edge_opts.api_token,
                   "require this token on /ws (Authorization: Bearer or ?token=)");

  vnt::app::RecordOptions record_opts;
  CLI::App* record = app.add_subcommand(
      "record",
      "Write a feed's raw frames with their receive times (record format: epoch ms TAB frame),\n"
      "for `replay` and `serve --feed replay:FILE`.");
  record->add_option("--out", record_opts.out, "output file ('-' = stdout)")->required();
  AddFeedOptions(record, &record_opts.feed, "simulated trading date YYYY-MM-DD",
                 "simulated start time HH:MM:SS (default 08:45:00)");

  vnt::app::SimServerCommandOptions ss_opts;
  CLI::App* sim_server = app.add_subcommand(
      "sim-server",
      "Be an SSI FastConnect Data v2 server on loopback, backed by the simulator: REST under\n"
      "/api/v2/Market/ (AccessToken, Securities, SecuritiesDetails, IndexComponents, IndexList, DailyOhlc,\n"
      "IntradayOhlc, DailyIndex, DailyStockPrice) and classic SignalR 2 under /v2.0/signalr (negotiate,\n"
      "connect, reconnect, start, abort, ping; hub FcMarketDataV2Hub, SwitchChannels, Broadcast, Error).\n"
      "Point `serve --feed ssi --ssi-rest-url http://HOST:PORT/ --ssi-stream-url http://HOST:PORT/`\n"
      "or SSI's own SDKs at it. Environment: SSI_CONSUMER_ID / SSI_CONSUMER_SECRET (= the credential\n"
      "options), LOG_LEVEL.");
  sim_server->add_option("--listen", ss_opts.listen, "HOST:PORT to listen on")->capture_default_str();
  sim_server->add_option(
      "--consumer-id", ss_opts.consumer_id,
      "the accepted ConsumerID (with --consumer-secret; neither = accept any credentials)");
  sim_server->add_option("--consumer-secret", ss_opts.consumer_secret, "the accepted ConsumerSecret");
  sim_server->add_option("--speed", ss_opts.speed, "market pacing, x real time (0 = as fast as possible)")
      ->capture_default_str();
  sim_server->add_option("--sim-seed", ss_opts.sim_seed, "simulator seed")->capture_default_str();
  sim_server->add_option("--sim-date", ss_opts.sim_date,
                         "trading date YYYY-MM-DD (default: today in Vietnam, or the last business day)");
  sim_server->add_option("--sim-start", ss_opts.sim_start,
                         "start time HH:MM:SS (default: now during trading hours in Vietnam, else 09:14:30)");
  sim_server->add_option("--sim-end", ss_opts.sim_end, "end time HH:MM:SS (default 15:00:00)");
  sim_server
      ->add_option(
          "--keepalive-ms", ss_opts.keepalive_ms,
          "keep-alive {} to every connection this often (negotiate's KeepAliveTimeout is twice this)")
      ->capture_default_str()
      ->check(CLI::Range(50, 600000));
  sim_server->add_option("--token-ttl-s", ss_opts.token_ttl_s, "access token lifetime (exp - iat)")
      ->capture_default_str()
      ->check(CLI::Range(10, 86400 * 30));
  sim_server
      ->add_option("--subscription", ss_opts.subscription,
                   "additive (a SwitchChannels list replaces only its channel types) | replace")
      ->capture_default_str();
  sim_server
      ->add_option("--fault-malformed-every", ss_opts.fault_malformed_every,
                   "test fault: every Nth data frame to a client is cut in half (0 = off)")
      ->check(CLI::Range(0, 1000000000));
  sim_server
      ->add_option("--fault-silence-after-s", ss_opts.fault_silence_after_s,
                   "test fault: a connection gets nothing at all (no data, no keep-alives) after S seconds")
      ->check(CLI::Range(0.0, 1e9));
  sim_server
      ->add_option("--client-queue-limit", ss_opts.client_queue_limit,
                   "frames queued for a slow client before it is disconnected")
      ->capture_default_str()
      ->check(CLI::Range(16, 10000000));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kUsageError;
  }

  // The official schedule of years the built-in holiday data does not cover (same format as
  // src/core/data/vn_holidays.txt), laid over it before anything dates a futures expiry.
  if (!holidays_file.empty()) {
    std::ifstream in(holidays_file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto read = [&]() -> vnt::Result<vnt::core::HolidayCalendar> {
      if (!in) return vnt::Error{vnt::ErrorCode::kIo, "cannot read the file", "--holidays"};
      auto extra = vnt::core::HolidayCalendar::Parse(text);
      if (!extra) return std::move(extra).error();
      return vnt::core::HolidayCalendar::Vietnam().ExtendedWith(*extra);
    };
    auto merged = read();
    if (!merged) {
      std::cerr << "--holidays " << holidays_file << ": " << merged.error().message << "\n";
      return kUsageError;
    }
    vnt::core::HolidayCalendar::InstallVietnam(std::move(merged).value());
  }

  if (!vnt::feed::CpuSupported()) {
    std::cerr << "vntracker: this CPU lacks AVX2/BMI2/PCLMUL, which this build requires; rebuild with "
                 "-DVNT_SIMD_FLAGS=-march=x86-64-v2\n";
    return 1;
  }
  if (record->parsed()) return vnt::app::RunRecord(record_opts);
  if (sim_server->parsed()) {
    if (const char* v = std::getenv("LOG_LEVEL")) ss_opts.log_level = v;
    return vnt::app::RunSimServerCommand(ss_opts);
  }
  if (decode->parsed()) {
    if (decode_file.empty() || decode_file == "-") return vnt::app::RunDecode(std::cin, std::cout, std::cerr);
    std::ifstream in(decode_file, std::ios::binary);
    if (!in) {
      std::cerr << "vntracker decode: cannot open '" << decode_file << "'\n";
      return kUsageError;
    }
    return vnt::app::RunDecode(in, std::cout, std::cerr);
  }
  const auto basket = [&] {
    std::vector<vnt::Symbol> out = vnt::core::DefaultVn30Basket();
    if (!vn30_list.empty()) {
      out.clear();
      for (const std::string& s : SplitList(vn30_list)) {
        vnt::Symbol sym;
        if (vnt::Symbol::Make(s, &sym)) out.push_back(sym);
      }
    }
    return out;
  };
  const char* futures_override = std::getenv("FUTURES_OVERRIDE");
  if (serve->parsed()) {
    serve_opts.engine.vn30 = basket();
    if (futures_override) serve_opts.engine.futures_override = futures_override;
    if (const char* v = std::getenv("DATABASE_URL"); v && *v && serve->count("--db") == 0) {
      const std::string url = v;
      serve_opts.db = url.rfind("sqlite:", 0) == 0 || url.rfind("postgres", 0) == 0 || url == "none"
                          ? url
                          : "sqlite:" + url;
    }
    if (const char* v = std::getenv("CORS_ORIGINS")) serve_opts.cors_origins = SplitList(v);
    if (const char* v = std::getenv("LOG_LEVEL")) serve_opts.log_level = v;
    if (const char* v = std::getenv("CHANNEL_R_INTERVAL_MS")) {
      const int ms = std::atoi(v);
      if (ms < 50 || ms > 600000) {
        std::cerr << "vntracker serve: CHANNEL_R_INTERVAL_MS must be 50..600000\n";
        return kUsageError;
      }
      serve_opts.foreign_interval_ms = ms;
    }
    if (const char* v = std::getenv("VNT_API_TOKEN"); v && serve_opts.api_token.empty())
      serve_opts.api_token = v;
    if (const char* v = std::getenv("PORT"); v && serve->count("--port") == 0)
      serve_opts.port = static_cast<std::uint16_t>(std::atoi(v));
    AlertDeliveryFromEnv(serve, &serve_opts.alerts);
    if (const char* v = std::getenv("REDIS_URL"); v && *v && serve_opts.bus.empty()) serve_opts.bus = v;
    return vnt::app::RunServe(serve_opts);
  }
  if (edge->parsed()) {
    if (const char* v = std::getenv("REDIS_URL"); v && *v && edge_opts.bus.empty()) edge_opts.bus = v;
    if (const char* v = std::getenv("DATABASE_URL"); v && *v && edge->count("--db") == 0) edge_opts.db = v;
    if (edge_opts.bus.empty()) {
      std::cerr << "vntracker edge: --bus redis://HOST:PORT (or REDIS_URL) is required\n";
      return kUsageError;
    }
    if (const char* v = std::getenv("CORS_ORIGINS")) edge_opts.cors_origins = SplitList(v);
    if (const char* v = std::getenv("LOG_LEVEL")) edge_opts.log_level = v;
    if (const char* v = std::getenv("VNT_API_TOKEN"); v && edge_opts.api_token.empty())
      edge_opts.api_token = v;
    if (const char* v = std::getenv("PORT"); v && edge->count("--port") == 0)
      edge_opts.port = static_cast<std::uint16_t>(std::atoi(v));
    return vnt::app::RunEdge(edge_opts);
  }
  if (replay->parsed()) {
    replay_opts.engine.vn30 = basket();
    for (const std::string& json : replay_rules) {
      auto rule = vnt::api::ParseRuleJson(json);
      if (!rule) {
        std::cerr << "vntracker replay: --rule: " << rule.error().message << '\n';
        return kUsageError;
      }
      replay_opts.rules.push_back(*rule);
    }
    if (futures_override) replay_opts.engine.futures_override = futures_override;
    if (replay_file == "-") return vnt::app::RunReplay(std::cin, std::cout, std::cerr, replay_opts);
    std::ifstream in(replay_file, std::ios::binary);
    if (!in) {
      std::cerr << "vntracker replay: cannot open '" << replay_file << "'\n";
      return kUsageError;
    }
    return vnt::app::RunReplay(in, std::cout, std::cerr, replay_opts);
  }
  return kUsageError;
}
