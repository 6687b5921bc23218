#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>

#include <sys/random.h>

#include <chrono>
#include <cstring>

namespace stratus::ids {
namespace {

// xoshiro256** seeded from the OS: identifiers need uniqueness, not secrecy (secrets use
// crypto::random_bytes).
struct Rng {
  uint64_t s[4];
  Rng() {
    // getrandom(2), not OpenSSL: initialising OpenSSL at start-up costs ~3 MiB of RSS and
    // milliseconds, and ids need uniqueness, not secrecy.
    if (getrandom(s, sizeof s, 0) != static_cast<ssize_t>(sizeof s))
      for (auto& x : s) x = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) * 0x9E3779B97F4A7C15ull;
  }
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t next() {
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
  }
};
thread_local Rng rng;

constexpr std::string_view kUpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

}  // namespace

uint64_t random64() { return rng.next(); }

std::string uuid4() {
  static const char* kHex = "0123456789abcdef";
  uint64_t a = rng.next(), b = rng.next();
  a = (a & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
  b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
  std::string out(36, '-');
  int pos = 0;
  auto put = [&](uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      out[pos++] = kHex[(v >> (i * 4)) & 15];
    }
  };
  put(a, 16);
  put(b, 16);
  return out;
}

std::string random_string(size_t n, std::string_view alphabet) {
  // Several characters from each 64-bit draw (the slight modulo bias is harmless for ids).
  const uint64_t k = alphabet.size();
  int per = 0;
  for (unsigned __int128 span = 1; span * k <= UINT64_MAX; span *= k) ++per;
  std::string s(n, '\0');
  uint64_t r = 0;
  int left = 0;
  for (auto& c : s) {
    if (left == 0) {
      r = rng.next();
      left = per;
    }
    c = alphabet[r % k];
    r /= k;
    --left;
  }
  return s;
}

std::string upper_alnum(size_t n) { return random_string(n, kUpperAlnum); }
std::string hex_upper(size_t n) { return random_string(n, "0123456789ABCDEF"); }
std::string dynamodb_request_id() { return upper_alnum(52); }
std::string s3_request_id() { return hex_upper(16); }
std::string s3_host_id() {
  return random_string(76, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
}
std::string access_key_id(std::string_view prefix) { return std::string(prefix) + upper_alnum(20 - prefix.size()); }
std::string secret_access_key() {
  return random_string(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
}
std::string unique_id(std::string_view prefix, size_t n) { return std::string(prefix) + upper_alnum(n); }

}  // namespace stratus::ids
