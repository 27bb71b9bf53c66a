#!/usr/bin/env bash
# A small test harness for shell-level tests (sourced by run.sh). A test is a function; `check NAME FUNCTION`
# runs it in a subshell with `set -e`, its own temp folder in $T and the repo root in $ROOT, prints
# "ok"/"not ok" (with the test's output on failure) and records the outcome for the TRX that run.sh writes.
# Assertions: fail MESSAGE, assert_contains FILE TEXT, assert_not_contains FILE TEXT, assert_exit CODE CMD...

RESULTS_TSV=${RESULTS_TSV:-$(mktemp)}

fail() { echo "ASSERTION FAILED: $*" >&2; exit 1; }
assert_contains() { grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$1 does not contain: $2"; }; }
assert_not_contains() { ! grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$1 contains: $2"; }; }
# assert_exit CODE CMD...: runs CMD, its output into $T/out, and checks its exit code.
assert_exit() {
  local want=$1 got=0
  shift
  "$@" >"$T/out" 2>&1 || got=$?
  [ "$got" -eq "$want" ] || { cat "$T/out" >&2; fail "exit $got, expected $want: $*"; }
}

check() { # check NAME FUNCTION
  local name=$1 fn=$2 start rc=0 log
  [[ -z ${FILTER:-} || $name == *"$FILTER"* ]] || return 0
  log=$(mktemp)
  start=$(date +%s%N)
  (
    set -euo pipefail
    T=$(mktemp -d)
    trap 'rm -rf "$T"' EXIT
    "$fn"
  ) >"$log" 2>&1 || rc=$?
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  if [ "$rc" -eq 0 ]; then
    printf 'ok      %s (%d ms)\n' "$name" "$ms"
    printf '%s\tPassed\t%d\n' "$name" "$ms" >>"$RESULTS_TSV"
  else
    printf 'not ok  %s (%d ms)\n' "$name" "$ms"
    sed 's/^/        /' "$log"
    printf '%s\tFailed\t%d\n' "$name" "$ms" >>"$RESULTS_TSV"
  fi
  rm -f "$log"
}
