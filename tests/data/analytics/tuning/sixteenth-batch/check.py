#!/usr/bin/env python3
"""Re-checks every dataset rule from the JSON files alone. Exit 1 on any violation."""
import json, re, sys, datetime, collections, os

FILES = [("apr", "R", 4201), ("conveyor", "B", 4301), ("housing", "V", 4401)]
RULE_TAGS = {"overhead", "po-reference", "shared-supplier", "plain"}
HAND_TAGS = {"place-variant", "trade-vocabulary", "client-only", "typo"}
OH_START, OH_END = "2025-01-06", "2026-12-06"
RE_DOT = re.compile(r"^\d{1,2}\.\d{3}\.\d{3}-[\dK]$")
RE_PLAIN = re.compile(r"^\d{7,8}-[\dK]$")
errors = []


def err(msg):
    errors.append(msg)


def dv(body):
    s, m = 0, 2
    for c in reversed(body):
        s += int(c) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut_ok(r):
    if not (RE_DOT.match(r) or RE_PLAIN.match(r)):
        return False
    body, d = r.replace(".", "").split("-")
    return dv(body) == d


def norm(r):
    return r.replace(".", "").upper()


def iso(s):
    try:
        datetime.date.fromisoformat(s); return True
    except Exception:
        return False


os.chdir(os.path.dirname(os.path.abspath(__file__)))
counts = []
files_with_oh_history = 0
total_bills = 0
for name, prefix, first in FILES:
    F = os.path.join("..", name + ".json")
    data = json.load(open(F, encoding="utf-8"))
    if set(data) != {"company", "projects", "history", "bills"}:
        err(f"{F}: top-level keys {sorted(data)}")
    c = data["company"]
    if set(c) != {"name", "rut", "trade"} or not rut_ok(c["rut"]):
        err(f"{F}: company object/rut")
    P = data["projects"]; H = data["history"]; B = data["bills"]
    # projects
    if len(P) != 30:
        err(f"{F}: {len(P)} projects")
    ids = [p["id"] for p in P]
    if ids != list(range(first, first + 30)):
        err(f"{F}: project ids not {first}..{first+29}")
    pmap = {p["id"]: p for p in P}
    pkeys = ["id", "name", "code", "client", "location", "description", "keywords", "budget", "start_date", "end_date"]
    for p in P:
        if list(p) != pkeys:
            err(f"{F}: project {p.get('id')} keys")
        if not (isinstance(p["budget"], int) and p["budget"] > 0):
            err(f"{F}: project {p['id']} budget")
        if not (iso(p["start_date"]) and iso(p["end_date"]) and p["start_date"] < p["end_date"]):
            err(f"{F}: project {p['id']} dates")
        if not re.match(r"^[^,]+, Región .+", p["location"]):
            err(f"{F}: project {p['id']} location format")
        if len(p["keywords"]) != 1 or not p["keywords"][0]:
            err(f"{F}: project {p['id']} must have exactly one keyword")
    codes = [p["code"] for p in P]
    if len(set(codes)) != 30:
        err(f"{F}: duplicate codes")

    def ptext(p):
        return " ".join([p["name"], p["code"], p["client"], p["location"], p["description"], str(p["budget"])]).lower()
    for p in P:
        kw = p["keywords"][0].lower()
        for q in P:
            if q is p:
                continue
            if kw in ptext(q) or kw in q["keywords"][0].lower():
                err(f"{F}: keyword of {p['id']} appears in project {q['id']}")
            if p["code"].lower() in ptext(q).replace(q["code"].lower(), "") or p["code"].lower() in q["keywords"][0].lower():
                err(f"{F}: code of {p['id']} appears in project {q['id']}")
    clients = collections.Counter(p["client"] for p in P)
    # RUTs
    name2rut, rut2name, spellings = {}, {}, set()
    for row in H + B:
        r = row["supplier_rut"]; n = row["supplier_name"]
        if not rut_ok(r):
            err(f"{F}: bad RUT {r} ({n})")
        spellings.add("dot" if RE_DOT.match(r) else "plain")
        name2rut.setdefault(n, set()).add(norm(r)); rut2name.setdefault(norm(r), set()).add(n)
    for n, s in name2rut.items():
        if len(s) != 1:
            err(f"{F}: supplier {n} has RUTs {s}")
    for r, s in rut2name.items():
        if len(s) != 1:
            err(f"{F}: RUT {r} has names {s}")
    if spellings != {"dot", "plain"}:
        err(f"{F}: RUTs not written in both spellings")
    # history
    if len(H) < 150:
        err(f"{F}: only {len(H)} history rows")
    served = collections.defaultdict(collections.Counter)
    for h in H:
        if list(h) != ["supplier_name", "supplier_rut", "description", "project_id"]:
            err(f"{F}: history keys")
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err(f"{F}: history project {h['project_id']}")
        served[h["supplier_name"]][h["project_id"]] += 1
    oh_hist = sum(1 for h in H if h["project_id"] is None)
    if oh_hist:
        files_with_oh_history += 1
    multi = [s for s, c in served.items() if len([k for k in c if k is not None]) >= 2]
    if len(multi) < 3:
        err(f"{F}: only {len(multi)} suppliers serve several projects")
    # bills
    if len(B) < 165:
        err(f"{F}: only {len(B)} bills")
    total_bills += len(B)
    tagc = collections.Counter()
    bill_sups, new_sups = set(), set()
    not_most = 0
    bkeys = ["id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount", "issue_date",
             "purchase_order", "expected_project_id", "difficulty"]
    for i, b in enumerate(B, 1):
        bid = b["id"]
        if list(b) != bkeys:
            err(f"{F}: bill {bid} keys")
        if bid != f"{prefix}{i:03d}":
            err(f"{F}: bill id {bid} out of sequence")
        pid = b["expected_project_id"]
        if pid is not None and pid not in pmap:
            err(f"{F}: {bid} unknown project {pid}")
        tot = 0
        for l in b["lines"]:
            if list(l) != ["description", "quantity", "unit", "unit_price"] or not isinstance(l["unit_price"], int):
                err(f"{F}: {bid} line format")
            tot += l["quantity"] * l["unit_price"]
        if not b["lines"] or not isinstance(b["amount"], int) or abs(tot - b["amount"]) > 1e-6:
            err(f"{F}: {bid} amount {b['amount']} != {tot}")
        dt = b["issue_date"]
        if not iso(dt):
            err(f"{F}: {bid} date")
        elif pid is None:
            if not (OH_START <= dt <= OH_END):
                err(f"{F}: {bid} overhead date out of range")
        elif not (pmap[pid]["start_date"] <= dt <= pmap[pid]["end_date"]):
            err(f"{F}: {bid} date outside project window")
        if not isinstance(b["purchase_order"], str):
            err(f"{F}: {bid} purchase_order")
        text = (b["invoice_description"] + " " + " ".join(l["description"] for l in b["lines"]) + " " + b["purchase_order"]).lower()
        for p in P:
            if p["id"] != pid and (p["keywords"][0].lower() in text or p["code"].lower() in text):
                err(f"{F}: {bid} contains keyword/code of other project {p['id']}")
        # recompute rule tags
        exp = []
        if pid is None:
            exp.append("overhead")
        else:
            p = pmap[pid]
            if p["keywords"][0].lower() in text or p["code"].lower() in text:
                exp.append("po-reference")
        s = b["supplier_name"]
        if len(served.get(s, {})) >= 2:
            exp.append("shared-supplier")
        tags = b["difficulty"]
        if len(set(tags)) != len(tags) or not set(tags) <= RULE_TAGS | HAND_TAGS:
            err(f"{F}: {bid} bad tags {tags}")
        hand = [t for t in tags if t in HAND_TAGS]
        if not exp and not hand:
            exp.append("plain")
        if sorted(t for t in tags if t in RULE_TAGS) != sorted(exp):
            err(f"{F}: {bid} rule tags {tags} expected {exp}")
        if "client-only" in tags:
            if pid is None or clients[pmap[pid]["client"]] != 1:
                err(f"{F}: {bid} client-only on overhead or multi-project client")
        tagc.update(tags)
        bill_sups.add(s)
        if s not in served:
            new_sups.add(s)
        elif pid is not None:
            c = served[s]; top = max(c.values())
            if c.get(pid, 0) != top:
                not_most += 1
    n = len(B)
    oh = tagc["overhead"]
    if oh / n < 0.18:
        err(f"{F}: overhead share {oh/n:.2%}")
    if tagc["plain"] < 15:
        err(f"{F}: only {tagc['plain']} plain")
    if tagc["po-reference"] < 12:
        err(f"{F}: only {tagc['po-reference']} po-reference")
    if tagc["typo"] < 6:
        err(f"{F}: only {tagc['typo']} typo")
    share = len(new_sups) / len(bill_sups)
    if not (0.35 <= share <= 0.50):
        err(f"{F}: new-supplier share {share:.2%}")
    if not_most < 10:
        err(f"{F}: only {not_most} bills to a project other than supplier's most-served")
    counts.append((name, len(P), len(H), oh_hist, n, oh, f"{oh/n:.1%}", tagc["po-reference"], tagc["plain"],
                   tagc["shared-supplier"], tagc["place-variant"], tagc["trade-vocabulary"], tagc["client-only"],
                   tagc["typo"], len(bill_sups), len(new_sups), f"{share:.1%}", len(multi), not_most))
if files_with_oh_history != 2:
    err(f"overhead history rows in {files_with_oh_history} files (must be exactly 2)")
if total_bills < 500:
    err(f"only {total_bills} bills in all")
hdr = ("file", "projects", "history", "hist overhead", "bills", "overhead", "overhead %", "po-reference", "plain",
       "shared-supplier", "place-variant", "trade-vocabulary", "client-only", "typo", "bill suppliers",
       "new suppliers", "new %", "multi-project suppliers", "bills not to supplier's top project")
print("| " + " | ".join(hdr) + " |")
print("|" + "---|" * len(hdr))
for r in counts:
    print("| " + " | ".join(str(x) for x in r) + " |")
print(f"total bills: {total_bills}")
if errors:
    for e in errors[:200]:
        print("ERROR:", e)
    print(f"{len(errors)} violation(s)")
    sys.exit(1)
print("check.py: all rules pass")
