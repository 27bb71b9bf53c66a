#!/usr/bin/env python3
"""Mechanical builder: src/*.txt (hand-written content) -> *.json.
Does only: RUT check digits and spellings, amounts, dates in windows,
PO numbers, rule tags, shuffling and numbering of bills. Fixed seed."""
import json, random, datetime, os, sys

SEED = 16016
FILES = [("apr", "R"), ("conveyor", "B"), ("housing", "V")]
OH_START, OH_END = datetime.date(2025, 1, 6), datetime.date(2026, 12, 6)
HAND_TAGS = {"place-variant", "trade-vocabulary", "client-only", "typo"}


def dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def spell(body, dotted):
    b = str(body)
    if dotted:
        parts = []
        while len(b) > 3:
            parts.insert(0, b[-3:]); b = b[:-3]
        parts.insert(0, b)
        return ".".join(parts) + "-" + dv(body)
    return b + "-" + dv(body)


def d(s):
    return datetime.date.fromisoformat(s)


def parse(path):
    comp, projects, sups, hist, bills = None, [], {}, [], []
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        f = [x.strip() for x in line.split("|")]
        k = f[0]
        try:
            if k == "COMPANY":
                comp = {"name": f[1], "rut_body": int(f[2]), "trade": f[3]}
            elif k == "HQ":
                pass
            elif k == "PROJECT":
                projects.append({"id": int(f[1]), "name": f[9], "code": f[2], "client": f[3],
                                 "location": f[4], "description": "", "keywords": [f[5]],
                                 "budget": int(f[6]), "start_date": f[7], "end_date": f[8]})
            elif k == "DESC":
                projects[-1]["description"] = f[1]
            elif k == "SUP":
                if f[1] in sups:
                    raise ValueError("dup supplier key")
                sups[f[1]] = (f[2], int(f[3]))
            elif k == "H":
                hist.append((f[1], None if f[2] == "-" else int(f[2]), f[3]))
            elif k == "B":
                tags = [t for t in f[3].split(",") if t]
                for t in tags:
                    if t not in HAND_TAGS:
                        raise ValueError("bad tag " + t)
                lines = []
                for spec in f[5:]:
                    p = [x.strip() for x in spec.split(";")]
                    if len(p) == 3:
                        p = [f[4]] + p
                    q = float(p[1]); q = int(q) if q == int(q) else q
                    lines.append({"description": p[0], "quantity": q, "unit": p[2], "unit_price": int(p[3])})
                bills.append((f[1], None if f[2] == "-" else int(f[2]), tags, f[4], lines))
            else:
                raise ValueError("unknown record " + k)
        except Exception as e:
            sys.exit(f"{path}:{n}: {e}: {line[:80]}")
    return comp, projects, sups, hist, bills


def build(name, prefix, rng):
    comp, projects, sups, hist, bills = parse(os.path.join("src", name + ".txt"))
    pmap = {p["id"]: p for p in projects}
    rut = lambda key: spell(sups[key][1], rng.random() < 0.5)
    history = [{"supplier_name": sups[s][0], "supplier_rut": rut(s), "description": desc, "project_id": pid}
               for s, pid, desc in hist]
    served = {}
    for s, pid, _ in hist:
        served.setdefault(s, set()).add(pid)
    out = []
    order = list(range(len(bills)))
    rng.shuffle(order)
    for i, bi in enumerate(order, 1):
        s, pid, tags, inv, lines = bills[bi]
        amount = sum(l["quantity"] * l["unit_price"] for l in lines)
        amount = int(round(amount))
        if pid is None:
            a, b = OH_START, OH_END
        else:
            p = pmap[pid]
            a, b = max(d(p["start_date"]), OH_START), min(d(p["end_date"]), OH_END)
        date = a + datetime.timedelta(days=rng.randint(0, (b - a).days))
        r = rng.random()
        if pid is None:
            po = "" if r < 0.6 else f"OC {rng.randint(2100, 2999)}"
        else:
            po = "" if r < 0.15 else (f"OC-{date.year % 100}{rng.randint(1000, 9999)}" if r < 0.7
                                      else f"45{rng.randint(10000000, 99999999)}")
        rule = []
        text = (inv + " " + " ".join(l["description"] for l in lines)).lower()
        if pid is None:
            rule.append("overhead")
        else:
            p = pmap[pid]
            if any(k.lower() in text for k in p["keywords"]) or p["code"].lower() in text:
                rule.append("po-reference")
        if len(served.get(s, set())) >= 2:
            rule.append("shared-supplier")
        tags_all = rule + tags
        if not tags_all:
            tags_all = ["plain"]
        out.append({"id": f"{prefix}{i:03d}", "supplier_name": sups[s][0], "supplier_rut": rut(s),
                    "invoice_description": inv, "lines": lines, "amount": amount,
                    "issue_date": date.isoformat(), "purchase_order": po,
                    "expected_project_id": pid, "difficulty": tags_all})
    data = {"company": {"name": comp["name"], "rut": spell(comp["rut_body"], True), "trade": comp["trade"]},
            "projects": projects, "history": history, "bills": out}
    with open(os.path.join("..", name + ".json"), "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    print(f"{name}.json: {len(projects)} projects, {len(history)} history, {len(out)} bills")


if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    rng = random.Random(SEED)
    for name, prefix in FILES:
        build(name, prefix, rng)
