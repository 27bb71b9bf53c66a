#!/usr/bin/env python3
"""Mechanical assembly of the blind evaluation set.

All hand-written content lives in src/*.txt.  This script only:
  * computes RUT check digits (modulo 11) and spells RUTs in varied ways,
  * computes bill amounts (exact sum of quantity * unit_price),
  * draws issue dates inside the expected project's window (fixed seed),
  * sets the rule-based tags (overhead, shared-supplier, po-reference, plain),
  * shuffles history and bills (fixed seed) and numbers the bills,
and writes rockfall.json, consulting.json, kitchens.json next to itself.
Standard library only; two runs give byte-identical files.
"""
import datetime
import json
import os
import random
import re
import sys
import unicodedata
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

COMPANIES = [
    # (file stem, bill prefix, first project id, seed)
    ("rockfall", "R", 5401, 5401),
    ("consulting", "C", 5501, 5501),
    ("kitchens", "K", 5601, 5601),
]

HAND_TAGS = {"pv": "place-variant", "tv": "trade-vocabulary",
             "co": "client-only", "ty": "typo"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]

GLOBAL_START = datetime.date(2025, 1, 1)
GLOBAL_END = datetime.date(2026, 12, 31)


class SrcError(Exception):
    pass


# ---------------------------------------------------------------- RUT helpers
def rut_dv(body):
    total, mult = 0, 2
    for ch in reversed(str(body)):
        total += int(ch) * mult
        mult = 2 if mult == 7 else mult + 1
    r = 11 - total % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut_dotted(body):
    return "{:,}".format(int(body)).replace(",", ".") + "-" + rut_dv(body)


def rut_variant(body, rng):
    dv = rut_dv(body)
    style = rng.choice(["dotted", "dotted", "plain", "plain", "plain-lower"])
    if style == "dotted":
        return rut_dotted(body)
    if style == "plain-lower" and dv == "K":
        return "{}-k".format(body)
    return "{}-{}".format(body, dv)


# ---------------------------------------------------------------- text helpers
def norm_ident(text):
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Z0-9]", "", t.upper())


def read_lines(path):
    with open(path, encoding="utf-8") as fh:
        for num, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").strip()
            if not line or line.startswith("#"):
                continue
            yield num, line


def parse_company(stem):
    path = os.path.join(SRC, stem + "_company.txt")
    company, projects, cur = None, [], None
    for num, line in read_lines(path):
        if line.startswith("["):
            head = line.strip("[]").split()
            if head[0] == "company":
                company, cur = {}, None
                cur = company
            elif head[0] == "project":
                cur = {"id": int(head[1])}
                projects.append(cur)
            else:
                raise SrcError("%s:%d unknown section" % (path, num))
            continue
        key, _, val = line.partition(":")
        if not _:
            raise SrcError("%s:%d expected key: value" % (path, num))
        cur[key.strip()] = val.strip()
    out_projects = []
    for p in projects:
        out_projects.append({
            "id": p["id"],
            "name": p["name"],
            "code": p["code"],
            "client": p["client"],
            "location": p["location"],
            "description": p["description"],
            "keywords": [k.strip() for k in p["keywords"].split(";") if k.strip()],
            "budget": int(p["budget"].replace("_", "")),
            "start_date": p["start"],
            "end_date": p["end"],
        })
    comp = {"name": company["name"], "rut": rut_dotted(company["rut"]),
            "trade": company["trade"]}
    return comp, out_projects


def parse_suppliers(stem):
    path = os.path.join(SRC, stem + "_suppliers.txt")
    sup = {}
    for num, line in read_lines(path):
        parts = [x.strip() for x in line.split("|")]
        if len(parts) != 3:
            raise SrcError("%s:%d bad supplier line" % (path, num))
        code, body, name = parts
        if code in sup:
            raise SrcError("%s:%d duplicate supplier code %s" % (path, num, code))
        sup[code] = {"body": int(body.replace(".", "")), "name": name}
    bodies = [s["body"] for s in sup.values()]
    if len(set(bodies)) != len(bodies):
        raise SrcError("duplicate supplier RUT body in " + path)
    return sup


def parse_pid(txt, pids, where):
    txt = txt.strip()
    if txt == "-":
        return None
    pid = int(txt)
    if pid not in pids:
        raise SrcError("%s unknown project %s" % (where, txt))
    return pid


def parse_history(stem, sup, pids):
    path = os.path.join(SRC, stem + "_history.txt")
    rows = []
    for num, line in read_lines(path):
        parts = [x.strip() for x in line.split("|")]
        if len(parts) != 3:
            raise SrcError("%s:%d bad history line" % (path, num))
        code, pid, text = parts
        if code not in sup:
            raise SrcError("%s:%d unknown supplier %s" % (path, num, code))
        rows.append({"code": code, "pid": parse_pid(pid, pids, "%s:%d" % (path, num)),
                     "text": text})
    return rows


def parse_bills(stem, sup, pids):
    path = os.path.join(SRC, stem + "_bills.txt")
    bills, cur = [], None
    for num, line in read_lines(path):
        where = "%s:%d" % (path, num)
        if line.startswith(">"):
            parts = [x.strip() for x in line[1:].split("|")]
            if len(parts) not in (4, 5):
                raise SrcError(where + " bad bill header")
            code, pid, tags, po = parts[:4]
            date = parts[4] if len(parts) == 5 else ""
            if code not in sup:
                raise SrcError("%s unknown supplier %s" % (where, code))
            tagset = []
            for t in tags.split():
                if t == ".":
                    continue
                if t not in HAND_TAGS:
                    raise SrcError("%s unknown tag %s" % (where, t))
                tagset.append(HAND_TAGS[t])
            cur = {"code": code, "pid": parse_pid(pid, pids, where), "tags": tagset,
                   "po": po, "date": date, "desc": None, "lines": [], "where": where}
            bills.append(cur)
        elif line.startswith("D "):
            cur["desc"] = line[2:].strip()
        elif line.startswith("L "):
            parts = [x.strip() for x in line[2:].split("|")]
            if len(parts) != 4:
                raise SrcError(where + " bad line item")
            desc, qty, unit, price = parts
            cur["lines"].append((desc, Decimal(qty), unit, int(price)))
        else:
            raise SrcError(where + " unparsed line")
    for b in bills:
        if not b["desc"] or not b["lines"]:
            raise SrcError(b["where"] + " bill without description or lines")
    return bills


def qty_json(q):
    if q == q.to_integral_value():
        return int(q)
    return float(q)


def to_date(s):
    return datetime.date.fromisoformat(s)


def build_company(stem, prefix, first_id, seed):
    comp, projects = parse_company(stem)
    ids = [p["id"] for p in projects]
    if ids != list(range(first_id, first_id + 30)):
        raise SrcError(stem + ": project ids must be %d..%d in order" % (first_id, first_id + 29))
    pids = set(ids)
    pmap = {p["id"]: p for p in projects}
    sup = parse_suppliers(stem)
    hist = parse_history(stem, sup, pids)
    bills = parse_bills(stem, sup, pids)

    # supplier history counts keyed by supplier code
    hcount = {}
    for h in hist:
        hcount.setdefault(h["code"], {})
        hcount[h["code"]][h["pid"]] = hcount[h["code"]].get(h["pid"], 0) + 1

    kw_cores = {p["id"]: [norm_ident(k) for k in p["keywords"]] for p in projects}

    rng = random.Random(seed)
    out_bills = []
    for b in bills:
        pid = b["pid"]
        # ---- date
        if pid is None:
            lo, hi = GLOBAL_START, GLOBAL_END
        else:
            lo = max(GLOBAL_START, to_date(pmap[pid]["start_date"]))
            hi = min(GLOBAL_END, to_date(pmap[pid]["end_date"]))
        if b["date"]:
            d = to_date(b["date"])
            if not lo <= d <= hi:
                raise SrcError(b["where"] + " explicit date outside window")
        else:
            d = lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))
        # ---- amount
        lines, total = [], Decimal(0)
        for desc, q, unit, price in b["lines"]:
            total += q * price
            lines.append({"description": desc, "quantity": qty_json(q), "unit": unit,
                          "unit_price": price})
        if total != total.to_integral_value():
            raise SrcError(b["where"] + " amount is not an integer: %s" % total)
        # ---- rule tags
        tags = set(b["tags"])
        if pid is None:
            tags.add("overhead")
        counts = hcount.get(b["code"], {})
        if len(counts) >= 2 and counts.get(pid, 0) < max(counts.values()):
            tags.add("shared-supplier")
        fields = [b["po"], b["desc"]] + [l[0] for l in b["lines"]]
        normed = [norm_ident(f) for f in fields]
        for other, cores in kw_cores.items():
            hit = any(c in n for c in cores for n in normed)
            if hit and other != pid:
                raise SrcError(b["where"] + " carries keyword of project %d" % other)
            if hit and other == pid:
                tags.add("po-reference")
        if not tags:
            tags.add("plain")
        s = sup[b["code"]]
        out_bills.append({
            "id": None,
            "supplier_name": s["name"],
            "supplier_rut": rut_variant(s["body"], rng),
            "invoice_description": b["desc"],
            "lines": lines,
            "amount": int(total),
            "issue_date": d.isoformat(),
            "purchase_order": b["po"],
            "expected_project_id": pid,
            "difficulty": [t for t in TAG_ORDER if t in tags],
        })

    rng.shuffle(out_bills)
    for i, b in enumerate(out_bills, 1):
        b["id"] = "%s%03d" % (prefix, i)

    out_hist = [{"supplier_name": sup[h["code"]]["name"],
                 "supplier_rut": rut_dotted(sup[h["code"]]["body"]),
                 "description": h["text"],
                 "project_id": h["pid"]} for h in hist]
    rng.shuffle(out_hist)

    data = {"company": comp, "projects": projects, "history": out_hist, "bills": out_bills}
    path = os.path.join(HERE, "..", stem + ".json")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, indent=2))
        fh.write("\n")
    return path


def main():
    only = sys.argv[1:]
    for stem, prefix, first_id, seed in COMPANIES:
        if only and stem not in only:
            continue
        if not os.path.exists(os.path.join(SRC, stem + "_bills.txt")):
            print("skip %s (no source yet)" % stem)
            continue
        try:
            print("wrote", build_company(stem, prefix, first_id, seed))
        except SrcError as exc:
            print("ERROR:", exc)
            sys.exit(1)


if __name__ == "__main__":
    main()
