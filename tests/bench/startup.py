#!/usr/bin/env python3
"""Measures a server's start → first successful response, and its idle RSS.

usage: startup.py --runs N --request-kind {sts-query} -- <command with {port}>
Prints JSON: {"ready_ms": [...], "rss_kib": N, "rss_launch_kib": N}: rss_kib is the RSS once idle after
the first response; rss_launch_kib once idle after launch, before any request (a server that starts
its services on first use, as Stratus does in memory, has not started any then).
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time

BODY = b"Action=GetCallerIdentity&Version=2011-06-15"
AUTH = (b"AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/sts/aws4_request, "
        b"SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def request(port):
    req = (b"POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/x-www-form-urlencoded\r\n"
           b"X-Amz-Date: 20240101T000000Z\r\nAuthorization: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
           % (port, AUTH, len(BODY), BODY))
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    try:
        s.sendall(req)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return data.startswith(b"HTTP/1.1 200") or data.startswith(b"HTTP/1.0 200")
    finally:
        s.close()


def rss_kib(pid):
    total = 0
    # the server and its children (moto_server forks nothing; werkzeug may)
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--settle", type=float, default=1.0)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    ready, rss = [], 0
    for i in range(a.runs):
        port = free_port()
        argv = [c.replace("{port}", str(port)) for c in cmd]
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ok = False
        deadline = t0 + 60
        while time.perf_counter() < deadline:
            try:
                if request(port):
                    ok = True
                    break
            except OSError:
                pass
            time.sleep(0.0002)
        t1 = time.perf_counter()
        if not ok:
            p.kill()
            sys.exit("server did not answer: %s" % " ".join(argv))
        ready.append((t1 - t0) * 1000)
        if i == a.runs - 1:
            time.sleep(a.settle)
            rss = rss_kib(p.pid)
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    # Idle after launch, no request yet: wait until the port accepts, then settle.
    port = free_port()
    p = subprocess.Popen([c.replace("{port}", str(port)) for c in cmd], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.001)
    time.sleep(a.settle)
    rss_launch = rss_kib(p.pid)
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    print(json.dumps({"ready_ms": ready, "rss_kib": rss, "rss_launch_kib": rss_launch}))


if __name__ == "__main__":
    main()
