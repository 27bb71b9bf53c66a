#!/usr/bin/env bash
# Deploys one release, by image digest, and rolls back by itself when it goes wrong.
#   scripts/deploy.sh staging    REGISTRY/aigrpc@sha256:<64 hex>
#       k8s/overlays/staging with the image set (kustomize edit set image, on a copy of k8s/), applied;
#       waits for the rollout, then smoke-tests the new pods (scripts/smoke.sh through a port-forward).
#   scripts/deploy.sh production REGISTRY/aigrpc@sha256:<64 hex>
#       canary first: deployment/aigrpc-canary (0 pods at rest) gets the image and CANARY_REPLICAS pods,
#       which the Services mix with the stable pods; wait, smoke. Then the rest: k8s/overlays/prod with the
#       image set, applied (which also returns the canary to 0 pods); wait, smoke.
# A failed apply, wait (rollout status --timeout) or smoke test runs `kubectl rollout undo --to-revision` on
# the Deployment that changed, back to the revision it ran before (a failed canary is first scaled back to
# 0 pods), and exits 1; success exits 0.
# Environment: SMOKE_API_KEY (for scripts/smoke.sh), ROLLOUT_TIMEOUT (300s), CANARY_REPLICAS (1),
# SMOKE_REST_PORT / SMOKE_GRPC_PORT (local ends of the port-forward, 18002 / 15051). KUBECTL, KUSTOMIZE and
# SMOKE name the commands (defaults kubectl, kustomize, scripts/smoke.sh); the tests put stand-ins there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
KUBECTL=${KUBECTL:-kubectl}
KUSTOMIZE=${KUSTOMIZE:-kustomize}
SMOKE=${SMOKE:-$root/scripts/smoke.sh}
ROLLOUT_TIMEOUT=${ROLLOUT_TIMEOUT:-300s}
CANARY_REPLICAS=${CANARY_REPLICAS:-1}
SMOKE_REST_PORT=${SMOKE_REST_PORT:-18002}
SMOKE_GRPC_PORT=${SMOKE_GRPC_PORT:-15051}

usage() { echo "usage: scripts/deploy.sh staging|production REGISTRY/aigrpc@sha256:<digest>" >&2; exit 2; }
[ $# -eq 2 ] || usage
target=$1
image=$2
case "$target" in
  staging) overlay=staging ;;
  production) overlay=prod ;;
  *) usage ;;
esac
# By digest only: a tag can move between the staging and the production step; a digest cannot.
[[ $image =~ ^[a-z0-9][a-z0-9./:_-]*@sha256:[0-9a-f]{64}$ ]] || { echo "deploy: image must be NAME@sha256:<64 hex>, got '$image'" >&2; exit 2; }

# The overlay names its namespace; every command below is scoped to it.
ns=$(sed -n 's/^namespace: *//p' "$root/k8s/overlays/$overlay/kustomization.yaml")
[ -n "$ns" ] || { echo "deploy: k8s/overlays/$overlay/kustomization.yaml names no namespace" >&2; exit 2; }
work=$(mktemp -d)
pf_pid=
cleanup() {
  # The main shell only: a background child killed before it has become kubectl would run this trap too.
  [ "$BASHPID" -eq "$$" ] || return 0
  [ -z "$pf_pid" ] || kill "$pf_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

log() { echo "deploy[$target]: $*"; }
kc() { "$KUBECTL" --namespace "$ns" "$@"; }

wait_rollout() { # wait_rollout DEPLOYMENT
  log "waiting for deployment/$1 (timeout $ROLLOUT_TIMEOUT)"
  kc rollout status "deployment/$1" --timeout="$ROLLOUT_TIMEOUT"
}

revision() { # revision DEPLOYMENT: its current revision number, empty if it does not exist yet
  kc get "deployment/$1" -o 'jsonpath={.metadata.annotations.deployment\.kubernetes\.io/revision}' 2>/dev/null || true
}

undo() { # undo DEPLOYMENT REVISION: back to the revision that ran before this deploy, and wait for it
  # To that exact revision, not merely "the previous one": right whether or not the change reached the
  # Deployment (an apply can fail half-way). Best effort: the deploy fails anyway.
  log "rolling back deployment/$1 to revision ${2:-(previous)}"
  kc rollout undo "deployment/$1" ${2:+"--to-revision=$2"} \
    || { log "rollout undo of deployment/$1 failed: act by hand (docs/operations.md#rollback-by-hand)"; return 0; }
  kc rollout status "deployment/$1" --timeout="$ROLLOUT_TIMEOUT" || log "deployment/$1 did not settle after the undo"
}

smoke() { # smoke DEPLOYMENT: scripts/smoke.sh against that Deployment's pods, through a port-forward
  log "smoke test of deployment/$1"
  # kubectl itself in the background (not through kc, a function, whose subshell would hide its pid), so
  # that the kill below ends it and frees the local ports for the next smoke test.
  "$KUBECTL" --namespace "$ns" port-forward "deployment/$1" "$SMOKE_REST_PORT:8002" "$SMOKE_GRPC_PORT:50051" \
    >"$work/port-forward.log" 2>&1 &
  pf_pid=$!
  local rc=0
  "$SMOKE" "http://127.0.0.1:$SMOKE_REST_PORT" "127.0.0.1:$SMOKE_GRPC_PORT" || rc=$?
  kill "$pf_pid" 2>/dev/null || true
  wait "$pf_pid" 2>/dev/null || true
  pf_pid=
  [ "$rc" -eq 0 ] || sed 's/^/  port-forward: /' "$work/port-forward.log" >&2
  return "$rc"
}

apply_overlay() { # the overlay, from a copy of k8s/ (the checkout stays as it is), with the image set
  # Chained: this runs on the left of ||, where set -e does not stop at a failed step.
  cp -R "$root/k8s" "$work/k8s" \
    && (cd "$work/k8s/overlays/$overlay" && "$KUSTOMIZE" edit set image "aigrpc=$image") \
    && log "applying k8s/overlays/$overlay with $image" \
    && "$KUBECTL" apply -k "$work/k8s/overlays/$overlay"
}

fail() { log "FAILED: $*"; exit 1; }

roll_out_all() { # the stable Deployment (and everything else of the overlay): apply, wait, smoke; undo on failure
  local before
  before=$(revision aigrpc)
  apply_overlay || { undo aigrpc "$before"; fail "kubectl apply failed; rolled back"; }
  wait_rollout aigrpc || { undo aigrpc "$before"; fail "deployment/aigrpc did not become ready; rolled back"; }
  smoke aigrpc || { undo aigrpc "$before"; fail "smoke test failed on deployment/aigrpc; rolled back"; }
}

retire_canary() { # retire_canary REVISION: out of traffic first, then its template back
  log "taking the canary out of traffic"
  kc scale deployment/aigrpc-canary --replicas=0 || log "scaling the canary to 0 failed: act by hand"
  undo aigrpc-canary "$1"
}

if [ "$target" = production ]; then
  canary_before=$(revision aigrpc-canary)
  if [ -n "$canary_before" ]; then
    log "canary: $CANARY_REPLICAS pod(s) of $image beside the stable pods"
    { kc set image deployment/aigrpc-canary "aigrpc=$image" && kc scale deployment/aigrpc-canary --replicas="$CANARY_REPLICAS"; } \
      || { retire_canary "$canary_before"; fail "could not start the canary; rolled back"; }
    wait_rollout aigrpc-canary || { retire_canary "$canary_before"; fail "the canary did not become ready; rolled back"; }
    smoke aigrpc-canary || { retire_canary "$canary_before"; fail "smoke test failed on the canary; rolled back"; }
    log "canary healthy: rolling out the rest"
  else
    # First release to this namespace: no traffic to protect, nothing to roll back to.
    log "no deployment/aigrpc-canary yet (first release): rolling out everything at once"
  fi
fi
roll_out_all
log "done: $image is live in $ns"
