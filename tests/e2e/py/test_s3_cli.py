"""The AWS CLI (v1 from pyenv, v2 from Debian) against Stratus S3: high-level `aws s3` commands
(cp with multipart, sync, ls, presign, rm) and s3api calls."""
import hashlib
import json
import os
import time
import shutil
import tempfile
import unittest
import urllib.parse
import uuid

from s3_helpers import S3TestCase
from stratus_harness import cli_available


class _CliMixin:
    v2 = False

    def setUp(self):
        if not cli_available(self.v2):
            self.skipTest("AWS CLI %s not available" % ("v2" if self.v2 else "v1"))
        self.tmp = tempfile.mkdtemp(prefix="s3cli-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def aws(self, *args, check=True):
        return self.stratus.aws_cli(*args, v2=self.v2, check=check)

    def test_cp_multipart_roundtrip(self):
        b = "cli-%s" % uuid.uuid4().hex[:10]
        self.aws("s3", "mb", "s3://" + b)
        src = os.path.join(self.tmp, "big.bin")
        data = os.urandom(20 * 1024 * 1024 + 123)
        with open(src, "wb") as f:
            f.write(data)
        self.aws("s3", "cp", src, "s3://%s/dir/big.bin" % b)
        head = json.loads(self.aws("s3api", "head-object", "--bucket", b, "--key", "dir/big.bin").stdout)
        self.assertEqual(head["ContentLength"], len(data))
        self.assertRegex(head["ETag"], r'^"[0-9a-f]{32}-\d+"$')  # uploaded in parts
        dst = os.path.join(self.tmp, "back.bin")
        self.aws("s3", "cp", "s3://%s/dir/big.bin" % b, dst)
        with open(dst, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), hashlib.sha256(data).hexdigest())
        out = self.aws("s3", "ls", "s3://%s/dir/" % b).stdout
        self.assertIn("big.bin", out)

    def test_sync_and_rm(self):
        b = "sync-%s" % uuid.uuid4().hex[:10]
        self.aws("s3", "mb", "s3://" + b)
        src = os.path.join(self.tmp, "site")
        os.makedirs(os.path.join(src, "css"))
        files = {"index.html": b"<h1>hi</h1>", "css/site.css": b"body{}", "with space.txt": b"s"}
        for name, body in files.items():
            with open(os.path.join(src, name), "wb") as f:
                f.write(body)
            # S3 keeps whole seconds: a file written in the upload's second looks newer to sync.
            past = time.time() - 3600
            os.utime(os.path.join(src, name), (past, past))
        self.aws("s3", "sync", src, "s3://%s/site" % b)
        listed = json.loads(self.aws("s3api", "list-objects-v2", "--bucket", b).stdout)
        self.assertEqual(sorted(o["Key"] for o in listed["Contents"]),
                         sorted("site/" + k for k in files))
        # A second sync uploads nothing (it compares sizes and times from the listing).
        self.assertNotIn("upload:", self.aws("s3", "sync", src, "s3://%s/site" % b).stdout)
        back = os.path.join(self.tmp, "back")
        self.aws("s3", "sync", "s3://%s/site" % b, back)
        for name, body in files.items():
            with open(os.path.join(back, name), "rb") as f:
                self.assertEqual(f.read(), body)
        self.aws("s3", "rm", "s3://%s/site" % b, "--recursive")
        # (CLI v2 prints nothing at all for a listing without keys.)
        self.assertNotIn("Contents", json.loads(self.aws("s3api", "list-objects-v2", "--bucket", b).stdout or "{}"))
        self.aws("s3", "rb", "s3://" + b)

    def test_presign(self):
        b = "presign-%s" % uuid.uuid4().hex[:10]
        self.aws("s3", "mb", "s3://" + b)
        src = os.path.join(self.tmp, "p.txt")
        with open(src, "wb") as f:
            f.write(b"presigned via cli")
        self.aws("s3", "cp", src, "s3://%s/p.txt" % b)
        url = self.aws("s3", "presign", "s3://%s/p.txt" % b, "--expires-in", "120").stdout.strip()
        u = urllib.parse.urlsplit(url)
        status, _, body = self.raw("GET", u.path + "?" + u.query)
        self.assertEqual((status, body), (200, b"presigned via cli"))

    def test_s3api_errors(self):
        p = self.aws("s3api", "get-object", "--bucket", "no-such-cli-bucket", "--key", "k",
                     os.path.join(self.tmp, "o"), check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("NoSuchBucket", p.stderr)


class S3CliV1(_CliMixin, S3TestCase):
    v2 = False


class S3CliV2(_CliMixin, S3TestCase):
    v2 = True


class S3CliV2Strict(_CliMixin, S3TestCase):
    """CLI v2 under --auth strict: its signed uploads (multipart, checksums), presigned URLs and
    s3api calls all pass signature verification."""
    v2 = True
    stratus_args = ("--auth", "strict", "--credentials", "test:test")
