#!/usr/bin/env bash
# Gate: secretlint (.secretlintrc.json: the recommended rules plus this service's key shapes, with the
# test keys allowed by exact value) over every file of the tree that git does not ignore.
# Usage: scripts/secret-scan.sh [FILE...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secretlint=$root/build/tools/secretlint/node_modules/.bin/secretlint
[ -x "$secretlint" ] || { echo "secretlint is missing: run make deps" >&2; exit 2; }
if [ $# -gt 0 ]; then
  files=("$@")
else
  cd "$root"
  files=()
  while IFS= read -r -d '' f; do [ -f "$f" ] && files+=("$f"); done < <(git ls-files -z --cached --others --exclude-standard)
fi
# Masked output: a finding names file, line and rule, never the value itself (CI logs are public).
"$secretlint" --secretlintrc "$root/.secretlintrc.json" --secretlintignore "$root/.secretlintignore" "${files[@]}"
echo "secretlint: ${#files[@]} files, no secrets"
