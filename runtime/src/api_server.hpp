#pragma once
// The HTTP/1.1 server behind one environment's Runtime API endpoint. Like the core's HttpListener,
// plus what the Runtime API needs beyond it: a response POSTed in streaming mode
// (Lambda-Runtime-Function-Response-Mode: streaming, chunked, error trailers) is handed over
// chunk by chunk while it arrives instead of after the last byte.
#include <stratus/http.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>

namespace stratus::runtime {

class ApiServer {
 public:
  // Decides, from the request head, whether its body streams to a sink (returned) or is buffered.
  using StreamSink = std::function<void(std::string_view chunk)>;
  using HeadHook = std::function<StreamSink(const HttpRequest& head)>;
  using Handler = std::function<boost::asio::awaitable<HttpResponse>(HttpRequest&)>;

  virtual ~ApiServer() = default;
  static std::shared_ptr<ApiServer> start(boost::asio::io_context& io, Handler handler, HeadHook on_head,
                                          uint64_t max_body);
  virtual uint16_t port() const = 0;
  virtual void close() = 0;
};

}  // namespace stratus::runtime
