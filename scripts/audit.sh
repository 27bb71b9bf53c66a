#!/usr/bin/env bash
# Gate and report: every NuGet package of the solution, direct and transitive, against the advisories of the
# configured sources. Writes build/audit/vulnerable.json (dotnet list package --vulnerable) and prints one line
# per vulnerable package; exits 1 if there is any, or if the restore fails (NuGet audit runs at every restore,
# NU1901-NU1904 are errors: Directory.Build.props).
# It also says whether any source served vulnerability data at all: a source without the VulnerabilityInfo
# resource makes the audit silently find nothing. AUDIT_REQUIRE_DATA=1 (set in the CI workflow) makes that fail.
# Usage: scripts/audit.sh [SOLUTION_OR_PROJECT] (default AiGrpc.slnx); AUDIT_OUT=dir moves the output.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:-$root/AiGrpc.slnx}
out=${AUDIT_OUT:-$root/build/audit}
mkdir -p "$out"
json=$out/vulnerable.json
list() { dotnet list "$target" package --vulnerable --include-transitive --format json "$@"; }

rc=0
if ! list >"$json" 2>"$out/list.err"; then
  rc=1
  echo "audit: the restore failed; its errors (NU1901-NU1904 name a vulnerable package):" >&2
  dotnet restore "$target" 2>&1 | grep -E 'error|warning' | sed 's/^/  /' >&2 || true
  # What did restore still has an assets file: report from it.
  list --no-restore >"$json" 2>>"$out/list.err" || true
fi

jq -r '.projects[]? | (.path | sub(".*/"; "")) as $project | .frameworks[]? |
  ((.topLevelPackages // []) | map(. + {kind: "direct"})) + ((.transitivePackages // []) | map(. + {kind: "transitive"})) | .[] |
  select((.vulnerabilities // []) | length > 0) |
  "\($project): \(.id) \(.resolvedVersion) (\(.kind)): " + ([.vulnerabilities[] | "\(.severity) \(.advisoryurl)"] | join(", "))' \
  "$json" | sort -u >"$out/vulnerable.txt" || { echo "audit: unreadable report $json" >&2; cat "$json" >&2; exit 1; }

if [ -s "$out/vulnerable.txt" ]; then
  rc=1
  echo "audit: vulnerable packages:"
  sed 's/^/  /' "$out/vulnerable.txt"
fi

# Did any source serve vulnerability data? (Only http(s) sources can; a local folder never does.)
data=0
while IFS= read -r source; do
  case "$source" in
    http://* | https://*)
      if curl -fsS --max-time 20 "$source" 2>/dev/null | jq -e 'any(.resources[]?; ."@type" | startswith("VulnerabilityInfo"))' >/dev/null; then
        data=1
        echo "audit: advisories from $source"
      else
        echo "audit: $source serves no vulnerability data (no VulnerabilityInfo resource)"
      fi ;;
  esac
done < <(jq -r '.sources[]?' "$json")
if [ "$data" -eq 0 ]; then
  echo "audit: WARNING: no source served vulnerability data, so this audit could not find anything."
  [ "${AUDIT_REQUIRE_DATA:-0}" != 1 ] || rc=1
fi

[ "$rc" -ne 0 ] || echo "audit: no vulnerable package, direct or transitive ($(jq '[.projects[]?] | length' "$json") projects)"
exit "$rc"
