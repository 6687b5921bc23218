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
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
cycle() {  # port pid [connections] → RESULT line plus the server's CPU seconds
  local url c0 c1 out; url=$(create_queue "$1" "bench-$RANDOM")
  c0=$(cpu_ticks "$2")
  out=$(QUEUE_URL=$url wrk -t1 -c"${3:-$CONNS}" -d"${DURATION}s" --latency -s $here/sqs_cycle.lua "http://127.0.0.1:$1/" | grep '^RESULT')
  c1=$(cpu_ticks "$2")
  echo "$out cpu_s=$(python3 -c "import os; print(($c1-$c0)/os.sysconf('SC_CLK_TCK'))")"
}
per_cpu() { python3 -c "import sys; m,c,d=map(float,sys.argv[1:]); print('%.0f' % (m*d/c) if c else '–')" "$(field "$1" msgs)" "$(field "$1" cpu_s)" "$DURATION"; }

echo "## SQS: send + receive + delete, batches of 10 (${CONNS} connections, ${DURATION}s, wrk on the same $(nproc) cores)"
echo
data=$(mktemp -d)
port=$(free_port)
"$BIN" --port "$port" --log-level warn --data-dir "$data" >/dev/null 2>&1 & spid=$!
sleep 0.5
port2=$(free_port)
"$BIN" --port "$port2" --log-level warn >/dev/null 2>&1 & mem_pid=$!
sleep 0.3
s_mem=$(cycle "$port2" $mem_pid)
kill $mem_pid; wait $mem_pid 2>/dev/null || true
s_cycle=$(cycle "$port" $spid)
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
  m_cycle=$(cycle "$port" $mpid)
  m_one=$(cycle "$port" $mpid 1)
  kill $mpid; wait $mpid 2>/dev/null || true
fi

ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print('%.1f×' % (a/b) if b else '–')" "$1" "$2"; }
echo "| metric | stratus --data-dir | stratus in memory | moto_server | ratio (data dir / moto) |"
echo "|---|---|---|---|---|"
m_msgs=$( [ $have_moto = 1 ] && field "$m_cycle" msgs || echo 0)
echo "| messages/s sent+received+deleted | $(field "$s_cycle" msgs) | $(field "$s_mem" msgs) | ${m_msgs} | $(ratio "$(field "$s_cycle" msgs)" "$m_msgs") |"
echo "| messages per server CPU-second | $(per_cpu "$s_cycle") | $(per_cpu "$s_mem") | $( [ $have_moto = 1 ] && per_cpu "$m_cycle" || echo n/a) | |"
echo "| requests/s | $(field "$s_cycle" rps) | $(field "$s_mem" rps) | $( [ $have_moto = 1 ] && field "$m_cycle" rps || echo n/a) | |"
echo "| p50 / p99 latency (µs) | $(field "$s_cycle" p50_us) / $(field "$s_cycle" p99_us) | $(field "$s_mem" p50_us) / $(field "$s_mem" p99_us) | $( [ $have_moto = 1 ] && echo "$(field "$m_cycle" p50_us) / $(field "$m_cycle" p99_us)" || echo n/a) | |"
echo "| errors | $(field "$s_cycle" errors) | $(field "$s_mem" errors) | $( [ $have_moto = 1 ] && field "$m_cycle" errors || echo n/a) | |"
[ $have_moto = 1 ] && echo "| moto_server with 1 connection (its best case) | | | $(field "$m_one" msgs) msgs/s | |"
echo
echo "| long polls | server CPU while parked | wake-up latency (send → poll returns) |"
echo "|---|---|---|"
echo "| $(field "$s_lp" polls) | $(field "$s_lp" cpu_pct) % | $(field "$s_lp" wake_ms) ms |"
echo
echo "Targets: ≥ 20k messages/s and ≥ 20× moto_server; parked polls cost ≈ 0 CPU."
