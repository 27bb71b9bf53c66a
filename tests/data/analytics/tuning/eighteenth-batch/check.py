#!/usr/bin/env python3
"""Re-check every rule of blind evaluation set v18 from the JSON files alone (read next to this file).
Prints a counts table and exits 1 on any violation. Standard library only."""
import json, os, re, sys, datetime
from fractions import Fraction
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("airports.json", 4801, "A"), ("bridges.json", 4901, "P"), ("cleaning.json", 5001, "L")]
OVH_FROM, OVH_TO = datetime.date(2025, 1, 6), datetime.date(2026, 12, 6)
RULE_TAGS = {"overhead", "po-reference", "shared-supplier", "plain"}
HAND_TAGS = {"place-variant", "trade-vocabulary", "client-only", "typo"}
errors = []


def err(f, msg):
    errors.append("%s: %s" % (f, msg))


def dv(body):
    s, m = 0, 2
    for ch in reversed(body):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


DOTTED = re.compile(r"^(\d{1,3})\.(\d{3})\.(\d{3})-([\dK])$")
PLAIN = re.compile(r"^(\d{7,8})-([\dK])$")


def rut_info(r):
    """return (normalised, spelling) or None if invalid"""
    m = DOTTED.match(r)
    if m:
        body, d, sp = m.group(1) + m.group(2) + m.group(3), m.group(4), "dotted"
    else:
        m = PLAIN.match(r)
        if not m:
            return None
        body, d, sp = m.group(1), m.group(2), "plain"
    if body.startswith("0") or dv(body) != d:
        return None
    return body + "-" + d, sp


def date(s):
    try:
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", s):
            return None
        return datetime.date.fromisoformat(s)
    except Exception:
        return None


LOC = re.compile(r"^[^,]+, (Región (de|del) .+|Región Metropolitana de Santiago)$")


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_file(fname, first_id, prefix):
    path = os.path.join(HERE, "..", fname)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    row = {"file": fname}
    if list(data.keys()) != ["company", "projects", "history", "bills"]:
        err(fname, "top-level keys/order %s" % list(data.keys()))
    c = data["company"]
    if list(c.keys()) != ["name", "rut", "trade"]:
        err(fname, "company keys %s" % list(c.keys()))
    ri = rut_info(c.get("rut", ""))
    if not ri or ri[1] != "dotted":
        err(fname, "company rut invalid or not dotted: %s" % c.get("rut"))
    for k in ("name", "trade"):
        if not isinstance(c.get(k), str) or not c.get(k):
            err(fname, "company %s missing" % k)

    # ---------------- projects
    P = data["projects"]
    pkeys = ["id", "name", "code", "client", "location", "description", "keywords", "budget", "start_date", "end_date"]
    if len(P) != 30:
        err(fname, "%d projects, need exactly 30" % len(P))
    ids = [p.get("id") for p in P]
    if sorted(ids) != list(range(first_id, first_id + 30)):
        err(fname, "project ids not %d..%d" % (first_id, first_id + 29))
    pmap = {}
    for p in P:
        if list(p.keys()) != pkeys:
            err(fname, "project %s keys %s" % (p.get("id"), list(p.keys())))
            continue
        pmap[p["id"]] = p
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err(fname, "project %s field %s empty" % (p["id"], k))
        if not LOC.match(p["location"]):
            err(fname, "project %s location format: %s" % (p["id"], p["location"]))
        if not (isinstance(p["keywords"], list) and len(p["keywords"]) == 1 and isinstance(p["keywords"][0], str) and p["keywords"][0].strip()):
            err(fname, "project %s keywords must be exactly one string" % p["id"])
        if not isinstance(p["budget"], int) or isinstance(p["budget"], bool) or p["budget"] <= 0:
            err(fname, "project %s budget" % p["id"])
        a, b = date(p["start_date"]), date(p["end_date"])
        if not a or not b or a >= b:
            err(fname, "project %s dates" % p["id"])
    codes = Counter(p["code"].lower() for p in pmap.values())
    for k, n in codes.items():
        if n > 1:
            err(fname, "duplicate code %s" % k)
    for p in pmap.values():
        marks = [p["code"], p["keywords"][0]]
        for q in pmap.values():
            if q is p:
                continue
            fields = [q["name"], q["code"], q["client"], q["location"], q["description"]] + list(q["keywords"])
            for m in marks:
                for fv in fields:
                    if m.lower() in fv.lower():
                        err(fname, "mark %r of project %s appears in project %s" % (m, p["id"], q["id"]))
    clients = Counter(p["client"] for p in pmap.values())

    # ---------------- history
    H = data["history"]
    if len(H) < 150:
        err(fname, "history has %d rows (<150)" % len(H))
    name2rut, rut2name, spellings = defaultdict(set), defaultdict(set), set()

    def note_sup(where, name, rut):
        info = rut_info(rut) if isinstance(rut, str) else None
        if not info:
            err(fname, "%s invalid supplier RUT %r" % (where, rut))
            return
        name2rut[name].add(info[0])
        rut2name[info[0]].add(name)
        spellings.add(info[1])

    served = defaultdict(Counter)
    hist_ovh = 0
    for i, h in enumerate(H):
        if list(h.keys()) != ["supplier_name", "supplier_rut", "description", "project_id"]:
            err(fname, "history row %d keys %s" % (i, list(h.keys())))
            continue
        note_sup("history %d" % i, h["supplier_name"], h["supplier_rut"])
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err(fname, "history row %d unknown project %s" % (i, h["project_id"]))
        if not h["description"].strip():
            err(fname, "history row %d empty description" % i)
        if h["project_id"] is None:
            hist_ovh += 1
        served[h["supplier_name"]][h["project_id"]] += 1
    multi = [s for s, cn in served.items() if len([k for k in cn if k is not None]) >= 2]
    if len(multi) < 3:
        err(fname, "only %d suppliers serve several projects in history" % len(multi))

    # ---------------- bills
    B = data["bills"]
    bkeys = ["id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount", "issue_date",
             "purchase_order", "expected_project_id", "difficulty"]
    if len(B) < 165:
        err(fname, "%d bills (<165)" % len(B))
    tagc = Counter()
    ovh = 0
    bill_sups = set()
    not_top = 0
    for i, bl in enumerate(B):
        if list(bl.keys()) != bkeys:
            err(fname, "bill %d keys %s" % (i, list(bl.keys())))
            continue
        bid = bl["id"]
        if bid != "%s%03d" % (prefix, i + 1):
            err(fname, "bill id %s out of sequence (expected %s%03d)" % (bid, prefix, i + 1))
        note_sup("bill " + bid, bl["supplier_name"], bl["supplier_rut"])
        bill_sups.add(bl["supplier_name"])
        if not isinstance(bl["invoice_description"], str) or not bl["invoice_description"].strip():
            err(fname, bid + " empty invoice_description")
        if not isinstance(bl["lines"], list) or not bl["lines"]:
            err(fname, bid + " has no lines")
            continue
        total = Fraction(0)
        for l in bl["lines"]:
            if list(l.keys()) != ["description", "quantity", "unit", "unit_price"]:
                err(fname, bid + " line keys %s" % list(l.keys()))
                continue
            if not is_num(l["quantity"]) or l["quantity"] <= 0:
                err(fname, bid + " bad quantity")
                continue
            if not isinstance(l["unit_price"], int) or isinstance(l["unit_price"], bool):
                err(fname, bid + " unit_price not int")
                continue
            if not l["description"].strip() or not l["unit"].strip():
                err(fname, bid + " empty line description/unit")
            total += Fraction(str(l["quantity"])) * l["unit_price"]
        if not isinstance(bl["amount"], int) or Fraction(bl["amount"]) != total:
            err(fname, "%s amount %s != sum of lines %s" % (bid, bl["amount"], total))
        pid = bl["expected_project_id"]
        dt = date(bl["issue_date"])
        if not dt:
            err(fname, bid + " bad issue_date")
        if not isinstance(bl["purchase_order"], str):
            err(fname, bid + " purchase_order not str")
        if pid is None:
            ovh += 1
            if dt and not (OVH_FROM <= dt <= OVH_TO):
                err(fname, "%s overhead bill dated %s outside %s..%s" % (bid, dt, OVH_FROM, OVH_TO))
            p = None
        elif pid not in pmap:
            err(fname, "%s unknown project %s" % (bid, pid))
            continue
        else:
            p = pmap[pid]
            if dt and not (date(p["start_date"]) <= dt <= date(p["end_date"])):
                err(fname, "%s dated %s outside project %s window" % (bid, dt, pid))
        # marks of other projects anywhere in the bill
        alltext = " ".join([bl["supplier_name"], bl["invoice_description"], bl["purchase_order"]] +
                           [l["description"] + " " + l["unit"] for l in bl["lines"]]).lower()
        for q in pmap.values():
            if q is p:
                continue
            for m in (q["code"], q["keywords"][0]):
                if m.lower() in alltext:
                    err(fname, "%s contains mark %r of project %s" % (bid, m, q["id"]))
        # rule tags
        tags = bl["difficulty"]
        if not isinstance(tags, list) or len(set(tags)) != len(tags):
            err(fname, bid + " difficulty must be a list without repeats")
            continue
        for t in tags:
            if t not in RULE_TAGS | HAND_TAGS:
                err(fname, "%s unknown tag %s" % (bid, t))
        exp = set()
        if pid is None:
            exp.add("overhead")
        else:
            text = " ".join([bl["invoice_description"], bl["purchase_order"]] + [l["description"] for l in bl["lines"]]).lower()
            if p["keywords"][0].lower() in text or p["code"].lower() in text:
                exp.add("po-reference")
        cn = served.get(bl["supplier_name"], Counter())
        if len(cn) >= 2:
            exp.add("shared-supplier")
        hand = set(tags) & HAND_TAGS
        if not exp and not hand:
            exp.add("plain")
        got_rule = set(tags) & RULE_TAGS
        if got_rule != exp:
            err(fname, "%s rule tags %s, computed %s" % (bid, sorted(got_rule), sorted(exp)))
        if pid is None and hand - {"typo"}:
            err(fname, "%s overhead bill with project-relative hand tags %s" % (bid, sorted(hand)))
        if "client-only" in tags and (p is None or clients[p["client"]] != 1):
            err(fname, "%s client-only but client of its project has %s projects" % (bid, clients.get(p["client"]) if p else "no"))
        for t in tags:
            tagc[t] += 1
        # supplier's most-served project
        if pid is not None and cn:
            top = max(cn.values())
            if cn.get(pid, 0) < top:
                not_top += 1
    if ovh / max(1, len(B)) < 0.18:
        err(fname, "overhead bills %.1f%% < 18%%" % (100.0 * ovh / len(B)))
    for t, need in (("plain", 15), ("po-reference", 12), ("typo", 6)):
        if tagc[t] < need:
            err(fname, "%d %s bills (<%d)" % (tagc[t], t, need))
    if not_top < 10:
        err(fname, "only %d bills to a project that is not the supplier's most-served one (<10)" % not_top)
    for n, rs in name2rut.items():
        if len(rs) > 1:
            err(fname, "supplier %r has several RUTs %s" % (n, sorted(rs)))
    for r, ns in rut2name.items():
        if len(ns) > 1:
            err(fname, "RUT %s used by several names %s" % (r, sorted(ns)))
    if spellings != {"dotted", "plain"}:
        err(fname, "supplier RUTs not written in both spellings: %s" % sorted(spellings))
    new = [s for s in bill_sups if s not in served]
    newpct = 100.0 * len(new) / max(1, len(bill_sups))
    if not 35.0 <= newpct <= 50.0:
        err(fname, "new suppliers %.1f%% outside 35-50%%" % newpct)
    row.update({"projects": len(P), "history": len(H), "hist overhead": hist_ovh, "bills": len(B),
                "overhead": ovh, "overhead %": "%.1f" % (100.0 * ovh / max(1, len(B))),
                "po-reference": tagc["po-reference"], "plain": tagc["plain"],
                "shared-supplier": tagc["shared-supplier"], "place-variant": tagc["place-variant"],
                "trade-vocabulary": tagc["trade-vocabulary"], "client-only": tagc["client-only"],
                "typo": tagc["typo"], "bill suppliers": len(bill_sups), "new suppliers": len(new),
                "new %": "%.1f" % newpct, "multi-project suppliers": len(multi),
                "bills not to supplier's top project": not_top})
    return row, data


def main():
    rows, datas = [], []
    for f, first, prefix in FILES:
        try:
            r, dd = check_file(f, first, prefix)
        except FileNotFoundError:
            err(f, "missing")
            continue
        rows.append(r)
        datas.append((f, dd))
    # cross-file rules
    with_ovh = [r["file"] for r in rows if r["hist overhead"] > 0]
    if len(rows) == 3 and len(with_ovh) != 2:
        err("all", "overhead history rows in %d files (%s), need exactly two" % (len(with_ovh), with_ovh))
    total = sum(r["bills"] for r in rows)
    if total < 500:
        err("all", "%d bills in all (<500)" % total)
    gname = defaultdict(set)
    for f, dd in datas:
        for x in dd["history"] + dd["bills"]:
            info = rut_info(x["supplier_rut"])
            if info:
                gname[x["supplier_name"]].add(info[0])
    for n, rs in gname.items():
        if len(rs) > 1:
            err("all", "supplier %r has different RUTs across files" % n)
    cols = ["projects", "history", "hist overhead", "bills", "overhead", "overhead %", "po-reference", "plain",
            "shared-supplier", "place-variant", "trade-vocabulary", "client-only", "typo", "bill suppliers",
            "new suppliers", "new %", "multi-project suppliers", "bills not to supplier's top project"]
    print("| metric | " + " | ".join(r["file"] for r in rows) + " |")
    print("| --- |" + " --- |" * len(rows))
    for c in cols:
        print("| %s | %s |" % (c, " | ".join(str(r[c]) for r in rows)))
    print("| total bills | %d |" % total)
    if errors:
        print("\n%d VIOLATION(S):" % len(errors))
        for e in errors:
            print("  - " + e)
        sys.exit(1)
    print("\nAll rules pass.")


if __name__ == "__main__":
    main()
