#pragma once
// Deployment packages and layer archives: zip files unpacked with libzip. Every entry path is
// checked (no absolute paths, no "..", no symlink leading outside), so a zip cannot write outside
// its destination ("zip slip"). Blocking: call from the thread pool.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus::runtime {

struct ZipError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ZipSummary {
  uint64_t entries = 0;
  uint64_t unzipped_bytes = 0;
};

// Reads the archive's directory without extracting (validates paths and sizes). Throws ZipError.
ZipSummary inspect_zip(std::string_view zip_bytes);
// Extracts into `dest` (created; must not exist yet) via a temp directory renamed into place.
// Throws ZipError. Entries keep their Unix permission bits; files named "bootstrap" are executable.
ZipSummary extract_zip(std::string_view zip_bytes, const std::filesystem::path& dest, uint64_t max_unzipped);
// A zip of `files` (name → content) for tests and for GetFunction of inline code.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& files, bool executable = false);

// True when `entry` is a safe relative path inside the archive root.
bool safe_entry_name(std::string_view entry);

}  // namespace stratus::runtime
