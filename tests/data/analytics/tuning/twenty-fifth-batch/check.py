#!/usr/bin/env python3
"""Re-checks every rule of the blind-v25 set from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
"""
import datetime as dt
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("surveying.json", 6901, "S"), ("hydraulics.json", 7001, "H"), ("blasting.json", 7101, "B")]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"]
MINS = {"plain": 15, "po-reference": 12, "not-most-frequent": 10, "typo": 6,
        "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}
G0, G1 = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
STOP = {"SERVICIOS", "SERVICIO", "MINERA", "MINERO", "COMPANIA", "SOCIEDAD", "EMPRESA", "NACIONAL",
        "CHILE", "ILUSTRE", "MUNICIPALIDAD", "REGION", "DIRECCION", "LIMITADA", "CONSTRUCTORA",
        "INGENIERIA", "PORTUARIA", "PORTUARIO", "TERMINAL", "ASOCIADOS", "COMERCIAL", "INDUSTRIAL",
        "DIVISION", "GENERAL", "OBRAS", "PUBLICAS", "MINISTERIO", "DESARROLLOS", "DESARROLLO",
        "ARIDOS", "CONCESIONES", "CONCESIONARIA", "FORESTAL", "MADERAS", "ENERGIA", "ANDES",
        "NORTE", "ATACAMA", "COQUIMBO", "SEREMI", "TIERRAS", "MONTAJES", "ELECTRICOS",
        "PUERTO", "CANTERA", "TUNELES", "ASERRADERO", "INVERSIONES"}

errors = []


def err(msg):
    errors.append(msg)


def dv(body):
    s, m = 0, 2
    for d in reversed(body):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def rut_body(r, where):
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([\dkK])", r or "")
    if not m:
        err("%s: badly formed RUT %r" % (where, r))
        return None
    body = m.group(1).replace(".", "")
    if dv(body) != m.group(2).upper():
        err("%s: RUT %s fails modulo 11" % (where, r))
        return None
    return body


def plain_up(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).upper()


def norm_id(s):
    return re.sub(r"[^A-Z0-9]", "", plain_up(s))


def date(s, where):
    try:
        return dt.date.fromisoformat(s)
    except Exception:
        err("%s: bad date %r" % (where, s))
        return None


def check_company(fname, first_id, prefix):
    path = os.path.join(HERE, "..", fname)
    with open(path, encoding="utf-8") as fh:
        raw = fh.read()
    data = json.loads(raw, parse_float=Decimal)
    W = fname
    if set(data) != {"company", "projects", "history", "bills"}:
        err("%s: top-level keys %s" % (W, sorted(data)))
    co = data["company"]
    if set(co) != {"name", "rut", "trade"} or not all(isinstance(co[k], str) and co[k] for k in co):
        err("%s: company fields" % W)
    rut_body(co.get("rut"), W + " company")

    # projects
    P = data["projects"]
    if len(P) != 30:
        err("%s: %d projects" % (W, len(P)))
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords", "budget",
             "start_date", "end_date"}
    byid = {}
    for p in P:
        w = "%s project %s" % (W, p.get("id"))
        if set(p) != pkeys:
            err("%s: keys %s" % (w, sorted(p)))
            continue
        if not isinstance(p["id"], int) or not (first_id <= p["id"] < first_id + 30):
            err("%s: id out of range" % w)
        if p["id"] in byid:
            err("%s: duplicate id" % w)
        byid[p["id"]] = p
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err("%s: empty %s" % (w, k))
        if not re.fullmatch(r"[^,]+, Región .+", p["location"]):
            err("%s: location %r not 'Commune, Región de X'" % (w, p["location"]))
        if not isinstance(p["keywords"], list) or not p["keywords"] or \
                not all(isinstance(k, str) and k for k in p["keywords"]):
            err("%s: keywords" % w)
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err("%s: budget" % w)
        s, e = date(p["start_date"], w), date(p["end_date"], w)
        if s and e and not (G0 <= s <= e <= G1):
            err("%s: window %s..%s" % (w, s, e))
    kw = {i: [norm_id(k) for k in p["keywords"]] for i, p in byid.items()}
    allk = [(i, k) for i, ks in kw.items() for k in ks]
    for i, k in allk:
        if len(k) < 6:
            err("%s: keyword %s of %d too short" % (W, k, i))
        for j, k2 in allk:
            if i != j and k in k2:
                err("%s: keyword %s of %d inside keyword of %d" % (W, k, i, j))
    clients = Counter(p["client"] for p in P)

    # history
    H = data["history"]
    names_by_rut = {}
    hist = {}
    for n, h in enumerate(H):
        w = "%s history %d" % (W, n)
        if set(h) != {"supplier_name", "supplier_rut", "description", "project_id"}:
            err("%s: keys" % w)
            continue
        b = rut_body(h["supplier_rut"], w)
        if h["project_id"] is not None and h["project_id"] not in byid:
            err("%s: unknown project %r" % (w, h["project_id"]))
        if not h["description"].strip() or not h["supplier_name"].strip():
            err("%s: empty text" % w)
        if b:
            names_by_rut.setdefault(b, set()).add(h["supplier_name"])
            hist.setdefault(b, Counter())[h["project_id"]] += 1
    hist_over = sum(1 for h in H if h.get("project_id") is None)

    # bills
    B = data["bills"]
    bkeys = {"id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"}
    counts = Counter()
    notmost = 0
    bill_sups = set()
    spellings = {}
    for n, b in enumerate(B):
        w = "%s bill %s" % (W, b.get("id"))
        if set(b) != bkeys:
            err("%s: keys %s" % (w, sorted(b)))
            continue
        if b["id"] != "%s%03d" % (prefix, n + 1):
            err("%s: id not in sequence (expected %s%03d)" % (w, prefix, n + 1))
        body = rut_body(b["supplier_rut"], w)
        if body:
            names_by_rut.setdefault(body, set()).add(b["supplier_name"])
            bill_sups.add(body)
            spellings.setdefault(body, set()).add(b["supplier_rut"])
        for k in ("supplier_name", "invoice_description"):
            if not isinstance(b[k], str) or not b[k].strip():
                err("%s: empty %s" % (w, k))
        if not isinstance(b["purchase_order"], str):
            err("%s: purchase_order not a string" % w)
        total = Decimal(0)
        if not b["lines"]:
            err("%s: no lines" % w)
        for l in b["lines"]:
            if set(l) != {"description", "quantity", "unit", "unit_price"}:
                err("%s: line keys" % w)
                continue
            if not isinstance(l["unit_price"], int) or isinstance(l["unit_price"], bool):
                err("%s: unit_price not int" % w)
            q = l["quantity"]
            if isinstance(q, bool) or not isinstance(q, (int, Decimal)) or q <= 0:
                err("%s: quantity %r" % (w, q))
                continue
            if not l["description"].strip() or not l["unit"].strip():
                err("%s: empty line text" % w)
            total += Decimal(q) * l["unit_price"]
        if not isinstance(b["amount"], int) or Decimal(b["amount"]) != total:
            err("%s: amount %r != %s" % (w, b["amount"], total))
        exp = b["expected_project_id"]
        if exp is not None and exp not in byid:
            err("%s: unknown expected project %r" % (w, exp))
            continue
        d = date(b["issue_date"], w)
        if d:
            lo, hi = (G0, G1) if exp is None else (date(byid[exp]["start_date"], w), date(byid[exp]["end_date"], w))
            if not (lo <= d <= hi):
                err("%s: issue_date %s outside %s..%s" % (w, d, lo, hi))
        tags = b["difficulty"]
        if not isinstance(tags, list) or not tags or len(set(tags)) != len(tags) or \
                any(t not in TAGS for t in tags):
            err("%s: difficulty %r" % (w, tags))
            continue
        t = set(tags)
        if ("overhead" in t) != (exp is None):
            err("%s: overhead tag vs expected %r" % (w, exp))
        hc = hist.get(body, Counter())
        shared = len(hc) >= 2 and hc.get(exp, 0) < max(hc.values())
        if shared != ("shared-supplier" in t):
            err("%s: shared-supplier tag %s but rule says %s" % (w, "shared-supplier" in t, shared))
        if hc and hc.get(exp, 0) < max(hc.values()):
            notmost += 1
        fields = [norm_id(x) for x in [b["purchase_order"], b["invoice_description"]] +
                  [l["description"] for l in b["lines"]]]
        po = False
        for i, ks in kw.items():
            hit = any(k in f for k in ks for f in fields)
            if hit and i != exp:
                err("%s: carries identifier of project %d, expected %r" % (w, i, exp))
            if hit and i == exp:
                po = True
        if po != ("po-reference" in t):
            err("%s: po-reference tag %s but rule says %s" % (w, "po-reference" in t, po))
        if "client-only" in t:
            if exp is None or clients[byid[exp]["client"]] != 1:
                err("%s: client-only but client has several projects" % w)
            else:
                text = plain_up(" ".join([b["invoice_description"], b["purchase_order"]] +
                                         [l["description"] for l in b["lines"]]))
                toks = [x for x in re.findall(r"[A-Z]{4,}", plain_up(byid[exp]["client"])) if x not in STOP]
                if not any(re.search(r"\b%s\b" % x, text) for x in toks):
                    err("%s: client-only but the client is not named" % w)
        if ("plain" in t) != (t == {"plain"}) or (not (t - {"plain"}) and "plain" not in t):
            err("%s: plain tag inconsistent %r" % (w, tags))
        for x in t:
            counts[x] += 1
    for body, ns in names_by_rut.items():
        if len(ns) != 1:
            err("%s: RUT %s used with several names %s" % (W, body, sorted(ns)))
    nb = len(B)
    if not 170 <= nb <= 190:
        err("%s: %d bills" % (W, nb))
    share = counts["overhead"] / nb if nb else 0
    if not 0.20 <= share <= 0.23:
        err("%s: overhead share %.3f" % (W, share))
    if len(H) < 150:
        err("%s: only %d history rows" % (W, len(H)))
    new = sorted(s for s in bill_sups if s not in hist)
    new_share = len(new) / len(bill_sups) if bill_sups else 0
    if not 0.30 <= new_share <= 0.45:
        err("%s: new-supplier share %.3f" % (W, new_share))
    new_bills = sum(1 for b in B if rut_body(b["supplier_rut"], W) in set(new))
    varied = sum(1 for s in spellings.values() if len(s) > 1)
    if varied < 10:
        err("%s: only %d suppliers with varied RUT spellings" % (W, varied))
    for k, m in MINS.items():
        v = notmost if k == "not-most-frequent" else counts[k]
        if v < m:
            err("%s: %s = %d < %d" % (W, k, v, m))
    return {
        "projects": len(P), "history": len(H), "history overhead": hist_over, "bills": nb,
        "overhead bills": counts["overhead"], "overhead %": round(100 * share, 1),
        "place-variant": counts["place-variant"], "trade-vocabulary": counts["trade-vocabulary"],
        "shared-supplier": counts["shared-supplier"], "po-reference": counts["po-reference"],
        "client-only": counts["client-only"], "typo": counts["typo"], "plain": counts["plain"],
        "not most frequent": notmost, "bill suppliers": len(bill_sups), "new suppliers": len(new),
        "new supplier %": round(100 * new_share, 1), "bills from new suppliers": new_bills,
        "RUTs spelled 2+ ways": varied,
    }


def main():
    results = {}
    for fname, first, prefix in FILES:
        if not os.path.exists(os.path.join(HERE, "..", fname)):
            err("missing %s" % fname)
            continue
        results[fname] = check_company(fname, first, prefix)
    zero = [f for f, r in results.items() if r["history overhead"] == 0]
    if len(results) == 3:
        if len(zero) != 1:
            err("exactly one company must have no overhead history (found %d)" % len(zero))
        for f, r in results.items():
            if f not in zero and not 15 <= r["history overhead"] <= 25:
                err("%s: %d overhead history rows (15-25 needed)" % (f, r["history overhead"]))
    if results:
        names = list(results)
        rows = list(next(iter(results.values())).keys())
        w0 = max(len(r) for r in rows) + 2
        print("| %s | %s |" % ("count".ljust(w0), " | ".join(n.replace(".json", "").rjust(10) for n in names)))
        print("|%s|%s|" % ("-" * (w0 + 2), "|".join("-" * 12 for _ in names)))
        for r in rows:
            print("| %s | %s |" % (r.ljust(w0), " | ".join(str(results[n][r]).rjust(10) for n in names)))
    if errors:
        print("\n%d violation(s):" % len(errors))
        for e in errors[:200]:
            print("  - " + e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
