#!/usr/bin/env bash
# scripts/deploy.sh against stand-ins: a kubectl on PATH that records every call and fails the ones matching
# FAKE_KUBECTL_FAIL (a regex), a kustomize that edits the image as the real one does, and a smoke test that
# fails on the calls listed in FAKE_SMOKE_FAIL. The applied manifests are rendered by the real kubectl, so a
# test also sees what would have reached the cluster. Sourced by run.sh.

DIGEST=sha256:1111111111111111111111111111111111111111111111111111111111111111
IMAGE=ghcr.io/example/aigrpc@$DIGEST

deploy_setup() {
  mkdir -p "$T/bin"
  REAL_KUBECTL=$(command -v kubectl)
  export REAL_KUBECTL FAKE_CALLS=$T/calls FAKE_DIR=$T
  : >"$FAKE_CALLS"
  cat >"$T/bin/kubectl" <<'FAKE'
#!/usr/bin/env bash
# Stand-in kubectl: records the call; fails it on demand; answers what deploy.sh reads.
echo "kubectl $*" >>"$FAKE_CALLS"
if [ -n "${FAKE_KUBECTL_FAIL:-}" ] && [[ "$*" =~ $FAKE_KUBECTL_FAIL ]]; then
  echo "stand-in kubectl: failing on demand: $*" >&2
  exit 1
fi
case "$*" in
  *" get deployment/aigrpc-canary "*) echo 3 ;;   # current revisions
  *" get deployment/aigrpc "*) echo 7 ;;
  "apply -k "*) "$REAL_KUBECTL" kustomize "${*: -1}" >"$FAKE_DIR/applied.yaml" ;;
  *" port-forward "*) echo $$ >>"$FAKE_DIR/port-forwards"; exec sleep 60 ;;   # blocks, as the real one does
esac
exit 0
FAKE
  cat >"$T/bin/kustomize" <<'FAKE'
#!/usr/bin/env bash
# Stand-in kustomize: `edit set image NAME=NEWNAME@DIGEST` writes what the real one writes.
echo "kustomize $* (in ${PWD##*/k8s/})" >>"$FAKE_CALLS"
[ "$1 $2 $3" = "edit set image" ] || exit 1
name=${4%%=*}; ref=${4#*=}
printf 'images:\n  - name: %s\n    newName: %s\n    digest: %s\n' "$name" "${ref%@*}" "${ref#*@}" >>kustomization.yaml
FAKE
  cat >"$T/bin/smoke" <<'FAKE'
#!/usr/bin/env bash
# Stand-in smoke test: the Nth call fails when N is in FAKE_SMOKE_FAIL.
n=$(( $(cat "$FAKE_DIR/smoke-count" 2>/dev/null || echo 0) + 1 ))
echo "$n" >"$FAKE_DIR/smoke-count"
echo "smoke #$n $*" >>"$FAKE_CALLS"
# Like the real one, which waits for /ready through the tunnel: wait (5 s at most) for the nth port-forward.
for _ in $(seq 50); do
  [ "$(cat "$FAKE_DIR/port-forwards" 2>/dev/null | wc -l)" -lt "$n" ] || break
  sleep 0.1
done
[[ " ${FAKE_SMOKE_FAIL:-} " != *" $n "* ]] || { echo "stand-in smoke: failing call $n"; exit 1; }
FAKE
  chmod +x "$T/bin/"*
  export PATH="$T/bin:$PATH" SMOKE=$T/bin/smoke ROLLOUT_TIMEOUT=5s SMOKE_API_KEY=unused
}

# calls_in_order PATTERN...: the recorded calls contain lines matching each pattern, in this order.
calls_in_order() {
  local line=0 pattern found
  for pattern in "$@"; do
    found=$(tail -n +"$((line + 1))" "$FAKE_CALLS" | grep -n -m1 -E -- "$pattern" | cut -d: -f1) \
      || { cat "$FAKE_CALLS" >&2; fail "no call matching '$pattern' after line $line"; }
    line=$((line + found))
  done
}

no_port_forward_left() {
  local pid
  [ -f "$T/port-forwards" ] || fail "no port-forward was started"
  while read -r pid; do ! kill -0 "$pid" 2>/dev/null || fail "port-forward $pid still running"; done <"$T/port-forwards"
}

test_staging_rolls_out_waits_and_smoke_tests() {
  deploy_setup
  assert_exit 0 "$ROOT/scripts/deploy.sh" staging "$IMAGE"
  calls_in_order '^kubectl --namespace aigrpc-staging get deployment/aigrpc ' \
    "^kustomize edit set image aigrpc=$IMAGE \(in overlays/staging\)" \
    '^kubectl apply -k .*/k8s/overlays/staging$' \
    '^kubectl --namespace aigrpc-staging rollout status deployment/aigrpc --timeout=5s$' \
    '^smoke #1 http://127.0.0.1:18002 127.0.0.1:15051$'
  # (the port-forward runs beside the smoke test: its record may come before or after it)
  assert_contains "$FAKE_CALLS" 'kubectl --namespace aigrpc-staging port-forward deployment/aigrpc 18002:8002 15051:50051'
  assert_not_contains "$FAKE_CALLS" "rollout undo"
  no_port_forward_left
  # What reached the cluster: the staging namespace, the image by digest, no literal Secret.
  assert_contains "$T/applied.yaml" "image: ghcr.io/example/aigrpc@$DIGEST"
  assert_contains "$T/applied.yaml" "namespace: aigrpc-staging"
  ! grep -qx 'kind: Secret' "$T/applied.yaml" || fail "a Secret with literal values would be applied"
  # The checkout's overlay is untouched (the edit happened on a copy).
  assert_not_contains "$ROOT/k8s/overlays/staging/kustomization.yaml" "$DIGEST"
}
check "deploy: staging rolls out, waits, smoke-tests, no undo" test_staging_rolls_out_waits_and_smoke_tests

test_staging_rollout_timeout_undoes() {
  deploy_setup
  export FAKE_KUBECTL_FAIL='rollout status deployment/aigrpc'
  assert_exit 1 "$ROOT/scripts/deploy.sh" staging "$IMAGE"
  calls_in_order 'apply -k' 'rollout status deployment/aigrpc' \
    '^kubectl --namespace aigrpc-staging rollout undo deployment/aigrpc --to-revision=7$'
  assert_not_contains "$FAKE_CALLS" "smoke #"
  assert_contains "$T/out" "did not become ready; rolled back"
}
check "deploy: staging rollout wait fails -> rollout undo to the previous revision, exit 1" test_staging_rollout_timeout_undoes

test_staging_smoke_failure_undoes() {
  deploy_setup
  export FAKE_SMOKE_FAIL=1
  assert_exit 1 "$ROOT/scripts/deploy.sh" staging "$IMAGE"
  calls_in_order 'rollout status deployment/aigrpc' 'smoke #1' \
    '^kubectl --namespace aigrpc-staging rollout undo deployment/aigrpc --to-revision=7$' \
    '^kubectl --namespace aigrpc-staging rollout status deployment/aigrpc'
  assert_contains "$T/out" "smoke test failed on deployment/aigrpc; rolled back"
  no_port_forward_left
}
check "deploy: staging smoke test fails -> rollout undo, exit 1, no port-forward left" test_staging_smoke_failure_undoes

test_apply_failure_undoes() {
  deploy_setup
  export FAKE_KUBECTL_FAIL='^apply -k'
  assert_exit 1 "$ROOT/scripts/deploy.sh" staging "$IMAGE"
  calls_in_order 'apply -k' 'rollout undo deployment/aigrpc --to-revision=7$'
  assert_not_contains "$FAKE_CALLS" "smoke #"
}
check "deploy: kubectl apply fails -> rollout undo, exit 1" test_apply_failure_undoes

test_production_canary_then_rest() {
  deploy_setup
  export CANARY_REPLICAS=2
  assert_exit 0 "$ROOT/scripts/deploy.sh" production "$IMAGE"
  calls_in_order '^kubectl --namespace aigrpc-prod get deployment/aigrpc-canary ' \
    "^kubectl --namespace aigrpc-prod set image deployment/aigrpc-canary aigrpc=$IMAGE$" \
    '^kubectl --namespace aigrpc-prod scale deployment/aigrpc-canary --replicas=2$' \
    '^kubectl --namespace aigrpc-prod rollout status deployment/aigrpc-canary --timeout=5s$' \
    '^smoke #1 ' \
    '^kubectl --namespace aigrpc-prod get deployment/aigrpc ' \
    "^kustomize edit set image aigrpc=$IMAGE \(in overlays/prod\)" \
    '^kubectl apply -k .*/k8s/overlays/prod$' \
    '^kubectl --namespace aigrpc-prod rollout status deployment/aigrpc --timeout=5s$' \
    '^smoke #2 '
  assert_contains "$FAKE_CALLS" 'kubectl --namespace aigrpc-prod port-forward deployment/aigrpc-canary 18002:8002'
  assert_contains "$FAKE_CALLS" 'kubectl --namespace aigrpc-prod port-forward deployment/aigrpc 18002:8002'
  assert_not_contains "$FAKE_CALLS" "rollout undo"
  no_port_forward_left
  # The rest: both Deployments on the digest; the canary back to 0 pods, the stable ones at 4.
  [ "$(grep -c "image: ghcr.io/example/aigrpc@$DIGEST" "$T/applied.yaml")" -eq 2 ] || fail "expected the digest on both Deployments"
  assert_contains "$T/applied.yaml" "namespace: aigrpc-prod"
  assert_contains "$T/applied.yaml" "replicas: 0"
  assert_contains "$T/applied.yaml" "replicas: 4"
}
check "deploy: production canary (CANARY_REPLICAS pods), smoke, then the rest, no undo" test_production_canary_then_rest

test_production_canary_smoke_failure() {
  deploy_setup
  export FAKE_SMOKE_FAIL=1
  assert_exit 1 "$ROOT/scripts/deploy.sh" production "$IMAGE"
  calls_in_order 'scale deployment/aigrpc-canary --replicas=1$' 'smoke #1' \
    '^kubectl --namespace aigrpc-prod scale deployment/aigrpc-canary --replicas=0$' \
    '^kubectl --namespace aigrpc-prod rollout undo deployment/aigrpc-canary --to-revision=3$'
  # The stable pods were never touched.
  assert_not_contains "$FAKE_CALLS" "apply -k"
  assert_not_contains "$FAKE_CALLS" "rollout undo deployment/aigrpc "
  assert_contains "$T/out" "smoke test failed on the canary; rolled back"
  no_port_forward_left
}
check "deploy: production canary smoke fails -> canary to 0 pods + undo, stable untouched, exit 1" test_production_canary_smoke_failure

test_production_canary_timeout() {
  deploy_setup
  export FAKE_KUBECTL_FAIL='rollout status deployment/aigrpc-canary'
  assert_exit 1 "$ROOT/scripts/deploy.sh" production "$IMAGE"
  calls_in_order 'rollout status deployment/aigrpc-canary' 'scale deployment/aigrpc-canary --replicas=0$' \
    'rollout undo deployment/aigrpc-canary --to-revision=3$'
  assert_not_contains "$FAKE_CALLS" "smoke #"
  assert_not_contains "$FAKE_CALLS" "apply -k"
}
check "deploy: production canary wait fails -> canary undone, no smoke, exit 1" test_production_canary_timeout

test_production_rest_smoke_failure() {
  deploy_setup
  export FAKE_SMOKE_FAIL=2
  assert_exit 1 "$ROOT/scripts/deploy.sh" production "$IMAGE"
  calls_in_order 'smoke #1' 'apply -k' 'rollout status deployment/aigrpc ' 'smoke #2' \
    '^kubectl --namespace aigrpc-prod rollout undo deployment/aigrpc --to-revision=7$'
  assert_contains "$T/out" "smoke test failed on deployment/aigrpc; rolled back"
}
check "deploy: production canary passes, the rest fails its smoke test -> undo, exit 1" test_production_rest_smoke_failure

test_production_first_release() {
  deploy_setup
  export FAKE_KUBECTL_FAIL='get deployment/aigrpc-canary'
  assert_exit 0 "$ROOT/scripts/deploy.sh" production "$IMAGE"
  assert_not_contains "$FAKE_CALLS" "kubectl --namespace aigrpc-prod set image"
  calls_in_order 'apply -k .*/overlays/prod$' 'rollout status deployment/aigrpc ' 'smoke #1'
  assert_contains "$T/out" "first release"
}
check "deploy: production without a canary Deployment yet (first release) rolls out at once" test_production_first_release

test_refuses_a_tag() {
  deploy_setup
  assert_exit 2 "$ROOT/scripts/deploy.sh" staging ghcr.io/example/aigrpc:v1.2.3
  assert_contains "$T/out" "NAME@sha256"
  assert_exit 2 "$ROOT/scripts/deploy.sh" qa "$IMAGE"
  [ ! -s "$FAKE_CALLS" ] || fail "kubectl was called: $(cat "$FAKE_CALLS")"
}
check "deploy: refuses an image by tag and an unknown environment, touching nothing" test_refuses_a_tag
