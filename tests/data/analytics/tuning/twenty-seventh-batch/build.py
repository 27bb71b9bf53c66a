#!/usr/bin/env python3
"""Mechanical assembly of the blind evaluation set.

Reads the hand-written sources in src/ and writes flooring.json,
vegetation.json and shotcrete.json next to this script.  It only does
mechanical work: RUT check digits and spellings, line amounts, dates
inside the project window, rule-derived tags (overhead, shared-supplier,
po-reference, plain), shuffling and numbering.  Fixed seeds: two runs give
byte-identical files.  Standard library only.
"""
import json
import os
import random
import re
import sys
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

COMPANIES = [
    # key, id range start, bill prefix
    ("flooring", 7501, "E"),
    ("vegetation", 7601, "Y"),
    ("shotcrete", 7701, "Z"),
]
HAND_TAGS = {"pv": "place-variant", "tv": "trade-vocabulary", "ty": "typo", "co": "client-only"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
OVERHEAD_FROM = date(2025, 1, 1)
OVERHEAD_TO = date(2026, 12, 31)


class SrcError(Exception):
    pass


def rut_dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - (s % 11)
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut_dotted(body, dv):
    b = str(body)
    parts = []
    while len(b) > 3:
        parts.insert(0, b[-3:])
        b = b[:-3]
    parts.insert(0, b)
    return ".".join(parts) + "-" + dv


def rut_spelling(body, rng):
    dv = rut_dv(body)
    r = rng.random()
    if dv == "K" and rng.random() < 0.4:
        dv = "k"
    if r < 0.55:
        return rut_dotted(body, dv)
    return f"{body}-{dv}"


def norm(s):
    return re.sub(r"[^0-9A-Z]", "", s.upper())


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n").rstrip()
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            yield n, line


def parse_projects(path):
    company, projects, cur = None, [], None
    for n, line in read_lines(path):
        if line == "COMPANY":
            cur = company = {}
            continue
        m = re.fullmatch(r"PROJECT (\d+)", line)
        if m:
            cur = {"id": int(m.group(1))}
            projects.append(cur)
            continue
        if " = " not in line or cur is None:
            raise SrcError(f"{path}:{n}: bad line {line!r}")
        k, v = line.split(" = ", 1)
        k = k.strip()
        if k in cur:
            raise SrcError(f"{path}:{n}: duplicate key {k}")
        cur[k] = v.strip()
    return company, projects


def parse_suppliers(path):
    sups, hist = {}, []
    for n, line in read_lines(path):
        tag, rest = line[:2], line[2:]
        f = [x.strip() for x in rest.split("|")]
        if tag == "S ":
            if len(f) != 3 or f[0] in sups or not f[2].isdigit():
                raise SrcError(f"{path}:{n}: bad supplier {line!r}")
            sups[f[0]] = {"name": f[1], "body": int(f[2])}
        elif tag == "H ":
            if len(f) != 3 or f[0] not in sups:
                raise SrcError(f"{path}:{n}: bad history {line!r}")
            pid = None if f[1] == "-" else int(f[1])
            hist.append({"key": f[0], "pid": pid, "desc": f[2], "src": n})
        else:
            raise SrcError(f"{path}:{n}: bad line {line!r}")
    return sups, hist


def parse_bills(path):
    bills, cur = [], None
    for n, line in read_lines(path):
        tag, rest = line[:2], line[2:]
        if tag == "B ":
            f = [x.strip() for x in rest.split("|")]
            while len(f) < 5:
                f.append("")
            if len(f) != 5:
                raise SrcError(f"{path}:{n}: bad bill header {line!r}")
            cur = {"key": f[0], "pid": None if f[1] == "-" else int(f[1]), "po": f[2],
                   "tags": f[3].split(), "date": f[4], "desc": None, "lines": [], "src": n}
            bills.append(cur)
        elif tag == "D ":
            if cur is None or cur["desc"] is not None:
                raise SrcError(f"{path}:{n}: stray description")
            cur["desc"] = rest.strip()
        elif tag == "L ":
            f = [x.strip() for x in rest.split("|")]
            if cur is None or len(f) != 4:
                raise SrcError(f"{path}:{n}: bad line item {line!r}")
            cur["lines"].append((f[0], Decimal(f[1]), f[2], int(f[3])))
        else:
            raise SrcError(f"{path}:{n}: bad line {line!r}")
    return bills


def build_company(key, id0, prefix):
    company, projects = parse_projects(os.path.join(SRC, f"{key}_projects.txt"))
    sups, hist = parse_suppliers(os.path.join(SRC, f"{key}_suppliers.txt"))
    bills = parse_bills(os.path.join(SRC, f"{key}_bills.txt"))

    ids = [p["id"] for p in projects]
    if ids != list(range(id0, id0 + 30)):
        raise SrcError(f"{key}: project ids must be {id0}..{id0 + 29}")
    pmap = {}
    out_projects = []
    for p in projects:
        kw = [k.strip() for k in p["keywords"].split(";") if k.strip()]
        sd, ed = date.fromisoformat(p["start"]), date.fromisoformat(p["end"])
        if not (date(2025, 1, 1) <= sd <= ed <= date(2026, 12, 31)):
            raise SrcError(f"{key}: project {p['id']} dates out of range")
        op = {"id": p["id"], "name": p["name"], "code": p["code"], "client": p["client"],
              "location": p["location"], "description": p["description"], "keywords": kw,
              "budget": int(p["budget"]), "start_date": p["start"], "end_date": p["end"]}
        out_projects.append(op)
        pmap[p["id"]] = (op, sd, ed)
    client_count = Counter(p["client"] for p in out_projects)
    allkw = [(pid, norm(k)) for pid, (op, _, _) in pmap.items() for k in op["keywords"]]
    for pid, k in allkw:
        if len(k) < 7:
            raise SrcError(f"{key}: keyword {k} of {pid} too short")
        for pid2, k2 in allkw:
            if pid2 != pid and k in k2:
                raise SrcError(f"{key}: keyword {k} of {pid} inside {k2} of {pid2}")

    rng = random.Random(f"blind-v27-{key}")

    # history
    out_hist = []
    hcount = {}
    for h in hist:
        if h["pid"] is not None and h["pid"] not in pmap:
            raise SrcError(f"{key}: history line {h['src']} unknown project {h['pid']}")
        s = sups[h["key"]]
        hcount.setdefault(h["key"], Counter())[h["pid"]] += 1
        out_hist.append({"supplier_name": s["name"], "supplier_rut": rut_spelling(s["body"], rng),
                         "description": h["desc"], "project_id": h["pid"]})
    rng.shuffle(out_hist)

    # bills
    out_bills = []
    for b in bills:
        where = f"{key} bill at line {b['src']}"
        if b["key"] not in sups:
            raise SrcError(f"{where}: unknown supplier {b['key']}")
        if not b["desc"] or not b["lines"]:
            raise SrcError(f"{where}: missing description or lines")
        pid = b["pid"]
        if pid is not None and pid not in pmap:
            raise SrcError(f"{where}: unknown project {pid}")
        s = sups[b["key"]]
        total = sum(q * up for _, q, _, up in b["lines"])
        if total != total.to_integral_value():
            raise SrcError(f"{where}: amount {total} not integer")
        lines = []
        for d, q, u, up in b["lines"]:
            qn = int(q) if q == q.to_integral_value() else float(q)
            lines.append({"description": d, "quantity": qn, "unit": u, "unit_price": up})
        if pid is None:
            lo, hi = OVERHEAD_FROM, OVERHEAD_TO
        else:
            _, lo, hi = pmap[pid]
        if b["date"]:
            dt = date.fromisoformat(b["date"])
            if not (lo <= dt <= hi):
                raise SrcError(f"{where}: date {dt} outside {lo}..{hi}")
        else:
            dt = lo + timedelta(days=rng.randint(0, (hi - lo).days))
        texts = [b["po"], b["desc"]] + [d for d, _, _, _ in b["lines"]]
        ntexts = [norm(t) for t in texts]
        carried = {p2 for p2, k in allkw if any(k in t for t in ntexts)}
        if carried - ({pid} if pid else set()):
            raise SrcError(f"{where}: carries identifier of {carried}")
        tags = set()
        for t in b["tags"]:
            if t not in HAND_TAGS:
                raise SrcError(f"{where}: unknown tag {t}")
            tags.add(HAND_TAGS[t])
        if pid is None:
            tags.add("overhead")
            if tags & {"client-only"}:
                raise SrcError(f"{where}: client-only on overhead")
        if pid in carried:
            tags.add("po-reference")
        hc = hcount.get(b["key"])
        if hc and len(hc) >= 2 and hc.get(pid, 0) < max(hc.values()):
            tags.add("shared-supplier")
        if "client-only" in tags and client_count[pmap[pid][0]["client"]] != 1:
            raise SrcError(f"{where}: client-only but client has several projects")
        if not tags:
            tags.add("plain")
        out_bills.append({"supplier_name": s["name"], "supplier_rut": rut_spelling(s["body"], rng),
                          "invoice_description": b["desc"], "lines": lines, "amount": int(total),
                          "issue_date": dt.isoformat(), "purchase_order": b["po"],
                          "expected_project_id": pid,
                          "difficulty": [t for t in TAG_ORDER if t in tags]})
    rng.shuffle(out_bills)
    for i, b in enumerate(out_bills, 1):
        b_id = f"{prefix}{i:03d}"
        out_bills[i - 1] = {"id": b_id, **b}

    crut = int(company["rut"])
    out = {"company": {"name": company["name"], "rut": rut_dotted(crut, rut_dv(crut)),
                       "trade": company["trade"]},
           "projects": out_projects, "history": out_hist, "bills": out_bills}
    with open(os.path.join(HERE, "..", f"{key}.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(out, ensure_ascii=False, indent=2))
        f.write("\n")
    return len(out_projects), len(out_hist), len(out_bills)


def main():
    only = sys.argv[1:]
    for key, id0, prefix in COMPANIES:
        if only and key not in only:
            continue
        if not os.path.exists(os.path.join(SRC, f"{key}_bills.txt")):
            print(f"{key}: sources missing, skipped")
            continue
        try:
            n = build_company(key, id0, prefix)
        except SrcError as e:
            print("ERROR:", e)
            sys.exit(1)
        print(f"{key}: {n[0]} projects, {n[1]} history rows, {n[2]} bills")


if __name__ == "__main__":
    main()
