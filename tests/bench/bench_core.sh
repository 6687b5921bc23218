#!/usr/bin/env bash
# Core benchmark (issue: foundation): start → first successful request, idle RSS, and
# GetCallerIdentity throughput/latency with 64 keep-alive connections — Stratus and moto_server
# side by side in the same run. Prints a markdown section.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${STRATUS_BIN:-$PWD/build/stratus}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-64}
here=tests/bench

startup() { python3 $here/startup.py --runs "${1}" -- "${@:2}"; }
median() { python3 -c "import json,sys,statistics; d=json.loads(sys.argv[1]); print('%.1f' % statistics.median(d['ready_ms']))" "$1"; }
rss() { python3 -c "import json,sys; print('%.1f' % (json.loads(sys.argv[1])['rss_kib']/1024))" "$1"; }
rss_launch() { python3 -c "import json,sys; print('%.1f' % (json.loads(sys.argv[1])['rss_launch_kib']/1024))" "$1"; }

load() {  # port
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s $here/sts_query.lua "http://127.0.0.1:$1/" | grep '^RESULT'
}
field() { echo "$1" | grep -oE "$2=[0-9.]+" | cut -d= -f2; }

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

echo "## Core: start-up, memory, GetCallerIdentity (${CONNS} keep-alive connections, ${DURATION}s, wrk on the same $(nproc) cores)"
echo
s_start=$(startup 10 "$BIN" --port '{port}' --log-level warn)
port=$(free_port)
"$BIN" --port "$port" --log-level warn >/dev/null 2>&1 & spid=$!
sleep 0.5
s_load=$(load "$port")
kill $spid; wait $spid 2>/dev/null || true

have_moto=0
if command -v moto_server >/dev/null 2>&1; then
  have_moto=1
  m_start=$(startup 3 moto_server -H 127.0.0.1 -p '{port}')
  port=$(free_port)
  moto_server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 & mpid=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  m_load=$(load "$port")
  kill $mpid; wait $mpid 2>/dev/null || true
fi

ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print('%.1f×' % (a/b) if b else '–')" "$1" "$2"; }
echo "| metric | stratus | moto_server | ratio |"
echo "|---|---|---|---|"
if [ $have_moto = 1 ]; then
  echo "| start → first response (median) | $(median "$s_start") ms | $(median "$m_start") ms | $(ratio "$(median "$m_start")" "$(median "$s_start")") faster |"
  echo "| idle RSS after launch | $(rss_launch "$s_start") MiB | $(rss_launch "$m_start") MiB | $(ratio "$(rss_launch "$m_start")" "$(rss_launch "$s_start")") smaller |"
  echo "| idle RSS after a first request | $(rss "$s_start") MiB | $(rss "$m_start") MiB | $(ratio "$(rss "$m_start")" "$(rss "$s_start")") smaller |"
  echo "| GetCallerIdentity req/s | $(field "$s_load" rps) | $(field "$m_load" rps) | $(ratio "$(field "$s_load" rps)" "$(field "$m_load" rps)") |"
  echo "| p50 latency | $(field "$s_load" p50_us) µs | $(field "$m_load" p50_us) µs | |"
  echo "| p99 latency | $(field "$s_load" p99_us) µs | $(field "$m_load" p99_us) µs | |"
  echo "| errors | $(field "$s_load" errors) | $(field "$m_load" errors) | |"
else
  echo "| start → first response (median) | $(median "$s_start") ms | n/a | |"
  echo "| idle RSS after launch / after a first request | $(rss_launch "$s_start") / $(rss "$s_start") MiB | n/a | |"
  echo "| GetCallerIdentity req/s | $(field "$s_load" rps) | n/a | |"
  echo "| p50 / p99 latency | $(field "$s_load" p50_us) / $(field "$s_load" p99_us) µs | n/a | |"
fi
echo
echo "Targets: ready ≤ 10 ms, idle RSS ≤ 8 MiB, ≥ 30k req/s on 2 cores, ≥ 20× moto_server."
