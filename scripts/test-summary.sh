#!/usr/bin/env bash
# Adds up the TRX files of a test run and prints one plain closing line: "N passed, N failed, N skipped".
set -euo pipefail
dir=${1:-build/test-results}
passed=0; failed=0; skipped=0
for f in "$dir"/*.trx; do
  [ -f "$f" ] || continue
  line=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(grep -oP 'passed="\K[0-9]+' <<<"$line"); fl=$(grep -oP ' failed="\K[0-9]+' <<<"$line"); t=$(grep -oP 'total="\K[0-9]+' <<<"$line"); e=$(grep -oP 'executed="\K[0-9]+' <<<"$line")
  passed=$((passed + p)); failed=$((failed + fl)); skipped=$((skipped + t - e))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
