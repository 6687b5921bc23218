"""API Gateway through boto3 (1.43 and 1.26): REST and HTTP API control planes, invoke URLs with
MOCK and HTTP_PROXY integrations, the @connections API's errors, OpenAPI import and export."""
import http.client
import http.server
import json
import threading
import unittest

from botocore.exceptions import ClientError

from stratus_harness import StratusTestCase


class Echo(http.server.BaseHTTPRequestHandler):
    def _answer(self):
        n = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(n).decode() if n else ""
        out = json.dumps({"method": self.command, "path": self.path, "body": body,
                          "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args):
        pass


class ApiGatewayTestCase(StratusTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.echo = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
        threading.Thread(target=cls.echo.serve_forever, daemon=True).start()
        cls.echo_url = "http://127.0.0.1:%d" % cls.echo.server_address[1]

    @classmethod
    def tearDownClass(cls):
        cls.echo.shutdown()
        super().tearDownClass()

    def invoke(self, api_id, path, method="GET", body=None, headers=None, host_form=False):
        """Calls an invoke URL: path form (/_aws/execute-api/...) or the <id>.execute-api.localhost host."""
        conn = http.client.HTTPConnection("127.0.0.1", self.stratus.port, timeout=30)
        h = dict(headers or {})
        if host_form:
            h["Host"] = "%s.execute-api.localhost:%d" % (api_id, self.stratus.port)
            url = path
        else:
            url = "/_aws/execute-api/%s%s" % (api_id, path)
        conn.request(method, url, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def assertClientError(self, fn, code, status=None, message=None):
        with self.assertRaises(ClientError) as cm:
            fn()
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code)
        if status:
            self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status)
        if message:
            self.assertRegex(err["Error"]["Message"], message)
        return err


class RestApis(ApiGatewayTestCase):
    def setUp(self):
        self.apigw = self.client("apigateway")

    def mock_method(self, api, resource, method, template, **extra):
        self.apigw.put_method(restApiId=api, resourceId=resource, httpMethod=method, authorizationType="NONE", **extra)
        self.apigw.put_method_response(restApiId=api, resourceId=resource, httpMethod=method, statusCode="200")
        self.apigw.put_integration(restApiId=api, resourceId=resource, httpMethod=method, type="MOCK",
                                   requestTemplates={"application/json": '{"statusCode": 200}'})
        self.apigw.put_integration_response(restApiId=api, resourceId=resource, httpMethod=method, statusCode="200",
                                            responseTemplates={"application/json": template})

    def test_rest_api_lifecycle_and_errors(self):
        api = self.apigw.create_rest_api(name="py-api", endpointConfiguration={"types": ["REGIONAL"]})
        self.assertRegex(api["id"], r"^[a-z0-9]{10}$")
        self.assertEqual(api["endpointConfiguration"]["types"], ["REGIONAL"])
        self.assertEqual(api["apiKeySource"], "HEADER")
        self.assertIn(api["id"], [a["id"] for a in self.apigw.get_rest_apis()["items"]])
        self.assertClientError(lambda: self.apigw.get_rest_api(restApiId="missing000"), "NotFoundException", 404,
                               r"^Invalid API identifier specified 000000000000:missing000$")
        self.assertClientError(
            lambda: self.apigw.create_rest_api(name="x", endpointConfiguration={"types": ["EDGE", "REGIONAL"]}),
            "BadRequestException", 400)
        upd = self.apigw.update_rest_api(restApiId=api["id"], patchOperations=[
            {"op": "replace", "path": "/description", "value": "new"},
            {"op": "replace", "path": "/disableExecuteApiEndpoint", "value": "true"}])
        self.assertEqual(upd["description"], "new")
        self.assertTrue(upd["disableExecuteApiEndpoint"])
        self.apigw.delete_rest_api(restApiId=api["id"])
        self.assertClientError(lambda: self.apigw.get_rest_api(restApiId=api["id"]), "NotFoundException", 404)

    def test_mock_method_through_invoke_urls(self):
        api = self.apigw.create_rest_api(name="py-mock")["id"]
        root = self.apigw.get_resources(restApiId=api)["items"][0]["id"]
        res = self.apigw.create_resource(restApiId=api, parentId=root, pathPart="greet")
        self.assertEqual(res["path"], "/greet")
        self.mock_method(api, res["id"], "GET", '{"hi": "$input.params(\'who\')", "stage": "$context.stage"}')
        dep = self.apigw.create_deployment(restApiId=api, stageName="dev")
        self.assertRegex(dep["id"], r"^[a-z0-9]{6}$")
        status, headers, body = self.invoke(api, "/dev/greet?who=py")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(json.loads(body), {"hi": "py", "stage": "dev"})
        status, _, body = self.invoke(api, "/dev/greet?who=host", host_form=True)
        self.assertEqual(json.loads(body), {"hi": "host", "stage": "dev"})
        status, headers, body = self.invoke(api, "/dev/other")
        self.assertEqual(status, 403)
        self.assertEqual(json.loads(body), {"message": "Missing Authentication Token"})
        self.assertEqual(headers["x-amzn-errortype"], "MissingAuthenticationTokenException")
        status, _, body = self.invoke(api, "/prod/greet")
        self.assertEqual((status, json.loads(body)), (403, {"message": "Forbidden"}))

    def test_http_proxy_greedy_resource(self):
        api = self.apigw.create_rest_api(name="py-proxy")["id"]
        root = self.apigw.get_resources(restApiId=api)["items"][0]["id"]
        proxy = self.apigw.create_resource(restApiId=api, parentId=root, pathPart="{proxy+}")
        self.apigw.put_method(restApiId=api, resourceId=proxy["id"], httpMethod="ANY", authorizationType="NONE",
                              requestParameters={"method.request.path.proxy": True})
        self.apigw.put_integration(restApiId=api, resourceId=proxy["id"], httpMethod="ANY", type="HTTP_PROXY",
                                   integrationHttpMethod="ANY", uri=self.echo_url + "/{proxy}",
                                   requestParameters={"integration.request.path.proxy": "method.request.path.proxy"})
        self.apigw.create_deployment(restApiId=api, stageName="v1")
        status, _, body = self.invoke(api, "/v1/a/b?c=d", method="POST", body="data",
                                      headers={"content-type": "text/plain"})
        self.assertEqual(status, 200)
        seen = json.loads(body)
        self.assertEqual(seen["method"], "POST")
        self.assertEqual(seen["path"], "/a/b?c=d")
        self.assertEqual(seen["body"], "data")

    def test_stages_and_patch_operations(self):
        api = self.apigw.create_rest_api(name="py-stage")["id"]
        root = self.apigw.get_resources(restApiId=api)["items"][0]["id"]
        self.mock_method(api, root, "GET", "{}")
        dep = self.apigw.create_deployment(restApiId=api)
        stage = self.apigw.create_stage(restApiId=api, stageName="beta", deploymentId=dep["id"],
                                        variables={"a": "1"}, tags={"t": "v"})
        self.assertEqual(stage["variables"], {"a": "1"})
        self.assertEqual(stage["tags"], {"t": "v"})
        upd = self.apigw.update_stage(restApiId=api, stageName="beta", patchOperations=[
            {"op": "remove", "path": "/variables/a"},
            {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "100"},
            {"op": "replace", "path": "/tracingEnabled", "value": "true"}])
        self.assertNotIn("variables", upd)
        self.assertEqual(upd["methodSettings"]["*/*"]["throttlingRateLimit"], 100.0)
        self.assertTrue(upd["tracingEnabled"])
        self.assertClientError(lambda: self.apigw.delete_deployment(restApiId=api, deploymentId=dep["id"]),
                               "BadRequestException", 400, "Active stages pointing to this deployment")
        self.assertClientError(lambda: self.apigw.create_stage(restApiId=api, stageName="x", deploymentId="nope00"),
                               "BadRequestException", 400)
        self.apigw.delete_stage(restApiId=api, stageName="beta")
        self.apigw.delete_deployment(restApiId=api, deploymentId=dep["id"])

    def test_authorizers_and_keys_control_plane(self):
        api = self.apigw.create_rest_api(name="py-auth")["id"]
        fn = "arn:aws:lambda:us-east-1:000000000000:function:auth"
        uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/%s/invocations" % fn
        a = self.apigw.create_authorizer(restApiId=api, name="tok", type="TOKEN", authorizerUri=uri,
                                         identitySource="method.request.header.Authorization")
        self.assertRegex(a["id"], r"^[a-z0-9]{6}$")
        self.assertEqual(a["authorizerResultTtlInSeconds"], 300)
        self.assertClientError(lambda: self.apigw.create_authorizer(restApiId=api, name="c", type="COGNITO_USER_POOLS"),
                               "BadRequestException", 400)
        key = self.apigw.create_api_key(name="k", enabled=True)
        self.assertNotIn("value", self.apigw.get_api_key(apiKey=key["id"]))
        self.assertEqual(self.apigw.get_api_key(apiKey=key["id"], includeValue=True)["value"], key["value"])
        plan = self.apigw.create_usage_plan(name="plan", throttle={"burstLimit": 10, "rateLimit": 5.0})
        self.apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
        self.assertClientError(
            lambda: self.apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY"),
            "ConflictException", 409)
        keys = self.apigw.get_usage_plan_keys(usagePlanId=plan["id"])["items"]
        self.assertEqual([k["id"] for k in keys], [key["id"]])
        upd = self.apigw.update_usage_plan(usagePlanId=plan["id"], patchOperations=[
            {"op": "replace", "path": "/throttle/rateLimit", "value": "9"}])
        self.assertEqual(upd["throttle"]["rateLimit"], 9.0)

    def test_import_and_export(self):
        spec = {"openapi": "3.0.1", "info": {"title": "py-import", "version": "3"},
                "paths": {"/ping": {"get": {"responses": {"200": {"description": "ok"}},
                                            "x-amazon-apigateway-integration": {
                                                "type": "mock",
                                                "requestTemplates": {"application/json": '{"statusCode": 200}'},
                                                "responses": {"default": {"statusCode": "200", "responseTemplates": {
                                                    "application/json": '{"pong": true}'}}}}}}}}
        api = self.apigw.import_rest_api(body=json.dumps(spec).encode())
        self.assertEqual(api["name"], "py-import")
        self.apigw.create_deployment(restApiId=api["id"], stageName="s")
        status, _, body = self.invoke(api["id"], "/s/ping")
        self.assertEqual((status, json.loads(body)), (200, {"pong": True}))
        exp = self.apigw.get_export(restApiId=api["id"], stageName="s", exportType="swagger",
                                    parameters={"extensions": "integrations"}, accepts="application/json")
        doc = json.loads(exp["body"].read())
        self.assertEqual(doc["swagger"], "2.0")
        self.assertEqual(doc["basePath"], "/s")
        self.assertEqual(doc["paths"]["/ping"]["get"]["x-amazon-apigateway-integration"]["type"], "mock")


class LongInputs(ApiGatewayTestCase):
    """Inputs far longer than any real API's are answered, not a crash: route keys and path parts
    were matched with std::regex, which recursed once per character and overflowed the stack at
    100 KB."""

    def test_long_route_key_and_path_part(self):
        v2 = self.client("apigatewayv2")
        apigw = self.client("apigateway")
        api = v2.create_api(Name="long", ProtocolType="HTTP")["ApiId"]
        key = "GET /" + "a" * 300000
        route = v2.create_route(ApiId=api, RouteKey=key)
        self.assertEqual(route["RouteKey"], key)
        self.assertClientError(lambda: v2.create_route(ApiId=api, RouteKey="FETCH /" + "a" * 300000),
                               "BadRequestException", 400)
        rest = apigw.create_rest_api(name="long")["id"]
        root = apigw.get_resources(restApiId=rest)["items"][0]["id"]
        part = "b" * 300000
        self.assertEqual(apigw.create_resource(restApiId=rest, parentId=root, pathPart=part)["pathPart"], part)
        self.assertClientError(lambda: apigw.create_resource(restApiId=rest, parentId=root, pathPart="b" * 300000 + "!"),
                               "BadRequestException", 400)
        self.assertIn(api, [a["ApiId"] for a in v2.get_apis()["Items"]])  # still serving


class HttpApis(ApiGatewayTestCase):
    def setUp(self):
        self.v2 = self.client("apigatewayv2")

    def test_http_api_proxy_and_default_stage(self):
        api = self.v2.create_api(Name="py-http", ProtocolType="HTTP")
        self.assertEqual(api["ApiEndpoint"], "http://%s.execute-api.localhost:%d" % (api["ApiId"], self.stratus.port))
        integ = self.v2.create_integration(ApiId=api["ApiId"], IntegrationType="HTTP_PROXY", IntegrationMethod="ANY",
                                           IntegrationUri=self.echo_url + "/be/{id}", PayloadFormatVersion="1.0")
        self.v2.create_route(ApiId=api["ApiId"], RouteKey="GET /things/{id}", Target="integrations/" + integ["IntegrationId"])
        stage = self.v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
        self.assertTrue(stage["AutoDeploy"])
        status, headers, body = self.invoke(api["ApiId"], "/things/3?x=y")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["path"], "/be/3?x=y")
        self.assertIn("apigw-requestid", headers)
        status, _, body = self.invoke(api["ApiId"], "/things/4", host_form=True)
        self.assertEqual(json.loads(body)["path"], "/be/4")
        status, _, body = self.invoke(api["ApiId"], "/missing")
        self.assertEqual((status, json.loads(body)), (404, {"message": "Not Found"}))

    def test_errors(self):
        self.assertClientError(lambda: self.v2.get_api(ApiId="nope000000"), "NotFoundException", 404)
        api = self.v2.create_api(Name="py-err", ProtocolType="HTTP")["ApiId"]
        self.v2.create_route(ApiId=api, RouteKey="GET /a")
        self.assertClientError(lambda: self.v2.create_route(ApiId=api, RouteKey="GET /a"), "ConflictException", 409)
        self.assertClientError(lambda: self.v2.create_route(ApiId=api, RouteKey="bad key"), "BadRequestException", 400)
        self.assertClientError(lambda: self.v2.create_stage(ApiId=api, StageName="bad name!"), "BadRequestException", 400)
        self.assertClientError(
            lambda: self.v2.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri="not-an-arn"),
            "BadRequestException", 400)

    def test_websocket_api_control_plane_and_gone(self):
        api = self.v2.create_api(Name="py-ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
        self.assertEqual(api["ApiEndpoint"], "ws://%s.execute-api.localhost:%d" % (api["ApiId"], self.stratus.port))
        r = self.v2.create_route(ApiId=api["ApiId"], RouteKey="$connect")
        self.assertEqual(r["RouteKey"], "$connect")
        self.v2.create_stage(ApiId=api["ApiId"], StageName="prod")
        self.assertClientError(lambda: self.v2.create_stage(ApiId=api["ApiId"], StageName="$default"),
                               "BadRequestException", 400)
        import boto3
        from botocore.config import Config
        mgmt = boto3.client("apigatewaymanagementapi", region_name="us-east-1", aws_access_key_id="test",
                            aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}),
                            endpoint_url="http://127.0.0.1:%d/_aws/execute-api/%s/prod" % (self.stratus.port, api["ApiId"]))
        self.assertClientError(lambda: mgmt.post_to_connection(ConnectionId="AAAAAAAAAAAAAAA=", Data=b"x"), "GoneException", 410)
        self.assertClientError(lambda: mgmt.get_connection(ConnectionId="AAAAAAAAAAAAAAA="), "GoneException", 410)

    def test_import_export(self):
        spec = {"openapi": "3.0.1", "info": {"title": "py-imp", "version": "1"},
                "paths": {"/x": {"post": {"x-amazon-apigateway-integration": {
                    "type": "http_proxy", "httpMethod": "POST", "uri": self.echo_url + "/x", "payloadFormatVersion": "1.0"}}}}}
        api = self.v2.import_api(Body=json.dumps(spec))
        routes = self.v2.get_routes(ApiId=api["ApiId"])["Items"]
        self.assertEqual([r["RouteKey"] for r in routes], ["POST /x"])
        out = self.v2.export_api(ApiId=api["ApiId"], Specification="OAS30", OutputType="JSON")
        doc = json.loads(out["body"].read())
        self.assertIn("/x", doc["paths"])


if __name__ == "__main__":
    unittest.main()
