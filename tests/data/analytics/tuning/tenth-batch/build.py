#!/usr/bin/env python3
"""Mechanical build: reads src/*.txt (hand-written), writes demolition.json,
security.json, solarthermal.json. Does only: RUT check digits and formatting,
amounts, seeded dates, rule tags, seeded shuffle and numbering."""
import json, os, random, re, sys
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
FILES = [("demolition", "D"), ("security", "S"), ("solarthermal", "T")]
CAP = date(2026, 12, 6)
OH_LO, OH_HI = date(2025, 1, 6), date(2026, 12, 6)
HAND = {"p": "place-variant", "v": "trade-vocabulary", "c": "client-only", "t": "typo"}


def dv(num):
    s, m = 0, 2
    for d in reversed(str(num)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def fmt_rut(num, dotted):
    s = str(num)
    if dotted:
        parts = []
        while len(s) > 3:
            parts.insert(0, s[-3:])
            s = s[:-3]
        parts.insert(0, s)
        s = ".".join(parts)
    return f"{s}-{dv(num)}"


def norm(s):
    return re.sub(r"[\s.]", "", s.lower())


def records(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            yield n, [x.strip() for x in line.split("|")]


def num(s):
    v = float(s.replace(",", "."))
    return int(v) if v == int(v) else v


def build(co, prefix, used_ruts):
    rng = random.Random(f"blind-v10/{co}")
    company, projects = None, []
    for n, f in records(os.path.join(SRC, f"{co}_projects.txt")):
        if f[0] == "COMPANY":
            company = {"name": f[1], "rut": fmt_rut(int(f[2]), True), "trade": f[3]}
            continue
        assert len(f) == 10, (co, n, len(f))
        pid, code, name, client, loc, kw, budget, sd, ed, desc = f
        projects.append({"id": int(pid), "name": name, "code": code, "client": client,
                         "location": loc, "description": desc, "keywords": [kw],
                         "budget": int(budget), "start_date": sd, "end_date": ed})
    pmap = {p["id"]: p for p in projects}
    sup = {}
    for n, f in records(os.path.join(SRC, f"{co}_suppliers.txt")):
        key, name, rnum = f
        assert key not in sup, (co, key)
        assert rnum not in used_ruts, (co, key, rnum)
        used_ruts.add(rnum)
        sup[key] = (name, int(rnum))

    def rut_of(key):
        return fmt_rut(sup[key][1], rng.random() < 0.55)

    def pid_of(s):
        return None if s == "-" else int(s)

    history = []
    for n, f in records(os.path.join(SRC, f"{co}_history.txt")):
        assert len(f) == 3, (co, "history", n)
        key, p, desc = f
        pid = pid_of(p)
        assert pid is None or pid in pmap, (co, n, pid)
        history.append({"supplier_name": sup[key][0], "supplier_rut": rut_of(key),
                        "description": desc, "project_id": pid})
    rng.shuffle(history)

    hist_projects = {}
    for h in history:
        k = norm(h["supplier_rut"])
        if h["project_id"] is not None:
            hist_projects.setdefault(k, set()).add(h["project_id"])

    bills = []
    for n, f in records(os.path.join(SRC, f"{co}_bills.txt")):
        assert len(f) >= 6, (co, "bill", n)
        key, p, tags, po, desc = f[:5]
        pid = pid_of(p)
        assert pid is None or pid in pmap, (co, n, pid)
        fixed = None
        if "@" in tags:
            tags, d = tags.split("@")
            fixed = date.fromisoformat(d)
        hand = [] if tags in ("", "-") else [HAND[c] for c in tags]
        lines, amount = [], 0
        for l in f[5:]:
            ld, q, u, up = [x.strip() for x in l.split(";")]
            q, up = num(q), int(up)
            tot = q * up
            assert abs(tot - round(tot)) < 1e-9, (co, n, l)
            amount += round(tot)
            lines.append({"description": ld, "quantity": q, "unit": u, "unit_price": up})
        if pid is None:
            lo, hi = OH_LO, OH_HI
            rlo, rhi = lo, hi
        else:
            pr = pmap[pid]
            s, e = date.fromisoformat(pr["start_date"]), date.fromisoformat(pr["end_date"])
            lo, hi = s - timedelta(days=31), min(e + timedelta(days=62), CAP)
            rlo, rhi = s - timedelta(days=15), min(e + timedelta(days=40), CAP)
        if fixed:
            assert lo <= fixed <= hi, (co, n, fixed)
            d = fixed
        else:
            d = rlo + timedelta(days=rng.randint(0, (rhi - rlo).days))
        text = norm(" ".join([desc, po] + [x["description"] for x in lines]))
        t = list(hand)
        if pid is None:
            t.append("overhead")
        else:
            if norm(pmap[pid]["keywords"][0]) in text:
                t.append("po-reference")
        rk = norm(fmt_rut(sup[key][1], False))
        if len(hist_projects.get(rk, ())) >= 2:
            t.append("shared-supplier")
        if not t:
            t = ["plain"]
        bills.append({"id": None, "supplier_name": sup[key][0], "supplier_rut": rut_of(key),
                      "issue_date": d.isoformat(), "invoice_description": desc,
                      "purchase_order": po, "amount": amount, "lines": lines,
                      "expected_project_id": pid, "difficulty": t})
    rng.shuffle(bills)
    w = max(3, len(str(len(bills))))
    for i, b in enumerate(bills, 1):
        b["id"] = f"{prefix}{i:0{w}d}"
    out = {"company": company, "projects": projects, "history": history, "bills": bills}
    with open(os.path.join(HERE, "..", f"{co}.json"), "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    print(f"{co}.json: {len(projects)} projects, {len(history)} history, {len(bills)} bills")


if __name__ == "__main__":
    used = set()
    for co, pre in FILES:
        build(co, pre, used)
