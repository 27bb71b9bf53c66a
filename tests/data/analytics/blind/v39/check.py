#!/usr/bin/env python3
"""Re-checks every rule of the blind-v39 set from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
Python 3 standard library only.
"""
import datetime as dt
import json
import os
import re
import sys
import unicodedata
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("medgas.json", 11101, "N"), ("aggregates.json", 11201, "P"),
         ("stagetech.json", 11301, "W")]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"]
MINS = {"plain": 15, "po-reference": 12, "not-top": 10, "typo": 6,
        "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}
RUT_RE = re.compile(r"^(\d{1,2}\.\d{3}\.\d{3}|\d{7,8})-([\dkK])$")
CLIENT_STOP = {"servicio", "salud", "ilustre", "municipalidad", "hospital", "clinica",
               "sociedad", "limitada", "ltda", "spa", "s.a.", "de", "del", "la", "las",
               "los", "y", "el", "empresa", "corporacion", "universidad", "region",
               "regional", "nacional", "ministerio", "obras", "publicas", "direccion",
               "vialidad", "chile", "compania", "comercial", "inversiones", "grupo",
               "fundacion", "educacional", "colegio", "centro", "cultural", "gobierno",
               "metropolitano", "metropolitana", "minera", "constructora", "hormigones",
               "aridos", "teatro", "instituto", "gestion", "servicios"}

errors = []


def err(company, msg):
    errors.append("[%s] %s" % (company, msg))


def dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def rut_body(rut, company, where):
    m = RUT_RE.match(rut or "")
    if not m:
        err(company, "%s: bad RUT format %r" % (where, rut))
        return None
    body = int(m.group(1).replace(".", ""))
    if dv(body) != m.group(2).upper():
        err(company, "%s: bad RUT check digit %r" % (where, rut))
        return None
    return body


def norm_id(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return "".join(c for c in s.upper() if c.isascii() and c.isalnum())


def fold(s):
    s = unicodedata.normalize("NFKD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c))


def date(s, company, where):
    try:
        return dt.date.fromisoformat(s)
    except Exception:
        err(company, "%s: bad date %r" % (where, s))
        return None


def check(fname, base, prefix):
    cname = fname.split(".")[0]
    path = os.path.join(HERE, "..", fname)
    if not os.path.exists(path):
        err(cname, "missing file")
        return None
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if set(data) != {"company", "projects", "history", "bills"}:
        err(cname, "top-level keys %s" % sorted(data))
    co = data["company"]
    if set(co) != {"name", "rut", "trade"}:
        err(cname, "company keys")
    if not re.match(r"^\d{2}\.\d{3}\.\d{3}-[\dK]$", co["rut"]):
        err(cname, "company rut format")
    rut_body(co["rut"], cname, "company")

    # ---------------- projects
    P = data["projects"]
    pkeys = ["id", "name", "code", "client", "location", "description", "keywords",
             "budget", "start_date", "end_date"]
    if len(P) != 30:
        err(cname, "projects: %d (need 30)" % len(P))
    if sorted(p["id"] for p in P) != list(range(base, base + 30)):
        err(cname, "project ids not %d..%d" % (base, base + 29))
    pmap = {}
    cores = {}
    lo, hi = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
    for p in P:
        w = "project %s" % p.get("id")
        if list(p) != pkeys:
            err(cname, w + ": keys/order %s" % list(p))
            continue
        pmap[p["id"]] = p
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err(cname, w + ": empty " + k)
        if not re.match(r"^[^,]+, Región (de |del |Metropolitana de Santiago$)", p["location"]):
            err(cname, w + ": location format %r" % p["location"])
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(cname, w + ": budget")
        s, e = date(p["start_date"], cname, w), date(p["end_date"], cname, w)
        if s and e and not (lo <= s < e <= hi):
            err(cname, w + ": window outside 2025-2026 or reversed")
        if not p["keywords"] or not all(isinstance(k, str) and k.strip() for k in p["keywords"]):
            err(cname, w + ": keywords")
        for kw in p["keywords"]:
            c = norm_id(kw.split()[-1])
            if len(c) < 7 or not any(ch.isdigit() for ch in c):
                err(cname, w + ": weak keyword %r" % kw)
            cores.setdefault(p["id"], []).append(c)
    for k in ("code", "name"):
        vals = [p[k] for p in P]
        if len(set(vals)) != len(vals):
            err(cname, "duplicate project " + k)
    allc = [(q, c) for q, cs in cores.items() for c in cs]
    for i, (q1, c1) in enumerate(allc):
        for q2, c2 in allc[i + 1:]:
            if c1 in c2 or c2 in c1:
                err(cname, "keyword cores clash %s/%s" % (q1, q2))
    clients = {}
    for p in P:
        clients[p["client"]] = clients.get(p["client"], 0) + 1

    # ---------------- history
    H = data["history"]
    if len(H) < 150:
        err(cname, "history rows %d < 150" % len(H))
    hcount = {}
    names = {}
    for i, h in enumerate(H):
        w = "history[%d]" % i
        if set(h) != {"supplier_name", "supplier_rut", "description", "project_id"}:
            err(cname, w + ": keys")
            continue
        b = rut_body(h["supplier_rut"], cname, w)
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err(cname, w + ": unknown project")
        if not h["description"].strip():
            err(cname, w + ": empty description")
        if b is None:
            continue
        names.setdefault(b, set()).add(h["supplier_name"])
        hcount.setdefault(b, {})
        hcount[b][h["project_id"]] = hcount[b].get(h["project_id"], 0) + 1
    h_oh = sum(1 for h in H if h["project_id"] is None)

    # ---------------- bills
    B = data["bills"]
    if not (170 <= len(B) <= 190):
        err(cname, "bills %d not in 170-190" % len(B))
    cnt = {t: 0 for t in TAGS}
    cnt["not-top"] = 0
    spellings = {}
    bill_bodies = set()
    spent = {}
    bkeys = ["id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"]
    for i, bl in enumerate(B):
        w = "bill %s" % bl.get("id")
        if list(bl) != bkeys:
            err(cname, w + ": keys/order")
            continue
        if bl["id"] != "%s%03d" % (prefix, i + 1):
            err(cname, w + ": id sequence")
        pid = bl["expected_project_id"]
        if pid is not None and pid not in pmap:
            err(cname, w + ": unknown project")
            continue
        b = rut_body(bl["supplier_rut"], cname, w)
        if b is not None:
            names.setdefault(b, set()).add(bl["supplier_name"])
            spellings.setdefault(b, set()).add(bl["supplier_rut"])
            bill_bodies.add(b)
        # lines / amount
        if not bl["lines"]:
            err(cname, w + ": no lines")
        tot = Fraction(0)
        for ln in bl["lines"]:
            if set(ln) != {"description", "quantity", "unit", "unit_price"}:
                err(cname, w + ": line keys")
                continue
            if not isinstance(ln["unit_price"], int) or isinstance(ln["unit_price"], bool):
                err(cname, w + ": unit_price not int")
            if not isinstance(ln["quantity"], (int, float)) or ln["quantity"] <= 0:
                err(cname, w + ": quantity")
            if not ln["description"].strip() or not ln["unit"].strip():
                err(cname, w + ": empty line text")
            tot += Fraction(str(ln["quantity"])) * ln["unit_price"]
        if tot.denominator != 1 or int(tot) != bl["amount"] or not isinstance(bl["amount"], int):
            err(cname, w + ": amount %s != sum %s" % (bl["amount"], tot))
        if not bl["invoice_description"].strip():
            err(cname, w + ": empty invoice_description")
        # date
        d = date(bl["issue_date"], cname, w)
        if d:
            if pid is None:
                if not (lo <= d <= hi):
                    err(cname, w + ": overhead date outside 2025-2026")
            else:
                p = pmap[pid]
                if not (p["start_date"] <= bl["issue_date"] <= p["end_date"]):
                    err(cname, w + ": date outside project window")
        if pid is not None:
            spent[pid] = spent.get(pid, 0) + bl["amount"]
        # tags
        tags = bl["difficulty"]
        if not tags or len(set(tags)) != len(tags) or any(t not in TAGS for t in tags):
            err(cname, w + ": bad difficulty %s" % tags)
            continue
        ts = set(tags)
        if ("overhead" in ts) != (pid is None):
            err(cname, w + ": overhead tag mismatch")
        txt = norm_id(" | ".join([bl["purchase_order"], bl["invoice_description"]] +
                                 [ln["description"] for ln in bl["lines"]]))
        hits = {q for q, cs in cores.items() for c in cs if c in txt}
        if hits - ({pid} if pid is not None else set()):
            err(cname, w + ": carries identifier of another project %s" % sorted(hits))
        if (pid is not None and pid in hits) != ("po-reference" in ts):
            err(cname, w + ": po-reference tag mismatch")
        hc = hcount.get(b, {}) if b is not None else {}
        ss = len(hc) >= 2 and hc.get(pid, 0) < max(hc.values())
        if ss != ("shared-supplier" in ts):
            err(cname, w + ": shared-supplier tag mismatch")
        if hc and hc.get(pid, 0) < max(hc.values()):
            cnt["not-top"] += 1
        if ("plain" in ts) != (ts == {"plain"}):
            err(cname, w + ": plain tag mismatch")
        if "client-only" in ts:
            if pid is None:
                err(cname, w + ": client-only on overhead")
            else:
                cl = pmap[pid]["client"]
                if clients[cl] != 1:
                    err(cname, w + ": client-only but client has %d projects" % clients[cl])
                toks = [t for t in re.findall(r"[a-z0-9]+", fold(cl))
                        if len(t) >= 4 and t not in CLIENT_STOP]
                ftxt = fold(" ".join([bl["purchase_order"], bl["invoice_description"]] +
                                     [ln["description"] for ln in bl["lines"]]))
                if toks and not any(t in ftxt for t in toks):
                    err(cname, w + ": client-only but client not named (%s)" % cl)
        for t in ts:
            cnt[t] += 1
    for b, ns in names.items():
        if len(ns) != 1:
            err(cname, "RUT %s used with several names %s" % (b, sorted(ns)))
    for q, s in spent.items():
        if s > pmap[q]["budget"]:
            err(cname, "project %d billed %d over budget %d" % (q, s, pmap[q]["budget"]))
    n = len(B)
    oh = cnt["overhead"]
    if n and not (0.20 <= oh / n <= 0.23):
        err(cname, "overhead share %.3f not in 20-23%%" % (oh / n))
    for k, m in MINS.items():
        if cnt[k] < m:
            err(cname, "%s count %d < %d" % (k, cnt[k], m))
    new = [b for b in bill_bodies if b not in hcount]
    new_share = len(new) / len(bill_bodies) if bill_bodies else 0
    if not (0.30 <= new_share <= 0.45):
        err(cname, "new-supplier share %.3f not in 30-45%%" % new_share)
    multi = sum(1 for b, s in spellings.items() if len(s) > 1)
    if multi < 3:
        err(cname, "too few suppliers with varied RUT spellings (%d)" % multi)
    new_bills = sum(1 for bl in B if rut_body(bl["supplier_rut"], cname, "x") not in hcount)
    return {"company": cname, "projects": len(P), "history": len(H), "hist_oh": h_oh,
            "bills": n, "oh_pct": "%.1f" % (100.0 * oh / n if n else 0),
            "new_sup": "%d/%d=%.0f%%" % (len(new), len(bill_bodies), 100 * new_share),
            "new_bills": new_bills, "rut_var": multi, **cnt}


def main():
    rows = [r for r in (check(*f) for f in FILES) if r]
    zero = [r["company"] for r in rows if r["hist_oh"] == 0]
    for r in rows:
        if r["hist_oh"] != 0 and not (15 <= r["hist_oh"] <= 25):
            err(r["company"], "history overhead rows %d not 0 or 15-25" % r["hist_oh"])
    if len(rows) == 3 and len(zero) != 1:
        err("all", "exactly one company must have no overhead history (have %s)" % zero)
    cols = ["company", "projects", "history", "hist_oh", "bills", "overhead", "oh_pct",
            "place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
            "client-only", "typo", "plain", "not-top", "new_sup", "new_bills", "rut_var"]
    short = {"place-variant": "place", "trade-vocabulary": "trade",
             "shared-supplier": "shared", "po-reference": "po-ref",
             "client-only": "client", "overhead": "ovh"}
    hdr = [short.get(c, c) for c in cols]
    table = [hdr] + [[str(r[c]) for c in cols] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(cols))]
    for row in table:
        print("  ".join(v.rjust(widths[i]) for i, v in enumerate(row)))
    if errors:
        print("\n%d violation(s):" % len(errors))
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
