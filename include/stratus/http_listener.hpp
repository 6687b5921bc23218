#pragma once
// A small HTTP/1.1 server on its own port, serving every request with one handler: the Lambda
// Runtime API endpoint of an execution environment (AWS_LAMBDA_RUNTIME_API=127.0.0.1:<port>).
// Keep-alive, whole request bodies (up to max_body), handler-produced responses (a handler may
// await for as long as it likes, e.g. /invocation/next). Runs on the event loop.
#include <stratus/http.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>

namespace stratus {

class HttpListener {
 public:
  using Handler = std::function<boost::asio::awaitable<HttpResponse>(HttpRequest&)>;
  virtual ~HttpListener() = default;
  // Listens on host:port (0: an ephemeral port). Throws std::runtime_error when it cannot bind.
  static std::shared_ptr<HttpListener> start(boost::asio::io_context& io, const std::string& host, uint16_t port,
                                             Handler handler, uint64_t max_body = 16ull << 20);
  virtual uint16_t port() const = 0;
  // Stops accepting and closes every connection (handlers still running finish on their own).
  virtual void close() = 0;
};

}  // namespace stratus
