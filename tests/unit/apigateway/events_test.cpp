// Events and response mapping pinned to AWS's documented examples:
//  - HTTP API payload 2.0: the "no authorizer" request of aws-lambda-go's events/testdata (captured
//    from API Gateway) and https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
//  - REST proxy: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
#include "services/apigateway/events.hpp"

#include <gtest/gtest.h>

using namespace stratus;
using namespace stratus::apigateway;

namespace {

Invocation base_invocation() {
  Invocation inv;
  inv.method = "GET";
  inv.path = "/";
  inv.raw_path = "/";
  inv.source_ip = "1.2.3.4";
  inv.user_agent = "curl/7.58.0";
  inv.api_id = "aaaaaaaaaa";
  inv.stage = "$default";
  inv.account = "123456789012";
  inv.region = "us-west-2";
  inv.domain_name = "aaaaaaaaaa.execute-api.us-west-2.amazonaws.com";
  inv.domain_prefix = "aaaaaaaaaa";
  inv.request_id = "LV7fzho-PHcEJPw=";
  inv.extended_request_id = "LV7fzho-PHcEJPw=";
  inv.trace_id = "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c";
  inv.time_ms = 1587481701067;
  inv.port = "443";
  return inv;
}

json::value parse(std::string_view s) { return json::parse(s); }

}  // namespace

TEST(ApigwEvents, ClfTime) { EXPECT_EQ(clf_time(1587481701067), "21/Apr/2020:15:08:21 +0000"); }

TEST(ApigwEvents, HttpV2MatchesAwsExample) {
  Invocation inv = base_invocation();
  inv.headers = {{"accept", "*/*"},
                 {"content-length", "0"},
                 {"host", "aaaaaaaaaa.execute-api.us-west-2.amazonaws.com"},
                 {"user-agent", "curl/7.58.0"},
                 {"x-amzn-trace-id", "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c"},
                 {"x-forwarded-proto", "https"}};
  inv.port = "443";
  json::object e = http_v2_event(inv, "$default", {}, nullptr, nullptr, false);
  json::value expected = parse(R"({
    "version": "2.0", "routeKey": "$default", "rawPath": "/", "rawQueryString": "",
    "headers": {"accept": "*/*", "content-length": "0", "host": "aaaaaaaaaa.execute-api.us-west-2.amazonaws.com",
                "user-agent": "curl/7.58.0", "x-amzn-trace-id": "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c",
                "x-forwarded-proto": "https", "x-forwarded-for": "1.2.3.4", "x-forwarded-port": "443"},
    "requestContext": {"accountId": "123456789012", "apiId": "aaaaaaaaaa",
      "domainName": "aaaaaaaaaa.execute-api.us-west-2.amazonaws.com", "domainPrefix": "aaaaaaaaaa",
      "http": {"method": "GET", "path": "/", "protocol": "HTTP/1.1", "sourceIp": "1.2.3.4", "userAgent": "curl/7.58.0"},
      "requestId": "LV7fzho-PHcEJPw=", "routeKey": "$default", "stage": "$default",
      "time": "21/Apr/2020:15:08:21 +0000", "timeEpoch": 1587481701067},
    "isBase64Encoded": false})");
  EXPECT_EQ(json::value(e), expected) << json::serialize(e);
}

TEST(ApigwEvents, HttpV2CookiesQueryAndParameters) {
  Invocation inv = base_invocation();
  inv.method = "POST";
  inv.raw_path = "/my/path";
  inv.raw_query = "parameter1=value1&parameter1=value2&parameter2=value";
  inv.query = {{"parameter1", "value1"}, {"parameter1", "value2"}, {"parameter2", "value"}};
  inv.headers = {{"Header1", "value1"}, {"header2", "value1"}, {"header2", "value2"}, {"Cookie", "cookie1; cookie2"}};
  inv.body = "Hello from Lambda";
  json::object params{{"parameter1", "value1"}};
  json::object vars{{"stageVariable1", "value1"}};
  json::object e = http_v2_event(inv, "POST /my/path", params, &vars, nullptr, false);
  EXPECT_EQ(e["cookies"], parse(R"(["cookie1", "cookie2"])"));
  EXPECT_EQ(e["headers"].as_object()["header1"], "value1");
  EXPECT_EQ(e["headers"].as_object()["header2"], "value1,value2");
  EXPECT_FALSE(e["headers"].as_object().contains("cookie"));
  EXPECT_EQ(e["queryStringParameters"], parse(R"({"parameter1": "value1,value2", "parameter2": "value"})"));
  EXPECT_EQ(e["rawQueryString"], "parameter1=value1&parameter1=value2&parameter2=value");
  EXPECT_EQ(e["pathParameters"], json::value(params));
  EXPECT_EQ(e["stageVariables"], json::value(vars));
  EXPECT_EQ(e["body"], "Hello from Lambda");
  EXPECT_EQ(e["routeKey"], "POST /my/path");
  // Members AWS documents in this order.
  std::vector<std::string> keys;
  for (auto& [k, v] : e) keys.emplace_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"version", "routeKey", "rawPath", "rawQueryString", "cookies", "headers",
                                            "queryStringParameters", "requestContext", "body", "pathParameters",
                                            "isBase64Encoded", "stageVariables"}));
}

TEST(ApigwEvents, RestProxyEvent) {
  Invocation inv = base_invocation();
  inv.stage = "prod";
  inv.method = "POST";
  inv.path = "/hello/world";
  inv.query = {{"name", "me"}, {"name", "you"}};
  inv.headers = {{"Accept", "*/*"}, {"content-type", "application/json"}, {"user-agent", "PostmanRuntime/2.4.5"},
                 {"Content-Length", "12"}, {"X-Custom", "a"}, {"X-Custom", "b"}};
  inv.body = "{\"a\": 1}";
  inv.deployment_id = "dep123";
  json::object params{{"proxy", "hello/world"}};
  json::object ctx = rest_request_context(inv, "roq9wj", "/{proxy+}", rest_identity(inv), nullptr);
  json::object e = rest_proxy_event(inv, "/{proxy+}", params, nullptr, ctx, false);
  EXPECT_EQ(e["resource"], "/{proxy+}");
  EXPECT_EQ(e["path"], "/hello/world");
  EXPECT_EQ(e["httpMethod"], "POST");
  auto& h = e["headers"].as_object();
  // CloudFront capitalises User-Agent; Content-Length is not passed; duplicates keep the last value.
  EXPECT_EQ(h["User-Agent"], "PostmanRuntime/2.4.5");
  EXPECT_FALSE(h.contains("Content-Length"));
  EXPECT_EQ(h["X-Custom"], "b");
  EXPECT_EQ(e["multiValueHeaders"].as_object()["X-Custom"], parse(R"(["a", "b"])"));
  EXPECT_EQ(h["X-Forwarded-For"], "1.2.3.4");
  EXPECT_EQ(h["X-Forwarded-Proto"], "http");
  EXPECT_EQ(e["queryStringParameters"], parse(R"({"name": "you"})"));
  EXPECT_EQ(e["multiValueQueryStringParameters"], parse(R"({"name": ["me", "you"]})"));
  EXPECT_EQ(e["pathParameters"], json::value(params));
  EXPECT_TRUE(e["stageVariables"].is_null());
  EXPECT_EQ(e["body"], "{\"a\": 1}");
  EXPECT_EQ(e["isBase64Encoded"], false);
  auto& rc = e["requestContext"].as_object();
  EXPECT_EQ(rc["path"], "/prod/hello/world");
  EXPECT_EQ(rc["resourcePath"], "/{proxy+}");
  EXPECT_EQ(rc["resourceId"], "roq9wj");
  EXPECT_EQ(rc["stage"], "prod");
  EXPECT_EQ(rc["requestTimeEpoch"], 1587481701067);
  EXPECT_EQ(rc["identity"].as_object()["sourceIp"], "1.2.3.4");
  EXPECT_TRUE(rc["identity"].as_object()["cognitoIdentityPoolId"].is_null());
  EXPECT_FALSE(rc.contains("authorizer"));
}

TEST(ApigwEvents, RestProxyEventWithoutQueryOrBody) {
  Invocation inv = base_invocation();
  inv.stage = "dev";
  json::object e = rest_proxy_event(inv, "/", {}, nullptr, json::object{}, false);
  EXPECT_TRUE(e["queryStringParameters"].is_null());
  EXPECT_TRUE(e["multiValueQueryStringParameters"].is_null());
  EXPECT_TRUE(e["pathParameters"].is_null());
  EXPECT_TRUE(e["body"].is_null());
}

TEST(ApigwEvents, WebSocketMessageEventMatchesAws) {
  Invocation inv = base_invocation();
  inv.stage = "prod";
  inv.user_agent = "Mozilla/5.0";
  inv.request_id = inv.extended_request_id = "R1knPH17NjMFftw=";
  WsEventInfo info;
  info.route_key = "$default";
  info.event_type = "MESSAGE";
  info.connection_id = "R1kmxc2VNjMCFIA=";
  info.message_id = "R1knPc2ntjMCFIA=";
  info.connected_at = 1705751697419;
  info.body = "{\"a\": 1}";
  json::object e = websocket_event(inv, info);
  std::vector<std::string> keys;
  for (auto& [k, v] : e["requestContext"].as_object()) keys.emplace_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"routeKey", "messageId", "eventType", "extendedRequestId", "requestTime",
                                            "messageDirection", "stage", "connectedAt", "requestTimeEpoch", "identity",
                                            "requestId", "domainName", "connectionId", "apiId"}));
  EXPECT_EQ(e["body"], "{\"a\": 1}");
  EXPECT_EQ(e["isBase64Encoded"], false);
  EXPECT_FALSE(e.contains("headers"));
}

TEST(ApigwEvents, ProxyResponseV1) {
  ProxyResponse r;
  ASSERT_EQ(parse_proxy_response_v1(R"({"statusCode": 201, "headers": {"X-A": "1", "X-B": true},
      "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]}, "body": "hi"})", true, true, r), ProxyError::none);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.headers.get_or("x-a"), "1");
  EXPECT_EQ(r.headers.get_or("x-b"), "true");
  int cookies = 0;
  for (auto& [k, v] : r.headers) cookies += k == "Set-Cookie";
  EXPECT_EQ(cookies, 2);
  EXPECT_EQ(r.body, "hi");
  ProxyResponse b;
  ASSERT_EQ(parse_proxy_response_v1(R"({"statusCode": "200", "body": "aGk=", "isBase64Encoded": true})", true, true, b), ProxyError::none);
  EXPECT_EQ(b.body, "hi");
  // REST's strict checks: unknown members, object bodies, non-JSON all give 502 "Malformed Lambda proxy response".
  ProxyResponse x;
  EXPECT_EQ(parse_proxy_response_v1(R"({"statusCode": 200, "message": "x"})", true, true, x), ProxyError::malformed);
  EXPECT_EQ(parse_proxy_response_v1(R"({"statusCode": 200, "body": {"a": 1}})", true, true, x), ProxyError::malformed);
  EXPECT_EQ(parse_proxy_response_v1("hello", true, true, x), ProxyError::malformed);
  EXPECT_EQ(parse_proxy_response_v1(R"({"statusCode": "abc"})", true, true, x), ProxyError::malformed);
}

TEST(ApigwEvents, ProxyResponseV2Inference) {
  ProxyResponse a;
  ASSERT_EQ(parse_proxy_response_v2(R"("Hello from Lambda!")", a), ProxyError::none);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, "Hello from Lambda!");
  EXPECT_EQ(a.headers.get_or("content-type"), "application/json");
  ProxyResponse b;
  ASSERT_EQ(parse_proxy_response_v2(R"({"message": "Hello from Lambda!"})", b), ProxyError::none);
  EXPECT_EQ(b.body, R"({"message": "Hello from Lambda!"})");
  ProxyResponse c;
  ASSERT_EQ(parse_proxy_response_v2(R"({"statusCode": 404, "cookies": ["a=1", "b=2"], "headers": {"x": "y"}, "body": "nope"})", c),
            ProxyError::none);
  EXPECT_EQ(c.status, 404);
  EXPECT_EQ(c.body, "nope");
  int cookies = 0;
  for (auto& [k, v] : c.headers) cookies += k == "Set-Cookie";
  EXPECT_EQ(cookies, 2);
  ProxyResponse d;
  EXPECT_EQ(parse_proxy_response_v2("not json", d), ProxyError::malformed);
}

TEST(ApigwEvents, MediaTypes) {
  json::array types{"image/png", "application/octet-stream", "image/*"};
  EXPECT_TRUE(matches_media_type("image/png", &types));
  EXPECT_TRUE(matches_media_type("image/jpeg; q=1", &types));
  EXPECT_FALSE(matches_media_type("application/json", &types));
  json::array all{"*/*"};
  EXPECT_TRUE(matches_media_type("application/json", &all));
  EXPECT_TRUE(is_text_content("application/json; charset=utf-8"));
  EXPECT_TRUE(is_text_content("text/html"));
  EXPECT_FALSE(is_text_content("image/png"));
}

TEST(ApigwEvents, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(valid_utf8_text("plain é ✓"), "plain é ✓");
  EXPECT_EQ(valid_utf8_text(std::string("a\xE0\xA4", 3)), "a\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated sequence
  EXPECT_EQ(valid_utf8_text(std::string("\xFF" "b\xC0\xAF", 4)), "\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(valid_utf8_text(std::string("\xED\xA0\x80", 3)), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}
