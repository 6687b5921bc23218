#pragma once
// The plain HTTP request/response the core hands to services that own an HTTP data plane
// (API Gateway invoke URLs, S3 website and POST uploads, Lambda function URLs). Model operations
// never see these except read-only through Call::http.
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus {

using Header = std::pair<std::string, std::string>;

struct Headers : std::vector<Header> {
  // Case-insensitive lookup of the first header with this name.
  const std::string* get(std::string_view name) const;
  std::string_view get_or(std::string_view name, std::string_view def = {}) const;
  void set(std::string_view name, std::string value);  // replaces every header of this name
  void add(std::string name, std::string value) { emplace_back(std::move(name), std::move(value)); }
  void remove(std::string_view name);
};

// A request or response body: bytes in memory, a byte range of a file, or a generator of chunks.
// Large request bodies arrive as a temp file the Payload owns (unlinked when the last copy dies,
// unless a service takes it with commit_to).
class Payload {
 public:
  enum class Kind { memory, file, stream };
  using Generator = std::function<boost::asio::awaitable<std::optional<std::string>>()>;

  Payload() = default;
  explicit Payload(std::string s) : data_(std::move(s)) {}
  static Payload from_file(std::filesystem::path p, uint64_t offset, uint64_t length, bool temporary);
  static Payload from_stream(Generator g, std::optional<uint64_t> length = std::nullopt);

  Kind kind() const { return kind_; }
  bool empty() const { return size() == 0 && kind_ != Kind::stream; }
  // Bytes in the body; for streams the announced length or UINT64_MAX when unknown.
  uint64_t size() const;
  // Memory payloads only.
  const std::string& str() const { return data_; }
  std::string& str() { return data_; }
  // Whole body as a string (reads the file if spilled). For bodies known to be small.
  std::string read_all() const;
  const std::filesystem::path& path() const;
  uint64_t offset() const { return offset_; }
  Generator& generator() { return gen_; }
  // Moves a temp-file body to `dest` (rename, same filesystem) or writes a memory body there;
  // afterwards the payload no longer owns a temp file.
  void commit_to(const std::filesystem::path& dest);

 private:
  struct FileRef;
  Kind kind_ = Kind::memory;
  std::string data_;
  std::shared_ptr<FileRef> file_;
  uint64_t offset_ = 0, length_ = 0;
  Generator gen_;
  std::optional<uint64_t> stream_length_;
};

struct HttpRequest {
  std::string method;        // "GET"
  std::string target;        // raw request-target, "/a%20b?x=1"
  std::string path;          // raw path part, still percent-encoded
  std::string query_string;  // raw, without '?'
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  Headers headers;           // names lower-case
  // The names as the client spelled them, parallel to `headers` as first parsed (API Gateway's
  // REST events keep the client's spelling). May be empty for requests built in process.
  std::vector<std::string> header_names;
  Payload body;
  std::string remote_ip;
  unsigned version = 11;
  // A service's claim() may pin the operation when URI matching alone cannot tell
  // (S3: PutObject vs CopyObject by x-amz-copy-source).
  std::string operation_hint;

  // `lname` in lower case, as request header names are stored (mixed case falls back to a
  // case-insensitive scan).
  const std::string* header(std::string_view lname) const {
    for (auto& [k, v] : headers)
      if (k == lname) return &v;
    for (char c : lname)
      if (c >= 'A' && c <= 'Z') return headers.get(lname);
    return nullptr;
  }
  std::string_view header_or(std::string_view lname, std::string_view def = {}) const {
    auto* v = header(lname);
    return v ? std::string_view(*v) : def;
  }
  const std::string* query_param(std::string_view name) const;
  bool has_query(std::string_view name) const { return query_param(name) != nullptr; }
  std::string_view host() const { return header_or("host"); }
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  Payload body;
};

// A WebSocket upgrade handed to a service (API Gateway WebSocket APIs): the service completes the
// handshake with accept() or refuses it with reject(), then exchanges messages.
class WebSocket {
 public:
  virtual ~WebSocket() = default;
  virtual boost::asio::awaitable<bool> accept(Headers extra = {}) = 0;
  virtual boost::asio::awaitable<void> reject(HttpResponse response) = 0;
  // The next message; nullopt when the peer closed or the connection failed.
  virtual boost::asio::awaitable<std::optional<std::string>> receive() = 0;
  virtual boost::asio::awaitable<bool> send(std::string message, bool binary = false) = 0;
  virtual boost::asio::awaitable<void> close(uint16_t code = 1000, std::string reason = {}) = 0;
  virtual bool is_open() const = 0;
  // The close frame the peer sent, once receive() has returned nullopt (code 0: none was sent,
  // e.g. the connection dropped). API Gateway reports it in $disconnect events.
  virtual uint16_t peer_close_code() const { return 0; }
  virtual std::string peer_close_reason() const { return {}; }
};

}  // namespace stratus
