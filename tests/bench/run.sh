#!/usr/bin/env bash
# The benchmark report (`make bench`): every tests/bench/bench_*.sh in turn, as markdown.
set -uo pipefail
cd "$(dirname "$0")"
echo "# Stratus benchmark report — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r)"
echo
for b in bench_*.sh; do
  bash "$b" || echo "(benchmark $b failed)"
  echo
done
