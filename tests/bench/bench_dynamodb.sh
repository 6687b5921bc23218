#!/usr/bin/env bash
# DynamoDB benchmark (issue 3) for the report: PutItem/GetItem side by side with dynalite (installed
# under $PEERS, default /tmp/peers, on first use), a Query page from a large partition, and RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
PEERS=${PEERS:-/tmp/peers}
if [ ! -f "$PEERS/node_modules/dynalite/cli.js" ]; then
  npm install --silent --no-audit --no-fund --prefix "$PEERS" dynalite >/dev/null 2>&1 || echo "(could not install dynalite)"
fi
echo "## DynamoDB (Stratus vs dynalite, wrk ${BENCH_CONNECTIONS:-64} connections)"
echo
echo '```'
PEERS=$PEERS node tests/bench/dynamodb_bench.mjs --duration "${BENCH_DURATION:-10}" --connections "${BENCH_CONNECTIONS:-64}" \
  --query-items "${BENCH_QUERY_ITEMS:-200000}" --rss-items "${BENCH_RSS_ITEMS:-100000}"
echo '```'
