#!/usr/bin/env python3
"""Re-checks every rule of the blind-v29 set from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
Standard library only.
"""
import datetime
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("linings.json", 8101, "R"), ("waste.json", 8201, "M"),
         ("commissioning.json", 8301, "X")]
TAGS = {"overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"}
D0, D1 = datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)
MIN = {"plain": 15, "po-reference": 12, "not-most-frequent": 10, "typo": 6,
       "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}
GENERIC = {"minera", "compania", "codelco", "division", "chile", "municipalidad",
           "ilustre", "sociedad", "contractual", "empresa", "nacional", "mineria",
           "de", "del", "la", "las", "los", "spa", "ltda", "s.a.", "scm",
           "electrica", "transmision", "generadora", "energia", "servicio",
           "servicios", "salud", "hospital", "regional", "metropolitano"}

errors = []


def err(company, msg):
    errors.append("%s: %s" % (company, msg))


def strip_acc(t):
    t = unicodedata.normalize("NFKD", t)
    return "".join(c for c in t if not unicodedata.combining(c))


def norm_alnum(t):
    return re.sub(r"[^A-Z0-9]", "", strip_acc(t).upper())


def keyword_core(kw):
    toks = [t for t in re.split(r"\s+", kw.strip()) if re.search(r"\d", t)]
    return norm_alnum("".join(toks))


RUT_RE = re.compile(r"^(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([\dkK])$")


def rut_body(rut):
    m = RUT_RE.match(rut)
    if not m:
        return None
    body = m.group(1).replace(".", "")
    s, mul = 0, 2
    for ch in reversed(body):
        s += int(ch) * mul
        mul = 2 if mul == 7 else mul + 1
    r = 11 - s % 11
    dv = "0" if r == 11 else "K" if r == 10 else str(r)
    if dv != m.group(2).upper():
        return None
    return int(body)


def date(s):
    try:
        return datetime.date.fromisoformat(s)
    except Exception:
        return None


def check(fname, id0, prefix):
    c = fname.split(".")[0]
    path = os.path.join(HERE, "..", fname)
    if not os.path.exists(path):
        err(c, "missing file")
        return None
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if set(data) != {"company", "projects", "history", "bills"}:
        err(c, "top-level keys %s" % sorted(data))
    co = data["company"]
    if set(co) != {"name", "rut", "trade"} or rut_body(co["rut"]) is None \
            or not re.match(r"^\d{1,2}\.\d{3}\.\d{3}-[\dK]$", co["rut"]):
        err(c, "company block / RUT invalid")
    P = data["projects"]
    if len(P) != 30:
        err(c, "projects: %d != 30" % len(P))
    ids = [p["id"] for p in P]
    if sorted(ids) != list(range(id0, id0 + 30)):
        err(c, "project ids not %d..%d" % (id0, id0 + 29))
    byid = {}
    cores = {}
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords",
             "budget", "start_date", "end_date"}
    for p in P:
        byid[p["id"]] = p
        if set(p) != pkeys:
            err(c, "project %s keys" % p.get("id"))
        if not re.match(r"^[^,]+, Región (de |del |Metropolitana)", p["location"]):
            err(c, "project %s location %r" % (p["id"], p["location"]))
        s, e = date(p["start_date"]), date(p["end_date"])
        if not (s and e and D0 <= s <= e <= D1):
            err(c, "project %s dates" % p["id"])
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(c, "project %s budget" % p["id"])
        if not p["keywords"] or not all(isinstance(k, str) for k in p["keywords"]):
            err(c, "project %s keywords" % p["id"])
        cores[p["id"]] = [keyword_core(k) for k in p["keywords"]]
        for k, cc in zip(p["keywords"], cores[p["id"]]):
            if len(cc) < 6:
                err(c, "project %s keyword %r has weak identifier" % (p["id"], k))
    allc = [(pid, x) for pid, cs in cores.items() for x in cs]
    for pid, x in allc:
        for pid2, y in allc:
            if pid != pid2 and x in y:
                err(c, "keyword core %s (%s) inside %s (%s)" % (x, pid, y, pid2))
    clients = {}
    for p in P:
        clients[p["client"]] = clients.get(p["client"], 0) + 1

    # history
    H = data["history"]
    if len(H) < 150:
        err(c, "history rows %d < 150" % len(H))
    prof = {}
    names = {}
    for h in H:
        if set(h) != {"supplier_name", "supplier_rut", "description", "project_id"}:
            err(c, "history keys")
        b = rut_body(h["supplier_rut"])
        if b is None:
            err(c, "history bad RUT %r" % h["supplier_rut"])
            continue
        if h["project_id"] is not None and h["project_id"] not in byid:
            err(c, "history unknown project %s" % h["project_id"])
        prof.setdefault(b, {})
        prof[b][h["project_id"]] = prof[b].get(h["project_id"], 0) + 1
        names.setdefault(b, set()).add(h["supplier_name"])
    h_oh = sum(1 for h in H if h["project_id"] is None)

    # bills
    B = data["bills"]
    if not 170 <= len(B) <= 190:
        err(c, "bills %d not in 170..190" % len(B))
    bkeys = {"id", "supplier_name", "supplier_rut", "invoice_description", "lines",
             "amount", "issue_date", "purchase_order", "expected_project_id",
             "difficulty"}
    cnt = {t: 0 for t in TAGS}
    nmf = 0
    new_sup, bill_sup = set(), set()
    new_bills = 0
    descs = set()
    for i, b in enumerate(B, 1):
        bid = b.get("id")
        if bid != "%s%03d" % (prefix, i):
            err(c, "bill id %r at position %d" % (bid, i))
        if set(b) != bkeys:
            err(c, "%s keys" % bid)
            continue
        body = rut_body(b["supplier_rut"])
        if body is None:
            err(c, "%s bad RUT %r" % (bid, b["supplier_rut"]))
            continue
        names.setdefault(body, set()).add(b["supplier_name"])
        bill_sup.add(body)
        if body not in prof:
            new_sup.add(body)
            new_bills += 1
        if b["invoice_description"] in descs:
            err(c, "%s duplicate invoice description" % bid)
        descs.add(b["invoice_description"])
        tot = 0
        for l in b["lines"]:
            if set(l) != {"description", "quantity", "unit", "unit_price"} \
                    or not isinstance(l["unit_price"], int) \
                    or not isinstance(l["quantity"], (int, float)):
                err(c, "%s line shape" % bid)
                continue
            tot += l["quantity"] * l["unit_price"]
        if not b["lines"] or not isinstance(b["amount"], int) or abs(tot - b["amount"]) > 1e-6:
            err(c, "%s amount %s != %s" % (bid, b["amount"], tot))
        pid = b["expected_project_id"]
        d = date(b["issue_date"])
        if pid is None:
            if not (d and D0 <= d <= D1):
                err(c, "%s overhead date" % bid)
        else:
            if pid not in byid:
                err(c, "%s unknown project %s" % (bid, pid))
                continue
            p = byid[pid]
            if not (d and date(p["start_date"]) <= d <= date(p["end_date"])):
                err(c, "%s date %s outside %s..%s" % (bid, d, p["start_date"], p["end_date"]))
        tags = b["difficulty"]
        if len(set(tags)) != len(tags) or not set(tags) <= TAGS or not tags:
            err(c, "%s bad tags %s" % (bid, tags))
        tags = set(tags)
        if ("overhead" in tags) != (pid is None):
            err(c, "%s overhead tag mismatch" % bid)
        pr = prof.get(body, {})
        shared = len(pr) >= 2 and pr.get(pid, 0) < max(pr.values())
        if shared != ("shared-supplier" in tags):
            err(c, "%s shared-supplier rule" % bid)
        if pr and pr.get(pid, 0) < max(pr.values()):
            nmf += 1
        text = norm_alnum(" ".join([b["purchase_order"], b["invoice_description"]]
                                   + [l["description"] for l in b["lines"]]))
        hits = {q for q, x in allc if x and x in text}
        if hits - ({pid} if pid else set()):
            err(c, "%s carries identifier of project(s) %s" % (bid, sorted(hits - {pid})))
        if (pid in hits) != ("po-reference" in tags):
            err(c, "%s po-reference rule" % bid)
        if "client-only" in tags:
            cl = byid[pid]["client"] if pid else None
            if cl is None or clients[cl] != 1:
                err(c, "%s client-only but client has %s projects" % (bid, clients.get(cl)))
            else:
                words = [w for w in re.findall(r"[a-z]+", strip_acc(cl).lower())
                         if len(w) >= 4 and w not in GENERIC]
                low = strip_acc(b["invoice_description"] + " " +
                                " ".join(l["description"] for l in b["lines"])).lower()
                if not any(w in low for w in words):
                    err(c, "%s client-only but client %r not named" % (bid, cl))
        if ("plain" in tags) != (tags == {"plain"} or not (tags - {"plain"})):
            err(c, "%s plain tag rule" % bid)
        if "plain" in tags and len(tags) > 1:
            err(c, "%s plain with other tags" % bid)
        for t in tags:
            cnt[t] += 1
    for body, ns in names.items():
        if len(ns) > 1:
            err(c, "RUT %s spelled with several names %s" % (body, sorted(ns)))
    by_name = {}
    for body, ns in names.items():
        for n in ns:
            by_name.setdefault(n, set()).add(body)
    for n, bs in by_name.items():
        if len(bs) > 1:
            err(c, "supplier name %r with several RUTs" % n)
    oh = cnt["overhead"]
    share = oh / len(B) if B else 0
    if not 0.20 <= share <= 0.23:
        err(c, "overhead share %.3f not in 20-23 %%" % share)
    newshare = len(new_sup) / len(bill_sup) if bill_sup else 0
    if not 0.30 <= newshare <= 0.45:
        err(c, "new supplier share %.3f not in 30-45 %%" % newshare)
    for t, m in MIN.items():
        v = nmf if t == "not-most-frequent" else cnt[t]
        if v < m:
            err(c, "%s = %d < %d" % (t, v, m))
    return {"company": data["company"]["name"], "file": fname, "projects": len(P),
            "history": len(H), "history_overhead": h_oh, "bills": len(B),
            "overhead": oh, "overhead_pct": round(100 * share, 1),
            "plain": cnt["plain"], "po-reference": cnt["po-reference"],
            "shared-supplier": cnt["shared-supplier"], "not-most-frequent": nmf,
            "typo": cnt["typo"], "place-variant": cnt["place-variant"],
            "trade-vocabulary": cnt["trade-vocabulary"], "client-only": cnt["client-only"],
            "bill_suppliers": len(bill_sup), "new_suppliers": len(new_sup),
            "new_supplier_pct": round(100 * newshare, 1),
            "bills_from_new_suppliers": new_bills}


def main():
    rows = []
    for fname, id0, prefix in FILES:
        r = check(fname, id0, prefix)
        if r:
            rows.append(r)
    hist_oh = [r["history_overhead"] for r in rows]
    if len(rows) == 3:
        if sorted(x == 0 for x in hist_oh) != [False, False, True]:
            err("all", "exactly one company must have no overhead history: %s" % hist_oh)
        for r in rows:
            if r["history_overhead"] and not 15 <= r["history_overhead"] <= 25:
                err(r["file"], "history overhead rows %d not in 15..25" % r["history_overhead"])
    keys = ["projects", "history", "history_overhead", "bills", "overhead", "overhead_pct",
            "plain", "po-reference", "shared-supplier", "not-most-frequent", "typo",
            "place-variant", "trade-vocabulary", "client-only", "bill_suppliers",
            "new_suppliers", "new_supplier_pct", "bills_from_new_suppliers"]
    w = 26
    print("%-*s" % (w, "count") + "".join("%20s" % r["file"] for r in rows))
    for k in keys:
        print("%-*s" % (w, k) + "".join("%20s" % r[k] for r in rows))
    if errors:
        print("\nVIOLATIONS (%d):" % len(errors))
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("\nOK: all rules pass")


if __name__ == "__main__":
    main()
