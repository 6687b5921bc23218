"""The foundation through boto3 (1.43 and 1.26), the AWS CLI (v1 and v2) and raw sockets."""
import json
import socket
import time
import unittest

from botocore.exceptions import ClientError

from stratus_harness import Stratus, StratusTestCase, cli_available


def raw(stratus, data, read_timeout=5.0):
    """Sends raw bytes; returns everything the server wrote until it closed or went quiet."""
    s = socket.create_connection(("127.0.0.1", stratus.port), timeout=read_timeout)
    try:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


QUERY = b"Action=GetCallerIdentity&Version=2011-06-15"


def post(body=QUERY, extra=b""):
    return (b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n" + extra +
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


class StsBoto3(StratusTestCase):
    def test_get_caller_identity(self):
        r = self.client("sts").get_caller_identity()
        self.assertEqual(r["Account"], "000000000000")
        self.assertEqual(r["Arn"], "arn:aws:iam::000000000000:root")
        self.assertRegex(r["ResponseMetadata"]["RequestId"], r"^[0-9a-f-]{36}$")

    def test_account_from_12_digit_key(self):
        r = self.client("sts", aws_access_key_id="123456789012").get_caller_identity()
        self.assertEqual(r["Account"], "123456789012")

    def test_assume_role_and_use_credentials(self):
        sts = self.client("sts")
        r = sts.assume_role(RoleArn="arn:aws:iam::111122223333:role/svc", RoleSessionName="py", DurationSeconds=900)
        c = r["Credentials"]
        self.assertRegex(c["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        me = self.client("sts", aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                         aws_session_token=c["SessionToken"]).get_caller_identity()
        self.assertEqual(me["Arn"], "arn:aws:sts::111122223333:assumed-role/svc/py")

    def test_assume_role_with_web_identity_unsigned_operation(self):
        import base64
        payload = base64.urlsafe_b64encode(json.dumps({"sub": "user-1", "aud": "client-1", "iss": "https://idp.local"}).encode()).rstrip(b"=").decode()
        token = "eyJhbGciOiJub25lIn0." + payload + ".sig"
        r = self.client("sts").assume_role_with_web_identity(
            RoleArn="arn:aws:iam::123456789012:role/web", RoleSessionName="web", WebIdentityToken=token)
        self.assertEqual(r["SubjectFromWebIdentityToken"], "user-1")
        self.assertEqual(r["Audience"], "client-1")
        self.assertEqual(r["AssumedRoleUser"]["Arn"], "arn:aws:sts::123456789012:assumed-role/web/web")

    def test_validation_error_shape(self):
        with self.assertRaises(ClientError) as cm:
            self.client("sts").assume_role(RoleArn="arn:aws:iam::123456789012:role/r", RoleSessionName="bad name!")
        e = cm.exception.response
        self.assertEqual(e["Error"]["Code"], "ValidationError")
        self.assertEqual(e["Error"]["Type"], "Sender")
        self.assertEqual(e["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertEqual(e["Error"]["Message"],
                         "1 validation error detected: Value 'bad name!' at 'roleSessionName' failed to satisfy "
                         "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*")

    def test_malformed_role_arn(self):
        with self.assertRaises(ClientError) as cm:
            self.client("sts").assume_role(RoleArn="arn:aws:s3:::not-a-role-arn", RoleSessionName="ok")
        self.assertEqual(cm.exception.response["Error"]["Code"], "ValidationError")

    def test_federation_token(self):
        r = self.client("sts").get_federation_token(Name="bob")
        self.assertEqual(r["FederatedUser"]["Arn"], "arn:aws:sts::000000000000:federated-user/bob")
        self.assertEqual(r["FederatedUser"]["FederatedUserId"], "000000000000:bob")


class HttpEdge(StratusTestCase):
    """HTTP/1.1 behaviour the issue names: 100-continue, pipelining, chunked bodies, limits, garbage."""

    def test_expect_100_continue(self):
        s = socket.create_connection(("127.0.0.1", self.stratus.port), timeout=5)
        try:
            s.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(QUERY))
            first = s.recv(4096)
            self.assertEqual(first, b"HTTP/1.1 100 Continue\r\n\r\n")
            s.sendall(QUERY)
            rest = b""
            while b"</GetCallerIdentityResponse>" not in rest:
                chunk = s.recv(65536)
                if not chunk:
                    break
                rest += chunk
            self.assertTrue(rest.startswith(b"HTTP/1.1 200 OK\r\n"), rest[:200])
        finally:
            s.close()

    def test_pipelined_requests_answered_in_order(self):
        out = raw(self.stratus, post() + post(b"Action=GetAccessKeyInfo&Version=2011-06-15&AccessKeyId=AKIAIOSFODNN7EXAMPLE") +
                  post(extra=b"Connection: close\r\n"))
        self.assertEqual(out.count(b"HTTP/1.1 200 OK"), 3)
        first = out.index(b"GetCallerIdentityResponse")
        second = out.index(b"GetAccessKeyInfoResponse")
        third = out.rindex(b"GetCallerIdentityResponse")
        self.assertLess(first, second)
        self.assertLess(second, third)

    def test_chunked_request_body(self):
        body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(QUERY), QUERY)
        out = raw(self.stratus, b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + body)
        self.assertIn(b"HTTP/1.1 200 OK", out)
        self.assertIn(b"<Account>000000000000</Account>", out)

    def test_oversized_headers_431(self):
        out = raw(self.stratus, b"GET /_stratus/health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 431 "), out[:100])
        self.assertEqual(self.stratus.http("GET", "/_stratus/health")[0], 200)

    def test_body_over_limit_413_without_reading_it(self):
        out = raw(self.stratus, b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                b"X-Amz-Target: x\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request, "
                                b"SignedHeaders=host, Signature=00\r\nContent-Length: 500000000\r\n\r\n")
        # X-Amz-Target "x" names no service, so the default limit applies
        self.assertTrue(out.startswith(b"HTTP/1.1 413 "), out[:120])
        out = raw(self.stratus, b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                b"Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request, "
                                b"SignedHeaders=host, Signature=00\r\nContent-Length: 500000000\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 413 "), out[:120])
        self.assertIn(b"<Code>RequestEntityTooLarge</Code>", out)

    def test_garbage_bytes_400_and_close(self):
        out = raw(self.stratus, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 garbage not http\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 400 "), out[:100])
        self.assertIn(b"Connection: close", out)
        # still serving
        self.assertEqual(self.client("sts").get_caller_identity()["Account"], "000000000000")

    def test_keep_alive_reuses_connection(self):
        out = raw(self.stratus, post() + post(extra=b"Connection: close\r\n"))
        self.assertEqual(out.count(b"HTTP/1.1 200 OK"), 2)

    def test_get_query_protocol(self):
        st, h, body = self.stratus.http("GET", "/?Action=GetCallerIdentity&Version=2011-06-15")
        self.assertEqual(st, 200)
        self.assertIn(b"<Arn>arn:aws:iam::000000000000:root</Arn>", body)


@unittest.skipUnless(cli_available(), "AWS CLI v1 not available")
class CliV1(StratusTestCase):
    def test_get_caller_identity(self):
        out = json.loads(self.stratus.aws_cli("sts", "get-caller-identity").stdout)
        self.assertEqual(out["Account"], "000000000000")

    def test_assume_role(self):
        out = json.loads(self.stratus.aws_cli("sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/cli",
                                              "--role-session-name", "v1").stdout)
        self.assertEqual(out["AssumedRoleUser"]["Arn"], "arn:aws:sts::123456789012:assumed-role/cli/v1")

    def test_error_exit_code(self):
        # botocore checks lengths itself; the pattern is checked by the server
        p = self.stratus.aws_cli("sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/cli",
                                 "--role-session-name", "bad name!", check=False)
        self.assertEqual(p.returncode, 255)
        self.assertIn("An error occurred (ValidationError) when calling the AssumeRole operation: 1 validation error "
                      "detected: Value 'bad name!' at 'roleSessionName'", p.stderr)


@unittest.skipUnless(cli_available(v2=True), "AWS CLI v2 not available")
class CliV2(StratusTestCase):
    def test_get_caller_identity(self):
        out = json.loads(self.stratus.aws_cli("sts", "get-caller-identity", v2=True).stdout)
        self.assertEqual(out["Arn"], "arn:aws:iam::000000000000:root")

    def test_get_session_token(self):
        out = json.loads(self.stratus.aws_cli("sts", "get-session-token", "--duration-seconds", "900", v2=True).stdout)
        self.assertRegex(out["Credentials"]["AccessKeyId"], r"^ASIA")


class Shutdown(unittest.TestCase):
    def test_sigterm_finishes_an_in_flight_long_poll(self):
        import threading
        s = Stratus()
        try:
            sqs = s.client("sqs")
            url = sqs.create_queue(QueueName="shutdown-poll")["QueueUrl"]
            result = {}

            def poll():
                try:
                    result["r"] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=15)
                except Exception as e:  # pragma: no cover - reported below
                    result["e"] = e

            t = threading.Thread(target=poll)
            t.start()
            time.sleep(0.5)
            started = time.time()
            self.assertEqual(s.stop(), 0)
            t.join(10)
            self.assertNotIn("e", result, result.get("e"))
            self.assertEqual(result["r"].get("Messages", []), [])
            self.assertLess(time.time() - started, 5, "shutdown must not wait for the long poll's 15 s")
        finally:
            s.close()

    def test_sigterm_is_graceful(self):
        s = Stratus()
        try:
            self.assertEqual(s.client("sts").get_caller_identity()["Account"], "000000000000")
            self.assertEqual(s.stop(), 0)
            self.assertIn("Stopped.", s.output())
        finally:
            s.close()


if __name__ == "__main__":
    unittest.main()
