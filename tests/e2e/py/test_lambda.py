"""Lambda through boto3 (1.43 and Debian's 1.26) and the AWS CLI: lifecycle, invocations on real
runtimes, versions/aliases, layers, permissions, URLs, async invokes and logs."""
import base64
import io
import json
import os
import tempfile
import time
import unittest
import urllib.request
import zipfile

from botocore.exceptions import ClientError

from stratus_harness import StratusTestCase, cli_available

ROLE = "arn:aws:iam::000000000000:role/lambda-role"


def zip_of(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o100755 if name == "bootstrap" else 0o100644) << 16
            z.writestr(info, content)
    return buf.getvalue()


PY_HANDLER = """
import json, os
counter = 0
def handler(event, context):
    global counter
    counter += 1
    print("got", json.dumps(event))
    return {"event": event, "count": counter, "version": context.function_version,
            "arn": context.invoked_function_arn, "memory": context.memory_limit_in_mb,
            "group": context.log_group_name, "env": os.environ.get("GREETING")}
"""


class LambdaTest(StratusTestCase):
    def setUp(self):
        self.lam = self.client("lambda")
        self.logs = self.client("logs")

    def create(self, name, files, runtime="python3.12", handler="app.handler", **kw):
        return self.lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler,
                                        Code={"ZipFile": zip_of(files)}, **kw)

    def invoke(self, name, payload=None, **kw):
        args = dict(FunctionName=name, **kw)
        if payload is not None:
            args["Payload"] = json.dumps(payload).encode()
        r = self.lam.invoke(**args)
        body = r["Payload"].read()
        r["Body"] = json.loads(body) if body else None
        return r

    def assertClientError(self, fn, code, status=None, message=None):
        with self.assertRaises(ClientError) as cm:
            fn()
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code)
        if status:
            self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status)
        if message:
            self.assertIn(message, err["Error"]["Message"])
        return err

    # ---- lifecycle ---------------------------------------------------------------------------

    def test_create_get_update_delete(self):
        r = self.create("pylife", {"app.py": PY_HANDLER}, Environment={"Variables": {"GREETING": "hi"}})
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertEqual(r["State"], "Pending")
        self.assertEqual(r["Runtime"], "python3.12")
        self.assertEqual(r["Timeout"], 3)
        self.assertEqual(r["MemorySize"], 128)
        waiter = self.lam.get_waiter("function_active_v2")
        waiter.wait(FunctionName="pylife", WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        g = self.lam.get_function(FunctionName="pylife")
        self.assertEqual(g["Configuration"]["State"], "Active")
        self.assertEqual(g["Configuration"]["CodeSha256"], r["CodeSha256"])
        with urllib.request.urlopen(g["Code"]["Location"]) as resp:
            self.assertEqual(len(resp.read()), r["CodeSize"])
        u = self.lam.update_function_configuration(FunctionName="pylife", MemorySize=256, Description="new")
        self.assertEqual(u["MemorySize"], 256)
        self.assertEqual(u["Description"], "new")
        self.assertEqual(u["LastUpdateStatus"], "InProgress")
        self.lam.get_waiter("function_updated_v2").wait(FunctionName="pylife", WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        names = [f["FunctionName"] for f in self.lam.list_functions()["Functions"]]
        self.assertIn("pylife", names)
        self.lam.delete_function(FunctionName="pylife")
        self.assertClientError(lambda: self.lam.get_function(FunctionName="pylife"), "ResourceNotFoundException", 404,
                               "Function not found: arn:aws:lambda:us-east-1:000000000000:function:pylife")

    def test_bad_input_gets_lambda_errors(self):
        self.create("dup", {"app.py": PY_HANDLER})
        self.assertClientError(lambda: self.create("dup", {"app.py": PY_HANDLER}), "ResourceConflictException", 409,
                               "Function already exist: dup")
        self.assertClientError(lambda: self.lam.create_function(FunctionName="badzip", Runtime="python3.12", Role=ROLE,
                                                                Handler="app.handler", Code={"ZipFile": b"nope"}),
                               "InvalidParameterValueException", 400, "Could not unzip uploaded file")
        err = self.assertClientError(lambda: self.lam.invoke(FunctionName="dup", Payload=b"{oops"),
                                     "InvalidRequestContentException", 400)
        self.assertEqual(err.get("Type", err["Error"].get("Type")), "User")
        self.assertClientError(lambda: self.lam.invoke(FunctionName="dup", Qualifier="99"),
                               "ResourceNotFoundException", 404, "function:dup:99")

    # ---- invocation --------------------------------------------------------------------------

    def test_python_invoke_warm_reuse_and_tail(self):
        self.create("pyinv", {"app.py": PY_HANDLER}, Environment={"Variables": {"GREETING": "hello"}})
        r = self.invoke("pyinv", {"k": "v"}, LogType="Tail")
        self.assertEqual(r["StatusCode"], 200)
        self.assertNotIn("FunctionError", r)
        self.assertEqual(r["ExecutedVersion"], "$LATEST")
        self.assertEqual(r["Body"]["event"], {"k": "v"})
        self.assertEqual(r["Body"]["env"], "hello")
        self.assertEqual(r["Body"]["memory"], "128")
        self.assertEqual(r["Body"]["group"], "/aws/lambda/pyinv")
        log = base64.b64decode(r["LogResult"]).decode()
        self.assertIn("START RequestId: %s Version: $LATEST" % r["ResponseMetadata"]["RequestId"], log)
        self.assertIn('got {"k": "v"}', log)
        self.assertIn("REPORT RequestId:", log)
        self.assertIn("Init Duration:", log)
        self.assertEqual(self.invoke("pyinv", {})["Body"]["count"], 2)

    def test_python_errors(self):
        self.create("pyerr", {"app.py": "def handler(e, c):\n    raise KeyError('missing')\n"})
        r = self.invoke("pyerr", {})
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertEqual(r["Body"]["errorType"], "KeyError")
        self.assertEqual(r["Body"]["errorMessage"], "'missing'")
        self.assertEqual(r["Body"]["requestId"], r["ResponseMetadata"]["RequestId"])
        self.create("pynohandler", {"app.py": "x = 1\n"})
        r = self.invoke("pynohandler", {})
        self.assertEqual(r["Body"]["errorType"], "Runtime.HandlerNotFound")
        self.assertEqual(r["Body"]["errorMessage"], "Handler 'handler' missing on module 'app'")
        self.create("pysyntax", {"app.py": "def handler(e, c)\n    return 1\n"})
        r = self.invoke("pysyntax", {})
        self.assertEqual(r["Body"]["errorType"], "Runtime.UserCodeSyntaxError")
        self.create("pymarshal", {"app.py": "def handler(e, c):\n    return {1, 2}\n"})
        r = self.invoke("pymarshal", {})
        self.assertEqual(r["Body"]["errorType"], "Runtime.MarshalError")
        self.assertIn("Unable to marshal response", r["Body"]["errorMessage"])

    def test_timeout_and_crash(self):
        self.create("pyslow", {"app.py": "import time\ndef handler(e, c):\n    time.sleep(e.get('s', 0))\n    return 'ok'\n"},
                    Timeout=1)
        r = self.invoke("pyslow", {"s": 5})
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertEqual(r["Body"]["errorType"], "Sandbox.Timedout")
        self.assertTrue(r["Body"]["errorMessage"].endswith("Task timed out after 1.00 seconds"))
        self.assertEqual(self.invoke("pyslow", {})["Body"], "ok")
        self.create("pycrash", {"app.py": "import os\ndef handler(e, c):\n    os._exit(7)\n"})
        r = self.invoke("pycrash", {})
        self.assertEqual(r["Body"]["errorType"], "Runtime.ExitError")
        self.assertIn("Runtime exited with error: exit status 7", r["Body"]["errorMessage"])

    def test_nodejs_from_boto3(self):
        self.create("nodefn", {"index.mjs": "export const handler = async (e) => ({ node: process.version, e });"},
                    runtime="nodejs20.x", handler="index.handler")
        r = self.invoke("nodefn", {"n": 1})
        self.assertTrue(r["Body"]["node"].startswith("v"))
        self.assertEqual(r["Body"]["e"], {"n": 1})

    def test_function_sdk_calls_reach_stratus(self):
        # AWS_ENDPOINT_URL points the function's own SDK back at Stratus.
        self.create("sdkfn", {"app.py": (
            "import boto3\n"
            "def handler(e, c):\n"
            "    lam = boto3.client('lambda')\n"
            "    sts = boto3.client('sts')\n"
            "    return {'functions': [f['FunctionName'] for f in lam.list_functions()['Functions']],\n"
            "            'account': sts.get_caller_identity()['Account']}\n")}, Timeout=30)
        r = self.invoke("sdkfn", {})
        self.assertNotIn("FunctionError", r, r["Body"])
        self.assertIn("sdkfn", r["Body"]["functions"])
        self.assertEqual(r["Body"]["account"], "000000000000")

    # ---- versions, aliases, permissions ---------------------------------------------------------

    def test_versions_and_aliases(self):
        self.create("ver", {"app.py": "def handler(e, c):\n    return 'v1'\n"})
        v1 = self.lam.publish_version(FunctionName="ver")
        self.assertEqual(v1["Version"], "1")
        self.assertEqual(v1["FunctionArn"], "arn:aws:lambda:us-east-1:000000000000:function:ver:1")
        self.lam.update_function_code(FunctionName="ver", ZipFile=zip_of({"app.py": "def handler(e, c):\n    return 'v2'\n"}))
        v2 = self.lam.publish_version(FunctionName="ver", Description="second")
        self.assertEqual(v2["Version"], "2")
        self.assertEqual(self.lam.publish_version(FunctionName="ver")["Version"], "2", "unchanged code is not republished")
        versions = [v["Version"] for v in self.lam.list_versions_by_function(FunctionName="ver")["Versions"]]
        self.assertEqual(versions, ["$LATEST", "1", "2"])
        self.assertEqual(self.invoke("ver", {}, Qualifier="1")["Body"], "v1")
        a = self.lam.create_alias(FunctionName="ver", Name="live", FunctionVersion="1")
        self.assertEqual(a["AliasArn"], "arn:aws:lambda:us-east-1:000000000000:function:ver:live")
        r = self.invoke("ver:live", {})
        self.assertEqual(r["Body"], "v1")
        self.assertEqual(r["ExecutedVersion"], "1")
        self.lam.update_alias(FunctionName="ver", Name="live", FunctionVersion="1",
                              RoutingConfig={"AdditionalVersionWeights": {"2": 1.0}})
        r = self.invoke("ver", {}, Qualifier="live")
        self.assertEqual(r["ExecutedVersion"], "2")
        self.assertEqual(r["Body"], "v2")
        self.assertClientError(lambda: self.lam.delete_function(FunctionName="ver", Qualifier="1"),
                               "ResourceConflictException", 409)
        self.assertEqual([x["Name"] for x in self.lam.list_aliases(FunctionName="ver")["Aliases"]], ["live"])
        self.lam.delete_alias(FunctionName="ver", Name="live")
        self.lam.delete_function(FunctionName="ver", Qualifier="1")
        self.assertClientError(lambda: self.lam.get_function(FunctionName="ver", Qualifier="1"), "ResourceNotFoundException")

    def test_permissions_policy(self):
        self.create("perm", {"app.py": PY_HANDLER})
        r = self.lam.add_permission(FunctionName="perm", StatementId="s3", Action="lambda:InvokeFunction",
                                    Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::bucket")
        statement = json.loads(r["Statement"])
        self.assertEqual(statement["Principal"], {"Service": "s3.amazonaws.com"})
        self.assertEqual(statement["Condition"]["ArnLike"]["AWS:SourceArn"], "arn:aws:s3:::bucket")
        policy = json.loads(self.lam.get_policy(FunctionName="perm")["Policy"])
        self.assertEqual(policy["Statement"][0]["Sid"], "s3")
        self.assertClientError(lambda: self.lam.add_permission(FunctionName="perm", StatementId="s3",
                                                               Action="lambda:InvokeFunction", Principal="*"),
                               "ResourceConflictException", 409)
        self.lam.remove_permission(FunctionName="perm", StatementId="s3")
        self.assertClientError(lambda: self.lam.get_policy(FunctionName="perm"), "ResourceNotFoundException", 404)

    def test_tags_and_concurrency(self):
        arn = self.create("tagged", {"app.py": PY_HANDLER}, Tags={"a": "1"})["FunctionArn"]
        self.lam.tag_resource(Resource=arn, Tags={"b": "2"})
        self.assertEqual(self.lam.list_tags(Resource=arn)["Tags"], {"a": "1", "b": "2"})
        self.lam.untag_resource(Resource=arn, TagKeys=["a"])
        self.assertEqual(self.lam.list_tags(Resource=arn)["Tags"], {"b": "2"})
        self.lam.put_function_concurrency(FunctionName="tagged", ReservedConcurrentExecutions=0)
        self.assertEqual(self.lam.get_function_concurrency(FunctionName="tagged")["ReservedConcurrentExecutions"], 0)
        err = self.assertClientError(lambda: self.lam.invoke(FunctionName="tagged", Payload=b"{}"),
                                     "TooManyRequestsException", 429, "Rate Exceeded.")
        self.assertEqual(err["Reason"], "ReservedFunctionConcurrentInvocationLimitExceeded")
        self.lam.delete_function_concurrency(FunctionName="tagged")
        self.assertEqual(self.invoke("tagged", {})["StatusCode"], 200)

    # ---- layers ----------------------------------------------------------------------------------

    def test_layers_are_importable(self):
        layer = self.lam.publish_layer_version(LayerName="helpers", Description="shared",
                                               Content={"ZipFile": zip_of({"python/helper_mod.py": "VALUE = 42\n"})},
                                               CompatibleRuntimes=["python3.12"])
        self.assertEqual(layer["Version"], 1)
        self.assertEqual(layer["LayerVersionArn"], "arn:aws:lambda:us-east-1:000000000000:layer:helpers:1")
        got = self.lam.get_layer_version(LayerName="helpers", VersionNumber=1)
        self.assertEqual(got["Content"]["CodeSha256"], layer["Content"]["CodeSha256"])
        self.create("uses-layer", {"app.py": "import helper_mod\ndef handler(e, c):\n    return helper_mod.VALUE\n"},
                    Layers=[layer["LayerVersionArn"]])
        self.assertEqual(self.invoke("uses-layer", {})["Body"], 42)
        listed = self.lam.list_layers(CompatibleRuntime="python3.12")["Layers"]
        self.assertEqual(listed[0]["LayerName"], "helpers")
        self.assertClientError(lambda: self.create("bad-layer", {"app.py": ""}, Layers=[layer["LayerArn"] + ":9"]),
                               "InvalidParameterValueException", 400, "does not exist")

    # ---- async invocation -------------------------------------------------------------------------

    def test_event_invoke_with_destination_to_sqs(self):
        sqs = self.client("sqs")
        q = sqs.create_queue(QueueName="lambda-dest")["QueueUrl"]
        qarn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.create("asyncok", {"app.py": "def handler(e, c):\n    return {'doubled': e['n'] * 2}\n"})
        self.lam.put_function_event_invoke_config(FunctionName="asyncok", MaximumRetryAttempts=0,
                                                  DestinationConfig={"OnSuccess": {"Destination": qarn}})
        cfg = self.lam.get_function_event_invoke_config(FunctionName="asyncok")
        self.assertEqual(cfg["MaximumRetryAttempts"], 0)
        r = self.lam.invoke(FunctionName="asyncok", InvocationType="Event", Payload=b'{"n": 21}')
        self.assertEqual(r["StatusCode"], 202)
        msgs = sqs.receive_message(QueueUrl=q, WaitTimeSeconds=10).get("Messages", [])
        self.assertEqual(len(msgs), 1)
        record = json.loads(msgs[0]["Body"])
        self.assertEqual(record["version"], "1.0")
        self.assertEqual(record["requestContext"]["condition"], "Success")
        self.assertEqual(record["requestContext"]["approximateInvokeCount"], 1)
        self.assertEqual(record["requestPayload"], {"n": 21})
        self.assertEqual(record["responsePayload"], {"doubled": 42})
        self.assertEqual(record["responseContext"]["statusCode"], 200)

    def test_event_invoke_retries_then_dead_letter_queue(self):
        sqs = self.client("sqs")
        q = sqs.create_queue(QueueName="lambda-dlq")["QueueUrl"]
        qarn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.create("asyncfail", {"app.py": "def handler(e, c):\n    raise RuntimeError('always')\n"},
                    DeadLetterConfig={"TargetArn": qarn})
        self.lam.invoke(FunctionName="asyncfail", InvocationType="Event", Payload=b'{"id": 1}')
        # Two retries, a minute and then two minutes later (moved forward on Stratus's clock).
        time.sleep(1.0)
        self.stratus.advance_clock(61)
        time.sleep(1.0)
        self.stratus.advance_clock(121)
        msgs = sqs.receive_message(QueueUrl=q, WaitTimeSeconds=10, MessageAttributeNames=["All"]).get("Messages", [])
        self.assertEqual(len(msgs), 1)
        self.assertEqual(json.loads(msgs[0]["Body"]), {"id": 1})
        attrs = msgs[0]["MessageAttributes"]
        self.assertEqual(attrs["ErrorMessage"]["StringValue"], "always")
        self.assertIn("RequestID", attrs)

    # ---- function URLs ------------------------------------------------------------------------------

    def test_function_url(self):
        self.create("urlfn", {"app.py": (
            "import json\n"
            "def handler(e, c):\n"
            "    return {'statusCode': 201, 'headers': {'x-echo': e['rawPath']},\n"
            "            'body': json.dumps({'method': e['requestContext']['http']['method'], 'q': e.get('queryStringParameters'),\n"
            "                                'body': e.get('body'), 'version': e['version']})}\n")})
        u = self.lam.create_function_url_config(FunctionName="urlfn", AuthType="NONE")
        url = u["FunctionUrl"]
        self.assertRegex(url, r"^http://[a-z0-9]{32}\.lambda-url\.us-east-1\.localhost:\d+/$")
        self.assertEqual(self.lam.get_function_url_config(FunctionName="urlfn")["FunctionUrl"], url)
        host = url.split("/")[2]
        req = urllib.request.Request("%s/some/path?a=1&a=2" % self.stratus.endpoint, data=b'{"x":1}', method="POST",
                                     headers={"Host": host, "Content-Type": "application/json"})
        with urllib.request.urlopen(req) as resp:
            self.assertEqual(resp.status, 201)
            self.assertEqual(resp.headers["x-echo"], "/some/path")
            body = json.loads(resp.read())
        self.assertEqual(body, {"method": "POST", "q": {"a": "1,2"}, "body": '{"x":1}', "version": "2.0"})
        self.lam.delete_function_url_config(FunctionName="urlfn")
        self.assertClientError(lambda: self.lam.get_function_url_config(FunctionName="urlfn"), "ResourceNotFoundException")

    def test_hot_reload_from_a_local_directory(self):
        src = tempfile.mkdtemp()
        with open(os.path.join(src, "app.py"), "w") as f:
            f.write("def handler(e, c):\n    return 'first'\n")
        r = self.lam.create_function(FunctionName="hot", Runtime="python3.12", Role=ROLE, Handler="app.handler",
                                     Code={"S3Bucket": "hot-reload", "S3Key": src})
        self.assertEqual(self.invoke("hot", {})["Body"], "first")
        with open(os.path.join(src, "app.py"), "w") as f:
            f.write("def handler(e, c):\n    return 'second'\n")
        deadline = time.time() + 5
        body = None
        while time.time() < deadline:
            body = self.invoke("hot", {})["Body"]
            if body == "second":
                break
            time.sleep(0.1)
        self.assertEqual(body, "second")
        self.assertClientError(lambda: self.lam.create_function(
            FunctionName="hot2", Runtime="python3.12", Role=ROLE, Handler="app.handler",
            Code={"S3Bucket": "hot-reload", "S3Key": "relative/path"}), "InvalidParameterValueException", 400)

    # ---- logs ----------------------------------------------------------------------------------------

    def test_logs_reach_cloudwatch_logs(self):
        self.create("pylogs", {"app.py": "import logging\nlogging.getLogger().setLevel(logging.INFO)\n"
                                         "def handler(e, c):\n    logging.info('via logging %s', e['n'])\n    print('via print')\n    return 1\n"})
        rid = self.invoke("pylogs", {"n": 5})["ResponseMetadata"]["RequestId"]
        deadline = time.time() + 5
        messages = []
        while time.time() < deadline:
            ev = self.logs.filter_log_events(logGroupName="/aws/lambda/pylogs").get("events", [])
            messages = [e["message"] for e in ev]
            if any(m.startswith("REPORT") for m in messages):
                break
            time.sleep(0.1)
        self.assertIn("START RequestId: %s Version: $LATEST\n" % rid, messages)
        self.assertTrue(any(m.startswith("[INFO]\t") and m.endswith("\t%s\tvia logging 5\n" % rid) for m in messages), messages)
        self.assertIn("via print\n", messages)
        self.assertTrue(any(m.startswith("REPORT RequestId: " + rid) for m in messages))

    @unittest.skipUnless(cli_available(), "AWS CLI not installed")
    def test_cli_invoke(self):
        self.create("clifn", {"app.py": "def handler(e, c):\n    return {'cli': e}\n"})
        runs = [(False, [])]
        if cli_available(v2=True):
            runs.append((True, ["--cli-binary-format", "raw-in-base64-out"]))
        for v2, extra in runs:
            out = os.path.join(tempfile.mkdtemp(), "out.json")
            p = self.stratus.aws_cli("lambda", "invoke", "--function-name", "clifn", "--payload", '{"a": 1}', *extra,
                                     "--log-type", "Tail", out, v2=v2)
            meta = json.loads(p.stdout)
            self.assertEqual(meta["StatusCode"], 200)
            self.assertEqual(meta["ExecutedVersion"], "$LATEST")
            self.assertIn("REPORT RequestId", base64.b64decode(meta["LogResult"]).decode())
            with open(out) as f:
                self.assertEqual(json.load(f), {"cli": {"a": 1}})
        listed = json.loads(self.stratus.aws_cli("lambda", "list-functions").stdout)
        self.assertIn("clifn", [f["FunctionName"] for f in listed["Functions"]])

    @unittest.skipUnless(cli_available(v2=True), "AWS CLI v2 not installed")
    def test_cli_v2_logs_tail_follow(self):
        """`aws logs tail --follow` shows a function's START / END / REPORT lines as they are written."""
        import re
        import selectors
        import subprocess
        self.create("tailed", {"app.py": "def handler(e, c):\n    print('tail-marker', e['n'])\n    return e['n']\n"})
        self.invoke("tailed", {"n": 1})  # the log group exists from the first invocation on
        # Unbuffered: the CLI's output goes to a pipe, where Python would hold it back.
        env = dict(os.environ, AWS_PAGER="", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
                   PYTHONUNBUFFERED="1")
        tail = subprocess.Popen(["/usr/bin/aws", "--endpoint-url", self.stratus.endpoint, "logs", "tail",
                                 "/aws/lambda/tailed", "--follow", "--since", "10m", "--format", "short"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        out = ""
        sel = selectors.DefaultSelector()
        sel.register(tail.stdout, selectors.EVENT_READ)

        def read_until(text):
            nonlocal out
            deadline = time.time() + 60
            while text not in out and time.time() < deadline and tail.poll() is None:
                if sel.select(timeout=1):
                    chunk = os.read(tail.stdout.fileno(), 65536)
                    if not chunk:
                        break
                    out += chunk.decode()

        try:
            read_until("tail-marker 1")  # the first poll is answered
            # --follow polls every 5 seconds until interrupted: a later invocation shows up.
            rid = self.invoke("tailed", {"n": 2})["ResponseMetadata"]["RequestId"]
            read_until("REPORT RequestId: " + rid)
        finally:
            sel.close()
            tail.kill()
            tail.wait()
            err = tail.stderr.read().decode()
            tail.stdout.close()
            tail.stderr.close()
        self.assertIn("START RequestId: %s Version: $LATEST" % rid, out, out + err)
        self.assertIn("tail-marker 2", out)
        self.assertIn("END RequestId: %s" % rid, out)
        self.assertRegex(out, r"REPORT RequestId: %s\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\t"
                              r"Memory Size: 128 MB\tMax Memory Used: \d+ MB" % re.escape(rid))
        # The first (cold) invocation, from before --follow started, carries the Init Duration.
        self.assertRegex(out, r"REPORT RequestId: \S+\tDuration: [^\n]*\tInit Duration: \d+\.\d\d ms")


if __name__ == "__main__":
    unittest.main()
