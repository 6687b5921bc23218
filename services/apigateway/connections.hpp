#pragma once
// Live WebSocket connections of WebSocket APIs, reachable from the @connections management API
// (PostToConnection, GetConnection, DeleteConnection). AWS limits: 128 KB messages (32 KB
// frames), 10 minutes idle, 2 hours per connection
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
#include "common.hpp"

#include <stratus/http.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <unordered_map>

namespace stratus::apigateway {

inline constexpr size_t kMaxWsMessage = 128 * 1024;
inline constexpr int64_t kWsIdleSeconds = 600;
inline constexpr int64_t kWsMaxSeconds = 7200;

struct Connection {
  std::string id, api_id, stage;
  WebSocket* ws = nullptr;
  int64_t connected_at = 0, last_active = 0;  // epoch ms
  std::string source_ip, user_agent;
  int sending = 0;             // sends in progress (close must wait for them)
  bool closing = false;        // a close was requested (DeleteConnection, idle timeout)
  uint16_t close_code = 1000;
  std::string close_reason;
  bool open = true;
};

class Connections {
 public:
  std::shared_ptr<Connection> add(std::shared_ptr<Connection> c);
  void remove(const std::string& id);
  std::shared_ptr<Connection> find(std::string_view id) const;
  // Sends a message; false when the connection is gone.
  boost::asio::awaitable<bool> send(std::shared_ptr<Connection> c, std::string data, bool binary = false);
  // Closes the connection (at once, or after the sends in progress).
  boost::asio::awaitable<void> close(std::shared_ptr<Connection> c, uint16_t code, std::string reason);
  void close_all();  // reset: every connection is closed
  size_t size() const { return conns_.size(); }

 private:
  std::unordered_map<std::string, std::shared_ptr<Connection>> conns_;
};

}  // namespace stratus::apigateway
