#!/usr/bin/env bash
# Gate: shellcheck over every shell script of the tree (*.sh, and files whose first line runs bash or sh,
# such as .ci/run), tracked or new but not ignored. Usage: scripts/shell-lint.sh [FILE...]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  files=("$@")
else
  files=()
  while IFS= read -r -d '' f; do
    [ -f "$f" ] || continue
    case "$f" in
      *.sh) files+=("$f") ;;
      *) head -n1 "$f" 2>/dev/null | grep -qE '^#!.*[/ ](ba)?sh( |$)' && files+=("$f") ;;
    esac
  done < <(git ls-files -z --cached --others --exclude-standard)
fi
shellcheck --external-sources "${files[@]}"
echo "shellcheck: ${#files[@]} scripts clean"
