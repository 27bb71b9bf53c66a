#!/usr/bin/env python3
"""Mechanical builder for the blind-v25 evaluation set.

Reads the hand-written sources in src/*.txt and writes surveying.json,
hydraulics.json and blasting.json next to this script.  It only does
mechanical work: RUT check digits and spellings, line amounts, issue dates
inside the project window, the rule-based tags (overhead, shared-supplier,
po-reference, plain), shuffling and numbering.  Every random choice uses a
fixed seed, so two runs give byte-identical files.

Source format (one record per line, fields separated by '|'):
  @COMPANY   key = value   (name, rut [body only], trade, file, prefix, seed)
  @PROJECTS  id | name | code | client | location | start | end | budget | keywords (' ; ') | description
  @SUPPLIERS KEY | name | rut body (digits, no check digit)
  @HISTORY   KEY | project id or - | past bill text
  @BILLS     KEY | project id or - | hand tags (pv,tv,ty,co; po = assert an identifier is carried) | date hint | purchase order | invoice text | lines
             lines: 'description ; quantity ; unit ; unit price' joined with ' // '
Lines starting with '#' and blank lines are ignored.
"""
import datetime as dt
import json
import os
import random
import re
import sys
import unicodedata
from collections import Counter, OrderedDict
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
COMPANIES = ["surveying", "hydraulics", "blasting"]
HAND_TAGS = {"pv": "place-variant", "tv": "trade-vocabulary", "ty": "typo", "co": "client-only"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
GLOBAL_START = dt.date(2025, 1, 1)
GLOBAL_END = dt.date(2026, 12, 31)


def fail(msg):
    sys.stderr.write("BUILD ERROR: " + msg + "\n")
    sys.exit(1)


def dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def dotted(body):
    b = str(body)
    out = ""
    while len(b) > 3:
        out = "." + b[-3:] + out
        b = b[:-3]
    return b + out


def rut_spelling(body, style):
    d = dv(body)
    if style == 0:
        return "%s-%s" % (dotted(body), d)
    if style == 1:
        return "%s-%s" % (body, d)
    if style == 2:
        return "%s-%s" % (dotted(body), d.lower())
    return "%s-%s" % (body, d.lower())


def norm_id(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", s.upper())


def parse_date(s):
    return dt.date.fromisoformat(s)


def read_source(name):
    path = os.path.join(SRC, name + ".txt")
    data = {"company": {}, "projects": [], "suppliers": OrderedDict(), "history": [], "bills": []}
    section = None
    with open(path, encoding="utf-8") as fh:
        for no, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("@"):
                section = line[1:].strip().upper()
                continue
            where = "%s.txt:%d" % (name, no)
            if section == "COMPANY":
                k, v = [x.strip() for x in line.split("=", 1)]
                data["company"][k] = v
                continue
            f = [x.strip() for x in line.split("|")]
            if section == "PROJECTS":
                if len(f) != 10:
                    fail("%s project needs 10 fields, has %d" % (where, len(f)))
                data["projects"].append(f + [where])
            elif section == "SUPPLIERS":
                if len(f) != 3:
                    fail("%s supplier needs 3 fields" % where)
                if f[0] in data["suppliers"]:
                    fail("%s duplicate supplier key %s" % (where, f[0]))
                data["suppliers"][f[0]] = (f[1], f[2], where)
            elif section == "HISTORY":
                if len(f) != 3:
                    fail("%s history needs 3 fields, has %d" % (where, len(f)))
                data["history"].append(f + [where])
            elif section == "BILLS":
                if len(f) != 7:
                    fail("%s bill needs 7 fields, has %d" % (where, len(f)))
                data["bills"].append(f + [where])
            else:
                fail("%s line outside a section" % where)
    return data


def pid(s, where, ids):
    if s == "-":
        return None
    try:
        v = int(s)
    except ValueError:
        fail("%s bad project id %r" % (where, s))
    if v not in ids:
        fail("%s unknown project id %d" % (where, v))
    return v


def num(s, where):
    try:
        d = Decimal(s)
    except Exception:
        fail("%s bad number %r" % (where, s))
    return d


def build(name):
    src = read_source(name)
    c = src["company"]
    seed = int(c["seed"])
    rng = random.Random(seed)
    prefix = c["prefix"]

    projects = []
    ids = set()
    for (i, pname, code, client, loc, start, end, budget, kws, desc, where) in src["projects"]:
        p = OrderedDict()
        p["id"] = int(i)
        p["name"] = pname
        p["code"] = code
        p["client"] = client
        p["location"] = loc
        p["description"] = desc
        p["keywords"] = [k.strip() for k in kws.split(" ; ") if k.strip()]
        p["budget"] = int(budget.replace(".", ""))
        p["start_date"] = start
        p["end_date"] = end
        s, e = parse_date(start), parse_date(end)
        if not (GLOBAL_START <= s <= e <= GLOBAL_END):
            fail("%s project dates out of range" % where)
        ids.add(p["id"])
        projects.append(p)
    byid = {p["id"]: p for p in projects}

    sup = src["suppliers"]
    for k, (sn, body, where) in sup.items():
        if not re.fullmatch(r"\d{7,8}", body):
            fail("%s bad rut body %r" % (where, body))
    bodies = Counter(b for (_, b, _) in sup.values())
    for b, n in bodies.items():
        if n > 1:
            fail("rut body %s used by two suppliers in %s" % (b, name))

    # history
    history = []
    for (key, p, text, where) in src["history"]:
        if key not in sup:
            fail("%s unknown supplier %s" % (where, key))
        sn, body, _ = sup[key]
        style = 0 if rng.random() < 0.8 else 1
        h = OrderedDict()
        h["supplier_name"] = sn
        h["supplier_rut"] = rut_spelling(body, style)
        h["description"] = text
        h["project_id"] = pid(p, where, ids)
        history.append(h)
    rng.shuffle(history)

    hist_counts = {}
    for (key, p, text, where) in src["history"]:
        hist_counts.setdefault(key, Counter())[pid(p, where, ids)] += 1

    kw_norm = {p["id"]: [norm_id(k) for k in p["keywords"]] for p in projects}
    for p in projects:
        for k in kw_norm[p["id"]]:
            if len(k) < 6 or not re.search(r"\d", k):
                fail("keyword %r of %d too weak" % (k, p["id"]))

    clients = Counter(p["client"] for p in projects)

    bills = []
    seen_style = {}
    for (key, p, tags, dhint, po, text, lines, where) in src["bills"]:
        if key not in sup:
            fail("%s unknown supplier %s" % (where, key))
        sn, body, _ = sup[key]
        exp = pid(p, where, ids)
        b = OrderedDict()
        b["id"] = None
        b["supplier_name"] = sn
        # vary the spelling of a supplier's RUT from one bill to the next
        n = seen_style.get(key, 0)
        seen_style[key] = n + 1
        if n == 0:
            style = rng.choice([0, 1])
        elif n == 1:
            style = 1 - seen_style.setdefault(key + "#first", 0)
        else:
            style = rng.choice([0, 0, 1])
        if n == 0:
            seen_style[key + "#first"] = style
        if dv(body) == "K" and rng.random() < 0.4:
            style += 2
        b["supplier_rut"] = rut_spelling(body, style)
        b["invoice_description"] = text
        blines = []
        total = Decimal(0)
        for ls in lines.split(" // "):
            parts = [x.strip() for x in ls.split(" ; ")]
            if len(parts) != 4:
                fail("%s bad line %r" % (where, ls))
            q = num(parts[1], where)
            up = int(parts[3].replace(".", ""))
            total += q * up
            lo = OrderedDict()
            lo["description"] = parts[0]
            lo["quantity"] = int(q) if q == q.to_integral_value() else float(parts[1])
            lo["unit"] = parts[2]
            lo["unit_price"] = up
            blines.append(lo)
        if total != total.to_integral_value():
            fail("%s amount not integral: %s" % (where, total))
        b["lines"] = blines
        b["amount"] = int(total)
        # date
        if exp is None:
            lo_d, hi_d = GLOBAL_START, GLOBAL_END
        else:
            lo_d, hi_d = parse_date(byid[exp]["start_date"]), parse_date(byid[exp]["end_date"])
        if dhint:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", dhint):
                a = z = parse_date(dhint)
            elif re.fullmatch(r"\d{4}-\d{2}", dhint):
                y, m = int(dhint[:4]), int(dhint[5:])
                a = dt.date(y, m, 1)
                z = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
            else:
                fail("%s bad date hint %r" % (where, dhint))
            lo_d, hi_d = max(lo_d, a), min(hi_d, z)
            if lo_d > hi_d:
                fail("%s date hint %s outside window" % (where, dhint))
        span = (hi_d - lo_d).days
        b["issue_date"] = (lo_d + dt.timedelta(days=rng.randint(0, span))).isoformat()
        b["purchase_order"] = po
        b["expected_project_id"] = exp
        # tags
        t = set()
        codes = [x.strip() for x in tags.split(",") if x.strip()]
        want_po = "po" in codes
        codes = [x for x in codes if x != "po"]
        for code in codes:
            if code not in HAND_TAGS:
                fail("%s unknown tag code %r" % (where, code))
            t.add(HAND_TAGS[code])
        if exp is None:
            t.add("overhead")
        hc = hist_counts.get(key)
        if hc and len(hc) >= 2 and hc.get(exp, 0) < max(hc.values()):
            t.add("shared-supplier")
        fields = [po, text] + [l["description"] for l in blines]
        nf = [norm_id(x) for x in fields]
        for q_id, kws in kw_norm.items():
            hit = any(k in f for k in kws for f in nf)
            if hit and q_id != exp:
                fail("%s carries identifier of project %d (expected %s)" % (where, q_id, exp))
            if hit and q_id == exp:
                t.add("po-reference")
        if want_po and "po-reference" not in t:
            fail("%s marked po but carries no identifier of project %s" % (where, exp))
        if "client-only" in t:
            if exp is None or clients[byid[exp]["client"]] != 1:
                fail("%s client-only but client has several projects" % where)
        if not t:
            t.add("plain")
        b["difficulty"] = [x for x in TAG_ORDER if x in t]
        b["_key"] = key
        bills.append(b)

    rng.shuffle(bills)
    for i, b in enumerate(bills, 1):
        b["id"] = "%s%03d" % (prefix, i)
        del b["_key"]

    company = OrderedDict()
    company["name"] = c["name"]
    company["rut"] = rut_spelling(c["rut"], 0)
    company["trade"] = c["trade"]
    out = OrderedDict()
    out["company"] = company
    out["projects"] = projects
    out["history"] = history
    out["bills"] = bills
    path = os.path.join(HERE, "..", c["file"])
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    print("wrote %s: %d projects, %d history, %d bills" % (c["file"], len(projects), len(history), len(bills)))


def main():
    names = sys.argv[1:] or COMPANIES
    for n in names:
        if not os.path.exists(os.path.join(SRC, n + ".txt")):
            fail("missing source src/%s.txt" % n)
        build(n)


if __name__ == "__main__":
    main()
