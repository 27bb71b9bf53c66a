#!/usr/bin/env python3
"""Build the blind evaluation set v19 (supplier bills -> project or overhead).

All content (companies, projects, suppliers, history texts, bill texts, lines,
quantities, unit prices, hand difficulty tags) is hand-written in src/*.txt.
This script only does mechanical work, with a fixed seed:
  * RUT check digits (modulo 11) and the two spellings (76.482.913-1 / 76482913-1),
  * amounts (exact sum of quantity x unit_price),
  * issue dates drawn inside the project's window (or the overhead window),
  * our own purchase-order numbers where the source says '#',
  * rule difficulty tags (overhead, po-reference, shared-supplier, plain),
  * shuffling and numbering.
The JSON files are written next to this script, whatever the current directory.
Python 3 standard library only.
"""
import datetime as dt
import json
import os
import random
import sys
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

# (source file stem, output file, bill id prefix, seed, PO style)
FILES = [
    ("dewatering", "dewatering.json", "M", 19101, "dew"),
    ("sanitary", "sanitary.json", "S", 19202, "san"),
    ("retrofit", "retrofit.json", "E", 19303, "ret"),
]
OH_START = dt.date(2025, 1, 6)
OH_END = dt.date(2026, 12, 6)
TAG_ORDER = ["overhead", "po-reference", "shared-supplier", "place-variant",
             "trade-vocabulary", "client-only", "typo", "plain"]
HAND = {"pv": "place-variant", "tv": "trade-vocabulary", "co": "client-only", "ty": "typo"}


def rut_dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def rut_dotted(body):
    return "{:,}".format(int(body)).replace(",", ".") + "-" + rut_dv(body)


def rut_plain(body):
    return "{}-{}".format(int(body), rut_dv(body))


def die(msg):
    sys.stderr.write("build.py: " + msg + "\n")
    sys.exit(1)


def parse_date(s):
    return dt.date.fromisoformat(s)


def parse_src(path):
    company, projects, suppliers, history, bills = None, [], {}, [], []
    with open(path, encoding="utf-8") as fh:
        for no, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            f = [x.strip() for x in line.split("|")]
            kind = f[0]
            where = "%s:%d" % (os.path.basename(path), no)
            if kind == "C":
                company = {"name": f[1], "rut_body": int(f[2]), "trade": f[3]}
            elif kind == "P":
                if len(f) != 11:
                    die(where + " P needs 11 fields, has %d" % len(f))
                projects.append({
                    "id": int(f[1]), "code": f[2], "keyword": f[3], "client": f[4],
                    "location": f[5], "budget": int(f[6]), "start_date": f[7],
                    "end_date": f[8], "name": f[9], "description": f[10]})
            elif kind == "S":
                if f[1] in suppliers:
                    die(where + " duplicate supplier key " + f[1])
                suppliers[f[1]] = {"name": f[2], "rut_body": int(f[3])}
            elif kind == "H":
                if len(f) != 4:
                    die(where + " H needs 4 fields")
                history.append({"key": f[1], "pid": None if f[2] == "-" else int(f[2]),
                                "description": f[3], "where": where})
            elif kind == "B":
                if len(f) < 8:
                    die(where + " B needs at least 8 fields")
                lines = []
                for lf in f[7:]:
                    parts = [x.strip() for x in lf.split("~")]
                    if len(parts) != 4:
                        die(where + " bad line item: " + lf)
                    lines.append({"description": parts[0], "quantity": parts[1],
                                  "unit": parts[2], "unit_price": int(parts[3])})
                tags = [] if f[3] == "-" else [t.strip() for t in f[3].split(",")]
                for t in tags:
                    if t not in HAND:
                        die(where + " unknown hand tag " + t)
                bills.append({"key": f[1], "pid": None if f[2] == "-" else int(f[2]),
                              "hand": [HAND[t] for t in tags], "po": f[4], "month": f[5],
                              "description": f[6], "lines": lines, "where": where})
            elif kind in ("X", "G"):
                pass  # informational lines (head office, look-alike groups): README only
            else:
                die(where + " unknown record kind " + kind)
    return company, projects, suppliers, history, bills


def qty_value(s):
    q = Fraction(s)
    return q, (int(q) if q.denominator == 1 else float(s))


def rand_date(rng, lo, hi):
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def po_number(style, date, seq):
    if style == "dew":
        return "OC %02d-%04d" % (date.year % 100, seq)
    if style == "san":
        return "OC-%05d" % seq
    return "PO-%d-%04d" % (date.year, seq)


def build_one(stem, outname, prefix, seed, style):
    rng = random.Random(seed)
    company, projects, suppliers, history, bills = parse_src(os.path.join(SRC, stem + ".txt"))
    if company is None:
        die(stem + ": no company line")
    pmap = {p["id"]: p for p in projects}
    for h in history + bills:
        if h["key"] not in suppliers:
            die("%s unknown supplier key %s" % (h["where"], h["key"]))
        if h["pid"] is not None and h["pid"] not in pmap:
            die("%s unknown project %s" % (h["where"], h["pid"]))

    # history: shuffle
    rng.shuffle(history)
    served = {}
    for h in history:
        served.setdefault(h["key"], set()).add(h["pid"])

    # bills: shuffle, number, dates
    rng.shuffle(bills)
    for i, b in enumerate(bills, 1):
        b["id"] = "%s%03d" % (prefix, i)
        if b["pid"] is None:
            lo, hi = OH_START, OH_END
        else:
            p = pmap[b["pid"]]
            lo = max(parse_date(p["start_date"]), OH_START)
            hi = min(parse_date(p["end_date"]), OH_END)
        if b["month"] != "-":
            y, m = map(int, b["month"].split("-"))
            mlo = dt.date(y, m, 1)
            mhi = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
            lo, hi = max(lo, mlo), min(hi, mhi)
        if lo > hi:
            die("%s empty date window" % b["where"])
        b["date"] = rand_date(rng, lo, hi)
        total = Fraction(0)
        for ln in b["lines"]:
            q, qv = qty_value(ln["quantity"])
            ln["q"] = qv
            total += q * ln["unit_price"]
        if total.denominator != 1:
            die("%s amount is not an integer (%s)" % (b["where"], total))
        b["amount"] = int(total)

    # our own purchase orders, numbered in date order
    seq = {"dew": 2210, "san": 18340, "ret": 1020}[style]
    for b in sorted(bills, key=lambda x: (x["date"], x["id"])):
        if b["po"] == "#":
            seq += rng.randint(1, 9)
            b["po_out"] = po_number(style, b["date"], seq)
        elif b["po"] == "-":
            b["po_out"] = ""
        else:
            b["po_out"] = b["po"]

    # RUT spellings: alternate per supplier over its occurrences
    start = {k: rng.randint(0, 1) for k in sorted(suppliers)}
    count = {}

    def spell(key):
        n = count.get(key, 0)
        count[key] = n + 1
        body = suppliers[key]["rut_body"]
        return rut_dotted(body) if (n + start[key]) % 2 == 0 else rut_plain(body)

    out_hist = []
    for h in history:
        out_hist.append({"supplier_name": suppliers[h["key"]]["name"],
                         "supplier_rut": spell(h["key"]),
                         "description": h["description"], "project_id": h["pid"]})
    out_bills = []
    for b in bills:
        text = " ".join([b["description"], b["po_out"]] + [l["description"] for l in b["lines"]]).lower()
        tags = []
        if b["pid"] is None:
            tags.append("overhead")
            if b["hand"]:
                die("%s hand tags on an overhead bill" % b["where"])
        else:
            p = pmap[b["pid"]]
            if p["keyword"].lower() in text or p["code"].lower() in text:
                tags.append("po-reference")
        if len(served.get(b["key"], set())) >= 2:
            tags.append("shared-supplier")
        tags.extend(b["hand"])
        if not tags:
            tags.append("plain")
        tags = sorted(set(tags), key=TAG_ORDER.index)
        out_bills.append({
            "id": b["id"], "supplier_name": suppliers[b["key"]]["name"],
            "supplier_rut": spell(b["key"]), "invoice_description": b["description"],
            "lines": [{"description": l["description"], "quantity": l["q"], "unit": l["unit"],
                       "unit_price": l["unit_price"]} for l in b["lines"]],
            "amount": b["amount"], "issue_date": b["date"].isoformat(),
            "purchase_order": b["po_out"], "expected_project_id": b["pid"],
            "difficulty": tags})

    out_projects = [{
        "id": p["id"], "name": p["name"], "code": p["code"], "client": p["client"],
        "location": p["location"], "description": p["description"],
        "keywords": [p["keyword"]], "budget": p["budget"],
        "start_date": p["start_date"], "end_date": p["end_date"]} for p in projects]
    doc = {"company": {"name": company["name"], "rut": rut_dotted(company["rut_body"]),
                       "trade": company["trade"]},
           "projects": out_projects, "history": out_hist, "bills": out_bills}
    with open(os.path.join(HERE, "..", outname), "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    print("wrote %s: %d projects, %d history rows, %d bills" % (
        outname, len(out_projects), len(out_hist), len(out_bills)))


def main():
    for args in FILES:
        build_one(*args)


if __name__ == "__main__":
    main()
