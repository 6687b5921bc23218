// Pure S3 rules: services/s3/model.hpp, checksums.hpp.
#include "services/s3/checksums.hpp"
#include "services/s3/model.hpp"

#include <stratus/aws_error.hpp>
#include <stratus/crypto.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace stratus;
using namespace stratus::s3;

TEST(S3Model, BucketNames) {
  for (std::string ok : {std::string("abc"), std::string("my-bucket.example"), std::string("a1b"), std::string("123"), std::string(63, 'a')})
    EXPECT_TRUE(valid_bucket_name(ok)) << ok;
  for (const char* bad : {"ab", "ABC", "a_b", "-ab", "ab-", "a..b", "192.168.1.1", "xn--abc", "sthree-x",
                          "amzn-s3-demo-x", "x-s3alias", "x--ol-s3", "a.mrap", "b--x-s3", "a b", ""})
    EXPECT_FALSE(valid_bucket_name(bad)) << bad;
  EXPECT_FALSE(valid_bucket_name(std::string(64, 'a')));
}

TEST(S3Model, Ranges) {
  ByteRange r;
  EXPECT_EQ(parse_range("bytes=0-4", 10, r), RangeParse::ok);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.last, 4u);
  EXPECT_EQ(parse_range("bytes=5-", 10, r), RangeParse::ok);
  EXPECT_EQ(r.length(), 5u);
  EXPECT_EQ(parse_range("bytes=-3", 10, r), RangeParse::ok);
  EXPECT_EQ(r.first, 7u);
  EXPECT_EQ(parse_range("bytes=-30", 10, r), RangeParse::ok);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(parse_range("bytes=3-100", 10, r), RangeParse::ok);
  EXPECT_EQ(r.last, 9u);
  EXPECT_EQ(parse_range("bytes=10-", 10, r), RangeParse::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=-0", 10, r), RangeParse::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-0", 0, r), RangeParse::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=5-2", 10, r), RangeParse::ignore);
  EXPECT_EQ(parse_range("bytes=0-1,3-4", 10, r), RangeParse::ignore);
  EXPECT_EQ(parse_range("items=0-1", 10, r), RangeParse::ignore);
  EXPECT_EQ(parse_range("bytes=a-b", 10, r), RangeParse::ignore);
}

TEST(S3Model, EtagsAndConditions) {
  EXPECT_EQ(strip_etag("\"abc\""), "abc");
  EXPECT_EQ(strip_etag("W/\"abc\""), "abc");
  EXPECT_TRUE(etag_matches("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("abc", "\"abc\""));
  EXPECT_TRUE(etag_matches("*", "\"abc\""));
  EXPECT_FALSE(etag_matches("\"abd\"", "\"abc\""));
  const double lm = 1000.5;
  Conditions c;
  EXPECT_EQ(evaluate_conditions(c, "\"e\"", lm).status, 0);
  c.if_match = "\"nope\"";
  EXPECT_EQ(evaluate_conditions(c, "\"e\"", lm).status, 412);
  EXPECT_EQ(evaluate_conditions(c, "\"e\"", lm).condition, "If-Match");
  c = {};
  c.if_match = "\"e\"";
  c.if_unmodified_since = 500;  // ignored: If-Match holds
  EXPECT_EQ(evaluate_conditions(c, "\"e\"", lm).status, 0);
  c = {};
  c.if_unmodified_since = 500;
  EXPECT_EQ(evaluate_conditions(c, "\"e\"", lm).status, 412);
  c = {};
  c.if_none_match = "\"e\"";
  EXPECT_EQ(evaluate_conditions(c, "\"e\"", lm).status, 304);
  c = {};
  c.if_modified_since = 1000;  // same second as lm: not modified
  EXPECT_EQ(evaluate_conditions(c, "\"e\"", lm).status, 304);
  c.if_modified_since = 999;
  EXPECT_EQ(evaluate_conditions(c, "\"e\"", lm).status, 0);
  c.if_none_match = "\"other\"";
  c.if_modified_since = 2000;  // ignored: If-None-Match is false
  EXPECT_EQ(evaluate_conditions(c, "\"e\"", lm).status, 0);
}

TEST(S3Model, KeyEncodingAndCopySource) {
  EXPECT_EQ(url_encode_key("a b/c+d%é"), "a+b/c%2Bd%25%C3%A9");
  auto cs = parse_copy_source("/bucket/some%20key/x?versionId=abc");
  ASSERT_TRUE(cs);
  EXPECT_EQ(cs->bucket, "bucket");
  EXPECT_EQ(cs->key, "some key/x");
  EXPECT_EQ(cs->version_id, "abc");
  cs = parse_copy_source("bucket/k");
  ASSERT_TRUE(cs);
  EXPECT_EQ(cs->key, "k");
  EXPECT_FALSE(parse_copy_source("bucket"));
  EXPECT_FALSE(parse_copy_source("bucket/"));
}

TEST(S3Model, Tags) {
  auto tags = parse_tagging_header("a=1&b=two%20words&empty=");
  ASSERT_EQ(tags.size(), 3u);
  EXPECT_EQ(tags[1].second, "two words");
  EXPECT_EQ(tags[2].second, "");
  try {
    parse_tagging_header("a=1&a=2");
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "InvalidTag");
    EXPECT_EQ(e.message, "Cannot provide multiple Tags with the same key");
  }
  std::vector<std::pair<std::string, std::string>> many;
  for (int i = 0; i < 11; ++i) many.emplace_back("k" + std::to_string(i), "v");
  EXPECT_THROW(validate_tags(many, 10), AwsError);
  EXPECT_NO_THROW(validate_tags(many, 50));
  EXPECT_THROW(validate_tags({{"aws:x", "v"}}, 10), AwsError);
  EXPECT_THROW(validate_tags({{std::string(129, 'k'), "v"}}, 10), AwsError);
}

TEST(S3Model, CannedAcls) {
  auto acl = canned_acl("public-read-write", "123456789012");
  EXPECT_EQ(acl.at("Grants").as_array().size(), 3u);
  EXPECT_EQ(acl.at("Owner").as_object().at("ID").as_string(), canonical_user_id("123456789012"));
  EXPECT_EQ(canonical_user_id("123456789012").size(), 64u);
  auto grants = grants_from_header("READ", "id=\"abc\", uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"");
  ASSERT_EQ(grants.size(), 2u);
  EXPECT_EQ(grants[0].as_object().at("Grantee").as_object().at("ID").as_string(), "abc");
  EXPECT_EQ(grants[1].as_object().at("Grantee").as_object().at("Type").as_string(), "Group");
}

TEST(S3Checksums, KnownValues) {
  // Check values of the CRC catalogue ("123456789").
  EXPECT_EQ(fast_crc64nvme("123456789"), 0xAE8B14860A799888ull);
  EXPECT_EQ(fast_crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crypto::base64(checksum_raw(Algo::crc64nvme, "hello")), "M3eFcAZSQlc=");
  EXPECT_EQ(crypto::base64(checksum_raw(Algo::crc32, "hello")), "NhCmhg==");
  std::string big(100003, 'q');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7);
  EXPECT_EQ(fast_crc64nvme(big), crypto::crc64nvme(big));
  EXPECT_EQ(fast_crc32c(big), crypto::crc32c(big));
  // Incremental equals one-shot.
  EXPECT_EQ(fast_crc64nvme(big.substr(5000), fast_crc64nvme(big.substr(0, 5000))), fast_crc64nvme(big));
}

TEST(S3Checksums, HasherOnePass) {
  Hasher::Want w{true, true, Algo::sha1, Algo::crc32c};
  Hasher h(w);
  h.update("hel");
  h.update("lo");
  auto r = h.finish();
  EXPECT_EQ(r.size, 5u);
  EXPECT_EQ(crypto::hex(r.md5), "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(r.sha256, crypto::sha256("hello"));
  EXPECT_EQ(r.sum, crypto::sha1("hello"));
  EXPECT_EQ(r.sum2, checksum_raw(Algo::crc32c, "hello"));
  EXPECT_EQ(algo_header(Algo::crc64nvme), "x-amz-checksum-crc64nvme");
  EXPECT_EQ(algo_member(Algo::sha256), "ChecksumSHA256");
  EXPECT_EQ(algo_from_name("crc32C"), Algo::crc32c);
  EXPECT_FALSE(algo_from_name("md5"));
}

TEST(S3Checksums, LargeFilesHashedSideBySideMatchOnePass) {
  // hash_file splits the MD5/SHA-256 and the checksums over two threads from 8 MiB on.
  std::string data((9 << 20) + 17, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 2654435761u) >> 13);
  auto path = std::filesystem::temp_directory_path() / ("stratus-hash-" + std::to_string(::getpid()) + ".bin");
  {
    std::ofstream f(path, std::ios::binary);
    f.write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  for (Hasher::Want w : {Hasher::Want{true, true, Algo::crc64nvme, Algo::crc32}, Hasher::Want{true, false, Algo::crc32c},
                         Hasher::Want{true, false, Algo::none}}) {
    auto a = hash_file(w, path, 3, data.size() - 3);
    auto b = hash_memory(w, std::string_view(data).substr(3));
    EXPECT_EQ(a.size, b.size);
    EXPECT_EQ(a.md5, b.md5);
    EXPECT_EQ(a.sha256, b.sha256);
    EXPECT_EQ(a.sum, b.sum);
    EXPECT_EQ(a.sum2, b.sum2);
  }
  EXPECT_THROW(hash_file(Hasher::Want{true, false, Algo::crc32}, path, 0, data.size() + 1), std::runtime_error);
  std::filesystem::remove(path);
}
