#!/usr/bin/env python3
"""Mechanical build of the blind-v23 evaluation set.

Reads the hand-written content in src/ and writes cathodic.json, tyres.json and
scales.json next to this script.  It only does mechanical work: RUT check digits
and spellings, amounts, dates inside windows, rule-based tags (overhead,
shared-supplier, po-reference, plain), shuffling and numbering.  Standard
library only, fixed seeds: two runs give byte-identical files.
"""
import datetime
import json
import os
import random
import re
import sys
import unicodedata
from collections import Counter
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
COMPANIES = ["cathodic", "tyres", "scales"]
HAND_TAGS = {"pv": "place-variant", "tv": "trade-vocabulary", "ty": "typo", "co": "client-only"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
OVERHEAD_WINDOW = (datetime.date(2025, 1, 1), datetime.date(2026, 12, 31))


class BuildError(Exception):
    pass


def rut_dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut_dotted(body):
    s = str(body)
    groups = []
    while len(s) > 3:
        groups.insert(0, s[-3:])
        s = s[:-3]
    groups.insert(0, s)
    return ".".join(groups) + "-" + rut_dv(body)


def rut_plain(body):
    return "%s-%s" % (body, rut_dv(body))


def norm(text):
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", t.upper())


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f]


def parse_companies():
    comps, cur = {}, None
    for line in read_lines(os.path.join(SRC, "companies.txt")):
        if not line.strip() or line.startswith("#"):
            continue
        m = re.match(r"^\[(\w+)\]$", line.strip())
        if m:
            cur = m.group(1)
            comps[cur] = {}
            continue
        k, v = line.split(":", 1)
        comps[cur][k.strip()] = v.strip()
    return comps


def parse_projects(key):
    blocks, cur = [], {}
    for line in read_lines(os.path.join(SRC, key + "_projects.txt")) + [""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if cur:
                blocks.append(cur)
                cur = {}
            continue
        k, v = line.split(":", 1)
        cur[k.strip()] = v.strip()
    projects = []
    for b in blocks:
        projects.append({
            "id": int(b["id"]),
            "name": b["name"],
            "code": b["code"],
            "client": b["client"],
            "location": b["location"],
            "description": b["desc"],
            "keywords": [x.strip() for x in b["kw"].split(";") if x.strip()],
            "budget": int(b["budget"]),
            "start_date": b["start"],
            "end_date": b["end"],
        })
    return projects


def parse_suppliers(key):
    sup = {}
    for line in read_lines(os.path.join(SRC, key + "_suppliers.txt")):
        if not line.strip() or line.startswith("#"):
            continue
        k, name, body = [x.strip() for x in line.split("|")]
        if k in sup:
            raise BuildError("duplicate supplier key %s in %s" % (k, key))
        sup[k] = (name, int(body))
    bodies = [b for _, b in sup.values()]
    if len(bodies) != len(set(bodies)):
        raise BuildError("duplicate RUT body in %s suppliers" % key)
    return sup


def parse_history(key):
    rows = []
    for line in read_lines(os.path.join(SRC, key + "_history.txt")):
        if not line.strip() or line.startswith("#"):
            continue
        k, pid, desc = [x.strip() for x in line.split("|", 2)]
        rows.append((k, None if pid == "-" else int(pid), desc))
    return rows


def parse_bills(key):
    bills, cur = [], None
    for n, line in enumerate(read_lines(os.path.join(SRC, key + "_bills.txt")), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("B:"):
            parts = [x.strip() for x in line[2:].split("|")]
            if len(parts) != 5:
                raise BuildError("%s_bills.txt:%d bad header" % (key, n))
            cur = {"sup": parts[0], "proj": None if parts[1] == "-" else int(parts[1]),
                   "tags": parts[2].split(), "date": parts[3], "po": parts[4],
                   "desc": None, "lines": [], "src_line": n}
            bills.append(cur)
        elif line.startswith("D:"):
            cur["desc"] = line[2:].strip()
        elif line.startswith("L:"):
            d, q, u, p = [x.strip() for x in line[2:].split("|")]
            cur["lines"].append((d, q, u, p))
        else:
            raise BuildError("%s_bills.txt:%d unknown line" % (key, n))
    return bills


def pick_date(rng, lo, hi, spec, where):
    if spec:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", spec):
            d = datetime.date.fromisoformat(spec)
            if not lo <= d <= hi:
                raise BuildError("%s: date %s outside window" % (where, spec))
            return d
        y, m = [int(x) for x in spec.split("-")]
        first = datetime.date(y, m, 1)
        nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
        lo, hi = max(lo, first), min(hi, nxt - datetime.timedelta(days=1))
        if lo > hi:
            raise BuildError("%s: month %s outside window" % (where, spec))
    return lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))


def number(q):
    d = Decimal(q)
    return int(d) if d == d.to_integral_value() else float(q)


def build_company(key, meta):
    seed = int(meta["seed"])
    rng = random.Random(seed)
    projects = parse_projects(key)
    suppliers = parse_suppliers(key)
    history_src = parse_history(key)
    bills_src = parse_bills(key)
    pmap = {p["id"]: p for p in projects}
    id_start = int(meta["id_start"])
    if sorted(pmap) != list(range(id_start, id_start + 30)):
        raise BuildError("%s: project ids must be %d..%d" % (key, id_start, id_start + 29))
    clients = Counter(p["client"] for p in projects)
    kw_norm = {p["id"]: [norm(k) for k in p["keywords"]] for p in projects}

    # history
    hist_counts = {}
    history = []
    for k, pid, desc in history_src:
        if k not in suppliers:
            raise BuildError("%s history: unknown supplier %s" % (key, k))
        if pid is not None and pid not in pmap:
            raise BuildError("%s history: unknown project %s" % (key, pid))
        name, body = suppliers[k]
        hist_counts.setdefault(k, Counter())[pid] += 1
        history.append({"supplier_name": name, "supplier_rut": rut_dotted(body),
                        "description": desc, "project_id": pid})
    rng.shuffle(history)

    # bills
    bills = []
    for b in bills_src:
        where = "%s_bills.txt:%d" % (key, b["src_line"])
        if b["sup"] not in suppliers:
            raise BuildError("%s unknown supplier %s" % (where, b["sup"]))
        if b["proj"] is not None and b["proj"] not in pmap:
            raise BuildError("%s unknown project %s" % (where, b["proj"]))
        if not b["desc"] or not b["lines"]:
            raise BuildError("%s missing description or lines" % where)
        name, body = suppliers[b["sup"]]
        # RUT spelling
        r = rng.random()
        rut = rut_dotted(body) if r < 0.55 else rut_plain(body)
        if rut.endswith("K") and rng.random() < 0.5:
            rut = rut[:-1] + "k"
        # lines and amount
        lines, total = [], Decimal(0)
        for d, q, u, p in b["lines"]:
            qd, pd = Decimal(q), int(p)
            sub = qd * pd
            if sub != sub.to_integral_value():
                raise BuildError("%s non-integer line amount %s x %s" % (where, q, p))
            total += sub
            lines.append({"description": d, "quantity": number(q), "unit": u, "unit_price": pd})
        # date
        if b["proj"] is None:
            lo, hi = OVERHEAD_WINDOW
        else:
            p = pmap[b["proj"]]
            lo = datetime.date.fromisoformat(p["start_date"])
            hi = datetime.date.fromisoformat(p["end_date"])
        date = pick_date(rng, lo, hi, b["date"], where)
        # identifiers
        fields = [b["po"], b["desc"]] + [d for d, _, _, _ in b["lines"]]
        nfields = [norm(f) for f in fields]
        hits = {pid for pid, kws in kw_norm.items() for kw in kws
                if any(kw in nf for nf in nfields)}
        if hits - ({b["proj"]} if b["proj"] else set()):
            raise BuildError("%s carries identifier of project(s) %s" % (where, sorted(hits)))
        # tags
        tags = set()
        for t in b["tags"]:
            if t not in HAND_TAGS:
                raise BuildError("%s unknown hand tag %s" % (where, t))
            tags.add(HAND_TAGS[t])
        if b["proj"] is None:
            tags.add("overhead")
        if "client-only" in tags:
            if b["proj"] is None or clients[pmap[b["proj"]]["client"]] != 1:
                raise BuildError("%s client-only but client has several projects" % where)
        hc = hist_counts.get(b["sup"])
        if hc and len(hc) >= 2 and hc.get(b["proj"], 0) < max(hc.values()):
            tags.add("shared-supplier")
        if b["proj"] is not None and b["proj"] in hits:
            tags.add("po-reference")
        if not tags:
            tags.add("plain")
        bills.append({
            "supplier_name": name, "supplier_rut": rut,
            "invoice_description": b["desc"], "lines": lines, "amount": int(total),
            "issue_date": date.isoformat(), "purchase_order": b["po"],
            "expected_project_id": b["proj"],
            "difficulty": [t for t in TAG_ORDER if t in tags],
        })
    rng.shuffle(bills)
    out_bills = []
    for i, b in enumerate(bills, 1):
        out_bills.append(dict([("id", "%s%03d" % (meta["bill_prefix"], i))] + list(b.items())))
    return {
        "company": {"name": meta["name"], "rut": rut_dotted(int(meta["rut_base"])),
                    "trade": meta["trade"]},
        "projects": projects,
        "history": history,
        "bills": out_bills,
    }


def main():
    comps = parse_companies()
    for key in COMPANIES:
        if not os.path.exists(os.path.join(SRC, key + "_bills.txt")):
            print("skip %s (no src yet)" % key)
            continue
        data = build_company(key, comps[key])
        path = os.path.join(HERE, "..", key + ".json")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
            f.write("\n")
        print("wrote %s: %d projects, %d history, %d bills" % (
            os.path.basename(path), len(data["projects"]), len(data["history"]), len(data["bills"])))


if __name__ == "__main__":
    try:
        main()
    except BuildError as e:
        print("BUILD ERROR:", e, file=sys.stderr)
        sys.exit(1)
