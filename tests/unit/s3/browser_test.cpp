// CORS rule matching, POST policies and form parsing: services/s3/cors.hpp, post_policy.hpp.
#include "services/s3/cors.hpp"
#include "services/s3/post_policy.hpp"

#include <stratus/aws_error.hpp>
#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>

#include <gtest/gtest.h>

using namespace stratus;
using namespace stratus::s3;

namespace {
json::object cors_cfg() {
  return json::parse(R"({"CORSRules":[
    {"AllowedOrigins":["https://*.example.com"],"AllowedMethods":["GET","PUT"],"AllowedHeaders":["x-amz-*","content-type"],
     "ExposeHeaders":["ETag","x-amz-request-id"],"MaxAgeSeconds":60},
    {"AllowedOrigins":["*"],"AllowedMethods":["GET"]}]})")
      .as_object();
}
}  // namespace

TEST(S3Cors, Wildcards) {
  EXPECT_TRUE(cors_wildcard_match("https://*.example.com", "https://a.example.com", false));
  EXPECT_FALSE(cors_wildcard_match("https://*.example.com", "https://example.org", false));
  EXPECT_TRUE(cors_wildcard_match("X-Amz-*", "x-amz-date", true));
  EXPECT_FALSE(cors_wildcard_match("https://A.com", "https://a.com", false));
  EXPECT_TRUE(cors_wildcard_match("*", "anything", false));
}

TEST(S3Cors, RuleSelection) {
  auto cfg = cors_cfg();
  const json::object* r = match_cors_rule(cfg, "https://app.example.com", "PUT", {"x-amz-date", "content-type"});
  ASSERT_TRUE(r);
  Headers h;
  cors_headers_for(*r, "https://app.example.com", true, {"x-amz-date"}, h);
  EXPECT_EQ(*h.get("Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_EQ(*h.get("Access-Control-Allow-Methods"), "GET, PUT");
  EXPECT_EQ(*h.get("Access-Control-Expose-Headers"), "ETag, x-amz-request-id");
  EXPECT_EQ(*h.get("Access-Control-Max-Age"), "60");
  EXPECT_EQ(*h.get("Access-Control-Allow-Headers"), "x-amz-date");
  EXPECT_FALSE(match_cors_rule(cfg, "https://app.example.com", "PUT", {"authorization"}));
  r = match_cors_rule(cfg, "http://other.org", "GET", {});
  ASSERT_TRUE(r);
  Headers h2;
  cors_headers_for(*r, "http://other.org", false, {}, h2);
  EXPECT_EQ(*h2.get("Access-Control-Allow-Origin"), "*");
  EXPECT_FALSE(h2.get("Access-Control-Allow-Credentials"));
  EXPECT_FALSE(match_cors_rule(cfg, "http://other.org", "DELETE", {}));
  EXPECT_EQ(split_header_list("A, b ,,C"), (std::vector<std::string>{"a", "b", "c"}));
}

namespace {
std::string policy(const std::string& json) { return crypto::base64(json); }
double at(const char* iso) {
  double t = 0;
  parse_time(iso, t);
  return t;
}
}  // namespace

TEST(S3PostPolicy, Conditions) {
  std::string p = policy(R"({"expiration":"2030-01-01T00:00:00Z","conditions":[
      {"bucket":"b"},["starts-with","$key","up/"],{"acl":"private"},["content-length-range",1,10],
      ["starts-with","$Content-Type","image/"]]})");
  std::vector<std::pair<std::string, std::string>> f = {{"key", "up/x"}, {"acl", "private"}, {"content-type", "image/png"},
                                                        {"policy", p}, {"x-ignore-me", "1"}};
  double now = at("2029-01-01T00:00:00Z");
  EXPECT_NO_THROW(check_post_policy(p, f, "b", 5, now));
  auto code_of = [&](auto fields, const std::string& bucket, uint64_t size, double t) {
    try {
      check_post_policy(p, fields, bucket, size, t);
    } catch (const AwsError& e) {
      return e.code + ": " + e.message;
    }
    return std::string("ok");
  };
  EXPECT_EQ(code_of(f, "other", 5, now), "AccessDenied: Invalid according to Policy: Policy Condition failed: [\"eq\", \"$bucket\", \"b\"]");
  EXPECT_EQ(code_of(f, "b", 11, now), "EntityTooLarge: Your proposed upload exceeds the maximum allowed size");
  EXPECT_EQ(code_of(f, "b", 0, now), "EntityTooSmall: Your proposed upload is smaller than the minimum allowed size");
  EXPECT_EQ(code_of(f, "b", 5, at("2031-01-01T00:00:00Z")), "AccessDenied: Invalid according to Policy: Policy expired.");
  auto g = f;
  g[0].second = "down/x";
  EXPECT_EQ(code_of(g, "b", 5, now),
            "AccessDenied: Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", \"up/\"]");
  g = f;
  g.emplace_back("x-amz-meta-a", "1");
  EXPECT_EQ(code_of(g, "b", 5, now), "AccessDenied: Invalid according to Policy: Extra input fields: x-amz-meta-a");
  EXPECT_THROW(check_post_policy("!!!", f, "b", 5, now), AwsError);
  EXPECT_THROW(check_post_policy(policy(R"({"conditions":[]})"), f, "b", 5, now), AwsError);
}

TEST(S3PostForm, ParsesFieldsAndFile) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuploads/${filename}\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"Content-Type\"\r\n\r\ntext/plain\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a;b.txt\"\r\nContent-Type: text/plain\r\n\r\n"
      "line1\r\n--not-the-boundary\r\nline2\r\n--XyZ\r\nContent-Disposition: form-data; name=\"ignored\"\r\n\r\nx\r\n--XyZ--\r\n";
  BodyRead read = [&](uint64_t off, size_t n) { return off >= body.size() ? std::string() : body.substr(off, n); };
  EXPECT_EQ(form_boundary("multipart/form-data; boundary=XyZ"), "XyZ");
  EXPECT_EQ(form_boundary("multipart/form-data; boundary=\"q;z\""), "q;z");
  auto parts = parse_form(read, body.size(), "XyZ");
  ASSERT_EQ(parts.size(), 3u);  // stops after the file
  EXPECT_EQ(parts[0].value, "uploads/${filename}");
  EXPECT_EQ(parts[1].name, "Content-Type");
  EXPECT_EQ(*parts[2].filename, "a;b.txt");
  EXPECT_EQ(body.substr(parts[2].offset, parts[2].length), "line1\r\n--not-the-boundary\r\nline2");
  EXPECT_THROW(parse_form(read, body.size(), "other"), AwsError);
  std::string cut = body.substr(0, 120);
  BodyRead read2 = [&](uint64_t off, size_t n) { return off >= cut.size() ? std::string() : cut.substr(off, n); };
  EXPECT_THROW(parse_form(read2, cut.size(), "XyZ"), AwsError);
}
