#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <gtest/gtest.h>

using namespace stratus;

TEST(Crypto, CheckValues) {
  // The catalogued check values of each CRC for "123456789".
  EXPECT_EQ(crypto::crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crypto::crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crypto::crc64nvme("123456789"), 0xAE8B14860A799888ull);
  EXPECT_EQ(crypto::crc32c("6789", crypto::crc32c("12345")), 0xE3069283u);
  EXPECT_EQ(crypto::md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(crypto::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(crypto::hex(crypto::hmac_sha256("key", "The quick brown fox jumps over the lazy dog")),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  crypto::Digest d(crypto::Digest::Algo::md5);
  d.update("hello ");
  d.update("world");
  EXPECT_EQ(crypto::hex(d.finish()), crypto::md5_hex("hello world"));
}

TEST(Crypto, Base64) {
  EXPECT_EQ(crypto::base64(""), "");
  EXPECT_EQ(crypto::base64("f"), "Zg==");
  EXPECT_EQ(crypto::base64("fo"), "Zm8=");
  EXPECT_EQ(crypto::base64("foo"), "Zm9v");
  EXPECT_EQ(crypto::base64_decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(crypto::base64_decode("Zm8="), "fo");
  EXPECT_FALSE(crypto::base64_decode("Zm9").has_value());
  EXPECT_FALSE(crypto::base64_decode("Zm9v!A==").has_value());
  EXPECT_EQ(crypto::base64url("\xfb\xff"), "-_8");
  EXPECT_EQ(crypto::base64url_decode("-_8"), "\xfb\xff");
}

TEST(Ids, Formats) {
  EXPECT_EQ(ids::uuid4().size(), 36u);
  EXPECT_NE(ids::uuid4(), ids::uuid4());
  EXPECT_EQ(ids::uuid4()[14], '4');
  EXPECT_EQ(ids::dynamodb_request_id().size(), 52u);
  EXPECT_EQ(ids::s3_request_id().size(), 16u);
  auto ak = ids::access_key_id("ASIA");
  EXPECT_EQ(ak.size(), 20u);
  EXPECT_EQ(ak.substr(0, 4), "ASIA");
  EXPECT_EQ(ids::secret_access_key().size(), 40u);
}

TEST(Strings, UrlCodingAndUtf8) {
  EXPECT_EQ(url_decode("a%20b+c"), "a b+c");
  EXPECT_EQ(url_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(url_decode("bad%zz%4"), "bad%zz%4");
  EXPECT_EQ(uri_encode("a b/c~"), "a%20b%2Fc~");
  EXPECT_EQ(uri_encode("a b/c", false), "a%20b/c");
  EXPECT_EQ(utf8_length("héllo"), 5u);
  EXPECT_TRUE(valid_utf8("héllo ሴ 😀"));
  EXPECT_FALSE(valid_utf8("\xc3\x28"));
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));  // surrogate
  auto q = parse_query_string("a=1&b=&c&a=2");
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[2], (std::pair<std::string, std::string>{"c", ""}));
}
