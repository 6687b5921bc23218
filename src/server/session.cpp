// One HTTP/1.1 connection: a plain loop of read request, dispatch, write response (after Beast's
// awaitable server example), with keep-alive, pipelining (Beast's buffer keeps the next request),
// Expect: 100-continue, chunked and aws-chunked bodies spilled to disk above a threshold, streamed
// responses, timeouts, limits, and the WebSocket upgrade hand-off.
#include "session.hpp"

#include "../net/http_io.hpp"

#include <stratus/sigv4.hpp>
#include <stratus/strings.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cstdio>
#include <deque>
#include <fcntl.h>
#include <unistd.h>

namespace stratus::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto tuple_awaitable = asio::as_tuple(use_awaitable);

namespace {

struct TooLarge {};

// Collects a request body: decodes aws-chunked framing when present, keeps small bodies in memory
// and spills large ones to a temp file, and enforces the route's size limit.
class BodySink {
 public:
  BodySink(uint64_t limit, uint64_t spill_threshold, std::filesystem::path temp_dir,
           std::optional<sigv4::ChunkedDecoder> decoder)
      : limit_(limit), threshold_(spill_threshold), temp_dir_(std::move(temp_dir)), decoder_(std::move(decoder)) {}
  ~BodySink() {
    if (file_) {
      std::fclose(file_);
      std::error_code ec;
      std::filesystem::remove(path_, ec);
    }
  }

  void write(std::string_view wire) {
    if (decoder_) decoder_->feed(wire, [this](std::string_view d) { append(d); });
    else append(wire);
  }

  Payload finish(HttpRequest& req) {
    if (decoder_) {
      decoder_->finish();
      for (auto& [k, v] : decoder_->trailers()) req.headers.add(k, v);
    }
    if (file_) {
      std::fflush(file_);
      std::fclose(file_);
      file_ = nullptr;
      return Payload::from_file(path_, 0, size_, true);
    }
    return Payload(std::move(mem_));
  }

 private:
  void append(std::string_view d) {
    size_ += d.size();
    if (size_ > limit_) throw TooLarge{};
    if (file_) {
      if (std::fwrite(d.data(), 1, d.size(), file_) != d.size()) throw std::runtime_error("cannot write request body to disk");
      return;
    }
    mem_.append(d);
    if (mem_.size() > threshold_) {
      path_ = temp_dir_ / ("body-" + std::to_string(::getpid()) + "-" + std::to_string(reinterpret_cast<uintptr_t>(this)) +
                           "-" + std::to_string(size_) + ".part");
      file_ = std::fopen(path_.c_str(), "wb");
      if (!file_) throw std::runtime_error("cannot create " + path_.string());
      std::setvbuf(file_, nullptr, _IOFBF, 1 << 16);
      if (std::fwrite(mem_.data(), 1, mem_.size(), file_) != mem_.size()) throw std::runtime_error("cannot write request body");
      mem_.clear();
      mem_.shrink_to_fit();
    }
  }

  uint64_t limit_, threshold_;
  std::filesystem::path temp_dir_;
  std::optional<sigv4::ChunkedDecoder> decoder_;
  std::string mem_;
  FILE* file_ = nullptr;
  std::filesystem::path path_;
  uint64_t size_ = 0;
};

// WebSocket over the session's stream, for services that accept upgrades.
class BeastWebSocket final : public WebSocket {
 public:
  BeastWebSocket(beast::tcp_stream&& s, http::request<http::empty_body>&& req)
      : ws_(std::move(s)), req_(std::move(req)) {}

  awaitable<bool> accept(Headers extra) override {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator([extra = std::move(extra)](websocket::response_type& res) {
      for (auto& [k, v] : extra) res.set(k, v);
    }));
    ws_.read_message_max(1 << 20);
    beast::get_lowest_layer(ws_).expires_never();
    auto [ec] = co_await ws_.async_accept(req_, tuple_awaitable);
    open_ = !ec;
    co_return open_;
  }

  awaitable<void> reject(HttpResponse r) override {
    http::response<http::string_body> res{static_cast<http::status>(r.status), req_.version()};
    for (auto& [k, v] : r.headers) res.insert(k, v);
    res.body() = r.body.kind() == Payload::Kind::memory ? r.body.str() : std::string();
    res.keep_alive(false);
    res.prepare_payload();
    co_await http::async_write(beast::get_lowest_layer(ws_), res, tuple_awaitable);
    boost::system::error_code ec;
    beast::get_lowest_layer(ws_).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  }

  awaitable<std::optional<std::string>> receive() override {
    if (!open_) co_return std::nullopt;
    beast::flat_buffer b;
    auto [ec, n] = co_await ws_.async_read(b, tuple_awaitable);
    if (ec) {
      open_ = false;
      if (ec == websocket::error::closed) {
        // A close frame without a status code reads as 1005 (RFC 6455 §7.1.5).
        peer_code_ = ws_.reason().code ? static_cast<uint16_t>(ws_.reason().code) : 1005;
        peer_reason_ = std::string(ws_.reason().reason.c_str());
      }
      co_return std::nullopt;
    }
    co_return beast::buffers_to_string(b.data());
  }

  awaitable<bool> send(std::string message, bool binary) override {
    if (!open_) co_return false;
    queue_.emplace_back(std::move(message), binary);
    if (writing_) co_return true;  // the active writer drains the queue in order
    writing_ = true;
    while (!queue_.empty() && open_) {
      auto [msg, bin] = std::move(queue_.front());
      queue_.pop_front();
      ws_.binary(bin);
      auto [ec, n] = co_await ws_.async_write(asio::buffer(msg), tuple_awaitable);
      if (ec) open_ = false;
    }
    writing_ = false;
    co_return open_;
  }

  awaitable<void> close(uint16_t code, std::string reason) override {
    if (!open_) co_return;
    open_ = false;
    co_await ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(code), reason), tuple_awaitable);
  }

  bool is_open() const override { return open_; }
  uint16_t peer_close_code() const override { return peer_code_; }
  std::string peer_close_reason() const override { return peer_reason_; }

 private:
  websocket::stream<beast::tcp_stream> ws_;
  http::request<http::empty_body> req_;
  bool open_ = false;
  bool writing_ = false;
  uint16_t peer_code_ = 0;
  std::string peer_reason_;
  std::deque<std::pair<std::string, bool>> queue_;
};

}  // namespace

Session::Session(Core& core, asio::ip::tcp::socket socket) : core_(core), stream_(std::move(socket)) {
  self_ = core_.sessions.insert(core_.sessions.end(), this);
}

Session::~Session() { core_.sessions.erase(self_); }

void Session::stop_if_idle() {
  if (idle_) {
    boost::system::error_code ec;
    stream_.socket().cancel(ec);
    stream_.socket().close(ec);
  }
}

awaitable<bool> Session::write_response(HttpResponse& r, unsigned version, bool keep_alive, bool head) {
  return net::write_response(stream_, r, version, keep_alive, head);
}

awaitable<void> Session::run() {
  const Config& cfg = core_.config;
  std::vector<char> buf(64 * 1024);
  // The peer of a connection never changes: looked up once, not per request.
  std::string remote_ip;
  {
    boost::system::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ip = ep.address().to_string();
  }
  for (;;) {
    idle_ = true;
    if (core_.stopping) break;
    http::request_parser<http::empty_body> hp;
    hp.header_limit(cfg.header_limit);
    hp.body_limit(boost::none);
    stream_.expires_after(cfg.idle_timeout);
    auto [ec, n] = co_await http::async_read_header(stream_, buffer_, hp, tuple_awaitable);
    idle_ = false;
    if (ec) {
      if (ec == http::error::header_limit) {
        HttpResponse r = early_error(core_, nullptr, 431, "RequestHeaderFieldsTooLarge",
                                     "The request's header fields exceed " + std::to_string(cfg.header_limit) + " bytes");
        co_await write_response(r, 11, false, false);
      } else if (ec != http::error::end_of_stream && ec != asio::error::eof && ec != beast::error::timeout &&
                 ec != asio::error::operation_aborted && ec != asio::error::connection_reset &&
                 ec != asio::error::bad_descriptor && ec != http::error::partial_message) {
        HttpResponse r = early_error(core_, nullptr, 400, "BadRequest", "Malformed HTTP request: " + ec.message());
        co_await write_response(r, 11, false, false);
      }
      break;
    }
    auto& header = hp.get();
    const bool keep_alive = header.keep_alive() && !core_.stopping;
    const unsigned version = header.version();
    const bool head = header.method() == http::verb::head;
    HttpRequest req = net::make_request(header, stream_, remote_ip.empty() ? nullptr : &remote_ip);
    Route route = core_.router->route(req, false);

    if (websocket::is_upgrade(header) && route.kind == Route::Kind::websocket && route.service) {
      RequestContext ctx;
      ctx.service = route.service;
      ctx.request_id = new_request_id(RequestIdStyle::uuid);
      ctx.endpoint = "http://" + std::string(req.host());
      stream_.expires_never();
      BeastWebSocket ws(std::move(stream_), hp.release());
      try {
        core_.services.ensure_started(*route.service);
        co_await route.service->handle_websocket(ctx, req, ws);
      } catch (const std::exception& e) {
        spdlog::error("{} websocket: {}", route.service->name(), e.what());
      }
      if (ws.is_open()) co_await ws.close(1001, "going away");
      co_return;
    }

    // Body limits: an error before reading (and before 100 Continue) when the declared size is over:
    // the decoded size of an aws-chunked body when the client states it, else Content-Length
    // (with room for chunk signatures when it is aws-chunked without a decoded size).
    uint64_t limit = route.service ? route.service->info().max_body : (64ull << 20);
    auto too_large = [&](uint64_t size) {
      if (route.service && route.service->info().too_large)
        return early_error(core_, &route, route.service->info().too_large(size, limit));
      return early_error(core_, &route, 413, "RequestEntityTooLarge",
                         size ? "Request body of " + std::to_string(size) + " bytes exceeds the limit of " +
                                    std::to_string(limit) + " bytes"
                              : "Request body exceeds the limit of " + std::to_string(limit) + " bytes");
    };
    if (auto cl = hp.content_length()) {
      uint64_t declared = *cl, allowed = limit;
      uint64_t decoded = 0;
      auto d = req.header_or("x-amz-decoded-content-length");
      if (!d.empty() && std::from_chars(d.data(), d.data() + d.size(), decoded).ec == std::errc{}) declared = decoded;
      else if (req.header_or("content-encoding").find("aws-chunked") != std::string_view::npos)
        allowed = limit + (limit >> 4) + 65536;
      if (declared > allowed) {
        HttpResponse r = too_large(declared);
        co_await write_response(r, version, false, head);
        break;
      }
    }
    if (version == 11 && iequals(req.header_or("expect"), "100-continue")) {
      static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [wec, wn] = co_await asio::async_write(stream_, asio::buffer(kContinue, sizeof kContinue - 1), tuple_awaitable);
      if (wec) break;
    }

    // aws-chunked: decoded as it arrives; chunk signatures verified in strict mode by the dispatcher's
    // rules (the decoder here only frames; strict verification re-checks the seed signature).
    std::optional<sigv4::ChunkedDecoder> decoder;
    auto content_sha = req.header_or("x-amz-content-sha256");
    bool aws_chunked = content_sha.starts_with("STREAMING-") ||
                       req.header_or("content-encoding").find("aws-chunked") != std::string_view::npos;
    if (aws_chunked) {
      std::optional<sigv4::ChunkSigner> signer;
      if (cfg.auth == AuthMode::strict && content_sha.starts_with("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")) {
        if (auto a = sigv4::parse_scope(req)) {
          std::string secret;
          if (auto* p = core_.identities.find(a->access_key_id)) secret = p->secret_access_key;
          for (auto& c : cfg.credentials)
            if (c.access_key_id == a->access_key_id) secret = c.secret_access_key;
          if (!secret.empty())
            signer = sigv4::ChunkSigner{sigv4::signing_key(secret, a->date, a->region, a->service), a->amz_date,
                                        a->scope(), a->signature};
        }
      }
      decoder.emplace(std::move(signer));
    }

    bool failed = false;
    std::optional<HttpResponse> early;
    {
      http::request_parser<http::buffer_body> bp(std::move(hp));
      BodySink sink(limit, cfg.spill_threshold, core_.storage.temp_dir(), std::move(decoder));
      // Beast reads at most the buffer's free capacity (512 bytes when the buffer is header
      // sized): a large body would cost one recvmsg + epoll_wait per 512 bytes (~50 MB/s).
      const auto announced = bp.content_length();
      const bool large_body = !bp.is_done() && (!announced || *announced > buf.size());
      if (large_body) buffer_.reserve(buf.size());
      try {
        while (!bp.is_done()) {
          bp.get().body().data = buf.data();
          bp.get().body().size = buf.size();
          stream_.expires_after(cfg.body_timeout);
          auto [rec, rn] = co_await http::async_read(stream_, buffer_, bp, tuple_awaitable);
          if (rec == http::error::need_buffer) rec = {};
          if (rec) {
            failed = true;
            break;
          }
          sink.write(std::string_view(buf.data(), buf.size() - bp.get().body().size));
        }
        if (!failed) req.body = sink.finish(req);
        if (large_body) buffer_.shrink_to_fit();  // idle keep-alive connections stay small
      } catch (const TooLarge&) {
        early = too_large(0);
      } catch (const AwsError& e) {
        early = early_error(core_, &route, e.status ? e.status : 400, e.code, e.message);
      }
    }
    if (failed) break;
    if (early) {
      co_await write_response(*early, version, false, head);
      break;
    }
    // The body is plain bytes now, but Content-Encoding keeps its aws-chunked token: the client
    // signed that header (strict SigV4 recomputes the canonical request from it); S3 leaves the
    // token out of the object's stored Content-Encoding.
    if (route.kind == Route::Kind::none) route = core_.router->route(req, true);

    HttpResponse resp = co_await dispatch(core_, req, route);
    if (!co_await write_response(resp, version, keep_alive && !core_.stopping, head)) break;
    if (!keep_alive || core_.stopping) break;
  }
  boost::system::error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

}  // namespace stratus::server
