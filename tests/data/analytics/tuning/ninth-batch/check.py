#!/usr/bin/env python3
"""Re-check every rule of the brief on the three JSON files (reads nothing else).

Prints a counts table per file and exits 1 on any violation.
"""
import datetime as dt
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("automation.json", "A", 2101), ("facades.json", "F", 2201), ("greenspaces.json", "G", 2301)]
TAGS = ["place-variant", "trade-vocabulary", "client-only", "typo",
        "overhead", "po-reference", "shared-supplier", "plain"]
HAND = {"place-variant", "trade-vocabulary", "client-only", "typo"}
LIMIT_LO = dt.date(2024, 6, 1)
LIMIT_HI = dt.date(2026, 12, 6)
OVH_LO = dt.date(2025, 1, 6)
RE_DOT = re.compile(r"^\d{1,2}\.\d{3}\.\d{3}-[0-9K]$")
RE_UND = re.compile(r"^\d{7,8}-[0-9K]$")
RE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RE_LOC = re.compile(r"^[^,]+, Región (de |del |Metropolitana ).+$")

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
    if not (RE_DOT.match(r) or RE_UND.match(r)):
        return False
    body, d = r.replace(".", "").split("-")
    return dv(body) == d


def rkey(r):
    return r.replace(".", "").upper()


def norm(s):
    return s.lower().replace(" ", "").replace(".", "")


def keys_exact(f, where, obj, spec):
    if not isinstance(obj, dict):
        err(f, f"{where}: not an object")
        return False
    if set(obj) != set(spec):
        err(f, f"{where}: keys {sorted(obj)} != {sorted(spec)}")
        return False
    ok = True
    for k, t in spec.items():
        v = obj[k]
        if t == "int":
            good = isinstance(v, int) and not isinstance(v, bool)
        elif t == "int?":
            good = v is None or (isinstance(v, int) and not isinstance(v, bool))
        elif t == "num":
            good = isinstance(v, (int, float)) and not isinstance(v, bool)
        elif t == "str":
            good = isinstance(v, str) and v.strip() != ""
        elif t == "str0":
            good = isinstance(v, str)
        elif t == "list":
            good = isinstance(v, list)
        elif t == "dict":
            good = isinstance(v, dict)
        else:
            good = False
        if not good:
            err(f, f"{where}: key {k} has bad type/value {v!r}")
            ok = False
    return ok


def date(f, where, s):
    if not isinstance(s, str) or not RE_DATE.match(s):
        err(f, f"{where}: bad date {s!r}")
        return None
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        err(f, f"{where}: bad date {s!r}")
        return None


def bill_text(b):
    return " ".join([b["invoice_description"], b["purchase_order"], b["supplier_name"]]
                    + [l["description"] for l in b["lines"]])


def check_file(fname, prefix, id0):
    path = os.path.join(HERE, "..", fname)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    f = fname
    keys_exact(f, "root", data, {"company": "dict", "projects": "list", "history": "list", "bills": "list"})
    keys_exact(f, "company", data["company"], {"name": "str", "rut": "str", "trade": "str"})
    if not RE_DOT.match(data["company"]["rut"]) or not rut_ok(data["company"]["rut"]):
        err(f, f"company rut {data['company']['rut']} not dotted/valid")

    # projects
    P = data["projects"]
    if len(P) != 30:
        err(f, f"{len(P)} projects, need 30")
    pspec = {"id": "int", "name": "str", "code": "str", "client": "str", "location": "str",
             "description": "str", "keywords": "list", "budget": "int", "start_date": "str", "end_date": "str"}
    pmap = {}
    for p in P:
        if not keys_exact(f, f"project {p.get('id')}", p, pspec):
            continue
        if p["id"] in pmap:
            err(f, f"duplicate project id {p['id']}")
        pmap[p["id"]] = p
        if not (id0 <= p["id"] <= id0 + 29):
            err(f, f"project id {p['id']} out of range")
        if len(p["keywords"]) != 1 or not isinstance(p["keywords"][0], str) or not p["keywords"][0].strip():
            err(f, f"project {p['id']}: keywords must be one string")
        if not RE_LOC.match(p["location"]):
            err(f, f"project {p['id']}: location {p['location']!r}")
        if p["budget"] <= 0:
            err(f, f"project {p['id']}: budget")
        s, e = date(f, f"project {p['id']}", p["start_date"]), date(f, f"project {p['id']}", p["end_date"])
        if s and e and not (LIMIT_LO <= s <= e <= LIMIT_HI):
            err(f, f"project {p['id']}: dates {s}..{e} outside limits")
    if sorted(pmap) != list(range(id0, id0 + 30)):
        err(f, "project ids not exactly the expected 30")
    codes = [p["code"] for p in P]
    if len(set(codes)) != len(codes):
        err(f, "duplicate project codes")
    kw = {pid: norm(p["keywords"][0]) for pid, p in pmap.items()}
    if len(set(kw.values())) != len(kw):
        err(f, "duplicate keywords")
    for a in kw:
        for b in kw:
            if a != b and kw[a] in kw[b]:
                err(f, f"keyword of {a} inside keyword of {b}")
        for pid, p in pmap.items():
            if pid != a and kw[a] in norm(" ".join([p["name"], p["description"], p["code"], p["client"]])):
                err(f, f"keyword of {a} appears in project {pid}")
    regions = {p["location"].split(", ", 1)[1] for p in P}
    if len(regions) < 5:
        err(f, f"only {len(regions)} regions")
    clients = {}
    for p in P:
        clients.setdefault(p["client"], []).append(p)
    if not any(len({x["location"] for x in v}) >= 2 for v in clients.values()):
        err(f, "no client with two sites")
    communes = {}
    for p in P:
        communes.setdefault(p["location"], []).append(p["id"])
    if not any(len(v) >= 2 for v in communes.values()):
        err(f, "no commune with two projects")

    # history
    H = data["history"]
    hspec = {"supplier_name": "str", "supplier_rut": "str", "description": "str", "project_id": "int?"}
    name_of, rut_of = {}, {}
    for i, h in enumerate(H):
        if not keys_exact(f, f"history[{i}]", h, hspec):
            continue
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err(f, f"history[{i}]: unknown project {h['project_id']}")
    if len(H) < 150:
        err(f, f"{len(H)} history rows, need >= 150")

    # bills
    B = data["bills"]
    bspec = {"id": "str", "supplier_name": "str", "supplier_rut": "str", "issue_date": "str",
             "invoice_description": "str", "purchase_order": "str0", "amount": "int", "lines": "list",
             "expected_project_id": "int?", "difficulty": "list"}
    lspec = {"description": "str", "quantity": "num", "unit": "str", "unit_price": "int"}
    if len(B) < 165:
        err(f, f"{len(B)} bills, need >= 165")
    ids = []
    for b in B:
        if not keys_exact(f, f"bill {b.get('id')}", b, bspec):
            continue
        ids.append(b["id"])
        tot = 0
        if not b["lines"]:
            err(f, f"bill {b['id']}: no lines")
        for j, l in enumerate(b["lines"]):
            if keys_exact(f, f"bill {b['id']} line {j}", l, lspec):
                v = l["quantity"] * l["unit_price"]
                if v != int(v) or l["quantity"] <= 0 or l["unit_price"] <= 0:
                    err(f, f"bill {b['id']} line {j}: non-integer or non-positive")
                tot += v
        if tot != b["amount"]:
            err(f, f"bill {b['id']}: amount {b['amount']} != {tot}")
        pid = b["expected_project_id"]
        d = date(f, f"bill {b['id']}", b["issue_date"])
        if pid is not None and pid not in pmap:
            err(f, f"bill {b['id']}: unknown project {pid}")
        elif d:
            if pid is None:
                lo, hi = OVH_LO, LIMIT_HI
            else:
                p = pmap[pid]
                lo = dt.date.fromisoformat(p["start_date"]) - dt.timedelta(days=31)
                hi = min(dt.date.fromisoformat(p["end_date"]) + dt.timedelta(days=62), LIMIT_HI)
            if not (lo <= d <= hi):
                err(f, f"bill {b['id']}: date {d} outside {lo}..{hi}")
    exp_ids = [f"{prefix}{i:03d}" for i in range(1, len(B) + 1)]
    if ids != exp_ids:
        err(f, "bill ids are not prefix + 001..n in order")
    seq = [b["expected_project_id"] or 0 for b in B]
    if seq == sorted(seq) or seq == sorted(seq, reverse=True):
        err(f, "bills do not look shuffled")

    # RUTs and names (history + bills)
    spell = {"hist": set(), "bill": set()}
    for src, rowsx in (("hist", H), ("bill", B)):
        for r in rowsx:
            rt = r.get("supplier_rut", "")
            if not rut_ok(rt):
                err(f, f"{src}: invalid rut {rt!r} ({r.get('supplier_name')})")
                continue
            spell[src].add("dot" if "." in rt else "und")
            k = rkey(rt)
            name_of.setdefault(k, set()).add(r["supplier_name"])
            rut_of.setdefault(r["supplier_name"], set()).add(k)
    for k, v in name_of.items():
        if len(v) > 1:
            err(f, f"rut {k} has several names {v}")
    for k, v in rut_of.items():
        if len(v) > 1:
            err(f, f"name {k} has several ruts {v}")
    for src in spell:
        if spell[src] != {"dot", "und"}:
            err(f, f"{src}: rut spellings not mixed ({spell[src]})")

    # keyword leakage
    for i, h in enumerate(H):
        t = norm(" ".join([h["description"], h["supplier_name"]]))
        for pid, k in kw.items():
            if k in t and pid != h["project_id"]:
                err(f, f"history[{i}] contains keyword of project {pid}")
    for b in B:
        t = norm(bill_text(b))
        for pid, k in kw.items():
            if k in t and pid != b["expected_project_id"]:
                err(f, f"bill {b['id']} contains keyword of project {pid}")

    # tags
    hist_proj = {}
    for h in H:
        if h["project_id"] is not None:
            hist_proj.setdefault(rkey(h["supplier_rut"]), set()).add(h["project_id"])
    counts = {t: 0 for t in TAGS}
    for b in B:
        tags = b["difficulty"]
        if len(set(tags)) != len(tags) or not tags:
            err(f, f"bill {b['id']}: empty or duplicate tags")
        for t in tags:
            if t not in TAGS:
                err(f, f"bill {b['id']}: unknown tag {t}")
            else:
                counts[t] += 1
        pid = b["expected_project_id"]
        want_over = pid is None
        want_po = pid is not None and kw[pid] in norm(" ".join([b["invoice_description"], b["purchase_order"]]
                                                                + [l["description"] for l in b["lines"]]))
        want_sh = len(hist_proj.get(rkey(b["supplier_rut"]), ())) >= 2
        for t, want in (("overhead", want_over), ("po-reference", want_po), ("shared-supplier", want_sh)):
            if (t in tags) != want:
                err(f, f"bill {b['id']}: tag {t} should be {want}")
        others = [t for t in tags if t != "plain"]
        if ("plain" in tags) == bool(others):
            err(f, f"bill {b['id']}: plain must be present iff no other tag")
        if "client-only" in tags:
            if pid is None or len(clients[pmap[pid]["client"]]) != 1:
                err(f, f"bill {b['id']}: client-only but client has several projects / overhead")
        if pid is None and set(tags) & {"client-only", "place-variant", "trade-vocabulary", "typo"}:
            err(f, f"bill {b['id']}: hand tags on an overhead bill")

    n_over = sum(1 for b in B if b["expected_project_id"] is None)
    over_pct = 100.0 * n_over / len(B) if B else 0
    if over_pct < 18:
        err(f, f"overhead bills {over_pct:.1f}% < 18%")
    hist_ruts = {rkey(h["supplier_rut"]) for h in H}
    bill_ruts = {rkey(b["supplier_rut"]) for b in B}
    never = bill_ruts - hist_ruts
    never_pct = 100.0 * len(never) / len(bill_ruts)
    if not (35 <= never_pct <= 50):
        err(f, f"{never_pct:.1f}% of bill suppliers never in history (need 35-50)")
    multi_h = {k for k, v in hist_proj.items() if len(v) >= 2}
    bill_proj = {}
    for b in B:
        if b["expected_project_id"] is not None:
            bill_proj.setdefault(rkey(b["supplier_rut"]), set()).add(b["expected_project_id"])
    if not multi_h or not any(len(v) >= 2 for v in bill_proj.values()):
        err(f, "no supplier serving several projects in history and bills")
    for pid in pmap:
        if not any(b["expected_project_id"] == pid for b in B):
            err(f, f"project {pid} has no bill")

    return {
        "file": fname, "projects": len(P), "history": len(H),
        "overhead history": sum(1 for h in H if h["project_id"] is None),
        "bills": len(B), "overhead %": f"{over_pct:.1f}",
        **{t: counts[t] for t in TAGS},
        "suppliers": len(hist_ruts | bill_ruts), "bill suppliers": len(bill_ruts),
        "% never in history": f"{never_pct:.1f}",
    }


def main():
    res = []
    for fname, prefix, id0 in FILES:
        if not os.path.exists(os.path.join(HERE, "..", fname)):
            err(fname, "missing")
            continue
        res.append(check_file(fname, prefix, id0))
    if res:
        total = sum(r["bills"] for r in res)
        if len(res) == 3 and total < 500:
            errors.append(f"all files: {total} bills < 500")
        with_oh = [r["file"] for r in res if r["overhead history"] > 0]
        if len(res) == 3 and len(with_oh) != 2:
            errors.append(f"overhead history rows must be in exactly two files, found in {with_oh}")
        cols = list(res[0].keys())
        w = max(len(c) for c in cols)
        print("| " + "metric".ljust(w) + " | " + " | ".join(r["file"].ljust(16) for r in res) + " |")
        print("|" + "-" * (w + 2) + "|" + "|".join("-" * 18 for _ in res) + "|")
        for c in cols[1:]:
            print("| " + c.ljust(w) + " | " + " | ".join(str(r[c]).ljust(16) for r in res) + " |")
        print(f"\ntotal bills: {total}")
    if errors:
        print(f"\n{len(errors)} VIOLATION(S):")
        for e in errors:
            print(" -", e)
        sys.exit(1)
    print("\nALL CHECKS PASSED")


if __name__ == "__main__":
    main()
