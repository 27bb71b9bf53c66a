#!/usr/bin/env python3
"""Mechanical builder for the blind-v39 evaluation set.

Reads the hand-written sources in src/ and writes medgas.json, aggregates.json
and stagetech.json next to this script.  It only does mechanical work:
RUT check digits and spellings, amounts, dates inside project windows,
rule-based tags (overhead, shared-supplier, po-reference, plain), shuffling
and numbering.  Fixed seeds: two runs give byte-identical files.
Python 3 standard library only.
"""
import datetime as dt
import json
import os
import random
import re
import sys
import unicodedata
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

COMPANIES = [
    # file stem, id base, bill prefix, seed
    ("medgas", 11101, "N", 391101),
    ("aggregates", 11201, "P", 391201),
    ("stagetech", 11301, "W", 391301),
]

HAND_TAGS = {
    "pv": "place-variant",
    "tv": "trade-vocabulary",
    "ty": "typo",
    "co": "client-only",
}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
OH_START = dt.date(2025, 1, 1)
OH_END = dt.date(2026, 12, 31)


class SrcError(Exception):
    pass


# ---------------------------------------------------------------- RUT helpers
def rut_dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
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
    return ".".join(parts) + "-" + rut_dv(body)


def rut_plain(body):
    return str(body) + "-" + rut_dv(body)


def rut_spellings(body):
    d = rut_dotted(body)
    p = rut_plain(body)
    out = [d, p]
    if d.endswith("K"):
        out += [d[:-1] + "k", p[:-1] + "k"]
    return out


# ---------------------------------------------------------------- text helpers
def norm_id(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return "".join(c for c in s.upper() if c.isascii() and c.isalnum())


def keyword_core(kw):
    return norm_id(kw.strip().split()[-1])


def bill_text(b):
    parts = [b["purchase_order"], b["invoice_description"]]
    parts += [ln["description"] for ln in b["lines"]]
    return norm_id(" | ".join(parts))


def num(qs):
    f = Fraction(qs.replace(",", "."))
    if f.denominator == 1:
        return int(f), f
    return float(qs.replace(",", ".")), f


# ---------------------------------------------------------------- readers
def read_lines(path):
    with open(path, encoding="utf-8") as fh:
        for i, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            yield i, line


def read_company(stem):
    out = {}
    for i, line in read_lines(os.path.join(SRC, stem + "_company.txt")):
        k, _, v = line.partition(":")
        out[k.strip()] = v.strip()
    return out


def read_projects(stem):
    projects, cur = [], None
    for i, line in read_lines(os.path.join(SRC, stem + "_projects.txt")):
        k, _, v = line.partition(":")
        k, v = k.strip(), v.strip()
        if k == "id":
            cur = {"id": int(v)}
            projects.append(cur)
        elif k in ("name", "code", "client", "location", "description"):
            cur[k] = v
        elif k == "keywords":
            cur[k] = [x.strip() for x in v.split("|") if x.strip()]
        elif k == "budget":
            cur[k] = int(v.replace(".", "").replace("_", ""))
        elif k in ("start", "end"):
            cur[k + "_date"] = v
        else:
            raise SrcError("%s_projects.txt:%d unknown key %r" % (stem, i, k))
    order = ["id", "name", "code", "client", "location", "description",
             "keywords", "budget", "start_date", "end_date"]
    return [{k: p[k] for k in order} for p in projects]


def read_suppliers(stem):
    sups = {}
    for i, line in read_lines(os.path.join(SRC, stem + "_suppliers.txt")):
        f = [x.strip() for x in line.split("|")]
        if len(f) != 3:
            raise SrcError("%s_suppliers.txt:%d bad line" % (stem, i))
        key, name, body = f
        if key in sups:
            raise SrcError("%s_suppliers.txt:%d duplicate key %s" % (stem, i, key))
        body = body.replace(".", "")
        if not body.isdigit():
            raise SrcError("%s_suppliers.txt:%d bad rut body" % (stem, i))
        sups[key] = {"name": name, "body": int(body)}
    bodies = [s["body"] for s in sups.values()]
    if len(set(bodies)) != len(bodies):
        raise SrcError(stem + ": duplicate supplier RUT bodies")
    return sups


def pid_of(tok, ids, where):
    tok = tok.strip()
    if tok == "GG":
        return None
    if not tok.isdigit() or int(tok) not in ids:
        raise SrcError("%s: bad project ref %r" % (where, tok))
    return int(tok)


def read_history(stem, sups, ids):
    rows = []
    for i, line in read_lines(os.path.join(SRC, stem + "_history.txt")):
        f = [x.strip() for x in line.split("|")]
        if len(f) != 3:
            raise SrcError("%s_history.txt:%d bad line" % (stem, i))
        key, pref, text = f
        if key not in sups:
            raise SrcError("%s_history.txt:%d unknown supplier %s" % (stem, i, key))
        rows.append({"key": key, "pid": pid_of(pref, ids, "%s_history:%d" % (stem, i)),
                     "text": text})
    return rows


def read_bills(stem, sups, ids):
    bills, cur = [], None
    for i, line in read_lines(os.path.join(SRC, stem + "_bills.txt")):
        s = line.strip()
        where = "%s_bills.txt:%d" % (stem, i)
        if s.startswith("*"):
            f = [x.strip() for x in s[1:].split("|")]
            if len(f) != 6:
                raise SrcError(where + " header needs 6 fields")
            key, pref, po, tags, date, desc = f
            if key not in sups:
                raise SrcError(where + " unknown supplier " + key)
            tl = [t.strip() for t in tags.split(",") if t.strip()]
            for t in tl:
                if t not in HAND_TAGS and t != "po":
                    raise SrcError(where + " unknown tag " + t)
            cur = {"key": key, "pid": pid_of(pref, ids, where), "po": po,
                   "tags": tl, "date": date, "desc": desc, "lines": [],
                   "where": where}
            bills.append(cur)
        elif s.startswith("-"):
            f = [x.strip() for x in s[1:].split("|")]
            if len(f) != 4:
                raise SrcError(where + " line needs 4 fields")
            d, q, u, p = f
            qv, qf = num(q)
            pv = int(p.replace(".", ""))
            if (qf * pv).denominator != 1:
                raise SrcError(where + " quantity*price not integer")
            cur["lines"].append({"description": d, "quantity": qv, "unit": u,
                                 "unit_price": pv, "_q": qf})
        else:
            raise SrcError(where + " unparsable")
    return bills


# ---------------------------------------------------------------- build
def rand_date(rng, a, b):
    span = (b - a).days
    return a + dt.timedelta(days=rng.randint(0, span))


def build_company(stem, base, prefix, seed):
    rng = random.Random(seed)
    comp = read_company(stem)
    projects = read_projects(stem)
    ids = {p["id"] for p in projects}
    exp_ids = set(range(base, base + 30))
    if ids != exp_ids or len(projects) != 30:
        raise SrcError(stem + ": project ids must be %d..%d" % (base, base + 29))
    pmap = {p["id"]: p for p in projects}
    sups = read_suppliers(stem)
    hist = read_history(stem, sups, ids)
    bills = read_bills(stem, sups, ids)

    # keyword cores
    cores = {}
    for p in projects:
        for kw in p["keywords"]:
            c = keyword_core(kw)
            if len(c) < 7 or not any(ch.isdigit() for ch in c):
                raise SrcError("%s: weak keyword %r" % (stem, kw))
            for q, cs in cores.items():
                for c2 in cs:
                    if c in c2 or c2 in c:
                        raise SrcError("%s: keyword %r clashes with project %d" % (stem, kw, q))
            cores.setdefault(p["id"], []).append(c)

    # history json
    hist_json = []
    for h in hist:
        s = sups[h["key"]]
        hist_json.append({"supplier_name": s["name"],
                          "supplier_rut": rut_dotted(s["body"]),
                          "description": h["text"], "project_id": h["pid"]})
    rng.shuffle(hist_json)

    # supplier history counts
    hcount = {}
    for h in hist:
        hcount.setdefault(h["key"], {})
        hcount[h["key"]][h["pid"]] = hcount[h["key"]].get(h["pid"], 0) + 1

    out_bills = []
    errors = []
    for b in bills:
        s = sups[b["key"]]
        pid = b["pid"]
        tags = set()
        for t in b["tags"]:
            if t in HAND_TAGS:
                tags.add(HAND_TAGS[t])
        if pid is None:
            tags.add("overhead")
            if "client-only" in tags:
                errors.append(b["where"] + " overhead bill tagged client-only")
        # date
        if b["date"]:
            d = dt.date.fromisoformat(b["date"])
        elif pid is None:
            d = rand_date(rng, OH_START, OH_END)
        else:
            p = pmap[pid]
            d = rand_date(rng, dt.date.fromisoformat(p["start_date"]),
                          dt.date.fromisoformat(p["end_date"]))
        if pid is not None:
            p = pmap[pid]
            if not (p["start_date"] <= d.isoformat() <= p["end_date"]):
                errors.append(b["where"] + " date outside window")
        # rut spelling
        spell = rng.choice(rut_spellings(s["body"]))
        lines = [{k: v for k, v in ln.items() if not k.startswith("_")} for ln in b["lines"]]
        if not lines:
            errors.append(b["where"] + " no lines")
        amount = sum(ln["_q"] * ln["unit_price"] for ln in b["lines"])
        if amount.denominator != 1 or amount <= 0:
            errors.append(b["where"] + " bad amount")
        bj = {"id": None, "supplier_name": s["name"], "supplier_rut": spell,
              "invoice_description": b["desc"], "lines": lines,
              "amount": int(amount), "issue_date": d.isoformat(),
              "purchase_order": b["po"], "expected_project_id": pid}
        # po-reference rule
        txt = bill_text(bj)
        hits = {q for q, cs in cores.items() for c in cs if c in txt}
        if hits - ({pid} if pid is not None else set()):
            errors.append(b["where"] + " carries identifier of other project %s" % sorted(hits))
        if pid is not None and pid in hits:
            tags.add("po-reference")
        if ("po" in b["tags"]) != ("po-reference" in tags):
            errors.append(b["where"] + " po intention mismatch (rule says %s)" % ("po-reference" in tags))
        # shared-supplier rule
        hc = hcount.get(b["key"], {})
        if len(hc) >= 2 and hc.get(pid, 0) < max(hc.values()):
            tags.add("shared-supplier")
        if not tags:
            tags.add("plain")
        bj["difficulty"] = [t for t in TAG_ORDER if t in tags]
        out_bills.append(bj)
    if errors:
        raise SrcError("\n".join(errors))

    rng.shuffle(out_bills)
    for i, bj in enumerate(out_bills, 1):
        bj["id"] = "%s%03d" % (prefix, i)

    company = {"name": comp["name"], "rut": rut_dotted(int(comp["rut"].replace(".", ""))),
               "trade": comp["trade"]}
    return {"company": company, "projects": projects, "history": hist_json,
            "bills": out_bills}


def main():
    only = sys.argv[1:]
    for stem, base, prefix, seed in COMPANIES:
        if only and stem not in only:
            continue
        if not os.path.exists(os.path.join(SRC, stem + "_bills.txt")):
            print("skip", stem, "(no sources yet)")
            continue
        try:
            data = build_company(stem, base, prefix, seed)
        except SrcError as e:
            print("BUILD ERROR in", stem)
            print(e)
            sys.exit(1)
        path = os.path.join(HERE, "..", stem + ".json")
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        print("wrote", os.path.basename(path), len(data["projects"]), "projects,",
              len(data["history"]), "history,", len(data["bills"]), "bills")


if __name__ == "__main__":
    main()
