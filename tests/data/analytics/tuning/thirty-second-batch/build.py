#!/usr/bin/env python3
"""Mechanical build of the blind-v32 evaluation set.

Reads hand-written content from src/<company>*.txt (sorted, concatenated) and
writes <company>.json next to this script.  Only mechanical work is done here:
RUT check digits and spellings, line amounts, dates inside windows, rule-based
tags (overhead, shared-supplier, po-reference, plain), shuffling and numbering.
Standard library only, fixed seeds: two runs give byte-identical files.
"""
import datetime as dt
import glob
import json
import os
import random
import re
import sys
from collections import Counter
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
COMPANIES = [("foundations", 101), ("heritage", 202), ("watertrucks", 303)]
HAND_TAGS = {"pv": "place-variant", "tv": "trade-vocabulary", "ty": "typo",
             "co": "client-only"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
D0, D1 = dt.date(2025, 1, 1), dt.date(2026, 12, 31)


def die(msg):
    sys.stderr.write("BUILD ERROR: " + msg + "\n")
    sys.exit(1)


def dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def dotted(body):
    b = str(body)
    parts = []
    while len(b) > 3:
        parts.insert(0, b[-3:])
        b = b[:-3]
    parts.insert(0, b)
    return ".".join(parts)


def rut_canon(body):
    return dotted(body) + "-" + dv(body)


def rut_variant(body, rng):
    d = dv(body)
    r = rng.random()
    if r < 0.55:
        return dotted(body) + "-" + d
    if r < 0.9:
        return str(body) + "-" + d
    if d == "K":
        return dotted(body) + "-k"
    return dotted(body) + " - " + d if r < 0.95 else str(body) + d


def kw_core(kw):
    toks = [t for t in re.split(r"\s+", kw.upper()) if re.search(r"\d", t)]
    return re.sub(r"[^0-9A-Z]", "", "".join(toks))


def norm_text(s):
    s = s.upper()
    s = s.replace("Ñ", "N")
    return re.sub(r"[^0-9A-Z|]", "", s)


def bill_refs(bill, projects):
    txt = "|".join([bill["purchase_order"], bill["invoice_description"]] +
                   [l["description"] for l in bill["lines"]])
    t = norm_text(txt)
    hits = set()
    for p in projects:
        for kw in p["keywords"]:
            c = kw_core(kw)
            if re.search(r"(?<![0-9])" + re.escape(c) + r"(?![0-9])", t):
                hits.add(p["id"])
    return hits


def parse_company(name):
    files = sorted(glob.glob(os.path.join(SRC, name + "*.txt")))
    if not files:
        die("no src for " + name)
    lines = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for i, ln in enumerate(fh, 1):
                lines.append((os.path.basename(f), i, ln.rstrip("\n")))
    comp, projects, suppliers, history, bills = {}, [], {}, [], []
    sect, cur = None, None
    for fn, no, ln in lines:
        where = "%s:%d" % (fn, no)
        s = ln.strip()
        if not s or s.startswith("#"):
            if sect == "bills" and cur is not None and not s:
                cur = None
            continue
        if s.startswith("@"):
            w = s[1:].split()
            sect = w[0]
            cur = None
            if sect == "project":
                cur = {"id": int(w[1]), "_where": where}
                projects.append(cur)
            elif sect == "company":
                cur = comp
            continue
        if sect in ("company", "project"):
            if "=" not in s:
                die(where + " expected key = value")
            k, v = s.split("=", 1)
            cur[k.strip()] = v.strip()
        elif sect == "suppliers":
            p = [x.strip() for x in s.split("|")]
            if len(p) != 3:
                die(where + " supplier needs KEY | NAME | RUTBODY")
            if p[0] in suppliers:
                die(where + " duplicate supplier key " + p[0])
            suppliers[p[0]] = {"name": p[1], "body": int(p[2].replace(".", ""))}
        elif sect == "history":
            p = [x.strip() for x in s.split("|", 2)]
            if len(p) != 3:
                die(where + " history needs KEY | PID | TEXT")
            history.append({"sup": p[0], "pid": None if p[1] == "-" else int(p[1]),
                            "text": p[2], "_where": where})
        elif sect == "bills":
            if s.startswith(">"):
                p = [x.strip() for x in s[1:].split("|")]
                if len(p) != 5:
                    die(where + " bill header needs KEY | PID | DATE | PO | TAGS")
                cur = {"sup": p[0], "pid": None if p[1] == "-" else int(p[1]),
                       "date": p[2], "po": p[3], "tags": p[4].split(),
                       "text": None, "lines": [], "_where": where}
                bills.append(cur)
            elif cur is None:
                die(where + " bill text outside a bill")
            elif s.startswith("- "):
                p = [x.strip() for x in s[2:].split("|")]
                if len(p) != 4:
                    die(where + " line needs DESC | QTY | UNIT | PRICE")
                q = Fraction(p[1].replace(",", "."))
                cur["lines"].append({"description": p[0], "quantity": q,
                                     "unit": p[2], "unit_price": int(p[3].replace(".", ""))})
            elif cur["text"] is None:
                cur["text"] = s
            else:
                cur["text"] += " " + s
        else:
            die(where + " content outside a section")
    return comp, projects, suppliers, history, bills


def pdate(s):
    return dt.date.fromisoformat(s)


def build(name, seed):
    comp, projects, suppliers, history, bills = parse_company(name)
    rng = random.Random(seed)
    pj = []
    byid = {}
    for p in projects:
        for k in ("name", "code", "client", "location", "description", "keywords",
                  "budget", "start", "end"):
            if k not in p:
                die("%s project %d lacks %s" % (p["_where"], p["id"], k))
        o = {"id": p["id"], "name": p["name"], "code": p["code"], "client": p["client"],
             "location": p["location"], "description": p["description"],
             "keywords": [k.strip() for k in p["keywords"].split(";") if k.strip()],
             "budget": int(p["budget"].replace(".", "")),
             "start_date": p["start"], "end_date": p["end"]}
        if not (D0 <= pdate(o["start_date"]) < pdate(o["end_date"]) <= D1):
            die("project %d dates" % o["id"])
        pj.append(o)
        byid[o["id"]] = o
    pj.sort(key=lambda x: x["id"])
    clients = Counter(p["client"] for p in pj)
    hist = []
    for h in history:
        if h["sup"] not in suppliers:
            die(h["_where"] + " unknown supplier " + h["sup"])
        if h["pid"] is not None and h["pid"] not in byid:
            die(h["_where"] + " unknown project")
        s = suppliers[h["sup"]]
        hist.append({"supplier_name": s["name"], "supplier_rut": rut_canon(s["body"]),
                     "description": h["text"], "project_id": h["pid"]})
    rng.shuffle(hist)
    hist_by_sup = {}
    for h in history:
        hist_by_sup.setdefault(h["sup"], Counter())[h["pid"]] += 1
    out_bills = []
    for b in bills:
        w = b["_where"]
        if b["sup"] not in suppliers:
            die(w + " unknown supplier " + b["sup"])
        if b["text"] is None or not b["lines"]:
            die(w + " bill without text or lines")
        if b["pid"] is not None and b["pid"] not in byid:
            die(w + " unknown project")
        if b["pid"] is None:
            lo, hi = D0, D1
        else:
            lo, hi = pdate(byid[b["pid"]]["start_date"]), pdate(byid[b["pid"]]["end_date"])
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", b["date"]):
            d = pdate(b["date"])
        elif re.fullmatch(r"\d{4}-\d{2}", b["date"]):
            y, m = map(int, b["date"].split("-"))
            first = dt.date(y, m, 1)
            last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
            a, z = max(first, lo), min(last, hi)
            if a > z:
                die(w + " month outside window")
            d = a + dt.timedelta(days=rng.randint(0, (z - a).days))
        elif b["date"] == "":
            d = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
        else:
            die(w + " bad date")
        if not (lo <= d <= hi):
            die(w + " date %s outside window %s..%s" % (d, lo, hi))
        total = Fraction(0)
        lines = []
        for l in b["lines"]:
            total += l["quantity"] * l["unit_price"]
            q = l["quantity"]
            qv = int(q) if q.denominator == 1 else float(q)
            lines.append({"description": l["description"], "quantity": qv,
                          "unit": l["unit"], "unit_price": l["unit_price"]})
        if total.denominator != 1:
            die(w + " amount not integer")
        s = suppliers[b["sup"]]
        ob = {"id": None, "supplier_name": s["name"],
              "supplier_rut": rut_variant(s["body"], rng),
              "invoice_description": b["text"], "lines": lines, "amount": int(total),
              "issue_date": d.isoformat(), "purchase_order": b["po"],
              "expected_project_id": b["pid"], "difficulty": []}
        tags = set()
        for t in b["tags"]:
            if t not in HAND_TAGS:
                die(w + " unknown tag " + t)
            tags.add(HAND_TAGS[t])
        if "client-only" in tags and (b["pid"] is None or clients[byid[b["pid"]]["client"]] != 1):
            die(w + " client-only but client has several projects")
        if b["pid"] is None:
            tags.add("overhead")
        hc = hist_by_sup.get(b["sup"])
        if hc and len(hc) >= 2 and hc.get(b["pid"], 0) < max(hc.values()):
            tags.add("shared-supplier")
        refs = bill_refs(ob, pj)
        if refs - ({b["pid"]} if b["pid"] else set()):
            die(w + " carries identifier of another project %s" % refs)
        if b["pid"] in refs:
            tags.add("po-reference")
        if not tags:
            tags.add("plain")
        ob["difficulty"] = [t for t in TAG_ORDER if t in tags]
        ob["_sup"] = b["sup"]
        out_bills.append(ob)
    rng.shuffle(out_bills)
    prefix = {"foundations": "F", "heritage": "H", "watertrucks": "J"}[name]
    for i, ob in enumerate(out_bills, 1):
        ob["id"] = "%s%03d" % (prefix, i)
        del ob["_sup"]
    used = {b["sup"] for b in bills} | {h["sup"] for h in history}
    for k in suppliers:
        if k not in used:
            print("  note: unused supplier", name, k)
    bodies = Counter(s["body"] for s in suppliers.values())
    for b_, c in bodies.items():
        if c > 1:
            die("duplicate RUT body %s in %s" % (b_, name))
    company = {"name": comp["name"], "rut": rut_canon(int(comp["rut"].replace(".", ""))),
               "trade": comp["trade"]}
    doc = {"company": company, "projects": pj, "history": hist, "bills": out_bills}
    path = os.path.join(HERE, "..", name + ".json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    print("wrote", path, "projects", len(pj), "history", len(hist), "bills", len(out_bills))


def main():
    only = sys.argv[1:]
    for name, seed in COMPANIES:
        if only and name not in only:
            continue
        if not glob.glob(os.path.join(SRC, name + "*.txt")):
            print("skip", name, "(no src yet)")
            continue
        build(name, seed)


if __name__ == "__main__":
    main()
