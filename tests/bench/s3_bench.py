#!/usr/bin/env python3
"""S3 benchmarks, Stratus and s3rver side by side in one run (never part of the test suite).

    python3 tests/bench/s3_bench.py [--stratus build/stratus] [--s3rver $PEERS/node_modules/.bin/s3rver] [--markdown]

Measures, for each server: 1 KiB PUT and GET rates, 1 MiB GET throughput (s3_load, built from
tests/bench/s3_load.cpp by CMake: keep-alive connections, unsigned path-style requests); for Stratus
(with --data-dir and in memory) the RSS growth while a 200 MiB body is streamed in as the SDKs send
it (aws-chunked, CRC32 trailer) and while a 1 GiB object is uploaded and downloaded with curl.
Prints one JSON document, or a markdown table (--markdown; tests/bench/bench_s3.sh does that).
s3rver is installed under $PEERS (default /tmp/peers) by bench_s3.sh: npm install --prefix $PEERS s3rver@3
"""
import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_port(port, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("port %d did not open" % port)


def http(method, port, path, body=None):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=body, method=method)
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.status, r.read()


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def load(tool, port, bucket, op, size, conns, seconds, keys=100):
    out = subprocess.run([tool, str(port), bucket, op, str(size), str(conns), str(seconds), str(keys)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def scenario(tool, port, bucket, conns, seconds):
    res = {}
    res["put_1k"] = load(tool, port, bucket, "put", 1024, conns, seconds)
    res["get_1k"] = load(tool, port, bucket, "get", 1024, conns, seconds)
    load(tool, port, bucket, "put", 1 << 20, 2, 2, keys=20)  # seed 1 MiB objects
    res["get_1m"] = load(tool, port, bucket, "get", 1 << 20, conns, seconds, keys=20)
    return res


class RssPeak:
    """Samples a process's RSS every 20 ms while the block runs; .growth_mib is peak − start."""

    def __init__(self, pid):
        self.pid = pid

    def __enter__(self):
        self.base = rss_kib(self.pid)
        self.peak = self.base
        self.done = threading.Event()

        def sample():
            while not self.done.is_set():
                self.peak = max(self.peak, rss_kib(self.pid))
                time.sleep(0.02)

        self.thread = threading.Thread(target=sample)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()
        self.peak = max(self.peak, rss_kib(self.pid))
        self.growth_mib = round((self.peak - self.base) / 1024, 1)
        self.base_mib = round(self.base / 1024, 1)


def big_transfer(port, bucket, pid, path):
    """curl -T a 1 GiB file (Content-Length, Expect: 100-continue), then download it; the peak RSS
    growth of `pid` while doing so."""
    url = "http://127.0.0.1:%d/%s/big" % (port, bucket)
    with RssPeak(pid) as rss:
        t0 = time.time()
        subprocess.run(["curl", "-sS", "-f", "-T", path, url, "-o", "/dev/null"], check=True)
        up = time.time() - t0
        t0 = time.time()
        subprocess.run(["curl", "-sS", "-f", url, "-o", "/dev/null"], check=True)
        down = time.time() - t0
    size = os.path.getsize(path)
    return {"upload_s": round(up, 2), "download_s": round(down, 2), "upload_mb_per_s": round(size / up / 1e6),
            "download_mb_per_s": round(size / down / 1e6), "rss_base_mib": rss.base_mib, "rss_growth_mib": rss.growth_mib}


def chunked_put(port, bucket, pid, size, chunk=64 * 1024):
    """A PUT framed as the JS SDK v3 streams a body by default: Transfer-Encoding: chunked around
    aws-chunked frames (STREAMING-UNSIGNED-PAYLOAD-TRAILER) ending in a CRC32 trailer, the size
    only in x-amz-decoded-content-length. Returns timing and the server's RSS growth."""
    block = os.urandom(chunk)
    n = size // chunk
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(block, crc)
    trailer = "x-amz-checksum-crc32:%s\r\n" % base64.b64encode(crc.to_bytes(4, "big")).decode()
    frame = b"%x\r\n" % chunk + block + b"\r\n"
    tail = b"0\r\n" + trailer.encode() + b"\r\n"
    head = ("PUT /%s/chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Encoding: aws-chunked\r\n"
            "Transfer-Encoding: chunked\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\n"
            "x-amz-decoded-content-length: %d\r\nx-amz-trailer: x-amz-checksum-crc32\r\n"
            "Authorization: AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/s3/aws4_request, "
            "SignedHeaders=host, Signature=00\r\n\r\n" % (bucket, n * chunk)).encode()
    # The HTTP framing (Transfer-Encoding: chunked) wraps the aws-chunked payload.
    def http_chunk(data):
        return b"%x\r\n" % len(data) + data + b"\r\n"
    with RssPeak(pid) as rss:
        t0 = time.time()
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(head)
        for _ in range(n):
            sock.sendall(http_chunk(frame))
        sock.sendall(http_chunk(tail) + b"0\r\n\r\n")
        resp = b""
        while b"\r\n\r\n" not in resp:
            got = sock.recv(65536)
            if not got:
                break
            resp += got
        sock.close()
        took = time.time() - t0
    status = int(resp.split(b" ", 2)[1]) if resp.startswith(b"HTTP/1.1 ") else 0
    expected = trailer.split(":", 1)[1].strip()
    return {"status": status, "checksum_ok": ("x-amz-checksum-crc32: " + expected).lower().encode() in resp.lower(),
            "seconds": round(took, 2), "mb_per_s": round(n * chunk / took / 1e6), "rss_base_mib": rss.base_mib,
            "rss_growth_mib": rss.growth_mib}


def start_stratus(binary, port, data_dir):
    argv = [binary, "--port", str(port), "--log-level", "warn"]
    if data_dir:
        argv += ["--data-dir", data_dir]
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port)
    return p


def markdown(results, args):
    s, r = results["stratus"], results.get("s3rver")
    conns = args.connections
    out = ["## S3 (Stratus --data-dir vs s3rver, %d keep-alive connections, %gs per step, load generator on the same cores)"
           % (conns, args.seconds), "",
           "| metric | stratus | s3rver | ratio | target |", "|---|---|---|---|---|"]
    rows = [("1 KiB PUT/s", "put_1k", "req_per_s", "≥ 5×"), ("1 KiB GET/s", "get_1k", "req_per_s", "≥ 5×"),
            ("1 MiB GET MB/s", "get_1m", "mb_per_s", "≥ 2× and ≥ 1000 MB/s")]
    for label, key, field, target in rows:
        a = s[key][field]
        b = r[key][field] if r else None
        ratio = "%.1f×" % (a / b) if b else "–"
        out.append("| %s | %.0f | %s | %s | %s |" % (label, a, "%.0f" % b if b is not None else "n/a", ratio, target))
    errors = sum(v["errors"] for v in s.values() if isinstance(v, dict) and "errors" in v)
    out.append("| errors | %d | %s | | 0 |" % (errors, sum(v["errors"] for v in r.values()) if r else "n/a"))
    out.append("")
    big = [(k, v) for k, v in results.items() if k.startswith(("big_", "chunked_", "huge_"))]
    if big:
        out += ["| large body (Stratus) | time | MB/s | RSS growth | target |", "|---|---|---|---|---|"]
        for k, v in big:
            if k.startswith(("big_", "huge_")):
                mode, mib = k.split("_", 1)[1], args.big_mib if k.startswith("big_") else args.huge_gib << 10
                out.append("| %s: curl -T %d MiB, then GET | %.1f s up, %.1f s down | %d up, %d down | %.1f MiB | < 20 MB |"
                           % (mode, mib, v["upload_s"], v["download_s"], v["upload_mb_per_s"], v["download_mb_per_s"],
                              v["rss_growth_mib"]))
            else:
                out.append("| %s: aws-chunked PUT of %d MiB, CRC32 trailer (status %d, checksum %s) | %.1f s | %d | %.1f MiB | < 20 MB |"
                           % (k[8:], args.chunked_mib, v["status"], "ok" if v["checksum_ok"] else "WRONG", v["seconds"],
                              v["mb_per_s"], v["rss_growth_mib"]))
    if not r:
        out += ["", "(s3rver not found at %s: `npm install --prefix $PEERS s3rver@3`)" % args.s3rver]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stratus", default=os.path.join(ROOT, "build", "stratus"))
    ap.add_argument("--s3rver", default=os.path.join(os.environ.get("PEERS", "/tmp/peers"), "node_modules", ".bin", "s3rver"))
    ap.add_argument("--load", help="the s3_load binary (default: tests/bench/s3_load beside --stratus)")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--big-mib", type=int, default=1024, help="size of the curl upload+download (0: skip)")
    ap.add_argument("--chunked-mib", type=int, default=200, help="size of the aws-chunked streamed PUT (0: skip)")
    ap.add_argument("--huge-gib", type=int, default=0, help="also a single PUT (and GET) of this many GiB, e.g. 5 (0: skip)")
    ap.add_argument("--markdown", action="store_true", help="a report table instead of JSON")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="s3bench-")
    tool = args.load or os.path.join(os.path.dirname(os.path.abspath(args.stratus)), "tests", "bench", "s3_load")
    if not os.path.exists(tool):
        sys.exit("no load generator at %s: build the s3_load target (tests/bench/CMakeLists.txt)" % tool)
    results = {}
    procs = []
    try:
        port = free_port()
        sp = start_stratus(args.stratus, port, os.path.join(tmp, "stratus-data"))
        procs.append(sp)
        http("PUT", port, "/bench")
        results["stratus"] = scenario(tool, port, "bench", args.connections, args.seconds)
        if args.chunked_mib:
            results["chunked_data_dir"] = chunked_put(port, "bench", sp.pid, args.chunked_mib << 20)
        if args.big_mib:
            big = os.path.join(tmp, "big.bin")
            with open(big, "wb") as f:
                f.truncate(args.big_mib << 20)
            results["big_data_dir"] = big_transfer(port, "bench", sp.pid, big)
            os.remove(big)
        if args.huge_gib:
            # S3's largest single PUT (5 GiB): streamed to disk, never held in memory.
            huge = os.path.join(tmp, "huge.bin")
            with open(huge, "wb") as f:
                f.truncate(args.huge_gib << 30)
            results["huge_data_dir"] = big_transfer(port, "bench", sp.pid, huge)
            os.remove(huge)
        sp.terminate()
        sp.wait()
        if args.big_mib or args.chunked_mib:
            # In memory (no --data-dir): large bodies spill to temporary files all the same.
            port = free_port()
            mp = start_stratus(args.stratus, port, None)
            procs.append(mp)
            http("PUT", port, "/bench")
            if args.chunked_mib:
                results["chunked_in_memory"] = chunked_put(port, "bench", mp.pid, args.chunked_mib << 20)
            if args.big_mib:
                big = os.path.join(tmp, "big.bin")
                with open(big, "wb") as f:
                    f.truncate(args.big_mib << 20)
                results["big_in_memory"] = big_transfer(port, "bench", mp.pid, big)
                os.remove(big)
            mp.terminate()
            mp.wait()
        if os.path.exists(args.s3rver):
            port = free_port()
            rp = subprocess.Popen([args.s3rver, "--port", str(port), "--address", "127.0.0.1", "--silent",
                                   "--directory", os.path.join(tmp, "s3rver-data")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs.append(rp)
            wait_port(port)
            http("PUT", port, "/bench")
            results["s3rver"] = scenario(tool, port, "bench", args.connections, args.seconds)
            rp.terminate()
            rp.wait()
            s, r = results["stratus"], results["s3rver"]
            results["ratios"] = {
                "put_1k": round(s["put_1k"]["req_per_s"] / max(r["put_1k"]["req_per_s"], 1e-9), 2),
                "get_1k": round(s["get_1k"]["req_per_s"] / max(r["get_1k"]["req_per_s"], 1e-9), 2),
                "get_1m_throughput": round(s["get_1m"]["mb_per_s"] / max(r["get_1m"]["mb_per_s"], 1e-9), 2),
            }
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    if args.markdown:
        print(markdown(results, args))
    else:
        json.dump(results, sys.stdout, indent=2)
        print()


if __name__ == "__main__":
    main()
