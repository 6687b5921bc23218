"""API Gateway in front of real python Lambda functions, driven by boto3 (1.43 and 1.26) and the AWS
CLI: the REST proxy event (payload 1.0) and HTTP API payload 2.0 as the handler receives them, the
proxy response mapping, AWS's 502/504/403/429 answers, the three invoke URL forms, a
Serverless-Framework-style deployment through the CLI, and OpenAPI imports with
x-amazon-apigateway-integration.

AWS's references: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
and https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html"""
import http.client
import io
import json
import os
import tempfile
import time
import unittest
import zipfile

from stratus_harness import StratusTestCase, cli_available

ROLE = "arn:aws:iam::000000000000:role/apigw-py"

ECHO = """
import json
def handler(event, context):
    return {"statusCode": 200, "headers": {"content-type": "application/json", "x-fn": "py"},
            "multiValueHeaders": {"x-multi": ["a", "b"]}, "body": json.dumps(event)}
"""
SHAPES = """
import base64, json, time
def handler(event, context):
    path = event.get("rawPath") or event.get("path") or ""
    if path.endswith("/malformed"):
        return {"statusCode": 200, "body": {"not": "a string"}}
    if path.endswith("/none"):
        return None
    if path.endswith("/raise"):
        raise ValueError("boom")
    if path.endswith("/slow"):
        time.sleep(5)
        return {"statusCode": 200, "body": "late"}
    if path.endswith("/png"):
        return {"statusCode": 200, "headers": {"content-type": "image/png"},
                "body": base64.b64encode(bytes([137, 80, 78, 71])).decode(), "isBase64Encoded": True}
    if path.endswith("/headers"):
        return {"statusCode": 401, "headers": {"WWW-Authenticate": "Basic realm=x", "Server": "mine", "Date": "yesterday",
                                               "Content-Length": "999", "X-Ok": "1"}, "body": "no"}
    if path.endswith("/infer"):
        return {"hello": "world"}
    if path.endswith("/cookies"):
        return {"statusCode": 202, "cookies": ["a=1; Path=/", "b=2"], "headers": {"x-one": "1"}, "body": "ok"}
    return {"statusCode": 204}
"""
AUTH = """
import time
def handler(event, context):
    token = (event.get("headers") or {}).get("authorization") or event.get("authorizationToken")
    if token == "deny":
        effect = "Deny"
    elif token in ("allow", "Bearer allow"):
        effect = "Allow"
    else:
        raise Exception("Unauthorized")
    return {"principalId": "py-user", "context": {"team": "blue", "level": 3, "at": str(time.time_ns())},
            "policyDocument": {"Version": "2012-10-17", "Statement": [
                {"Action": "execute-api:Invoke", "Effect": effect, "Resource": event.get("routeArn") or event.get("methodArn")}]}}
"""


def zip_of(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o100644 << 16
            z.writestr(info, content)
    return buf.getvalue()


def uri_of(fn_arn):
    return "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/%s/invocations" % fn_arn


REST_CONTEXT_KEYS = {"resourceId", "resourcePath", "httpMethod", "extendedRequestId", "requestTime", "path", "accountId",
                     "protocol", "stage", "domainPrefix", "requestTimeEpoch", "requestId", "identity", "domainName",
                     "deploymentId", "apiId"}
IDENTITY_KEYS = {"cognitoIdentityPoolId", "accountId", "cognitoIdentityId", "caller", "sourceIp", "principalOrgId",
                 "accessKey", "cognitoAuthenticationType", "cognitoAuthenticationProvider", "userArn", "userAgent", "user"}


class ApiGatewayPythonLambda(StratusTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lam = cls.stratus.client("lambda")
        cls.fns = {}
        for name, code in (("pyecho", ECHO), ("pyshapes", SHAPES), ("pyauth", AUTH)):
            f = lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                                    Code={"ZipFile": zip_of({"app.py": code})}, Timeout=30)
            cls.fns[name] = f["FunctionArn"]
        for name in cls.fns:
            for _ in range(2000):
                if lam.get_function(FunctionName=name)["Configuration"]["State"] == "Active":
                    break
                time.sleep(0.05)
            else:
                raise AssertionError("function %s never became Active" % name)

    def setUp(self):
        self.apigw = self.client("apigateway")
        self.v2 = self.client("apigatewayv2")

    # --- helpers ---

    def call(self, path, method="GET", body=None, headers=(), host=None):
        """Raw HTTP to Stratus; `headers` is a list of pairs (repeats allowed); `host` replaces Host."""
        conn = http.client.HTTPConnection("127.0.0.1", self.stratus.port, timeout=60)
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host or "127.0.0.1:%d" % self.stratus.port)
        for k, v in headers:
            conn.putheader(k, v)
        data = body.encode() if isinstance(body, str) else body
        if data is not None:
            conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
        r = conn.getresponse()
        raw = r.read()
        out_headers = {}
        for k, v in r.getheaders():
            out_headers.setdefault(k.lower(), []).append(v)
        conn.close()
        return r.status, out_headers, raw

    def rest_proxy(self, fn, path_part="{proxy+}", stage="dev", variables=None, timeout=None, method_kw=None):
        api = self.apigw.create_rest_api(name="py-" + fn)
        # (boto3 1.26's model predates rootResourceId.)
        root = [r for r in self.apigw.get_resources(restApiId=api["id"])["items"] if r["path"] == "/"][0]["id"]
        res = self.apigw.create_resource(restApiId=api["id"], parentId=root, pathPart=path_part)
        self.apigw.put_method(restApiId=api["id"], resourceId=res["id"], httpMethod="ANY", authorizationType="NONE",
                              **(method_kw or {}))
        kw = {"timeoutInMillis": timeout} if timeout else {}
        self.apigw.put_integration(restApiId=api["id"], resourceId=res["id"], httpMethod="ANY", type="AWS_PROXY",
                                   integrationHttpMethod="POST", uri=uri_of(self.fns[fn]), **kw)
        self.apigw.create_deployment(restApiId=api["id"], stageName=stage, variables=variables or {})
        return api["id"], res["id"]

    def http_api(self, fn, route_key="ANY /{proxy+}", version="2.0", **route_kw):
        api = self.v2.create_api(Name="py-http-" + fn, ProtocolType="HTTP")["ApiId"]
        integ = self.v2.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=self.fns[fn],
                                           PayloadFormatVersion=version)
        self.v2.create_route(ApiId=api, RouteKey=route_key, Target="integrations/" + integ["IntegrationId"], **route_kw)
        self.v2.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
        return api

    # --- REST APIs ---

    def test_rest_proxy_event_through_every_invoke_url_form(self):
        api, res = self.rest_proxy("pyecho", variables={"color": "blue"})
        port = self.stratus.port
        forms = [
            ("/dev/a/b%20c?x=1&x=2&y=", "%s.execute-api.localhost:%d" % (api, port)),
            ("/dev/a/b%20c?x=1&x=2&y=", "%s.execute-api.localhost.localstack.cloud:%d" % (api, port)),
            ("/_aws/execute-api/%s/dev/a/b%%20c?x=1&x=2&y=" % api, None),
            ("/restapis/%s/dev/_user_request_/a/b%%20c?x=1&x=2&y=" % api, None),
        ]
        for url, host in forms:
            with self.subTest(url=url, host=host):
                status, headers, raw = self.call(url, method="PUT", body='{"k": "v"}', host=host, headers=[
                    ("Content-Type", "application/json"), ("X-Dup", "one"), ("X-Dup", "two"), ("User-Agent", "py-agent/1")])
                self.assertEqual(status, 200, raw)
                self.assertEqual(headers["x-fn"], ["py"])
                self.assertEqual(headers["x-multi"], ["a", "b"])
                e = json.loads(raw)
                self.assertEqual(list(e), ["resource", "path", "httpMethod", "headers", "multiValueHeaders",
                                           "queryStringParameters", "multiValueQueryStringParameters", "pathParameters",
                                           "stageVariables", "requestContext", "body", "isBase64Encoded"])
                self.assertEqual(e["resource"], "/{proxy+}")
                self.assertEqual(e["path"], "/a/b%20c")
                self.assertEqual(e["httpMethod"], "PUT")
                self.assertEqual(e["headers"]["X-Dup"], "two")
                self.assertEqual(e["multiValueHeaders"]["X-Dup"], ["one", "two"])
                self.assertEqual(e["headers"]["User-Agent"], "py-agent/1")
                self.assertEqual(e["headers"]["X-Forwarded-For"], "127.0.0.1")
                self.assertEqual(e["queryStringParameters"], {"x": "2", "y": ""})
                self.assertEqual(e["multiValueQueryStringParameters"], {"x": ["1", "2"], "y": [""]})
                self.assertEqual(e["pathParameters"], {"proxy": "a/b c"})
                self.assertEqual(e["stageVariables"], {"color": "blue"})
                self.assertEqual(e["body"], '{"k": "v"}')
                self.assertIs(e["isBase64Encoded"], False)
                c = e["requestContext"]
                self.assertEqual(set(c), REST_CONTEXT_KEYS)
                self.assertEqual(set(c["identity"]), IDENTITY_KEYS)
                self.assertEqual(c["resourceId"], res)
                self.assertEqual(c["resourcePath"], "/{proxy+}")
                self.assertEqual(c["httpMethod"], "PUT")
                self.assertEqual(c["path"], "/dev/a/b%20c")
                self.assertEqual(c["stage"], "dev")
                self.assertEqual(c["apiId"], api)
                self.assertEqual(c["accountId"], "000000000000")
                self.assertEqual(c["domainPrefix"], api)
                self.assertTrue(c["domainName"].startswith(api + ".execute-api.localhost"), c["domainName"])
                self.assertIsInstance(c["requestTimeEpoch"], int)
                self.assertRegex(c["requestTime"], r"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000$")
                self.assertRegex(c["deploymentId"], r"^[a-z0-9]{6}$")
                self.assertEqual(c["identity"]["sourceIp"], "127.0.0.1")
                self.assertEqual(c["identity"]["userAgent"], "py-agent/1")
                self.assertIsNone(c["identity"]["cognitoIdentityId"])
                self.assertNotIn("authorizer", c)
        # A trailing slash reaches the handler in path and requestContext.path, not in {proxy+}.
        status, _, raw = self.call("/_aws/execute-api/%s/dev/a/b/" % api)
        e = json.loads(raw)
        self.assertEqual((e["path"], e["pathParameters"], e["requestContext"]["path"]), ("/a/b/", {"proxy": "a/b"}, "/dev/a/b/"))

    def test_rest_response_mapping_and_errors(self):
        api, _ = self.rest_proxy("pyshapes")
        base = "/_aws/execute-api/%s/dev" % api
        # A body that is not a string, and a None result, are malformed proxy responses: 502.
        for path in ("/malformed", "/none", "/raise"):
            status, headers, raw = self.call(base + path)
            self.assertEqual((status, json.loads(raw)), (502, {"message": "Internal server error"}), path)
        # The integration timeout (1 s here; the handler sleeps 5 s): 504.
        slow_api, _ = self.rest_proxy("pyshapes", timeout=1000)
        status, _, raw = self.call("/_aws/execute-api/%s/dev/slow" % slow_api)
        self.assertEqual((status, json.loads(raw)), (504, {"message": "Endpoint request timed out"}))
        # Headers API Gateway owns are passed on renamed x-amzn-Remapped-*; framing stays API Gateway's.
        status, headers, raw = self.call(base + "/headers")
        self.assertEqual((status, raw), (401, b"no"))
        self.assertEqual(headers["x-amzn-remapped-www-authenticate"], ["Basic realm=x"])
        self.assertEqual(headers["x-amzn-remapped-server"], ["mine"])
        self.assertEqual(headers["x-amzn-remapped-date"], ["yesterday"])
        self.assertNotIn("www-authenticate", headers)
        self.assertEqual(len(headers["date"]), 1)
        self.assertNotEqual(headers["date"], ["yesterday"])
        self.assertEqual(headers["x-ok"], ["1"])
        self.assertEqual(headers["content-length"], ["2"])
        # A 204 without body or headers.
        status, _, raw = self.call(base + "/empty")
        self.assertEqual((status, raw), (204, b""))
        # Base64 bodies: text unless the API declares the media type binary.
        status, headers, raw = self.call(base + "/png", headers=[("Accept", "image/png")])
        self.assertEqual(raw, b"iVBORw==")
        self.apigw.update_rest_api(restApiId=api, patchOperations=[{"op": "add", "path": "/binaryMediaTypes/image~1png"}])
        self.apigw.create_deployment(restApiId=api, stageName="dev")
        status, headers, raw = self.call(base + "/png", headers=[("Accept", "image/png")])
        self.assertEqual((status, raw), (200, bytes([137, 80, 78, 71])))
        self.assertEqual(headers["content-type"], ["image/png"])
        # Unknown paths and stages.
        status, headers, raw = self.call("/_aws/execute-api/%s/nostage/x" % api)
        self.assertEqual((status, json.loads(raw)), (403, {"message": "Forbidden"}))

    def test_rest_binary_request_body(self):
        api, _ = self.rest_proxy("pyecho")
        self.apigw.update_rest_api(restApiId=api, patchOperations=[
            {"op": "add", "path": "/binaryMediaTypes/application~1octet-stream"}])
        self.apigw.create_deployment(restApiId=api, stageName="dev")
        status, _, raw = self.call("/_aws/execute-api/%s/dev/upload" % api, method="POST", body=b"\x00\x01\xfe",
                                   headers=[("Content-Type", "application/octet-stream")])
        e = json.loads(raw)
        self.assertIs(e["isBase64Encoded"], True)
        self.assertEqual(e["body"], "AAH+")
        status, _, raw = self.call("/_aws/execute-api/%s/dev/upload" % api, method="POST", body="text",
                                   headers=[("Content-Type", "text/plain")])
        self.assertEqual((json.loads(raw)["body"], json.loads(raw)["isBase64Encoded"]), ("text", False))

    def test_bytes_that_are_not_utf8_reach_the_handler_as_replacement_characters(self):
        # A %-encoded query value or a raw header byte that is not UTF-8 must not break the event's
        # JSON: the function still runs (python's runtime rejects invalid UTF-8 outright).
        api, _ = self.rest_proxy("pyecho")
        http_api = self.http_api("pyecho")
        for url in ("/_aws/execute-api/%s/dev/x?a=%%E0%%A4&b=ok" % api, "/_aws/execute-api/%s/x?a=%%E0%%A4&b=ok" % http_api):
            with self.subTest(url=url):
                conn = http.client.HTTPConnection("127.0.0.1", self.stratus.port, timeout=60)
                conn.putrequest("GET", url)
                conn.putheader("X-Raw", b"caf\xe9")
                conn.endheaders()
                r = conn.getresponse()
                raw = r.read()
                conn.close()
                self.assertEqual(r.status, 200, raw)
                e = json.loads(raw)
                self.assertEqual(e["queryStringParameters"]["a"], "\ufffd\ufffd")
                self.assertEqual(e["queryStringParameters"]["b"], "ok")
                headers = {k.lower(): v for k, v in e["headers"].items()}
                self.assertEqual(headers["x-raw"], "caf\ufffd")

    def test_rest_missing_authentication_token(self):
        api, _ = self.rest_proxy("pyecho", path_part="items")
        status, headers, raw = self.call("/_aws/execute-api/%s/dev/other" % api)
        self.assertEqual((status, json.loads(raw)), (403, {"message": "Missing Authentication Token"}))
        self.assertEqual(headers["x-amzn-errortype"], ["MissingAuthenticationTokenException"])
        status, _, raw = self.call("/_aws/execute-api/%s/dev/items" % api)
        self.assertEqual(status, 200)
        self.assertIsNone(json.loads(raw)["pathParameters"])

    def test_rest_lambda_token_authorizer_in_python(self):
        api = self.apigw.create_rest_api(name="py-authz")["id"]
        root = self.apigw.get_resources(restApiId=api)["items"][0]["id"]
        auth = self.apigw.create_authorizer(restApiId=api, name="tok", type="TOKEN", authorizerUri=uri_of(self.fns["pyauth"]),
                                            identitySource="method.request.header.Authorization",
                                            authorizerResultTtlInSeconds=300)
        self.apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="CUSTOM",
                              authorizerId=auth["id"])
        self.apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="AWS_PROXY",
                                   integrationHttpMethod="POST", uri=uri_of(self.fns["pyecho"]))
        self.apigw.create_deployment(restApiId=api, stageName="dev")
        url = "/_aws/execute-api/%s/dev/" % api
        status, _, raw = self.call(url, headers=[("Authorization", "allow")])
        self.assertEqual(status, 200, raw)
        a = json.loads(raw)["requestContext"]["authorizer"]
        self.assertEqual(a["principalId"], "py-user")
        self.assertEqual((a["team"], a["level"]), ("blue", 3))
        self.assertIsInstance(a["integrationLatency"], int)
        # The verdict is cached for the TTL (the authorizer's own timestamp comes back unchanged) until
        # FlushStageAuthorizersCache.
        again = json.loads(self.call(url, headers=[("Authorization", "allow")])[2])["requestContext"]["authorizer"]
        self.assertEqual(again["at"], a["at"])
        self.apigw.flush_stage_authorizers_cache(restApiId=api, stageName="dev")
        fresh = json.loads(self.call(url, headers=[("Authorization", "allow")])[2])["requestContext"]["authorizer"]
        self.assertNotEqual(fresh["at"], a["at"])
        status, headers, raw = self.call(url, headers=[("Authorization", "deny")])
        self.assertEqual((status, json.loads(raw)),
                         (403, {"Message": "User is not authorized to access this resource with an explicit deny"}))
        status, _, raw = self.call(url, headers=[("Authorization", "who")])
        self.assertEqual((status, json.loads(raw)), (401, {"message": "Unauthorized"}))
        status, _, raw = self.call(url)
        self.assertEqual((status, json.loads(raw)), (401, {"message": "Unauthorized"}))

    def test_usage_plan_throttling_and_quota(self):
        api, _ = self.rest_proxy("pyshapes", method_kw={"apiKeyRequired": True})
        key = self.apigw.create_api_key(name="py-key", enabled=True)
        plan = self.apigw.create_usage_plan(name="tight", apiStages=[{"apiId": api, "stage": "dev"}],
                                            throttle={"burstLimit": 1, "rateLimit": 0.001})
        self.apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
        url = "/_aws/execute-api/%s/dev/empty" % api
        status, headers, raw = self.call(url)
        self.assertEqual((status, json.loads(raw)), (403, {"message": "Forbidden"}))
        status, _, _ = self.call(url, headers=[("x-api-key", key["value"])])
        self.assertEqual(status, 204)
        # One token (burst 1), refilled at 0.001/s: the next request is throttled.
        status, headers, raw = self.call(url, headers=[("x-api-key", key["value"])])
        self.assertEqual((status, json.loads(raw)), (429, {"message": "Too Many Requests"}))
        self.assertEqual(headers["x-amzn-errortype"], ["TooManyRequestsException"])
        # 1,000 s later the bucket holds a token again.
        self.stratus.advance_clock(1001)
        status, _, _ = self.call(url, headers=[("x-api-key", key["value"])])
        self.assertEqual(status, 204)
        # A quota of 2 a day: the third request of the day is 429 Limit Exceeded.
        self.apigw.update_usage_plan(usagePlanId=plan["id"], patchOperations=[
            {"op": "replace", "path": "/throttle/rateLimit", "value": "1000"},
            {"op": "replace", "path": "/throttle/burstLimit", "value": "1000"},
            {"op": "replace", "path": "/quota/limit", "value": "2"},
            {"op": "replace", "path": "/quota/period", "value": "DAY"}])
        self.stratus.advance_clock(86400)
        self.assertEqual(self.call(url, headers=[("x-api-key", key["value"])])[0], 204)
        self.assertEqual(self.call(url, headers=[("x-api-key", key["value"])])[0], 204)
        status, _, raw = self.call(url, headers=[("x-api-key", key["value"])])
        self.assertEqual((status, json.loads(raw)), (429, {"message": "Limit Exceeded"}))

    def test_stage_and_route_throttling(self):
        # REST: the stage's method settings (*/* = every method of the stage).
        api, _ = self.rest_proxy("pyshapes")
        self.apigw.update_stage(restApiId=api, stageName="dev", patchOperations=[
            {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "1"},
            {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "0.001"}])
        url = "/_aws/execute-api/%s/dev/empty" % api
        self.assertEqual(self.call(url)[0], 204)
        status, headers, raw = self.call(url)
        self.assertEqual((status, json.loads(raw)), (429, {"message": "Too Many Requests"}))
        self.assertEqual(headers["x-amzn-errortype"], ["TooManyRequestsException"])
        # HTTP API: the stage's default route settings, one bucket per route.
        http_api = self.v2.create_api(Name="py-throttled", ProtocolType="HTTP")["ApiId"]
        integ = self.v2.create_integration(ApiId=http_api, IntegrationType="AWS_PROXY", IntegrationUri=self.fns["pyshapes"],
                                           PayloadFormatVersion="2.0")
        for key in ("GET /a/empty", "GET /b/empty"):
            self.v2.create_route(ApiId=http_api, RouteKey=key, Target="integrations/" + integ["IntegrationId"])
        self.v2.create_stage(ApiId=http_api, StageName="$default", AutoDeploy=True,
                             DefaultRouteSettings={"ThrottlingBurstLimit": 1, "ThrottlingRateLimit": 0.001})
        base = "/_aws/execute-api/%s" % http_api
        self.assertEqual(self.call(base + "/a/empty")[0], 204)
        status, _, raw = self.call(base + "/a/empty")
        self.assertEqual((status, json.loads(raw)), (429, {"message": "Too Many Requests"}))
        self.assertEqual(self.call(base + "/b/empty")[0], 204)
        self.stratus.advance_clock(1001)
        self.assertEqual(self.call(base + "/a/empty")[0], 204)

    # --- HTTP APIs ---

    def test_http_api_payload_2_event(self):
        api = self.http_api("pyecho", route_key="POST /orders/{id}")
        status, headers, raw = self.call("/orders/7?a=1&a=2&b=%20x", method="POST", body="hi",
                                         host="%s.execute-api.localhost:%d" % (api, self.stratus.port), headers=[
                                             ("Content-Type", "text/plain"), ("Cookie", "s=1; t=2"), ("Cookie", "u=3"),
                                             ("X-Dup", "one"), ("X-Dup", "two"), ("User-Agent", "py-agent/2")])
        self.assertEqual(status, 200, raw)
        e = json.loads(raw)
        self.assertEqual(list(e), ["version", "routeKey", "rawPath", "rawQueryString", "cookies", "headers",
                                   "queryStringParameters", "requestContext", "body", "pathParameters", "isBase64Encoded"])
        self.assertEqual(e["version"], "2.0")
        self.assertEqual(e["routeKey"], "POST /orders/{id}")
        self.assertEqual(e["rawPath"], "/orders/7")
        self.assertEqual(e["rawQueryString"], "a=1&a=2&b=%20x")
        self.assertEqual(e["cookies"], ["s=1", "t=2", "u=3"])
        self.assertEqual(e["headers"]["x-dup"], "one,two")
        self.assertNotIn("cookie", e["headers"])
        self.assertEqual(e["queryStringParameters"], {"a": "1,2", "b": " x"})
        self.assertEqual(e["pathParameters"], {"id": "7"})
        self.assertEqual(e["body"], "hi")
        c = e["requestContext"]
        self.assertEqual(list(c), ["accountId", "apiId", "domainName", "domainPrefix", "http", "requestId", "routeKey",
                                   "stage", "time", "timeEpoch"])
        self.assertEqual(c["http"], {"method": "POST", "path": "/orders/7", "protocol": "HTTP/1.1",
                                     "sourceIp": "127.0.0.1", "userAgent": "py-agent/2"})
        self.assertEqual(c["stage"], "$default")
        self.assertEqual(c["requestId"], headers["apigw-requestid"][0])

    def test_http_api_payload_2_responses(self):
        api = self.http_api("pyshapes")
        base = "/_aws/execute-api/%s" % api
        status, headers, raw = self.call(base + "/infer")
        self.assertEqual((status, headers["content-type"], json.loads(raw)), (200, ["application/json"], {"hello": "world"}))
        status, headers, raw = self.call(base + "/cookies")
        self.assertEqual((status, raw), (202, b"ok"))
        self.assertEqual(headers["set-cookie"], ["a=1; Path=/", "b=2"])
        self.assertEqual(headers["x-one"], ["1"])
        status, headers, raw = self.call(base + "/png")
        self.assertEqual(raw, bytes([137, 80, 78, 71]), "payload 2.0 decodes isBase64Encoded bodies")
        status, _, raw = self.call(base + "/raise")
        self.assertEqual((status, json.loads(raw)), (500, {"message": "Internal Server Error"}))

    def test_http_api_lambda_authorizer_policy_response(self):
        api = self.v2.create_api(Name="py-v2-auth", ProtocolType="HTTP")["ApiId"]
        a = self.v2.create_authorizer(ApiId=api, Name="pol", AuthorizerType="REQUEST", AuthorizerUri=uri_of(self.fns["pyauth"]),
                                      AuthorizerPayloadFormatVersion="2.0", IdentitySource=["$request.header.Authorization"],
                                      AuthorizerResultTtlInSeconds=300)
        integ = self.v2.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=self.fns["pyecho"],
                                           PayloadFormatVersion="2.0")
        self.v2.create_route(ApiId=api, RouteKey="GET /me", Target="integrations/" + integ["IntegrationId"],
                             AuthorizationType="CUSTOM", AuthorizerId=a["AuthorizerId"])
        self.v2.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
        status, _, raw = self.call("/_aws/execute-api/%s/me" % api, headers=[("Authorization", "allow")])
        self.assertEqual(status, 200, raw)
        first = json.loads(raw)["requestContext"]["authorizer"]["lambda"]
        self.assertEqual((first["team"], first["level"]), ("blue", 3))
        # Cached by identity source for AuthorizerResultTtlInSeconds, until ResetAuthorizersCache.
        again = json.loads(self.call("/_aws/execute-api/%s/me" % api, headers=[("Authorization", "allow")])[2])
        self.assertEqual(again["requestContext"]["authorizer"]["lambda"]["at"], first["at"])
        self.v2.reset_authorizers_cache(ApiId=api, StageName="$default")
        fresh = json.loads(self.call("/_aws/execute-api/%s/me" % api, headers=[("Authorization", "allow")])[2])
        self.assertNotEqual(fresh["requestContext"]["authorizer"]["lambda"]["at"], first["at"])
        status, _, raw = self.call("/_aws/execute-api/%s/me" % api, headers=[("Authorization", "deny")])
        self.assertEqual((status, json.loads(raw)), (403, {"message": "Forbidden"}))
        status, _, raw = self.call("/_aws/execute-api/%s/me" % api)
        self.assertEqual((status, json.loads(raw)), (401, {"message": "Unauthorized"}))

    def test_http_api_iam_route_names_the_caller(self):
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        api = self.http_api("pyecho", route_key="GET /private", AuthorizationType="AWS_IAM")
        status, _, raw = self.call("/_aws/execute-api/%s/private" % api)
        self.assertEqual((status, json.loads(raw)), (403, {"message": "Forbidden"}))
        url = "http://127.0.0.1:%d/_aws/execute-api/%s/private" % (self.stratus.port, api)
        req = AWSRequest(method="GET", url=url)
        SigV4Auth(Credentials("123456789012", "secret"), "execute-api", "us-east-1").add_auth(req)
        status, _, raw = self.call("/_aws/execute-api/%s/private" % api, headers=list(req.headers.items()))
        self.assertEqual(status, 200, raw)
        iam = json.loads(raw)["requestContext"]["authorizer"]["iam"]
        self.assertEqual(iam, {"accessKey": "123456789012", "accountId": "123456789012", "callerId": "123456789012",
                               "cognitoIdentity": None, "principalOrgId": None,
                               "userArn": "arn:aws:iam::123456789012:root", "userId": "123456789012"})
        # Payload 1.0 names the caller in requestContext.identity.
        v1 = self.http_api("pyecho", route_key="GET /private", version="1.0", AuthorizationType="AWS_IAM")
        status, _, raw = self.call("/_aws/execute-api/%s/private" % v1, headers=list(req.headers.items()))
        self.assertEqual(status, 200, raw)
        ident = json.loads(raw)["requestContext"]["identity"]
        self.assertEqual((ident["accessKey"], ident["accountId"], ident["caller"], ident["user"], ident["userArn"]),
                         ("123456789012", "123456789012", "123456789012", "123456789012", "arn:aws:iam::123456789012:root"))

    # --- imports ---

    def test_import_rest_api_with_lambda_integrations(self):
        proxy = {"type": "aws_proxy", "httpMethod": "POST", "uri": uri_of(self.fns["pyecho"])}
        spec = {"openapi": "3.0.1", "info": {"title": "py-imported", "version": "1"},
                "x-amazon-apigateway-binary-media-types": ["application/octet-stream"],
                "components": {"securitySchemes": {"tok": {
                    "type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "custom",
                    "x-amazon-apigateway-authorizer": {"type": "token", "authorizerUri": uri_of(self.fns["pyauth"]),
                                                       "authorizerResultTtlInSeconds": 0}}}},
                "paths": {"/pets/{petId}": {"get": {
                    "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok"}},
                    "x-amazon-apigateway-integration": proxy}},
                    "/secure": {"post": {"security": [{"tok": []}], "responses": {"200": {"description": "ok"}},
                                         "x-amazon-apigateway-integration": proxy}}}}
        api = self.apigw.import_rest_api(body=json.dumps(spec).encode())
        self.assertEqual(api["name"], "py-imported")
        self.apigw.create_deployment(restApiId=api["id"], stageName="v1")
        status, _, raw = self.call("/restapis/%s/v1/_user_request_/pets/42" % api["id"])
        self.assertEqual(status, 200, raw)
        e = json.loads(raw)
        self.assertEqual((e["resource"], e["pathParameters"]), ("/pets/{petId}", {"petId": "42"}))
        # The security scheme became a Lambda TOKEN authorizer; the binary media type applies to bodies.
        authorizers = self.apigw.get_authorizers(restApiId=api["id"])["items"]
        self.assertEqual([(x["name"], x["type"]) for x in authorizers], [("tok", "TOKEN")])
        status, _, raw = self.call("/restapis/%s/v1/_user_request_/secure" % api["id"], method="POST", body=b"\x01\x02")
        self.assertEqual((status, json.loads(raw)), (401, {"message": "Unauthorized"}))
        status, _, raw = self.call("/restapis/%s/v1/_user_request_/secure" % api["id"], method="POST", body=b"\x01\x02",
                                   headers=[("Authorization", "allow"), ("Content-Type", "application/octet-stream")])
        self.assertEqual(status, 200, raw)
        e = json.loads(raw)
        self.assertEqual(e["requestContext"]["authorizer"]["principalId"], "py-user")
        self.assertEqual((e["body"], e["isBase64Encoded"]), ("AQI=", True))
        exp = self.apigw.get_export(restApiId=api["id"], stageName="v1", exportType="oas30",
                                    parameters={"extensions": "integrations"}, accepts="application/json")
        doc = json.loads(exp["body"].read())
        integ = doc["paths"]["/pets/{petId}"]["get"]["x-amazon-apigateway-integration"]
        self.assertEqual((integ["type"], integ["uri"]), ("aws_proxy", uri_of(self.fns["pyecho"])))

    def test_import_http_api_with_lambda_integrations(self):
        spec = {"openapi": "3.0.1", "info": {"title": "py-http-imported", "version": "1"},
                "paths": {"/items/{id}": {"get": {
                    "x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST",
                                                        "uri": uri_of(self.fns["pyecho"]), "payloadFormatVersion": "2.0"}}}}}
        api = self.v2.import_api(Body=json.dumps(spec))["ApiId"]
        self.assertEqual([r["RouteKey"] for r in self.v2.get_routes(ApiId=api)["Items"]], ["GET /items/{id}"])
        self.v2.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
        status, _, raw = self.call("/_aws/execute-api/%s/items/9" % api)
        self.assertEqual(status, 200, raw)
        e = json.loads(raw)
        self.assertEqual((e["version"], e["routeKey"], e["pathParameters"]), ("2.0", "GET /items/{id}", {"id": "9"}))

    # --- the AWS CLI, as a Serverless-Framework-style deployment script drives it ---

    def cli_flow(self, v2):
        cli = lambda *a: json.loads(self.stratus.aws_cli(*a, v2=v2).stdout or "{}")
        api = cli("apigateway", "create-rest-api", "--name", "cli-svc", "--endpoint-configuration", "types=REGIONAL")
        root = [r for r in cli("apigateway", "get-resources", "--rest-api-id", api["id"])["items"] if r["path"] == "/"][0]
        res = cli("apigateway", "create-resource", "--rest-api-id", api["id"], "--parent-id", root["id"],
                  "--path-part", "hello")
        cli("apigateway", "put-method", "--rest-api-id", api["id"], "--resource-id", res["id"], "--http-method", "GET",
            "--authorization-type", "NONE")
        put = cli("apigateway", "put-integration", "--rest-api-id", api["id"], "--resource-id", res["id"],
                  "--http-method", "GET", "--type", "AWS_PROXY", "--integration-http-method", "POST",
                  "--uri", uri_of(self.fns["pyecho"]))
        self.assertEqual((put["type"], put["httpMethod"]), ("AWS_PROXY", "POST"))
        cli("lambda", "add-permission", "--function-name", "pyecho", "--statement-id", "apigw-" + api["id"],
            "--action", "lambda:InvokeFunction", "--principal", "apigateway.amazonaws.com",
            "--source-arn", "arn:aws:execute-api:us-east-1:000000000000:%s/*/GET/hello" % api["id"])
        dep = cli("apigateway", "create-deployment", "--rest-api-id", api["id"], "--stage-name", "dev",
                  "--variables", "release=1")
        self.assertRegex(dep["id"], r"^[a-z0-9]{6}$")
        stage = cli("apigateway", "get-stage", "--rest-api-id", api["id"], "--stage-name", "dev")
        self.assertEqual((stage["deploymentId"], stage["variables"]), (dep["id"], {"release": "1"}))
        status, _, raw = self.call("/dev/hello?from=cli", host="%s.execute-api.localhost:%d" % (api["id"], self.stratus.port))
        self.assertEqual(status, 200, raw)
        e = json.loads(raw)
        self.assertEqual((e["resource"], e["path"], e["queryStringParameters"]), ("/hello", "/hello", {"from": "cli"}))
        # The Lambda was never told: a path of the stage without the resource is Missing Authentication Token.
        self.assertEqual(self.call("/_aws/execute-api/%s/dev/nope" % api["id"])[0], 403)
        self.stratus.aws_cli("apigateway", "delete-rest-api", "--rest-api-id", api["id"], v2=v2)
        status, _, raw = self.call("/_aws/execute-api/%s/dev/hello" % api["id"])
        self.assertEqual(status, 404)

    @unittest.skipUnless(cli_available(), "AWS CLI v1 not available")
    def test_cli_v1_rest_api_deployment_flow(self):
        self.cli_flow(False)

    @unittest.skipUnless(cli_available(v2=True), "AWS CLI v2 not available")
    def test_cli_v2_rest_api_deployment_flow(self):
        self.cli_flow(True)


if __name__ == "__main__":
    unittest.main()
