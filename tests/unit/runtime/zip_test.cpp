// Deployment packages: extraction keeps modes, and no entry can escape the destination.
#include <stratus/runtime/manager.hpp>
#include <stratus/runtime/zip.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace stratus::runtime;

namespace {
fs::path temp_dir() {
  auto d = fs::temp_directory_path() / ("stratus-zip-test-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
  fs::create_directories(d);
  return d;
}
std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST(RuntimeZip, SafeEntryNames) {
  EXPECT_TRUE(safe_entry_name("index.js"));
  EXPECT_TRUE(safe_entry_name("lib/a/b.py"));
  EXPECT_TRUE(safe_entry_name("a..b"));
  EXPECT_FALSE(safe_entry_name("../evil"));
  EXPECT_FALSE(safe_entry_name("a/../../evil"));
  EXPECT_FALSE(safe_entry_name("/etc/passwd"));
  EXPECT_FALSE(safe_entry_name("a\\..\\b"));
  EXPECT_FALSE(safe_entry_name("C:/x"));
  EXPECT_FALSE(safe_entry_name(""));
}

TEST(RuntimeZip, ExtractsFilesAndKeepsBootstrapExecutable) {
  auto dir = temp_dir();
  std::string zip = make_zip({{"index.js", "exports.h=1"}, {"lib/util.js", "x"}, {"bootstrap", "#!/bin/sh\n"}});
  auto summary = inspect_zip(zip);
  EXPECT_EQ(summary.entries, 3u);
  extract_zip(zip, dir / "code", 1 << 20);
  EXPECT_EQ(read(dir / "code" / "index.js"), "exports.h=1");
  EXPECT_EQ(read(dir / "code" / "lib" / "util.js"), "x");
  struct stat st;
  ASSERT_EQ(stat((dir / "code" / "bootstrap").c_str(), &st), 0);
  EXPECT_TRUE(st.st_mode & S_IXUSR);
  fs::remove_all(dir);
}

TEST(RuntimeZip, RejectsZipSlipAndGarbage) {
  auto dir = temp_dir();
  std::string evil = make_zip({{"../escape.txt", "x"}});
  EXPECT_THROW(extract_zip(evil, dir / "code", 1 << 20), ZipError);
  EXPECT_FALSE(fs::exists(dir / "escape.txt"));
  EXPECT_FALSE(fs::exists(dir / "code"));
  EXPECT_THROW(extract_zip("not a zip at all", dir / "code2", 1 << 20), ZipError);
  fs::remove_all(dir);
}

TEST(RuntimeZip, EnforcesTheUnzippedLimit) {
  auto dir = temp_dir();
  std::string zip = make_zip({{"big.bin", std::string(4096, 'a')}});
  try {
    extract_zip(zip, dir / "code", 1000);
    FAIL() << "expected ZipError";
  } catch (const ZipError& e) {
    EXPECT_STREQ(e.what(), "Unzipped size must be smaller than 1000 bytes");
  }
  fs::remove_all(dir);
}

TEST(RuntimeReport, ReportLineHasLambdasFields) {
  Result r;
  r.duration_ms = 12.345;
  r.max_memory_mb = 40;
  r.cold = true;
  r.init_duration_ms = 100.5;
  std::string line = format_report("rid", r, 128, "", "");
  EXPECT_EQ(line,
            "REPORT RequestId: rid\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: "
            "40 MB\tInit Duration: 100.50 ms\t");
  std::string timeout = format_report("rid", Result{}, 128, "timeout", "");
  EXPECT_NE(timeout.find("Status: timeout"), std::string::npos);
  auto stream = log_stream_name(1700000000, "$LATEST");
  EXPECT_EQ(stream.substr(0, 20), "2023/11/14/[$LATEST]");
  EXPECT_EQ(stream.size(), 20u + 32u);
}
