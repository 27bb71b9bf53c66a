#!/usr/bin/env python3
"""Re-checks every rule of the evaluation set from the three JSON files alone
(no use of src/ or build.py).  Prints a counts table per company and exits 1
on any violation."""
import datetime
import json
import os
import re
import string
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("agrostructures.json", "A", 5701), ("seismic.json", "Q", 5801), ("ruralgrid.json", "L", 5901)]
TAGS = {"overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
        "client-only", "typo", "plain"}
ALNUM = set(string.ascii_uppercase + string.digits)
LO, HI = datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)
RUT_RE = re.compile(r"^(\d{1,2}\.\d{3}\.\d{3}|\d{7,8})-([\dkK])$")

errors = []


def err(msg):
    errors.append(msg)


def rut_dv(body):
    s, m = 0, 2
    for ch in reversed(body):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def rut_body(rut, where):
    if not isinstance(rut, str):
        err("%s: RUT not a string" % where)
        return None
    m = RUT_RE.match(rut)
    if not m:
        err("%s: bad RUT format %r" % (where, rut))
        return None
    body = m.group(1).replace(".", "")
    if rut_dv(body) != m.group(2).upper():
        err("%s: RUT %s fails modulo 11" % (where, rut))
    return body


def norm(s):
    return "".join(ch for ch in s.upper() if ch in ALNUM)


def core(kw):
    n = norm(kw)
    m = re.search(r"\d", n)
    return n[m.start():] if m else None


def date(s, where):
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            raise ValueError
        return datetime.date.fromisoformat(s)
    except (TypeError, ValueError):
        err("%s: bad date %r" % (where, s))
        return None


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check(fname, idp, first_id):
    path = os.path.join(HERE, "..", fname)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    W = fname
    if set(data) != {"company", "projects", "history", "bills"}:
        err("%s: top-level keys %s" % (W, sorted(data)))
    comp = data["company"]
    if set(comp) != {"name", "rut", "trade"} or not all(isinstance(comp[k], str) and comp[k] for k in comp):
        err("%s: company fields" % W)
    rut_body(comp.get("rut"), W + " company")
    if not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[\dK]", comp.get("rut", "")):
        err("%s: company RUT not in 76.123.456-7 form" % W)

    # projects
    projects = data["projects"]
    if len(projects) != 30:
        err("%s: %d projects (need 30)" % (W, len(projects)))
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords", "budget",
             "start_date", "end_date"}
    pmap, cores = {}, {}
    for p in projects:
        pw = "%s project %s" % (W, p.get("id"))
        if set(p) != pkeys:
            err(pw + ": keys")
            continue
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err(pw + ": empty " + k)
        if not is_int(p["id"]):
            err(pw + ": id not int")
        if not re.fullmatch(r"[^,]+, Región (de |del |Metropolitana )\S.*", p["location"]):
            err(pw + ": location format %r" % p["location"])
        if not is_int(p["budget"]) or p["budget"] <= 0:
            err(pw + ": budget")
        s, e = date(p["start_date"], pw), date(p["end_date"], pw)
        if s and e and not (LO <= s <= e <= HI):
            err(pw + ": dates outside 2025-2026 or reversed")
        if not isinstance(p["keywords"], list) or not p["keywords"] or not all(isinstance(k, str) for k in p["keywords"]):
            err(pw + ": keywords")
        cs = [c for c in (core(k) for k in p["keywords"]) if c]
        if not cs:
            err(pw + ": no identifier among keywords")
        for c in cs:
            if len(c) < 7:
                err(pw + ": identifier %s too short" % c)
        pmap[p["id"]] = (p, s, e)
        cores[p["id"]] = cs
    if sorted(pmap) != list(range(first_id, first_id + 30)):
        err("%s: project ids are not %d..%d" % (W, first_id, first_id + 29))
    allc = [c for cs in cores.values() for c in cs]
    if len(set(allc)) != len(allc):
        err("%s: duplicate identifiers among projects" % W)
    clients = {}
    for p, _, _ in pmap.values():
        clients[p["client"]] = clients.get(p["client"], 0) + 1

    # history
    history = data["history"]
    hist_counts, names = {}, {}
    hist_over = 0
    for i, h in enumerate(history):
        hw = "%s history[%d]" % (W, i)
        if set(h) != {"supplier_name", "supplier_rut", "description", "project_id"}:
            err(hw + ": keys")
            continue
        body = rut_body(h["supplier_rut"], hw)
        if not isinstance(h["description"], str) or not h["description"].strip():
            err(hw + ": description")
        pid = h["project_id"]
        if pid is None:
            hist_over += 1
        elif pid not in pmap:
            err(hw + ": unknown project %r" % pid)
        if body:
            hist_counts.setdefault(body, {}).setdefault(pid, 0)
            hist_counts[body][pid] += 1
            names.setdefault(body, set()).add(h["supplier_name"])
    if len(history) < 150:
        err("%s: %d history rows (need >= 150)" % (W, len(history)))

    # bills
    bills = data["bills"]
    if not 170 <= len(bills) <= 190:
        err("%s: %d bills (need 170-190)" % (W, len(bills)))
    bkeys = {"id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"}
    n = {t: 0 for t in TAGS}
    nonmode = 0
    bill_sup, new_bill_count = set(), 0
    dotted = undotted = 0
    ids = []
    for b in bills:
        bw = "%s bill %s" % (W, b.get("id"))
        if set(b) != bkeys:
            err(bw + ": keys")
            continue
        ids.append(b["id"])
        if not re.fullmatch(idp + r"\d{3}", str(b["id"])):
            err(bw + ": id format")
        body = rut_body(b["supplier_rut"], bw)
        if "." in b["supplier_rut"]:
            dotted += 1
        else:
            undotted += 1
        for k in ("supplier_name", "invoice_description", "purchase_order"):
            if not isinstance(b[k], str):
                err(bw + ": " + k + " not a string")
        if not b["invoice_description"].strip() or not b["supplier_name"].strip():
            err(bw + ": empty text")
        lines = b["lines"]
        if not isinstance(lines, list) or not lines:
            err(bw + ": no lines")
            continue
        total = 0
        for l in lines:
            if set(l) != {"description", "quantity", "unit", "unit_price"}:
                err(bw + ": line keys")
                continue
            if not is_num(l["quantity"]) or l["quantity"] <= 0 or not is_int(l["unit_price"]) or l["unit_price"] <= 0:
                err(bw + ": line numbers")
                continue
            if not isinstance(l["description"], str) or not isinstance(l["unit"], str) or not l["unit"]:
                err(bw + ": line text")
            total += l["quantity"] * l["unit_price"]
        if not is_int(b["amount"]) or abs(total - b["amount"]) > 1e-6:
            err(bw + ": amount %r != sum %r" % (b["amount"], total))
        pid = b["expected_project_id"]
        dt = date(b["issue_date"], bw)
        if pid is not None:
            if pid not in pmap:
                err(bw + ": unknown expected project")
                continue
            _, s, e = pmap[pid]
            if dt and s and e and not s <= dt <= e:
                err(bw + ": issue date outside project window")
        elif dt and not LO <= dt <= HI:
            err(bw + ": overhead date outside 2025-2026")
        tags = b["difficulty"]
        if not isinstance(tags, list) or not tags or len(set(tags)) != len(tags) or not set(tags) <= TAGS:
            err(bw + ": difficulty %r" % (tags,))
            continue
        tags = set(tags)
        for t in tags:
            n[t] += 1
        if ("overhead" in tags) != (pid is None):
            err(bw + ": overhead tag vs expected_project_id")
        c = hist_counts.get(body) if body else None
        shared = bool(c) and len(c) >= 2 and c.get(pid, 0) < max(c.values())
        if shared != ("shared-supplier" in tags):
            err(bw + ": shared-supplier tag does not follow the rule")
        if c and c.get(pid, 0) < max(c.values()):
            nonmode += 1
        fields = [b["purchase_order"], b["invoice_description"]] + [l.get("description", "") for l in lines]
        nf = [norm(f) for f in fields]
        po = pid is not None and any(cc in f for cc in cores[pid] for f in nf)
        if po != ("po-reference" in tags):
            err(bw + ": po-reference tag does not follow the rule")
        for other, cs in cores.items():
            if other != pid and any(cc in f for cc in cs for f in nf):
                err(bw + ": carries the identifier of project %s" % other)
        if "client-only" in tags and (pid is None or clients[pmap[pid][0]["client"]] != 1):
            err(bw + ": client-only but the client has more than one project")
        if ("plain" in tags) != (tags == {"plain"}):
            err(bw + ": plain must stand alone and only when no other tag applies")
        if body:
            bill_sup.add(body)
            names.setdefault(body, set()).add(b["supplier_name"])
            if body not in hist_counts:
                new_bill_count += 1
    if len(set(ids)) != len(ids):
        err("%s: duplicate bill ids" % W)
    if sorted(ids) != ["%s%03d" % (idp, i) for i in range(1, len(ids) + 1)]:
        err("%s: bill ids not numbered %s001..." % (W, idp))
    for body, ns in names.items():
        if len(ns) != 1:
            err("%s: RUT %s used under several names %s" % (W, body, sorted(ns)))
    by_name = {}
    for body, ns in names.items():
        for nm in ns:
            by_name.setdefault(nm, set()).add(body)
    for nm, bs in by_name.items():
        if len(bs) != 1:
            err("%s: supplier %r has several RUTs" % (W, nm))
    if not dotted or not undotted:
        err("%s: RUT spellings not varied" % W)

    over = n["overhead"]
    share = over / len(bills) if bills else 0
    if not 0.20 <= share <= 0.23:
        err("%s: overhead share %.3f not in 20-23 %%" % (W, share))
    new_sup = len([s for s in bill_sup if s not in hist_counts])
    new_ratio = new_sup / len(bill_sup) if bill_sup else 0
    if not 0.30 <= new_ratio <= 0.45:
        err("%s: new-supplier share %.3f not in 30-45 %%" % (W, new_ratio))
    mins = {"plain": 15, "po-reference": 12, "typo": 6, "place-variant": 25, "trade-vocabulary": 20,
            "client-only": 4}
    for t, m in mins.items():
        if n[t] < m:
            err("%s: %d %s bills (need >= %d)" % (W, n[t], t, m))
    if nonmode < 10:
        err("%s: %d bills off the supplier's most frequent assignment (need >= 10)" % (W, nonmode))
    return {"file": fname, "projects": len(projects), "history": len(history), "hist_overhead": hist_over,
            "bills": len(bills), "overhead": over, "overhead_pct": 100 * share,
            "plain": n["plain"], "po-reference": n["po-reference"], "non-mode": nonmode,
            "typo": n["typo"], "place-variant": n["place-variant"],
            "trade-vocabulary": n["trade-vocabulary"], "client-only": n["client-only"],
            "shared-supplier": n["shared-supplier"], "bill_suppliers": len(bill_sup),
            "new_suppliers": new_sup, "new_pct": 100 * new_ratio,
            "new_bill_pct": 100 * new_bill_count / len(bills) if bills else 0}


def main():
    rows = []
    for fname, idp, first in FILES:
        if not os.path.exists(os.path.join(HERE, "..", fname)):
            err("missing " + fname)
            continue
        rows.append(check(fname, idp, first))
    zero = [r for r in rows if r["hist_overhead"] == 0]
    if len(zero) != 1:
        err("exactly one company must have no overhead rows in history (found %d)" % len(zero))
    for r in rows:
        if r["hist_overhead"] and not 15 <= r["hist_overhead"] <= 25:
            err("%s: %d overhead history rows (need 15-25)" % (r["file"], r["hist_overhead"]))
    cols = ["projects", "history", "hist_overhead", "bills", "overhead", "overhead_pct", "plain",
            "po-reference", "non-mode", "typo", "place-variant", "trade-vocabulary", "client-only",
            "shared-supplier", "bill_suppliers", "new_suppliers", "new_pct", "new_bill_pct"]
    w = max(len(c) for c in cols)
    print("%-*s" % (w, "") + "".join("%22s" % r["file"] for r in rows))
    for c in cols:
        cells = []
        for r in rows:
            v = r[c]
            cells.append("%22s" % ("%.1f" % v if isinstance(v, float) else v))
        print("%-*s" % (w, c) + "".join(cells))
    if errors:
        print("\n%d violation(s):" % len(errors))
        for e in errors:
            print("  - " + e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
