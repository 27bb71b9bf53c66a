#!/usr/bin/env python3
"""Mechanical builder for the blind-v34 evaluation set.

Reads the hand-written sources in src/ and writes signage.json, motors.json
and shiprepair.json next to this script.  It only does mechanical work:
RUT check digits and spellings, line amounts, dates inside windows, the
rule-based tags (overhead, shared-supplier, po-reference, plain), shuffling
and numbering.  Fixed seeds: two runs give byte-identical files.

Source formats (one set per company, prefix = signage|motors|shiprepair):
  <p>_company.txt    key: value   (name, rut, trade, seed, prefix, first_id)
  <p>_projects.txt   blocks starting with "@ <id>", then key: value lines
                     (name, code, client, location, description, keywords
                     separated by " ;; ", budget, start, end)
  <p>_suppliers.txt  key | name | rut body (digits, no check digit)
  <p>_history.txt    key | project id or - | description
  <p>_bills.txt      blocks:  > key | project id or - | hand tags | PO | [date]
                              D: invoice description
                              L: description | quantity | unit | unit price
                     hand tags: place, trade, typo, client (comma separated)
Lines starting with # are comments.
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
COMPANIES = ["signage", "motors", "shiprepair"]
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
HAND_TAGS = {"place": "place-variant", "trade": "trade-vocabulary",
             "typo": "typo", "client": "client-only"}
OVERHEAD_FROM = date(2025, 1, 1)
OVERHEAD_TO = date(2026, 12, 31)


def fail(msg):
    print("BUILD ERROR: " + msg, file=sys.stderr)
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


def rut_std(body):
    return dotted(body) + "-" + dv(body)


def rut_variant(body, rng):
    d = dv(body)
    style = rng.choice(["dots", "dots", "plain", "plain", "dots_space"])
    if d == "K" and rng.random() < 0.5:
        d = "k"
    if style == "dots":
        return dotted(body) + "-" + d
    if style == "plain":
        return str(body) + "-" + d
    return dotted(body) + " - " + d if rng.random() < 0.3 else dotted(body) + "-" + d


def norm(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return re.sub(r"[^0-9A-Z]", "", s.upper())


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [ln.rstrip("\n") for ln in f]


def parse_kv(path):
    out = {}
    for ln in read_lines(path):
        if not ln.strip() or ln.lstrip().startswith("#"):
            continue
        k, v = ln.split(":", 1)
        out[k.strip()] = v.strip()
    return out


def parse_projects(path):
    projects, cur = [], None
    for ln in read_lines(path):
        if not ln.strip() or ln.lstrip().startswith("#"):
            continue
        if ln.startswith("@"):
            cur = {"id": int(ln[1:].strip())}
            projects.append(cur)
            continue
        k, v = ln.split(":", 1)
        cur[k.strip()] = v.strip()
    out = []
    for p in projects:
        for k in ["name", "code", "client", "location", "description", "keywords",
                  "budget", "start", "end"]:
            if k not in p:
                fail("%s: project %s lacks %s" % (path, p["id"], k))
        out.append({
            "id": p["id"], "name": p["name"], "code": p["code"], "client": p["client"],
            "location": p["location"], "description": p["description"],
            "keywords": [k.strip() for k in p["keywords"].split(";;") if k.strip()],
            "budget": int(p["budget"].replace(".", "").replace("_", "")),
            "start_date": p["start"], "end_date": p["end"]})
    return out


def parse_suppliers(path):
    sup = {}
    for ln in read_lines(path):
        if not ln.strip() or ln.lstrip().startswith("#"):
            continue
        parts = [x.strip() for x in ln.split("|")]
        if len(parts) != 3:
            fail("%s: bad supplier line %r" % (path, ln))
        key, name, body = parts
        if key in sup:
            fail("%s: duplicate supplier key %s" % (path, key))
        sup[key] = {"name": name, "body": int(body.replace(".", ""))}
    bodies = [s["body"] for s in sup.values()]
    if len(set(bodies)) != len(bodies):
        fail("%s: duplicate RUT body" % path)
    names = [s["name"] for s in sup.values()]
    if len(set(names)) != len(names):
        fail("%s: duplicate supplier name" % path)
    return sup


def parse_pid(s):
    s = s.strip()
    return None if s == "-" else int(s)


def parse_history(path, sup):
    rows = []
    for ln in read_lines(path):
        if not ln.strip() or ln.lstrip().startswith("#"):
            continue
        parts = [x.strip() for x in ln.split("|", 2)]
        if len(parts) != 3:
            fail("%s: bad history line %r" % (path, ln))
        key, pid, text = parts
        if key not in sup:
            fail("%s: unknown supplier %s" % (path, key))
        rows.append((key, parse_pid(pid), text))
    return rows


def num(s):
    s = s.strip()
    d = Decimal(s)
    return d


def parse_bills(path, sup):
    bills, cur = [], None
    for i, ln in enumerate(read_lines(path), 1):
        if not ln.strip() or ln.lstrip().startswith("#"):
            continue
        if ln.startswith(">"):
            parts = [x.strip() for x in ln[1:].split("|")]
            while len(parts) < 5:
                parts.append("")
            key, pid, tags, po, dt = parts[:5]
            if key not in sup:
                fail("%s:%d unknown supplier %s" % (path, i, key))
            hand = []
            for t in [x.strip() for x in tags.split(",") if x.strip()]:
                if t not in HAND_TAGS:
                    fail("%s:%d unknown tag %s" % (path, i, t))
                hand.append(HAND_TAGS[t])
            cur = {"key": key, "pid": parse_pid(pid), "hand": hand, "po": po,
                   "date": dt, "desc": None, "lines": [], "src_line": i}
            bills.append(cur)
        elif ln.startswith("D:"):
            cur["desc"] = ln[2:].strip()
        elif ln.startswith("L:"):
            parts = [x.strip() for x in ln[2:].split("|")]
            if len(parts) != 4:
                fail("%s:%d bad line %r" % (path, i, ln))
            d, q, u, p = parts
            cur["lines"].append((d, num(q), u, int(p.replace(".", ""))))
        else:
            fail("%s:%d unparsed %r" % (path, i, ln))
    for b in bills:
        if not b["desc"] or not b["lines"]:
            fail("%s:%d bill without description or lines" % (path, b["src_line"]))
    return bills


def qty_json(q):
    if q == q.to_integral_value():
        return int(q)
    return float(q)


def build_company(prefix):
    comp = parse_kv(os.path.join(SRC, prefix + "_company.txt"))
    projects = parse_projects(os.path.join(SRC, prefix + "_projects.txt"))
    sup = parse_suppliers(os.path.join(SRC, prefix + "_suppliers.txt"))
    hist = parse_history(os.path.join(SRC, prefix + "_history.txt"), sup)
    bills = parse_bills(os.path.join(SRC, prefix + "_bills.txt"), sup)
    rng = random.Random(int(comp["seed"]))
    pmap = {p["id"]: p for p in projects}
    first = int(comp["first_id"])
    if sorted(pmap) != list(range(first, first + 30)):
        fail("%s: project ids must be %d..%d" % (prefix, first, first + 29))
    cores = {}
    for p in projects:
        for k in p["keywords"]:
            c = norm(k)
            if len(c) < 7:
                fail("%s: keyword too short %r" % (prefix, k))
            if c in cores and cores[c] != p["id"]:
                fail("%s: keyword %r used twice" % (prefix, k))
            cores[c] = p["id"]

    # history
    counts = {}
    for key, pid, text in hist:
        if pid is not None and pid not in pmap:
            fail("%s: history row for unknown project %s" % (prefix, pid))
        for c, owner in cores.items():
            if c in norm(text) and owner != pid:
                fail("%s: history row carries keyword of %s: %r" % (prefix, owner, text))
        counts.setdefault(key, {})
        counts[key][pid] = counts[key].get(pid, 0) + 1
    hist_rows = [{"supplier_name": sup[k]["name"], "supplier_rut": rut_std(sup[k]["body"]),
                  "description": t, "project_id": pid} for k, pid, t in hist]
    rng.shuffle(hist_rows)

    out_bills = []
    for b in bills:
        pid = b["pid"]
        if pid is not None and pid not in pmap:
            fail("%s: bill (src line %d) for unknown project %s" % (prefix, b["src_line"], pid))
        hay = norm(" ".join([b["po"], b["desc"]] + [l[0] for l in b["lines"]]))
        carried = {owner for c, owner in cores.items() if c in hay}
        if carried - {pid}:
            fail("%s: bill src line %d carries keyword of %s" % (prefix, b["src_line"], carried))
        tags = set(b["hand"])
        if pid is None:
            tags.add("overhead")
        if pid is not None and pid in carried:
            tags.add("po-reference")
        hc = counts.get(b["key"], {})
        if len(hc) >= 2 and hc.get(pid, 0) < max(hc.values()):
            tags.add("shared-supplier")
        if "client-only" in tags:
            cl = pmap[pid]["client"]
            if sum(1 for p in projects if p["client"] == cl) != 1:
                fail("%s: client-only bill src line %d but client has several projects" % (prefix, b["src_line"]))
        if not tags:
            tags.add("plain")
        # date
        if b["date"]:
            d = date.fromisoformat(b["date"])
        else:
            if pid is None:
                lo, hi = OVERHEAD_FROM, OVERHEAD_TO
            else:
                lo = date.fromisoformat(pmap[pid]["start_date"])
                hi = date.fromisoformat(pmap[pid]["end_date"])
            d = lo + timedelta(days=rng.randint(0, (hi - lo).days))
        if pid is None:
            ok = OVERHEAD_FROM <= d <= OVERHEAD_TO
        else:
            ok = (date.fromisoformat(pmap[pid]["start_date"]) <= d <=
                  date.fromisoformat(pmap[pid]["end_date"]))
        if not ok:
            fail("%s: bill src line %d date %s outside window" % (prefix, b["src_line"], d))
        total = sum(q * p for _, q, _, p in b["lines"])
        if total != total.to_integral_value():
            fail("%s: bill src line %d amount not integer" % (prefix, b["src_line"]))
        out_bills.append({
            "supplier_name": sup[b["key"]]["name"],
            "supplier_rut": rut_variant(sup[b["key"]]["body"], rng),
            "invoice_description": b["desc"],
            "lines": [{"description": d_, "quantity": qty_json(q), "unit": u, "unit_price": p}
                      for d_, q, u, p in b["lines"]],
            "amount": int(total),
            "issue_date": d.isoformat(),
            "purchase_order": b["po"],
            "expected_project_id": pid,
            "difficulty": [t for t in TAG_ORDER if t in tags]})
    rng.shuffle(out_bills)
    for i, b in enumerate(out_bills, 1):
        b_id = "%s%03d" % (comp["prefix"], i)
        out_bills[i - 1] = dict([("id", b_id)] + list(b.items()))

    company = {"name": comp["name"], "rut": rut_std(int(comp["rut"])), "trade": comp["trade"]}
    return {"company": company, "projects": projects, "history": hist_rows, "bills": out_bills}


def main():
    only = sys.argv[1:] or COMPANIES
    for prefix in only:
        if not os.path.exists(os.path.join(SRC, prefix + "_company.txt")):
            print("skip %s (no sources yet)" % prefix)
            continue
        data = build_company(prefix)
        path = os.path.join(HERE, "..", prefix + ".json")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        print("wrote %s: %d projects, %d history, %d bills" % (
            os.path.basename(path), len(data["projects"]), len(data["history"]), len(data["bills"])))


if __name__ == "__main__":
    main()
