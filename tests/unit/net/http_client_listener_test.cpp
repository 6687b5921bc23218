#include <stratus/http_client.hpp>
#include <stratus/http_listener.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

namespace asio = boost::asio;
using namespace stratus;

namespace {
// Runs `body` as a coroutine on a fresh io_context until it finishes.
template <class F>
void run(asio::io_context& io, F body) {
  std::exception_ptr failure;
  asio::co_spawn(io, body(), [&](std::exception_ptr e) {
    failure = e;
    io.stop();
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
}
}  // namespace

TEST(HttpListener, ServesHandlerAndClientReadsIt) {
  asio::io_context io;
  auto listener = HttpListener::start(io, "127.0.0.1", 0, [](HttpRequest& req) -> asio::awaitable<HttpResponse> {
    HttpResponse r;
    r.status = req.path == "/missing" ? 404 : 201;
    r.headers.add("X-Echo-Method", req.method);
    r.headers.add("X-Echo-Query", req.query_string);
    r.body = Payload(req.body.read_all() + "|" + std::string(req.header_or("x-in")));
    co_return r;
  });
  ASSERT_GT(listener->port(), 0);
  std::string base = "http://127.0.0.1:" + std::to_string(listener->port());
  run(io, [&]() -> asio::awaitable<void> {
    HttpClientRequest req;
    req.method = "POST";
    req.url = base + "/2018-06-01/runtime/invocation/abc/response?x=1";
    req.headers.add("X-In", "hello");
    req.body = "payload";
    auto r = co_await http_request(io.get_executor(), req);
    EXPECT_EQ(r.status, 201);
    EXPECT_EQ(r.body, "payload|hello");
    EXPECT_EQ(r.headers.get_or("X-Echo-Method"), "POST");
    EXPECT_EQ(r.headers.get_or("X-Echo-Query"), "x=1");
    HttpClientRequest miss;
    miss.url = base + "/missing";
    EXPECT_EQ((co_await http_request(io.get_executor(), miss)).status, 404);
    listener->close();
  });
}

TEST(HttpClient, ConnectionRefusedIsAnError) {
  asio::io_context io;
  // Bind and close a listener to find a port nobody listens on.
  auto l = HttpListener::start(io, "127.0.0.1", 0, [](HttpRequest&) -> asio::awaitable<HttpResponse> { co_return HttpResponse{}; });
  uint16_t port = l->port();
  l->close();
  bool threw = false;
  run(io, [&]() -> asio::awaitable<void> {
    HttpClientRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(port) + "/";
    req.timeout = std::chrono::milliseconds(2000);
    try {
      co_await http_request(io.get_executor(), req);
    } catch (const HttpClientError&) {
      threw = true;
    }
  });
  EXPECT_TRUE(threw);
}

TEST(HttpClient, RejectsUnsupportedSchemes) {
  asio::io_context io;
  bool threw = false;
  run(io, [&]() -> asio::awaitable<void> {
    HttpClientRequest req;
    req.url = "ftp://example.com/x";
    try {
      co_await http_request(io.get_executor(), req);
    } catch (const HttpClientError& e) {
      threw = std::string(e.what()).find("scheme") != std::string::npos;
    }
  });
  EXPECT_TRUE(threw);
}
