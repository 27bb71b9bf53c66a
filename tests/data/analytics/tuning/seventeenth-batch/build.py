#!/usr/bin/env python3
"""Build fluvial.json, geosynthetics.json and boilers.json from the hand-written src/*.txt.

Only mechanical work is done here: RUT check digits and their two spellings, line amounts,
issue dates inside the windows, internal PO numbers, {KW}/{CODE} substitution, rule tags,
shuffling and numbering.  The line format is documented at the top of src/01_fluvial.txt.
Standard library only; fixed seed, so the output is deterministic.
"""
import datetime as dt
import glob
import json
import os
import random
import sys
from fractions import Fraction

SEED = 17017
ROOT = os.path.dirname(os.path.abspath(__file__))
OVERHEAD_FROM = dt.date(2025, 1, 6)
OVERHEAD_TO = dt.date(2026, 12, 6)
LAST_DAY = dt.date(2026, 12, 6)          # nothing is dated after this day
HAND = {"pv": "place-variant", "tv": "trade-vocabulary", "co": "client-only", "ty": "typo"}
TAG_ORDER = ["overhead", "po-reference", "shared-supplier", "place-variant",
             "trade-vocabulary", "client-only", "typo", "plain"]


def die(msg):
    sys.exit("build.py: " + msg)


def rut_dv(body):
    total, factor = 0, 2
    for ch in reversed(str(body)):
        total += int(ch) * factor
        factor = factor + 1 if factor < 7 else 2
    r = 11 - total % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut(body, dotted):
    num = int(body)
    head = f"{num:,}".replace(",", ".") if dotted else str(num)
    return f"{head}-{rut_dv(body)}"


def d(s):
    return dt.date.fromisoformat(s)


def parse(path):
    comp = {"projects": [], "suppliers": {}, "history": [], "bills": [], "file": None}
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        f = [x.strip() for x in line.split("|")]
        kind = f[0]
        where = f"{os.path.basename(path)}:{n}"
        if kind == "F":
            comp["file"], comp["prefix"], comp["po_fmt"], comp["po_start"] = f[1], f[2], f[3], int(f[4])
        elif kind == "C":
            comp["company"] = {"name": f[1], "rut": rut(f[2], True), "trade": f[3]}
        elif kind == "O":
            comp["offices"] = (f[1], f[2])
        elif kind == "P":
            if len(f) != 11:
                die(f"{where}: P needs 11 fields, got {len(f)}")
            comp["projects"].append({
                "id": int(f[1]), "name": f[9], "code": f[2], "client": f[3], "location": f[4],
                "description": f[10], "keywords": [f[5]], "budget": int(f[6]),
                "start_date": f[7], "end_date": f[8]})
        elif kind == "S":
            if len(f) != 4:
                die(f"{where}: S needs 4 fields")
            if f[1] in comp["suppliers"]:
                die(f"{where}: duplicate supplier key {f[1]}")
            comp["suppliers"][f[1]] = (f[2], f[3])
        elif kind == "H":
            if len(f) != 4:
                die(f"{where}: H needs 4 fields")
            comp["history"].append((f[1], None if f[2] == "-" else int(f[2]), f[3], where))
        elif kind == "B":
            if len(f) != 8:
                die(f"{where}: B needs 8 fields, got {len(f)}")
            comp["bills"].append({"key": f[1], "pid": None if f[2] == "-" else int(f[2]),
                                  "po": f[3], "tags": [] if f[4] in ("-", "") else
                                  [t.strip() for t in f[4].split(",")],
                                  "hint": f[5], "desc": f[6], "lines": f[7], "where": where})
        else:
            die(f"{where}: unknown line kind {kind!r}")
    return comp


def parse_lines(text, where):
    out, total = [], Fraction(0)
    for item in text.split("^"):
        parts = [p.strip() for p in item.split("~")]
        if len(parts) != 4:
            die(f"{where}: bad line item {item!r}")
        desc, qty_s, unit, price_s = parts
        qty = Fraction(qty_s)
        price = int(price_s)
        if qty <= 0 or price <= 0:
            die(f"{where}: non-positive quantity/price")
        sub = qty * price
        if sub.denominator != 1:
            die(f"{where}: quantity x price not integer in {item!r}")
        total += sub
        qv = int(qty) if qty.denominator == 1 else float(qty_s)
        out.append({"description": desc, "quantity": qv, "unit": unit, "unit_price": price})
    return out, int(total)


def pick_date(rng, lo, hi, hint, where):
    hi = min(hi, LAST_DAY)
    if hint:
        if len(hint) == 10:
            day = d(hint)
            if not lo <= day <= hi:
                die(f"{where}: date {hint} outside {lo}..{hi}")
            return day
        y, m = map(int, hint.split("-"))
        first = dt.date(y, m, 1)
        last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
        lo, hi = max(lo, first), min(hi, last)
        if lo > hi:
            die(f"{where}: month {hint} outside the window")
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def build(comp, rng):
    projects = {p["id"]: p for p in comp["projects"]}
    sup = comp["suppliers"]
    # spelling of RUTs: a habit per supplier, with some rows written the other way
    habit = {k: rng.random() < 0.5 for k in sorted(sup)}

    def srut(key):
        dotted = habit[key] if rng.random() < 0.75 else not habit[key]
        return rut(sup[key][1], dotted)

    history = []
    served = {}
    for key, pid, text, where in comp["history"]:
        if key not in sup:
            die(f"{where}: unknown supplier {key}")
        if pid is not None and pid not in projects:
            die(f"{where}: unknown project {pid}")
        history.append({"supplier_name": sup[key][0], "supplier_rut": srut(key),
                        "description": text, "project_id": pid})
        served.setdefault(key, set()).add(pid)
    rng.shuffle(history)

    bills = []
    for b in comp["bills"]:
        where = b["where"]
        if b["key"] not in sup:
            die(f"{where}: unknown supplier {b['key']}")
        pid = b["pid"]
        if pid is None:
            lo, hi = OVERHEAD_FROM, OVERHEAD_TO
            kw = code = None
        else:
            if pid not in projects:
                die(f"{where}: unknown project {pid}")
            p = projects[pid]
            lo, hi = d(p["start_date"]), d(p["end_date"])
            kw, code = p["keywords"][0], p["code"]

        def sub(s):
            if "{KW}" in s or "{CODE}" in s:
                if pid is None:
                    die(f"{where}: placeholder in an overhead bill")
                s = s.replace("{KW}", kw).replace("{CODE}", code)
            return s
        lines, amount = parse_lines(sub(b["lines"]), where)
        for t in b["tags"]:
            if t not in HAND:
                die(f"{where}: unknown hand tag {t}")
        if pid is None and b["tags"]:
            die(f"{where}: hand tags on an overhead bill")
        bills.append({"key": b["key"], "pid": pid, "po": sub(b["po"]), "desc": sub(b["desc"]),
                      "lines": lines, "amount": amount, "hand": b["tags"],
                      "date": pick_date(rng, lo, hi, b["hint"], where), "where": where})

    # internal purchase-order numbers, increasing with the issue date
    n = comp["po_start"]
    for b in sorted((b for b in bills if b["po"] == "#"), key=lambda b: (b["date"], b["where"])):
        n += rng.randint(3, 41)
        b["po"] = comp["po_fmt"].format(n=n, yy=b["date"].year % 100)

    out_bills = []
    rng.shuffle(bills)
    for i, b in enumerate(bills, 1):
        p = projects.get(b["pid"])
        text = " ".join([b["desc"]] + [l["description"] for l in b["lines"]] + [b["po"]]).lower()
        tags = set()
        if p is None:
            tags.add("overhead")
        elif p["keywords"][0].lower() in text or p["code"].lower() in text:
            tags.add("po-reference")
        if len(served.get(b["key"], set())) >= 2:
            tags.add("shared-supplier")
        tags.update(HAND[t] for t in b["hand"])
        if not tags:
            tags.add("plain")
        out_bills.append({
            "id": f"{comp['prefix']}{i:03d}",
            "supplier_name": sup[b["key"]][0], "supplier_rut": srut(b["key"]),
            "invoice_description": b["desc"], "lines": b["lines"], "amount": b["amount"],
            "issue_date": b["date"].isoformat(), "purchase_order": b["po"],
            "expected_project_id": b["pid"],
            "difficulty": [t for t in TAG_ORDER if t in tags]})

    # both spellings must occur in the file
    ruts = [h["supplier_rut"] for h in history] + [b["supplier_rut"] for b in out_bills]
    if all("." in r for r in ruts) or all("." not in r for r in ruts):
        die(f"{comp['file']}: only one RUT spelling came out")
    return {"company": comp["company"],
            "projects": sorted(comp["projects"], key=lambda p: p["id"]),
            "history": history, "bills": out_bills}


def main():
    files = sorted(glob.glob(os.path.join(ROOT, "src", "*.txt")))
    if not files:
        die("no src/*.txt")
    for i, path in enumerate(files):
        comp = parse(path)
        rng = random.Random(SEED * 100 + i)
        data = build(comp, rng)
        with open(os.path.join(ROOT, "..", comp["file"]), "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        print(f"wrote {comp['file']}: {len(data['projects'])} projects, "
              f"{len(data['history'])} history rows, {len(data['bills'])} bills")


if __name__ == "__main__":
    main()
