#!/usr/bin/env python3
"""Re-checks every rule on the three JSON files (reads nothing else). Exit 1 on any violation."""
import json
import os
import re
import sys
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("traffic.json", "V", range(2701, 2731)),
         ("modular.json", "M", range(2801, 2831)),
         ("trenchless.json", "R", range(2901, 2931))]
GMIN, GMAX, OMIN = date(2024, 6, 1), date(2026, 12, 6), date(2025, 1, 6)
HAND = {"place-variant", "trade-vocabulary", "client-only", "typo"}
ALL_TAGS = HAND | {"overhead", "po-reference", "shared-supplier", "plain"}
RUT_DOT = re.compile(r"^\d{1,3}(\.\d{3}){1,2}-[\dK]$")
RUT_UND = re.compile(r"^\d{7,8}-[\dK]$")
errors = []


def err(f, msg):
    errors.append(f"{f}: {msg}")


def dv(body):
    s, m = 0, 2
    for d in reversed(body):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut_ok(r):
    if not (RUT_DOT.match(r) or RUT_UND.match(r)):
        return False
    body, d = r.replace(".", "").split("-")
    return dv(body) == d


def rnorm(r):
    return r.replace(".", "")


def norm(s):
    return s.lower().replace(" ", "").replace(".", "")


def is_date(s):
    try:
        return date.fromisoformat(s) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) else None
    except ValueError:
        return None


def keys_ok(f, obj, spec, what):
    if not isinstance(obj, dict) or set(obj) != set(spec):
        err(f, f"{what}: keys {sorted(obj) if isinstance(obj, dict) else type(obj)} != {sorted(spec)}")
        return False
    ok = True
    for k, t in spec.items():
        v = obj[k]
        good = (isinstance(v, t) and not isinstance(v, bool)) if t is not None else (v is None or (isinstance(v, int) and not isinstance(v, bool)))
        if not good:
            err(f, f"{what}: key {k} has wrong type {type(v).__name__}")
            ok = False
    return ok


def check(fname, prefix, idrange):
    path = os.path.join(HERE, "..", fname)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    f = fname
    if set(data) != {"company", "projects", "history", "bills"}:
        err(f, f"top-level keys {sorted(data)}")
    c = data["company"]
    keys_ok(f, c, {"name": str, "rut": str, "trade": str}, "company")
    if not (RUT_DOT.match(c["rut"]) and rut_ok(c["rut"])):
        err(f, f"company rut {c['rut']} invalid or not dotted")

    projects = data["projects"]
    pspec = {"id": int, "name": str, "code": str, "client": str, "location": str,
             "description": str, "keywords": list, "budget": int, "start_date": str, "end_date": str}
    if len(projects) != 30:
        err(f, f"{len(projects)} projects, need 30")
    pmap = {}
    for p in projects:
        if not keys_ok(f, p, pspec, f"project {p.get('id')}"):
            continue
        if p["id"] not in idrange:
            err(f, f"project id {p['id']} outside {idrange.start}-{idrange.stop - 1}")
        if p["id"] in pmap:
            err(f, f"duplicate project id {p['id']}")
        pmap[p["id"]] = p
        if len(p["keywords"]) != 1 or not all(isinstance(k, str) and k.strip() for k in p["keywords"]):
            err(f, f"project {p['id']}: keywords must be one non-empty string")
        if not re.fullmatch(r"[^,]+, Región .+", p["location"]):
            err(f, f"project {p['id']}: location format {p['location']!r}")
        s, e = is_date(p["start_date"]), is_date(p["end_date"])
        if not s or not e or not (GMIN <= s <= e <= GMAX):
            err(f, f"project {p['id']}: dates {p['start_date']}..{p['end_date']}")
        if p["budget"] <= 0:
            err(f, f"project {p['id']}: budget")
    if sorted(pmap) != list(idrange):
        err(f, "project ids do not cover the full range")
    kw = {pid: norm(p["keywords"][0]) for pid, p in pmap.items()}
    if len(set(kw.values())) != len(kw):
        err(f, "keywords not unique")
    for a in kw:
        for b in kw:
            if a != b and kw[a] in kw[b]:
                err(f, f"keyword of {a} contained in keyword of {b}")

    name_rut, rut_name = {}, {}

    def reg_sup(name, r, what):
        if not rut_ok(r):
            err(f, f"{what}: invalid RUT {r}")
        n = rnorm(r)
        name_rut.setdefault(name, set()).add(n)
        rut_name.setdefault(n, set()).add(name)

    history = data["history"]
    hspec = {"supplier_name": str, "supplier_rut": str, "description": str, "project_id": None}
    hist_proj, hist_ruts = {}, set()
    oh_hist = 0
    for i, h in enumerate(history):
        if not keys_ok(f, h, hspec, f"history[{i}]"):
            continue
        reg_sup(h["supplier_name"], h["supplier_rut"], f"history[{i}]")
        n = rnorm(h["supplier_rut"])
        hist_ruts.add(n)
        pid = h["project_id"]
        if pid is None:
            oh_hist += 1
        else:
            if pid not in pmap:
                err(f, f"history[{i}]: unknown project {pid}")
            hist_proj.setdefault(n, set()).add(pid)
        t = norm(h["description"])
        for q, k in kw.items():
            if q != pid and k in t:
                err(f, f"history[{i}] contains keyword of project {q}")
    if len(history) < 150:
        err(f, f"{len(history)} history rows, need >=150")
    for style, rx in (("dotted", RUT_DOT), ("undotted", RUT_UND)):
        if not any(rx.match(h["supplier_rut"]) for h in history):
            err(f, f"no {style} RUT in history")

    bills = data["bills"]
    bspec = {"id": str, "supplier_name": str, "supplier_rut": str, "issue_date": str,
             "invoice_description": str, "purchase_order": str, "amount": int, "lines": list,
             "expected_project_id": None, "difficulty": list}
    lspec = {"description": str, "quantity": (int, float), "unit": str, "unit_price": int}
    if len(bills) < 165:
        err(f, f"{len(bills)} bills, need >=165")
    ids = [b.get("id") for b in bills]
    width = max(3, len(str(len(bills))))
    if sorted(ids) != [f"{prefix}{i:0{width}d}" for i in range(1, len(bills) + 1)]:
        err(f, "bill ids are not a complete prefixed sequence")
    tagcount = {t: 0 for t in sorted(ALL_TAGS)}
    bill_ruts, bill_proj = set(), {}
    overhead = 0
    for b in bills:
        bid = b.get("id")
        if not keys_ok(f, b, bspec, f"bill {bid}"):
            continue
        reg_sup(b["supplier_name"], b["supplier_rut"], f"bill {bid}")
        n = rnorm(b["supplier_rut"])
        bill_ruts.add(n)
        pid = b["expected_project_id"]
        if not b["lines"]:
            err(f, f"bill {bid}: no lines")
        total = 0
        for j, l in enumerate(b["lines"]):
            if keys_ok(f, l, lspec, f"bill {bid} line {j}"):
                total += l["quantity"] * l["unit_price"]
        if total != b["amount"]:
            err(f, f"bill {bid}: amount {b['amount']} != sum of lines {total}")
        d = is_date(b["issue_date"])
        if pid is None:
            overhead += 1
            lo, hi = OMIN, GMAX
        elif pid in pmap:
            p = pmap[pid]
            bill_proj.setdefault(n, set()).add(pid)
            lo = date.fromisoformat(p["start_date"]) - timedelta(days=31)
            hi = min(date.fromisoformat(p["end_date"]) + timedelta(days=62), GMAX)
        else:
            err(f, f"bill {bid}: unknown project {pid}")
            continue
        if not d or not lo <= d <= hi:
            err(f, f"bill {bid}: issue_date {b['issue_date']} outside {lo}..{hi}")
        text = norm(" ".join([b["invoice_description"], b["purchase_order"]] +
                             [l.get("description", "") for l in b["lines"]]))
        for q, k in kw.items():
            if q != pid and k in text:
                err(f, f"bill {bid} contains keyword of project {q}")
        tags = b["difficulty"]
        if len(set(tags)) != len(tags) or not set(tags) <= ALL_TAGS or not tags:
            err(f, f"bill {bid}: bad difficulty list {tags}")
        exp = set(t for t in tags if t in HAND)
        if pid is None:
            exp.add("overhead")
            if exp & {"client-only"}:
                err(f, f"bill {bid}: overhead bill with client-only")
        elif kw[pid] in text:
            exp.add("po-reference")
        if len(hist_proj.get(n, ())) >= 2:
            exp.add("shared-supplier")
        if not exp:
            exp.add("plain")
        if set(tags) != exp:
            err(f, f"bill {bid}: difficulty {sorted(tags)} != expected {sorted(exp)}")
        if "client-only" in tags and pid in pmap:
            cl = pmap[pid]["client"]
            if sum(1 for p in projects if p["client"] == cl) != 1:
                err(f, f"bill {bid}: client-only but client has several projects")
        for t in tags:
            if t in tagcount:
                tagcount[t] += 1
    for style, rx in (("dotted", RUT_DOT), ("undotted", RUT_UND)):
        if not any(rx.match(b["supplier_rut"]) for b in bills):
            err(f, f"no {style} RUT in bills")
    for name, rs in name_rut.items():
        if len(rs) != 1:
            err(f, f"supplier {name!r} has several RUTs {sorted(rs)}")
    for r, ns in rut_name.items():
        if len(ns) != 1:
            err(f, f"RUT {r} has several names {sorted(ns)}")
    pct_oh = 100.0 * overhead / max(1, len(bills))
    if pct_oh < 18:
        err(f, f"overhead bills {pct_oh:.1f}% < 18%")
    never = bill_ruts - hist_ruts
    pct_never = 100.0 * len(never) / max(1, len(bill_ruts))
    if not 35 <= pct_never <= 50:
        err(f, f"bill suppliers never in history {pct_never:.1f}% not in 35-50%")
    multi = [r for r in bill_ruts if len(hist_proj.get(r, ())) >= 2 and len(bill_proj.get(r, ())) >= 2]
    if not multi:
        err(f, "no supplier serves several projects in both history and bills")
    return dict(file=fname, projects=len(projects), history=len(history), oh_hist=oh_hist,
                bills=len(bills), oh_pct=pct_oh, tags=tagcount,
                suppliers=len(set(name_rut)), bill_sups=len(bill_ruts),
                never=len(never), never_pct=pct_never)


def main():
    rows = []
    for fname, prefix, idr in FILES:
        if not os.path.exists(os.path.join(HERE, "..", fname)):
            err(fname, "missing")
            continue
        rows.append(check(fname, prefix, idr))
    if sum(r["bills"] for r in rows) < 500:
        err("all", f"total bills {sum(r['bills'] for r in rows)} < 500")
    with_oh = [r["file"] for r in rows if r["oh_hist"] > 0]
    if len(with_oh) != 2:
        err("all", f"overhead history rows appear in {len(with_oh)} files ({with_oh}), need exactly 2")
    tags = ["overhead", "po-reference", "shared-supplier", "place-variant",
            "trade-vocabulary", "client-only", "typo", "plain"]
    cols = ["file", "projects", "history", "overhead history", "bills", "overhead %"] + tags + \
           ["suppliers", "bill suppliers", "% never in history"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    tot = {"bills": 0, "history": 0, "oh_hist": 0, "projects": 0}
    for r in rows:
        vals = [r["file"], r["projects"], r["history"], r["oh_hist"], r["bills"], f"{r['oh_pct']:.1f}"] + \
               [r["tags"][t] for t in tags] + [r["suppliers"], r["bill_sups"],
                                               f"{r['never_pct']:.1f} ({r['never']})"]
        print("| " + " | ".join(str(v) for v in vals) + " |")
        for k in tot:
            tot[k] += r[k]
    print(f"\nTotal: {tot['projects']} projects, {tot['history']} history rows "
          f"({tot['oh_hist']} overhead), {tot['bills']} bills")
    if errors:
        print(f"\n{len(errors)} VIOLATION(S):")
        for e in errors:
            print("  -", e)
        sys.exit(1)
    print("\nAll checks passed.")


if __name__ == "__main__":
    main()
