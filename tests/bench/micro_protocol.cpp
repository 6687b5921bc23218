// Hot paths of the protocol layer: decoding and encoding a typical JSON and query request.
#include <stratus/protocol.hpp>
#include <stratus/sigv4.hpp>
#include <stratus/strings.hpp>

#include <benchmark/benchmark.h>

using namespace stratus;

namespace {
HttpRequest make(std::string target, std::string body, std::vector<std::pair<std::string, std::string>> headers) {
  HttpRequest r;
  r.method = "POST";
  r.target = r.path = target;
  for (auto& [k, v] : headers) r.headers.add(k, v);
  r.body = Payload(std::move(body));
  return r;
}
}  // namespace

static void BM_JsonDecodePutItem(benchmark::State& state) {
  const auto* m = model::find_model("dynamodb");
  ServiceInfo info;
  std::string body = R"({"TableName":"bench","Item":{"pk":{"S":"user#123"},"sk":{"S":"profile"},"name":{"S":"Ada"},"age":{"N":"36"},"tags":{"SS":["a","b"]},"blob":{"B":"AAECAwQ="}}})";
  for (auto _ : state) {
    auto r = make("/", body, {{"x-amz-target", "DynamoDB_20120810.PutItem"}});
    auto d = protocol::decode(*m, info, r);
    benchmark::DoNotOptimize(d.input);
  }
}
BENCHMARK(BM_JsonDecodePutItem);

static void BM_JsonEncodeGetItem(benchmark::State& state) {
  const auto* m = model::find_model("dynamodb");
  ServiceInfo info;
  RequestContext ctx;
  json::object item = json::parse(R"({"pk":{"S":"user#123"},"sk":{"S":"profile"},"name":{"S":"Ada"},"age":{"N":"36"}})").as_object();
  for (auto _ : state) {
    Output out(json::object{{"Item", item}});
    auto r = protocol::encode_output(*m, info, *m->operation("GetItem"), std::move(out), ctx);
    benchmark::DoNotOptimize(r.body.str());
  }
}
BENCHMARK(BM_JsonEncodeGetItem);

static void BM_QueryDecodeAndEncode(benchmark::State& state) {
  const auto* m = model::find_model("sts");
  ServiceInfo info;
  RequestContext ctx;
  ctx.request_id = "00000000-0000-4000-8000-000000000000";
  for (auto _ : state) {
    auto r = make("/", "Action=GetCallerIdentity&Version=2011-06-15", {{"content-type", "application/x-www-form-urlencoded"}});
    auto d = protocol::decode(*m, info, r);
    Output out(json::object{{"UserId", "000000000000"}, {"Account", "000000000000"}, {"Arn", "arn:aws:iam::000000000000:root"}});
    auto resp = protocol::encode_output(*m, info, *d.op, std::move(out), ctx);
    benchmark::DoNotOptimize(resp.body.str());
  }
}
BENCHMARK(BM_QueryDecodeAndEncode);

static void BM_RestXmlRouteS3(benchmark::State& state) {
  const auto* m = model::find_model("s3");
  for (auto _ : state) {
    HttpRequest r;
    r.method = "GET";
    r.path = "/bucket/some/key.txt";
    benchmark::DoNotOptimize(protocol::operation_name(*m, r));
  }
}
BENCHMARK(BM_RestXmlRouteS3);

static void BM_SigV4Verify(benchmark::State& state) {
  HttpRequest r;
  r.method = "GET";
  r.path = r.target = "/";
  r.headers.add("host", "example.amazonaws.com");
  r.headers.add("x-amz-date", "20150830T123600Z");
  r.headers.add("authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
                "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  auto a = sigv4::parse(r);
  for (auto _ : state) benchmark::DoNotOptimize(sigv4::verify(r, *a, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", 1440938160));
}
BENCHMARK(BM_SigV4Verify);
