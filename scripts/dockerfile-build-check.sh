#!/usr/bin/env bash
# No Docker engine runs here or in CI, so this replays the Dockerfile's build stage without one: the
# COPY lines into an empty folder (as the build context would give them), then its RUN lines, in order.
# It catches what review misses (e.g. a restore that does not match the publish). Usage: make image-check
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage_done=0
while IFS= read -r line; do
  case "$line" in
    "FROM "*" AS runtime"*) stage_done=1 ;;
  esac
  [[ $stage_done == 1 ]] && break
  case "$line" in
    COPY\ *)
      read -r -a args <<<"${line#COPY }"
      dest="${args[-1]}"
      for src in "${args[@]:0:${#args[@]}-1}"; do
        mkdir -p "$work/$dest"
        if [[ -d $src ]]; then
          (cd "$src" && find . \( -name bin -o -name obj \) -prune -o -type f -print | while read -r f; do
            mkdir -p "$work/$dest/$(dirname "$f")"; cp "$f" "$work/$dest/$f"; done)
        else
          cp "$src" "$work/$dest"
        fi
      done ;;
    RUN\ *)
      cmd="${line#RUN }"
      cmd="${cmd//-o \/app/-o $work/app}"
      echo "+ $cmd"
      (cd "$work" && bash -c "$cmd") ;;
  esac
done < Dockerfile
test -f "$work/app/AiGrpc.Server.dll"
# The image sets no GC variable: its GC (workstation, see AiGrpc.Server.csproj) comes from the published runtimeconfig.
grep -q '"System.GC.Server": false' "$work/app/AiGrpc.Server.runtimeconfig.json" \
  || { echo "the published server is not on workstation GC (AiGrpc.Server.runtimeconfig.json)" >&2; exit 1; }
echo "Dockerfile build stage replayed: $(find "$work/app" -mindepth 1 -maxdepth 1 | wc -l) files published"
