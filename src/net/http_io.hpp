#pragma once
// Beast ⇄ stratus::HttpRequest/HttpResponse, shared by the main server's sessions and the
// standalone listeners (Lambda Runtime API endpoints).
#include <stratus/http.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace stratus::net {

// `remote_ip`: the peer's address when the caller already knows it (a keep-alive session looks it
// up once, not with a getpeername per request); otherwise it is asked of the socket.
HttpRequest make_request(const boost::beast::http::request_header<>& h, const boost::beast::tcp_stream& stream,
                         const std::string* remote_ip = nullptr);
// The status line and header block of `r` (ending in the blank line), with the framing fields
// (Content-Length or chunked Transfer-Encoding, Connection) the writer's own.
std::string response_head(const HttpResponse& r, unsigned version, bool keep_alive, std::optional<uint64_t> length,
                          bool chunked);
// Writes `r` (memory, file range or generated stream body); false when the connection failed.
boost::asio::awaitable<bool> write_response(boost::beast::tcp_stream& stream, HttpResponse& r, unsigned version,
                                            bool keep_alive, bool head);

}  // namespace stratus::net
