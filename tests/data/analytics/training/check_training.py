#!/usr/bin/env python3
"""Consistency checks for the hand-written TRAINING set of supplier bills.

Usage:  python3 check_training.py [folder]     (default: the folder of this script)

Checks every *.json file of the folder and exits 1 on any violation:
  * schema keys, counts (>= 25 projects, >= 150 history rows, >= 130 bills)
  * overhead share of bills 18-25 %; overhead rows in the history of exactly
    two of the three companies
  * unique project ids/codes and bill ids (bill ids unique across files)
  * every expected_project_id / history project_id exists
  * Chilean RUT check digits (modulo 11) for company, history and bills
  * dates: ISO format, 2024-2026, start <= end, project bills issued between
    60 days before the project start and 120 days after its end
  * amount == sum(quantity * unit_price) and is a positive integer
  * difficulty tags from the allowed list; 'overhead' iff expected id is null
  * tag shares inside loose bands around the targets
  * 'shared-supplier': supplier has >= 2 distinct assignments in the history
    and the expected assignment is not its most frequent one
  * 'po-reference': the expected project has keywords
Prints a per-company table.
"""
import collections
import datetime as dt
import glob
import json
import os
import re
import sys

TAGS = {"overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"}
# (min %, max %) of bills carrying the tag; targets in brackets
BANDS = {
    "overhead": (18.0, 25.0),          # hard requirement
    "place-variant": (12.0, 32.0),     # [~20]
    "trade-vocabulary": (18.0, 35.0),  # [~25]
    "shared-supplier": (10.0, 35.0),   # [~15]
    "po-reference": (6.0, 15.0),       # [~10]
}
RUT_RE = re.compile(r"^(\d{1,3}(\.\d{3})*|\d+)-[\dkK]$")
errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def rut_ok(r):
    if not isinstance(r, str) or not RUT_RE.match(r):
        return False
    body, d = r.replace(".", "").split("-")
    s, m = 0, 2
    for c in reversed(body):
        s += int(c) * m
        m = 2 if m == 7 else m + 1
    v = 11 - s % 11
    exp = "0" if v == 11 else "K" if v == 10 else str(v)
    return d.upper() == exp


def rut_key(r):
    return r.replace(".", "").upper()


def date(s, where):
    try:
        d = dt.date.fromisoformat(s)
    except Exception:
        err(where, f"bad date {s!r}")
        return None
    if not (dt.date(2024, 1, 1) <= d <= dt.date(2026, 12, 31)):
        err(where, f"date {s} outside 2024-2026")
    return d


def check_file(path, seen_bill_ids):
    name = os.path.basename(path)
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for k in ("company", "projects", "history", "bills"):
        if k not in data:
            err(name, f"missing key {k}")
            return None
    c = data["company"]
    for k in ("name", "rut", "trade", "head_office"):
        if not c.get(k):
            err(name, f"company.{k} missing")
    if not rut_ok(c.get("rut", "")):
        err(name, f"company RUT {c.get('rut')} invalid")

    projects = {}
    codes = set()
    for p in data["projects"]:
        w = f"{name} project {p.get('id')}"
        for k in ("id", "code", "name", "description", "client", "location",
                  "start_date", "end_date", "budget", "keywords"):
            if k not in p:
                err(w, f"missing {k}")
        if p["id"] in projects:
            err(w, "duplicate project id")
        if p["code"] in codes:
            err(w, "duplicate project code")
        codes.add(p["code"])
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(w, "budget must be a positive integer (CLP)")
        if not isinstance(p["keywords"], list):
            err(w, "keywords must be a list")
        s, e = date(p["start_date"], w), date(p["end_date"], w)
        if s and e and s > e:
            err(w, "start_date after end_date")
        projects[p["id"]] = (p, s, e)

    hist = collections.defaultdict(collections.Counter)
    for i, h in enumerate(data["history"]):
        w = f"{name} history[{i}]"
        for k in ("supplier_rut", "supplier_name", "description", "project_id"):
            if k not in h:
                err(w, f"missing {k}")
        if not rut_ok(h["supplier_rut"]):
            err(w, f"RUT {h['supplier_rut']} invalid")
        if h["project_id"] is not None and h["project_id"] not in projects:
            err(w, f"project_id {h['project_id']} does not exist")
        hist[rut_key(h["supplier_rut"])][h["project_id"]] += 1

    bills = data["bills"]
    tagc = collections.Counter()
    sup_projects = collections.defaultdict(set)
    for b in bills:
        w = f"{name} bill {b.get('id')}"
        for k in ("id", "invoice_description", "supplier_rut", "supplier_name", "amount",
                  "issue_date", "purchase_order", "lines", "expected_project_id", "difficulty"):
            if k not in b:
                err(w, f"missing {k}")
        if b["id"] in seen_bill_ids:
            err(w, "duplicate bill id")
        seen_bill_ids.add(b["id"])
        if not rut_ok(b["supplier_rut"]):
            err(w, f"RUT {b['supplier_rut']} invalid")
        d = date(b["issue_date"], w)
        pid = b["expected_project_id"]
        if pid is not None:
            if pid not in projects:
                err(w, f"expected_project_id {pid} does not exist")
            else:
                _, s, e = projects[pid]
                if d and s and e and not (s - dt.timedelta(days=60) <= d <= e + dt.timedelta(days=120)):
                    err(w, f"issue_date {d} far from project {pid} dates {s}..{e}")
            sup_projects[rut_key(b["supplier_rut"])].add(pid)
        if not b["lines"]:
            err(w, "no lines")
        total = 0
        for ln in b["lines"]:
            for k in ("description", "quantity", "unit", "unit_price"):
                if k not in ln:
                    err(w, f"line missing {k}")
            total += ln["quantity"] * ln["unit_price"]
        if not isinstance(b["amount"], int) or b["amount"] <= 0:
            err(w, "amount must be a positive integer")
        if abs(total - b["amount"]) > 1e-6:
            err(w, f"amount {b['amount']} != sum of lines {total}")
        tags = b["difficulty"]
        if not tags or len(set(tags)) != len(tags):
            err(w, "difficulty empty or repeated")
        for t in tags:
            if t not in TAGS:
                err(w, f"unknown tag {t}")
        tagc.update(set(tags))
        if ("overhead" in tags) != (pid is None):
            err(w, "'overhead' tag must be present exactly when expected_project_id is null")
        if "shared-supplier" in tags:
            c = hist.get(rut_key(b["supplier_rut"]), collections.Counter())
            top = max(c.values()) if c else 0
            if len(c) < 2 or c.get(pid, 0) >= top:
                err(w, f"shared-supplier but history of supplier is {dict(c)}")
        if "po-reference" in tags and pid is not None and pid in projects and not projects[pid][0]["keywords"]:
            err(w, "po-reference but the expected project has no keywords")

    n = len(bills)
    if len(projects) < 25:
        err(name, f"only {len(projects)} projects (< 25)")
    if len(data["history"]) < 150:
        err(name, f"only {len(data['history'])} history rows (< 150)")
    if n < 130:
        err(name, f"only {n} bills (< 130)")
    for t, (lo, hi) in BANDS.items():
        pct = 100.0 * tagc[t] / n if n else 0
        if not (lo <= pct <= hi):
            err(name, f"tag {t} at {pct:.1f}% outside [{lo}, {hi}]")
    if not any(len(v) >= 2 for v in sup_projects.values()):
        err(name, "no supplier bills several projects")
    unused = [pid for pid in projects if pid not in {b["expected_project_id"] for b in bills}]
    return {
        "file": name, "company": c.get("name", ""), "projects": len(projects),
        "history": len(data["history"]),
        "hist_overhead": sum(1 for h in data["history"] if h["project_id"] is None),
        "bills": n, "tags": tagc, "unused": unused,
    }


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    files = sorted(glob.glob(os.path.join(folder, "*.json")))
    if len(files) != 3:
        err(folder, f"expected 3 JSON files, found {len(files)}")
    seen = set()
    rows = [r for r in (check_file(f, seen) for f in files) if r]
    with_oh = [r for r in rows if r["hist_overhead"] > 0]
    if len(rows) == 3 and len(with_oh) != 2:
        err(folder, f"overhead rows must be in the history of exactly 2 companies, found {len(with_oh)}")

    cols = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
            "po-reference", "client-only", "typo", "plain"]
    head = f"{'file':30s} {'proj':>4s} {'hist':>4s} {'h-oh':>4s} {'bills':>5s} " + " ".join(f"{c[:10]:>10s}" for c in cols)
    print(head)
    print("-" * len(head))
    for r in rows:
        cells = " ".join(f"{r['tags'][c]:3d} {100*r['tags'][c]/r['bills']:5.1f}%" for c in cols)
        print(f"{r['file']:30s} {r['projects']:4d} {r['history']:4d} {r['hist_overhead']:4d} {r['bills']:5d} {cells}")
        if r["unused"]:
            print(f"{'':30s} projects without any bill: {r['unused']}")
    if errors:
        print(f"\n{len(errors)} violation(s):")
        for e in errors:
            print("  " + e)
        return 1
    print("\nOK: no violations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
