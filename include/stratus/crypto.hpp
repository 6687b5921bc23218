#pragma once
// Digests, HMAC, encodings and checksums (OpenSSL 3 and zlib underneath).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stratus::crypto {

std::string sha256(std::string_view data);                       // raw 32 bytes
std::string sha1(std::string_view data);                         // raw 20 bytes
std::string md5(std::string_view data);                          // raw 16 bytes
std::string hmac_sha256(std::string_view key, std::string_view data);
std::string hmac_sha1(std::string_view key, std::string_view data);
std::string hex(std::string_view bytes);                         // lower-case
std::string sha256_hex(std::string_view data);
std::string md5_hex(std::string_view data);
std::string base64(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);  // strict; nullopt on bad input
std::string base64url(std::string_view bytes);                    // no padding
std::optional<std::string> base64url_decode(std::string_view text);
bool constant_time_equal(std::string_view a, std::string_view b);

uint32_t crc32(std::string_view data, uint32_t prev = 0);
uint32_t crc32c(std::string_view data, uint32_t prev = 0);
uint64_t crc64nvme(std::string_view data, uint64_t prev = 0);

// Incremental digests for streamed bodies.
class Digest {
 public:
  enum class Algo { md5, sha1, sha256 };
  explicit Digest(Algo a);
  ~Digest();
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;
  void update(std::string_view data);
  std::string finish();  // raw bytes

 private:
  void* ctx_;
};

std::string random_bytes(size_t n);

}  // namespace stratus::crypto
