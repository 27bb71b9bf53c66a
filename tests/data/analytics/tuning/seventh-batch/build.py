#!/usr/bin/env python3
"""Mechanical build: src/*.txt (hand-written, pipe-separated) -> <company>.json.
Only does RUT check digits/formatting, totals, seeded dates, rule-based tags, shuffling, numbering."""
import json, random, datetime, re, sys, os
HERE = os.path.dirname(os.path.abspath(__file__))
COMPANIES = [("drilling", "D", 1501, 7101), ("cold-chain", "C", 1601, 7102), ("road-maintenance", "R", 1701, 7103)]
MAXD = datetime.date(2026, 12, 6)
OH_LO = datetime.date(2025, 1, 6)
TAGMAP = {"p": "place-variant", "t": "trade-vocabulary", "c": "client-only", "y": "typo"}

def dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)

def fmt(body, style):
    d = dv(body)
    b = str(body)
    dotted = "{:,}".format(int(b)).replace(",", ".")
    if style == 0:
        return f"{dotted}-{d}"
    if style == 1:
        return f"{b}-{d.lower()}"
    return f"{dotted}-{d.lower()}"

def norm(s):
    return re.sub(r"[\s.]", "", s.lower())

def rdate(rng, lo, hi):
    return lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))

def num(x):
    f = float(x)
    return int(f) if f.is_integer() else f

def build(name, prefix, pid0, seed):
    rng = random.Random(seed)
    comp, projects, sups, hist, bills = None, [], {}, [], []
    for ln, raw in enumerate(open(os.path.join(HERE, "src", name + ".txt"), encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("|")
        try:
            k = f[0]
            if k == "C":
                comp = {"name": f[1], "rut": fmt(int(f[2]), 0), "trade": f[3]}
            elif k == "P":
                pid, code, pname, client, loc, budget, sd, ed, kws, desc = f[1:11]
                projects.append({"id": int(pid), "name": pname, "code": code, "client": client, "location": loc,
                                 "description": desc, "keywords": [x.strip() for x in kws.split(";") if x.strip()],
                                 "budget": int(budget), "start_date": sd, "end_date": ed})
            elif k == "S":
                sups[f[1]] = (f[2], int(f[3]))
            elif k == "H":
                hist.append((f[1], None if f[2] == "-" else int(f[2]), f[3]))
            elif k == "B":
                key, pid, tags, po, desc, lines = f[1:7]
                bills.append((key, None if pid == "-" else int(pid), tags, po, desc, lines))
            else:
                raise ValueError("bad record")
        except Exception as e:
            sys.exit(f"{name}.txt:{ln}: {e}: {line}")
    # RUT spelling per supplier (mixed, deterministic)
    rut = {}
    for i, key in enumerate(sorted(sups)):
        rut[key] = fmt(sups[key][1], i % 3)
    pmap = {p["id"]: p for p in projects}
    # history
    H = []
    for key, pid, desc in hist:
        H.append({"supplier_name": sups[key][0], "supplier_rut": rut[key], "description": desc, "project_id": pid})
    rng.shuffle(H)
    counts = {}
    for key, pid, _ in hist:
        if pid is not None:
            counts.setdefault(key, {}).setdefault(pid, 0)
            counts[key][pid] += 1
    B = []
    for key, pid, tags, po, desc, lines in bills:
        L = []
        for part in lines.split("^"):
            d, q, u, pr = part.split("~")
            L.append({"description": d.strip(), "quantity": num(q), "unit": u, "unit_price": int(pr)})
        amount = int(round(sum(l["quantity"] * l["unit_price"] for l in L)))
        if pid is None:
            date = rdate(rng, OH_LO, MAXD)
        else:
            p = pmap[pid]
            lo = datetime.date.fromisoformat(p["start_date"]) - datetime.timedelta(days=31)
            hi = min(datetime.date.fromisoformat(p["end_date"]) + datetime.timedelta(days=62), MAXD)
            date = rdate(rng, lo, hi)
        t = []
        if pid is None:
            t.append("overhead")
        text = norm(" ".join([desc, po] + [l["description"] for l in L]))
        if pid is not None and any(norm(kw) in text for kw in pmap[pid]["keywords"]):
            t.append("po-reference")
        c = counts.get(key, {})
        if pid is not None and len(c) >= 2 and c.get(pid, 0) < max(c.values()):
            t.append("shared-supplier")
        for ch in tags:
            t.append(TAGMAP[ch])
        if not t:
            t = ["plain"]
        B.append({"supplier_name": sups[key][0], "supplier_rut": rut[key], "issue_date": date.isoformat(),
                  "invoice_description": desc, "purchase_order": po, "amount": amount, "lines": L,
                  "expected_project_id": pid, "difficulty": t})
    rng.shuffle(B)
    for i, b in enumerate(B, 1):
        b_id = f"{prefix}{i:03d}"
        B[i - 1] = {"id": b_id, **b}
    out = {"company": comp, "projects": projects, "history": H, "bills": B}
    with open(os.path.join(HERE, "..", name + ".json"), "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=1)
    print(f"built {name}.json: {len(projects)} projects, {len(H)} history, {len(B)} bills")

if __name__ == "__main__":
    for c in COMPANIES:
        build(*c)
