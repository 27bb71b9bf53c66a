#!/usr/bin/env python3
"""Mechanical build of the blind-v8 evaluation set from the hand-written sources in src/.
Does only: RUT check digits and formatting, line totals / amounts, seeded issue dates,
rule-based tags (overhead, po-reference, shared-supplier, plain), seeded shuffle and numbering."""
import json, random, re, sys
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

BASE = Path(__file__).resolve().parent
COMPANIES = [("clinical", "H", 180101), ("coatings", "P", 190101), ("elevators", "E", 200101)]
MANUAL_TAGS = {"place-variant", "trade-vocabulary", "client-only", "typo"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
LAST_DAY = date(2026, 12, 6)
OH_FIRST = date(2025, 1, 6)


def rut_dv(body: int) -> str:
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def fmt_rut(body: str, style: str) -> str:
    b = int(body)
    dv = rut_dv(b)
    if style == "D":
        return f"{b:,}".replace(",", ".") + "-" + dv
    return f"{b}-{dv.lower()}"


def norm(s: str) -> str:
    return re.sub(r"[\s.]", "", s).lower()


def num(x: str):
    v = float(x.replace(",", "."))
    return int(v) if v == int(v) else v


def parse(path: Path):
    company, projects, suppliers, history, bills = None, [], {}, [], []
    for ln, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        f = line.split("|")
        try:
            if f[0] == "@company":
                company = {"name": f[1], "rut": fmt_rut(f[2], "D"), "trade": f[3]}
            elif f[0] == "@project":
                assert len(f) == 11, "project fields"
                kws = [k.strip() for k in f[9].split(";") if k.strip()]
                projects.append({"id": int(f[1]), "name": f[3], "code": f[2], "client": f[4],
                                 "location": f[5], "description": f[10], "keywords": kws,
                                 "budget": int(f[8]), "start_date": f[6], "end_date": f[7]})
            elif f[0] == "@supplier":
                assert f[1] not in suppliers, "dup supplier key"
                suppliers[f[1]] = (f[2], fmt_rut(f[3], f[4]))
            elif f[0] == "H":
                assert len(f) == 4, "history fields"
                name, rut = suppliers[f[1]]
                history.append({"supplier_name": name, "supplier_rut": rut, "description": f[3],
                                "project_id": None if f[2] == "-" else int(f[2])})
            elif f[0] == "B":
                assert len(f) == 7, "bill fields"
                name, rut = suppliers[f[1]]
                tags = [t for t in f[3].split(",") if t]
                assert set(tags) <= MANUAL_TAGS, f"bad manual tag {tags}"
                lines = []
                for part in f[6].split(";;"):
                    d, q, u, p = part.split("~")
                    lines.append({"description": d.strip(), "quantity": num(q), "unit": u.strip(),
                                  "unit_price": int(p)})
                bills.append({"supplier_name": name, "supplier_rut": rut, "purchase_order": f[4],
                              "invoice_description": f[5], "lines": lines,
                              "expected_project_id": None if f[2] == "-" else int(f[2]),
                              "difficulty": tags})
            else:
                raise ValueError("unknown record")
        except Exception as e:  # noqa
            sys.exit(f"{path.name}:{ln}: {e}: {raw}")
    return company, projects, history, bills


def build(name, prefix, seed):
    company, projects, history, bills = parse(BASE / "src" / f"{name}.txt")
    rng = random.Random(seed)
    pmap = {p["id"]: p for p in projects}
    # supplier history counts per project
    hcount = defaultdict(Counter)
    for h in history:
        if h["project_id"] is not None:
            hcount[h["supplier_name"]][h["project_id"]] += 1
    out = []
    for b in bills:
        pid = b["expected_project_id"]
        tags = list(b["difficulty"])
        if pid is None:
            assert not tags, f"manual tags on overhead bill {b}"
            tags.append("overhead")
            lo, hi = OH_FIRST, LAST_DAY
        else:
            p = pmap[pid]
            lo = date.fromisoformat(p["start_date"]) - timedelta(days=31)
            hi = min(date.fromisoformat(p["end_date"]) + timedelta(days=62), LAST_DAY)
            text = norm(" ".join([b["purchase_order"], b["invoice_description"]] +
                                 [l["description"] for l in b["lines"]]))
            if any(norm(k) in text for k in p["keywords"]):
                tags.append("po-reference")
            c = hcount.get(b["supplier_name"], Counter())
            if len(c) >= 2 and c.get(pid, 0) < max(c.values()):
                tags.append("shared-supplier")
        if not tags:
            tags = ["plain"]
        tags = sorted(set(tags), key=TAG_ORDER.index)
        d = lo + timedelta(days=rng.randint(0, (hi - lo).days))
        amount = round(sum(l["quantity"] * l["unit_price"] for l in b["lines"]))
        out.append({"supplier_name": b["supplier_name"], "supplier_rut": b["supplier_rut"],
                    "issue_date": d.isoformat(), "invoice_description": b["invoice_description"],
                    "purchase_order": b["purchase_order"], "amount": amount, "lines": b["lines"],
                    "expected_project_id": pid, "difficulty": tags})
    rng.shuffle(out)
    final = []
    for i, b in enumerate(out, 1):
        final.append({"id": f"{prefix}{i:03d}", **b})
    hist = list(history)
    rng.shuffle(hist)
    data = {"company": company, "projects": projects, "history": hist, "bills": final}
    (BASE / ".." / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    print(f"built {name}.json: {len(projects)} projects, {len(hist)} history, {len(final)} bills")


if __name__ == "__main__":
    for n, pre, s in COMPANIES:
        if (BASE / "src" / f"{n}.txt").exists():
            build(n, pre, s)
