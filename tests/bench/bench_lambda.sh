#!/usr/bin/env bash
# Lambda benchmark (issue 6): cold start of a node hello-world against `node -e ''` in the same run,
# warm Invoke overhead above a no-op API call (and the CPU per invoke), 100 concurrent invokes,
# and the CPU idle environments cost. See tests/bench/lambda_bench.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${STRATUS_BIN:-$PWD/build/stratus}
echo "## Lambda"
echo
echo '```'
STRATUS_BIN=$BIN node --no-warnings tests/bench/lambda_bench.mjs --warm "${BENCH_LAMBDA_WARM:-5000}" 2>&1 \
  | grep -vE 'NodeVersionSupportWarning|node >=22|a\.co/|trace-warnings|^$|To continue receiving|and security updates|More information'
echo '```'
