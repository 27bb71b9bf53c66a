#!/usr/bin/env python3
"""Mechanical assembly of the blind evaluation set from hand-written sources.

Reads src/companies.txt and src/<co>_{projects,suppliers,history,bills}.txt,
computes RUT check digits, RUT spellings, line amounts, issue dates inside the
expected project's window, rule-based tags (overhead, shared-supplier,
po-reference, plain), shuffles and numbers bills, and writes <co>.json next to
this script. Standard library only, fixed seeds: two runs give identical bytes.
"""
import json
import os
import random
import re
import sys
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
COMPANIES = [("ventilation", "V", 11), ("fuelstations", "G", 22), ("docks", "D", 33)]
HAND_TAGS = {"pv": "place-variant", "tv": "trade-vocabulary", "co": "client-only", "ty": "typo"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]


def fail(msg):
    sys.exit("build.py: " + msg)


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


def rut_std(body):
    return f"{dotted(body)}-{dv(body)}"


def rut_variant(body, rng):
    d = dv(body)
    k = rng.randrange(4)
    if k == 0:
        return f"{dotted(body)}-{d}"
    if k == 1:
        return f"{body}-{d}"
    if k == 2:
        return f"{dotted(body)}-{d.lower()}" if d == "K" else f"{body}-{d}"
    return f"{dotted(body)}-{d}"


def norm(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^0-9A-Z]", "", s.upper())


def ident(keyword):
    toks = [t for t in keyword.split() if any(c.isdigit() for c in t)]
    return norm("".join(toks))


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.strip().startswith("#") or not line.strip():
                yield n, None
            else:
                yield n, line


def parse_companies():
    out, cur = {}, None
    for n, line in read_lines(os.path.join(SRC, "companies.txt")):
        if line is None:
            continue
        m = re.match(r"^\[(\w+)\]$", line.strip())
        if m:
            cur = out.setdefault(m.group(1), {})
            continue
        k, v = line.split(":", 1)
        cur[k.strip()] = v.strip()
    return out


def parse_projects(co):
    projects, cur = [], None
    for n, line in read_lines(os.path.join(SRC, f"{co}_projects.txt")):
        if line is None:
            continue
        k, v = line.split(":", 1)
        k, v = k.strip(), v.strip()
        if k == "id":
            cur = {"id": int(v)}
            projects.append(cur)
        elif k == "kw":
            cur["keywords"] = [x.strip() for x in v.split(";") if x.strip()]
        elif k == "budget":
            cur["budget"] = int(v.replace(".", ""))
        elif k == "dates":
            a, b = v.split()
            cur["start_date"], cur["end_date"] = a, b
        elif k == "desc":
            cur["description"] = v
        elif k in ("name", "code", "client", "location"):
            cur[k] = v
        else:
            fail(f"{co}_projects.txt:{n}: unknown key {k}")
    keys = ["id", "name", "code", "client", "location", "description", "keywords",
            "budget", "start_date", "end_date"]
    return [{k: p[k] for k in keys} for p in projects]


def parse_suppliers(co):
    sup = {}
    for n, line in read_lines(os.path.join(SRC, f"{co}_suppliers.txt")):
        if line is None:
            continue
        parts = [x.strip() for x in line.split("|")]
        if len(parts) != 3:
            fail(f"{co}_suppliers.txt:{n}: need KEY | NAME | RUTBODY")
        key, name, body = parts
        if key in sup:
            fail(f"{co}_suppliers.txt:{n}: duplicate key {key}")
        sup[key] = {"name": name, "body": int(body.replace(".", ""))}
    bodies = [s["body"] for s in sup.values()]
    if len(set(bodies)) != len(bodies):
        fail(f"{co}: duplicate supplier RUT body")
    names = [s["name"] for s in sup.values()]
    if len(set(names)) != len(names):
        fail(f"{co}: duplicate supplier name")
    return sup


def pid(v, where):
    v = v.strip()
    return None if v == "-" else int(v)


def parse_history(co, sup):
    rows = []
    for n, line in read_lines(os.path.join(SRC, f"{co}_history.txt")):
        if line is None:
            continue
        parts = line.split("|", 2)
        if len(parts) != 3:
            fail(f"{co}_history.txt:{n}: need KEY | PID | TEXT")
        key = parts[0].strip()
        if key not in sup:
            fail(f"{co}_history.txt:{n}: unknown supplier {key}")
        rows.append({"key": key, "project_id": pid(parts[1], n), "description": parts[2].strip()})
    return rows


def parse_bills(co, sup):
    bills, cur = [], None
    for n, line in read_lines(os.path.join(SRC, f"{co}_bills.txt")):
        if line is None:
            continue
        s = line.strip()
        if s.startswith("@"):
            parts = [x.strip() for x in s[1:].split("|")]
            if len(parts) not in (4, 5):
                fail(f"{co}_bills.txt:{n}: header needs KEY | PID | TAGS | PO [| DATE]")
            key = parts[0]
            if key not in sup:
                fail(f"{co}_bills.txt:{n}: unknown supplier {key}")
            tags = [] if parts[2] in ("-", "") else [t.strip() for t in parts[2].split(",")]
            for t in tags:
                if t not in HAND_TAGS:
                    fail(f"{co}_bills.txt:{n}: unknown hand tag {t}")
            cur = {"key": key, "pid": pid(parts[1], n), "hand": [HAND_TAGS[t] for t in tags],
                   "po": parts[3], "date": parts[4] if len(parts) == 5 else None,
                   "desc": None, "lines": [], "src_line": n}
            bills.append(cur)
        elif s.startswith("="):
            cur["desc"] = s[1:].strip()
        elif s.startswith("-"):
            parts = [x.strip() for x in s[1:].split("|")]
            if len(parts) != 4:
                fail(f"{co}_bills.txt:{n}: line needs DESC | QTY | UNIT | PRICE")
            q = Decimal(parts[1].replace(".", "").replace(",", "."))
            price = int(parts[3].replace(".", ""))
            cur["lines"].append((parts[0], q, parts[2], price, n))
        else:
            fail(f"{co}_bills.txt:{n}: cannot parse: {s[:40]}")
    for b in bills:
        if not b["desc"] or not b["lines"]:
            fail(f"{co}_bills.txt:{b['src_line']}: bill without text or lines")
    return bills


def qty_json(q):
    return int(q) if q == q.to_integral_value() else float(q)


def rand_date(rng, a, b):
    da, db = date.fromisoformat(a), date.fromisoformat(b)
    return (da + timedelta(days=rng.randrange((db - da).days + 1))).isoformat()


def build(co, prefix, seed, cinfo):
    rng = random.Random(seed)
    projects = parse_projects(co)
    pmap = {p["id"]: p for p in projects}
    sup = parse_suppliers(co)
    hist = parse_history(co, sup)
    bills = parse_bills(co, sup)

    history = []
    for h in hist:
        if h["project_id"] is not None and h["project_id"] not in pmap:
            fail(f"{co}: history project {h['project_id']} unknown")
        s = sup[h["key"]]
        history.append({"supplier_name": s["name"], "supplier_rut": rut_std(s["body"]),
                        "description": h["description"], "project_id": h["project_id"]})

    counts = {}
    for h in hist:
        counts.setdefault(h["key"], {}).setdefault(h["project_id"], 0)
        counts[h["key"]][h["project_id"]] += 1
    idents = {p["id"]: [ident(k) for k in p["keywords"]] for p in projects}
    for p in projects:
        for i in idents[p["id"]]:
            if len(i) < 7:
                fail(f"{co}: keyword identifier too short in {p['id']}")
    clients = {}
    for p in projects:
        clients[p["client"]] = clients.get(p["client"], 0) + 1

    out_bills = []
    for b in bills:
        e = b["pid"]
        if e is not None and e not in pmap:
            fail(f"{co}_bills.txt:{b['src_line']}: unknown project {e}")
        s = sup[b["key"]]
        lines, total = [], Decimal(0)
        for (d, q, u, pr, n) in b["lines"]:
            v = q * pr
            if v != v.to_integral_value():
                fail(f"{co}_bills.txt:{n}: quantity*price not integral ({q}*{pr})")
            total += v
            lines.append({"description": d, "quantity": qty_json(q), "unit": u, "unit_price": pr})
        if b["date"]:
            issue = b["date"]
        elif e is None:
            issue = rand_date(rng, "2025-01-02", "2026-12-30")
        else:
            issue = rand_date(rng, pmap[e]["start_date"], pmap[e]["end_date"])
        texts = [b["po"], b["desc"]] + [l["description"] for l in lines]
        ntexts = [norm(t) for t in texts]
        carried = {pid_ for pid_, ids in idents.items()
                   if any(i in t for i in ids for t in ntexts)}
        if carried - ({e} if e is not None else set()):
            fail(f"{co}_bills.txt:{b['src_line']}: carries identifier of {sorted(carried)}")
        tags = set(b["hand"])
        if e is None:
            tags.add("overhead")
        c = counts.get(b["key"], {})
        if len(c) >= 2 and c.get(e, 0) < max(c.values()):
            tags.add("shared-supplier")
        if e in carried:
            tags.add("po-reference")
        if "client-only" in tags and (e is None or clients[pmap[e]["client"]] != 1):
            fail(f"{co}_bills.txt:{b['src_line']}: client-only but client has several projects")
        if not tags:
            tags.add("plain")
        out_bills.append({"supplier_name": s["name"], "supplier_rut": rut_variant(s["body"], rng),
                          "invoice_description": b["desc"], "lines": lines,
                          "amount": int(total), "issue_date": issue,
                          "purchase_order": b["po"], "expected_project_id": e,
                          "difficulty": [t for t in TAG_ORDER if t in tags]})
    rng.shuffle(out_bills)
    final = []
    for i, b in enumerate(out_bills, 1):
        final.append({"id": f"{prefix}{i:03d}", **b})

    company = {"name": cinfo["name"], "rut": rut_std(int(cinfo["rut"])), "trade": cinfo["trade"]}
    doc = {"company": company, "projects": projects, "history": history, "bills": final}
    path = os.path.join(HERE, "..", f"{co}.json")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {path}: {len(projects)} projects, {len(history)} history, {len(final)} bills")


def main():
    comps = parse_companies()
    for co, prefix, seed in COMPANIES:
        build(co, prefix, seed, comps[co])


if __name__ == "__main__":
    main()
