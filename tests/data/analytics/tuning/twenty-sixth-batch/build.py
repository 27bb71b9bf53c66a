#!/usr/bin/env python3
"""Mechanical builder for the blind-v26 evaluation set.

Reads the hand-written sources in src/ and writes roofing.json, tanks.json and
tailings.json next to this script.  It only does mechanical work: RUT check
digits and spellings, amounts, issue dates inside the project windows, the
rule-based tags (overhead, shared-supplier, po-reference, plain), shuffling
and numbering.  Fixed seeds: two runs give byte-identical files.
Standard library only.
"""
import datetime as dt
import json
import os
import random
import re
import sys
from collections import Counter

BASE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(BASE, "src")

COMPANIES = [
    # (file stem, id range start, bill prefix, seed)
    ("roofing", 7201, "F", 260701),
    ("tanks", 7301, "J", 260702),
    ("tailings", 7401, "L", 260703),
]

MANUAL_TAGS = {
    "pv": "place-variant",
    "tv": "trade-vocabulary",
    "ty": "typo",
    "co": "client-only",
}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]

GLOBAL_START = dt.date(2025, 1, 1)
GLOBAL_END = dt.date(2026, 12, 31)


class SrcError(Exception):
    pass


# ---------------------------------------------------------------- RUT helpers
def rut_dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - (s % 11)
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def rut_dotted(body):
    b = str(body)
    parts = []
    while len(b) > 3:
        parts.insert(0, b[-3:])
        b = b[:-3]
    parts.insert(0, b)
    return ".".join(parts)


def rut_spell(body, rng, style=None):
    dv = rut_dv(body)
    if style is None:
        style = rng.choice(["dot", "dot", "plain", "plain", "dot"])
    if dv == "K" and rng.random() < 0.4:
        dv = "k"
    if style == "dot":
        return "%s-%s" % (rut_dotted(body), dv)
    return "%s-%s" % (body, dv)


def rut_key(text):
    return re.sub(r"[^0-9K]", "", text.upper())


# --------------------------------------------------------- identifier helpers
def identifiers(keyword):
    out = []
    for tok in re.findall(r"[A-Za-z0-9][A-Za-z0-9\-./]*[A-Za-z0-9]", keyword):
        n = re.sub(r"[^A-Za-z0-9]", "", tok).upper()
        if sum(c.isdigit() for c in n) >= 5:
            out.append(n)
    return out


def norm_text(*parts):
    return re.sub(r"[^A-Za-z0-9]", "", " ".join(parts).upper())


# ---------------------------------------------------------------- parsing
def parse_company(path):
    comp, projects, suppliers = {}, [], {}
    section, cur = None, None
    with open(path, encoding="utf-8") as f:
        for ln, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = re.match(r"^\[(\w+)(?:\s+(\d+))?\]\s*$", line)
            if m:
                section = m.group(1)
                if section == "project":
                    cur = {"id": int(m.group(2))}
                    projects.append(cur)
                continue
            if section == "suppliers":
                parts = [p.strip() for p in line.split("|")]
                if len(parts) != 3:
                    raise SrcError("%s:%d bad supplier line" % (path, ln))
                key, name, body = parts
                if key in suppliers:
                    raise SrcError("%s:%d duplicate supplier key %s" % (path, ln, key))
                if not re.fullmatch(r"\d{7,8}", body):
                    raise SrcError("%s:%d bad RUT body %s" % (path, ln, body))
                suppliers[key] = {"name": name, "body": body}
                continue
            if ":" not in line:
                raise SrcError("%s:%d expected key: value" % (path, ln))
            k, v = line.split(":", 1)
            k, v = k.strip(), v.strip()
            if section == "company":
                comp[k] = v
            elif section == "project":
                cur[k] = v
            else:
                raise SrcError("%s:%d line outside section" % (path, ln))
    return comp, projects, suppliers


def parse_history(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for ln, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3:
                raise SrcError("%s:%d bad history line" % (path, ln))
            key, pid, text = parts
            rows.append({"key": key, "pid": None if pid == "-" else int(pid),
                         "text": text, "where": "%s:%d" % (path, ln)})
    return rows


def parse_bills(path):
    bills, cur = [], None
    with open(path, encoding="utf-8") as f:
        for ln, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            where = "%s:%d" % (os.path.basename(path), ln)
            if line.startswith("@"):
                parts = [p.strip() for p in line[1:].split("|")]
                if len(parts) != 5:
                    raise SrcError("%s bad bill header" % where)
                key, pid, tags, date, po = parts
                cur = {"key": key, "pid": None if pid == "-" else int(pid),
                       "tags": tags.split(), "date": date, "po": po,
                       "desc": None, "lines": [], "where": where}
                bills.append(cur)
            elif line.startswith("- "):
                parts = [p.strip() for p in line[2:].split("|")]
                if len(parts) != 4:
                    raise SrcError("%s bad bill line" % where)
                d, q, u, p = parts
                q = float(q.replace(",", "."))
                if q == int(q):
                    q = int(q)
                cur["lines"].append({"description": d, "quantity": q, "unit": u,
                                     "unit_price": int(p)})
            else:
                if cur is None or cur["desc"] is not None:
                    raise SrcError("%s unexpected text line" % where)
                cur["desc"] = line
    return bills


# ---------------------------------------------------------------- building
EARLY = re.compile(r"\bANTICIPO\b|\b1ER DESPACHO\b|\bEP (N°)?1\b|\bINICIO\b")
LATE = re.compile(r"\bSALDO\b|\bFINAL\b|\b3ER DESPACHO\b|\b4TO DESPACHO\b|\b3RA (ETAPA|QUINCENA)\b"
                  r"|\bEP (N°)?[3-9]\b|\bMES [4-9]\b")
MIDDLE = re.compile(r"\b2DO (DESPACHO|VIAJE)\b|\b2DA (ETAPA|QUINCENA|JORNADA)\b|\bEP (N°)?2\b|\bMES [23]\b")


def phase(text):
    """Fraction of the project window where a staged bill belongs."""
    t = text.upper()
    if LATE.search(t):
        return 0.5, 1.0
    if MIDDLE.search(t):
        return 0.2, 0.8
    if EARLY.search(t):
        return 0.0, 0.35
    return 0.0, 1.0


def d(s):
    return dt.date.fromisoformat(s)


def build_company(stem, first_id, prefix, seed):
    comp_path = os.path.join(SRC, stem + "_company.txt")
    if not os.path.exists(comp_path):
        return None
    comp, projects, suppliers = parse_company(comp_path)
    hist_src = []
    bill_src = []
    for fn in sorted(os.listdir(SRC)):
        if fn.startswith(stem + "_history") and fn.endswith(".txt"):
            hist_src += parse_history(os.path.join(SRC, fn))
        if fn.startswith(stem + "_bills") and fn.endswith(".txt"):
            bill_src += parse_bills(os.path.join(SRC, fn))

    rng = random.Random(seed)
    errors = []

    # projects
    pmap = {}
    out_projects = []
    for p in sorted(projects, key=lambda x: x["id"]):
        for k in ("name", "code", "client", "location", "description",
                  "keywords", "budget", "start", "end"):
            if k not in p:
                errors.append("project %s lacks %s" % (p["id"], k))
        op = {
            "id": p["id"],
            "name": p["name"],
            "code": p["code"],
            "client": p["client"],
            "location": p["location"],
            "description": p["description"],
            "keywords": [k.strip() for k in p["keywords"].split(" ; ") if k.strip()],
            "budget": int(p["budget"].replace(".", "")),
            "start_date": p["start"],
            "end_date": p["end"],
        }
        pmap[op["id"]] = op
        out_projects.append(op)
    ids = [p["id"] for p in out_projects]
    if ids != list(range(first_id, first_id + 30)):
        errors.append("project ids not %d..%d" % (first_id, first_id + 29))
    proj_ids = {pid: set(x for k in p["keywords"] for x in identifiers(k))
                for pid, p in pmap.items()}
    for pid, s in proj_ids.items():
        if not s:
            errors.append("project %d keywords carry no identifier" % pid)

    def foreign_ids(text, pid):
        n = norm_text(text)
        found = set()
        for qid, s in proj_ids.items():
            for ident in s:
                if ident in n:
                    found.add(qid)
        return found

    # history
    out_hist = []
    hist_counter = {}
    for h in hist_src:
        if h["key"] not in suppliers:
            errors.append("%s unknown supplier %s" % (h["where"], h["key"]))
            continue
        if h["pid"] is not None and h["pid"] not in pmap:
            errors.append("%s unknown project %s" % (h["where"], h["pid"]))
        bad = foreign_ids(h["text"], h["pid"]) - {h["pid"]}
        if bad:
            errors.append("%s history carries identifier of %s" % (h["where"], bad))
        s = suppliers[h["key"]]
        out_hist.append({"supplier_name": s["name"],
                         "supplier_rut": rut_spell(s["body"], rng),
                         "description": h["text"],
                         "project_id": h["pid"]})
        hist_counter.setdefault(s["body"], Counter())[h["pid"]] += 1
    rng.shuffle(out_hist)

    # bills
    out_bills = []
    for i, b in enumerate(bill_src):
        brng = random.Random("%s-%d-%s" % (stem, seed, i))
        if b["key"] not in suppliers:
            errors.append("%s unknown supplier %s" % (b["where"], b["key"]))
            continue
        if b["desc"] is None or not b["lines"]:
            errors.append("%s bill lacks text or lines" % b["where"])
            continue
        pid = b["pid"]
        if pid is not None and pid not in pmap:
            errors.append("%s unknown project %s" % (b["where"], pid))
            continue
        if pid is None:
            lo, hi = GLOBAL_START, GLOBAL_END
        else:
            lo, hi = d(pmap[pid]["start_date"]), d(pmap[pid]["end_date"])
        if b["date"]:
            date = d(b["date"])
            if not (lo <= date <= hi):
                errors.append("%s date %s outside %s..%s" % (b["where"], date, lo, hi))
        else:
            # place staged bills (advance, first/last delivery, progress
            # payment number) in the matching part of the window
            span = (hi - lo).days
            a, z = phase(" ".join([b["desc"]] + [l["description"] for l in b["lines"]]))
            date = lo + dt.timedelta(days=brng.randint(int(span * a), int(span * z)))
        amount = sum(l["quantity"] * l["unit_price"] for l in b["lines"])
        if abs(amount - round(amount)) > 1e-6:
            errors.append("%s amount not integer (%s)" % (b["where"], amount))
        amount = int(round(amount))
        s = suppliers[b["key"]]
        text = " | ".join([b["po"], b["desc"]] + [l["description"] for l in b["lines"]])
        carried = foreign_ids(text, pid)
        if carried - {pid}:
            errors.append("%s bill carries identifier of %s" % (b["where"], carried - {pid}))
        tags = set()
        for t in b["tags"]:
            if t not in MANUAL_TAGS:
                errors.append("%s unknown tag %s" % (b["where"], t))
            else:
                tags.add(MANUAL_TAGS[t])
        if pid is None:
            tags.add("overhead")
        if pid is not None and pid in carried:
            tags.add("po-reference")
        c = hist_counter.get(s["body"])
        if c and len(c) >= 2 and c[pid] < max(c.values()):
            tags.add("shared-supplier")
        if not tags:
            tags.add("plain")
        out_bills.append({
            "id": None,
            "supplier_name": s["name"],
            "supplier_rut": rut_spell(s["body"], brng),
            "invoice_description": b["desc"],
            "lines": b["lines"],
            "amount": amount,
            "issue_date": date.isoformat(),
            "purchase_order": b["po"],
            "expected_project_id": pid,
            "difficulty": [t for t in TAG_ORDER if t in tags],
        })
    rng.shuffle(out_bills)
    for n, b in enumerate(out_bills, 1):
        b["id"] = "%s%03d" % (prefix, n)
    # key order as in the brief
    out_bills = [{k: b[k] for k in ("id", "supplier_name", "supplier_rut",
                                    "invoice_description", "lines", "amount",
                                    "issue_date", "purchase_order",
                                    "expected_project_id", "difficulty")}
                 for b in out_bills]

    body = comp["rut"]
    data = {
        "company": {"name": comp["name"],
                    "rut": "%s-%s" % (rut_dotted(body), rut_dv(body)),
                    "trade": comp["trade"]},
        "projects": out_projects,
        "history": out_hist,
        "bills": out_bills,
    }
    if errors:
        raise SrcError("%s:\n  " % stem + "\n  ".join(errors))
    with open(os.path.join(BASE, "..", stem + ".json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return data


def main():
    ok = True
    for stem, first, prefix, seed in COMPANIES:
        try:
            data = build_company(stem, first, prefix, seed)
        except SrcError as e:
            print("ERROR", e)
            ok = False
            continue
        if data is None:
            print("%s: no sources yet" % stem)
            continue
        print("%s: %d projects, %d history, %d bills" % (
            stem, len(data["projects"]), len(data["history"]), len(data["bills"])))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
