#!/usr/bin/env python3
"""Mechanical build of the evaluation dataset from the hand-written sources in src/.

Only mechanical work is done here: RUT check digits and spellings, line amounts,
dates inside the project windows (fixed seeds), rule tags (overhead, shared-supplier,
po-reference, plain), shuffling and numbering.  All text comes from src/*.txt.
Outputs dust.json, wells.json, pvom.json next to this script.
"""
import json
import os
import random
import re
import sys
import unicodedata
from datetime import date, timedelta
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

COMPANIES = [
    # (source file, output file, bill id prefix, id range, seed)
    ("dust.txt", "dust.json", "A", (7801, 7830), 2801),
    ("wells.txt", "wells.json", "W", (7901, 7930), 2901),
    ("pvom.txt", "pvom.json", "P", (8001, 8030), 3001),
]

HAND_TAGS = {"pv": "place-variant", "tv": "trade-vocabulary", "ty": "typo", "co": "client-only"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
OVERHEAD_WINDOW = (date(2025, 1, 2), date(2026, 11, 30))


def die(msg):
    sys.stderr.write("build error: " + msg + "\n")
    sys.exit(1)


def rut_dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut_dotted(body, dv):
    b = str(body)
    parts = []
    while len(b) > 3:
        parts.insert(0, b[-3:])
        b = b[:-3]
    parts.insert(0, b)
    return ".".join(parts) + "-" + dv


def rut_style(body, style):
    dv = rut_dv(body)
    if style == 0:
        return rut_dotted(body, dv)
    if style == 1:
        return "%s-%s" % (body, dv)
    if style == 2:
        return rut_dotted(body, dv.lower())
    return "%s-%s" % (body, dv.lower())


def norm(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9]", "", s).upper()


def identifiers(keyword):
    toks = [t for t in keyword.split() if re.search(r"\d", t)]
    ident = norm("".join(toks))
    if len(ident) < 6:
        die("identifier too short in keyword %r" % keyword)
    return ident


HOLIDAYS = {(1, 1), (5, 1), (9, 18), (9, 19), (12, 25)}


def working_day(d):
    return d.weekday() < 5 and (d.month, d.day) not in HOLIDAYS


def parse_date(s):
    y, m, d = s.split("-")
    return date(int(y), int(m), int(d))


def parse_source(path):
    comp, projects, suppliers, history, bills = {}, [], {}, [], []
    section, cur = None, None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for ln_no, raw in enumerate(lines, 1):
        line = raw.rstrip()
        where = "%s:%d" % (os.path.basename(path), ln_no)
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("@"):
            head = line[1:].split()
            section = head[0]
            if section == "company":
                cur = comp
            elif section == "project":
                cur = {"id": int(head[1])}
                projects.append(cur)
            elif section == "supplier":
                cur = {"key": head[1]}
                if head[1] in suppliers:
                    die("duplicate supplier key %s at %s" % (head[1], where))
                suppliers[head[1]] = cur
            elif section in ("history", "bills"):
                cur = None
            else:
                die("unknown section at " + where)
            continue
        if section in ("company", "project", "supplier"):
            if ":" not in line:
                die("expected key: value at " + where)
            k, v = line.split(":", 1)
            k, v = k.strip(), v.strip()
            if k in cur:
                die("duplicate field %s at %s" % (k, where))
            cur[k] = v
        elif section == "history":
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3:
                die("history row needs 3 fields at " + where)
            history.append({"sup": parts[0], "proj": parts[1], "text": parts[2], "where": where})
        elif section == "bills":
            if line.startswith(">"):
                parts = [p.strip() for p in line[1:].split("|")]
                if len(parts) != 6:
                    die("bill header needs 6 fields at " + where)
                cur = {"sup": parts[0], "proj": parts[1], "date": parts[2], "po": parts[3],
                       "tags": [t.strip() for t in parts[4].split(",") if t.strip()],
                       "text": parts[5], "lines": [], "where": where}
                bills.append(cur)
            else:
                parts = [p.strip() for p in line.split("|")]
                if cur is None or len(parts) != 4:
                    die("bad bill line at " + where)
                cur["lines"].append(parts)
        else:
            die("text outside a section at " + where)
    return comp, projects, suppliers, history, bills


def build_company(src, out, prefix, id_range, seed):
    comp, projects, suppliers, history, bills = parse_source(os.path.join(SRC, src))
    rng = random.Random(seed)
    pids = [p["id"] for p in projects]
    if sorted(pids) != list(range(id_range[0], id_range[1] + 1)):
        die("%s: project ids must be exactly %s..%s" % (src, id_range[0], id_range[1]))
    windows = {}
    out_projects = []
    ident_of = {}
    for p in sorted(projects, key=lambda x: x["id"]):
        for k in ("name", "code", "client", "location", "description", "keywords", "budget", "window"):
            if k not in p:
                die("project %s lacks %s" % (p["id"], k))
        a, b = p["window"].split()
        da, db = parse_date(a), parse_date(b)
        if not (date(2025, 1, 1) <= da <= db <= date(2026, 12, 31)):
            die("project %s window out of range" % p["id"])
        windows[p["id"]] = (da, db)
        kws = [k.strip() for k in p["keywords"].split(";") if k.strip()]
        ident_of[p["id"]] = [identifiers(k) for k in kws]
        out_projects.append({
            "id": p["id"], "name": p["name"], "code": p["code"], "client": p["client"],
            "location": p["location"], "description": p["description"], "keywords": kws,
            "budget": int(p["budget"]), "start_date": a, "end_date": b})

    def sup(key, where):
        if key not in suppliers:
            die("unknown supplier %s at %s" % (key, where))
        s = suppliers[key]
        if not re.fullmatch(r"\d{7,8}", s.get("rut", "")):
            die("supplier %s rut body must be 7-8 digits" % key)
        return s

    def pid(v, where):
        if v == "-":
            return None
        v = int(v)
        if v not in windows:
            die("unknown project %s at %s" % (v, where))
        return v

    out_history = []
    hist_by_rut = {}
    for h in history:
        s = sup(h["sup"], h["where"])
        p = pid(h["proj"], h["where"])
        out_history.append({"supplier_name": s["name"],
                            "supplier_rut": rut_style(s["rut"], 0),
                            "description": h["text"], "project_id": p})
        hist_by_rut.setdefault(s["rut"], []).append(p)

    style_counter = {}
    out_bills = []
    for b in bills:
        s = sup(b["sup"], b["where"])
        p = pid(b["proj"], b["where"])
        # date
        if b["date"] == "*":
            lo, hi = windows[p] if p is not None else OVERHEAD_WINDOW
            d = lo + timedelta(days=rng.randint(0, (hi - lo).days))
            # invoices are issued on working days: move weekends and fixed holidays
            step = 1
            while not working_day(d):
                nd = d + timedelta(days=step)
                if nd > hi:
                    step = -1
                    nd = d - timedelta(days=1)
                d = nd
        else:
            d = parse_date(b["date"])
            lo, hi = windows[p] if p is not None else (date(2025, 1, 1), date(2026, 12, 31))
            if not lo <= d <= hi:
                die("date outside window at " + b["where"])
            if not working_day(d):
                die("explicit date is not a working day at " + b["where"])
        # lines and amount
        out_lines, total = [], Fraction(0)
        if not b["lines"]:
            die("bill without lines at " + b["where"])
        for desc, q, unit, price in b["lines"]:
            qf = Fraction(q.replace(",", "."))
            total += qf * int(price)
            qnum = int(qf) if qf.denominator == 1 else float(q.replace(",", "."))
            out_lines.append({"description": desc, "quantity": qnum, "unit": unit,
                              "unit_price": int(price)})
        if total.denominator != 1:
            die("non-integer amount at " + b["where"])
        # rut spelling: cycle styles per supplier, seeded start
        body = s["rut"]
        if body not in style_counter:
            style_counter[body] = rng.randint(0, 1)
        i = style_counter[body]
        style_counter[body] += 1
        st = i % 2
        if rut_dv(body) == "K" and rng.random() < 0.5:
            st += 2
        # tags
        tags = set()
        for t in b["tags"]:
            if t not in HAND_TAGS:
                die("unknown hand tag %s at %s" % (t, b["where"]))
            tags.add(HAND_TAGS[t])
        if p is None:
            tags.add("overhead")
        hist = hist_by_rut.get(body, [])
        if hist and len(set(hist)) >= 2:
            counts = {}
            for x in hist:
                counts[x] = counts.get(x, 0) + 1
            if counts.get(p, 0) < max(counts.values()):
                tags.add("shared-supplier")
        text_norm = "|".join(norm(x) for x in [b["po"], b["text"]] + [l[0] for l in b["lines"]])
        for q, ids in ident_of.items():
            hit = any(i_ in text_norm for i_ in ids)
            if hit and q != p:
                die("bill at %s carries identifier of project %s" % (b["where"], q))
            if hit and q == p:
                tags.add("po-reference")
        if not tags:
            tags.add("plain")
        out_bills.append({"supplier_name": s["name"], "supplier_rut": rut_style(body, st),
                          "invoice_description": b["text"], "lines": out_lines,
                          "amount": int(total), "issue_date": d.isoformat(),
                          "purchase_order": b["po"], "expected_project_id": p,
                          "difficulty": [t for t in TAG_ORDER if t in tags]})
    rng.shuffle(out_bills)
    for n, b in enumerate(out_bills, 1):
        b_id = "%s%03d" % (prefix, n)
        out_bills[n - 1] = dict([("id", b_id)] + list(b.items()))
    company = {"name": comp["name"], "rut": rut_style(comp["rut"], 0), "trade": comp["trade"]}
    data = {"company": company, "projects": out_projects, "history": out_history, "bills": out_bills}
    with open(os.path.join(HERE, "..", out), "w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote %s: %d projects, %d history, %d bills" % (out, len(out_projects), len(out_history), len(out_bills)))


def main():
    only = sys.argv[1:]
    for src, out, prefix, rng_ids, seed in COMPANIES:
        if only and out.split(".")[0] not in only:
            continue
        if not os.path.exists(os.path.join(SRC, src)):
            print("skip %s (no source yet)" % src)
            continue
        build_company(src, out, prefix, rng_ids, seed)


if __name__ == "__main__":
    main()
