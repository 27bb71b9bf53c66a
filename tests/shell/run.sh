#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Runs every tests/shell/*.test.sh (shell-level tests: deploy.sh against stand-ins, the supply-chain gates on
# planted problems) and writes their outcomes as RESULTS_DIR/shell.trx, which scripts/test-summary.sh adds
# to the other layers' counts. Usage: tests/shell/run.sh [RESULTS_DIR] [FILTER] (FILTER: a test-name substring)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$here/../.." && pwd)
results=${1:-$ROOT/build/test-results}
FILTER=${2:-}
export ROOT FILTER
RESULTS_TSV=$(mktemp)
trap 'rm -f "$RESULTS_TSV"' EXIT
# shellcheck source=lib.sh
source "$here/lib.sh"
for file in "$here"/*.test.sh; do
  # shellcheck source=/dev/null
  source "$file"
done

total=$(wc -l <"$RESULTS_TSV")
passed=$(grep -c $'\tPassed\t' "$RESULTS_TSV" || true)
failed=$((total - passed))
mkdir -p "$results"
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<TestRun name="shell" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">'
  echo '  <Results>'
  while IFS=$'\t' read -r name outcome ms; do
    name=${name//&/&amp;}; name=${name//</&lt;}; name=${name//\"/&quot;}
    printf '    <UnitTestResult testName="%s" outcome="%s" duration="00:00:%02d.%03d" />\n' "$name" "$outcome" $((ms / 1000)) $((ms % 1000))
  done <"$RESULTS_TSV"
  echo '  </Results>'
  echo "  <ResultSummary outcome=\"$([ "$failed" -eq 0 ] && echo Completed || echo Failed)\">"
  echo "    <Counters total=\"$total\" executed=\"$total\" passed=\"$passed\" failed=\"$failed\" />"
  echo '  </ResultSummary>'
  echo '</TestRun>'
} >"$results/shell.trx"
echo "shell tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$total" -gt 0 ]
