#!/usr/bin/env python3
"""Mechanical build: src/*.txt (hand-written content) -> *.json.

Only mechanical work is done here, with a fixed seed: RUT check digits and
spellings, line amounts, issue dates inside windows, purchase-order numbers,
rule tags (overhead, po-reference, shared-supplier, plain), shuffling and
numbering of bills.
"""
import json, random, datetime, os, re, sys

SEED = 15015
HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("hydro", "H"), ("insulation", "A"), ("paving", "U")]
HAND = {"p": "place-variant", "t": "trade-vocabulary", "c": "client-only", "y": "typo"}
OH_START = datetime.date(2025, 1, 6)
OH_END = datetime.date(2026, 12, 6)


def dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def dotted(body):
    return "{:,}".format(body).replace(",", ".")


def rut_str(body, style):
    return (dotted(body) if style else str(body)) + "-" + dv(body)


def num(s):
    s = s.strip().replace(",", ".")
    v = float(s)
    return int(v) if v == int(v) else v


def parse(path):
    company, projects, hist, bills = None, [], [], []
    for ln, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("|")
        kind = f[0]
        if kind == "COMPANY":
            company = {"name": f[1], "rut_body": int(f[2]), "trade": f[3]}
        elif kind == "PROJECT":
            assert len(f) == 11, (path, ln, len(f))
            projects.append({"id": int(f[1]), "name": f[2], "code": f[3], "client": f[4],
                             "location": f[5], "description": f[6], "keywords": [f[7]],
                             "budget": int(f[8]), "start_date": f[9], "end_date": f[10]})
        elif kind == "HIST":
            assert len(f) == 4, (path, ln)
            hist.append({"pid": None if f[1] == "-" else int(f[1]), "supplier": f[2], "desc": f[3]})
        elif kind == "BILL":
            assert len(f) >= 6, (path, ln)
            lines = []
            for l in f[5:]:
                d, q, u, p = l.split(";")
                lines.append({"description": d, "quantity": num(q), "unit": u, "unit_price": int(p)})
            tags = [HAND[t.strip()] for t in f[4].split(",") if t.strip()]
            bills.append({"pid": None if f[1] == "-" else int(f[1]), "supplier": f[2],
                          "desc": f[3], "tags": tags, "lines": lines, "ln": ln})
        else:
            raise SystemExit("bad record %s:%d" % (path, ln))
    return company, projects, hist, bills


def is_company_name(n):
    return bool(re.search(r"(SpA|Ltda\.?|S\.A\.|EIRL|E\.I\.R\.L\.)$", n))


def build(name, prefix, rng):
    company, projects, hist, bills = parse(os.path.join(HERE, "src", name + ".txt"))
    # --- RUTs: one body per supplier name, unique within the file
    used = {company["rut_body"]}
    suppliers = sorted({h["supplier"] for h in hist} | {b["supplier"] for b in bills})
    body = {}
    for s in suppliers:
        while True:
            b = rng.randint(76100000, 77999999) if is_company_name(s) else rng.randint(7000000, 19999999)
            if b not in used:
                break
        used.add(b)
        body[s] = b
    style = lambda: rng.random() < 0.5
    pby = {p["id"]: p for p in projects}
    out_hist = [{"supplier_name": h["supplier"], "supplier_rut": rut_str(body[h["supplier"]], style()),
                 "description": h["desc"], "project_id": h["pid"]} for h in hist]
    # --- shared suppliers from history
    served = {}
    for h in hist:
        served.setdefault(h["supplier"], set()).add(h["pid"])
    marks = [(p["id"], p["keywords"][0].lower()) for p in projects] + [(p["id"], p["code"].lower()) for p in projects]
    out_bills = []
    for b in bills:
        if b["pid"] is None:
            d0, d1 = OH_START, OH_END
        else:
            p = pby[b["pid"]]
            d0 = datetime.date.fromisoformat(p["start_date"])
            d1 = datetime.date.fromisoformat(p["end_date"])
        date = d0 + datetime.timedelta(days=rng.randint(0, (d1 - d0).days))
        r = rng.random()
        if r < 0.45:
            po = "OC 45%05d" % rng.randint(0, 99999)
        elif r < 0.72:
            po = "OC-%04d" % rng.randint(100, 9999)
        else:
            po = ""
        amount = round(sum(l["quantity"] * l["unit_price"] for l in b["lines"]))
        text = " ".join([b["desc"], po] + [l["description"] for l in b["lines"]]).lower()
        tags = []
        if b["pid"] is None:
            tags.append("overhead")
        if b["pid"] is not None and any(pid == b["pid"] and m in text for pid, m in marks):
            tags.append("po-reference")
        if len(served.get(b["supplier"], ())) >= 2:
            tags.append("shared-supplier")
        tags += b["tags"]
        if not tags:
            tags = ["plain"]
        out_bills.append({"supplier_name": b["supplier"], "supplier_rut": rut_str(body[b["supplier"]], style()),
                          "invoice_description": b["desc"], "lines": b["lines"], "amount": amount,
                          "issue_date": date.isoformat(), "purchase_order": po,
                          "expected_project_id": b["pid"], "difficulty": tags})
    rng.shuffle(out_bills)
    out = []
    for i, b in enumerate(out_bills, 1):
        out.append(dict([("id", "%s%03d" % (prefix, i))] + list(b.items())))
    data = {"company": {"name": company["name"], "rut": rut_str(company["rut_body"], True), "trade": company["trade"]},
            "projects": projects, "history": out_hist, "bills": out}
    with open(os.path.join(HERE, "..", name + ".json"), "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
    print("%s.json: %d projects, %d history, %d bills" % (name, len(projects), len(out_hist), len(out)))


def main():

    names = sys.argv[1:] or [n for n, _ in FILES]
    for n, pre in FILES:
        if n in names:
            build(n, pre, random.Random("%d-%s" % (SEED, n)))


if __name__ == "__main__":
    main()
