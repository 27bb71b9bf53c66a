#!/usr/bin/env bash
# Lays out google/api/{annotations,http}.proto for buf from the restored Google.Api.CommonProtos package.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(grep -oP 'Include="Google.Api.CommonProtos" Version="\K[^"]+' Directory.Packages.props)
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
src="$packages/google.api.commonprotos/$version/content/protos/google/api"
[ -f "$src/annotations.proto" ] || dotnet restore src/AiGrpc.Contracts >/dev/null
mkdir -p build/buf-deps/google/api
cp "$src/annotations.proto" "$src/http.proto" "$src/httpbody.proto" build/buf-deps/google/api/
