"""Parks N long polls (ReceiveMessage, WaitTimeSeconds=20) on one queue and reports the server's
CPU use while they wait, then the wake-up latency of a poll when a message arrives.

    python3 sqs_longpoll.py --port 4566 --pid <server pid> --queue-url http://.../q [--polls 1000]
"""
import argparse
import asyncio
import json
import os
import time

HEADERS = ("Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.{op}\r\n"
           "Authorization: AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/sqs/aws4_request, "
           "SignedHeaders=host, Signature=00\r\n")


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def call(port, op, body):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    data = json.dumps(body).encode()
    writer.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % port + HEADERS.format(op=op) +
                  "Content-Length: %d\r\n\r\n" % len(data)).encode() + data)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0].split(b":")[1])
    payload = await reader.readexactly(length)
    writer.close()
    return json.loads(payload)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--queue-url", required=True)
    ap.add_argument("--polls", type=int, default=1000)
    ap.add_argument("--idle", type=float, default=5.0)
    a = ap.parse_args()
    polls = [asyncio.ensure_future(call(a.port, "ReceiveMessage", {"QueueUrl": a.queue_url, "WaitTimeSeconds": 20}))
             for _ in range(a.polls)]
    await asyncio.sleep(2)  # all connected and parked
    c0, t0 = cpu_seconds(a.pid), time.monotonic()
    await asyncio.sleep(a.idle)
    c1, t1 = cpu_seconds(a.pid), time.monotonic()
    for t in polls:
        t.cancel()
    await asyncio.sleep(0.5)
    # Wake-up latency: one parked poll, one message; send → the poll's answer, median of 20. On a
    # fresh queue: the cancelled polls above stay parked server-side until their 20 s are up.
    name = a.queue_url.rsplit("/", 1)[1] + "-wake"
    a.queue_url = (await call(a.port, "CreateQueue", {"QueueName": name}))["QueueUrl"]
    samples, got = [], 0
    for _ in range(20):
        poll = asyncio.ensure_future(call(a.port, "ReceiveMessage", {"QueueUrl": a.queue_url, "WaitTimeSeconds": 20}))
        await asyncio.sleep(0.05)
        start = time.monotonic()
        sender = asyncio.ensure_future(call(a.port, "SendMessage", {"QueueUrl": a.queue_url, "MessageBody": "wake"}))
        r = await poll
        samples.append((time.monotonic() - start) * 1000)
        await sender
        for m in r.get("Messages", []):
            got += 1
            await call(a.port, "DeleteMessage", {"QueueUrl": a.queue_url, "ReceiptHandle": m["ReceiptHandle"]})
    samples.sort()
    print("RESULT polls=%d cpu_pct=%.2f wake_ms=%.2f delivered=%d" %
          (a.polls, 100 * (c1 - c0) / (t1 - t0), samples[len(samples) // 2], got))


asyncio.run(main())
