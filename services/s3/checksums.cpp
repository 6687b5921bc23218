#include "checksums.hpp"

#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <array>
#include <cstring>
#include <fcntl.h>
#include <exception>
#include <stdexcept>
#include <thread>
#include <unistd.h>
#include <vector>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace stratus::s3 {

std::optional<Algo> algo_from_name(std::string_view n) {
  std::string u = to_lower(n);
  if (u == "crc32") return Algo::crc32;
  if (u == "crc32c") return Algo::crc32c;
  if (u == "crc64nvme") return Algo::crc64nvme;
  if (u == "sha1") return Algo::sha1;
  if (u == "sha256") return Algo::sha256;
  return std::nullopt;
}

std::string_view algo_name(Algo a) {
  switch (a) {
    case Algo::crc32: return "CRC32";
    case Algo::crc32c: return "CRC32C";
    case Algo::crc64nvme: return "CRC64NVME";
    case Algo::sha1: return "SHA1";
    case Algo::sha256: return "SHA256";
    default: return "";
  }
}

std::string algo_member(Algo a) { return "Checksum" + std::string(algo_name(a)); }
std::string algo_header(Algo a) { return "x-amz-checksum-" + to_lower(algo_name(a)); }

size_t algo_size(Algo a) {
  switch (a) {
    case Algo::crc32:
    case Algo::crc32c: return 4;
    case Algo::crc64nvme: return 8;
    case Algo::sha1: return 20;
    case Algo::sha256: return 32;
    default: return 0;
  }
}

bool algo_is_crc(Algo a) { return a == Algo::crc32 || a == Algo::crc32c || a == Algo::crc64nvme; }

namespace {

std::array<std::array<uint64_t, 256>, 8> make_crc64_tables() {
  std::array<std::array<uint64_t, 256>, 8> t{};
  for (uint64_t i = 0; i < 256; ++i) {
    uint64_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (0x9A6C9329AC4BC9B5ull ^ (c >> 1)) : (c >> 1);
    t[0][i] = c;
  }
  for (int s = 1; s < 8; ++s)
    for (int i = 0; i < 256; ++i) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
  return t;
}

std::array<std::array<uint32_t, 256>, 8> make_crc32c_tables() {
  std::array<std::array<uint32_t, 256>, 8> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (0x82F63B78u ^ (c >> 1)) : (c >> 1);
    t[0][i] = c;
  }
  for (int s = 1; s < 8; ++s)
    for (int i = 0; i < 256; ++i) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
  return t;
}

#if defined(__x86_64__)
bool has_sse42() {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
  return (c & bit_SSE4_2) != 0;
}

__attribute__((target("sse4.2"))) uint32_t crc32c_hw(const unsigned char* p, size_t n, uint32_t c) {
  uint64_t c64 = c;
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    c64 = __builtin_ia32_crc32di(c64, v);
    p += 8;
    n -= 8;
  }
  uint32_t c32 = static_cast<uint32_t>(c64);
  while (n--) c32 = __builtin_ia32_crc32qi(c32, *p++);
  return c32;
}
#endif

std::string be32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>(v >> (24 - 8 * i));
  return s;
}
std::string be64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>(v >> (56 - 8 * i));
  return s;
}

}  // namespace

uint32_t fast_crc32c(std::string_view d, uint32_t prev) {
  auto* p = reinterpret_cast<const unsigned char*>(d.data());
  size_t n = d.size();
#if defined(__x86_64__)
  static const bool hw = has_sse42();
  if (hw) return ~crc32c_hw(p, n, ~prev);
#endif
  static const auto t = make_crc32c_tables();
  uint32_t c = ~prev;
  while (n >= 8) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + 4, 4);
    lo ^= c;
    c = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^ t[3][hi & 0xFF] ^
        t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) c = t[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
  return ~c;
}

uint64_t fast_crc64nvme(std::string_view d, uint64_t prev) {
  static const auto t = make_crc64_tables();
  auto* p = reinterpret_cast<const unsigned char*>(d.data());
  size_t n = d.size();
  uint64_t c = ~prev;
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);  // little-endian hosts (x86-64, aarch64)
    v ^= c;
    c = t[7][v & 0xFF] ^ t[6][(v >> 8) & 0xFF] ^ t[5][(v >> 16) & 0xFF] ^ t[4][(v >> 24) & 0xFF] ^
        t[3][(v >> 32) & 0xFF] ^ t[2][(v >> 40) & 0xFF] ^ t[1][(v >> 48) & 0xFF] ^ t[0][v >> 56];
    p += 8;
    n -= 8;
  }
  while (n--) c = t[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
  return ~c;
}

std::string checksum_raw(Algo a, std::string_view data) {
  switch (a) {
    case Algo::crc32: return be32(crypto::crc32(data));
    case Algo::crc32c: return be32(fast_crc32c(data));
    case Algo::crc64nvme: return be64(fast_crc64nvme(data));
    case Algo::sha1: return crypto::sha1(data);
    case Algo::sha256: return crypto::sha256(data);
    default: return {};
  }
}

std::string composite_raw(Algo a, std::string_view concatenated) { return checksum_raw(a, concatenated); }

struct Hasher::State {
  Want want;
  std::optional<crypto::Digest> md5, sha256;
  struct Sum {
    Algo algo = Algo::none;
    uint32_t c32 = 0;
    uint64_t c64 = 0;
    std::optional<crypto::Digest> digest;
    void init(Algo a) {
      algo = a;
      if (a == Algo::sha1) digest.emplace(crypto::Digest::Algo::sha1);
      if (a == Algo::sha256) digest.emplace(crypto::Digest::Algo::sha256);
    }
    void update(std::string_view d) {
      switch (algo) {
        case Algo::crc32: c32 = crypto::crc32(d, c32); break;
        case Algo::crc32c: c32 = fast_crc32c(d, c32); break;
        case Algo::crc64nvme: c64 = fast_crc64nvme(d, c64); break;
        case Algo::sha1:
        case Algo::sha256: digest->update(d); break;
        default: break;
      }
    }
    std::string finish() {
      switch (algo) {
        case Algo::crc32:
        case Algo::crc32c: return be32(c32);
        case Algo::crc64nvme: return be64(c64);
        case Algo::sha1:
        case Algo::sha256: return digest->finish();
        default: return {};
      }
    }
  } s1, s2;
  uint64_t size = 0;
};

Hasher::Hasher(Want w) : st_(std::make_unique<State>()) {
  st_->want = w;
  if (w.md5) st_->md5.emplace(crypto::Digest::Algo::md5);
  if (w.sha256) st_->sha256.emplace(crypto::Digest::Algo::sha256);
  st_->s1.init(w.algo);
  st_->s2.init(w.algo2);
}
Hasher::~Hasher() = default;

void Hasher::update(std::string_view d) {
  st_->size += d.size();
  if (st_->md5) st_->md5->update(d);
  if (st_->sha256) st_->sha256->update(d);
  st_->s1.update(d);
  st_->s2.update(d);
}

Hasher::Result Hasher::finish() {
  Result r;
  r.size = st_->size;
  if (st_->md5) r.md5 = st_->md5->finish();
  if (st_->sha256) r.sha256 = st_->sha256->finish();
  r.sum = st_->s1.finish();
  r.sum2 = st_->s2.finish();
  return r;
}

Hasher::Result hash_memory(const Hasher::Want& w, std::string_view data) {
  Hasher h(w);
  h.update(data);
  return h.finish();
}

namespace {

Hasher::Result hash_file_range(const Hasher::Want& w, const std::filesystem::path& path, uint64_t offset,
                               uint64_t length) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + path.string());
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  Hasher h(w);
  std::vector<char> buf(1 << 20);
  uint64_t off = offset, left = length;
  while (left > 0) {
    ssize_t got = ::pread(fd, buf.data(), std::min<uint64_t>(left, buf.size()), static_cast<off_t>(off));
    if (got <= 0) throw std::runtime_error("short read of " + path.string());
    h.update(std::string_view(buf.data(), static_cast<size_t>(got)));
    off += static_cast<uint64_t>(got);
    left -= static_cast<uint64_t>(got);
  }
  return h.finish();
}

// Bodies at least this large are hashed on two threads (see hash_file).
constexpr uint64_t kSideBySideMin = 8 << 20;

}  // namespace

Hasher::Result hash_file(const Hasher::Want& w, const std::filesystem::path& path, uint64_t offset, uint64_t length) {
  const bool checksum = w.algo != Algo::none || w.algo2 != Algo::none;
  if (length < kSideBySideMin || !(w.md5 || w.sha256) || !checksum) return hash_file_range(w, path, offset, length);
  // The ETag's MD5 alone runs at ~600 MB/s: the checksum(s) are computed beside it on a second
  // thread reading the same (page-cached) bytes, so a large PUT costs one pass, not two.
  Hasher::Want digests = w, sums;
  digests.algo = digests.algo2 = Algo::none;
  sums.md5 = false;
  sums.algo = w.algo;
  sums.algo2 = w.algo2;
  Hasher::Result side;
  std::exception_ptr side_error;
  std::thread t([&] {
    try {
      side = hash_file_range(sums, path, offset, length);
    } catch (...) {
      side_error = std::current_exception();
    }
  });
  Hasher::Result r;
  try {
    r = hash_file_range(digests, path, offset, length);
  } catch (...) {
    t.join();
    throw;
  }
  t.join();
  if (side_error) std::rethrow_exception(side_error);
  r.sum = std::move(side.sum);
  r.sum2 = std::move(side.sum2);
  return r;
}

}  // namespace stratus::s3
