// The Beast front: a listener accepting connections and one session per connection
// (HTTP/1.1 keep-alive, limits, read timeout). Parsed requests go to a separate handler
// pool; answers come back on the session's strand.

#include "http/server.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "crypto/crypto.h"
#include "http/handler.h"
#include "http/log.h"
#include "http/problem.h"
#include "http/request_reader.h"

namespace sb::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// Splits "host:port" or "[v6]:port".
bool SplitListen(const std::string& listen, std::string* host, unsigned short* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  *host = listen.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[') *host = host->substr(1, host->size() - 2);
  try {
    int p = std::stoi(listen.substr(colon + 1));
    if (p < 0 || p > 65535) return false;
    *port = static_cast<unsigned short>(p);
  } catch (...) {
    return false;
  }
  return true;
}

// An answer's head, written with its body in one call: the status line, the headers in the
// order set, Content-Length (none for 1xx, 204 and 304, whose body is emptied), and Connection
// where it differs from the version's default. What Beast's serializer writes for a string
// body, without its buffer sequences. A CR or LF in a header becomes a space: no header value
// can start another header.
std::string AnswerHead(Response& r, unsigned version, bool keep_alive) {
  const auto status = static_cast<bhttp::status>(r.status);
  const bool bodiless = r.status < 200 || status == bhttp::status::no_content ||
                        status == bhttp::status::not_modified;
  if (bodiless) r.body.clear();
  std::string out;
  out.reserve(256);
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  const beast::string_view reason = bhttp::obsolete_reason(status);
  out.append(reason.data(), reason.size());
  out += "\r\n";
  auto safe = [&out](std::string_view text) {
    for (char c : text) out += (c == '\r' || c == '\n') ? ' ' : c;
  };
  for (const auto& [name, value] : r.headers) {
    if (beast::iequals(name, "Content-Length") || beast::iequals(name, "Connection") ||
        beast::iequals(name, "Transfer-Encoding")) {
      continue;
    }
    safe(name);
    out += ": ";
    safe(value);
    out += "\r\n";
  }
  if (version != 10 && !keep_alive) out += "Connection: close\r\n";
  if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
  if (!bodiless) {
    out += "Content-Length: ";
    out += std::to_string(r.body.size());
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

}  // namespace

class Session;

struct Server::Impl {
  Impl(Api api, ServerOptions o)
      : options(o),
        handler(api, o),
        pool(std::max(1, o.handler_threads)),
        read_pool(std::max(1, o.read_threads)),
        stream_pool(std::max(1, o.stream_threads)),
        acceptor(ioc),
        accept_retry(ioc) {}

  ServerOptions options;
  Handler handler;
  asio::io_context ioc;
  asio::thread_pool pool;       // requests that write
  asio::thread_pool read_pool;  // GET and HEAD (ServerOptions::read_threads)
  // Streamed answers, one thread each while it lasts (ServerOptions::stream_threads).
  asio::thread_pool stream_pool;
  std::atomic<int> streams{0};  // streamed answers under way
  tcp::acceptor acceptor;
  asio::steady_timer accept_retry;
  std::size_t max_connections = 0;  // set by Start (ConnectionLimit)
  bool refusing = false;            // under mu: the last connection was over the maximum
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  // The bodies being received, by what their headers announced (max_receiving_body_bytes).
  std::atomic<std::uint64_t> receiving_body_bytes{0};
  std::mutex mu;
  std::condition_variable idle;
  std::set<std::shared_ptr<Session>> sessions;
  bool started = false;
  bool shut_down = false;

  void Accept();
  // A place for one more streamed answer; false when stream_threads are all streaming.
  bool TakeStream() {
    if (streams.fetch_add(1) < std::max(1, options.stream_threads)) return true;
    streams.fetch_sub(1);
    return false;
  }
  void Finished() {
    std::lock_guard<std::mutex> lock(mu);
    if (--in_flight == 0) idle.notify_all();
  }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {}
  ~Session() { ReleaseBody(); }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

  // Closes the connection if it is waiting for a request. Runs on the strand.
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->Close();
    });
  }

 private:
  // Waits for the next request: its header under header_timeout_seconds (which also ends
  // an idle keep-alive connection), then its body under read_timeout_seconds.
  void Read() {
    reader_.Reset();
    // Until the route is known the body may be an upload's: a Content-Length over the
    // ordinary limit is judged in OnHeader, once the route says which limit applies.
    reader_.parser().body_limit(
        std::max<std::uint64_t>(server_.options.max_body_bytes, server_.options.max_upload_bytes));
    upload_head_ = Request();
    head_only_ = false;
    // A connection waiting for its next request keeps no buffer a large request grew.
    if (buffer_.size() == 0) buffer_.shrink_to_fit();
    stream_.expires_after(std::chrono::seconds(server_.options.header_timeout_seconds));
    busy_ = false;
    bhttp::async_read_header(
        stream_, buffer_, reader_.parser(),
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  // A Content-Length over the route's limit is refused before the body is read (413); a
  // chunked body stops at the limit as it arrives.
  void OnHeader(beast::error_code ec) {
    if (ec) return OnRead(ec);
    stream_.expires_after(std::chrono::seconds(server_.options.read_timeout_seconds));
    const auto& head = reader_.parser().get();
    if (auto refusal = RefuseTransferCoding(head)) return RefuseWith(std::move(*refusal));
    if (server_.handler.SpoolsBody(std::string(head.method_string()), std::string(head.target()))) {
      return ReadUpload();
    }
    const auto length = reader_.parser().content_length();
    if (length && *length > server_.options.max_body_bytes) return OnRead(bhttp::error::body_limit);
    const bool chunked = reader_.parser().chunked();
    if (chunked || (length && *length > 0)) {
      if (head.find(bhttp::field::authorization) == head.end() &&
          head.find(bhttp::field::cookie) == head.end()) {
        if (auto refusal = server_.handler.RefuseBodyWithoutCredentials(
                std::string(head.method_string()), std::string(head.target()))) {
          return RefuseWith(std::move(*refusal));
        }
      }
      if (!ReserveBody(chunked ? server_.options.max_body_bytes : *length)) {
        Response busy = ProblemResponse(
            Status::Unavailable("The server is receiving too many request bodies at once."));
        busy.SetHeader("Retry-After", "1");
        return RefuseWith(std::move(busy));
      }
    }
    reader_.parser().body_limit(server_.options.max_body_bytes);
    bhttp::async_read(
        stream_, buffer_, reader_.parser(),
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  // A Transfer-Encoding other than "chunked" alone leaves the body's end unknown to this
  // server, and the bytes after the header could be read as another request (RFC 9112,
  // section 6.3): 400, and the connection closes.
  static std::optional<Response> RefuseTransferCoding(const bhttp::request_header<>& head) {
    auto [first, last] = head.equal_range(bhttp::field::transfer_encoding);
    if (first == last) return std::nullopt;
    beast::string_view value = first->value();
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (std::next(first) == last && beast::iequals(value, "chunked")) return std::nullopt;
    return ProblemResponse(Status::Invalid("Transfer-Encoding",
                                           "Only Transfer-Encoding: chunked is accepted.",
                                           "unsupported_transfer_encoding"));
  }

  // Counts `bytes` of body about to be received against max_receiving_body_bytes; false,
  // counting nothing, when they would go past it.
  bool ReserveBody(std::uint64_t bytes) {
    std::uint64_t before = server_.receiving_body_bytes.fetch_add(bytes);
    if (before + bytes > server_.options.max_receiving_body_bytes) {
      server_.receiving_body_bytes.fetch_sub(bytes);
      return false;
    }
    body_reserved_ = bytes;
    return true;
  }
  void ReleaseBody() {
    if (body_reserved_ == 0) return;
    server_.receiving_body_bytes.fetch_sub(body_reserved_);
    body_reserved_ = 0;
  }

  void OnRead(beast::error_code ec) {
    ReleaseBody();
    busy_ = true;
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || (server_.stopping && ec)) {
      return Close();
    }
    if (ec) return Refuse(ec);
    keep_alive_ = reader_.parser().get().keep_alive();
    version_ = reader_.parser().get().version();
    auto request = std::make_shared<Request>(reader_.Take(Peer()));
    // HEAD is GET answered without its body (RFC 9110, section 9.3.2).
    head_only_ = request->method == "HEAD";
    if (head_only_) request->method = "GET";
    Dispatch(std::move(request));
  }

  // The peer's address, asked of the socket once per connection.
  const std::string& Peer() {
    if (!peer_known_) {
      beast::error_code peer_ec;
      peer_ = stream_.socket().remote_endpoint(peer_ec).address().to_string();
      if (peer_ec) peer_.clear();
      peer_known_ = true;
    }
    return peer_;
  }

  // Hands a request read whole to a handler pool (reads to their own); its answer comes back
  // on the strand.
  void Dispatch(std::shared_ptr<Request> request) {
    ++server_.in_flight;
    const bool read = request->method == "GET" || request->method == "HEAD";
    const bool head_only = head_only_;
    asio::post(
        read ? server_.read_pool : server_.pool, [self = shared_from_this(), request, head_only] {
          if (request->spooled) {
            std::optional<std::string> sha = crypto::Sha256OfFile(request->spooled->path);
            request->spooled->sha256 = sha ? crypto::Hex(*sha) : std::string();
          }
          Response r = self->server_.handler.Handle(std::move(*request));
          if (head_only) r.stream = nullptr;  // the head alone: nothing is produced
          if (r.stream && !self->server_.TakeStream()) {
            r = ProblemResponse(
                Status::Unavailable("Too many answers are being streamed at once; retry shortly."));
            r.SetHeader("Retry-After", "5");
          }
          if (r.stream) {
            // A stream lasts as long as its client reads: on a thread of its own pool, never one
            // that reads or writes wait for.
            return asio::post(self->server_.stream_pool,
                              [self, r = std::move(r)]() mutable { self->Stream(std::move(r)); });
          }
          asio::post(self->stream_.get_executor(), [self, r = std::move(r)]() mutable {
            self->Write(std::move(r), self->keep_alive_ && !self->server_.stopping);
            self->server_.Finished();
          });
        });
  }

  // An upload route's body (BodyType::kUpload): written to a temporary file as it arrives,
  // under max_upload_bytes, never held in memory. The header read is moved into a parser
  // whose body is that file.
  void ReadUpload() {
    // A body announced over the limit is refused before a byte of it is read (the parser's
    // own limit, set below, applies only to a chunked body as it arrives).
    const auto length = reader_.parser().content_length();
    if (length && *length > server_.options.max_upload_bytes) {
      return OnRead(bhttp::error::body_limit);
    }
    busy_ = true;
    upload_head_ = reader_.Head(Peer());
    // The caller is checked from the header before a byte of the body is stored; that reads
    // the store, so on a handler thread.
    ++server_.in_flight;
    asio::post(server_.pool, [self = shared_from_this()] {
      std::optional<Response> refusal =
          self->server_.handler.RefuseUploadCaller(self->upload_head_);
      asio::post(self->stream_.get_executor(), [self, refusal = std::move(refusal)]() mutable {
        self->server_.Finished();
        if (refusal) return self->RefuseWith(std::move(*refusal));
        self->SpoolUpload();
      });
    });
  }

  void SpoolUpload() {
    auto spooled = std::make_shared<SpooledBody>();
    std::string path = server_.options.upload_dir + "/switchboard-upload-XXXXXX";
    int fd = mkstemp(path.data());
    if (fd < 0) return RefuseWith(ProblemResponse(Status::Unavailable("no room for the upload")));
    ::close(fd);
    spooled->path = path;
    keep_alive_ = reader_.parser().get().keep_alive();
    version_ = reader_.parser().get().version();
    upload_.emplace(std::move(reader_.parser()));
    upload_->body_limit(server_.options.max_upload_bytes);
    beast::error_code ec;
    upload_->get().body().open(path.c_str(), beast::file_mode::write, ec);
    if (ec) return RefuseWith(ProblemResponse(Status::Unavailable("no room for the upload")));
    spooled_ = std::move(spooled);
    bhttp::async_read(
        stream_, buffer_, *upload_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnUpload(ec); });
  }

  void OnUpload(beast::error_code ec) {
    std::shared_ptr<SpooledBody> spooled = std::move(spooled_);
    if (upload_) upload_->get().body().close();
    std::uint64_t size = upload_ && !ec ? upload_->content_length().value_or(0) : 0;
    upload_.reset();
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || (server_.stopping && ec)) {
      return Close();
    }
    if (ec) {
      std::optional<Response> refusal = RefusalFor(ec);
      if (!refusal) return Close();
      return RefuseWith(std::move(*refusal));
    }
    spooled->size = size;
    auto request = std::make_shared<Request>(std::move(upload_head_));
    request->spooled = std::move(spooled);
    Dispatch(std::move(request));
  }

  // Runs `op` on the strand and waits for it to complete; false when it failed. Called from
  // a handler thread (Stream), never on the strand.
  bool OnStrand(const std::function<void(std::function<void(beast::error_code)>)>& op) {
    auto done = std::make_shared<std::promise<beast::error_code>>();
    std::future<beast::error_code> result = done->get_future();
    asio::post(stream_.get_executor(), [self = shared_from_this(), &op, done] {
      self->stream_.expires_after(std::chrono::seconds(self->server_.options.read_timeout_seconds));
      op([done](beast::error_code ec) { done->set_value(ec); });
    });
    return !result.get();
  }

  // Sends an answer whose body is produced as it goes (Response::stream), chunked, from the
  // handler thread; the connection closes at its end. It ends early when the client stops
  // reading (the write times out), the server stops, or max_stream_seconds pass.
  void Stream(Response r) {
    auto res = std::make_shared<bhttp::response<bhttp::empty_body>>();
    res->result(static_cast<unsigned>(r.status));
    res->version(version_ == 10 ? 10 : 11);
    for (const auto& [k, v] : r.headers) res->set(k, v);
    res->chunked(true);
    res->keep_alive(false);
    bhttp::response_serializer<bhttp::empty_body> sr(*res);
    bool ok = OnStrand([&](auto done) {
      bhttp::async_write_header(stream_, sr,
                                [done](beast::error_code ec, std::size_t) { done(ec); });
    });
    auto until =
        std::chrono::steady_clock::now() + std::chrono::seconds(server_.options.max_stream_seconds);
    std::string piece;
    bool more = true;
    while (ok && more) {
      piece.clear();
      try {
        more = r.stream(&piece);
      } catch (const std::exception& e) {
        LogLine(LogLevel::kError, "stream failed", {{"error", e.what()}});
        more = false;
      }
      if (!piece.empty()) {
        ok = OnStrand([&](auto done) {
          asio::async_write(stream_, bhttp::make_chunk(asio::buffer(piece)),
                            [done](beast::error_code ec, std::size_t) { done(ec); });
        });
      }
      if (server_.stopping || std::chrono::steady_clock::now() > until) more = false;
    }
    if (ok) {
      auto last = bhttp::make_chunk_last();
      OnStrand([&](auto done) {
        asio::async_write(stream_, last, [done](beast::error_code ec, std::size_t) { done(ec); });
      });
    }
    server_.streams.fetch_sub(1);
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->Close();
      self->server_.Finished();
    });
  }

  // Answers a request that could not be read (too large, malformed) and closes.
  void Refuse(beast::error_code ec) {
    std::optional<Response> refusal = RefusalFor(ec);
    if (!refusal) return Close();
    RefuseWith(std::move(*refusal));
  }

  void RefuseWith(Response r) {
    Request info;
    info.method = upload_head_.method.empty() ? std::string(reader_.parser().get().method_string())
                                              : upload_head_.method;
    server_.handler.Record(info, r, 0);
    refused_ = true;
    Write(std::move(r), false);
  }

  // After refusing a request whose bytes were not all read: stop sending, then read and drop
  // what the client still sends for a moment, so that closing does not reset the connection
  // before the client has read the answer.
  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    Drain(std::make_shared<std::array<char, 8192>>());
  }

  void Drain(std::shared_ptr<std::array<char, 8192>> buf) {
    stream_.async_read_some(asio::buffer(*buf),
                            [self = shared_from_this(), buf](beast::error_code ec, std::size_t) {
                              if (ec) return self->Close();
                              self->Drain(buf);
                            });
  }

  void Write(Response r, bool keep_alive) {
    struct Answer {
      std::string head;
      std::string body;
    };
    auto answer = std::make_shared<Answer>();
    answer->head = AnswerHead(r, version_ == 10 ? 10 : 11, keep_alive);
    if (!head_only_) answer->body = std::move(r.body);
    std::array<asio::const_buffer, 2> bytes{asio::buffer(answer->head), asio::buffer(answer->body)};
    stream_.expires_after(std::chrono::seconds(server_.options.read_timeout_seconds));
    asio::async_write(
        stream_, bytes,
        [self = shared_from_this(), answer, keep_alive](beast::error_code ec, std::size_t) {
          if (!ec && self->refused_) return self->Linger();
          if (ec || !keep_alive) return self->Close();
          self->Read();
        });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    std::lock_guard<std::mutex> lock(server_.mu);
    server_.sessions.erase(shared_from_this());
    server_.idle.notify_all();
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  RequestReader reader_{server_.options};
  bool keep_alive_ = false;
  unsigned version_ = 11;
  bool busy_ = true;
  std::string peer_;  // Peer()
  bool peer_known_ = false;
  bool refused_ = false;
  bool head_only_ = false;           // the request being answered is a HEAD
  std::uint64_t body_reserved_ = 0;  // ReserveBody
  // An upload being spooled (ReadUpload): its parser, file and the request's head.
  std::optional<bhttp::request_parser<bhttp::file_body>> upload_;
  std::shared_ptr<SpooledBody> spooled_;
  Request upload_head_;
};

void Server::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      // Out of descriptors (or another transient failure): wait a moment instead of spinning
      // on accept while connections close.
      if (stopping || !acceptor.is_open()) return;
      accept_retry.expires_after(std::chrono::milliseconds(50));
      accept_retry.async_wait([this](beast::error_code) {
        if (!stopping && acceptor.is_open()) Accept();
      });
      return;
    }
    std::shared_ptr<Session> session;
    bool first_refusal = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (sessions.size() < max_connections) {
        session = std::make_shared<Session>(std::move(socket), *this);
        sessions.insert(session);
        refusing = false;
      } else {
        first_refusal = !refusing;
        refusing = true;
      }
    }
    if (session) {
      session->Start();
    } else {
      beast::error_code ignored;
      socket.close(ignored);
      // Once per episode, not once per connection: a flood must not become a log flood.
      if (first_refusal) {
        LogLine(LogLevel::kWarn, "connections_refused",
                {{"reason", "max_connections"},
                 {"max_connections", static_cast<std::int64_t>(max_connections)}});
      }
    }
    Accept();
  });
}

namespace {

// The connections the server may hold: the configured maximum, within the descriptors the
// process may open (raised to its hard limit) less a reserve for the database, the log and
// outgoing webhook deliveries.
std::size_t ConnectionLimit(int configured) {
  constexpr rlim_t kReserve = 256;
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &lim) != 0) getrlimit(RLIMIT_NOFILE, &lim);
  }
  std::size_t limit = static_cast<std::size_t>(std::max(1, configured));
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur > kReserve) {
    limit = std::min<std::size_t>(limit, lim.rlim_cur - kReserve);
  }
  return limit;
}

}  // namespace

Server::Server(Api api, ServerOptions options)
    : impl_(std::make_unique<Impl>(api, std::move(options))) {}

Server::~Server() { Shutdown(0); }

Result<int> Server::Start() {
  std::string host;
  unsigned short port = 0;
  if (!SplitListen(impl_->options.listen, &host, &port)) {
    return Status::Invalid("listen", "Listen address must be host:port.");
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return Status::Invalid("listen", "Bad listen address: " + host);
  tcp::endpoint endpoint(address, port);
  tcp::acceptor& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Status::Unavailable("Cannot listen on " + impl_->options.listen + ": " + ec.message());
  int bound = a.local_endpoint().port();
  impl_->max_connections = ConnectionLimit(impl_->options.max_connections);
  impl_->Accept();
  for (int i = 0; i < std::max(1, impl_->options.io_threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->started = true;
  LogLine(
      LogLevel::kInfo, "listening",
      {{"port", bound}, {"max_connections", static_cast<std::int64_t>(impl_->max_connections)}});
  return bound;
}

void Server::Shutdown(int grace_ms) {
  if (!impl_ || impl_->shut_down) return;
  impl_->shut_down = true;
  impl_->stopping = true;
  if (impl_->started) {
    asio::post(impl_->ioc, [this] {
      beast::error_code ec;
      impl_->acceptor.close(ec);
      impl_->accept_retry.cancel();
    });
    std::unique_lock<std::mutex> lock(impl_->mu);
    impl_->idle.wait_for(lock, std::chrono::milliseconds(grace_ms),
                         [this] { return impl_->in_flight.load() == 0; });
    for (const auto& s : impl_->sessions) s->CloseIfIdle();
    // Answers being written go out before the loop stops.
    impl_->idle.wait_for(lock, std::chrono::milliseconds(std::min(grace_ms, 2000)),
                         [this] { return impl_->sessions.empty(); });
  }
  impl_->read_pool.join();
  impl_->pool.join();
  impl_->stream_pool.join();
  impl_->ioc.stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  impl_->sessions.clear();
}

}  // namespace sb::http
