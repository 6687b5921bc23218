#!/usr/bin/env bash
# Runs every test suite against build/stratus (or $STRATUS_BIN) and ends with one summary line.
#   tests/run.sh            all suites
#   tests/run.sh unit js    only these (unit, js, py, py-legacy)
set -u
cd "$(dirname "$0")/.."
export STRATUS_BIN=${STRATUS_BIN:-$PWD/build/stratus}
UNIT_BIN=${STRATUS_UNIT_BIN:-$(dirname "$STRATUS_BIN")/stratus_unit}
export AWS_MAX_ATTEMPTS=1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
wanted=("$@")
want() { [ ${#wanted[@]} -eq 0 ] && return 0; for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done; return 1; }

total_pass=0 total_fail=0 total_skip=0 any_fail=0
summary=()

# run_suite NAME PARSER COMMAND...   (PARSER: gtest | node | unittest)
run_suite() {
  local name=$1 parser=$2; shift 2
  local log; log=$(mktemp)
  echo "=== $name: $*"
  local t0=$SECONDS
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local pass=0 fail=0 skip=0
  case $parser in
    gtest)
      pass=$(grep -oE '^\[  PASSED  \] [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
      fail=$(grep -oE '^\[  FAILED  \] [0-9]+ test' "$log" | grep -oE '[0-9]+' | tail -1)
      skip=$(grep -oE '^\[  SKIPPED \] [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1) ;;
    node)
      pass=$(grep -oE '^# pass [0-9]+' "$log" | grep -oE '[0-9]+' | tail -1)
      fail=$(grep -oE '^# fail [0-9]+' "$log" | grep -oE '[0-9]+' | tail -1)
      skip=$(grep -oE '^# skipped [0-9]+' "$log" | grep -oE '[0-9]+' | tail -1) ;;
    unittest)
      local ran; ran=$(grep -oE '^Ran [0-9]+ test' "$log" | grep -oE '[0-9]+' | tail -1)
      local f e
      f=$(grep -oE 'failures=[0-9]+' "$log" | grep -oE '[0-9]+' | tail -1)
      e=$(grep -oE 'errors=[0-9]+' "$log" | grep -oE '[0-9]+' | tail -1)
      skip=$(grep -oE 'skipped=[0-9]+' "$log" | grep -oE '[0-9]+' | tail -1)
      fail=$(( ${f:-0} + ${e:-0} ))
      pass=$(( ${ran:-0} - fail - ${skip:-0} )) ;;
  esac
  pass=${pass:-0} fail=${fail:-0} skip=${skip:-0}
  if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
  [ "$fail" -gt 0 ] && any_fail=1
  total_pass=$((total_pass + pass)); total_fail=$((total_fail + fail)); total_skip=$((total_skip + skip))
  summary+=("$name $pass/$((pass + fail))$( [ "$skip" -gt 0 ] && echo " ($skip skipped)") in $((SECONDS - t0))s")
  rm -f "$log"
}

if [ ! -x "$STRATUS_BIN" ]; then echo "no stratus binary at $STRATUS_BIN (run make build)"; exit 2; fi
want unit && run_suite unit gtest "$UNIT_BIN" --gtest_brief=1
want js && run_suite e2e-js node node --test --test-timeout=300000 --test-concurrency=2 tests/e2e/js/
want py && run_suite "e2e-py(boto3 $(python3 -c 'import boto3;print(boto3.__version__)' 2>/dev/null))" unittest \
  env STRATUS_CLI_TESTS=1 python3 -m unittest discover -s tests/e2e/py -p 'test_*.py'
want py-legacy && [ -x /usr/bin/python3 ] && run_suite "e2e-py(boto3 $(/usr/bin/python3 -c 'import boto3;print(boto3.__version__)' 2>/dev/null))" unittest \
  env STRATUS_CLI_TESTS=0 /usr/bin/python3 -m unittest discover -s tests/e2e/py -p 'test_*.py'

result=PASS; [ $any_fail -ne 0 ] && result=FAIL
joined=$(printf '%s; ' "${summary[@]}"); echo "stratus tests: $result — $total_pass passed, $total_fail failed, $total_skip skipped [${joined%; }]"
exit $any_fail
