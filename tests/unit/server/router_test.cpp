// The edge router's decisions, in DESIGN.md's order, with every registered service.
#include "server/core.hpp"

#include <stratus/strings.hpp>

#include <gtest/gtest.h>

using namespace stratus;
using server::Route;

namespace {
struct RouterTest : ::testing::Test {
  ServiceRegistry services;
  std::unique_ptr<server::Router> router;
  void SetUp() override {
    register_services(services, {});
    router = std::make_unique<server::Router>(services);
  }
  static HttpRequest req(std::string method, std::string target, std::vector<std::pair<std::string, std::string>> h = {},
                         std::string body = "") {
    HttpRequest r;
    r.method = std::move(method);
    r.target = target;
    auto q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) {
      r.query_string = target.substr(q + 1);
      r.query = parse_query_string(r.query_string, true);
    }
    for (auto& [k, v] : h) r.headers.add(to_lower(k), v);
    r.body = Payload(std::move(body));
    return r;
  }
  static std::string auth(std::string service) {
    return "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/" + service + "/aws4_request, SignedHeaders=host, Signature=00";
  }
  std::pair<std::string, Protocol> at(HttpRequest r, bool with_body = false) {
    Route route = router->route(r, with_body);
    if (route.kind == Route::Kind::internal) return {"internal", Protocol::json};
    return {route.service ? route.service->name() : "", route.protocol};
  }
};
}  // namespace

TEST_F(RouterTest, InternalPathsFirst) {
  EXPECT_EQ(at(req("GET", "/_stratus/health")).first, "internal");
  EXPECT_EQ(at(req("GET", "/_localstack/health")).first, "internal");
  EXPECT_EQ(at(req("POST", "/moto-api/reset")).first, "internal");
}

TEST_F(RouterTest, TargetPrefixPicksJsonServices) {
  EXPECT_EQ(at(req("POST", "/", {{"X-Amz-Target", "DynamoDB_20120810.PutItem"}})), std::make_pair(std::string("dynamodb"), Protocol::json));
  EXPECT_EQ(at(req("POST", "/", {{"X-Amz-Target", "DynamoDBStreams_20120810.GetRecords"}, {"Authorization", auth("dynamodb")}})).first,
            "dynamodbstreams");
  EXPECT_EQ(at(req("POST", "/", {{"X-Amz-Target", "AmazonSQS.SendMessage"}})), std::make_pair(std::string("sqs"), Protocol::json));
  EXPECT_EQ(at(req("POST", "/", {{"X-Amz-Target", "AWSEvents.PutEvents"}})).first, "events");
  EXPECT_EQ(at(req("POST", "/", {{"X-Amz-Target", "Logs_20140328.PutLogEvents"}})).first, "logs");
  Route unknown = router->route(*std::make_unique<HttpRequest>(req("POST", "/", {{"X-Amz-Target", "Nope_1.X"}})), false);
  EXPECT_EQ(unknown.kind, Route::Kind::none);
  EXPECT_NE(unknown.why.find("Nope_1.X"), std::string::npos);
}

TEST_F(RouterTest, SigningNameAndProtocolByShape) {
  EXPECT_EQ(at(req("POST", "/", {{"Authorization", auth("sqs")}, {"Content-Type", "application/x-www-form-urlencoded"}})),
            std::make_pair(std::string("sqs"), Protocol::query));
  EXPECT_EQ(at(req("POST", "/", {{"Authorization", auth("sts")}, {"Content-Type", "application/x-www-form-urlencoded"}})),
            std::make_pair(std::string("sts"), Protocol::query));
  EXPECT_EQ(at(req("GET", "/2015-03-31/functions", {{"Authorization", auth("lambda")}})),
            std::make_pair(std::string("lambda"), Protocol::rest_json));
  EXPECT_EQ(at(req("GET", "/v2/apis", {{"Authorization", auth("apigateway")}})).first, "apigatewayv2");
  EXPECT_EQ(at(req("GET", "/restapis", {{"Authorization", auth("apigateway")}})).first, "apigateway");
  EXPECT_EQ(at(req("GET", "/b/k", {{"Authorization", auth("s3")}})), std::make_pair(std::string("s3"), Protocol::rest_xml));
  EXPECT_EQ(at(req("GET", "/schedules", {{"Authorization", auth("scheduler")}})).first, "scheduler");
}

TEST_F(RouterTest, PresignedQueryCredentialRoutes) {
  EXPECT_EQ(at(req("GET", "/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
                          "&X-Amz-Date=20240101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00")).first,
            "s3");
}

TEST_F(RouterTest, UnsignedQueryProtocolByVersion) {
  EXPECT_EQ(at(req("GET", "/?Action=GetCallerIdentity&Version=2011-06-15")), std::make_pair(std::string("sts"), Protocol::query));
  // A form body names its service only once read: the first pass defers.
  auto form = req("POST", "/", {{"Content-Type", "application/x-www-form-urlencoded"}}, "Action=ListQueues&Version=2012-11-05");
  EXPECT_EQ(router->route(form, false).kind, Route::Kind::none);
  EXPECT_EQ(at(form, true), std::make_pair(std::string("sqs"), Protocol::query));
  EXPECT_EQ(at(req("POST", "/", {{"Content-Type", "application/x-www-form-urlencoded"}}, "Action=Publish&Version=2010-03-31"), true).first, "sns");
}

TEST_F(RouterTest, UnsignedPathStyleFallsBackToS3) {
  EXPECT_EQ(at(req("GET", "/my-bucket/some/key.txt")).first, "s3");
}

TEST_F(RouterTest, ApiCorsPreflightsAreTheCoresOwn) {
  auto pre = req("OPTIONS", "/", {{"Origin", "http://a"}, {"Access-Control-Request-Method", "POST"},
                                  {"Access-Control-Request-Headers", "x-amz-target,content-type"}});
  EXPECT_EQ(router->route(pre, false).kind, Route::Kind::none);
  auto s3pre = req("OPTIONS", "/bucket/key", {{"Origin", "http://a"}, {"Access-Control-Request-Method", "PUT"}});
  EXPECT_EQ(at(s3pre).first, "s3");
}

TEST_F(RouterTest, UnemulatedSigningNameIsNamed) {
  auto r = req("POST", "/", {{"Authorization", auth("ec2")}});
  Route route = router->route(r, true);
  EXPECT_EQ(route.kind, Route::Kind::none);
  EXPECT_NE(route.why.find("'ec2'"), std::string::npos);
}

TEST_F(RouterTest, ServiceInfoAgreesWithModels) {
  // Routing data in ServiceInfo must match the vendored models' metadata.
  for (auto& s : services.all()) {
    const auto& info = s->info();
    for (auto& mr : info.models) {
      const model::Model* m = model::find_model(mr.model);
      ASSERT_NE(m, nullptr) << mr.model;
      EXPECT_EQ(m->protocol(), mr.protocol) << mr.model;
      if (mr.protocol == Protocol::json)
        EXPECT_NE(std::find(info.target_prefixes.begin(), info.target_prefixes.end(), m->metadata().target_prefix),
                  info.target_prefixes.end())
            << info.name;
      if (mr.protocol == Protocol::query) EXPECT_EQ(info.query_version, m->metadata().api_version) << info.name;
      EXPECT_NE(std::find(info.signing_names.begin(), info.signing_names.end(), m->metadata().signing_name),
                info.signing_names.end())
          << info.name << " signs as " << m->metadata().signing_name;
    }
  }
}
