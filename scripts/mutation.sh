#!/usr/bin/env bash
# Mutation testing of the engines (make mutation; docs/testing.md, "Mutation testing"). Not part of make test.
#
# For each engine, Stryker.NET (pinned in .config/dotnet-tools.json) mutates its files and runs the unit tests that
# cover each mutant. The tests are built with AiGrpcMutation=true: xunit.v3 on Microsoft Testing Platform, which
# Stryker's mtp runner needs to capture per-test coverage, into build/mutation/ (never the bin/ and obj/ of make build
# and make unit), and the slow tests skip themselves (MutationRun.SkipSlow). Then scripts/mutation-floor.py checks
# each file against its floor in tests/mutation/floors.json and that Stryker dropped no method for a compile error.
#
# Usage: scripts/mutation.sh                  every engine, then the floor
#        MUTATION_ENGINES="validation" ...    some engines (common validation payroll analytics; the default is
#                                             the first three: analytics alone takes over half an hour); the
#                                             floor still reads every report under build/mutation/reports
#        MUTATE='**/Dte/TedChecks.cs' MUTATION_ENGINES=validation ...   one file while iterating (no floor check)
#        MUTATION_CONCURRENCY=2 (default)      Stryker's parallel test sessions
#        MUTATION_REPORTS=dir                  where the reports go (default build/mutation/reports)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
reports=${MUTATION_REPORTS:-build/mutation/reports}
concurrency=${MUTATION_CONCURRENCY:-2}
engines=${MUTATION_ENGINES:-common validation payroll}

# engine -> project to mutate and the files of it that are mutated (Stryker globs, relative to the project).
project_of() {
  case "$1" in
    common) echo "AiGrpc.Common.csproj" ;;
    validation) echo "AiGrpc.Validation.csproj" ;;
    payroll) echo "AiGrpc.Payroll.csproj" ;;
    analytics) echo "AiGrpc.Analytics.csproj" ;;
    *) echo "mutation: unknown engine '$1' (common, validation, payroll, analytics)" >&2; return 1 ;;
  esac
}
mutate_of() {
  case "$1" in
    common) echo "**/Rut.cs" ;;
    validation) echo "**/Dte/*.cs" ;;
    payroll) echo "**/Rules/*.cs **/Payslips/*.cs **/Indicators/*.cs" ;;
    analytics) echo "**/Matching/*.cs **/Matching/Knowledge/*.cs" ;;
  esac
}

dotnet tool restore >/dev/null
export AiGrpcMutation=true DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
start=$(date +%s)
read -r -a engine_list <<<"$engines"
for engine in "${engine_list[@]}"; do
  project=$(project_of "$engine")
  out=$root/$reports/$engine
  rm -rf "$out"
  # read -a splits on spaces without expanding the globs (they are Stryker's, not the shell's).
  read -r -a globs <<<"${MUTATE:-$(mutate_of "$engine")}"
  args=()
  for glob in "${globs[@]}"; do
    args+=(--mutate "$glob")
  done
  echo "mutation: $engine ($project: ${args[*]})"
  engine_start=$(date +%s)
  (cd tests/AiGrpc.UnitTests && dotnet stryker --project "$project" --test-runner mtp --configuration Release \
    --concurrency "$concurrency" "${args[@]}" --reporter json --reporter html --reporter progress \
    --log-to-file --output "$out" --skip-version-check)
  echo "mutation: $engine took $(( $(date +%s) - engine_start )) s; report $out/reports/mutation-report.html"
done
echo "mutation: all engines took $(( $(date +%s) - start )) s"

if [ -n "${MUTATE:-}" ]; then
  echo "mutation: MUTATE is set (a partial run): the floor is not checked"
  exit 0
fi
python3 scripts/mutation-floor.py --reports "$reports" --floors tests/mutation/floors.json --markdown "$reports/scores.md"
