// The @connections management API of WebSocket APIs
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html).
#include "management.hpp"

#include "backend.hpp"
#include "connections.hpp"

#include <stratus/clock.hpp>

namespace stratus::apigateway::mgmt {

namespace {
std::shared_ptr<Connection> require(const Call& c) {
  auto conn = Backend::get().connections().find(str_or(c.input, "ConnectionId"));
  if (!conn || !conn->open || conn->closing) throw err::gone();
  return conn;
}
}  // namespace

boost::asio::awaitable<Output> post_to_connection(Call& c) {
  auto conn = require(c);
  std::string data = c.input.contains("Data") ? std::string(c.input["Data"].as_string()) : c.body.read_all();
  if (data.size() > kMaxWsMessage) throw err::payload_too_large("Message too long. Max message size is 128 KB.");
  if (!co_await Backend::get().connections().send(conn, std::move(data))) throw err::gone();
  co_return json::object{};
}

Output get_connection(Call& c) {
  auto conn = require(c);
  return json::object{{"ConnectedAt", static_cast<double>(conn->connected_at) / 1000.0},
                      {"Identity", json::object{{"SourceIp", conn->source_ip}, {"UserAgent", conn->user_agent}}},
                      {"LastActiveAt", static_cast<double>(conn->last_active) / 1000.0}};
}

boost::asio::awaitable<Output> delete_connection(Call& c) {
  auto conn = require(c);
  co_await Backend::get().connections().close(conn, 1000, "");
  co_return json::object{};
}

}  // namespace stratus::apigateway::mgmt
