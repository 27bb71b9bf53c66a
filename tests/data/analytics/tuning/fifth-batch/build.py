#!/usr/bin/env python3
"""Mechanical builder: reads hand-written sources in src/*.txt and writes *.json.

Source line kinds (fields separated by '|'):
  C|company name|rut body|trade
  P|id|code|name|client|location|description|kw1;kw2|budget|start|end
  S|key|SUPPLIER NAME|rut body|d or u     (d = dotted RUT, u = undotted)
  H|supkey|project id or -|description
  B|supkey|project id or -|date or empty|purchase order|hand tags|invoice description|lines
     lines: 'desc~qty~unit~unit_price' separated by ' ^ '
     hand tags (comma separated): pv place-variant, tv trade-vocabulary,
                                  co client-only, ty typo
Only mechanical work is done here: check digits, RUT formatting, amounts,
dates when left empty, po-reference / shared-supplier / overhead / plain tags
by rule, shuffle and numbering.
"""
import json, random, datetime, os, re, collections

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("environmental", "V"), ("public-buildings", "B"), ("aquaculture", "Q")]
TAGMAP = {"pv": "place-variant", "tv": "trade-vocabulary", "co": "client-only", "ty": "typo"}
LAST_DAY = datetime.date(2026, 12, 6)
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]


def dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else ("k" if r == 10 else str(r))


def fmt_rut(body, dotted):
    b = str(body)
    if dotted:
        parts = []
        while b:
            parts.insert(0, b[-3:])
            b = b[:-3]
        b = ".".join(parts)
    return "%s-%s" % (b, dv(body))


def norm(s):
    return re.sub(r"[\s.]", "", s.lower())


def bill_texts(b):
    return [b["invoice_description"], b["purchase_order"]] + [l["description"] for l in b["lines"]]


def has_kw(texts, kw):
    k = norm(kw)
    return any(k in norm(t) for t in texts)


def num(x):
    f = float(x)
    return int(f) if f == int(f) else f


def build(name, prefix):
    src = os.path.join(HERE, "src", name + ".txt")
    rng = random.Random("blind-v5-" + name)
    company, projects, sups, history, bills = None, [], {}, [], []
    for ln, raw in enumerate(open(src, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        f = [x.strip() for x in line.split("|")]
        k = f[0]
        try:
            if k == "C":
                company = {"name": f[1], "rut": fmt_rut(f[2], True), "trade": f[3]}
            elif k == "P":
                projects.append({"id": int(f[1]), "name": f[3], "code": f[2], "client": f[4],
                                 "location": f[5], "description": f[6],
                                 "keywords": [x.strip() for x in f[7].split(";") if x.strip()],
                                 "budget": int(f[8]), "start_date": f[9], "end_date": f[10]})
                assert len(f) == 11
            elif k == "S":
                assert f[1] not in sups, f[1]
                sups[f[1]] = (f[2], fmt_rut(f[3], f[4] == "d"))
                assert len(f) == 5
            elif k == "H":
                assert len(f) == 4
                n, r = sups[f[1]]
                history.append({"supplier_name": n, "supplier_rut": r, "description": f[3],
                                "project_id": None if f[2] == "-" else int(f[2])})
            elif k == "B":
                assert len(f) == 8, len(f)
                n, r = sups[f[1]]
                lines = []
                for part in f[7].split(" ^ "):
                    d, q, u, p = [x.strip() for x in part.split("~")]
                    lines.append({"description": d, "quantity": num(q), "unit": u, "unit_price": int(p)})
                amount = sum(l["quantity"] * l["unit_price"] for l in lines)
                assert abs(amount - round(amount)) < 1e-6, amount
                tags = [TAGMAP[t.strip()] for t in f[5].split(",") if t.strip()]
                bills.append({"id": "", "supplier_name": n, "supplier_rut": r, "issue_date": f[3],
                              "invoice_description": f[6], "purchase_order": f[4],
                              "amount": int(round(amount)), "lines": lines,
                              "expected_project_id": None if f[2] == "-" else int(f[2]),
                              "difficulty": tags})
            else:
                raise ValueError("unknown kind")
        except Exception as e:
            raise SystemExit("%s line %d: %r %s" % (src, ln, e, line[:80]))
    pmap = {p["id"]: p for p in projects}
    # supplier history counts per project
    hist_counts = collections.defaultdict(collections.Counter)
    for h in history:
        if h["project_id"] is not None:
            hist_counts[h["supplier_name"]][h["project_id"]] += 1
    for b in bills:
        pid = b["expected_project_id"]
        tags = set(b["difficulty"])
        # dates left empty
        if not b["issue_date"]:
            if pid is None:
                lo, hi = datetime.date(2025, 1, 2), LAST_DAY
            else:
                p = pmap[pid]
                lo = datetime.date.fromisoformat(p["start_date"]) - datetime.timedelta(days=31)
                hi = min(datetime.date.fromisoformat(p["end_date"]) + datetime.timedelta(days=62), LAST_DAY)
            d = lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))
            if d.weekday() == 6:
                d = d - datetime.timedelta(days=1) if d - datetime.timedelta(days=1) >= lo else d + datetime.timedelta(days=1)
            b["issue_date"] = d.isoformat()
        if pid is None:
            tags.add("overhead")
        else:
            if any(has_kw(bill_texts(b), kw) for kw in pmap[pid]["keywords"]):
                tags.add("po-reference")
            c = hist_counts.get(b["supplier_name"])
            if c and len(c) >= 2 and c[pid] < max(c.values()):
                tags.add("shared-supplier")
        if not tags:
            tags.add("plain")
        b["difficulty"] = [t for t in TAG_ORDER if t in tags]
    rng.shuffle(bills)
    for i, b in enumerate(bills, 1):
        b["id"] = "%s%03d" % (prefix, i)
    out = {"company": company, "projects": projects, "history": history, "bills": bills}
    with open(os.path.join(HERE, "..", name + ".json"), "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    print("built %s.json: %d projects, %d history, %d bills" % (name, len(projects), len(history), len(bills)))


if __name__ == "__main__":
    for name, prefix in FILES:
        if os.path.exists(os.path.join(HERE, "src", name + ".txt")):
            build(name, prefix)
