#!/usr/bin/env python3
"""Mechanical build: src/*.txt -> automation.json, facades.json, greenspaces.json.

Only mechanical work happens here: RUT check digits and spelling (dotted or
undotted), line amounts, seeded issue dates, rule tags (overhead, po-reference,
shared-supplier, plain), seeded shuffle and bill numbering.  All text content
is hand-written in src/.
"""
import datetime as dt
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

COMPANIES = [("automation", "A", 9101), ("facades", "F", 9202), ("greenspaces", "G", 9303)]
HAND = {"pv": "place-variant", "tv": "trade-vocabulary", "co": "client-only", "ty": "typo"}
LIMIT_LO = dt.date(2024, 6, 1)
LIMIT_HI = dt.date(2026, 12, 6)
OVH_LO = dt.date(2025, 1, 6)


def dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut(body, dotted):
    b = str(body)
    if dotted:
        parts = []
        while b:
            parts.insert(0, b[-3:])
            b = b[:-3]
        b = ".".join(parts)
    return f"{b}-{dv(body)}"


def norm(s):
    return s.lower().replace(" ", "").replace(".", "")


def rows(name):
    out = []
    with open(os.path.join(SRC, name), encoding="utf-8") as f:
        for ln in f:
            ln = ln.rstrip("\n")
            if not ln.strip() or ln.startswith("#"):
                continue
            out.append(ln.split("|"))
    return out


def num(s):
    v = float(s)
    return int(v) if v == int(v) else v


def weekday_in(rng, lo, hi):
    span = (hi - lo).days
    for _ in range(20):
        d = lo + dt.timedelta(days=rng.randint(0, span))
        if d.weekday() < 5:
            return d
    return d


def build(co, prefix, seed):
    rng = random.Random(seed)
    meta = {r[0]: r[1] for r in rows(f"{co}_company.txt")}
    company = {"name": meta["name"], "rut": rut(int(meta["rut"]), True), "trade": meta["trade"]}

    projects = []
    for r in rows(f"{co}_projects.txt"):
        assert len(r) == 10, r
        pid, code, name, client, loc, kw, budget, start, end, desc = r
        projects.append({"id": int(pid), "name": name, "code": code, "client": client,
                         "location": loc, "description": desc, "keywords": [kw],
                         "budget": int(budget), "start_date": start, "end_date": end})
    pmap = {p["id"]: p for p in projects}

    sup = {}
    for r in rows(f"{co}_suppliers.txt"):
        key, name, body = r
        assert key not in sup, key
        sup[key] = (name, int(body))

    def srut(key):
        return rut(sup[key][1], rng.random() < 0.5)

    history = []
    for r in rows(f"{co}_history.txt"):
        assert len(r) == 3, r
        key, pid, desc = r
        history.append({"supplier_name": sup[key][0], "supplier_rut": srut(key),
                        "description": desc, "project_id": None if pid == "-" else int(pid)})
    rng.shuffle(history)

    hist_projects = {}
    for h in history:
        k = h["supplier_rut"].replace(".", "")
        if h["project_id"] is not None:
            hist_projects.setdefault(k, set()).add(h["project_id"])

    bills = []
    for r in rows(f"{co}_bills.txt"):
        assert len(r) == 7, r
        key, pid, date, po, desc, tags, lines = r
        pid = None if pid == "-" else int(pid)
        lns = []
        for l in lines.split("^"):
            d, q, u, p = l.split("~")
            lns.append({"description": d, "quantity": num(q), "unit": u, "unit_price": int(p)})
        amount = 0
        for l in lns:
            v = l["quantity"] * l["unit_price"]
            assert v == int(v), (key, l)
            amount += int(v)
        if date:
            issue = dt.date.fromisoformat(date)
        elif pid is None:
            issue = weekday_in(rng, OVH_LO, LIMIT_HI)
        else:
            p = pmap[pid]
            lo = dt.date.fromisoformat(p["start_date"]) - dt.timedelta(days=31)
            hi = min(dt.date.fromisoformat(p["end_date"]) + dt.timedelta(days=62), LIMIT_HI)
            issue = weekday_in(rng, lo, hi)
        hand = [HAND[t.strip()] for t in tags.split(",") if t.strip()]
        r_ = srut(key)
        text = norm(" ".join([desc, po] + [l["description"] for l in lns]))
        rule = []
        if pid is None:
            rule.append("overhead")
        elif norm(pmap[pid]["keywords"][0]) in text:
            rule.append("po-reference")
        if len(hist_projects.get(r_.replace(".", ""), ())) >= 2:
            rule.append("shared-supplier")
        diff = hand + rule
        if not diff:
            diff = ["plain"]
        bills.append({"supplier_name": sup[key][0], "supplier_rut": r_,
                      "issue_date": issue.isoformat(), "invoice_description": desc,
                      "purchase_order": po, "amount": amount, "lines": lns,
                      "expected_project_id": pid, "difficulty": diff})
    rng.shuffle(bills)
    width = max(3, len(str(len(bills))))
    out_bills = []
    for i, b in enumerate(bills, 1):
        out_bills.append({"id": f"{prefix}{i:0{width}d}", **b})

    data = {"company": company, "projects": projects, "history": history, "bills": out_bills}
    with open(os.path.join(HERE, "..", f"{co}.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{co}.json: {len(projects)} projects, {len(history)} history, {len(out_bills)} bills")


def main():
    for co, prefix, seed in COMPANIES:
        if not os.path.exists(os.path.join(SRC, f"{co}_bills.txt")):
            print(f"skip {co}: no src", file=sys.stderr)
            continue
        build(co, prefix, seed)


if __name__ == "__main__":
    main()
