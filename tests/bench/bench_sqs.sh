#!/usr/bin/env bash
# SQS benchmark (issue 5): send + receive + delete in batches of 10 over 16 keep-alive connections
# (JSON protocol), Stratus and moto_server side by side in the same run; then 1,000 parked long
# polls: server CPU while they wait, and the wake-up latency when a message arrives.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${STRATUS_BIN:-$PWD/build/stratus}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-16}
POLLS=${BENCH_POLLS:-1000}
here=tests/bench
ulimit -n 8192 2>/dev/null || true

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
field() { echo "$1" | grep -oE "$2=[0-9.]+" | cut -d= -f2; }
create_queue() {  # port name → queue URL
  curl -s -X POST "http://127.0.0.1:$1/" -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'X-Amz-Target: AmazonSQS.CreateQueue' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00' \
    -d "{\"QueueName\":\"$2\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["QueueUrl"])'
}
cycle() {  # port
  local url; url=$(create_queue "$1" "bench-$RANDOM")
  QUEUE_URL=$url wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency -s $here/sqs_cycle.lua "http://127.0.0.1:$1/" | grep '^RESULT'
}

echo "## SQS: send + receive + delete, batches of 10 (${CONNS} connections, ${DURATION}s, wrk on the same $(nproc) cores)"
echo
data=$(mktemp -d)
port=$(free_port)
"$BIN" --port "$port" --log-level warn --data-dir "$data" >/dev/null 2>&1 & spid=$!
sleep 0.5
s_cycle=$(cycle "$port")
lp_url=$(create_queue "$port" longpoll)
s_lp=$(python3 $here/sqs_longpoll.py --port "$port" --pid $spid --queue-url "$lp_url" --polls "$POLLS" | grep '^RESULT')
kill $spid; wait $spid 2>/dev/null || true
rm -rf "$data"

have_moto=0
if command -v moto_server >/dev/null 2>&1; then
  have_moto=1
  port=$(free_port)
  moto_server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 & mpid=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  m_cycle=$(cycle "$port")
  kill $mpid; wait $mpid 2>/dev/null || true
fi

ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print('%.1f×' % (a/b) if b else '–')" "$1" "$2"; }
echo "| metric | stratus (--data-dir) | moto_server | ratio |"
echo "|---|---|---|---|"
if [ $have_moto = 1 ]; then
  echo "| messages/s (sent, received and deleted) | $(field "$s_cycle" msgs) | $(field "$m_cycle" msgs) | $(ratio "$(field "$s_cycle" msgs)" "$(field "$m_cycle" msgs)") |"
  echo "| requests/s | $(field "$s_cycle" rps) | $(field "$m_cycle" rps) | |"
  echo "| p50 / p99 latency | $(field "$s_cycle" p50_us) / $(field "$s_cycle" p99_us) µs | $(field "$m_cycle" p50_us) / $(field "$m_cycle" p99_us) µs | |"
  echo "| errors | $(field "$s_cycle" errors) | $(field "$m_cycle" errors) | |"
else
  echo "| messages/s (sent, received and deleted) | $(field "$s_cycle" msgs) | n/a | |"
  echo "| p50 / p99 latency | $(field "$s_cycle" p50_us) / $(field "$s_cycle" p99_us) µs | n/a | |"
fi
echo
echo "| long polls | server CPU while parked | wake-up latency (send → poll returns) |"
echo "|---|---|---|"
echo "| $(field "$s_lp" polls) | $(field "$s_lp" cpu_pct) % | $(field "$s_lp" wake_ms) ms |"
echo
echo "Targets: ≥ 20k messages/s and ≥ 20× moto_server; parked polls cost ≈ 0 CPU."
