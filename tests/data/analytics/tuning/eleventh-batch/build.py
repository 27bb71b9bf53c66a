#!/usr/bin/env python3
"""Mechanical build: src/*.txt (hand-written) -> traffic.json, modular.json, trenchless.json.

Does only mechanical work: RUT check digits and formatting, amounts, seeded dates,
rule tags, seeded shuffle and numbering. All wording comes from src/*.txt.
"""
import json
import os
import random
import re
import sys
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [  # (source, output, bill id prefix, seed)
    ("traffic.txt", "traffic.json", "V", 2701),
    ("modular.txt", "modular.json", "M", 2801),
    ("trenchless.txt", "trenchless.json", "R", 2901),
]
GLOBAL_MIN = date(2024, 6, 1)
GLOBAL_MAX = date(2026, 12, 6)
OVERHEAD_MIN = date(2025, 1, 6)
HAND = {"pv": "place-variant", "tv": "trade-vocabulary", "co": "client-only", "ty": "typo"}
TAG_ORDER = ["overhead", "po-reference", "shared-supplier", "place-variant",
             "trade-vocabulary", "client-only", "typo", "plain"]


def dv(body: int) -> str:
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut(body: int, dotted: bool) -> str:
    if dotted:
        return f"{body:,}".replace(",", ".") + "-" + dv(body)
    return f"{body}-{dv(body)}"


def norm(s: str) -> str:
    return s.lower().replace(" ", "").replace(".", "")


def pdate(s):
    return date.fromisoformat(s)


def num(s: str):
    v = float(s.replace(",", "."))
    return int(v) if v == int(v) else v


def fail(msg):
    print("BUILD ERROR:", msg)
    sys.exit(1)


def parse(path):
    company, projects, sups, hist, bills = None, [], {}, [], []
    with open(path, encoding="utf-8") as f:
        for ln, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("|")
            kind = parts[0]
            where = f"{os.path.basename(path)}:{ln}"
            if kind == "C":
                _, name, body, trade = parts
                company = (name, int(body), trade)
            elif kind == "P":
                if len(parts) != 11:
                    fail(f"{where}: project needs 11 fields, has {len(parts)}")
                _, pid, code, name, client, loc, start, end, budget, kw, desc = parts
                projects.append(dict(id=int(pid), name=name, code=code, client=client,
                                     location=loc, description=desc, keywords=[kw],
                                     budget=int(budget), start_date=start, end_date=end))
            elif kind == "S":
                _, key, name, body = parts
                if key in sups:
                    fail(f"{where}: duplicate supplier key {key}")
                sups[key] = (name, int(body))
            elif kind == "H":
                if len(parts) != 4:
                    fail(f"{where}: history needs 4 fields")
                _, key, pid, desc = parts
                hist.append((where, key, None if pid == "-" else int(pid), desc))
            elif kind == "B":
                if len(parts) != 8:
                    fail(f"{where}: bill needs 8 fields, has {len(parts)}")
                _, key, pid, dt, po, desc, lines, tags = parts
                lns = []
                for item in lines.split("¦"):
                    f4 = item.split("~")
                    if len(f4) != 4:
                        fail(f"{where}: bad line {item!r}")
                    lns.append(dict(description=f4[0].strip(), quantity=num(f4[1]),
                                    unit=f4[2].strip(), unit_price=int(f4[3])))
                tg = [t.strip() for t in tags.split(",") if t.strip()]
                for t in tg:
                    if t not in HAND:
                        fail(f"{where}: unknown hand tag {t}")
                bills.append((where, key, None if pid == "-" else int(pid), dt, po, desc, lns, tg))
            else:
                fail(f"{where}: unknown record type {kind}")
    return company, projects, sups, hist, bills


def pick_date(rng, lo, hi, spec, where):
    if spec == "-":
        span = (hi - lo).days
        return lo + timedelta(days=rng.randint(0, span))
    if re.fullmatch(r"\d{4}-\d{2}", spec):
        y, m = map(int, spec.split("-"))
        first = date(y, m, 1)
        last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
        a, b = max(first, lo), min(last, hi)
        if a > b:
            fail(f"{where}: month {spec} outside window {lo}..{hi}")
        return a + timedelta(days=rng.randint(0, (b - a).days))
    d = pdate(spec)
    if not lo <= d <= hi:
        fail(f"{where}: date {spec} outside window {lo}..{hi}")
    return d


def build(src, out, prefix, seed):
    rng = random.Random(seed)
    company, projects, sups, hist, bills = parse(os.path.join(HERE, "src", src))
    pmap = {p["id"]: p for p in projects}
    kws = {p["id"]: norm(p["keywords"][0]) for p in projects}
    bodies = [b for _, b in sups.values()]
    if len(set(bodies)) != len(bodies):
        fail(f"{src}: duplicate RUT body")
    names = [n for n, _ in sups.values()]
    if len(set(names)) != len(names):
        fail(f"{src}: duplicate supplier name")

    def sup(key, where):
        if key not in sups:
            fail(f"{where}: unknown supplier {key}")
        return sups[key]

    history = []
    for where, key, pid, desc in hist:
        name, body = sup(key, where)
        if pid is not None and pid not in pmap:
            fail(f"{where}: unknown project {pid}")
        history.append(dict(supplier_name=name, supplier_rut=rut(body, rng.random() < 0.5),
                            description=desc, project_id=pid))
    rng.shuffle(history)

    hist_projects = {}
    for where, key, pid, _ in hist:
        if pid is not None:
            hist_projects.setdefault(sups[key][1], set()).add(pid)

    out_bills = []
    for where, key, pid, dt, po, desc, lns, tg in bills:
        name, body = sup(key, where)
        if pid is None:
            lo, hi = OVERHEAD_MIN, GLOBAL_MAX
        else:
            if pid not in pmap:
                fail(f"{where}: unknown project {pid}")
            p = pmap[pid]
            lo = pdate(p["start_date"]) - timedelta(days=31)
            hi = min(pdate(p["end_date"]) + timedelta(days=62), GLOBAL_MAX)
        d = pick_date(rng, lo, hi, dt, where)
        total = sum(l["quantity"] * l["unit_price"] for l in lns)
        if total != int(total):
            fail(f"{where}: non-integer amount {total}")
        text = norm(" ".join([desc, po] + [l["description"] for l in lns]))
        tags = set(HAND[t] for t in tg)
        if pid is None:
            tags.add("overhead")
        elif kws[pid] in text:
            tags.add("po-reference")
        if len(hist_projects.get(body, ())) >= 2:
            tags.add("shared-supplier")
        if not tags:
            tags.add("plain")
        if "client-only" in tags:
            cl = pmap[pid]["client"]
            if sum(1 for p in projects if p["client"] == cl) != 1:
                fail(f"{where}: client-only but client {cl} has several projects")
        out_bills.append(dict(supplier_name=name, supplier_rut=rut(body, rng.random() < 0.5),
                              issue_date=d.isoformat(), invoice_description=desc,
                              purchase_order=po, amount=int(total), lines=lns,
                              expected_project_id=pid,
                              difficulty=[t for t in TAG_ORDER if t in tags]))
    rng.shuffle(out_bills)
    width = max(3, len(str(len(out_bills))))
    final = []
    for i, b in enumerate(out_bills, 1):
        final.append(dict(id=f"{prefix}{i:0{width}d}", **b))

    name, body, trade = company
    data = dict(company=dict(name=name, rut=rut(body, True), trade=trade),
                projects=projects, history=history, bills=final)
    with open(os.path.join(HERE, "..", out), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{out}: {len(projects)} projects, {len(history)} history, {len(final)} bills")


if __name__ == "__main__":
    for args in FILES:
        if os.path.exists(os.path.join(HERE, "src", args[0])):
            build(*args)
        else:
            print(f"skip {args[0]} (missing)")
