#!/usr/bin/env python3
"""Mechanical build of the v13 blind set from src/*.txt.

Only mechanical work happens here: RUT check digits and spellings, supplier RUT
bodies, amounts, random dates (seeded), own OC numbers, rule tags, shuffles and
bill numbering. All names, texts, project assignments and hand tags are in src/.
"""
import datetime as dt
import json
import os
import random
import re
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
COMPANIES = [("fireprotection", "P", 1301), ("landfill", "L", 1302), ("fitout", "I", 1303)]
HAND = {"pv": "place-variant", "tv": "trade-vocabulary", "co": "client-only", "ty": "typo"}
D0, D1 = dt.date(2024, 6, 1), dt.date(2026, 12, 6)
OVH0 = dt.date(2025, 1, 6)


def dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut(body, dotted):
    b = str(body)
    if dotted:
        b = f"{int(b):,}".replace(",", ".")
    return f"{b}-{dv(body)}"


def norm(t):
    t = unicodedata.normalize("NFKD", t)
    return "".join(c for c in t if not unicodedata.combining(c)).lower()


def d(s):
    return dt.date.fromisoformat(s)


def rand_date(rng, a, b):
    return (a + dt.timedelta(days=rng.randint(0, (b - a).days))).isoformat()


def parse(name):
    comp, projects, sups, hist, bills = None, [], {}, [], []
    for raw in open(os.path.join(HERE, "src", name + ".txt"), encoding="utf-8"):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        kind, rest = line.split(" ", 1)
        f = rest.split("|")
        if kind == "C":
            comp = f
        elif kind == "P":
            assert len(f) == 10, line
            projects.append(dict(id=int(f[0]), name=f[1], code=f[2], client=f[3], location=f[4],
                                 description=f[5], keywords=[f[6]], budget=int(f[7]),
                                 start_date=f[8], end_date=f[9]))
        elif kind == "S":
            assert f[0] not in sups, line
            sups[f[0]] = f[1]
        elif kind == "H":
            assert len(f) == 3 and f[0] in sups, line
            for desc in f[2].split(";"):
                hist.append((f[0], None if f[1] == "-" else int(f[1]), desc.strip()))
        elif kind == "B":
            assert len(f) == 7 and f[0] in sups, line
            bills.append(f)
        elif kind == "HO":
            pass
        else:
            raise SystemExit("bad line: " + line)
    return comp, projects, sups, hist, bills


def main():
    used_bodies = set()
    body_rng = random.Random(13013)
    for cname, prefix, seed in COMPANIES:
        rng = random.Random(seed)
        comp, projects, sups, hist, bills = parse(cname)
        pmap = {p["id"]: p for p in projects}
        bodies = {}
        for key, sname in sups.items():
            while True:
                lo, hi = (96000000, 99599999) if re.search(r"S\.A\.$|S\.A\.G\.R\.$", sname) else (76000000, 78999999)
                b = body_rng.randint(lo, hi)
                if b not in used_bodies:
                    used_bodies.add(b)
                    bodies[key] = b
                    break
        # history
        hrows = []
        for i, (key, pid, desc) in enumerate(hist):
            dotted = (i % 2 == 0) if i < 2 else rng.random() < 0.55
            hrows.append({"supplier_name": sups[key], "supplier_rut": rut(bodies[key], dotted),
                          "description": desc, "project_id": pid})
        hvals = {}
        for key, pid, _ in hist:
            hvals.setdefault(sups[key], set()).add(pid)
        # bills
        out = []
        for i, (key, pid_s, date_s, inv, po, lines_s, tags_s) in enumerate(bills):
            pid = None if pid_s == "-" else int(pid_s)
            if date_s == "*":
                if pid is None:
                    date = rand_date(rng, OVH0, D1)
                else:
                    p = pmap[pid]
                    a = max(d(p["start_date"]) - dt.timedelta(days=31), D0)
                    b = min(d(p["end_date"]) + dt.timedelta(days=62), D1)
                    if max(a, OVH0) <= b:
                        a = max(a, OVH0)
                    date = rand_date(rng, a, b)
            else:
                date = date_s
            if po == "S":
                po_v = "S/OC"
            elif po == "O":
                po_v = f"OC {rng.randint(1100, 9899)}"
            elif po == "K":
                po_v = pmap[pid]["keywords"][0]
            else:
                po_v = po
            lines = []
            for ls in lines_s.split("^"):
                ld, q, u, pr = ls.split("~")
                qv = float(q) if "." in q else int(q)
                lines.append({"description": ld, "quantity": qv, "unit": u, "unit_price": int(pr)})
            if inv == "=":
                inv = lines[0]["description"]
            amount = int(round(sum(l["quantity"] * l["unit_price"] for l in lines)))
            tags = [HAND[t.strip()] for t in tags_s.split(",") if t.strip()]
            text = norm(" ".join([inv, po_v] + [l["description"] for l in lines]))
            if pid is None:
                tags.append("overhead")
            elif norm(pmap[pid]["keywords"][0]) in text:
                tags.append("po-reference")
            if len(hvals.get(sups[key], set())) >= 2:
                tags.append("shared-supplier")
            if not tags:
                tags.append("plain")
            dotted = (i % 2 == 0) if i < 2 else rng.random() < 0.5
            out.append({"supplier_name": sups[key], "supplier_rut": rut(bodies[key], dotted),
                        "issue_date": date, "invoice_description": inv, "purchase_order": po_v,
                        "amount": amount, "lines": lines, "expected_project_id": pid,
                        "difficulty": tags})
        rng.shuffle(hrows)
        rng.shuffle(out)
        final = []
        for n, b in enumerate(out, 1):
            final.append({"id": f"{prefix}{n:03d}", **b})
        data = {"company": {"name": comp[0], "rut": rut(int(comp[1]), True), "trade": comp[2]},
                "projects": projects, "history": hrows, "bills": final}
        with open(os.path.join(HERE, "..", cname + ".json"), "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
        print(f"{cname}: {len(projects)} projects, {len(hrows)} history, {len(final)} bills")


if __name__ == "__main__":
    main()
