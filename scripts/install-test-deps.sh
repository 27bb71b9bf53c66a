#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine, only what is missing:
# redis-server (cache/limiter tests), prometheus (promtool + a real scrape), kubectl (kustomize),
# nghttp2-client and wrk (benchmarks), xmlsec1 and libxml2-utils (the corpus's independent judges), and buf (proto
# lint, from npm into build/tools); the supply-chain gates' shellcheck, yamllint and secretlint (block at the end).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v promtool >/dev/null || need+=(prometheus)
command -v kubectl >/dev/null || need+=(kubectl)
command -v h2load >/dev/null || need+=(nghttp2-client)
command -v wrk >/dev/null || need+=(wrk)
# Independent judges of the real-DTE corpus (tests/data/validation/corpus/judge.sh): XML-DSig, XSD, python3 glue.
command -v xmlsec1 >/dev/null || need+=(xmlsec1)
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian's packages start their daemons where systemd runs; tests start their own on loopback.
  for svc in redis-server prometheus; do $SUDO service "$svc" stop >/dev/null 2>&1 || true; done
fi

BUF_VERSION=1.75.0
if [ ! -x build/tools/node_modules/.bin/buf ] || ! build/tools/node_modules/.bin/buf --version 2>/dev/null | grep -q "$BUF_VERSION"; then
  echo "installing: @bufbuild/buf@$BUF_VERSION (npm)"
  mkdir -p build/tools
  npm install --silent --no-audit --no-fund --prefix build/tools "@bufbuild/buf@$BUF_VERSION" >/dev/null 2>&1 || \
    npm install --no-audit --no-fund --prefix build/tools "@bufbuild/buf@$BUF_VERSION"
fi

# --- REST API checks (`make api-test`): Spectral lints the served OpenAPI document, newman runs the Postman
# collection (examples/postman). Pinned, from npm into build/tools like buf.
SPECTRAL_VERSION=6.16.3
NEWMAN_VERSION=6.2.2
api_tools=()
build/tools/node_modules/.bin/spectral --version 2>/dev/null | grep -qx "$SPECTRAL_VERSION" || api_tools+=("@stoplight/spectral-cli@$SPECTRAL_VERSION")
build/tools/node_modules/.bin/newman --version 2>/dev/null | grep -qx "$NEWMAN_VERSION" || api_tools+=("newman@$NEWMAN_VERSION")
if [ ${#api_tools[@]} -gt 0 ]; then
  echo "installing: ${api_tools[*]} (npm)"
  mkdir -p build/tools
  npm install --silent --no-audit --no-fund --save-exact --prefix build/tools "${api_tools[@]}" >/dev/null 2>&1 || \
    npm install --no-audit --no-fund --save-exact --prefix build/tools "${api_tools[@]}"
fi

# --- Supply-chain gates (issue 22): shellcheck and yamllint (Debian), secretlint (npm) ---------------
# The CycloneDX SBOM tool is not installed here: it is pinned in .config/dotnet-tools.json and
# `make sbom` restores it (dotnet tool restore).
gates=()
command -v shellcheck >/dev/null || gates+=(shellcheck)
command -v yamllint >/dev/null || gates+=(yamllint)
command -v jq >/dev/null || gates+=(jq)      # audit and SBOM reports
command -v curl >/dev/null || gates+=(curl)  # smoke test, audit sources
if [ ${#gates[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "installing: ${gates[*]}"
  # Fresh package lists only when the block above did not just fetch them.
  apt-cache policy "${gates[0]}" 2>/dev/null | grep -q 'Candidate: [0-9]' || $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${gates[@]}" >/dev/null
fi
SECRETLINT_VERSION=13.0.6
secretlint_packages=("secretlint@$SECRETLINT_VERSION" "@secretlint/secretlint-rule-preset-recommend@13.0.7"
  "@secretlint/secretlint-rule-pattern@13.0.6")
secretlint=build/tools/secretlint/node_modules/.bin/secretlint
if [ ! -x "$secretlint" ] || [ "$("$secretlint" --version 2>/dev/null)" != "$SECRETLINT_VERSION" ] \
  || [ ! -d build/tools/secretlint/node_modules/@secretlint/secretlint-rule-pattern ]; then
  echo "installing: ${secretlint_packages[*]} (npm)"
  mkdir -p build/tools/secretlint
  npm install --silent --no-audit --no-fund --prefix build/tools/secretlint "${secretlint_packages[@]}" >/dev/null
fi
