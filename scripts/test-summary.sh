#!/usr/bin/env bash
# Adds up the TRX files (dotnet test) and JUnit files (newman) of a test run and prints one plain closing line:
# "N passed, N failed, N skipped".
set -euo pipefail
dir=${1:-build/test-results}
passed=0; failed=0; skipped=0
for f in "$dir"/*.trx; do
  [ -f "$f" ] || continue
  line=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(grep -oP 'passed="\K[0-9]+' <<<"$line"); fl=$(grep -oP ' failed="\K[0-9]+' <<<"$line"); t=$(grep -oP 'total="\K[0-9]+' <<<"$line"); e=$(grep -oP 'executed="\K[0-9]+' <<<"$line")
  passed=$((passed + p)); failed=$((failed + fl)); skipped=$((skipped + t - e))
done
for f in "$dir"/*.xml; do
  if [ ! -f "$f" ] || ! grep -q '<testsuites' "$f"; then continue; fi
  t=$(grep -c '<testcase ' "$f" || true); fl=$(grep -cE '<(failure|error)[ >]' "$f" || true); s=$(grep -c '<skipped' "$f" || true)
  passed=$((passed + t - fl - s)); failed=$((failed + fl)); skipped=$((skipped + s))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
