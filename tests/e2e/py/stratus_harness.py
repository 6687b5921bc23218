"""Starts a real `stratus` on an ephemeral port with a temporary data dir, for unittest suites.

Written for both interpreters the suite runs under: pyenv's python3 (boto3 1.43, JSON protocols)
and Debian's /usr/bin/python3 (boto3 1.26, query protocols for SQS).

    class MyTest(StratusTestCase):
        def test_x(self):
            sts = self.client("sts")
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
BIN = os.environ.get("STRATUS_BIN", os.path.join(ROOT, "build", "stratus"))

os.environ.setdefault("AWS_MAX_ATTEMPTS", "1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")


class Stratus:
    def __init__(self, args=(), data_dir=True, env=None):
        self.dir = tempfile.mkdtemp(prefix="stratus-e2e-")
        self.data_dir = os.path.join(self.dir, "data") if data_dir is True else (data_dir or None)
        self.args = list(args)
        self.env = dict(os.environ, **(env or {}))
        self.proc = None
        self.log_path = os.path.join(self.dir, "stratus.log")
        self.start()

    def start(self):
        port_file = os.path.join(self.dir, "port-%d" % time.time_ns())
        argv = [BIN, "--port", "0", "--port-file", port_file,
                "--log-level", os.environ.get("STRATUS_LOG_LEVEL", "info")]
        if self.data_dir:
            argv += ["--data-dir", self.data_dir]
        argv += self.args
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.time() + 15
        while not os.path.exists(port_file):
            if self.proc.poll() is not None:
                raise RuntimeError("stratus exited (%s) before serving:\n%s" % (self.proc.returncode, self.output()))
            if time.time() > deadline:
                raise RuntimeError("stratus did not start within 15 s:\n" + self.output())
            time.sleep(0.005)
        with open(port_file) as f:
            self.port = int(f.read().strip())
        self.endpoint = "http://127.0.0.1:%d" % self.port

    def output(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        """Graceful stop (SIGTERM); returns the exit code."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def kill9(self):
        self.proc.kill()
        self.proc.wait()
        self.log.close()

    def restart(self):
        if self.proc.poll() is None:
            self.stop()
        self.start()

    def close(self):
        self.stop()
        if os.environ.get("STRATUS_KEEP_TMP") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)

    def client(self, service, **kw):
        import boto3
        from botocore.config import Config
        kw.setdefault("region_name", "us-east-1")
        kw.setdefault("aws_access_key_id", "test")
        kw.setdefault("aws_secret_access_key", "test")
        kw.setdefault("config", Config(retries={"max_attempts": 1}))
        return boto3.client(service, endpoint_url=self.endpoint, **kw)

    def http(self, method, path, body=None, headers=None, timeout=30):
        """Raw HTTP: returns (status, headers dict with lower-case names, body bytes)."""
        data = body.encode() if isinstance(body, str) else body
        req = urllib.request.Request(self.endpoint + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()

    def reset(self):
        return self.http("POST", "/_stratus/reset")

    def advance_clock(self, seconds):
        return self.http("POST", "/_stratus/clock", json.dumps({"advance": seconds}))

    def aws_cli(self, *args, v2=False, check=True, env=None):
        """Runs the AWS CLI (pyenv's v1, or Debian's v2 with v2=True); returns CompletedProcess."""
        exe = "/usr/bin/aws" if v2 else shutil.which("aws")
        e = dict(os.environ, AWS_PAGER="", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
                 **(env or {}))
        p = subprocess.run([exe, "--endpoint-url", self.endpoint, "--output", "json"] + list(args),
                           capture_output=True, text=True, env=e, timeout=120)
        if check and p.returncode != 0:
            raise AssertionError("aws %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
        return p


def boto3_version():
    import boto3
    return tuple(int(x) for x in boto3.__version__.split(".")[:2])


def cli_available(v2=False):
    if os.environ.get("STRATUS_CLI_TESTS", "1") != "1":
        return False
    return os.path.exists("/usr/bin/aws") if v2 else shutil.which("aws") is not None


class StratusTestCase(unittest.TestCase):
    """One server per test class (started in setUpClass, stopped in tearDownClass)."""
    stratus_args = ()
    stratus_data_dir = True

    @classmethod
    def setUpClass(cls):
        cls.stratus = Stratus(args=cls.stratus_args, data_dir=cls.stratus_data_dir)

    @classmethod
    def tearDownClass(cls):
        cls.stratus.close()

    def client(self, service, **kw):
        return self.stratus.client(service, **kw)
