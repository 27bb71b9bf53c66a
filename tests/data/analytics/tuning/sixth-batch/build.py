#!/usr/bin/env python3
"""Mechanical builder: reads hand-written sources in src/*.txt and writes the JSON files.
Only does: RUT check digits/formatting, amounts, missing dates, rule tags, shuffle, numbering."""
import json, random, hashlib, datetime as dt, re, os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
TODAY = dt.date(2026, 12, 6)
FILES = [("forestry", "F", 61), ("camp-services", "K", 62), ("wind-storage", "W", 63)]
TAGMAP = {"p": "place-variant", "t": "trade-vocabulary", "c": "client-only", "y": "typo"}
ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference", "client-only", "typo", "plain"]

def dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else ("k" if r == 10 else str(r))

def fmt_rut(body, dotted):
    b = str(body)
    if dotted:
        b = "{:,}".format(body).replace(",", ".")
    return f"{b}-{dv(body)}"

PERSON_HINT = re.compile(r"\b(LTDA|SPA|S\.A\.|SA|EIRL|E\.I\.R\.L\.|LIMITADA|S\.A|CIA|Y CIA)\b")

def supplier_rut(name):
    h = int(hashlib.md5(name.encode()).hexdigest(), 16)
    if PERSON_HINT.search(name):
        body = 76000000 + h % 2000000 if h % 5 else 77000000 + h % 999999
    else:
        body = 6000000 + h % 13000000
    return fmt_rut(body, dotted=(h >> 8) % 3 != 0)

def norm(s):
    return re.sub(r"[\s.]", "", s).lower()

def parse(path):
    sec, out = None, {"COMPANY": [], "PROJECTS": [], "SUPPLIERS": [], "HISTORY": [], "BILLS": []}
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("//"):
            continue
        if line.startswith("#"):
            sec = line[1:].strip()
            continue
        out[sec].append((n, [f.strip() for f in line.split("|")]))
    return out

def build(stem, prefix, seed):
    src = parse(os.path.join(HERE, "src", stem + ".txt"))
    rng = random.Random(seed)
    (_, c), = src["COMPANY"]
    company = {"name": c[0], "rut": fmt_rut(int(c[2]), True), "trade": c[1]}
    projects, pmap = [], {}
    for n, f in src["PROJECTS"]:
        assert len(f) == 10, (stem, n, f)
        p = {"id": int(f[0]), "name": f[2], "code": f[1], "client": f[3], "location": f[4],
             "description": f[9], "keywords": [k.strip() for k in f[8].split(";") if k.strip()],
             "budget": int(f[5]), "start_date": f[6], "end_date": f[7]}
        projects.append(p); pmap[p["id"]] = p
    sup = {}
    for n, f in src["SUPPLIERS"]:
        assert len(f) == 2, (stem, n, f)
        assert f[0] not in sup, (stem, n, "dup key")
        sup[f[0]] = f[1]
    names = list(sup.values()); assert len(names) == len(set(names)), (stem, "dup supplier name")
    def pid(x):
        return None if x in ("-", "") else int(x)
    history = []
    for n, f in src["HISTORY"]:
        assert len(f) == 3 and f[0] in sup, (stem, n, f)
        p = pid(f[1]); assert p is None or p in pmap, (stem, n)
        history.append({"supplier_name": sup[f[0]], "supplier_rut": supplier_rut(sup[f[0]]),
                        "description": f[2], "project_id": p})
    # supplier -> project counts in history
    counts = {}
    for h in history:
        if h["project_id"] is not None:
            counts.setdefault(h["supplier_name"], {}).setdefault(h["project_id"], 0)
            counts[h["supplier_name"]][h["project_id"]] += 1
    bills = []
    for n, f in src["BILLS"]:
        assert len(f) == 7 and f[0] in sup, (stem, n, f)
        p = pid(f[1]); assert p is None or p in pmap, (stem, n)
        lines = []
        for item in f[5].split("~"):
            d, q, u, pr = [x.strip() for x in item.split("*")]
            q = float(q.replace(",", ".")); q = int(q) if q == int(q) else q
            lines.append({"description": d, "quantity": q, "unit": u, "unit_price": int(pr)})
        amount = int(round(sum(l["quantity"] * l["unit_price"] for l in lines)))
        if f[2]:
            date = dt.date.fromisoformat(f[2])
        else:
            if p is None:
                lo, hi = dt.date(2025, 1, 6), TODAY
            else:
                lo = dt.date.fromisoformat(pmap[p]["start_date"]) - dt.timedelta(days=31)
                hi = min(dt.date.fromisoformat(pmap[p]["end_date"]) + dt.timedelta(days=62), TODAY)
            date = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
        tags = set(TAGMAP[ch] for ch in f[6] if ch in TAGMAP)
        assert all(ch in TAGMAP for ch in f[6]), (stem, n, f[6])
        if p is None:
            tags.add("overhead")
        else:
            blob = norm(" ".join([f[4], f[3]] + [l["description"] for l in lines]))
            if any(norm(k) in blob for k in pmap[p]["keywords"]):
                tags.add("po-reference")
            cs = counts.get(sup[f[0]], {})
            if len(cs) >= 2 and cs.get(p, 0) < max(cs.values()):
                tags.add("shared-supplier")
        if not tags:
            tags.add("plain")
        bills.append({"id": "", "supplier_name": sup[f[0]], "supplier_rut": supplier_rut(sup[f[0]]),
                      "issue_date": date.isoformat(), "invoice_description": f[4], "purchase_order": f[3],
                      "amount": amount, "lines": lines, "expected_project_id": p,
                      "difficulty": [t for t in ORDER if t in tags]})
    rng.shuffle(bills)
    for i, b in enumerate(bills, 1):
        b["id"] = f"{prefix}{i:03d}"
    rng.shuffle(history)
    data = {"company": company, "projects": projects, "history": history, "bills": bills}
    with open(os.path.join(HERE, "..", stem + ".json"), "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
    print(f"{stem}: {len(projects)} projects, {len(history)} history, {len(bills)} bills")

if __name__ == "__main__":
    for stem, prefix, seed in FILES:
        if os.path.exists(os.path.join(HERE, "src", stem + ".txt")):
            build(stem, prefix, seed)
