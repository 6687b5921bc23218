#pragma once
#include "core.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace stratus::server {

class Session {
 public:
  Session(Core& core, boost::asio::ip::tcp::socket socket);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  boost::asio::awaitable<void> run();
  // Graceful shutdown: a connection waiting for its next request is closed now; a busy one
  // finishes its request and then closes.
  void stop_if_idle();

 private:
  boost::asio::awaitable<bool> write_response(HttpResponse& r, unsigned version, bool keep_alive, bool head);
  Core& core_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  bool idle_ = true;
  std::list<Session*>::iterator self_;
};

}  // namespace stratus::server
