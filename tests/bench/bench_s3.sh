#!/usr/bin/env bash
# S3 benchmark (issue 4) for the report: 1 KiB PUT/GET rates and 1 MiB GET throughput side by side
# with s3rver (npm, installed under $PEERS, default /tmp/peers, on first use), and the RSS growth of
# a 200 MiB aws-chunked streamed PUT and of a 1 GiB curl upload + download; BENCH_S3_HUGE_GIB=5 adds
# S3's largest single PUT. See tests/bench/s3_bench.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${STRATUS_BIN:-$PWD/build/stratus}
PEERS=${PEERS:-/tmp/peers}
if [ ! -x "$PEERS/node_modules/.bin/s3rver" ]; then
  npm install --silent --no-audit --no-fund --prefix "$PEERS" s3rver@3 >/dev/null 2>&1 || echo "(could not install s3rver)"
fi
PEERS=$PEERS python3 tests/bench/s3_bench.py --stratus "$BIN" --markdown \
  --seconds "${BENCH_DURATION:-5}" --connections "${BENCH_CONNECTIONS:-8}" \
  --big-mib "${BENCH_S3_BIG_MIB:-1024}" --chunked-mib "${BENCH_S3_CHUNKED_MIB:-200}" --huge-gib "${BENCH_S3_HUGE_GIB:-0}"
