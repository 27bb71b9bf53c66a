#!/usr/bin/env bash
# Checks that a CycloneDX SBOM is a CycloneDX JSON document and lists every package the project resolves,
# direct and transitive (as `dotnet list package --include-transitive` names them), each with its purl.
# Usage: scripts/sbom-check.sh SBOM.json PROJECT.csproj   (the project restored; exit 1 on any gap)
set -euo pipefail
sbom=${1:?usage: sbom-check.sh SBOM.json PROJECT.csproj}
project=${2:?usage: sbom-check.sh SBOM.json PROJECT.csproj}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

jq -e '.bomFormat == "CycloneDX" and (.specVersion | type == "string") and (.components | type == "array")' "$sbom" >/dev/null \
  || { echo "sbom: $sbom is not a CycloneDX JSON document" >&2; exit 1; }
dotnet list "$project" package --include-transitive --no-restore --format json >"$work/packages.json"
jq -r '[.projects[] | .frameworks[]? | (.topLevelPackages[]?, .transitivePackages[]?) | "\(.id)@\(.resolvedVersion)" | ascii_downcase] | unique | .[]' \
  "$work/packages.json" >"$work/resolved.txt"
jq -r '[.components[] | "\(.name)@\(.version)" | ascii_downcase] | unique | .[]' "$sbom" >"$work/listed.txt"

comm -23 "$work/resolved.txt" "$work/listed.txt" >"$work/missing.txt"
jq -r '.components[] | select((.purl // "") | startswith("pkg:nuget/") | not) | "\(.name)@\(.version)"' "$sbom" >"$work/nopurl.txt"
if [ -s "$work/missing.txt" ] || [ -s "$work/nopurl.txt" ]; then
  [ ! -s "$work/missing.txt" ] || { echo "sbom: $sbom lacks packages that $(basename "$project") resolves:" >&2; sed 's/^/  /' "$work/missing.txt" >&2; }
  [ ! -s "$work/nopurl.txt" ] || { echo "sbom: components without a NuGet purl:" >&2; sed 's/^/  /' "$work/nopurl.txt" >&2; }
  exit 1
fi
echo "sbom: $(basename "$sbom") lists all $(wc -l <"$work/resolved.txt") packages of $(basename "$project")"
