#include <stratus/crypto.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <zlib.h>

#include <array>
#include <stdexcept>

namespace stratus::crypto {
namespace {

std::string evp(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(data.data(), data.size(), out, &len, md, nullptr)) throw std::runtime_error("EVP_Digest failed");
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), out, &len))
    throw std::runtime_error("HMAC failed");
  return std::string(reinterpret_cast<char*>(out), len);
}

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string b64(std::string_view in, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  auto u = [&](size_t k) { return static_cast<unsigned char>(in[k]); };
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (u(i) << 16) | (u(i + 1) << 8) | u(i + 2);
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    out.push_back(alphabet[v & 63]);
  }
  if (i + 1 == in.size()) {
    uint32_t v = u(i) << 16;
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (pad) out.append("==");
  } else if (i + 2 == in.size()) {
    uint32_t v = (u(i) << 16) | (u(i + 1) << 8);
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

std::optional<std::string> b64_decode(std::string_view in, bool url) {
  auto val = [url](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (!url && c == '+') return 62;
    if (!url && c == '/') return 63;
    if (url && c == '-') return 62;
    if (url && c == '_') return 63;
    return -1;
  };
  if (!url) {
    if (in.size() % 4 != 0) return std::nullopt;
  }
  size_t pad = 0;
  while (!in.empty() && in.back() == '=' && pad < 2) {
    in.remove_suffix(1);
    ++pad;
  }
  if (url && in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = val(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  // Non-canonical trailing bits are tolerated, like most decoders.
  return out;
}

std::array<uint32_t, 256> make_crc32c_table() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (0x82F63B78u ^ (c >> 1)) : (c >> 1);
    t[i] = c;
  }
  return t;
}

std::array<uint64_t, 256> make_crc64nvme_table() {
  // CRC-64/NVME: reflected polynomial 0x9A6C9329AC4BC9B5.
  std::array<uint64_t, 256> t{};
  for (uint64_t i = 0; i < 256; ++i) {
    uint64_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (0x9A6C9329AC4BC9B5ull ^ (c >> 1)) : (c >> 1);
    t[i] = c;
  }
  return t;
}

}  // namespace

std::string sha256(std::string_view d) { return evp(EVP_sha256(), d); }
std::string sha1(std::string_view d) { return evp(EVP_sha1(), d); }
std::string md5(std::string_view d) { return evp(EVP_md5(), d); }
std::string hmac_sha256(std::string_view k, std::string_view d) { return hmac(EVP_sha256(), k, d); }
std::string hmac_sha1(std::string_view k, std::string_view d) { return hmac(EVP_sha1(), k, d); }

std::string hex(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kHex[c >> 4];
    out[2 * i + 1] = kHex[c & 15];
  }
  return out;
}
std::string sha256_hex(std::string_view d) { return hex(sha256(d)); }
std::string md5_hex(std::string_view d) { return hex(md5(d)); }
std::string base64(std::string_view b) { return b64(b, kB64, true); }
std::optional<std::string> base64_decode(std::string_view t) { return b64_decode(t, false); }
std::string base64url(std::string_view b) { return b64(b, kB64Url, false); }
std::optional<std::string> base64url_decode(std::string_view t) { return b64_decode(t, true); }

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char r = 0;
  for (size_t i = 0; i < a.size(); ++i) r |= static_cast<unsigned char>(a[i] ^ b[i]);
  return r == 0;
}

uint32_t crc32(std::string_view d, uint32_t prev) {
  uLong c = prev;
  while (!d.empty()) {
    auto n = static_cast<uInt>(std::min<size_t>(d.size(), 1u << 30));
    c = ::crc32(c, reinterpret_cast<const Bytef*>(d.data()), n);
    d.remove_prefix(n);
  }
  return static_cast<uint32_t>(c);
}

uint32_t crc32c(std::string_view d, uint32_t prev) {
  static const auto table = make_crc32c_table();
  uint32_t c = ~prev;
  for (unsigned char b : d) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return ~c;
}

uint64_t crc64nvme(std::string_view d, uint64_t prev) {
  static const auto table = make_crc64nvme_table();
  uint64_t c = ~prev;
  for (unsigned char b : d) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return ~c;
}

Digest::Digest(Algo a) {
  auto* ctx = EVP_MD_CTX_new();
  const EVP_MD* md = a == Algo::md5 ? EVP_md5() : a == Algo::sha1 ? EVP_sha1() : EVP_sha256();
  EVP_DigestInit_ex(ctx, md, nullptr);
  ctx_ = ctx;
}
Digest::~Digest() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
void Digest::update(std::string_view d) { EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), d.data(), d.size()); }
std::string Digest::finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string random_bytes(size_t n) {
  std::string s(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(s.data()), static_cast<int>(n)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return s;
}

}  // namespace stratus::crypto
