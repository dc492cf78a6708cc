// Load generator: drives cycles over HTTP/1.1 keep-alive connections against a running
// `switchboard serve`, then prints one JSON line with requests/s and latency percentiles.
// Each connection works its own account, created through the API before the clock starts.
//   holds     "place hold -> lift hold": every call is measured.
//   payments  "place a non-payment hold -> signed payment.received event": the event settles
//             the account and the server reconnects it with an automated reconnection
//             request; only the event calls are measured (rps = events/s), and each one must
//             answer `reconnected`.
//   requests  a request's life as a ticket system counts it: file a billing adjustment
//             (`POST /v1/requests`, which waits for a second person's approval), approve it
//             with `--approver-key` (another admin: the pack's maker-checker rule), which
//             completes it and applies the credit, then comment on it. The three calls are
//             one measured cycle (rps = cycles/s, latencies per cycle).
//
//   load_holds --port 8080 --key sb_... --connections 64 --seconds 30
//   load_holds --workload payments --tenant ten_... --secret whsec_... --port 8080 --key sb_...
//   load_holds --workload requests --approver-key sb_... --port 8080 --key sb_...
// `--contacts yes` gives each account an email address and a phone number, so that the pack's
// notifications have someone to tell (bench/notify_compare.sh).

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "crypto/webhook_signature.h"
#include "letters.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  std::string port = "8080";
  std::string key;
  std::string approver_key;  // requests: a second admin, who approves
  int connections = 64;
  int seconds = 30;
  int warmup_seconds = 3;
  std::string workload = "holds";
  bool contacts = false;
  std::string tenant;  // payments: the tenant in the event path
  std::string secret;  // payments: the tenant's inbound-events secret (whsec_...)
};

struct Stats {
  std::vector<double> latencies_ms;
  long errors = 0;
  long requests = 0;
  long printed_errors = 0;
};

struct Shared {
  Options opt;
  Clock::time_point measure_from;
  Clock::time_point stop_at;
};

asio::awaitable<http::response<http::string_body>> Call(
    beast::tcp_stream& stream, const Options& opt, http::verb verb, const std::string& target,
    const std::string& body, const std::string& reason, bool signed_event = false,
    const std::string* key = nullptr) {
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, opt.host);
  req.set(http::field::content_type, "application/json");
  if (signed_event) {
    // The event's id doubles as the delivery id; the timestamp is the machine's clock.
    std::string id = json::parse(body).at("id").as_string().c_str();
    auto ts = std::chrono::duration_cast<std::chrono::seconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    req.set("webhook-id", id);
    req.set("webhook-timestamp", std::to_string(ts));
    req.set("webhook-signature", sb::crypto::SignWebhook(opt.secret, id, ts, body));
  } else {
    req.set(http::field::authorization, "Bearer " + (key ? *key : opt.key));
  }
  if (!reason.empty()) req.set("X-Reason", reason);
  req.body() = body;
  req.prepare_payload();
  co_await http::async_write(stream, req, asio::use_awaitable);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  co_await http::async_read(stream, buf, res, asio::use_awaitable);
  co_return res;
}

using sb::bench::Letters;

// Counts one call or cycle that began at t0 (when `measured` and after the warm-up) and prints
// the first failures; false when it failed (the worker stops: a broken connection would
// otherwise spin).
bool Record(const Shared& sh, Stats& st, Clock::time_point t0, bool ok,
            const http::response<http::string_body>& res, bool measured = true) {
  auto t1 = Clock::now();
  if (measured && t0 >= sh.measure_from) {
    ++st.requests;
    if (!ok) ++st.errors;
    st.latencies_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  if (!ok && ++st.printed_errors <= 5) std::cerr << res.result_int() << " " << res.body() << "\n";
  return ok;
}

// The `requests` workload on one account: file, approve, comment, as one cycle.
asio::awaitable<void> RequestCycles(Shared& sh, Stats& st, beast::tcp_stream& stream,
                                    const std::string& account) {
  std::string filing = R"({"type":"billing_adjustment","account_id":")" + account +
                       R"(","payload":{"kind":"credit","amount_minor":500,"currency":"EUR"}})";
  while (Clock::now() < sh.stop_at) {
    auto t0 = Clock::now();
    auto res =
        co_await Call(stream, sh.opt, http::verb::post, "/v1/requests", filing, "customer_request");
    bool ok =
        res.result_int() == 201 && res.body().find("\"awaiting_approval\"") != std::string::npos;
    if (ok) {
      std::string id = json::parse(res.body()).at("id").as_string().c_str();
      std::string at = "/v1/requests/" + id;
      res = co_await Call(stream, sh.opt, http::verb::post, at + "/approve", "", "customer_request",
                          false, &sh.opt.approver_key);
      ok = res.result_int() == 200 && res.body().find("\"completed\"") != std::string::npos;
      if (ok) {
        res = co_await Call(stream, sh.opt, http::verb::post, at + "/comments",
                            R"({"text":"credit confirmed to the customer by phone"})", "");
        ok = res.result_int() / 100 == 2;
      }
    }
    if (!Record(sh, st, t0, ok, res)) break;
  }
}

asio::awaitable<void> Worker(Shared& sh, Stats& st, int n) {
  auto ex = co_await asio::this_coro::executor;
  beast::tcp_stream stream(ex);
  asio::ip::tcp::resolver resolver(ex);
  auto eps = co_await resolver.async_resolve(sh.opt.host, sh.opt.port, asio::use_awaitable);
  co_await stream.async_connect(eps, asio::use_awaitable);
  std::string ref =
      "BENCH-" + Letters(Clock::now().time_since_epoch().count()) + "-" + std::to_string(n);
  std::string contacts = sh.opt.contacts ? R"(,"email":"bench)" + std::to_string(n) +
                                               R"(@example.com","phone":"+3361234)" +
                                               std::to_string(1000 + n % 9000) + "\""
                                         : "";
  auto created = co_await Call(
      stream, sh.opt, http::verb::post, "/v1/accounts",
      R"({"external_ref":")" + ref + R"(","plans":["mobile_basic"])" + contacts + "}", "");
  if (created.result_int() != 201) {
    std::cerr << "account creation failed: " << created.result_int() << " " << created.body()
              << "\n";
    co_return;
  }
  std::string account = json::parse(created.body()).at("account").at("id").as_string().c_str();
  std::string holds = "/v1/accounts/" + account + "/holds";
  if (sh.opt.workload == "requests") {
    co_await RequestCycles(sh, st, stream, account);
    beast::error_code ec;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    co_return;
  }
  std::string events = "/v1/events/" + sh.opt.tenant;
  bool payments = sh.opt.workload == "payments";
  std::string hold_id;
  long cycle = 0;
  while (Clock::now() < sh.stop_at) {
    for (int step = 0; step < 2; ++step) {
      auto t0 = Clock::now();
      http::response<http::string_body> res;
      if (step == 0) {
        res = co_await Call(stream, sh.opt, http::verb::post, holds,
                            R"({"hold_type":"non_payment"})", "non_payment");
      } else if (payments) {
        json::object event{
            {"id", "evt_" + ref + "_" + std::to_string(cycle++)},
            {"type", "payment.received"},
            {"data", {{"account_id", account}, {"amount_minor", 100}, {"currency", "EUR"}}}};
        res = co_await Call(stream, sh.opt, http::verb::post, events, json::serialize(event), "",
                            /*signed_event=*/true);
      } else {
        res = co_await Call(stream, sh.opt, http::verb::post, "/v1/holds/" + hold_id + "/lift", "",
                            "payment_received");
      }
      bool ok = res.result_int() / 100 == 2;
      if (ok && step == 0)
        hold_id = json::parse(res.body()).at("hold").at("id").as_string().c_str();
      if (ok && step == 1 && payments) {
        ok = res.body().find("\"reconnected\"") != std::string::npos;
      }
      bool measured = !payments || step == 1;
      if (!Record(sh, st, t0, ok, res, measured)) break;
    }
  }
  beast::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + i, v.end());
  return v[i];
}

int main(int argc, char** argv) {
  Shared sh;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], v = argv[i + 1];
    if (a == "--host")
      sh.opt.host = v;
    else if (a == "--port")
      sh.opt.port = v;
    else if (a == "--key")
      sh.opt.key = v;
    else if (a == "--approver-key")
      sh.opt.approver_key = v;
    else if (a == "--connections")
      sh.opt.connections = std::stoi(v);
    else if (a == "--seconds")
      sh.opt.seconds = std::stoi(v);
    else if (a == "--warmup")
      sh.opt.warmup_seconds = std::stoi(v);
    else if (a == "--workload")
      sh.opt.workload = v;
    else if (a == "--tenant")
      sh.opt.tenant = v;
    else if (a == "--secret")
      sh.opt.secret = v;
    else if (a == "--contacts")
      sh.opt.contacts = v == "yes";
    else {
      std::cerr << "unknown option " << a << "\n";
      return 2;
    }
  }
  bool payments = sh.opt.workload == "payments";
  bool requests = sh.opt.workload == "requests";
  if (sh.opt.key.empty() || (sh.opt.workload != "holds" && !payments && !requests) ||
      (payments && (sh.opt.tenant.empty() || sh.opt.secret.empty())) ||
      (requests && sh.opt.approver_key.empty())) {
    std::cerr << "usage: load_holds --port P --key KEY [--connections 64] [--seconds 30]\n"
                 "       [--workload holds|payments|requests] [--tenant T --secret whsec_...]\n"
                 "       [--approver-key KEY]\n";
    return 2;
  }
  if (payments) {
    auto key = sb::crypto::DecodeWebhookSecret(sh.opt.secret);
    if (!key.ok()) {
      std::cerr << "bad --secret\n";
      return 2;
    }
    sh.opt.secret = *key;
  }
  asio::io_context io;
  sh.measure_from = Clock::now() + std::chrono::seconds(sh.opt.warmup_seconds);
  sh.stop_at = sh.measure_from + std::chrono::seconds(sh.opt.seconds);
  Stats st;
  for (int i = 0; i < sh.opt.connections; ++i) {
    asio::co_spawn(io, Worker(sh, st, i), [](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          std::cerr << "connection failed: " << ex.what() << "\n";
        }
      }
    });
  }
  io.run();
  double secs = sh.opt.seconds;
  std::printf(
      "{\"workload\":\"%s\",\"connections\":%d,\"seconds\":%d,\"requests\":%ld,"
      "\"errors\":%ld,\"rps\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f}\n",
      sh.opt.workload.c_str(), sh.opt.connections, sh.opt.seconds, st.requests, st.errors,
      st.requests / secs, Percentile(st.latencies_ms, 0.50), Percentile(st.latencies_ms, 0.99));
  return st.requests > 0 && st.errors == 0 ? 0 : 1;
}
