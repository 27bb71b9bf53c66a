#!/usr/bin/env python3
"""Mechanical builder for the blind-v35 evaluation set.

All content (companies, projects, suppliers, history texts, bill texts and
lines) is hand-written in src/*.txt.  This script only does mechanical work:
RUT check digits and RUT spellings, line amounts, dates inside windows, the
rule-based tags (overhead, shared-supplier, po-reference, plain), shuffling
and numbering.  Fixed seeds: two runs give byte-identical files.

Source formats (one company KEY = silos | playgrounds | airquality):
  src/companies.txt      [KEY] blocks with name/rut/trade/file/first_id/prefix
  src/KEY_projects.txt   [id] blocks with name/code/client/location/description/
                         keywords (separated by ' ; ')/budget/start/end
  src/KEY_suppliers.txt  SUPKEY | NAME | RUT body (digits, no check digit)
  src/KEY_history.txt    SUPKEY | project id or - | text
  src/KEY_bills*.txt     == SUPKEY | project id or - | purchase order | tags | date
                         D: invoice description
                         L: line description | quantity | unit | unit price
                         tags (hand): pv place-variant, tv trade-vocabulary,
                         ty typo, co client-only
"""
import datetime as dt
import glob
import json
import os
import random
import re
import sys
import unicodedata
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
COMPANY_KEYS = ["silos", "playgrounds", "airquality"]
HAND_TAGS = {"pv": "place-variant", "tv": "trade-vocabulary", "ty": "typo",
             "co": "client-only"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
OVERHEAD_FROM = dt.date(2025, 1, 1)
OVERHEAD_TO = dt.date(2026, 12, 31)


def die(msg):
    sys.stderr.write("build.py: " + msg + "\n")
    sys.exit(1)


def dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def dotted(body):
    b = str(body)
    parts = []
    while len(b) > 3:
        parts.insert(0, b[-3:])
        b = b[:-3]
    parts.insert(0, b)
    return ".".join(parts)


def rut_spelling(body, style):
    d = dv(body)
    if style == 0:
        return "%s-%s" % (dotted(body), d)
    if style == 1:
        return "%s-%s" % (body, d)
    # style 2: plain with lower-case k when the check digit is K, else dotted
    if d == "K":
        return "%s-k" % body
    return "%s-%s" % (dotted(body), d)


def norm_id(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", s.upper())


def identifiers(keyword):
    out = []
    for tok in keyword.split():
        n = norm_id(tok)
        if any(c.isdigit() for c in n) and len(n) >= 6:
            out.append(n)
    return out


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def parse_blocks(text):
    blocks, cur = [], None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^\[(.+)\]$", line)
        if m:
            cur = {"_key": m.group(1)}
            blocks.append(cur)
            continue
        k, _, v = line.partition("=")
        if cur is None or not _:
            die("bad block line: " + line)
        cur[k.strip()] = v.strip()
    return blocks


def parse_date(s):
    return dt.date.fromisoformat(s)


def rand_date(rng, a, b):
    return a + dt.timedelta(days=rng.randint(0, (b - a).days))


def num(s):
    s = s.strip().replace(",", ".")
    f = Fraction(s)
    return (int(f) if f.denominator == 1 else float(s)), f


def build_company(key, meta):
    pre = os.path.join(SRC, key + "_")
    if not os.path.exists(pre + "projects.txt"):
        return None
    rng = random.Random("blind-v35/" + key)

    # projects
    projects = []
    for b in parse_blocks(read(pre + "projects.txt")):
        kws = [k.strip() for k in b["keywords"].split(" ; ") if k.strip()]
        p = {"id": int(b["_key"]), "name": b["name"], "code": b["code"],
             "client": b["client"], "location": b["location"],
             "description": b["description"], "keywords": kws,
             "budget": int(b["budget"].replace(".", "")),
             "start_date": b["start"], "end_date": b["end"]}
        projects.append(p)
    projects.sort(key=lambda p: p["id"])
    pmap = {p["id"]: p for p in projects}
    ids_of = {p["id"]: [i for k in p["keywords"] for i in identifiers(k)]
              for p in projects}

    # suppliers
    sup = {}
    for raw in read(pre + "suppliers.txt").splitlines():
        if not raw.strip() or raw.strip().startswith("#"):
            continue
        parts = [x.strip() for x in raw.split("|")]
        if len(parts) != 3:
            die("bad supplier line: " + raw)
        if parts[0] in sup:
            die("duplicate supplier key " + parts[0])
        sup[parts[0]] = {"name": parts[1], "body": int(parts[2])}
    bodies = [s["body"] for s in sup.values()]
    if len(set(bodies)) != len(bodies):
        die(key + ": duplicate supplier RUT body")

    def pid(s):
        s = s.strip()
        if s == "-":
            return None
        v = int(s)
        if v not in pmap:
            die("unknown project id %s" % s)
        return v

    # history
    history = []
    for raw in read(pre + "history.txt").splitlines():
        if not raw.strip() or raw.strip().startswith("#"):
            continue
        parts = [x.strip() for x in raw.split("|")]
        if len(parts) != 3 or parts[0] not in sup:
            die("bad history line: " + raw)
        history.append((parts[0], pid(parts[1]), parts[2]))
    hist_rows = []
    for i, (sk, p, text) in enumerate(history):
        style = 1 if rng.random() < 0.12 else 0
        hist_rows.append({"supplier_name": sup[sk]["name"],
                          "supplier_rut": rut_spelling(sup[sk]["body"], style),
                          "description": text, "project_id": p})
    rng.shuffle(hist_rows)
    hist_by_sup = {}
    for sk, p, _ in history:
        hist_by_sup.setdefault(sk, []).append(p)

    # bills
    bills_src = []
    for path in sorted(glob.glob(pre + "bills*.txt")):
        cur = None
        for raw in read(path).splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("=="):
                parts = [x.strip() for x in line[2:].split("|")]
                while len(parts) < 5:
                    parts.append("")
                if len(parts) != 5 or parts[0] not in sup:
                    die("bad bill header in %s: %s" % (path, line))
                tags = [t for t in parts[3].replace(",", " ").split() if t]
                for t in tags:
                    if t not in HAND_TAGS:
                        die("unknown hand tag %s in %s" % (t, line))
                cur = {"sk": parts[0], "pid": pid(parts[1]), "po": parts[2],
                       "tags": tags, "date": parts[4], "desc": None,
                       "lines": [], "src": line}
                bills_src.append(cur)
            elif line.startswith("D:"):
                cur["desc"] = line[2:].strip()
            elif line.startswith("L:"):
                parts = [x.strip() for x in line[2:].split("|")]
                if len(parts) != 4:
                    die("bad bill line: " + line)
                cur["lines"].append(parts)
            else:
                die("bad line in %s: %s" % (path, line))

    sup_count = {}
    bills = []
    for b in bills_src:
        if not b["desc"] or not b["lines"]:
            die("bill without description or lines: " + b["src"])
        sk = b["sk"]
        n = sup_count.get(sk, 0)
        sup_count[sk] = n + 1
        base = sum(ord(c) for c in sk) % 2
        style = (base + n) % 2
        if n >= 2 and dv(sup[sk]["body"]) == "K" and n % 3 == 2:
            style = 2
        lines, total = [], Fraction(0)
        for d, q, u, pr in b["lines"]:
            qv, qf = num(q)
            price = int(pr.replace(".", ""))
            total += qf * price
            lines.append({"description": d, "quantity": qv, "unit": u,
                          "unit_price": price})
        if total.denominator != 1:
            die("non-integer amount: " + b["src"])
        if b["pid"] is None:
            lo, hi = OVERHEAD_FROM, OVERHEAD_TO
        else:
            p = pmap[b["pid"]]
            lo, hi = parse_date(p["start_date"]), parse_date(p["end_date"])
        if b["date"]:
            d = parse_date(b["date"])
            if not lo <= d <= hi:
                die("date outside window: " + b["src"])
            rng.random()
        else:
            d = rand_date(rng, lo, hi)
        tags = set(HAND_TAGS[t] for t in b["tags"])
        if b["pid"] is None:
            tags.add("overhead")
        hist = hist_by_sup.get(sk, [])
        if hist:
            counts = {}
            for v in hist:
                counts[v] = counts.get(v, 0) + 1
            if len(counts) >= 2 and counts.get(b["pid"], 0) < max(counts.values()):
                tags.add("shared-supplier")
        text = norm_id(" ".join([b["po"], b["desc"]] + [l[0] for l in b["lines"]]))
        for p_id, ids in ids_of.items():
            hit = any(i in text for i in ids)
            if hit and p_id != b["pid"]:
                die("bill carries identifier of project %d: %s" % (p_id, b["src"]))
            if hit:
                tags.add("po-reference")
        if not tags:
            tags.add("plain")
        bills.append({"supplier_name": sup[sk]["name"],
                      "supplier_rut": rut_spelling(sup[sk]["body"], style),
                      "invoice_description": b["desc"], "lines": lines,
                      "amount": int(total), "issue_date": d.isoformat(),
                      "purchase_order": b["po"],
                      "expected_project_id": b["pid"],
                      "difficulty": [t for t in TAG_ORDER if t in tags]})
    rng.shuffle(bills)
    out_bills = []
    for i, b in enumerate(bills, 1):
        ob = {"id": "%s%03d" % (meta["prefix"], i)}
        ob.update(b)
        out_bills.append(ob)

    body = int(meta["rut"])
    company = {"name": meta["name"], "rut": rut_spelling(body, 0),
               "trade": meta["trade"]}
    return {"company": company, "projects": projects, "history": hist_rows,
            "bills": out_bills}


def main():
    metas = {b["_key"]: b for b in parse_blocks(read(os.path.join(SRC, "companies.txt")))}
    for key in COMPANY_KEYS:
        if key not in metas:
            continue
        data = build_company(key, metas[key])
        if data is None:
            continue
        out = os.path.join(HERE, "..", metas[key]["file"])
        with open(out, "w", encoding="utf-8", newline="\n") as f:
            f.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        print("wrote %s: %d projects, %d history, %d bills" % (
            os.path.basename(out), len(data["projects"]), len(data["history"]),
            len(data["bills"])))


if __name__ == "__main__":
    main()
