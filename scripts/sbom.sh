#!/usr/bin/env bash
# CycloneDX SBOMs (JSON, spec 1.7) of what we ship: the server (what the image runs) and the client library
# (the NuGet package callers take), into build/sbom/, our own projects included as components. The CycloneDX
# tool is pinned in .config/dotnet-tools.json.
# Each document is then checked to list every package its project resolves (scripts/sbom-check.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/sbom
mkdir -p "$out"
dotnet tool restore >/dev/null
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
# file name : component name (the NuGet id for the client) : type : project
for entry in aigrpc-server:AiGrpc.Server:Application:src/AiGrpc.Server/AiGrpc.Server.csproj \
             aigrpc-client:AiGrpc.Client:Library:src/AiGrpc.Client/AiGrpc.Client.csproj; do
  IFS=: read -r file name type project <<<"$entry"
  dotnet tool run dotnet-CycloneDX "$project" --output "$out" --filename "$file.cdx.json" --output-format Json \
    --set-name "$name" --set-version "$version" --set-type "$type" --configuration Release \
    --include-project-references --set-nuget-purl >"$out/$file.log" 2>&1 \
    || { cat "$out/$file.log" >&2; exit 1; }
  scripts/sbom-check.sh "$out/$file.cdx.json" "$project"
done
