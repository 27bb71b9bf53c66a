#!/usr/bin/env python3
"""Re-check every rule of the blind-v32 dataset from the JSON files alone.
Prints a counts table per company and exits 1 on any violation."""
import datetime as dt
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("foundations.json", 9001, "F"), ("heritage.json", 9101, "H"),
         ("watertrucks.json", 9201, "J")]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"]
MINIMA = {"plain": 15, "po-reference": 12, "not-top": 10, "typo": 6,
          "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}
D0, D1 = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
errors = []


def err(where, msg):
    errors.append("%s: %s" % (where, msg))


def rut_ok(r):
    s = re.sub(r"[.\s-]", "", r).upper()
    if not re.fullmatch(r"\d{7,8}[0-9K]", s):
        return None
    body, d = s[:-1], s[-1]
    t, m = 0, 2
    for ch in reversed(body):
        t += int(ch) * m
        m = 2 if m == 7 else m + 1
    x = 11 - t % 11
    exp = "0" if x == 11 else "K" if x == 10 else str(x)
    return body if exp == d else None


def date_of(s, where):
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            raise ValueError
        return dt.date.fromisoformat(s)
    except (ValueError, TypeError):
        err(where, "bad date %r" % (s,))
        return None


def kw_core(kw):
    toks = [t for t in re.split(r"\s+", kw.upper()) if re.search(r"\d", t)]
    return re.sub(r"[^0-9A-Z]", "", "".join(toks))


def norm(s):
    return re.sub(r"[^0-9A-Z|]", "", s.upper().replace("Ñ", "N"))


def check_types(obj, spec, where):
    if not isinstance(obj, dict) or set(obj) != set(spec):
        err(where, "keys %s != %s" % (sorted(obj) if isinstance(obj, dict) else obj, sorted(spec)))
        return False
    ok = True
    for k, t in spec.items():
        v = obj[k]
        if t == "int":
            good = isinstance(v, int) and not isinstance(v, bool)
        elif t == "int|null":
            good = v is None or (isinstance(v, int) and not isinstance(v, bool))
        elif t == "num":
            good = isinstance(v, (int, float)) and not isinstance(v, bool)
        else:
            good = isinstance(v, t)
        if not good:
            err(where, "field %s has wrong type" % k)
            ok = False
    return ok


def check_company(fname, base, prefix):
    path = os.path.join(HERE, "..", fname)
    where = fname
    if not os.path.exists(path):
        err(where, "missing file")
        return None
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    if not check_types(doc, {"company": dict, "projects": list, "history": list, "bills": list}, where):
        return None
    c = doc["company"]
    if check_types(c, {"name": str, "rut": str, "trade": str}, where + " company"):
        if not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[0-9K]", c["rut"]) or not rut_ok(c["rut"]):
            err(where, "company rut invalid")
    projects = doc["projects"]
    if len(projects) != 30:
        err(where, "projects %d != 30" % len(projects))
    byid = {}
    pspec = {"id": "int", "name": str, "code": str, "client": str, "location": str,
             "description": str, "keywords": list, "budget": "int", "start_date": str,
             "end_date": str}
    for p in projects:
        w = "%s project %s" % (fname, p.get("id"))
        if not check_types(p, pspec, w):
            continue
        if not base <= p["id"] < base + 30 or p["id"] in byid:
            err(w, "id out of range or duplicate")
        byid[p["id"]] = p
        if not re.fullmatch(r"[^,]+, Región (de |del |Metropolitana de )?\S.*", p["location"]):
            err(w, "location format")
        if not p["keywords"] or not all(isinstance(k, str) and len(kw_core(k)) >= 7 for k in p["keywords"]):
            err(w, "keywords")
        if p["budget"] <= 0:
            err(w, "budget")
        a, b = date_of(p["start_date"], w), date_of(p["end_date"], w)
        if a and b and not (D0 <= a < b <= D1):
            err(w, "project dates outside 2025-2026 or reversed")
    cores = Counter(kw_core(k) for p in projects for k in p.get("keywords", []))
    for k, n in cores.items():
        if n > 1:
            err(where, "keyword core %s used twice" % k)
    clients = Counter(p["client"] for p in projects)
    # history
    hist = doc["history"]
    hspec = {"supplier_name": str, "supplier_rut": str, "description": str, "project_id": "int|null"}
    hcount = {}
    names = {}
    for i, h in enumerate(hist):
        w = "%s history[%d]" % (fname, i)
        if not check_types(h, hspec, w):
            continue
        body = rut_ok(h["supplier_rut"])
        if not body:
            err(w, "invalid RUT %s" % h["supplier_rut"])
            continue
        if h["project_id"] is not None and h["project_id"] not in byid:
            err(w, "unknown project")
        hcount.setdefault(body, Counter())[h["project_id"]] += 1
        if names.setdefault(body, h["supplier_name"]) != h["supplier_name"]:
            err(w, "same RUT with two names")
    if len(hist) < 150:
        err(where, "history rows %d < 150" % len(hist))
    hist_oh = sum(1 for h in hist if h.get("project_id") is None)
    # bills
    bills = doc["bills"]
    if not 170 <= len(bills) <= 190:
        err(where, "bills %d not in 170..190" % len(bills))
    bspec = {"id": str, "supplier_name": str, "supplier_rut": str, "invoice_description": str,
             "lines": list, "amount": "int", "issue_date": str, "purchase_order": str,
             "expected_project_id": "int|null", "difficulty": list}
    lspec = {"description": str, "quantity": "num", "unit": str, "unit_price": "int"}
    cnt = Counter()
    seen_ids = set()
    bill_sups = set()
    new_sups = set()
    new_bills = 0
    for i, b in enumerate(bills):
        w = "%s bill %s" % (fname, b.get("id"))
        if not check_types(b, bspec, w):
            continue
        if b["id"] != "%s%03d" % (prefix, i + 1) or b["id"] in seen_ids:
            err(w, "id not sequential")
        seen_ids.add(b["id"])
        body = rut_ok(b["supplier_rut"])
        if not body:
            err(w, "invalid RUT %s" % b["supplier_rut"])
            continue
        if names.setdefault(body, b["supplier_name"]) != b["supplier_name"]:
            err(w, "same RUT with two names")
        bill_sups.add(body)
        if body not in hcount:
            new_sups.add(body)
            new_bills += 1
        tot = 0
        for j, l in enumerate(b["lines"]):
            if not check_types(l, lspec, "%s line %d" % (w, j)):
                continue
            if l["quantity"] <= 0 or l["unit_price"] <= 0:
                err(w, "non-positive line")
            tot += l["quantity"] * l["unit_price"]
        if not b["lines"] or abs(tot - b["amount"]) > 1e-6:
            err(w, "amount %s != sum of lines %s" % (b["amount"], tot))
        pid = b["expected_project_id"]
        d = date_of(b["issue_date"], w)
        if pid is not None:
            if pid not in byid:
                err(w, "unknown expected project")
                continue
            p = byid[pid]
            if d and not (dt.date.fromisoformat(p["start_date"]) <= d <= dt.date.fromisoformat(p["end_date"])):
                err(w, "date outside project window")
        elif d and not (D0 <= d <= D1):
            err(w, "overhead date outside 2025-2026")
        tags = b["difficulty"]
        if len(set(tags)) != len(tags) or not set(tags) <= set(TAGS) or not tags:
            err(w, "bad tags %s" % tags)
        st = set(tags)
        if ("overhead" in st) != (pid is None):
            err(w, "overhead tag mismatch")
        hc = hcount.get(body)
        nottop = bool(hc) and hc.get(pid, 0) < max(hc.values())
        shared = nottop and len(hc) >= 2
        if shared != ("shared-supplier" in st):
            err(w, "shared-supplier tag mismatch (rule says %s)" % shared)
        txt = norm("|".join([b["purchase_order"], b["invoice_description"]] +
                            [l.get("description", "") for l in b["lines"]]))
        refs = set()
        for p in projects:
            for k in p["keywords"]:
                if re.search(r"(?<![0-9])" + re.escape(kw_core(k)) + r"(?![0-9])", txt):
                    refs.add(p["id"])
        if refs - {pid}:
            err(w, "carries identifier of another project %s" % sorted(refs - {pid}))
        if (pid in refs) != ("po-reference" in st):
            err(w, "po-reference tag mismatch")
        if "client-only" in st and (pid is None or clients[byid[pid]["client"]] != 1):
            err(w, "client-only but client has several projects or overhead")
        others = st - {"plain"}
        if ("plain" in st) == bool(others):
            err(w, "plain tag mismatch")
        for t in st:
            cnt[t] += 1
        if nottop:
            cnt["not-top"] += 1
    n = len(bills)
    oh = cnt["overhead"]
    if n and not 0.20 <= oh / n <= 0.23:
        err(where, "overhead share %.3f not in 20-23%%" % (oh / n))
    for k, m in MINIMA.items():
        if cnt[k] < m:
            err(where, "%s count %d < %d" % (k, cnt[k], m))
    share_new = len(new_sups) / len(bill_sups) if bill_sups else 0
    if not 0.30 <= share_new <= 0.45:
        err(where, "new suppliers %.1f%% of bill suppliers not in 30-45%%" % (100 * share_new))
    return {"file": fname, "projects": len(projects), "history": len(hist), "hist_oh": hist_oh,
            "bills": n, "overhead": oh, "oh_pct": 100.0 * oh / n if n else 0,
            "cnt": cnt, "bill_sups": len(bill_sups), "new_sups": len(new_sups),
            "new_pct": 100 * share_new, "new_bills_pct": 100.0 * new_bills / n if n else 0}


def main():
    only = sys.argv[1:]
    rows = []
    for f, base, prefix in FILES:
        if only and f.split(".")[0] not in only:
            continue
        r = check_company(f, base, prefix)
        if r:
            rows.append(r)
    if not only:
        ohs = [r["hist_oh"] for r in rows]
        if len(rows) == 3:
            if sorted(ohs)[0] != 0 or sum(1 for x in ohs if x == 0) != 1:
                err("all", "exactly one company must have no overhead history rows")
            for r in rows:
                if r["hist_oh"] and not 15 <= r["hist_oh"] <= 25:
                    err(r["file"], "overhead history rows %d not in 15..25" % r["hist_oh"])
    cols = ["projects", "history", "hist_oh", "bills", "overhead", "oh_pct"] + \
        ["plain", "po-reference", "not-top", "shared-supplier", "typo", "place-variant",
         "trade-vocabulary", "client-only"] + ["bill_sups", "new_sups", "new_pct", "new_bills_pct"]
    short = {"projects": "proj", "history": "hist", "hist_oh": "hist_oh", "bills": "bills",
             "overhead": "overhead", "oh_pct": "oh%", "plain": "plain", "po-reference": "po-ref",
             "not-top": "not-top", "shared-supplier": "shared", "typo": "typo",
             "place-variant": "place-var", "trade-vocabulary": "trade-voc",
             "client-only": "client-only", "bill_sups": "suppliers", "new_sups": "new_sup",
             "new_pct": "new_sup%", "new_bills_pct": "bills_new_sup%"}
    print("%-18s" % "company" + "".join("%12s" % short[c] for c in cols))
    for r in rows:
        vals = []
        for c in cols:
            v = r[c] if c in r else r["cnt"][c]
            vals.append("%12.1f" % v if isinstance(v, float) else "%12d" % v)
        print("%-18s" % r["file"] + "".join(vals))
    if errors:
        print("\n%d VIOLATION(S):" % len(errors))
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
