#!/usr/bin/env bash
# API Gateway benchmark (issue 7): HTTP API → warm node Lambda → response, with 32 keep-alive
# connections. Stratus is compared with the same handler invoked directly through Lambda's Invoke
# API (the handler's own cost) and, when installed, with serverless-offline (npm, in
# ${PEERS:-/tmp/peers}: `npm i serverless@3 serverless-offline@13` there) in the same run.
# Prints a markdown section.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${STRATUS_BIN:-$PWD/build/stratus}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-32}
# Each server is warmed at full concurrency before it is measured, to measure both in their steady
# state. Stratus runs one node process per concurrent request (as Lambda does), and each compiles
# the handler and the runtime client with its own JIT: 10 s. serverless-offline runs every handler
# in one process, warm after 3 s, and gets slower the longer it runs (2.5k req/s after 3 s, 1.7k
# after 10 s here): it is measured at its best, after 3 s.
WARMUP=${BENCH_WARMUP:-10}
PEER_WARMUP=${BENCH_PEER_WARMUP:-3}
PEERS=${PEERS:-/tmp/peers}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
load() {  # url [connections] [wrk script]
  local c=${2:-$CONNS} t=2
  [ "$c" -lt 2 ] && t=1
  wrk -t$t -c"$c" -d"${DURATION}s" --latency ${3:+-s "$3"} "$1" | awk '
    function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /s$/) return v * 1000000; return v }
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2; p50us=us($2)} /^ +99%/ {p99=$2}
    /Non-2xx/ {err=$NF}
    END {printf "rps=%s p50=%s p99=%s errors=%s p50us=%d\n", rps, p50, p99, err+0, p50us}'
}
field() { echo "$1" | grep -oE "$2=[^ ]+" | cut -d= -f2; }

cat > "$work/handler.js" <<'EOF'
exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ ok: true, path: event.rawPath || event.path }) });
EOF
(cd "$work" && python3 -c "import zipfile; z=zipfile.ZipFile('fn.zip','w'); z.write('handler.js','index.js'); z.close()")

port=$(free_port)
"$BIN" --port "$port" --log-level warn >"$work/stratus.log" 2>&1 &
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/_stratus/health" && break; sleep 0.05; done
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
api_id=$(python3 - "$port" "$work/fn.zip" <<'EOF'
import sys, time, boto3
port, zpath = sys.argv[1], sys.argv[2]
ep = "http://127.0.0.1:%s" % port
lam = boto3.client("lambda", endpoint_url=ep)
fn = lam.create_function(FunctionName="bench", Runtime="nodejs20.x", Role="arn:aws:iam::000000000000:role/r",
                         Handler="index.handler", Code={"ZipFile": open(zpath, "rb").read()})
for _ in range(100):
    if lam.get_function(FunctionName="bench")["Configuration"]["State"] == "Active":
        break
    time.sleep(0.05)
v2 = boto3.client("apigatewayv2", endpoint_url=ep)
api = v2.create_api(Name="bench", ProtocolType="HTTP", Target=fn["FunctionArn"])
print(api["ApiId"])
EOF
)
url="http://127.0.0.1:$port/_aws/execute-api/$api_id/hello"
for _ in $(seq 50); do curl -s -o /dev/null "$url"; done  # warm
# Warm at full concurrency too: Lambda scales out to one environment per concurrent request (cold
# starts belong to no steady-state number).
wrk -t2 -c"$CONNS" -d"${WARMUP}s" "$url" >/dev/null
s=$(load "$url")
# Overhead over the handler: one connection, the same warm function through API Gateway and
# through Lambda's own Invoke API (POST /2015-03-31/functions/bench/invocations).
cat > "$work/invoke.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"rawPath": "/hello"}'
wrk.headers["Content-Type"] = "application/json"
EOF
s1=$(load "$url" 1)
d1=$(load "http://127.0.0.1:$port/2015-03-31/functions/bench/invocations" 1 "$work/invoke.lua")

have_sls=0
if [ -x "$PEERS/node_modules/.bin/serverless" ] && [ -d "$PEERS/node_modules/serverless-offline" ]; then
  have_sls=1
  mkdir -p "$work/sls" && cp "$work/handler.js" "$work/sls/handler.js"
  sport=$(free_port)
  cat > "$work/sls/serverless.yml" <<EOF
service: bench
frameworkVersion: '3'
provider: { name: aws, runtime: nodejs20.x }
plugins: [serverless-offline]
custom: { serverless-offline: { httpPort: $sport, lambdaPort: $(free_port), noPrependStageInUrl: true } }
functions: { hello: { handler: handler.handler, events: [ { httpApi: { path: /hello, method: get } } ] } }
EOF
  ln -s "$PEERS/node_modules" "$work/sls/node_modules"
  (cd "$work/sls" && SLS_TELEMETRY_DISABLED=1 ./node_modules/.bin/serverless offline start >"$work/sls.log" 2>&1) &
  for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$sport/hello" && break; sleep 0.1; done
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$sport/hello"; done
  wrk -t2 -c"$CONNS" -d"${PEER_WARMUP}s" "http://127.0.0.1:$sport/hello" >/dev/null
  o=$(load "http://127.0.0.1:$sport/hello")
fi

ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print('%.1f×' % (a/b) if b else '–')" "$1" "$2"; }
echo "## API Gateway: HTTP API → warm node Lambda (${CONNS} keep-alive connections, ${DURATION}s after ${WARMUP}s of warm-up (serverless-offline: ${PEER_WARMUP}s), wrk on the same $(nproc) cores)"
echo
echo "| metric | stratus | serverless-offline | ratio |"
echo "|---|---|---|---|"
if [ $have_sls = 1 ]; then
  echo "| req/s | $(field "$s" rps) | $(field "$o" rps) | $(ratio "$(field "$s" rps)" "$(field "$o" rps)") |"
  echo "| p50 | $(field "$s" p50) | $(field "$o" p50) | |"
  echo "| p99 | $(field "$s" p99) | $(field "$o" p99) | |"
  echo "| non-2xx | $(field "$s" errors) | $(field "$o" errors) | |"
else
  echo "| req/s | $(field "$s" rps) | not installed | |"
  echo "| p50 / p99 | $(field "$s" p50) / $(field "$s" p99) | | |"
fi
echo
echo "One connection, p50: HTTP API → Lambda $(field "$s1" p50), Lambda Invoke API $(field "$d1" p50) (same warm handler):" \
  "API Gateway adds $(python3 -c "import sys; print('%.3f ms' % ((int(sys.argv[1]) - int(sys.argv[2])) / 1000))" "$(field "$s1" p50us)" "$(field "$d1" p50us)")."
echo
echo "Targets: ≤ 0.5 ms p50 overhead over the handler, ≥ 3× serverless-offline's req/s."
