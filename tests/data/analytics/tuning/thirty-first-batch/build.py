#!/usr/bin/env python3
"""Mechanical build of the blind evaluation dataset.

Reads the hand-written sources in src/*.txt and writes evcharging.json,
trellis.json and locating.json next to this script.  Only mechanical work is
done here: RUT check digits and spellings, line amounts, issue dates inside
the project window, rule-based tags (overhead, po-reference, shared-supplier,
plain), shuffling and numbering.  Everything is seeded, so two runs give
byte-identical files.  Standard library only.

Source format (one record per line, fields separated by '|', '#' comments):
  COMPANY|name|rut body|trade
  P|id|code|name|client|location|kw1;kw2|budget|start|end
  PD|description                      (belongs to the preceding P)
  S|key|supplier name|rut body
  H|key|project id or OH|past bill text
  B|key|project id or OH|purchase order|hand tags (comma list)|invoice text
  L|line description|quantity|unit|unit price   (belongs to preceding B)
  BD|YYYY-MM-DD                        (optional fixed date for preceding B)
"""
import datetime
import json
import os
import random
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

COMPANIES = [
    # file stem, id range, bill prefix, seed
    ("evcharging", (8701, 8730), "K", 8701),
    ("trellis", (8801, 8830), "T", 8801),
    ("locating", (8901, 8930), "U", 8901),
]

HAND_TAGS = {"place-variant", "trade-vocabulary", "typo", "client-only"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]


def fail(msg):
    sys.stderr.write("build.py: " + msg + "\n")
    sys.exit(1)


def rut_dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - (s % 11)
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def rut_dots(body):
    b = str(body)
    parts = []
    while len(b) > 3:
        parts.insert(0, b[-3:])
        b = b[:-3]
    parts.insert(0, b)
    return ".".join(parts)


def rut_spell(body, style):
    dv = rut_dv(body)
    if style == 0:
        return "%s-%s" % (rut_dots(body), dv)
    if style == 1:
        return "%s-%s" % (body, dv)
    if style == 2:
        return "%s-%s" % (rut_dots(body), dv.lower())
    return "%s%s" % (body, dv)


def norm(text):
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", t.upper())


def keyword_ident(kw):
    """Identifier of a keyword: its digit-bearing tokens, normalised."""
    toks = [t for t in kw.split() if re.search(r"\d", t)]
    return norm("".join(toks))


def bill_fields(bill):
    return [bill["purchase_order"], bill["invoice_description"]] + \
        [l["description"] for l in bill["lines"]]


def carries(bill, ident):
    return any(ident in norm(f) for f in bill_fields(bill))


def parse(path):
    comp, projects, suppliers, history, bills = None, [], {}, [], []
    with open(path, encoding="utf-8") as fh:
        for no, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").strip()
            if not line or line.startswith("#"):
                continue
            f = [x.strip() for x in line.split("|")]
            tag = f[0]
            where = "%s:%d" % (os.path.basename(path), no)
            try:
                if tag == "COMPANY":
                    comp = {"name": f[1], "rut": int(f[2]), "trade": f[3]}
                elif tag == "P":
                    projects.append({
                        "id": int(f[1]), "code": f[2], "name": f[3], "client": f[4],
                        "location": f[5], "keywords": [k.strip() for k in f[6].split(";") if k.strip()],
                        "budget": int(f[7]), "start_date": f[8], "end_date": f[9],
                        "description": None})
                    assert len(f) == 10
                elif tag == "PD":
                    assert projects[-1]["description"] is None
                    projects[-1]["description"] = f[1]
                    assert len(f) == 2
                elif tag == "S":
                    assert f[1] not in suppliers, "dup supplier key"
                    suppliers[f[1]] = {"name": f[2], "rut": int(f[3])}
                    assert len(f) == 4
                elif tag == "H":
                    assert len(f) == 4
                    history.append({"key": f[1], "proj": None if f[2] == "OH" else int(f[2]),
                                    "text": f[3], "where": where})
                elif tag == "B":
                    assert len(f) == 6
                    tags = [t.strip() for t in f[4].split(",") if t.strip()]
                    for t in tags:
                        if t not in HAND_TAGS:
                            raise ValueError("not a hand tag: " + t)
                    bills.append({"key": f[1], "proj": None if f[2] == "OH" else int(f[2]),
                                  "po": f[3], "tags": tags, "text": f[5], "lines": [],
                                  "date": None, "where": where})
                elif tag == "L":
                    assert len(f) == 5
                    q = float(f[2])
                    if q == int(q):
                        q = int(q)
                    bills[-1]["lines"].append({"description": f[1], "quantity": q,
                                               "unit": f[3], "unit_price": int(f[4])})
                elif tag == "BD":
                    bills[-1]["date"] = f[1]
                else:
                    raise ValueError("unknown record " + tag)
            except (IndexError, ValueError, AssertionError) as e:
                fail("%s: %s: %r" % (where, e, line))
    return comp, projects, suppliers, history, bills


def d(s):
    return datetime.date.fromisoformat(s)


def build(stem, id_range, prefix, seed):
    comp, projects, suppliers, history, bills = parse(os.path.join(SRC, stem + ".txt"))
    if comp is None:
        fail(stem + ": no COMPANY")
    pids = {p["id"]: p for p in projects}
    if len(pids) != len(projects):
        fail(stem + ": duplicate project id")
    for p in projects:
        if not (id_range[0] <= p["id"] <= id_range[1]) or not p["description"]:
            fail("%s: bad project %s" % (stem, p["id"]))
    for r in history + bills:
        if r["key"] not in suppliers:
            fail("%s: unknown supplier %s" % (r["where"], r["key"]))
        if r["proj"] is not None and r["proj"] not in pids:
            fail("%s: unknown project %s" % (r["where"], r["proj"]))
    ruts = [s["rut"] for s in suppliers.values()] + [comp["rut"]]
    if len(set(ruts)) != len(ruts):
        fail(stem + ": duplicate RUT body")

    rng = random.Random(seed)

    # history rows
    hist_out = []
    for h in history:
        s = suppliers[h["key"]]
        hist_out.append({"supplier_name": s["name"],
                         "supplier_rut": rut_spell(s["rut"], rng.choice([0, 0, 0, 1])),
                         "description": h["text"], "project_id": h["proj"]})
    rng.shuffle(hist_out)

    # supplier history counts (by RUT body)
    counts = {}
    for h in history:
        c = counts.setdefault(suppliers[h["key"]]["rut"], {})
        c[h["proj"]] = c.get(h["proj"], 0) + 1

    idents = {p["id"]: [keyword_ident(k) for k in p["keywords"]] for p in projects}
    for pid, ids in idents.items():
        for i in ids:
            if len(i) < 6:
                fail("%s: keyword identifier too short in %s: %s" % (stem, pid, i))

    bill_out = []
    for b in bills:
        s = suppliers[b["key"]]
        lines = b["lines"]
        if not lines:
            fail("%s: bill without lines" % b["where"])
        amount = 0
        for l in lines:
            v = l["quantity"] * l["unit_price"]
            if abs(v - round(v)) > 1e-9:
                fail("%s: non-integer line amount" % b["where"])
            amount += int(round(v))
        if b["proj"] is None:
            lo, hi = d("2025-01-01"), d("2026-12-31")
        else:
            lo, hi = d(pids[b["proj"]]["start_date"]), d(pids[b["proj"]]["end_date"])
        span = (hi - lo).days
        rdate = lo + datetime.timedelta(days=rng.randint(0, span))
        date = d(b["date"]) if b["date"] else rdate
        if not (lo <= date <= hi):
            fail("%s: fixed date outside window" % b["where"])
        style = rng.choice([0, 0, 1, 1, 2])
        rec = {"supplier_name": s["name"], "supplier_rut": rut_spell(s["rut"], style),
               "invoice_description": b["text"], "lines": lines, "amount": amount,
               "issue_date": date.isoformat(), "purchase_order": b["po"],
               "expected_project_id": b["proj"]}
        tags = set(b["tags"])
        if b["proj"] is None:
            tags.add("overhead")
        else:
            if any(carries(rec, i) for i in idents[b["proj"]]):
                tags.add("po-reference")
        for pid, ids in idents.items():
            if pid != b["proj"] and any(carries(rec, i) for i in ids):
                fail("%s: bill carries identifier of project %s" % (b["where"], pid))
        c = counts.get(s["rut"], {})
        if len(c) >= 2 and c.get(b["proj"], 0) < max(c.values()):
            tags.add("shared-supplier")
        if "client-only" in tags:
            cl = pids[b["proj"]]["client"] if b["proj"] else None
            if cl is None or sum(1 for p in projects if p["client"] == cl) != 1:
                fail("%s: client-only on a client with several projects" % b["where"])
        if not tags:
            tags.add("plain")
        rec["difficulty"] = [t for t in TAG_ORDER if t in tags]
        bill_out.append(rec)
    rng.shuffle(bill_out)
    for i, rec in enumerate(bill_out, 1):
        rec_id = "%s%03d" % (prefix, i)
        bill_out[i - 1] = dict([("id", rec_id)] + list(rec.items()))

    proj_out = []
    for p in sorted(projects, key=lambda x: x["id"]):
        proj_out.append({"id": p["id"], "name": p["name"], "code": p["code"],
                         "client": p["client"], "location": p["location"],
                         "description": p["description"], "keywords": p["keywords"],
                         "budget": p["budget"], "start_date": p["start_date"],
                         "end_date": p["end_date"]})
    out = {"company": {"name": comp["name"], "rut": rut_spell(comp["rut"], 0),
                       "trade": comp["trade"]},
           "projects": proj_out, "history": hist_out, "bills": bill_out}
    path = os.path.join(HERE, "..", stem + ".json")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(out, ensure_ascii=False, indent=1))
        fh.write("\n")
    return path


def main():
    only = sys.argv[1:]
    for stem, rng_, prefix, seed in COMPANIES:
        if only and stem not in only:
            continue
        if not os.path.exists(os.path.join(SRC, stem + ".txt")):
            print("skip %s (no source yet)" % stem)
            continue
        print("wrote", build(stem, rng_, prefix, seed))


if __name__ == "__main__":
    main()
