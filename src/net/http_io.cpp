#include "http_io.hpp"

#include <stratus/strings.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include <fcntl.h>
#include <unistd.h>

namespace stratus::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

namespace {
template <class Res>
void copy_headers(const HttpResponse& r, Res& res, bool skip_length) {
  for (auto& [k, v] : r.headers) {
    if (skip_length && (iequals(k, "content-length") || iequals(k, "transfer-encoding"))) continue;
    res.insert(k, v);
  }
}

}  // namespace

HttpRequest make_request(const http::request_header<>& h, const beast::tcp_stream& stream) {
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
  for (auto& f : h) r.headers.emplace_back(to_lower(f.name_string()), std::string(f.value()));
  boost::system::error_code ec;
  auto ep = stream.socket().remote_endpoint(ec);
  if (!ec) r.remote_ip = ep.address().to_string();
  return r;
}


awaitable<bool> write_response(beast::tcp_stream& stream_, HttpResponse& r, unsigned version, bool keep_alive, bool head) {
  const auto status = static_cast<http::status>(r.status);
  stream_.expires_after(std::chrono::seconds(300));
  const bool no_body = head || r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200);
  if (no_body) {
    http::response<http::empty_body> res{status, version};
    copy_headers(r, res, false);
    if (head && !res.count(http::field::content_length) && r.body.kind() != Payload::Kind::stream)
      res.content_length(r.body.size());
    if (!head) res.erase(http::field::content_length);
    res.keep_alive(keep_alive);
    auto [ec, n] = co_await http::async_write(stream_, res, tuple_awaitable);
    co_return !ec;
  }
  if (r.body.kind() == Payload::Kind::memory) {
    http::response<http::string_body> res{status, version};
    copy_headers(r, res, true);
    res.body() = std::move(r.body.str());
    res.keep_alive(keep_alive);
    res.prepare_payload();
    auto [ec, n] = co_await http::async_write(stream_, res, tuple_awaitable);
    co_return !ec;
  }
  // File ranges and generated streams go out chunk by chunk.
  http::response<http::buffer_body> res{status, version};
  copy_headers(r, res, true);
  res.keep_alive(keep_alive);
  std::optional<uint64_t> length;
  if (r.body.kind() == Payload::Kind::file) length = r.body.size();
  else if (r.body.size() != UINT64_MAX) length = r.body.size();
  if (length) res.content_length(*length);
  else res.chunked(true);
  res.body().data = nullptr;
  res.body().more = true;
  http::response_serializer<http::buffer_body> sr{res};
  {
    auto [ec, n] = co_await http::async_write_header(stream_, sr, tuple_awaitable);
    if (ec) co_return false;
  }
  auto send = [&](const char* data, size_t size, bool more) -> awaitable<bool> {
    res.body().data = const_cast<char*>(data);
    res.body().size = size;
    res.body().more = more;
    auto [ec, n] = co_await http::async_write(stream_, sr, tuple_awaitable);
    co_return !ec || ec == http::error::need_buffer;
  };
  if (r.body.kind() == Payload::Kind::file) {
    int fd = ::open(r.body.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) co_return false;
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    std::vector<char> buf(std::min<uint64_t>(*length, 256 * 1024) + 1);
    uint64_t off = r.body.offset(), left = *length;
    while (left > 0) {
      ssize_t got = ::pread(fd, buf.data(), std::min<uint64_t>(left, buf.size()), static_cast<off_t>(off));
      if (got <= 0) co_return false;
      off += static_cast<uint64_t>(got);
      left -= static_cast<uint64_t>(got);
      if (!co_await send(buf.data(), static_cast<size_t>(got), true)) co_return false;
    }
  } else {
    auto& gen = r.body.generator();
    for (;;) {
      std::optional<std::string> chunk = co_await gen();
      if (!chunk) break;
      if (chunk->empty()) continue;
      stream_.expires_after(std::chrono::seconds(300));
      if (!co_await send(chunk->data(), chunk->size(), true)) co_return false;
    }
  }
  co_return co_await send(nullptr, 0, false);
}

}  // namespace stratus::net
