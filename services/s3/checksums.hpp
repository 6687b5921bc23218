#pragma once
// Object integrity: MD5 ETags and the additional checksums (CRC32, CRC32C, CRC64NVME, SHA1,
// SHA256), computed in one pass over a body in memory or in a file. Values are base64 of the
// big-endian CRC or the raw digest, as S3 sends them in x-amz-checksum-* headers.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
#include <stratus/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace stratus::s3 {

enum class Algo { none, crc32, crc32c, crc64nvme, sha1, sha256 };
inline constexpr Algo kAllAlgos[] = {Algo::crc32, Algo::crc32c, Algo::crc64nvme, Algo::sha1, Algo::sha256};

std::optional<Algo> algo_from_name(std::string_view name);  // "CRC32" (any case) → Algo
std::string_view algo_name(Algo a);                          // "CRC32"
std::string algo_member(Algo a);                             // "ChecksumCRC32"
std::string algo_header(Algo a);                             // "x-amz-checksum-crc32"
size_t algo_size(Algo a);                                    // raw bytes of a value
bool algo_is_crc(Algo a);                                    // supports FULL_OBJECT multipart checksums

// Faster CRCs than the byte-wise tables: hardware CRC32C when available, slice-by-8 CRC64NVME.
uint32_t fast_crc32c(std::string_view data, uint32_t prev = 0);
uint64_t fast_crc64nvme(std::string_view data, uint64_t prev = 0);

// Raw (binary) checksum of `data`.
std::string checksum_raw(Algo a, std::string_view data);


// One pass computing what a request needs: MD5 (ETag), SHA-256 (x-amz-content-sha256 check) and
// up to two checksum algorithms (the client's and the default CRC64NVME).
class Hasher {
 public:
  struct Want {
    bool md5 = true;
    bool sha256 = false;
    Algo algo = Algo::none;
    Algo algo2 = Algo::none;
  };
  explicit Hasher(Want w);
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  void update(std::string_view data);
  struct Result {
    std::string md5, sha256;   // raw
    std::string sum, sum2;     // raw checksums for algo / algo2
    uint64_t size = 0;
  };
  Result finish();

 private:
  struct State;
  std::unique_ptr<State> st_;
};

Hasher::Result hash_memory(const Hasher::Want& w, std::string_view data);
// Blocking: reads [offset, offset+length) of `path`. Run it on the blocking pool for big files.
Hasher::Result hash_file(const Hasher::Want& w, const std::filesystem::path& path, uint64_t offset, uint64_t length);

// Composite multipart checksum: checksum of the concatenated raw part checksums, "-N" appended
// by the caller.
std::string composite_raw(Algo a, std::string_view concatenated_part_sums);

}  // namespace stratus::s3
