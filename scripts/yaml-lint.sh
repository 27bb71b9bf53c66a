#!/usr/bin/env bash
# Gate: yamllint with the repo's rules (.yamllint.yaml) over every YAML file of the tree that git does not
# ignore; warnings count as errors. Usage: scripts/yaml-lint.sh [FILE...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -gt 0 ]; then
  yamllint --strict -c "$root/.yamllint.yaml" "$@"
else
  cd "$root" && yamllint --strict -c .yamllint.yaml .
fi
echo "yamllint: clean"
