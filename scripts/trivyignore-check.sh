#!/usr/bin/env bash
# Gate: every entry of the image scan's ignore file (.trivyignore.yaml) has an id, a statement and an
# expired_at date that is neither past nor more than TRIVYIGNORE_MAX_DAYS (90) ahead, so no finding is
# ignored for good. Usage: scripts/trivyignore-check.sh [FILE]
set -euo pipefail
file=${1:-$(cd "$(dirname "$0")/.." && pwd)/.trivyignore.yaml}
python3 - "$file" "${TRIVYIGNORE_MAX_DAYS:-90}" <<'PY'
import datetime, sys
import yaml  # python3-yaml, installed with yamllint

path, max_days = sys.argv[1], int(sys.argv[2])
doc = yaml.safe_load(open(path, encoding="utf-8")) or {}
today = datetime.date.today()
problems, count = [], 0
if not isinstance(doc, dict):
    problems.append("the file is not a mapping of finding kinds")
    doc = {}
for kind, entries in doc.items():
    if kind not in ("vulnerabilities", "misconfigurations", "secrets", "licenses"):
        problems.append(f"unknown section {kind!r}")
        continue
    for entry in entries or []:
        count += 1
        ident = entry.get("id") if isinstance(entry, dict) else None
        if not ident:
            problems.append(f"{kind}: an entry without id: {entry!r}")
            continue
        expiry = entry.get("expired_at")
        if not isinstance(expiry, datetime.date):
            problems.append(f"{ident}: no expired_at date (YYYY-MM-DD)")
        elif expiry < today:
            problems.append(f"{ident}: expired on {expiry}: fix it, or renew with a reason")
        elif (expiry - today).days > max_days:
            problems.append(f"{ident}: expired_at {expiry} is more than {max_days} days ahead")
        if not str(entry.get("statement") or "").strip():
            problems.append(f"{ident}: no statement saying why it is accepted")
for p in problems:
    print(f"trivyignore: {path}: {p}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"trivyignore: {count} accepted finding(s), each dated and explained")
PY
