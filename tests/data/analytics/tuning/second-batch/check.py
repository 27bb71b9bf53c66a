#!/usr/bin/env python3
"""Verify the blind2 evaluation files. Exits non-zero on any violation.

Checks: exact schema and types, módulo-11 check digits of every RUT, one RUT
per supplier name, amount == sum(quantity * unit_price), project ids and
dates, bill id prefixes, minimum counts (projects, history, bills, overhead
share), overhead history in exactly two of the three files, and the
rule-based tags (overhead, shared-supplier, po-reference) recomputed from
scratch; also that no bill carries an identifier of another project.
Standard library only.
"""
import datetime as dt
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = {"electrical.json": "X", "telecom.json": "T", "water-industrial.json": "W"}
TAGS = {"overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
        "client-only", "typo", "plain"}
COMPANY_KEYS = {"name", "rut", "trade", "head_office"}
PROJECT_KEYS = {"id", "code", "name", "description", "client", "location", "start_date",
                "end_date", "budget", "keywords"}
HISTORY_KEYS = {"supplier_rut", "supplier_name", "description", "project_id"}
BILL_KEYS = {"id", "invoice_description", "supplier_rut", "supplier_name", "amount", "issue_date",
             "purchase_order", "lines", "expected_project_id", "difficulty"}
LINE_KEYS = {"description", "quantity", "unit", "unit_price"}
MIN_PROJECTS, MIN_HISTORY, MIN_BILLS, MIN_OVERHEAD_SHARE = 25, 150, 140, 0.15

errors = []


def err(msg):
    errors.append(msg)


def dv(body):
    s, m = 0, 2
    for d in reversed(body):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return {11: "0", 10: "K"}.get(r, str(r))


RUT_RE = re.compile(r"^(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([0-9Kk])$")


def rut_ok(rut):
    m = RUT_RE.match(rut or "")
    if not m:
        return False
    body = m.group(1).replace(".", "")
    return dv(body) == m.group(2).upper()


def rut_norm(rut):
    return rut.replace(".", "").upper()


def norm_id(text):
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def date(s, where):
    try:
        return dt.date.fromisoformat(s)
    except Exception:  # noqa: BLE001
        err(f"{where}: bad date {s!r}")
        return None


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_file(fname, prefix):
    path = os.path.join(HERE, "..", fname)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    w = fname
    if set(data) != {"company", "projects", "history", "bills"}:
        err(f"{w}: top-level keys {sorted(data)}")
        return None
    c = data["company"]
    if set(c) != COMPANY_KEYS or not all(isinstance(c[k], str) and c[k] for k in COMPANY_KEYS):
        err(f"{w}: company schema")
    elif not rut_ok(c["rut"]):
        err(f"{w}: company RUT {c['rut']} has a wrong check digit")

    projects = {}
    for p in data["projects"]:
        if set(p) != PROJECT_KEYS:
            err(f"{w}: project keys {sorted(p)}")
            continue
        if not is_int(p["id"]) or p["id"] in projects:
            err(f"{w}: project id {p['id']!r} not int or duplicated")
        for k in ("code", "name", "description", "client", "location"):
            if not isinstance(p[k], str) or not p[k].strip():
                err(f"{w}: project {p['id']} empty {k}")
        if not is_int(p["budget"]) or p["budget"] <= 0:
            err(f"{w}: project {p['id']} budget")
        if not isinstance(p["keywords"], list) or not all(isinstance(k, str) and len(norm_id(k)) >= 8
                                                           for k in p["keywords"]):
            err(f"{w}: project {p['id']} keywords must be a list of identifiers (>= 8 alphanumerics)")
        s, e = date(p["start_date"], w), date(p["end_date"], w)
        if s and e and s >= e:
            err(f"{w}: project {p['id']} start >= end")
        projects[p["id"]] = (p, s, e)
    if len(projects) < MIN_PROJECTS:
        err(f"{w}: {len(projects)} projects < {MIN_PROJECTS}")

    name_rut = {}

    def supplier(rut, name, where):
        if not rut_ok(rut):
            err(f"{where}: RUT {rut!r} invalid")
        n = rut_norm(rut)
        if name in name_rut and name_rut[name] != n:
            err(f"{where}: supplier {name} has two RUTs")
        name_rut.setdefault(name, n)
        return n

    hist = Counter()
    per_sup = {}
    for i, h in enumerate(data["history"]):
        where = f"{w} history[{i}]"
        if set(h) != HISTORY_KEYS:
            err(f"{where}: keys {sorted(h)}")
            continue
        if not isinstance(h["description"], str) or not h["description"].strip():
            err(f"{where}: empty description")
        if h["project_id"] is not None and h["project_id"] not in projects:
            err(f"{where}: unknown project {h['project_id']}")
        n = supplier(h["supplier_rut"], h["supplier_name"], where)
        per_sup.setdefault(n, Counter())[h["project_id"]] += 1
        hist[h["project_id"] is None] += 1
    if len(data["history"]) < MIN_HISTORY:
        err(f"{w}: {len(data['history'])} history rows < {MIN_HISTORY}")

    kws = {pid: [norm_id(k) for k in p["keywords"]] for pid, (p, _, _) in projects.items()}
    ids = set()
    n_oh = 0
    for b in data["bills"]:
        where = f"{w} bill {b.get('id')}"
        if set(b) != BILL_KEYS:
            err(f"{where}: keys {sorted(b)}")
            continue
        if not re.fullmatch(prefix + r"\d{3}", str(b["id"])) or b["id"] in ids:
            err(f"{where}: bad or duplicated id")
        ids.add(b["id"])
        for k in ("invoice_description", "supplier_name"):
            if not isinstance(b[k], str) or not b[k].strip():
                err(f"{where}: empty {k}")
        if not isinstance(b["purchase_order"], str):
            err(f"{where}: purchase_order must be a string")
        n = supplier(b["supplier_rut"], b["supplier_name"], where)
        if not b["lines"]:
            err(f"{where}: no lines")
        total = 0
        for ln in b["lines"]:
            if set(ln) != LINE_KEYS or not is_num(ln["quantity"]) or not is_num(ln["unit_price"]) \
                    or not isinstance(ln["description"], str) or not isinstance(ln["unit"], str):
                err(f"{where}: line schema {ln}")
                continue
            if ln["quantity"] <= 0 or ln["unit_price"] <= 0:
                err(f"{where}: non-positive quantity or price")
            total += ln["quantity"] * ln["unit_price"]
        if not is_int(b["amount"]) or abs(b["amount"] - total) > 1e-6:
            err(f"{where}: amount {b['amount']} != sum of lines {total}")
        pid = b["expected_project_id"]
        if pid is not None and pid not in projects:
            err(f"{where}: unknown expected project {pid}")
            continue
        d = date(b["issue_date"], where)
        if pid is not None and d:
            _, s, e = projects[pid]
            if s and e and not (s - dt.timedelta(days=31) <= d <= e + dt.timedelta(days=62)):
                err(f"{where}: issue date {d} far outside project {pid} dates {s}..{e}")
        tags = b["difficulty"]
        if not isinstance(tags, list) or not tags or not set(tags) <= TAGS or len(set(tags)) != len(tags):
            err(f"{where}: difficulty tags {tags}")
            continue
        # rule: overhead
        if ("overhead" in tags) != (pid is None):
            err(f"{where}: overhead tag must be set exactly when expected_project_id is null")
        n_oh += pid is None
        # rule: po-reference, and no identifier of another project
        text = norm_id(" ".join([b["invoice_description"], b["purchase_order"]] +
                                [ln.get("description", "") for ln in b["lines"]]))
        own = False
        for p2, ks in kws.items():
            hit = any(k in text for k in ks)
            if hit and p2 != pid:
                err(f"{where}: carries an identifier of project {p2}")
            if hit and p2 == pid:
                own = True
        if own != ("po-reference" in tags):
            err(f"{where}: po-reference tag {'missing' if own else 'wrong'}")
        # rule: shared-supplier
        cnt = per_sup.get(n, Counter())
        shared = len(cnt) >= 2 and cnt.get(pid, 0) < max(cnt.values())
        if shared != ("shared-supplier" in tags):
            err(f"{where}: shared-supplier tag {'missing' if shared else 'wrong'} (history {dict(cnt)})")
    nb = len(data["bills"])
    if nb < MIN_BILLS:
        err(f"{w}: {nb} bills < {MIN_BILLS}")
    if nb and n_oh / nb < MIN_OVERHEAD_SHARE:
        err(f"{w}: overhead share {n_oh / nb:.1%} < {MIN_OVERHEAD_SHARE:.0%}")
    return {"file": w, "projects": len(projects), "history": len(data["history"]),
            "history_overhead": hist[True], "bills": nb, "overhead": n_oh,
            "tags": Counter(t for b in data["bills"] for t in b["difficulty"])}


def main():
    rows = []
    for fname, prefix in FILES.items():
        if not os.path.exists(os.path.join(HERE, "..", fname)):
            err(f"{fname}: missing")
            continue
        r = check_file(fname, prefix)
        if r:
            rows.append(r)
    if len(rows) == 3:
        with_oh = [r["file"] for r in rows if r["history_overhead"] > 0]
        if len(with_oh) != 2:
            err(f"overhead history must be in exactly two files, found in {with_oh}")
        if sum(r["bills"] for r in rows) < 420:
            err("fewer than 420 bills in total")
    for r in rows:
        print(f"{r['file']}: projects={r['projects']} history={r['history']} "
              f"(overhead {r['history_overhead']}) bills={r['bills']} overhead={r['overhead']} "
              f"({100 * r['overhead'] / max(r['bills'], 1):.1f}%) tags={dict(sorted(r['tags'].items()))}")
    if errors:
        print(f"\n{len(errors)} violation(s):")
        for e in errors[:200]:
            print(" -", e)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
