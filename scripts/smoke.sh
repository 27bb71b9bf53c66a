#!/usr/bin/env bash
# Smoke test of one running service, as the deploy runs it after a rollout (through kubectl port-forward):
#   1. REST /ready answers 200 (retried for SMOKE_WAIT seconds: the port-forward may still be starting);
#   2. gRPC grpc.health.v1.Health/Check answers SERVING (curl over h2c; no grpcurl needed);
#   3. an authenticated match (examples/requests/match-invoice.json) picks project 31, and the same call
#      without the key is refused with 401, so authentication is on;
#   4. a validation of a correct structured factura (deploy/smoke/validate-dte.json) is VERDICT_ACCEPT.
# Usage: SMOKE_API_KEY=... scripts/smoke.sh http://127.0.0.1:8002 127.0.0.1:50051
# Exit 0 when every check passes; otherwise 1, naming the first check that failed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rest=${1:?usage: smoke.sh REST_URL GRPC_HOST:PORT}
grpc=${2:?usage: smoke.sh REST_URL GRPC_HOST:PORT}
key=${SMOKE_API_KEY:?SMOKE_API_KEY must hold an API key with the analytics and validation scopes}
wait_s=${SMOKE_WAIT:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "smoke: FAIL: $*" >&2; exit 1; }
ok() { echo "smoke: ok: $*"; }

# 1. Readiness, retried while the tunnel comes up.
deadline=$(( $(date +%s) + wait_s ))
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$rest/ready" || true)" = 200 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "REST $rest/ready did not answer 200 within ${wait_s}s"
  sleep 1
done
ok "REST /ready 200"

# 2. gRPC health: an empty HealthCheckRequest is the 5-byte frame 00 00000000; SERVING is 00 00000002 08 01.
printf '\0\0\0\0\0' > "$work/check.bin"
curl -s --http2-prior-knowledge --max-time 10 -X POST "http://$grpc/grpc.health.v1.Health/Check" \
  -H 'content-type: application/grpc' -H 'te: trailers' --data-binary "@$work/check.bin" \
  -D "$work/health.headers" -o "$work/health.bin" || fail "gRPC health: no answer from $grpc"
grep -qi '^grpc-status: 0' "$work/health.headers" || fail "gRPC health: $(grep -i '^grpc-' "$work/health.headers" | tr -d '\r' | tr '\n' ' ')"
[ "$(od -An -tx1 "$work/health.bin" | tr -d ' \n')" = 00000000020801 ] || fail "gRPC health: not SERVING"
ok "gRPC health SERVING"

# 3. One authenticated match, and the same call refused without the key.
post() { # post PATH FILE [KEY] -> writes the body to $work/body, prints the status
  local auth=()
  [ -n "${3:-}" ] && auth=(-H "Authorization: Bearer $3")
  curl -s --max-time 30 -o "$work/body" -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/json' \
    --data-binary "@$2" "$rest$1" || true
}
status=$(post /api/v1/analytics/match "$root/examples/requests/match-invoice.json" "$key")
[ "$status" = 200 ] || fail "match: HTTP $status: $(head -c 300 "$work/body")"
grep -q '"matched_project_id":31[,}]' "$work/body" || fail "match: expected project 31: $(head -c 300 "$work/body")"
status=$(post /api/v1/analytics/match "$root/examples/requests/match-invoice.json")
[ "$status" = 401 ] || fail "match without a key: HTTP $status, expected 401"
ok "authenticated match (project 31), 401 without the key"

# 4. One validation.
status=$(post /api/v1/validation/dte "$root/deploy/smoke/validate-dte.json" "$key")
[ "$status" = 200 ] || fail "validation: HTTP $status: $(head -c 300 "$work/body")"
grep -q '"verdict":"VERDICT_ACCEPT"' "$work/body" || fail "validation: expected VERDICT_ACCEPT: $(head -c 300 "$work/body")"
ok "validation VERDICT_ACCEPT"
echo "smoke: passed"
