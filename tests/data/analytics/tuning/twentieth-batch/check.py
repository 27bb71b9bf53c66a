#!/usr/bin/env python3
"""Re-check every rule of the blind set from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
Standard library only.
"""
import datetime
import json
import os
import re
import sys
import unicodedata
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("rockfall.json", "R", 5401), ("consulting.json", "C", 5501),
         ("kitchens.json", "K", 5601)]
TAGS = {"overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"}
MINIMA = {"plain": 15, "po-reference": 12, "not-mode": 10, "typo": 6,
          "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}
LO, HI = datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)

errors = []


def err(msg):
    errors.append(msg)


def rut_ok(rut):
    m = re.fullmatch(r"(\d{1,3}(?:\.\d{3})*|\d+)-([0-9kK])", rut)
    if not m:
        return None
    body = m.group(1).replace(".", "")
    if "." in m.group(1) and not re.fullmatch(r"\d{1,3}(\.\d{3})+", m.group(1)):
        return None
    total, mult = 0, 2
    for ch in reversed(body):
        total += int(ch) * mult
        mult = 2 if mult == 7 else mult + 1
    r = 11 - total % 11
    dv = "0" if r == 11 else "K" if r == 10 else str(r)
    return body if dv == m.group(2).upper() else None


def norm(text):
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Z0-9]", "", t.upper())


def date(s, where):
    try:
        return datetime.date.fromisoformat(s)
    except (TypeError, ValueError):
        err("%s: bad date %r" % (where, s))
        return None


def check_file(fname, prefix, first):
    path = os.path.join(HERE, "..", fname)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    tag = fname.split(".")[0]
    if set(data) != {"company", "projects", "history", "bills"}:
        err("%s: top-level keys %s" % (tag, sorted(data)))
    comp = data["company"]
    if set(comp) != {"name", "rut", "trade"}:
        err(tag + ": company keys")
    if not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[0-9K]", comp["rut"]) or not rut_ok(comp["rut"]):
        err(tag + ": company rut " + comp["rut"])

    # ---------------- projects
    projects = data["projects"]
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords",
             "budget", "start_date", "end_date"}
    if len(projects) != 30:
        err("%s: %d projects" % (tag, len(projects)))
    pmap = {}
    for p in projects:
        if set(p) != pkeys:
            err("%s: project keys %s" % (tag, p.get("id")))
            continue
        if not (isinstance(p["id"], int) and first <= p["id"] < first + 30):
            err("%s: project id %s out of range" % (tag, p["id"]))
        if p["id"] in pmap:
            err("%s: duplicate project id %s" % (tag, p["id"]))
        pmap[p["id"]] = p
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err("%s: project %s empty %s" % (tag, p["id"], k))
        if not re.fullmatch(r"[^,]+, Región (de |del )?.+", p["location"]):
            err("%s: project %s location format %r" % (tag, p["id"], p["location"]))
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err("%s: project %s budget" % (tag, p["id"]))
        if not isinstance(p["keywords"], list) or not p["keywords"] or \
                not all(isinstance(k, str) and len(norm(k)) >= 6 for k in p["keywords"]):
            err("%s: project %s keywords" % (tag, p["id"]))
        s, e = date(p["start_date"], tag), date(p["end_date"], tag)
        if s and e and not (LO <= s <= e <= HI):
            err("%s: project %s dates" % (tag, p["id"]))
    codes = [p["code"] for p in projects]
    if len(set(codes)) != len(codes):
        err(tag + ": duplicate project codes")
    cores = {pid: [norm(k) for k in p["keywords"]] for pid, p in pmap.items()}
    allcores = [(pid, c) for pid, cs in cores.items() for c in cs]
    for pid, c in allcores:
        for pid2, c2 in allcores:
            if (pid, c) != (pid2, c2) and c in c2:
                err("%s: keyword %s of %s is inside keyword of %s" % (tag, c, pid, pid2))
    clients = {}
    for p in projects:
        clients[p["client"]] = clients.get(p["client"], 0) + 1

    # ---------------- history
    hist = data["history"]
    hkeys = {"supplier_name", "supplier_rut", "description", "project_id"}
    sup_hist = {}   # rut body -> {pid: count}
    names = {}      # rut body -> set of names
    for i, h in enumerate(hist):
        if set(h) != hkeys:
            err("%s: history %d keys" % (tag, i))
            continue
        body = rut_ok(h["supplier_rut"])
        if not body:
            err("%s: history %d bad rut %s" % (tag, i, h["supplier_rut"]))
            continue
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err("%s: history %d unknown project" % (tag, i))
        if not h["description"].strip():
            err("%s: history %d empty description" % (tag, i))
        d = sup_hist.setdefault(body, {})
        d[h["project_id"]] = d.get(h["project_id"], 0) + 1
        names.setdefault(body, set()).add(h["supplier_name"])
    hist_overhead = sum(1 for h in hist if h.get("project_id") is None)
    if len(hist) < 150:
        err("%s: only %d history rows" % (tag, len(hist)))

    # ---------------- bills
    bills = data["bills"]
    bkeys = {"id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"}
    if not 170 <= len(bills) <= 190:
        err("%s: %d bills" % (tag, len(bills)))
    cnt = {t: 0 for t in TAGS}
    cnt["not-mode"] = 0
    bill_sups, new_bill_count, rut_spellings = set(), 0, {}
    ids = []
    for b in bills:
        w = "%s:%s" % (tag, b.get("id"))
        if set(b) != bkeys:
            err(w + " keys")
            continue
        ids.append(b["id"])
        body = rut_ok(b["supplier_rut"])
        if not body:
            err(w + " bad rut " + b["supplier_rut"])
            continue
        names.setdefault(body, set()).add(b["supplier_name"])
        rut_spellings.setdefault(body, set()).add(b["supplier_rut"])
        pid = b["expected_project_id"]
        if pid is not None and pid not in pmap:
            err(w + " unknown project")
            continue
        # amount
        total = Fraction(0)
        if not b["lines"]:
            err(w + " no lines")
        for ln in b["lines"]:
            if set(ln) != {"description", "quantity", "unit", "unit_price"}:
                err(w + " line keys")
                continue
            if not isinstance(ln["unit_price"], int) or isinstance(ln["quantity"], bool) \
                    or not isinstance(ln["quantity"], (int, float)) or ln["quantity"] <= 0:
                err(w + " line types")
                continue
            total += Fraction(str(ln["quantity"])) * ln["unit_price"]
        if not isinstance(b["amount"], int) or total != b["amount"]:
            err("%s amount %s != %s" % (w, b["amount"], total))
        # date
        d = date(b["issue_date"], w)
        if d:
            if pid is None:
                if not LO <= d <= HI:
                    err(w + " overhead date out of range")
            else:
                p = pmap[pid]
                if not (datetime.date.fromisoformat(p["start_date"]) <= d <=
                        datetime.date.fromisoformat(p["end_date"])):
                    err(w + " date outside project window")
        # tags
        tags = b["difficulty"]
        if not isinstance(tags, list) or not tags or len(set(tags)) != len(tags) or \
                not set(tags) <= TAGS:
            err(w + " bad difficulty list %r" % tags)
            continue
        tags = set(tags)
        if ("overhead" in tags) != (pid is None):
            err(w + " overhead tag mismatch")
        counts = sup_hist.get(body, {})
        shared = len(counts) >= 2 and counts.get(pid, 0) < max(counts.values())
        if shared != ("shared-supplier" in tags):
            err(w + " shared-supplier tag mismatch")
        if counts and counts.get(pid, 0) < max(counts.values()):
            cnt["not-mode"] += 1
        fields = [b["purchase_order"], b["invoice_description"]] + \
            [ln["description"] for ln in b["lines"]]
        normed = [norm(f) for f in fields]
        po_hit = False
        for opid, cs in cores.items():
            hit = any(c in n for c in cs for n in normed)
            if hit and opid != pid:
                err("%s carries keyword of other project %s" % (w, opid))
            if hit and opid == pid:
                po_hit = True
        if po_hit != ("po-reference" in tags):
            err(w + " po-reference tag mismatch")
        if "client-only" in tags and (pid is None or clients[pmap[pid]["client"]] != 1):
            err(w + " client-only but client has several projects or overhead")
        if ("plain" in tags) != (tags == {"plain"}):
            err(w + " plain tag mismatch")
        if not tags - {"plain"} and "plain" not in tags:
            err(w + " missing plain")
        for t in tags:
            cnt[t] += 1
        bill_sups.add(body)
        if body not in sup_hist:
            new_bill_count += 1
    exp_ids = ["%s%03d" % (prefix, i) for i in range(1, len(bills) + 1)]
    if ids != exp_ids:
        err(tag + ": bill ids not sequential " + prefix + "001..")
    for body, ns in names.items():
        if len(ns) != 1:
            err("%s: supplier rut %s has several names %s" % (tag, body, ns))
    by_name = {}
    for body, ns in names.items():
        for nm in ns:
            by_name.setdefault(nm, set()).add(body)
    for nm, bodies in by_name.items():
        if len(bodies) != 1:
            err("%s: supplier name %s has several RUTs" % (tag, nm))
    n = len(bills)
    share_oh = cnt["overhead"] / n if n else 0
    if not 0.20 <= share_oh <= 0.23:
        err("%s: overhead share %.3f" % (tag, share_oh))
    for k, v in MINIMA.items():
        if cnt[k] < v:
            err("%s: %s = %d < %d" % (tag, k, cnt[k], v))
    new_sups = len([s for s in bill_sups if s not in sup_hist])
    share_new = new_sups / len(bill_sups) if bill_sups else 0
    if not 0.30 <= share_new <= 0.45:
        err("%s: new supplier share %.3f" % (tag, share_new))
    varied = sum(1 for s in rut_spellings.values() if len(s) > 1)
    if varied < 5:
        err("%s: only %d suppliers with varied RUT spellings" % (tag, varied))
    return {
        "file": fname, "projects": len(projects), "history": len(hist),
        "hist_overhead": hist_overhead, "bills": n, "overhead": cnt["overhead"],
        "overhead_pct": 100.0 * share_oh, "plain": cnt["plain"],
        "po-reference": cnt["po-reference"], "not-mode": cnt["not-mode"],
        "shared-supplier": cnt["shared-supplier"], "typo": cnt["typo"],
        "place-variant": cnt["place-variant"], "trade-vocabulary": cnt["trade-vocabulary"],
        "client-only": cnt["client-only"], "bill_suppliers": len(bill_sups),
        "new_suppliers": new_sups, "new_sup_pct": 100.0 * share_new,
        "new_sup_bills": new_bill_count,
    }


def main():
    rows = []
    for fname, prefix, first in FILES:
        if not os.path.exists(os.path.join(HERE, "..", fname)):
            err("missing " + fname)
            continue
        rows.append(check_file(fname, prefix, first))
    zero = [r for r in rows if r["hist_overhead"] == 0]
    if len(zero) != 1:
        err("exactly one company must have no overhead history rows (found %d)" % len(zero))
    for r in rows:
        if r["hist_overhead"] and not 15 <= r["hist_overhead"] <= 25:
            err("%s: %d overhead history rows" % (r["file"], r["hist_overhead"]))
    cols = ["projects", "history", "hist_overhead", "bills", "overhead", "overhead_pct",
            "plain", "po-reference", "not-mode", "shared-supplier", "typo", "place-variant",
            "trade-vocabulary", "client-only", "bill_suppliers", "new_suppliers",
            "new_sup_pct", "new_sup_bills"]
    print("| metric | " + " | ".join(r["file"] for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for c in cols:
        vals = [("%.1f" % r[c]) if isinstance(r[c], float) else str(r[c]) for r in rows]
        print("| %s | %s |" % (c, " | ".join(vals)))
    if errors:
        print("\n%d violation(s):" % len(errors))
        for e in errors[:200]:
            print("  -", e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
