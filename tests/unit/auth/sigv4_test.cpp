// SigV4 against AWS's published examples: the signature v4 test suite (get-vanilla family,
// https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html) and the S3 examples
// (sig-v4-header-based-auth, sigv4-query-string-auth, sigv4-streaming / -trailers).
#include <stratus/crypto.hpp>
#include <stratus/sigv4.hpp>
#include <stratus/strings.hpp>

#include <gtest/gtest.h>

using namespace stratus;

namespace {
constexpr char kSuiteSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kS3Secret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr double k20150830T123600Z = 1440938160;
constexpr double k20130524T000000Z = 1369353600;

HttpRequest request(std::string method, std::string target, std::vector<std::pair<std::string, std::string>> headers) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = target;
  auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) {
    r.query_string = target.substr(q + 1);
    r.query = parse_query_string(r.query_string, true);
  }
  for (auto& [k, v] : headers) r.headers.add(to_lower(k), v);
  return r;
}

std::string suite_auth(std::string_view sig) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
         "SignedHeaders=host;x-amz-date, Signature=" + std::string(sig);
}

std::string expected_signature(const HttpRequest& req, std::string_view secret, bool s3) {
  auto a = sigv4::parse(req);
  EXPECT_TRUE(a.has_value());
  std::string cr = sigv4::canonical_request(req, *a, sigv4::payload_hash(req, *a), s3);
  return sigv4::sign(sigv4::signing_key(secret, a->date, a->region, a->service), sigv4::string_to_sign(*a, cr));
}
}  // namespace

TEST(SigV4, GetVanilla) {
  auto req = request("GET", "/", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"},
                                  {"Authorization", suite_auth("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")}});
  auto a = sigv4::parse(req);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(a->region, "us-east-1");
  EXPECT_EQ(a->service, "service");
  EXPECT_EQ(sigv4::canonical_request(req, *a, sigv4::kEmptySha256, false),
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sigv4::verify(req, *a, kSuiteSecret, k20150830T123600Z).failure, sigv4::Failure::none);
  EXPECT_EQ(sigv4::verify(req, *a, "not-the-secret", k20150830T123600Z).failure, sigv4::Failure::bad_signature);
  EXPECT_EQ(sigv4::verify(req, *a, kSuiteSecret, k20150830T123600Z + 16 * 60).failure, sigv4::Failure::skewed);
}

TEST(SigV4, GetVanillaQueryOrderKeyCase) {
  auto req = request("GET", "/?Param2=value2&Param1=value1",
                     {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"},
                      {"Authorization", suite_auth("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")}});
  EXPECT_EQ(expected_signature(req, kSuiteSecret, false), "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
  EXPECT_EQ(sigv4::verify(req, *sigv4::parse(req), kSuiteSecret, k20150830T123600Z).failure, sigv4::Failure::none);
}

TEST(SigV4, PostVanilla) {
  auto req = request("POST", "/", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"},
                                   {"Authorization", suite_auth("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")}});
  EXPECT_EQ(sigv4::verify(req, *sigv4::parse(req), kSuiteSecret, k20150830T123600Z).failure, sigv4::Failure::none);
}

TEST(SigV4, GetUtf8PathIsEncodedOnce) {
  // The suite signs "/ሴ" as "/%E1%88%B4" — what S3-style (non double-encoding) verification sees on the wire.
  auto req = request("GET", "/%E1%88%B4", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"},
                                           {"Authorization", suite_auth("8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85")}});
  EXPECT_EQ(expected_signature(req, kSuiteSecret, true), "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
}

TEST(SigV4, NonS3PathsAreEncodedAgain) {
  auto req = request("GET", "/a%20b/./c/../d", {{"Host", "h"}, {"X-Amz-Date", "20150830T123600Z"}, {"Authorization", suite_auth("00")}});
  auto a = sigv4::parse(req);
  EXPECT_EQ(split(sigv4::canonical_request(req, *a, "x", false), '\n')[1], "/a%2520b/d");
  EXPECT_EQ(split(sigv4::canonical_request(req, *a, "x", true), '\n')[1], "/a%20b/./c/../d");
}

TEST(SigV4, S3GetObjectHeaderExample) {
  auto req = request("GET", "/test.txt",
                     {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"},
                      {"x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
                      {"x-amz-date", "20130524T000000Z"},
                      {"Authorization",
                       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                       "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                       "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"}});
  auto a = sigv4::parse(req);
  ASSERT_TRUE(a);
  auto v = sigv4::verify(req, *a, kS3Secret, k20130524T000000Z);
  EXPECT_EQ(v.failure, sigv4::Failure::none) << v.canonical_request;
  EXPECT_EQ(v.string_to_sign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
}

TEST(SigV4, S3PresignedUrlExampleAndExpiry) {
  auto req = request("GET",
                     "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                     "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                     "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
                     {{"Host", "examplebucket.s3.amazonaws.com"}});
  auto a = sigv4::parse(req);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, sigv4::Auth::Kind::query);
  EXPECT_EQ(a->expires, 86400);
  EXPECT_EQ(sigv4::verify(req, *a, kS3Secret, k20130524T000000Z + 60).failure, sigv4::Failure::none);
  EXPECT_EQ(sigv4::verify(req, *a, kS3Secret, k20130524T000000Z + 86401).failure, sigv4::Failure::expired);
}

TEST(SigV4, MalformedHeaderIsAnError) {
  auto req = request("GET", "/", {{"Authorization", "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00"}});
  EXPECT_THROW(sigv4::parse(req), AwsError);
  EXPECT_FALSE(sigv4::parse_scope(req).has_value());
  EXPECT_FALSE(sigv4::parse(request("GET", "/", {})).has_value());
}

namespace {
sigv4::ChunkSigner s3_example_signer(std::string seed) {
  return sigv4::ChunkSigner{sigv4::signing_key(kS3Secret, "20130524", "us-east-1", "s3"), "20130524T000000Z",
                            "20130524/us-east-1/s3/aws4_request", std::move(seed)};
}

std::string chunked_body(const std::vector<std::string>& sigs, const std::string& trailer) {
  std::string a64k(65536, 'a'), a1k(1024, 'a');
  return "10000;chunk-signature=" + sigs[0] + "\r\n" + a64k + "\r\n400;chunk-signature=" + sigs[1] + "\r\n" + a1k +
         "\r\n0;chunk-signature=" + sigs[2] + "\r\n" + trailer + "\r\n";
}

std::string decode_in_pieces(sigv4::ChunkedDecoder& d, const std::string& body, size_t piece) {
  std::string out;
  for (size_t i = 0; i < body.size(); i += piece)
    d.feed(std::string_view(body).substr(i, piece), [&](std::string_view s) { out.append(s); });
  d.finish();
  return out;
}
}  // namespace

TEST(AwsChunked, S3SignedStreamingExample) {
  std::vector<std::string> sigs = {"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
                                   "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
                                   "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"};
  std::string body = chunked_body(sigs, "");
  ASSERT_EQ(body.size(), 66824u);  // the documented Content-Length
  sigv4::ChunkedDecoder d(s3_example_signer("4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"));
  EXPECT_EQ(decode_in_pieces(d, body, 997), std::string(66560, 'a'));
  EXPECT_EQ(d.decoded_size(), 66560u);

  sigs[1][0] = sigs[1][0] == '0' ? '1' : '0';
  sigv4::ChunkedDecoder bad(s3_example_signer("4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"));
  try {
    decode_in_pieces(bad, chunked_body(sigs, ""), 4096);
    FAIL() << "tampered chunk signature accepted";
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "SignatureDoesNotMatch");
    EXPECT_EQ(e.status, 403);
  }
}

TEST(AwsChunked, S3SignedTrailerExample) {
  std::vector<std::string> sigs = {"b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
                                   "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
                                   "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"};
  std::string trailer = "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:"
                        "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n";
  sigv4::ChunkedDecoder d(s3_example_signer("106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"));
  std::string out = decode_in_pieces(d, chunked_body(sigs, trailer), 1000);
  EXPECT_EQ(out.size(), 66560u);
  ASSERT_EQ(d.trailers().size(), 1u);
  EXPECT_EQ(d.trailers()[0].first, "x-amz-checksum-crc32c");
  EXPECT_EQ(d.trailers()[0].second, "sOO8/Q==");
  // The trailer's checksum is the CRC32C of the payload: our CRC32C agrees with AWS's.
  uint32_t c = crypto::crc32c(out);
  std::string be{static_cast<char>(c >> 24), static_cast<char>(c >> 16), static_cast<char>(c >> 8), static_cast<char>(c)};
  EXPECT_EQ(crypto::base64(be), "sOO8/Q==");
}

TEST(AwsChunked, UnsignedPayloadWithTrailer) {
  std::string body = "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
  sigv4::ChunkedDecoder d;
  EXPECT_EQ(decode_in_pieces(d, body, 3), "hello world");
  ASSERT_EQ(d.trailers().size(), 1u);
  EXPECT_EQ(d.trailers()[0].second, "DUoRhQ==");
}

TEST(AwsChunked, MalformedFramingIsIncompleteBody) {
  sigv4::ChunkedDecoder bad_size;
  EXPECT_THROW(bad_size.feed("zz\r\nabc", [](std::string_view) {}), AwsError);
  sigv4::ChunkedDecoder truncated;
  truncated.feed("5\r\nhel", [](std::string_view) {});
  try {
    truncated.finish();
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "IncompleteBody");
  }
  sigv4::ChunkedDecoder no_crlf;
  EXPECT_THROW(no_crlf.feed("3\r\nabcXX", [](std::string_view) {}), AwsError);
}
