#!/usr/bin/env python3
"""Mechanical builder for the blind evaluation set.

Reads the hand-written content in src/*.txt and writes skilifts.json,
overheadcranes.json and stacks.json next to this script.  It only does
mechanical work: RUT check digits and spellings, amounts, dates inside the
project windows, rule-based tags, shuffling and numbering.  Everything is
driven by fixed seeds, so two runs give byte-identical files.

Usage: python3 build.py            (writes the three JSON files)
       python3 build.py --report   (also prints a per-bill report to stdout)
"""
import datetime
import json
import os
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

COMPANIES = [
    # file stem, first project id, bill prefix, seed
    ("skilifts", 10201, "A", 3601),
    ("overheadcranes", 10301, "C", 3602),
    ("stacks", 10401, "D", 3603),
]

HAND_TAGS = {"pv": "place-variant", "tv": "trade-vocabulary", "ty": "typo",
             "co": "client-only"}
ASSERT_TAGS = {"po", "pl"}
OH_START = datetime.date(2025, 1, 1)
OH_END = datetime.date(2026, 12, 31)


class BuildError(Exception):
    pass


# ---------------------------------------------------------------- RUT
def rut_dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - (s % 11)
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut_dotted(body):
    b = str(body)
    parts = []
    while len(b) > 3:
        parts.insert(0, b[-3:])
        b = b[:-3]
    parts.insert(0, b)
    return ".".join(parts) + "-" + rut_dv(body)


def rut_plain(body):
    return str(body) + "-" + rut_dv(body)


def rut_variant(body, rng):
    dv = rut_dv(body)
    s = rut_dotted(body) if rng.random() < 0.55 else rut_plain(body)
    if dv == "K" and rng.random() < 0.5:
        s = s[:-1] + "k"
    return s


# ---------------------------------------------------------------- text
def norm_id(text):
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", t.upper())


def bill_text(bill):
    parts = [bill["purchase_order"], bill["invoice_description"]]
    parts += [ln["description"] for ln in bill["lines"]]
    return " | ".join(parts)


def ids_in(text, projects):
    n = norm_id(text)
    found = set()
    for p in projects:
        for kw in p["keywords"]:
            if norm_id(kw) and norm_id(kw) in n:
                found.add(p["id"])
    return found


# ---------------------------------------------------------------- parsing
def read_lines(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read().split("\n")


def parse_projects(stem):
    path = os.path.join(SRC, stem + "_projects.txt")
    company = None
    projects = []
    cur = None
    for raw in read_lines(path):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("COMPANY:"):
            name, body, trade = [x.strip() for x in line[8:].split("|")]
            company = {"name": name, "rut": rut_dotted(int(body)), "trade": trade}
            continue
        m = re.match(r"^\[([A-Z0-9]+)\]$", line)
        if m:
            cur = {"key": m.group(1)}
            projects.append(cur)
            continue
        k, _, v = line.partition(":")
        k, v = k.strip(), v.strip()
        if cur is None or k not in ("name", "code", "client", "location", "desc",
                                    "kw", "budget", "dates"):
            raise BuildError(f"{path}: bad line {line!r}")
        cur[k] = v
    out = []
    for p in projects:
        for k in ("name", "code", "client", "location", "desc", "kw", "budget", "dates"):
            if k not in p:
                raise BuildError(f"{stem}: project {p['key']} lacks {k}")
        d1, d2 = p["dates"].split()
        out.append({
            "key": p["key"], "name": p["name"], "code": p["code"], "client": p["client"],
            "location": p["location"], "description": p["desc"],
            "keywords": [x.strip() for x in p["kw"].split(";") if x.strip()],
            "budget": int(p["budget"].replace(".", "")),
            "start_date": d1, "end_date": d2,
        })
    return company, out


def parse_suppliers(stem):
    path = os.path.join(SRC, stem + "_suppliers.txt")
    sup = {}
    for raw in read_lines(path):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, name, body = [x.strip() for x in line.split("|")]
        if key in sup:
            raise BuildError(f"{stem}: duplicate supplier key {key}")
        sup[key] = {"name": name, "body": int(body)}
    bodies = Counter(s["body"] for s in sup.values())
    dup = [b for b, c in bodies.items() if c > 1]
    if dup:
        raise BuildError(f"{stem}: duplicate rut bodies {dup}")
    return sup


def parse_history(stem, sup, pkeys):
    path = os.path.join(SRC, stem + "_history.txt")
    rows = []
    for raw in read_lines(path):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^([A-Z0-9_]+)\s*>\s*([A-Z0-9]+|-)\s*\|\s*(.+)$", line)
        if not m:
            raise BuildError(f"{stem} history: bad line {line!r}")
        sk, pk, desc = m.groups()
        if sk not in sup:
            raise BuildError(f"{stem} history: unknown supplier {sk}")
        if pk != "-" and pk not in pkeys:
            raise BuildError(f"{stem} history: unknown project {pk}")
        rows.append({"sk": sk, "pk": None if pk == "-" else pk, "desc": desc.strip()})
    return rows


def parse_bills(stem, sup, pkeys):
    path = os.path.join(SRC, stem + "_bills.txt")
    bills = []
    cur = None
    for n, raw in enumerate(read_lines(path), 1):
        line = raw.strip()
        if line.startswith("#"):
            continue
        if not line:
            cur = None
            continue
        if line.startswith("@"):
            parts = [x.strip() for x in line[1:].split("|")]
            if len(parts) != 4:
                raise BuildError(f"{stem} bills line {n}: header needs 4 fields")
            m = re.match(r"^([A-Z0-9_]+)\s*>\s*([A-Z0-9]+|-)$", parts[0])
            if not m:
                raise BuildError(f"{stem} bills line {n}: bad header {line!r}")
            sk, pk = m.groups()
            if sk not in sup:
                raise BuildError(f"{stem} bills line {n}: unknown supplier {sk}")
            if pk != "-" and pk not in pkeys:
                raise BuildError(f"{stem} bills line {n}: unknown project {pk}")
            tags = parts[1].split()
            for t in tags:
                if t not in HAND_TAGS and t not in ASSERT_TAGS:
                    raise BuildError(f"{stem} bills line {n}: unknown tag {t}")
            cur = {"line": n, "sk": sk, "pk": None if pk == "-" else pk, "tags": tags,
                   "po": parts[2], "date": parts[3], "desc": None, "lines": []}
            bills.append(cur)
            continue
        if cur is None:
            raise BuildError(f"{stem} bills line {n}: text outside a bill")
        if cur["desc"] is None:
            if "|" in line:
                raise BuildError(f"{stem} bills line {n}: description expected")
            cur["desc"] = line
            continue
        f = [x.strip() for x in line.split("|")]
        if len(f) != 4:
            raise BuildError(f"{stem} bills line {n}: item needs 4 fields")
        q = f[0].replace(",", ".")
        qv = float(q)
        qout = int(qv) if qv == int(qv) else qv
        price = int(f[2].replace(".", ""))
        total = qv * price
        if abs(total - round(total)) > 1e-6:
            raise BuildError(f"{stem} bills line {n}: non-integer line amount")
        cur["lines"].append({"description": f[3], "quantity": qout, "unit": f[1],
                             "unit_price": price, "_total": int(round(total))})
    for b in bills:
        if not b["desc"] or not b["lines"]:
            raise BuildError(f"{stem} bills line {b['line']}: empty bill")
    return bills


# ---------------------------------------------------------------- build
def d(s):
    return datetime.date.fromisoformat(s)


def rand_date(rng, a, b):
    span = (b - a).days
    return a + datetime.timedelta(days=rng.randint(0, span))


def build_company(stem, first_id, prefix, seed, report):
    rng = random.Random(seed)
    company, projects = parse_projects(stem)
    pkeys = {p["key"] for p in projects}
    if len(pkeys) != len(projects):
        raise BuildError(f"{stem}: duplicate project keys")
    sup = parse_suppliers(stem)
    hist = parse_history(stem, sup, pkeys)
    bills = parse_bills(stem, sup, pkeys)

    # project ids: fixed shuffle, then numbering
    order = list(range(len(projects)))
    rng.shuffle(order)
    key2id = {}
    out_projects = []
    for i, idx in enumerate(order):
        p = dict(projects[idx])
        p["id"] = first_id + i
        key2id[p["key"]] = p["id"]
    for idx in sorted(range(len(projects)), key=lambda j: key2id[projects[j]["key"]]):
        p = projects[idx]
        out_projects.append({
            "id": key2id[p["key"]], "name": p["name"], "code": p["code"],
            "client": p["client"], "location": p["location"],
            "description": p["description"], "keywords": p["keywords"],
            "budget": p["budget"], "start_date": p["start_date"], "end_date": p["end_date"]})
    byid = {p["id"]: p for p in out_projects}

    # history
    out_hist = []
    for h in hist:
        s = sup[h["sk"]]
        out_hist.append({"supplier_name": s["name"], "supplier_rut": rut_dotted(s["body"]),
                         "description": h["desc"],
                         "project_id": key2id[h["pk"]] if h["pk"] else None})
    hrng = random.Random(seed * 7 + 1)
    hrng.shuffle(out_hist)
    for h in out_hist:
        found = ids_in(h["description"], out_projects)
        if found and found != {h["project_id"]}:
            raise BuildError(f"{stem} history carries a foreign identifier: {h['description']}")

    hist_by_body = defaultdict(Counter)
    for h in hist:
        hist_by_body[sup[h["sk"]]["body"]][key2id[h["pk"]] if h["pk"] else None] += 1

    # bills
    out_bills = []
    brng = random.Random(seed * 11 + 3)
    for b in bills:
        s = sup[b["sk"]]
        exp = key2id[b["pk"]] if b["pk"] else None
        if b["date"]:
            dt = d(b["date"])
        elif exp is None:
            dt = rand_date(brng, OH_START, OH_END)
        else:
            dt = rand_date(brng, d(byid[exp]["start_date"]), d(byid[exp]["end_date"]))
        if exp is None:
            if not (OH_START <= dt <= OH_END):
                raise BuildError(f"{stem} bill line {b['line']}: date outside 2025-2026")
        elif not (d(byid[exp]["start_date"]) <= dt <= d(byid[exp]["end_date"])):
            raise BuildError(f"{stem} bill line {b['line']}: date {dt} outside window of {b['pk']}")
        lines = [{k: v for k, v in ln.items() if not k.startswith("_")} for ln in b["lines"]]
        bill = {
            "id": None, "supplier_name": s["name"],
            "supplier_rut": rut_variant(s["body"], brng),
            "invoice_description": b["desc"], "lines": lines,
            "amount": sum(ln["_total"] for ln in b["lines"]),
            "issue_date": dt.isoformat(), "purchase_order": b["po"],
            "expected_project_id": exp, "difficulty": [],
        }
        # rule tags
        tags = set(HAND_TAGS[t] for t in b["tags"] if t in HAND_TAGS)
        if exp is None:
            tags.add("overhead")
        found = ids_in(bill_text(bill), out_projects)
        if found - {exp}:
            raise BuildError(f"{stem} bill line {b['line']}: carries identifier of another project {found}")
        if exp is not None and exp in found:
            tags.add("po-reference")
        if ("po" in b["tags"]) != ("po-reference" in tags):
            raise BuildError(f"{stem} bill line {b['line']}: po assertion mismatch (found={found})")
        hc = hist_by_body.get(s["body"], Counter())
        offmode = False
        if hc:
            mx = max(hc.values())
            if hc.get(exp, 0) < mx:
                offmode = True
                if len(hc) >= 2:
                    tags.add("shared-supplier")
        if not tags:
            tags.add("plain")
        if "pl" in b["tags"] and tags != {"plain"}:
            raise BuildError(f"{stem} bill line {b['line']}: asserted plain but tags {sorted(tags)}")
        order_t = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
                   "po-reference", "client-only", "typo", "plain"]
        bill["difficulty"] = [t for t in order_t if t in tags]
        bill["_line"] = b["line"]
        bill["_pk"] = b["pk"]
        bill["_offmode"] = offmode
        bill["_hist"] = dict(hc)
        out_bills.append(bill)

    srng = random.Random(seed * 13 + 5)
    srng.shuffle(out_bills)
    for i, bill in enumerate(out_bills, 1):
        bill["id"] = f"{prefix}{i:03d}"
    if report:
        id2key = {v: k for k, v in key2id.items()}
        for bill in sorted(out_bills, key=lambda x: x["_line"]):
            hist_s = {id2key.get(k, "OH"): v for k, v in bill["_hist"].items()}
            print(f"{stem} L{bill['_line']:4d} {bill['id']} {bill['_pk'] or 'OH':7s} "
                  f"{','.join(bill['difficulty']):60s} off={int(bill['_offmode'])} hist={hist_s}")
    clean = [{k: v for k, v in b.items() if not k.startswith("_")} for b in out_bills]
    doc = {"company": company, "projects": out_projects, "history": out_hist, "bills": clean}
    if report:
        print(f"{stem}: {len(out_projects)} projects, {len(out_hist)} history, {len(clean)} bills, "
              f"key->id: " + " ".join(f"{k}={v}" for k, v in sorted(key2id.items(), key=lambda x: x[1])))
    return doc


def main():
    report = "--report" in sys.argv
    only = [a for a in sys.argv[1:] if not a.startswith("--")]
    for stem, first_id, prefix, seed in COMPANIES:
        if only and stem not in only:
            continue
        if not os.path.exists(os.path.join(SRC, stem + "_bills.txt")):
            print(f"skip {stem}: no sources yet")
            continue
        try:
            doc = build_company(stem, first_id, prefix, seed, report)
        except BuildError as e:
            print("BUILD ERROR:", e)
            sys.exit(1)
        out = os.path.join(HERE, "..", stem + ".json")
        with open(out, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(json.dumps(doc, ensure_ascii=False, indent=2))
            fh.write("\n")
        print(f"wrote {os.path.basename(out)}")


if __name__ == "__main__":
    main()
