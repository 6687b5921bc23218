#include <stratus/http_client.hpp>
#include <stratus/strings.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

namespace stratus {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

namespace {

template <class Stream>
awaitable<HttpClientResponse> exchange(Stream& stream, const HttpClientRequest& r, const std::string& host_header,
                                       const std::string& target) {
  http::request<http::string_body> req{http::string_to_verb(r.method), target, 11};
  if (req.method() == http::verb::unknown) req.method_string(r.method);
  req.set(http::field::host, host_header);
  req.set(http::field::user_agent, "Stratus/" STRATUS_VERSION);
  for (auto& [k, v] : r.headers) req.set(k, v);
  req.body() = r.body;
  req.keep_alive(false);
  req.prepare_payload();
  auto [wec, wn] = co_await http::async_write(stream, req, tuple_awaitable);
  if (wec) throw HttpClientError("write failed: " + wec.message());
  beast::flat_buffer buf;
  http::response_parser<http::string_body> parser;
  parser.body_limit(r.max_response_body);
  parser.header_limit(64 * 1024);
  auto [rec, rn] = co_await http::async_read(stream, buf, parser, tuple_awaitable);
  if (rec) throw HttpClientError("read failed: " + rec.message());
  auto& res = parser.get();
  HttpClientResponse out;
  out.status = static_cast<int>(res.result_int());
  for (auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  out.body = std::move(res.body());
  co_return out;
}

}  // namespace

awaitable<HttpClientResponse> http_request(asio::any_io_executor ex, HttpClientRequest r) {
  auto parsed = boost::urls::parse_uri(r.url);
  if (!parsed) throw HttpClientError("invalid URL: " + r.url);
  const auto& u = *parsed;
  std::string scheme = to_lower(std::string(u.scheme()));
  if (scheme != "http" && scheme != "https") throw HttpClientError("unsupported URL scheme: " + scheme);
  bool tls = scheme == "https";
  std::string host = u.host();
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::string port = u.has_port() ? std::string(u.port()) : (tls ? "443" : "80");
  std::string host_header = std::string(u.encoded_host_and_port());
  std::string target = std::string(u.encoded_path());
  if (target.empty()) target = "/";
  if (u.has_query()) target += "?" + std::string(u.encoded_query());

  asio::ip::tcp::resolver resolver(ex);
  auto [ec, results] = co_await resolver.async_resolve(host, port, tuple_awaitable);
  if (ec) throw HttpClientError("cannot resolve " + host + ": " + ec.message());
  if (tls)
    throw HttpClientError("https:// endpoints are not supported (Stratus delivers to local http:// endpoints): " + r.url);
  {
    beast::tcp_stream stream(ex);
    stream.expires_after(r.timeout);
    auto [cec, ep] = co_await stream.async_connect(results, tuple_awaitable);
    if (cec) throw HttpClientError("cannot connect to " + host + ":" + port + ": " + cec.message());
    auto out = co_await exchange(stream, r, host_header, target);
    boost::system::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    co_return out;
  }
}

}  // namespace stratus
