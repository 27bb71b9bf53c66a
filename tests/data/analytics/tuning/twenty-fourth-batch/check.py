#!/usr/bin/env python3
"""Re-checks every rule of the blind-v24 set from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
Standard library only.
"""
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from decimal import Decimal

BASE = os.path.dirname(os.path.abspath(__file__))
FILES = [("cranes.json", 6601, "K"), ("piping.json", 6701, "N"), ("geotech.json", 6801, "Q")]
TAGS = {"overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"}
MINIMA = {"plain": 15, "po-reference": 12, "not-most-frequent": 10, "typo": 6,
          "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}
STOP = {"S.A.", "SPA", "LTDA", "LTDA.", "DE", "DEL", "LA", "LAS", "LOS", "EL", "Y", "CHILE",
        "COMPAÑIA", "COMPANIA", "SOCIEDAD", "EMPRESA", "INGENIERIA", "CONSTRUCTORA",
        "MINERA", "INMOBILIARIA", "SERVICIOS", "MONTAJES", "INDUSTRIAL", "INDUSTRIALES",
        "NORTE", "SUR", "DIVISION", "REGION", "ENERGIA", "AGUAS", "CONSORCIO", "S.A"}
errors = []


def err(co, msg):
    errors.append("%s: %s" % (co, msg))


def strip_acc(t):
    t = unicodedata.normalize("NFKD", t)
    return "".join(c for c in t if not unicodedata.combining(c))


def norm(text):
    return re.sub(r"[^A-Z0-9]", "", strip_acc(text).upper())


def keyword_core(kw):
    return norm("".join(t for t in kw.split() if re.search(r"\d", t)))


def rut_ok(rut):
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([\dkK])", rut)
    if not m:
        return None
    body = m.group(1).replace(".", "")
    s, mul = 0, 2
    for d in reversed(body):
        s += int(d) * mul
        mul = 2 if mul == 7 else mul + 1
    r = 11 - s % 11
    dv = "0" if r == 11 else ("K" if r == 10 else str(r))
    return body if dv == m.group(2).upper() else None


def valid_date(s):
    return isinstance(s, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) is not None


def check(fname, first, prefix):
    co = fname
    path = os.path.join(BASE, "..", fname)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh, parse_float=Decimal)
    if set(data) != {"company", "projects", "history", "bills"}:
        err(co, "top-level keys %s" % sorted(data))
    c = data["company"]
    if set(c) != {"name", "rut", "trade"} or not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[\dK]", c["rut"]) \
            or not rut_ok(c["rut"]):
        err(co, "company block invalid")
    P = data["projects"]
    if len(P) != 30:
        err(co, "%d projects" % len(P))
    if [p["id"] for p in P] != list(range(first, first + 30)):
        err(co, "project ids not %d..%d" % (first, first + 29))
    pmap = {p["id"]: p for p in P}
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords",
             "budget", "start_date", "end_date"}
    cores = {}
    for p in P:
        if set(p) != pkeys:
            err(co, "project %s keys" % p.get("id"))
            continue
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err(co, "project %s empty %s" % (p["id"], k))
        if not re.fullmatch(r"[^,]+, Región .+", p["location"]):
            err(co, "project %s location format" % p["id"])
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(co, "project %s budget" % p["id"])
        if not (valid_date(p["start_date"]) and valid_date(p["end_date"])
                and "2025-01-01" <= p["start_date"] <= p["end_date"] <= "2026-12-31"):
            err(co, "project %s dates" % p["id"])
        if not isinstance(p["keywords"], list) or not p["keywords"]:
            err(co, "project %s keywords" % p["id"])
        for kw in p["keywords"]:
            core = keyword_core(kw)
            if len(core) < 7:
                err(co, "project %s weak keyword %r" % (p["id"], kw))
            if core in cores:
                err(co, "duplicate keyword core %s" % core)
            cores[core] = p["id"]
    for a in cores:
        for b in cores:
            if a != b and a in b:
                err(co, "keyword core %s inside %s" % (a, b))
    clients = Counter(p["client"] for p in P)

    # suppliers: one RUT per name, one name per RUT
    name_rut, rut_name, spellings = {}, {}, {}

    def reg_sup(name, rut, where):
        body = rut_ok(rut)
        if not body:
            err(co, "invalid RUT %s (%s)" % (rut, where))
            return
        if name_rut.setdefault(name, body) != body:
            err(co, "supplier %s with two RUTs" % name)
        if rut_name.setdefault(body, name) != name:
            err(co, "RUT %s with two names" % rut)
        spellings.setdefault(name, set()).add(rut)

    H = data["history"]
    if len(H) < 150:
        err(co, "history has %d rows" % len(H))
    hcount = {}
    for h in H:
        if set(h) != {"supplier_name", "supplier_rut", "description", "project_id"}:
            err(co, "history keys")
            continue
        reg_sup(h["supplier_name"], h["supplier_rut"], "history")
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err(co, "history unknown project %s" % h["project_id"])
        if not h["description"].strip():
            err(co, "history empty description")
        hcount.setdefault(h["supplier_name"], Counter())[h["project_id"]] += 1
    h_oh = sum(1 for h in H if h["project_id"] is None)

    B = data["bills"]
    if not 170 <= len(B) <= 190:
        err(co, "%d bills" % len(B))
    if [b["id"] for b in B] != ["%s%03d" % (prefix, i) for i in range(1, len(B) + 1)]:
        err(co, "bill ids not %s001.. sequential" % prefix)
    bkeys = {"id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"}
    cnt = Counter()
    for b in B:
        bid = b.get("id")
        if set(b) != bkeys:
            err(co, "%s keys" % bid)
            continue
        reg_sup(b["supplier_name"], b["supplier_rut"], bid)
        pid = b["expected_project_id"]
        if pid is not None and pid not in pmap:
            err(co, "%s unknown project" % bid)
            continue
        if not b["lines"]:
            err(co, "%s no lines" % bid)
        total = Decimal(0)
        for l in b["lines"]:
            if set(l) != {"description", "quantity", "unit", "unit_price"} \
                    or not isinstance(l["unit_price"], int) or not l["description"].strip() \
                    or not l["unit"].strip() or isinstance(l["quantity"], bool) \
                    or not isinstance(l["quantity"], (int, Decimal)) or l["quantity"] <= 0:
                err(co, "%s bad line" % bid)
                continue
            total += Decimal(l["quantity"]) * l["unit_price"]
        if not isinstance(b["amount"], int) or Decimal(b["amount"]) != total:
            err(co, "%s amount %s != %s" % (bid, b["amount"], total))
        if not valid_date(b["issue_date"]):
            err(co, "%s date" % bid)
        elif pid is None:
            if not "2025-01-01" <= b["issue_date"] <= "2026-12-31":
                err(co, "%s overhead date out of range" % bid)
        elif not pmap[pid]["start_date"] <= b["issue_date"] <= pmap[pid]["end_date"]:
            err(co, "%s date outside project window" % bid)
        if not isinstance(b["purchase_order"], str):
            err(co, "%s purchase_order" % bid)
        tags = b["difficulty"]
        if not isinstance(tags, list) or not tags or len(set(tags)) != len(tags) \
                or not set(tags) <= TAGS:
            err(co, "%s tags %r" % (bid, tags))
            continue
        ts = set(tags)
        if ("overhead" in ts) != (pid is None):
            err(co, "%s overhead tag mismatch" % bid)
        hc = hcount.get(b["supplier_name"])
        shared = bool(hc and len(hc) >= 2 and hc.get(pid, 0) < max(hc.values()))
        if shared != ("shared-supplier" in ts):
            err(co, "%s shared-supplier tag mismatch" % bid)
        if hc and hc.get(pid, 0) < max(hc.values()):
            cnt["not-most-frequent"] += 1
        carried = set()
        for f in [b["purchase_order"], b["invoice_description"]] + \
                [l["description"] for l in b["lines"]]:
            nf = norm(f)
            for core, cp in cores.items():
                if core in nf:
                    carried.add(cp)
        if carried - {pid}:
            err(co, "%s carries identifier of project(s) %s" % (bid, sorted(carried - {pid})))
        po = pid is not None and pid in carried
        if po != ("po-reference" in ts):
            err(co, "%s po-reference tag mismatch" % bid)
        if "client-only" in ts:
            if pid is None or clients[pmap[pid]["client"]] != 1:
                err(co, "%s client-only but client has several projects" % bid)
            else:
                words = [w for w in re.findall(r"[A-Z0-9.]+", strip_acc(pmap[pid]["client"]).upper())
                         if len(w) >= 4 and w not in STOP]
                text = strip_acc(" ".join([b["invoice_description"], b["purchase_order"]] +
                                          [l["description"] for l in b["lines"]])).upper()
                core = norm(re.sub(r"\b(S\.A\.?|SPA|LTDA\.?|LIMITADA)\s*$", "",
                                   strip_acc(pmap[pid]["client"]).upper().strip()))
                if core not in norm(text) and not any(w.strip(".") in text for w in words):
                    err(co, "%s client-only but client not named" % bid)
        if ("plain" in ts) != (ts == {"plain"}):
            err(co, "%s plain tag mismatch" % bid)
        for t in ts:
            cnt[t] += 1
    n_oh = sum(1 for b in B if b["expected_project_id"] is None)
    share = n_oh / len(B) if B else 0
    if not 0.20 <= share <= 0.23:
        err(co, "overhead share %.3f" % share)
    for k, v in MINIMA.items():
        if cnt[k] < v:
            err(co, "%s count %d < %d" % (k, cnt[k], v))
    bsup = {b["supplier_name"] for b in B}
    new = {s for s in bsup if s not in hcount}
    new_share = len(new) / len(bsup)
    if not 0.30 <= new_share <= 0.45:
        err(co, "new-supplier share %.3f" % new_share)
    if not any(len(v) >= 2 for v in spellings.values()):
        err(co, "no supplier RUT spelled in two ways")
    if c["rut"].replace(".", "").split("-")[0] in rut_name:
        err(co, "company RUT used by a supplier")
    row = {
        "projects": len(P), "history": len(H), "hist_overhead": h_oh, "bills": len(B),
        "overhead": n_oh, "overhead_%": "%.1f" % (100 * share),
        "plain": cnt["plain"], "po-reference": cnt["po-reference"],
        "not-most-frequent": cnt["not-most-frequent"], "shared-supplier": cnt["shared-supplier"],
        "typo": cnt["typo"], "place-variant": cnt["place-variant"],
        "trade-vocabulary": cnt["trade-vocabulary"], "client-only": cnt["client-only"],
        "bill_suppliers": len(bsup), "new_suppliers": len(new),
        "new_%": "%.1f" % (100 * new_share),
        "bills_by_new_%": "%.1f" % (100 * sum(1 for b in B if b["supplier_name"] in new) / len(B)),
    }
    return row, h_oh


def main():
    rows, zero_oh = {}, []
    for fname, first, prefix in FILES:
        if not os.path.exists(os.path.join(BASE, "..", fname)):
            err(fname, "missing")
            continue
        try:
            row, h_oh = check(fname, first, prefix)
        except (KeyError, TypeError, ValueError) as e:
            err(fname, "structure error %r" % e)
            continue
        rows[fname] = row
        if h_oh == 0:
            zero_oh.append(fname)
        elif not 15 <= h_oh <= 25:
            err(fname, "history overhead rows %d not in 15..25" % h_oh)
    if len(rows) == 3 and len(zero_oh) != 1:
        err("all", "exactly one company must have no overhead history (got %s)" % zero_oh)
    if rows:
        keys = list(next(iter(rows.values())).keys())
        names = list(rows)
        w = max(len(k) for k in keys) + 2
        print("".ljust(w) + "".join(n.replace(".json", "").rjust(10) for n in names))
        for k in keys:
            print(k.ljust(w) + "".join(str(rows[n][k]).rjust(10) for n in names))
    if errors:
        print("\nVIOLATIONS (%d):" % len(errors))
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
