#!/usr/bin/env python3
"""Mechanical assembly of the blind-v24 evaluation set.

Reads the hand-written sources in src/ and writes cranes.json, piping.json and
geotech.json next to this script.  It only does mechanical work: RUT check
digits and spellings, amounts, dates inside windows, rule-based tags
(overhead, shared-supplier, po-reference, plain), shuffling and numbering.
Standard library only; fixed seeds, so two runs give byte-identical files.
"""
import json
import os
import random
import re
import sys
import unicodedata
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

BASE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(BASE, "src")

COMPANIES = [
    # key, first project id, bill prefix
    ("cranes", 6601, "K"),
    ("piping", 6701, "N"),
    ("geotech", 6801, "Q"),
]
HAND_TAGS = {"pv": "place-variant", "tv": "trade-vocabulary",
             "co": "client-only", "ty": "typo"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
OH_START, OH_END = date(2025, 1, 1), date(2026, 12, 31)


def die(msg):
    sys.stderr.write("build.py: " + msg + "\n")
    sys.exit(1)


def rut_dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def rut_dotted(body):
    b = str(body)
    groups = []
    while len(b) > 3:
        groups.insert(0, b[-3:])
        b = b[:-3]
    groups.insert(0, b)
    return ".".join(groups) + "-" + rut_dv(body)


def rut_plain(body):
    return str(body) + "-" + rut_dv(body)


def norm(text):
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).upper()
    return re.sub(r"[^A-Z0-9]", "", t)


def keyword_core(kw):
    toks = [t for t in kw.split() if re.search(r"\d", t)]
    return norm("".join(toks))


def bill_fields(b):
    return [b["purchase_order"], b["invoice_description"]] + [l["description"] for l in b["lines"]]


def cores_in_bill(b, cores):
    """cores: dict core -> project id. Returns set of project ids whose identifier is carried."""
    found = set()
    for f in bill_fields(b):
        nf = norm(f)
        for c, pid in cores.items():
            if c in nf:
                found.add(pid)
    return found


def read_lines(name):
    path = os.path.join(SRC, name)
    with open(path, encoding="utf-8") as fh:
        return [l.rstrip("\n") for l in fh]


def parse_projects(key):
    lines = read_lines(key + "_projects.txt")
    company, projects, cur = {}, [], None
    for ln in lines:
        s = ln.strip()
        if not s or s.startswith("#") and not s.startswith("## "):
            continue
        if s.startswith("## "):
            cur = {"id": int(s[3:].strip())}
            projects.append(cur)
            continue
        k, _, v = s.partition(":")
        k, v = k.strip().lower(), v.strip()
        if cur is None:
            company[k] = v
        else:
            cur[k] = v
    out = []
    for p in projects:
        ws, we = p["window"].split()
        out.append({
            "id": p["id"], "name": p["name"], "code": p["code"], "client": p["client"],
            "location": p["location"], "description": p["description"],
            "keywords": [k.strip() for k in p["keywords"].split(";") if k.strip()],
            "budget": int(p["budget"].replace(".", "").replace("_", "")),
            "start_date": ws, "end_date": we,
        })
    comp = {"name": company["name"], "rut": rut_dotted(int(company["rut"])),
            "trade": company["trade"]}
    return comp, out


def parse_suppliers(key):
    sup = {}
    for ln in read_lines(key + "_suppliers.txt"):
        s = ln.strip()
        if not s or s.startswith("#"):
            continue
        code, name, body = [x.strip() for x in s.split("|")]
        if code in sup:
            die("duplicate supplier code %s in %s" % (code, key))
        sup[code] = (name, int(body))
    names = Counter(n for n, _ in sup.values())
    bodies = Counter(b for _, b in sup.values())
    for n, c in names.items():
        if c > 1:
            die("duplicate supplier name %s" % n)
    for b, c in bodies.items():
        if c > 1:
            die("duplicate supplier RUT %s" % b)
    return sup


def parse_pid(tok, key):
    tok = tok.strip()
    return None if tok == "-" else int(tok)


def parse_history(key, sup):
    rows = []
    for ln in read_lines(key + "_history.txt"):
        s = ln.strip()
        if not s or s.startswith("#"):
            continue
        code, pid, desc = [x.strip() for x in s.split("|", 2)]
        if code not in sup:
            die("unknown supplier %s in %s history" % (code, key))
        rows.append((code, parse_pid(pid, key), desc))
    return rows


def parse_bills(key, sup):
    blocks, cur = [], None
    for ln in read_lines(key + "_bills.txt"):
        s = ln.strip()
        if s.startswith("#"):
            continue
        if not s:
            cur = None
            continue
        if cur is None:
            parts = [x.strip() for x in s.split("|")]
            if len(parts) != 4:
                die("bad bill header in %s: %s" % (key, s))
            code, pid, po, tags = parts
            if code not in sup:
                die("unknown supplier %s in %s bills" % (code, key))
            cur = {"code": code, "pid": parse_pid(pid, key), "po": po,
                   "tags": tags.split(), "desc": None, "lines": []}
            blocks.append(cur)
        elif s.startswith("*"):
            d, q, u, p = [x.strip() for x in s[1:].split("|")]
            cur["lines"].append((d, Decimal(q), u, int(p)))
        else:
            if cur["desc"] is not None:
                die("two description lines in %s bill: %s" % (key, s))
            cur["desc"] = s
    for b in blocks:
        if b["desc"] is None or not b["lines"]:
            die("incomplete bill in %s: %r" % (key, b))
        for t in b["tags"]:
            if t not in HAND_TAGS:
                die("unknown hand tag %s in %s" % (t, key))
    return blocks


def qty_json(q):
    return int(q) if q == q.to_integral_value() else float(q)


def rand_date(rng, start, end):
    a, b = date.fromisoformat(start) if isinstance(start, str) else start, \
        date.fromisoformat(end) if isinstance(end, str) else end
    return (a + timedelta(days=rng.randint(0, (b - a).days))).isoformat()


def build(key, first_id, prefix):
    comp, projects = parse_projects(key)
    ids = [p["id"] for p in projects]
    if ids != list(range(first_id, first_id + 30)):
        die("%s: project ids must be %d..%d" % (key, first_id, first_id + 29))
    pmap = {p["id"]: p for p in projects}
    cores = {}
    for p in projects:
        for kw in p["keywords"]:
            c = keyword_core(kw)
            if len(c) < 7 or c in cores:
                die("%s: weak or duplicate keyword %s" % (key, kw))
            cores[c] = p["id"]
    sup = parse_suppliers(key)
    hist = parse_history(key, sup)
    bills = parse_bills(key, sup)
    rng = random.Random("blind-v24-" + key)

    def rut_spelling(code):
        body = sup[code][1]
        return rut_dotted(body) if rng.random() < 0.6 else rut_plain(body)

    history = []
    for code, pid, desc in hist:
        if pid is not None and pid not in pmap:
            die("%s history: unknown project %s" % (key, pid))
        history.append({"supplier_name": sup[code][0], "supplier_rut": rut_spelling(code),
                         "description": desc, "project_id": pid})
    rng.shuffle(history)

    hcount = {}
    for code, pid, _ in hist:
        hcount.setdefault(code, Counter())[pid] += 1

    clients = Counter(p["client"] for p in projects)
    out_bills = []
    for b in bills:
        pid = b["pid"]
        if pid is not None and pid not in pmap:
            die("%s bill: unknown project %s" % (key, pid))
        lines = [{"description": d, "quantity": qty_json(q), "unit": u, "unit_price": p}
                 for d, q, u, p in b["lines"]]
        total = sum(q * p for _, q, _, p in b["lines"])
        if total != total.to_integral_value():
            die("%s bill amount not integral: %s" % (key, b["desc"]))
        if pid is None:
            dt = rand_date(rng, OH_START, OH_END)
        else:
            dt = rand_date(rng, pmap[pid]["start_date"], pmap[pid]["end_date"])
        bill = {"id": "", "supplier_name": sup[b["code"]][0],
                "supplier_rut": rut_spelling(b["code"]),
                "invoice_description": b["desc"], "lines": lines, "amount": int(total),
                "issue_date": dt, "purchase_order": b["po"], "expected_project_id": pid,
                "difficulty": []}
        tags = set(HAND_TAGS[t] for t in b["tags"])
        if pid is None:
            tags.add("overhead")
            if "client-only" in tags:
                die("%s: client-only on overhead bill %s" % (key, b["desc"]))
        hc = hcount.get(b["code"])
        if hc and len(hc) >= 2 and hc.get(pid, 0) < max(hc.values()):
            tags.add("shared-supplier")
        carried = cores_in_bill(bill, cores)
        if carried - {pid}:
            die("%s: bill carries another project's identifier: %s" % (key, b["desc"]))
        if pid is not None and pid in carried:
            tags.add("po-reference")
        if "client-only" in tags and clients[pmap[pid]["client"]] != 1:
            die("%s: client-only on a client with several projects: %s" % (key, b["desc"]))
        if not tags:
            tags.add("plain")
        bill["difficulty"] = [t for t in TAG_ORDER if t in tags]
        out_bills.append(bill)
    rng.shuffle(out_bills)
    for i, bill in enumerate(out_bills, 1):
        bill["id"] = "%s%03d" % (prefix, i)
    data = {"company": comp, "projects": projects, "history": history, "bills": out_bills}
    path = os.path.join(BASE, "..", key + ".json")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    print("wrote %s: %d projects, %d history, %d bills" % (
        os.path.basename(path), len(projects), len(history), len(out_bills)))


def main():
    only = sys.argv[1:]
    for key, first, prefix in COMPANIES:
        if only and key not in only:
            continue
        if not os.path.exists(os.path.join(SRC, key + "_bills.txt")):
            print("skip %s (no sources yet)" % key)
            continue
        build(key, first, prefix)


if __name__ == "__main__":
    main()
