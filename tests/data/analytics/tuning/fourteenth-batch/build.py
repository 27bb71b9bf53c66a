#!/usr/bin/env python3
"""Mechanical assembly of the blind evaluation set v14.
Reads src/<name>.txt (hand-written) and writes <name>.json next to this file.
Only mechanical work here: RUT numbers/check digits/spellings, amounts, dates
(seeded RNG), rule tags, shuffles, numbering."""
import json, os, random, datetime as dt, unicodedata, sys

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("tunnels", "T", 1401), ("stainless", "K", 2402), ("precast", "E", 3403)]
HAND = {"P": "place-variant", "V": "trade-vocabulary", "C": "client-only", "T": "typo"}
OV_LO, OV_HI = dt.date(2025, 1, 6), dt.date(2026, 12, 6)

def dv(n):
    s, m = 0, 2
    for d in reversed(str(n)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)

def dotted(n):
    s = f"{n:,}".replace(",", ".")
    return f"{s}-{dv(n)}"

def plain_rut(n):
    return f"{n}-{dv(n)}"

def norm(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()

def d(s):
    return dt.date.fromisoformat(s)

def build(name, prefix, seed):
    rng = random.Random(seed)
    company, projects, suppliers, hist, bills = None, [], {}, [], []
    for raw in open(os.path.join(HERE, "src", name + ".txt"), encoding="utf-8"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        f = [x.strip() for x in line.split("|")]
        k = f[0]
        if k == "C":
            company = {"name": f[1], "rut": dotted(int(f[2])), "trade": f[3]}
        elif k == "P":
            pid, pname, code, client, loc, kw, budget, sd, ed, desc = f[1:11]
            projects.append({"id": int(pid), "name": pname, "code": code, "client": client,
                             "location": loc, "description": desc, "keywords": [kw],
                             "budget": int(budget.replace("_", "")), "start_date": sd, "end_date": ed})
        elif k == "S":
            assert f[1] not in suppliers, f[1]
            suppliers[f[1]] = f[2]
        elif k == "H":
            key, pids, descs = f[1], f[2].split(","), [x.strip() for x in f[3].split(";")]
            n = max(len(pids), len(descs)) if len(f) < 5 else int(f[4])
            for i in range(n):
                p = pids[i % len(pids)].strip()
                hist.append((key, None if p == "-" else int(p), descs[i % len(descs)]))
        elif k == "B":
            key, p, po, tags, desc, lines = f[1:7]
            ls = []
            for l in lines.split(";"):
                a = [x.strip() for x in l.split("~")]
                q = float(a[1]) if "." in a[1] else int(a[1])
                ls.append({"description": a[0], "quantity": q, "unit": a[2], "unit_price": int(a[3])})
            bills.append((key, None if p == "-" else int(p), po, tags, desc, ls))
        else:
            raise SystemExit(f"bad line {line}")
    # supplier RUTs
    used, ruts = set(), {}
    for key in suppliers:
        while True:
            n = rng.randint(76_050_000, 77_980_000) if rng.random() < 0.85 else rng.randint(96_500_000, 96_990_000)
            if n not in used:
                used.add(n); ruts[key] = n; break
    for key, *_ in hist + bills:
        assert key in suppliers, (name, key)
    def spell(key):
        n = ruts[key]
        return dotted(n) if rng.random() < 0.55 else plain_rut(n)
    history = [{"supplier_name": suppliers[k], "supplier_rut": spell(k), "description": ds, "project_id": p}
               for k, p, ds in hist]
    rng.shuffle(history)
    history[0]["supplier_rut"] = dotted(ruts[next(k for k in suppliers if suppliers[k] == history[0]["supplier_name"])])
    history[1]["supplier_rut"] = plain_rut(ruts[next(k for k in suppliers if suppliers[k] == history[1]["supplier_name"])])
    hvals = {}
    for h in history:
        hvals.setdefault(h["supplier_name"], set()).add(h["project_id"])
    pmap = {p["id"]: p for p in projects}
    rng.shuffle(bills)
    out, oc = [], rng.randint(2100, 2900)
    cut = OV_HI
    dated = []
    for key, p, po, tags, desc, ls in bills:
        if p is None:
            lo, hi = OV_LO, OV_HI
        else:
            pr = pmap[p]
            lo = d(pr["start_date"]) - dt.timedelta(days=31)
            hi = min(d(pr["end_date"]) + dt.timedelta(days=62), cut)
        day = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
        dated.append((day, key, p, po, tags, desc, ls))
    dated.sort(key=lambda x: x[0])
    for i, (day, key, p, po, tags, desc, ls) in enumerate(dated):
        if po == "OC":
            oc += rng.randint(1, 9); po = f"OC {oc}"
        total = sum(l["quantity"] * l["unit_price"] for l in ls)
        assert abs(total - round(total)) < 1e-6, (name, desc, total)
        text = norm(" ".join([desc, po] + [l["description"] for l in ls]))
        t = []
        if p is None:
            t.append("overhead")
        else:
            if norm(pmap[p]["keywords"][0]) in text:
                t.append("po-reference")
        for pr in projects:
            if pr["id"] != p and norm(pr["keywords"][0]) in text:
                print(f"WARN {name}: foreign keyword {pr['keywords'][0]} in {desc}")
        if len(hvals.get(suppliers[key], ())) >= 2:
            t.append("shared-supplier")
        for c in tags:
            if c in HAND and HAND[c] not in t:
                t.append(HAND[c])
        if not t:
            t = ["plain"]
        out.append({"id": f"{prefix}{i+1:03d}", "supplier_name": suppliers[key], "supplier_rut": spell(key),
                    "issue_date": day.isoformat(), "invoice_description": desc, "purchase_order": po,
                    "amount": int(round(total)), "lines": ls, "expected_project_id": p, "difficulty": t})
    out[0]["supplier_rut"] = dotted(ruts[next(k for k in suppliers if suppliers[k] == out[0]["supplier_name"])])
    out[1]["supplier_rut"] = plain_rut(ruts[next(k for k in suppliers if suppliers[k] == out[1]["supplier_name"])])
    data = {"company": company, "projects": projects, "history": history, "bills": out}
    with open(os.path.join(HERE, "..", name + ".json"), "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
    print(f"{name}: {len(projects)} projects, {len(history)} history, {len(out)} bills")

if __name__ == "__main__":
    for n, p, s in FILES:
        if os.path.exists(os.path.join(HERE, "src", n + ".txt")):
            build(n, p, s)
