#!/usr/bin/env python3
"""S3 benchmarks, Stratus and s3rver side by side in one run (never part of the test suite).

    python3 tests/bench/s3_bench.py [--stratus build/stratus] [--s3rver /tmp/peers/node_modules/.bin/s3rver]

Measures, for each server: 1 KiB PUT and GET rates, 1 MiB GET throughput (tests/bench/s3_load.cpp,
keep-alive connections, unsigned path-style requests), and for Stratus the RSS growth while a
1 GiB object is uploaded and downloaded with curl. Prints one JSON document.
Install s3rver in a scratch directory first: mkdir -p /tmp/peers && cd /tmp/peers && npm install s3rver@3
"""
import argparse
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


def big_transfer(port, bucket, pid, path):
    """curl -T a 1 GiB file, then download it; the peak RSS growth of `pid` while doing so."""
    base = rss_kib(pid)
    peak = [base]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kib(pid))
            time.sleep(0.02)

    t = threading.Thread(target=sample)
    t.start()
    t0 = time.time()
    subprocess.run(["curl", "-sS", "-f", "-T", path, "http://127.0.0.1:%d/%s/big" % (port, bucket), "-o", "/dev/null"],
                   check=True)
    up = time.time() - t0
    t0 = time.time()
    subprocess.run(["curl", "-sS", "-f", "http://127.0.0.1:%d/%s/big" % (port, bucket), "-o", "/dev/null"], check=True)
    down = time.time() - t0
    done.set()
    t.join()
    return {"upload_s": round(up, 2), "download_s": round(down, 2), "rss_base_mib": round(base / 1024, 1),
            "rss_growth_mib": round((peak[0] - base) / 1024, 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stratus", default=os.path.join(ROOT, "build", "stratus"))
    ap.add_argument("--s3rver", default="/tmp/peers/node_modules/.bin/s3rver")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--skip-big", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="s3bench-")
    tool = os.path.join(tmp, "s3_load")
    subprocess.run(["g++", "-O2", "-std=c++20", "-pthread", os.path.join(HERE, "s3_load.cpp"), "-o", tool], check=True)
    results = {}
    procs = []
    try:
        port = free_port()
        sp = subprocess.Popen([args.stratus, "--port", str(port), "--log-level", "warn", "--data-dir",
                               os.path.join(tmp, "stratus-data")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(sp)
        wait_port(port)
        http("PUT", port, "/bench")
        results["stratus"] = scenario(tool, port, "bench", args.connections, args.seconds)
        if not args.skip_big:
            big = os.path.join(tmp, "big.bin")
            with open(big, "wb") as f:
                f.truncate(1 << 30)
            results["stratus"]["big_1g"] = big_transfer(port, "bench", sp.pid, big)
            os.remove(big)
        sp.terminate()
        sp.wait()
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
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
