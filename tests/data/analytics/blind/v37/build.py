#!/usr/bin/env python3
"""Mechanical build of the blind-v37 evaluation set.

Reads the hand-written content in src/*.txt and writes archaeology.json,
sludge.json and pivots.json next to this script.  It only does mechanical
work: RUT check digits and spellings, line amounts, issue dates inside the
project window, the rule-based tags, shuffling and numbering.  Fixed seeds:
two runs give byte-identical files.  Standard library only.
"""
import datetime
import json
import os
import random
import re
import sys
import unicodedata
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
COMPANIES = ["arch", "sludge", "pivots"]
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
MANUAL = {"pv": "place-variant", "tv": "trade-vocabulary", "ty": "typo",
          "co": "client-only"}
OVERHEAD_FROM = datetime.date(2025, 1, 1)
OVERHEAD_TO = datetime.date(2026, 12, 31)


def die(msg):
    sys.stderr.write("build.py: " + msg + "\n")
    sys.exit(1)


def dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def rut_dotted(body):
    b = str(body)
    parts = []
    while len(b) > 3:
        parts.insert(0, b[-3:])
        b = b[:-3]
    parts.insert(0, b)
    return ".".join(parts) + "-" + dv(body)


def rut_plain(body):
    return str(body) + "-" + dv(body)


def norm(text):
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", t.upper())


def identifier(keyword):
    toks = keyword.split()
    for i, tok in enumerate(toks):
        if re.search(r"\d", tok):
            return norm("".join(toks[i:]))
    return ""


def read_lines(name):
    path = os.path.join(SRC, name)
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip()
            if not line.strip() or line.lstrip().startswith("#"):
                yield n, ""
                continue
            yield n, line


def parse_kv_blocks(name):
    blocks, cur = [], {}
    for n, line in read_lines(name):
        if not line:
            if cur:
                blocks.append(cur)
                cur = {}
            continue
        if ":" not in line:
            die("%s:%d: expected key: value" % (name, n))
        k, v = line.split(":", 1)
        cur[k.strip()] = v.strip()
    if cur:
        blocks.append(cur)
    return blocks


def parse_date(s, where):
    try:
        return datetime.date.fromisoformat(s)
    except ValueError:
        die("%s: bad date %r" % (where, s))


def num(s, where):
    s = s.strip().replace(",", ".")
    try:
        f = Fraction(s)
    except ValueError:
        die("%s: bad number %r" % (where, s))
    return f


def build_company(key):
    comp = parse_kv_blocks(key + "_company.txt")[0]
    seed = int(comp["seed"])
    rng = random.Random(seed)
    base = int(comp["id_base"])
    prefix = comp["bill_prefix"]

    # projects
    projects = []
    for b in parse_kv_blocks(key + "_projects.txt"):
        p = {
            "id": int(b["id"]),
            "name": b["name"],
            "code": b["code"],
            "client": b["client"],
            "location": b["location"],
            "description": b["description"],
            "keywords": [k.strip() for k in b["keywords"].split(";") if k.strip()],
            "budget": int(b["budget"].replace(".", "")),
            "start_date": b["start"],
            "end_date": b["end"],
        }
        parse_date(p["start_date"], p["code"])
        parse_date(p["end_date"], p["code"])
        projects.append(p)
    projects.sort(key=lambda p: p["id"])
    ids = [p["id"] for p in projects]
    if ids != list(range(base, base + 30)):
        die("%s: project ids must be %d..%d" % (key, base, base + 29))
    by_id = {p["id"]: p for p in projects}
    idents = {p["id"]: [identifier(k) for k in p["keywords"]] for p in projects}

    # suppliers
    sup = {}
    for n, line in read_lines(key + "_suppliers.txt"):
        if not line:
            continue
        parts = [x.strip() for x in line.split("|")]
        if len(parts) != 3:
            die("%s_suppliers.txt:%d: need CODE | name | rut body" % (key, n))
        code, name, body = parts
        if code in sup:
            die("duplicate supplier code " + code)
        sup[code] = (name, int(body))
    bodies = [v[1] for v in sup.values()]
    if len(set(bodies)) != len(bodies):
        die(key + ": duplicate supplier RUT body")

    def pid_of(s, where):
        s = s.strip()
        if s == "-":
            return None
        v = int(s)
        if v not in by_id:
            die("%s: unknown project %s" % (where, s))
        return v

    # history
    history = []
    for n, line in read_lines(key + "_history.txt"):
        if not line:
            continue
        parts = [x.strip() for x in line.split("|")]
        if len(parts) != 3:
            die("%s_history.txt:%d: need CODE | PID | text" % (key, n))
        code, pid, text = parts
        if code not in sup:
            die("%s_history.txt:%d: unknown supplier %s" % (key, n, code))
        name, body = sup[code]
        history.append({"supplier_name": name, "supplier_rut": rut_dotted(body),
                        "description": text,
                        "project_id": pid_of(pid, "%s_history.txt:%d" % (key, n))})

    # bills
    raw_bills, cur = [], None
    for n, line in read_lines(key + "_bills.txt"):
        if not line:
            continue
        where = "%s_bills.txt:%d" % (key, n)
        if line.startswith("@"):
            parts = [x.strip() for x in line[1:].split("|")]
            while len(parts) < 5:
                parts.append("")
            code, pid, po, tags, date = parts[:5]
            if code not in sup:
                die(where + ": unknown supplier " + code)
            manual = []
            for t in [t.strip() for t in tags.split(",") if t.strip()]:
                if t not in MANUAL:
                    die(where + ": unknown tag " + t)
                manual.append(MANUAL[t])
            cur = {"code": code, "pid": pid_of(pid, where), "po": po,
                   "manual": manual, "date": date, "desc": None, "lines": [],
                   "where": where}
            raw_bills.append(cur)
        elif line.startswith("D "):
            cur["desc"] = line[2:].strip()
        elif line.startswith("L "):
            parts = [x.strip() for x in line[2:].split("|")]
            if len(parts) != 4:
                die(where + ": need L qty | unit | price | text")
            q = num(parts[0], where)
            price = int(parts[2].replace(".", ""))
            cur["lines"].append((q, parts[1], price, parts[3]))
        else:
            die(where + ": unexpected line")

    # supplier history statistics
    hist_counts = {}
    for h in history:
        hist_counts.setdefault(h["supplier_rut"], {})
        c = hist_counts[h["supplier_rut"]]
        c[h["project_id"]] = c.get(h["project_id"], 0) + 1

    bills = []
    for rb in raw_bills:
        where = rb["where"]
        if not rb["desc"] or not rb["lines"]:
            die(where + ": bill needs D and at least one L line")
        name, body = sup[rb["code"]]
        pid = rb["pid"]
        # date
        if pid is None:
            lo, hi = OVERHEAD_FROM, OVERHEAD_TO
        else:
            lo = datetime.date.fromisoformat(by_id[pid]["start_date"])
            hi = datetime.date.fromisoformat(by_id[pid]["end_date"])
        if rb["date"]:
            d = parse_date(rb["date"], where)
            if not (lo <= d <= hi):
                die(where + ": date outside window")
        else:
            d = lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))
        # RUT spelling
        rut = rut_dotted(body) if rng.random() < 0.6 else rut_plain(body)
        lines, total = [], Fraction(0)
        for q, unit, price, text in rb["lines"]:
            total += q * price
            qv = int(q) if q.denominator == 1 else float(q)
            if not isinstance(qv, int) and Fraction(str(qv)) != q:
                die(where + ": quantity not exact")
            lines.append({"description": text, "quantity": qv, "unit": unit,
                          "unit_price": price})
        if total.denominator != 1:
            die(where + ": amount not integer: %s" % total)
        # tags
        tags = set(rb["manual"])
        if pid is None:
            tags.add("overhead")
        hc = hist_counts.get(rut_dotted(body), {})
        if len(hc) >= 2 and hc.get(pid, 0) < max(hc.values()):
            tags.add("shared-supplier")
        text = norm(" ".join([rb["po"], rb["desc"]] + [l[3] for l in rb["lines"]]))
        for p2, ids2 in idents.items():
            hit = any(i and i in text for i in ids2)
            if hit and p2 != pid:
                die(where + ": carries identifier of project %d" % p2)
            if hit and p2 == pid:
                tags.add("po-reference")
        if "client-only" in tags:
            cl = by_id[pid]["client"]
            if sum(1 for p in projects if p["client"] == cl) != 1:
                die(where + ": client-only but client has several projects")
        if not tags:
            tags.add("plain")
        bills.append({
            "supplier_name": name,
            "supplier_rut": rut,
            "invoice_description": rb["desc"],
            "lines": lines,
            "amount": int(total),
            "issue_date": d.isoformat(),
            "purchase_order": rb["po"],
            "expected_project_id": pid,
            "difficulty": [t for t in TAG_ORDER if t in tags],
        })

    rng.shuffle(history)
    rng.shuffle(bills)
    out_bills = []
    for i, b in enumerate(bills, 1):
        out_bills.append(dict([("id", "%s%03d" % (prefix, i))] + list(b.items())))
    data = {
        "company": {"name": comp["name"], "rut": rut_dotted(int(comp["rut"])),
                    "trade": comp["trade"]},
        "projects": projects,
        "history": history,
        "bills": out_bills,
    }
    path = os.path.join(HERE, "..", comp["file"])
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    print("wrote %s: %d projects, %d history, %d bills" %
          (comp["file"], len(projects), len(history), len(out_bills)))


def main():
    only = sys.argv[1:] or COMPANIES
    for key in COMPANIES:
        if key in only and os.path.exists(os.path.join(SRC, key + "_company.txt")):
            build_company(key)


if __name__ == "__main__":
    main()
