#pragma once
// Outgoing HTTP/1.1 (plain http:// — Stratus talks to local endpoints; https:// is refused) for
// SNS HTTP subscriptions, EventBridge API destinations, API Gateway HTTP integrations and JWKS.
#include <stratus/http.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <stdexcept>
#include <string>

namespace stratus {

struct HttpClientRequest {
  std::string method = "GET";
  std::string url;                     // http://host[:port]/path?query
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{30000};  // whole exchange
  uint64_t max_response_body = 64ull << 20;
};

struct HttpClientResponse {
  int status = 0;
  Headers headers;                     // names as the server sent them
  std::string body;
};

// Thrown for connection failures, timeouts and malformed responses (not for HTTP error statuses).
struct HttpClientError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

boost::asio::awaitable<HttpClientResponse> http_request(boost::asio::any_io_executor ex, HttpClientRequest req);

}  // namespace stratus
