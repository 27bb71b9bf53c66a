#!/usr/bin/env python3
"""Re-checks every rule of the blind-v35 set from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
"""
import datetime as dt
import json
import os
import re
import sys
import unicodedata
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("silos.json", 9901, "G"), ("playgrounds.json", 10001, "P"),
         ("airquality.json", 10101, "Q")]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"]
D0, D1 = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
CLIENT_STOP = {"AGRICOLA", "SOCIEDAD", "LIMITADA", "LTDA", "SPA", "COOPERATIVA",
               "MUNICIPALIDAD", "ILUSTRE", "EMPRESA", "COMPANIA", "INMOBILIARIA",
               "SERVICIO", "REGION", "REGIONAL", "CORPORACION", "FUNDACION",
               "MINISTERIO", "PUBLICA", "NACIONAL", "CHILE", "CENTRAL", "INDUSTRIAL",
               "GENERAL", "ENERGIA", "MINERA", "PORTUARIA", "DIVISION", "PLANTA",
               "DESARROLLO", "URBANIZACION", "VIVIENDA", "EDUCACION", "SERVICIOS",
               "MEDIO", "AMBIENTE", "ALIMENTOS", "HIJOS", "ASOCIADOS", "GRUPO",
               "DEL", "LAS", "LOS", "PARA", "CAMPESINA", "LECHERA", "COLEGIO",
               "ESCUELA", "LICEO", "SECRETARIA", "MINISTERIAL", "GOBIERNO"}

errors = []


def err(company, msg):
    errors.append("%s: %s" % (company, msg))


def rut_ok(s):
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([0-9Kk])", s)
    if not m:
        return False
    body = m.group(1).replace(".", "")
    t, f = 0, 2
    for ch in reversed(body):
        t += int(ch) * f
        f = 2 if f == 7 else f + 1
    r = 11 - t % 11
    d = "0" if r == 11 else ("K" if r == 10 else str(r))
    return d == m.group(2).upper()


def rut_key(s):
    return s.replace(".", "").upper()


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).upper()


def norm_id(s):
    return re.sub(r"[^A-Z0-9]", "", fold(s))


def identifiers(keyword):
    out = []
    for tok in keyword.split():
        n = norm_id(tok)
        if any(c.isdigit() for c in n) and len(n) >= 6:
            out.append(n)
    return out


def date(s, where, company):
    try:
        return dt.date.fromisoformat(s)
    except Exception:
        err(company, "bad date %r at %s" % (s, where))
        return None


def check(fname, first_id, prefix):
    path = os.path.join(HERE, "..", fname)
    co = fname
    if not os.path.exists(path):
        err(co, "missing file")
        return None
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if list(data.keys()) != ["company", "projects", "history", "bills"]:
        err(co, "top-level keys %s" % list(data.keys()))
    c = data["company"]
    if list(c.keys()) != ["name", "rut", "trade"] or not all(isinstance(v, str) and v for v in c.values()):
        err(co, "company object")
    if not re.fullmatch(r"\d{1,2}\.\d{3}\.\d{3}-[0-9K]", c["rut"]) or not rut_ok(c["rut"]):
        err(co, "company rut %s" % c["rut"])

    # projects
    P = data["projects"]
    pkeys = ["id", "name", "code", "client", "location", "description",
             "keywords", "budget", "start_date", "end_date"]
    if len(P) != 30:
        err(co, "projects = %d" % len(P))
    ids = [p["id"] for p in P]
    if ids != list(range(first_id, first_id + 30)):
        err(co, "project ids not %d..%d" % (first_id, first_id + 29))
    pmap = {}
    idmap = {}
    for p in P:
        if list(p.keys()) != pkeys:
            err(co, "project %s keys" % p.get("id"))
            continue
        pmap[p["id"]] = p
        for k in ["name", "code", "client", "location", "description"]:
            if not isinstance(p[k], str) or not p[k].strip():
                err(co, "project %d %s empty" % (p["id"], k))
        if not re.fullmatch(r"[^,]+, Región .+", p["location"]):
            err(co, "project %d location %r" % (p["id"], p["location"]))
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(co, "project %d budget" % p["id"])
        a = date(p["start_date"], p["id"], co)
        b = date(p["end_date"], p["id"], co)
        if a and b and not (D0 <= a <= b <= D1):
            err(co, "project %d window %s..%s" % (p["id"], a, b))
        p["_a"], p["_b"] = a, b
        if not isinstance(p["keywords"], list) or not p["keywords"]:
            err(co, "project %d keywords" % p["id"])
        idl = []
        for k in p["keywords"]:
            ii = identifiers(k)
            if not ii:
                err(co, "project %d keyword %r has no identifier" % (p["id"], k))
            idl += ii
        idmap[p["id"]] = idl
    codes = [p["code"] for p in P]
    if len(set(codes)) != len(codes):
        err(co, "duplicate project codes")
    allids = [(i, pid) for pid, l in idmap.items() for i in l]
    for i, pa in allids:
        for j, pb in allids:
            if pa != pb and i in j:
                err(co, "identifier %s of %d inside %s of %d" % (i, pa, j, pb))
    clients = {}
    for p in P:
        clients[p["client"]] = clients.get(p["client"], 0) + 1

    # history
    H = data["history"]
    hist_by = {}
    names = {}
    for h in H:
        if list(h.keys()) != ["supplier_name", "supplier_rut", "description", "project_id"]:
            err(co, "history keys %s" % list(h.keys()))
            continue
        if not rut_ok(h["supplier_rut"]):
            err(co, "history rut %s" % h["supplier_rut"])
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err(co, "history project %s" % h["project_id"])
        if not h["description"].strip():
            err(co, "empty history description")
        k = rut_key(h["supplier_rut"])
        hist_by.setdefault(k, []).append(h["project_id"])
        names.setdefault(k, set()).add(h["supplier_name"])
    h_over = sum(1 for h in H if h["project_id"] is None)
    if len(H) < 150:
        err(co, "history rows %d < 150" % len(H))

    # bills
    B = data["bills"]
    bkeys = ["id", "supplier_name", "supplier_rut", "invoice_description",
             "lines", "amount", "issue_date", "purchase_order",
             "expected_project_id", "difficulty"]
    if not 170 <= len(B) <= 190:
        err(co, "bills %d not in 170..190" % len(B))
    exp_ids = ["%s%03d" % (prefix, i) for i in range(1, len(B) + 1)]
    if [b.get("id") for b in B] != exp_ids:
        err(co, "bill ids not %s001.. in order" % prefix)
    cnt = {t: 0 for t in TAGS}
    not_mode = 0
    bill_sups = set()
    new_sups = set()
    bills_new = 0
    spellings = {}
    for b in B:
        bid = b.get("id")
        if list(b.keys()) != bkeys:
            err(co, "bill %s keys" % bid)
            continue
        if not rut_ok(b["supplier_rut"]):
            err(co, "bill %s rut %s" % (bid, b["supplier_rut"]))
        k = rut_key(b["supplier_rut"])
        spellings.setdefault(k, set()).add(b["supplier_rut"])
        names.setdefault(k, set()).add(b["supplier_name"])
        bill_sups.add(k)
        if k not in hist_by:
            new_sups.add(k)
            bills_new += 1
        tot = Fraction(0)
        if not b["lines"]:
            err(co, "bill %s no lines" % bid)
        for l in b["lines"]:
            if list(l.keys()) != ["description", "quantity", "unit", "unit_price"]:
                err(co, "bill %s line keys" % bid)
                continue
            if not isinstance(l["unit_price"], int) or isinstance(l["quantity"], bool):
                err(co, "bill %s line types" % bid)
            tot += Fraction(str(l["quantity"])) * l["unit_price"]
        if not isinstance(b["amount"], int) or tot != b["amount"]:
            err(co, "bill %s amount %s != %s" % (bid, b["amount"], tot))
        pid = b["expected_project_id"]
        d = date(b["issue_date"], bid, co)
        if pid is not None:
            if pid not in pmap:
                err(co, "bill %s unknown project %s" % (bid, pid))
                continue
            p = pmap[pid]
            if d and p["_a"] and not p["_a"] <= d <= p["_b"]:
                err(co, "bill %s date %s outside project %d window" % (bid, d, pid))
        elif d and not D0 <= d <= D1:
            err(co, "bill %s overhead date %s" % (bid, d))
        tags = b["difficulty"]
        if not tags or len(set(tags)) != len(tags) or any(t not in TAGS for t in tags):
            err(co, "bill %s tags %s" % (bid, tags))
        tags = set(tags)
        for t in tags:
            if t in cnt:
                cnt[t] += 1
        # overhead
        if ("overhead" in tags) != (pid is None):
            err(co, "bill %s overhead tag mismatch" % bid)
        # shared-supplier
        hist = hist_by.get(k, [])
        should = False
        if hist:
            cc = {}
            for v in hist:
                cc[v] = cc.get(v, 0) + 1
            if cc.get(pid, 0) < max(cc.values()):
                not_mode += 1
                should = len(cc) >= 2
        if ("shared-supplier" in tags) != should:
            err(co, "bill %s shared-supplier rule (should %s)" % (bid, should))
        # po-reference
        text = norm_id(" ".join([b["purchase_order"], b["invoice_description"]] +
                                [l["description"] for l in b["lines"]]))
        hit_own = False
        for q, ii in idmap.items():
            if any(i in text for i in ii):
                if q == pid:
                    hit_own = True
                else:
                    err(co, "bill %s carries identifier of project %d" % (bid, q))
        if ("po-reference" in tags) != hit_own:
            err(co, "bill %s po-reference rule (should %s)" % (bid, hit_own))
        # client-only
        if "client-only" in tags:
            if pid is None:
                err(co, "bill %s client-only on overhead" % bid)
            else:
                cl = pmap[pid]["client"]
                if clients[cl] != 1:
                    err(co, "bill %s client-only but client has %d projects" % (bid, clients[cl]))
                words = [w for w in re.findall(r"[A-Z0-9]+", fold(cl))
                         if len(w) >= 4 and w not in CLIENT_STOP]
                btxt = " " + " ".join(re.findall(r"[A-Z0-9]+", fold(
                    b["invoice_description"] + " " + " ".join(l["description"] for l in b["lines"])))) + " "
                if not any((" " + w + " ") in btxt for w in words):
                    err(co, "bill %s client-only but client not named" % bid)
        # plain
        others = tags - {"plain"}
        if ("plain" in tags) == bool(others):
            err(co, "bill %s plain rule" % bid)
        if not b["invoice_description"].strip():
            err(co, "bill %s empty description" % bid)
    for k, n in names.items():
        if len(n) != 1:
            err(co, "supplier %s has several names %s" % (k, sorted(n)))
    multi = [k for k in bill_sups if sum(1 for b in B if rut_key(b["supplier_rut"]) == k) >= 2]
    varied = sum(1 for k in multi if len(spellings[k]) >= 2)
    if multi and varied < len(multi) * 0.5:
        err(co, "RUT spellings too uniform (%d of %d)" % (varied, len(multi)))

    n = len(B)
    over = cnt["overhead"]
    share = over / n if n else 0
    if not 0.20 <= share <= 0.23:
        err(co, "overhead share %.3f" % share)
    mins = {"plain": 15, "po-reference": 12, "typo": 6, "place-variant": 25,
            "trade-vocabulary": 20, "client-only": 4}
    for t, m in mins.items():
        if cnt[t] < m:
            err(co, "%s = %d < %d" % (t, cnt[t], m))
    if not_mode < 10:
        err(co, "bills not at supplier's most frequent assignment = %d < 10" % not_mode)
    new_share = len(new_sups) / len(bill_sups) if bill_sups else 0
    if not 0.30 <= new_share <= 0.45:
        err(co, "new supplier share %.3f" % new_share)
    return {"file": fname, "projects": len(P), "history": len(H),
            "hist_overhead": h_over, "bills": n, "overhead": over,
            "share": share, "not_mode": not_mode, "sups": len(bill_sups),
            "new_sups": len(new_sups), "new_share": new_share,
            "bills_new": bills_new, "cnt": cnt, "hist_sups": len(hist_by)}


def main():
    rows = []
    for f, i, p in FILES:
        r = check(f, i, p)
        if r:
            rows.append(r)
    ho = [r for r in rows if r["hist_overhead"] == 0]
    if len(rows) == 3:
        if len(ho) != 1:
            errors.append("exactly one company must have no overhead history (found %d)" % len(ho))
        for r in rows:
            if r["hist_overhead"] and not 15 <= r["hist_overhead"] <= 25:
                errors.append("%s: history overhead rows %d not in 15..25" % (r["file"], r["hist_overhead"]))
    cols = ["file", "projects", "history", "hist_overhead", "bills", "overhead",
            "overhead %", "not-mode", "bill sups", "new sups", "new %",
            "bills new sup"] + TAGS[1:]
    table = []
    for r in rows:
        table.append([r["file"], r["projects"], r["history"], r["hist_overhead"],
                      r["bills"], r["overhead"], "%.1f" % (100 * r["share"]),
                      r["not_mode"], r["sups"], r["new_sups"],
                      "%.1f" % (100 * r["new_share"]), r["bills_new"]] +
                     [r["cnt"][t] for t in TAGS[1:]])
    w0 = max(len(c) for c in cols)
    print("%-*s" % (w0, "") + "".join("%18s" % r[0] for r in table))
    for i, c in enumerate(cols[1:], 1):
        print("%-*s" % (w0, c) + "".join("%18s" % r[i] for r in table))
    if errors:
        print("\n%d violation(s):" % len(errors))
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("\nOK: all rules pass")


if __name__ == "__main__":
    main()
