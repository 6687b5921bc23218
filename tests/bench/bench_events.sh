#!/usr/bin/env bash
# EventBridge benchmark (issue 8): pattern matching against 1,000 rules on one bus (Google Benchmark,
# target >= 100k events/s) and PutEvents → rule → SQS end to end (target >= 10k entries/s).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD_DIR:-$PWD/build}
BIN=${STRATUS_BIN:-$BUILD/stratus}
echo "## EventBridge"
echo
echo '```'
MICRO=$BUILD/tests/bench/stratus_microbench
[ -x "$MICRO" ] || MICRO=$BUILD/stratus_microbench
"$MICRO" --benchmark_filter='BM_Events' --benchmark_min_time=1 2>&1 | grep -E '^(BM_|Benchmark|-)'
echo '```'
echo
echo "PutEvents → SQS end to end:"
echo '```'
STRATUS_BIN=$BIN node tests/bench/events_bench.mjs "${BENCH_EVENTS:-50000}" "${BENCH_CONNECTIONS:-16}" 1000 2>/dev/null
echo '```'
