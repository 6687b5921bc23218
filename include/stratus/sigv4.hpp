#pragma once
// AWS Signature Version 4: parsing (Authorization header and presigned query), verification, and
// the aws-chunked payload framing (signed chunks, unsigned chunks with trailing checksums).
#include <stratus/aws_error.hpp>
#include <stratus/http.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::sigv4 {

inline constexpr std::string_view kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct Auth {
  enum class Kind { header, query } kind = Kind::header;
  std::string algorithm;           // AWS4-HMAC-SHA256
  std::string access_key_id;
  std::string date;                // yyyymmdd of the scope
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;
  std::string signature;
  std::string amz_date;            // X-Amz-Date: yyyymmddThhmmssZ
  int64_t expires = 0;             // presigned: X-Amz-Expires seconds
  std::string session_token;
  std::string scope() const { return date + "/" + region + "/" + service + "/aws4_request"; }
};

// The SigV4 parameters of a request; nullopt when it is not SigV4-signed. Throws AwsError
// (IncompleteSignature / AuthorizationHeaderMalformed style) when a signature is present but malformed.
std::optional<Auth> parse(const HttpRequest& req);
// Only the credential scope (access key, region, service), cheaply, for routing; never throws.
std::optional<Auth> parse_scope(const HttpRequest& req);

// Canonical request per the SigV4 rules; `s3` keeps the path as sent (no double encoding).
std::string canonical_request(const HttpRequest& req, const Auth& a, std::string_view payload_hash, bool s3);
std::string string_to_sign(const Auth& a, std::string_view canonical_request);
std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service);
std::string sign(std::string_view key, std::string_view string_to_sign);  // hex

// The payload hash the client signed: x-amz-content-sha256, UNSIGNED-PAYLOAD for presigned S3,
// else the SHA-256 of the (already received) body.
std::string payload_hash(const HttpRequest& req, const Auth& a);

enum class Failure { none, missing, unknown_key, bad_signature, expired, skewed };
struct Verdict {
  Failure failure = Failure::none;
  std::string message;          // detail for logs and some error bodies
  std::string canonical_request;
  std::string string_to_sign;
};
// Verifies `a` against `secret` at time `now` (epoch seconds).
Verdict verify(const HttpRequest& req, const Auth& a, std::string_view secret, double now);
// Epoch seconds of an X-Amz-Date value; nullopt if malformed.
std::optional<double> parse_amz_date(std::string_view s);

// Chunk signatures of aws-chunked bodies signed with STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER).
struct ChunkSigner {
  std::string key;         // signing key
  std::string amz_date;
  std::string scope;
  std::string previous;    // seed = the request signature
  std::string next(std::string_view chunk_sha256_hex);
  std::string trailer(std::string_view canonical_trailers);
};

// Streaming decoder for `Content-Encoding: aws-chunked` bodies:
//   <hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=..]\r\n[trailers\r\n]\r\n
class ChunkedDecoder {
 public:
  // With a signer, every chunk signature (and the trailer signature) is verified.
  explicit ChunkedDecoder(std::optional<ChunkSigner> signer = std::nullopt);
  // Feeds wire bytes; decoded payload bytes go to `sink`. Throws AwsError on malformed framing
  // (IncompleteBody / InvalidChunkSizeError) or a bad chunk signature (SignatureDoesNotMatch).
  void feed(std::string_view in, const std::function<void(std::string_view)>& sink);
  // After the last byte: throws unless the final chunk and trailers were complete.
  void finish();
  bool done() const { return state_ == State::done; }
  const std::vector<std::pair<std::string, std::string>>& trailers() const { return trailers_; }
  uint64_t decoded_size() const { return decoded_; }

 private:
  enum class State { size_line, data, data_crlf, trailer_line, done };
  void on_size_line(std::string_view line);
  void on_trailer_line(std::string_view line);
  void end_chunk();
  State state_ = State::size_line;
  std::string line_;
  uint64_t remaining_ = 0;
  uint64_t decoded_ = 0;
  bool last_chunk_ = false;
  std::string chunk_signature_;
  std::optional<ChunkSigner> signer_;
  std::shared_ptr<void> hash_;  // crypto::Digest of the current chunk when verifying
  std::vector<std::pair<std::string, std::string>> trailers_;
  std::string trailer_signature_;
  std::string canonical_trailers_;
};

}  // namespace stratus::sigv4
