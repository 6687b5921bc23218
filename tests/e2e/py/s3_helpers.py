"""Shared helpers for the S3 suites (test_s3*.py): a test case with an S3 client and fresh
bucket names, raw HTTP for what boto3 cannot send (virtual hosts, forms, preflights), and
multipart/form-data bodies for browser POST uploads."""
import hashlib
import http.client
import uuid

from botocore.config import Config
from botocore.exceptions import ClientError

from stratus_harness import StratusTestCase, boto3_version


def has_param(client, operation, name):
    """Whether this botocore's model knows an input member (1.26 predates conditional writes, CRC64NVME...)."""
    shape = client.meta.service_model.operation_model(operation).input_shape
    return shape is not None and name in shape.members


class S3TestCase(StratusTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3 = cls.stratus.client("s3", config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))

    def bucket(self, prefix="b", **create):
        name = "%s-%s" % (prefix, uuid.uuid4().hex[:12])
        self.s3.create_bucket(Bucket=name, **create)
        return name

    def error(self, fn, *args, **kwargs):
        """Calls fn expecting a ClientError; returns (code, status, error dict, response)."""
        with self.assertRaises(ClientError) as cm:
            fn(*args, **kwargs)
        r = cm.exception.response
        return r["Error"].get("Code"), r["ResponseMetadata"]["HTTPStatusCode"], r["Error"], r

    def raw(self, method, path, body=None, headers=None):
        """Raw HTTP on the server's port: (status, headers with lower-case names, body bytes)."""
        c = http.client.HTTPConnection("127.0.0.1", self.stratus.port, timeout=30)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()


def md5_hex(data):
    return hashlib.md5(data).hexdigest()


def new_boto3():
    return boto3_version() >= (1, 36)


def multipart_form(fields, file_name="upload.txt", file_body=b"", file_type="text/plain", file_first=False):
    boundary = "----stratus%s" % uuid.uuid4().hex
    out = b""
    parts = list(fields.items())
    file_part = (b"--" + boundary.encode() + b"\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
                 file_name.encode() + b"\"\r\nContent-Type: " + file_type.encode() + b"\r\n\r\n" + file_body + b"\r\n")
    if file_first:
        out += file_part
    for k, v in parts:
        out += (b"--" + boundary.encode() + b"\r\nContent-Disposition: form-data; name=\"" + k.encode() +
                b"\"\r\n\r\n" + (v if isinstance(v, bytes) else str(v).encode()) + b"\r\n")
    if not file_first:
        out += file_part
    out += b"--" + boundary.encode() + b"--\r\n"
    return out, "multipart/form-data; boundary=" + boundary
