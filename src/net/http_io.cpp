#include "http_io.hpp"

#include <stratus/strings.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace stratus::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);


HttpRequest make_request(const http::request_header<>& h, const beast::tcp_stream& stream,
                         const std::string* remote_ip) {
  HttpRequest r;
  r.method = std::string(h.method_string());
  r.target = std::string(h.target());
  r.version = h.version();
  auto q = r.target.find('?');
  if (q == std::string::npos) {
    r.path = r.target;
  } else {
    r.path = r.target.substr(0, q);
    r.query_string = r.target.substr(q + 1);
    r.query = parse_query_string(r.query_string, true);
  }
  // Absolute-form targets ("http://host/path") from proxies.
  if (r.path.starts_with("http://") || r.path.starts_with("https://")) {
    auto p = r.path.find('/', r.path.find("//") + 2);
    r.path = p == std::string::npos ? "/" : r.path.substr(p);
  }
  r.headers.reserve(16);
  r.header_names.reserve(16);
  for (auto& f : h) {
    r.headers.emplace_back(to_lower(f.name_string()), std::string(f.value()));
    r.header_names.emplace_back(f.name_string());
  }
  if (remote_ip) {
    r.remote_ip = *remote_ip;
  } else {
    boost::system::error_code ec;
    auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) r.remote_ip = ep.address().to_string();
  }
  return r;
}


namespace {

// Header values must not break the framing: a CR or LF (an API Gateway proxy header from a
// function, say) becomes a space.
void append_value(std::string& out, std::string_view v) {
  if (v.find_first_of("\r\n") == std::string_view::npos) {
    out.append(v);
    return;
  }
  for (char c : v) out += (c == '\r' || c == '\n') ? ' ' : c;
}

// Content-Length, Transfer-Encoding and Connection are the writer's own.
bool framing_header(std::string_view k) {
  if (k.empty()) return false;
  char c = static_cast<char>(k[0] | 0x20);
  if (c != 'c' && c != 't') return false;
  return iequals(k, "content-length") || iequals(k, "transfer-encoding") || iequals(k, "connection");
}

bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  for (unsigned char c : n)
    if (c <= 32 || c >= 127 || c == ':') return false;
  return true;
}

}  // namespace

std::string response_head(const HttpResponse& r, unsigned version, bool keep_alive, std::optional<uint64_t> length,
                          bool chunked) {
  std::string h;
  h.reserve(256 + r.headers.size() * 48);
  h += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  h += std::to_string(r.status);
  h += ' ';
  auto reason = http::obsolete_reason(static_cast<http::status>(r.status));
  h.append(reason.data(), reason.size());
  h += "\r\n";
  for (auto& [k, v] : r.headers) {
    if (framing_header(k) || !valid_name(k)) continue;
    h.append(k);
    h.append(": ", 2);
    append_value(h, v);
    h.append("\r\n", 2);
  }
  if (length) {
    h += "Content-Length: ";
    h += std::to_string(*length);
    h += "\r\n";
  } else if (chunked) {
    h += "Transfer-Encoding: chunked\r\n";
  }
  if (!keep_alive) h += "Connection: close\r\n";
  else if (version == 10) h += "Connection: keep-alive\r\n";
  h += "\r\n";
  return h;
}

// Responses are framed by hand: the header block and the body go out in one gather write.
// (Beast's serializer spends more instructions iterating its buffer sequences than the whole
// service call of a typical request.)
awaitable<bool> write_response(beast::tcp_stream& stream, HttpResponse& r, unsigned version, bool keep_alive,
                               bool head) {
  stream.expires_after(std::chrono::seconds(300));
  const bool no_body = r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200);
  const Payload::Kind kind = r.body.kind();
  if (head || no_body) {
    std::optional<uint64_t> length;
    if (head && !no_body) {
      if (auto* cl = r.headers.get("content-length")) length = parse_int(*cl).value_or(0);
      else if (kind != Payload::Kind::stream) length = r.body.size();
    }
    std::string h = response_head(r, version, keep_alive, length, false);
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(h), tuple_awaitable);
    co_return !ec;
  }
  if (kind == Payload::Kind::memory) {
    const std::string& body = r.body.str();
    std::string h = response_head(r, version, keep_alive, body.size(), false);
    std::array<asio::const_buffer, 2> bufs{asio::buffer(h), asio::buffer(body)};
    auto [ec, n] = co_await asio::async_write(stream, bufs, tuple_awaitable);
    co_return !ec;
  }
  if (kind == Payload::Kind::file) {
    const uint64_t length = r.body.size();
    std::string h = response_head(r, version, keep_alive, length, false);
    {
      auto [ec, n] = co_await asio::async_write(stream, asio::buffer(h), tuple_awaitable);
      if (ec) co_return false;
    }
    int fd = ::open(r.body.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) co_return false;
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    std::vector<char> buf(static_cast<size_t>(std::min<uint64_t>(length, 256 * 1024)) + 1);
    uint64_t off = r.body.offset(), left = length;
    while (left > 0) {
      ssize_t got = ::pread(fd, buf.data(), std::min<uint64_t>(left, buf.size()), static_cast<off_t>(off));
      if (got <= 0) co_return false;
      off += static_cast<uint64_t>(got);
      left -= static_cast<uint64_t>(got);
      stream.expires_after(std::chrono::seconds(300));
      auto [ec, n] = co_await asio::async_write(stream, asio::buffer(buf.data(), static_cast<size_t>(got)), tuple_awaitable);
      if (ec) co_return false;
    }
    co_return true;
  }
  // A generated stream: Content-Length when announced, else chunked transfer encoding.
  std::optional<uint64_t> length;
  if (r.body.size() != UINT64_MAX) length = r.body.size();
  const bool chunked = !length && version == 11;
  std::string h = response_head(r, version, keep_alive && (length || chunked), length, chunked);
  {
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(h), tuple_awaitable);
    if (ec) co_return false;
  }
  auto& gen = r.body.generator();
  for (;;) {
    std::optional<std::string> chunk = co_await gen();
    if (!chunk) break;
    if (chunk->empty()) continue;
    stream.expires_after(std::chrono::seconds(300));
    if (chunked) {
      char size_line[32];
      int len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk->size());
      std::array<asio::const_buffer, 3> bufs{asio::buffer(size_line, static_cast<size_t>(len)), asio::buffer(*chunk),
                                             asio::buffer("\r\n", 2)};
      auto [ec, n] = co_await asio::async_write(stream, bufs, tuple_awaitable);
      if (ec) co_return false;
    } else {
      auto [ec, n] = co_await asio::async_write(stream, asio::buffer(*chunk), tuple_awaitable);
      if (ec) co_return false;
    }
  }
  if (chunked) {
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer("0\r\n\r\n", 5), tuple_awaitable);
    co_return !ec;
  }
  co_return length.has_value();  // an HTTP/1.0 body of unknown length ends with the connection
}

}  // namespace stratus::net
