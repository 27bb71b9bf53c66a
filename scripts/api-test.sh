#!/usr/bin/env bash
# `make api-test`: the REST surface as a caller sees it. Starts the built Release server on loopback (free ports, an
# API key made for this run, rate limits out of reach), lints the OpenAPI document it serves with Spectral
# (.spectral.yaml) and runs the Postman collection (examples/postman) with newman, then stops the server.
# Results: build/test-results/api-openapi.json (the document) and newman.xml (JUnit, counted by test-summary.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
tools=build/tools/node_modules/.bin
results=${RESULTS:-build/test-results}
dll=src/AiGrpc.Server/bin/Release/net10.0/AiGrpc.Server.dll
if [ ! -x "$tools/spectral" ] || [ ! -x "$tools/newman" ]; then scripts/install-test-deps.sh; fi
[ -f "$dll" ] || dotnet build src/AiGrpc.Server -c Release -warnaserror
mkdir -p "$results"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rest=$(free_port)
grpc=$(free_port)
key="api-test-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"   # a test key of this run only
base="http://127.0.0.1:$rest"
log=$(mktemp)

(
  cd "$(dirname "$dll")"
  export ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 Server__ListenAddress=127.0.0.1 \
    Server__RestPort="$rest" Server__GrpcPort="$grpc" Auth__ApiKeys__apitest="$key"
  for limit in PerCaller__PerMinute PerCaller__PerHour PerIp__PerMinute PerIp__PerHour; do export "RateLimits__$limit=1000000"; done
  exec dotnet "$(basename "$dll")"
) >"$log" 2>&1 &
server=$!
stop() {
  if kill "$server" 2>/dev/null; then wait "$server" 2>/dev/null || true; fi
  rm -f "$log"
}
trap stop EXIT

for _ in $(seq 1 120); do
  curl -sf "$base/live" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "api-test: the server exited before it was live:"; cat "$log"; exit 1; }
  sleep 0.5
done
curl -sf "$base/live" >/dev/null || { echo "api-test: the server is not live after 60 s:"; cat "$log"; exit 1; }

echo "api-test: OpenAPI document ($base/swagger/v1/swagger.json), Spectral with .spectral.yaml"
curl -sf "$base/swagger/v1/swagger.json" -o "$results/api-openapi.json"
"$tools/spectral" lint --fail-severity=warn --ruleset .spectral.yaml "$results/api-openapi.json"

echo "api-test: Postman collection (newman)"
"$tools/newman" run examples/postman/aigrpc.postman_collection.json \
  --environment examples/postman/aigrpc.postman_environment.json \
  --env-var "base_url=$base" --env-var "api_key=$key" \
  --reporters cli,junit --reporter-junit-export "$results/newman.xml" --color off --no-insecure-file-read
