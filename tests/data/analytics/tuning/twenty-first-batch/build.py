#!/usr/bin/env python3
"""Mechanical assembly of the three evaluation files from the hand-written
sources in src/.  Standard library only, fixed seeds: two runs give
byte-identical output.  The JSON files are written next to this script.

What this script does (and nothing more):
  * computes RUT check digits (modulo 11) and spells each RUT in one of its
    usual forms ("76.482.913-1" / "76482913-1");
  * computes bill amounts (exact sum of quantity * unit_price);
  * draws issue dates inside the expected project's window (overhead bills:
    anywhere in 2025-01-01 .. 2026-12-31) unless the source fixes a date;
  * sets the rule-based tags (overhead, shared-supplier, po-reference, plain)
    and translates the hand tags (pv, tv, typo, co);
  * shuffles the bills and numbers them (A001..., Q001..., L001...).
"""
import datetime
import json
import os
import random
import re
import string
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

COMPANIES = [
    # (source prefix, output file, bill id prefix, seed)
    ("agro", "agrostructures.json", "A", 57011),
    ("seismic", "seismic.json", "Q", 58011),
    ("rural", "ruralgrid.json", "L", 59011),
]

HAND_TAGS = {"pv": "place-variant", "tv": "trade-vocabulary", "typo": "typo", "co": "client-only"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
ALNUM = set(string.ascii_uppercase + string.digits)
OVERHEAD_FROM = datetime.date(2025, 1, 1)
OVERHEAD_TO = datetime.date(2026, 12, 31)


def die(msg):
    sys.stderr.write("build.py: " + msg + "\n")
    sys.exit(1)


def rut_dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
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
    return ".".join(groups)


def rut_spell(body, rng, p_dotted):
    dv = rut_dv(body)
    if dv == "K" and rng.random() < 0.3:
        dv = "k"
    if rng.random() < p_dotted:
        return rut_dotted(body) + "-" + dv
    return str(body) + "-" + dv


def norm(s):
    return "".join(ch for ch in s.upper() if ch in ALNUM)


def keyword_core(kw):
    n = norm(kw)
    m = re.search(r"\d", n)
    return n[m.start():] if m else None


def bill_fields(b):
    return [b["purchase_order"], b["invoice_description"]] + [l["description"] for l in b["lines"]]


def carries(b, core):
    return any(core in norm(f) for f in bill_fields(b))


def read(name):
    path = os.path.join(SRC, name)
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def parse_company(prefix):
    comp = {}
    for line in read(prefix + "_company.txt").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        k, v = line.split(":", 1)
        comp[k.strip()] = v.strip()
    return comp


def parse_projects(prefix):
    projects = []
    for block in re.split(r"\n\s*\n", read(prefix + "_projects.txt").strip()):
        d = {}
        for line in block.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            k, v = line.split(":", 1)
            d[k.strip()] = v.strip()
        if not d:
            continue
        projects.append({
            "id": int(d["id"]),
            "name": d["name"],
            "code": d["code"],
            "client": d["client"],
            "location": d["location"],
            "description": d["description"],
            "keywords": [k.strip() for k in d["keywords"].split(";") if k.strip()],
            "budget": int(d["budget"].replace(".", "")),
            "start_date": d["start"],
            "end_date": d["end"],
        })
    return projects


def parse_suppliers(prefix):
    sup = {}
    for line in read(prefix + "_suppliers.txt").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, name, body = [x.strip() for x in line.split("|")]
        if key in sup:
            die("duplicate supplier key %s" % key)
        sup[key] = (name, int(body))
    bodies = [b for _, b in sup.values()]
    if len(set(bodies)) != len(bodies):
        die(prefix + ": duplicate RUT body among suppliers")
    return sup


def parse_pid(tok, pids):
    tok = tok.strip()
    if tok == "GG":
        return None
    pid = int(tok)
    if pid not in pids:
        die("unknown project id %s" % tok)
    return pid


def parse_history(prefix, sup, pids):
    rows = []
    for n, line in enumerate(read(prefix + "_history.txt").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [x.strip() for x in line.split("|", 2)]
        if len(parts) != 3 or parts[0] not in sup:
            die("%s_history.txt:%d bad line" % (prefix, n))
        rows.append((parts[0], parse_pid(parts[1], pids), parts[2]))
    return rows


def parse_number(s):
    s = s.strip()
    if re.fullmatch(r"\d+", s):
        return int(s)
    if re.fullmatch(r"\d+\.\d+", s):
        return float(s)
    die("bad quantity %r" % s)


def parse_bills(prefix, sup, pids):
    bills, cur = [], None
    for n, line in enumerate(read(prefix + "_bills.txt").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        where = "%s_bills.txt:%d" % (prefix, n)
        if line.startswith("="):
            parts = [x.strip() for x in line[1:].split("|")]
            if len(parts) not in (4, 5) or parts[0] not in sup:
                die(where + " bad header")
            tags = [t.strip() for t in parts[3].split(",") if t.strip()]
            for t in tags:
                if t not in HAND_TAGS:
                    die(where + " unknown tag " + t)
            cur = {"sup": parts[0], "pid": parse_pid(parts[1], pids), "po": parts[2],
                   "tags": tags, "date": parts[4] if len(parts) == 5 else "",
                   "desc": None, "lines": [], "where": where}
            bills.append(cur)
        elif line.startswith("- "):
            if cur is None or cur["desc"] is None:
                die(where + " line before description")
            parts = [x.strip() for x in line[2:].split("|")]
            if len(parts) != 4:
                die(where + " bad line item")
            cur["lines"].append({"description": parts[0], "quantity": parse_number(parts[1]),
                                 "unit": parts[2], "unit_price": int(parts[3].replace(".", ""))})
        else:
            if cur is None or cur["desc"] is not None:
                die(where + " unexpected text")
            cur["desc"] = line.strip()
    for b in bills:
        if b["desc"] is None or not b["lines"]:
            die(b["where"] + " bill without description or lines")
    return bills


def d(s):
    return datetime.date.fromisoformat(s)


def draw_date(rng, lo, hi, spec, where):
    if spec:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", spec):
            x = d(spec)
            if not lo <= x <= hi:
                die(where + " fixed date outside window")
            return x
        if re.fullmatch(r"\d{4}-\d{2}", spec):
            y, m = map(int, spec.split("-"))
            first = datetime.date(y, m, 1)
            nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
            lo, hi = max(lo, first), min(hi, nxt - datetime.timedelta(days=1))
            if lo > hi:
                die(where + " month outside window")
        else:
            die(where + " bad date spec")
    return lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))


def build(prefix, outname, idp, seed):
    rng = random.Random(seed)
    comp = parse_company(prefix)
    projects = parse_projects(prefix)
    pmap = {p["id"]: p for p in projects}
    sup = parse_suppliers(prefix)
    hist = parse_history(prefix, sup, set(pmap))
    bills_src = parse_bills(prefix, sup, set(pmap))

    history = []
    counts = {}
    for key, pid, text in hist:
        name, body = sup[key]
        history.append({"supplier_name": name, "supplier_rut": rut_spell(body, rng, 0.8),
                        "description": text, "project_id": pid})
        counts.setdefault(body, {}).setdefault(pid, 0)
        counts[body][pid] += 1

    cores = {p["id"]: [c for c in (keyword_core(k) for k in p["keywords"]) if c] for p in projects}

    bills = []
    for b in bills_src:
        name, body = sup[b["sup"]]
        pid = b["pid"]
        if pid is None:
            lo, hi = OVERHEAD_FROM, OVERHEAD_TO
        else:
            lo, hi = d(pmap[pid]["start_date"]), d(pmap[pid]["end_date"])
        date = draw_date(rng, lo, hi, b["date"], b["where"])
        amount = sum(l["quantity"] * l["unit_price"] for l in b["lines"])
        if abs(amount - round(amount)) > 1e-6:
            die(b["where"] + " amount not integral: %r" % amount)
        bill = {"id": None, "supplier_name": name, "supplier_rut": rut_spell(body, rng, 0.5),
                "invoice_description": b["desc"], "lines": b["lines"], "amount": int(round(amount)),
                "issue_date": date.isoformat(), "purchase_order": b["po"],
                "expected_project_id": pid, "difficulty": None}
        tags = set(HAND_TAGS[t] for t in b["tags"])
        if pid is None:
            tags.add("overhead")
        c = counts.get(body)
        if c and len(c) >= 2 and c.get(pid, 0) < max(c.values()):
            tags.add("shared-supplier")
        if pid is not None and any(carries(bill, core) for core in cores[pid]):
            tags.add("po-reference")
        for other, cs in cores.items():
            if other != pid and any(carries(bill, core) for core in cs):
                die(b["where"] + " carries the reference of project %d" % other)
        if "client-only" in tags:
            if pid is None or sum(1 for p in projects if p["client"] == pmap[pid]["client"]) != 1:
                die(b["where"] + " client-only but client not unique")
        if not tags:
            tags.add("plain")
        bill["difficulty"] = [t for t in TAG_ORDER if t in tags]
        bills.append(bill)

    rng.shuffle(bills)
    for i, bill in enumerate(bills, 1):
        bill["id"] = "%s%03d" % (idp, i)

    out = {"company": {"name": comp["name"], "rut": rut_dotted(comp["rut"]) + "-" + rut_dv(comp["rut"]),
                       "trade": comp["trade"]},
           "projects": projects, "history": history, "bills": bills}
    with open(os.path.join(HERE, "..", outname), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    print("wrote %s: %d projects, %d history rows, %d bills" % (outname, len(projects), len(history), len(bills)))


def main():
    for prefix, outname, idp, seed in COMPANIES:
        build(prefix, outname, idp, seed)


if __name__ == "__main__":
    main()
