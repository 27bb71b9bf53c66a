#!/usr/bin/env python3
"""Re-checks every dataset rule from the three JSON files alone.

Prints a counts table per company and exits 1 on any violation.
"""
import datetime
import json
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("skilifts.json", 10201, "A"), ("overheadcranes.json", 10301, "C"),
         ("stacks.json", 10401, "D")]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"]
REGIONS = {
    "Región de Arica y Parinacota", "Región de Tarapacá", "Región de Antofagasta",
    "Región de Atacama", "Región de Coquimbo", "Región de Valparaíso",
    "Región Metropolitana de Santiago", "Región del Libertador General Bernardo O'Higgins",
    "Región del Maule", "Región de Ñuble", "Región del Biobío", "Región de La Araucanía",
    "Región de Los Ríos", "Región de Los Lagos",
    "Región de Aysén del General Carlos Ibáñez del Campo",
    "Región de Magallanes y de la Antártica Chilena"}
D0, D1 = datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)
RUT_RE = re.compile(r"^(\d{1,3}(\.\d{3})*|\d+) ?-[0-9Kk]$")

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def rut_ok(s):
    if not RUT_RE.match(s):
        return False
    body, dv = s.replace(".", "").replace(" ", "").split("-")
    tot, m = 0, 2
    for ch in reversed(body):
        tot += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - tot % 11
    exp = "0" if r == 11 else "K" if r == 10 else str(r)
    return dv.upper() == exp


def rut_key(s):
    return s.replace(".", "").replace(" ", "").upper()


def norm(text):
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", t.upper())


def date(s, where):
    try:
        return datetime.date.fromisoformat(s)
    except Exception:
        err(where, f"bad date {s!r}")
        return None


def check_company(fname, first_id, prefix):
    path = os.path.join(HERE, "..", fname)
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    w = fname
    if set(doc) != {"company", "projects", "history", "bills"}:
        err(w, f"top-level keys {sorted(doc)}")
    c = doc["company"]
    if set(c) != {"name", "rut", "trade"} or not rut_ok(c["rut"]) or "." not in c["rut"]:
        err(w, "company block")
    # projects
    P = doc["projects"]
    if len(P) != 30:
        err(w, f"{len(P)} projects")
    ids = [p["id"] for p in P]
    if sorted(ids) != list(range(first_id, first_id + 30)):
        err(w, "project ids not the expected range")
    pk = {"id", "name", "code", "client", "location", "description", "keywords", "budget",
          "start_date", "end_date"}
    allkw = {}
    for p in P:
        pw = f"{w} project {p.get('id')}"
        if set(p) != pk:
            err(pw, f"keys {sorted(p)}")
            continue
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(pw, "budget")
        loc = p["location"].split(", ")
        if len(loc) != 2 or loc[1] not in REGIONS:
            err(pw, f"location {p['location']!r}")
        a, b = date(p["start_date"], pw), date(p["end_date"], pw)
        if a and b and not (D0 <= a <= b <= D1):
            err(pw, "dates outside 2025-2026 or reversed")
        if not p["keywords"]:
            err(pw, "no keywords")
        for k in p["keywords"]:
            n = norm(k)
            if len(n) < 6 or not re.search(r"\d", n):
                err(pw, f"weak identifier {k!r}")
            if n in allkw:
                err(pw, f"identifier {k!r} shared")
            allkw[n] = p["id"]
        for field in ("name", "code", "client", "description"):
            if not isinstance(p[field], str) or not p[field].strip():
                err(pw, f"empty {field}")
    for n1 in allkw:
        for n2 in allkw:
            if n1 != n2 and n1 in n2:
                err(w, f"identifier {n1} inside {n2}")
    byid = {p["id"]: p for p in P}
    pids = set(byid)

    def found_ids(text):
        t = norm(text)
        return {pid for kn, pid in allkw.items() if kn in t}

    # history
    H = doc["history"]
    if len(H) < 150:
        err(w, f"history has {len(H)} rows")
    hist = defaultdict(Counter)
    for i, h in enumerate(H):
        hw = f"{w} history {i}"
        if set(h) != {"supplier_name", "supplier_rut", "description", "project_id"}:
            err(hw, "keys")
            continue
        if not rut_ok(h["supplier_rut"]):
            err(hw, f"bad rut {h['supplier_rut']}")
        if h["project_id"] is not None and h["project_id"] not in pids:
            err(hw, "unknown project")
        f = found_ids(h["description"])
        if f and f != {h["project_id"]}:
            err(hw, "carries another project's identifier")
        hist[rut_key(h["supplier_rut"])][h["project_id"]] += 1
    names = defaultdict(set)
    for h in H:
        names[rut_key(h["supplier_rut"])].add(h["supplier_name"])
    for k, v in names.items():
        if len(v) > 1:
            err(w, f"supplier {k} has several names in history")
    oh_hist = sum(1 for h in H if h["project_id"] is None)
    # bills
    B = doc["bills"]
    if not 170 <= len(B) <= 190:
        err(w, f"{len(B)} bills")
    cnt = Counter()
    offmode = 0
    bill_sups = set()
    new_sups = set()
    new_bills = 0
    exp_ids = [f"{prefix}{i:03d}" for i in range(1, len(B) + 1)]
    if [b.get("id") for b in B] != exp_ids:
        err(w, "bill ids not sequential with the right prefix")
    clients = Counter(p["client"] for p in P)
    bkeys = {"id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"}
    for b in B:
        bw = f"{w} bill {b.get('id')}"
        if set(b) != bkeys:
            err(bw, f"keys {sorted(b)}")
            continue
        if not rut_ok(b["supplier_rut"]):
            err(bw, f"bad rut {b['supplier_rut']}")
        exp = b["expected_project_id"]
        if exp is not None and exp not in pids:
            err(bw, "unknown expected project")
            continue
        tot = 0
        for ln in b["lines"]:
            if set(ln) != {"description", "quantity", "unit", "unit_price"}:
                err(bw, "line keys")
                continue
            if not isinstance(ln["unit_price"], int):
                err(bw, "unit_price not int")
            tot += ln["quantity"] * ln["unit_price"]
        if not b["lines"] or abs(tot - b["amount"]) > 1e-6 or not isinstance(b["amount"], int):
            err(bw, f"amount {b['amount']} != {tot}")
        dt = date(b["issue_date"], bw)
        if dt:
            if exp is None:
                if not D0 <= dt <= D1:
                    err(bw, "overhead date outside 2025-2026")
            else:
                p = byid[exp]
                if not (date(p["start_date"], bw) <= dt <= date(p["end_date"], bw)):
                    err(bw, "date outside project window")
        tags = b["difficulty"]
        if len(set(tags)) != len(tags) or any(t not in TAGS for t in tags):
            err(bw, f"tags {tags}")
        ts = set(tags)
        if ("overhead" in ts) != (exp is None):
            err(bw, "overhead tag mismatch")
        text = " ".join([b["purchase_order"], b["invoice_description"]] +
                        [ln["description"] for ln in b["lines"]])
        f = found_ids(text)
        if f - {exp}:
            err(bw, f"carries identifier of project(s) {sorted(f - {exp})}")
        po = exp is not None and exp in f
        if po != ("po-reference" in ts):
            err(bw, "po-reference tag mismatch")
        rk = rut_key(b["supplier_rut"])
        bill_sups.add(rk)
        hc = hist.get(rk)
        ss = False
        if hc:
            mx = max(hc.values())
            if hc.get(exp, 0) < mx:
                offmode += 1
                ss = len(hc) >= 2
            if b["supplier_name"] not in names[rk]:
                err(bw, "supplier name differs from history")
        else:
            new_sups.add(rk)
            new_bills += 1
        if ss != ("shared-supplier" in ts):
            err(bw, "shared-supplier tag mismatch")
        if "client-only" in ts:
            if exp is None or clients[byid[exp]["client"]] != 1:
                err(bw, "client-only but client has several projects")
        if ("plain" in ts) == bool(ts - {"plain"}):
            err(bw, "plain tag mismatch")
        if not ts:
            err(bw, "no tag")
        for t in ts:
            cnt[t] += 1
    n = len(B)
    oh = cnt["overhead"]
    if not 0.20 <= oh / n <= 0.23:
        err(w, f"overhead share {oh}/{n}")
    mins = {"plain": 15, "po-reference": 12, "typo": 6, "place-variant": 25,
            "trade-vocabulary": 20, "client-only": 4}
    for t, m in mins.items():
        if cnt[t] < m:
            err(w, f"only {cnt[t]} {t}")
    if offmode < 10:
        err(w, f"only {offmode} bills off the supplier's most frequent assignment")
    share = len(new_sups) / len(bill_sups)
    if not 0.30 <= share <= 0.45:
        err(w, f"new supplier share {share:.2f}")
    return {"file": fname, "projects": len(P), "history": len(H), "hist_oh": oh_hist,
            "bills": n, "oh": oh, "oh_pct": 100.0 * oh / n, "offmode": offmode,
            "sups": len(bill_sups), "new_sups": len(new_sups),
            "new_pct": 100.0 * len(new_sups) / len(bill_sups),
            "new_bills_pct": 100.0 * new_bills / n, "tags": cnt}


def main():
    rows = []
    for fname, first, prefix in FILES:
        if not os.path.exists(os.path.join(HERE, "..", fname)):
            err(fname, "missing")
            continue
        rows.append(check_company(fname, first, prefix))
    ohh = [r["hist_oh"] for r in rows]
    if len(rows) == 3:
        if sum(1 for x in ohh if x == 0) != 1 or any(x != 0 and not 15 <= x <= 25 for x in ohh):
            err("all", f"history overhead rows {ohh}: need one company with 0, others 15-25")
    cols = ["projects", "history", "hist_oh", "bills", "oh", "oh_pct", "offmode",
            "sups", "new_sups", "new_pct", "new_bills_pct"] + TAGS
    head = f"{'metric':18s}" + "".join(f"{r['file'].replace('.json', ''):>16s}" for r in rows)
    print(head)
    print("-" * len(head))
    for ccol in cols:
        vals = []
        for r in rows:
            v = r["tags"][ccol] if ccol in TAGS else r[ccol]
            vals.append(f"{v:16.1f}" if isinstance(v, float) else f"{v:16d}")
        print(f"{ccol:18s}" + "".join(vals))
    if errors:
        print(f"\n{len(errors)} VIOLATION(S):")
        for e in errors[:200]:
            print("  " + e)
        sys.exit(1)
    print("\nOK: all rules hold")


if __name__ == "__main__":
    main()
