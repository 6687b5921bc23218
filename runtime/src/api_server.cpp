#include "api_server.hpp"

#include "net/http_io.hpp"

#include <stratus/strings.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <list>

namespace stratus::runtime {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

HttpRequest from_head(const http::request_header<>& h) {
  HttpRequest r;
  r.method = std::string(h.method_string());
  r.target = std::string(h.target());
  r.version = h.version();
  auto q = r.target.find('?');
  r.path = q == std::string::npos ? r.target : r.target.substr(0, q);
  if (q != std::string::npos) {
    r.query_string = r.target.substr(q + 1);
    r.query = parse_query_string(r.query_string, true);
  }
  for (auto& f : h) r.headers.emplace_back(to_lower(f.name_string()), std::string(f.value()));
  return r;
}

constexpr std::size_t kCoalesceMax = 64 * 1024;

class Server final : public ApiServer, public std::enable_shared_from_this<Server> {
 public:
  Server(asio::io_context& io, Handler h, HeadHook hook, uint64_t max_body)
      : io_(io), acceptor_(io), handler_(std::move(h)), hook_(std::move(hook)), max_body_(max_body) {}

  void listen() {
    asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, accept_loop(shared_from_this()), asio::detached);
  }
  uint16_t port() const override { return port_; }
  void close() override {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (auto* s : streams_) {
      s->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
      s->socket().close(ec);
    }
  }

 private:
  static awaitable<void> accept_loop(std::shared_ptr<Server> self) {
    while (!self->closed_) {
      auto [ec, socket] = co_await self->acceptor_.async_accept(tuple_awaitable);
      if (ec) break;
      boost::system::error_code ignored;
      socket.set_option(asio::ip::tcp::no_delay(true), ignored);
      asio::co_spawn(self->io_, session(self, std::move(socket)), asio::detached);
    }
  }

  static awaitable<void> session(std::shared_ptr<Server> self, asio::ip::tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    auto it = self->streams_.insert(self->streams_.end(), &stream);
    struct Erase {
      std::list<beast::tcp_stream*>& l;
      std::list<beast::tcp_stream*>::iterator i;
      ~Erase() { l.erase(i); }
    } erase{self->streams_, it};
    beast::flat_buffer buffer;
    std::string out;  // response heads (and held-back responses) not yet written
    while (!self->closed_) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(self->max_body_);
      parser.header_limit(64 * 1024);
      // Chunked bodies pass through this callback (set before any data, as Beast requires): to the
      // sink when the head asks for streaming, else into `chunked` like any other body.
      ApiServer::StreamSink sink;
      std::string chunked;
      std::function<std::size_t(std::uint64_t, std::string_view, boost::system::error_code&)> on_chunk =
          [&sink, &chunked](std::uint64_t, std::string_view body, boost::system::error_code&) {
            if (sink) {
              if (!body.empty()) sink(body);
            } else {
              chunked.append(body);
            }
            return body.size();
          };
      parser.on_chunk_body(on_chunk);
      auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, tuple_awaitable);
      if (ec) break;
      HttpRequest req = from_head(parser.get());
      if (self->hook_) sink = self->hook_(req);
      if (!parser.is_done()) {
        auto [ec2, n2] = co_await http::async_read(stream, buffer, parser, tuple_awaitable);
        if (ec2 == http::error::body_limit) {
          http::response<http::string_body> res{http::status::payload_too_large, parser.get().version()};
          res.set(http::field::content_type, "application/json");
          res.body() = R"({"errorMessage":"Exceeded maximum allowed payload size","errorType":"RequestEntityTooLarge"})";
          res.prepare_payload();
          res.keep_alive(false);
          if (!out.empty()) co_await asio::async_write(stream.socket(), asio::buffer(out), tuple_awaitable);
          co_await http::async_write(stream, res, tuple_awaitable);
          break;
        }
        if (ec2) break;
      }
      auto& msg = parser.get();
      // Trailer fields (error type and body of a failed stream) are merged into the fields by now.
      if (parser.chunked()) {
        req.headers.clear();
        for (auto& f : msg) req.headers.emplace_back(to_lower(f.name_string()), std::string(f.value()));
      }
      req.body = Payload(chunked.empty() ? std::move(msg.body()) : std::move(chunked));
      const bool keep_alive = msg.keep_alive();
      const unsigned version = msg.version();
      HttpResponse resp;
      try {
        resp = co_await self->handler_(req);
      } catch (const std::exception& e) {
        spdlog::error("runtime api on port {}: {}", self->port_, e.what());
        resp.status = 500;
        resp.headers.add("Content-Type", "application/json");
        resp.body = Payload(std::string(R"({"errorMessage":"Internal error","errorType":"InternalError"})"));
      }
      if (self->closed_) break;
      // The response is serialised here (a status line and a few fields, no Beast serializer) and
      // written with the body as a second buffer. When the runtime has pipelined its next request
      // (our node bootstrap posts a response together with the following GET /next), the
      // response waits and goes out in one write with the next one: the runtime, which does not
      // wait for it, is woken once per invocation instead of twice.
      std::string body = resp.body.kind() == Payload::Kind::memory ? std::move(resp.body.str()) : resp.body.read_all();
      out += net::response_head(resp, version, keep_alive, body.size(), false);
      if (keep_alive && buffer.size() > 0 && body.size() <= kCoalesceMax) {
        out += body;
        continue;
      }
      std::array<asio::const_buffer, 2> bufs{asio::buffer(out), asio::buffer(body)};
      auto [wec, wn] = co_await asio::async_write(stream.socket(), bufs, tuple_awaitable);
      out.clear();
      if (wec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  }

  asio::io_context& io_;
  asio::ip::tcp::acceptor acceptor_;
  Handler handler_;
  HeadHook hook_;
  uint64_t max_body_;
  uint16_t port_ = 0;
  bool closed_ = false;
  std::list<beast::tcp_stream*> streams_;
};

}  // namespace

std::shared_ptr<ApiServer> ApiServer::start(asio::io_context& io, Handler handler, HeadHook on_head, uint64_t max_body) {
  auto s = std::make_shared<Server>(io, std::move(handler), std::move(on_head), max_body);
  s->listen();
  return s;
}

}  // namespace stratus::runtime
