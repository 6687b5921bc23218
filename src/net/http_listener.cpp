#include <stratus/http_listener.hpp>

#include "http_io.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <list>

namespace stratus {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

namespace {

class Listener final : public HttpListener, public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& io, Handler h, uint64_t max_body)
      : io_(io), acceptor_(io), handler_(std::move(h)), max_body_(max_body) {}

  void listen(const std::string& host, uint16_t port) {
    asio::ip::tcp::endpoint ep(asio::ip::make_address(host), port);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, accept_loop(shared_from_this()), asio::detached);
  }

  uint16_t port() const override { return port_; }

  void close() override {
    closed_ = true;
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (auto* s : streams_) {
      s->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
      s->socket().close(ec);
    }
  }

 private:
  static awaitable<void> accept_loop(std::shared_ptr<Listener> self) {
    while (!self->closed_) {
      auto [ec, socket] = co_await self->acceptor_.async_accept(tuple_awaitable);
      if (ec) break;
      boost::system::error_code ignored;
      socket.set_option(asio::ip::tcp::no_delay(true), ignored);
      asio::co_spawn(self->io_, session(self, std::move(socket)), asio::detached);
    }
  }

  static awaitable<void> session(std::shared_ptr<Listener> self, asio::ip::tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    auto it = self->streams_.insert(self->streams_.end(), &stream);
    struct Erase {
      std::list<beast::tcp_stream*>& l;
      std::list<beast::tcp_stream*>::iterator i;
      ~Erase() { l.erase(i); }
    } erase{self->streams_, it};
    beast::flat_buffer buffer;
    while (!self->closed_) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(self->max_body_);
      parser.header_limit(64 * 1024);
      stream.expires_never();
      auto [ec, n] = co_await http::async_read(stream, buffer, parser, tuple_awaitable);
      if (ec == http::error::body_limit) {
        HttpResponse r;
        r.status = 413;
        r.headers.add("Content-Type", "application/json");
        r.body = Payload(std::string(R"({"errorMessage":"Request body too large","errorType":"RequestEntityTooLarge"})"));
        co_await net::write_response(stream, r, 11, false, false);
        break;
      }
      if (ec) break;
      auto& msg = parser.get();
      bool keep_alive = msg.keep_alive();
      HttpRequest req = net::make_request(msg, stream);
      req.body = Payload(std::move(msg.body()));
      HttpResponse resp;
      try {
        resp = co_await self->handler_(req);
      } catch (const std::exception& e) {
        spdlog::error("listener on port {}: {}", self->port_, e.what());
        resp.status = 500;
        resp.headers.add("Content-Type", "application/json");
        resp.body = Payload(std::string(R"({"errorMessage":"Internal error","errorType":"InternalError"})"));
      }
      if (self->closed_) break;
      if (!co_await net::write_response(stream, resp, msg.version(), keep_alive, msg.method() == http::verb::head)) break;
      if (!keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  }

  asio::io_context& io_;
  asio::ip::tcp::acceptor acceptor_;
  Handler handler_;
  uint64_t max_body_;
  uint16_t port_ = 0;
  bool closed_ = false;
  std::list<beast::tcp_stream*> streams_;
};

}  // namespace

std::shared_ptr<HttpListener> HttpListener::start(asio::io_context& io, const std::string& host, uint16_t port,
                                                  Handler handler, uint64_t max_body) {
  auto l = std::make_shared<Listener>(io, std::move(handler), max_body);
  try {
    l->listen(host, port);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + e.what());
  }
  return l;
}

}  // namespace stratus
