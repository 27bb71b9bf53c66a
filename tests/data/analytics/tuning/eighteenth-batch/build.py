#!/usr/bin/env python3
"""Build the three JSON files of blind evaluation set v18 from the hand-written src/*.txt.

Only mechanical work is done here: RUT check digits and their two spellings, line amounts
and bill totals, dates inside windows (when a bill has no hand-set date), internal PO numbers,
substitution of {KW}/{CODE} placeholders, rule tags, shuffling and numbering.
Standard library only; fixed seed; writes next to this file whatever the current directory.
"""
import json, os, random, sys, datetime
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
SEED = 18018
OVH_FROM, OVH_TO = datetime.date(2025, 1, 6), datetime.date(2026, 12, 6)
HAND = {"pv": "place-variant", "tv": "trade-vocabulary", "co": "client-only", "ty": "typo"}
TAG_ORDER = ["overhead", "po-reference", "shared-supplier", "place-variant",
             "trade-vocabulary", "client-only", "typo", "plain"]


def dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def dotted(body):
    b = str(body)
    parts = []
    while len(b) > 3:
        parts.insert(0, b[-3:])
        b = b[:-3]
    parts.insert(0, b)
    return ".".join(parts) + "-" + dv(body)


def plain(body):
    return "%s-%s" % (body, dv(body))


def d(s):
    return datetime.date.fromisoformat(s)


def rand_date(rng, a, b):
    return a + datetime.timedelta(days=rng.randint(0, (b - a).days))


def num(q):
    f = Fraction(q)
    return int(f) if f.denominator == 1 else float(q)


def parse(path):
    comp, projects, sups, hist, bills, ocfmt = None, [], {}, [], [], None
    with open(path, encoding="utf-8") as fh:
        for ln, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            f = [x.strip() for x in line.split("|")]
            kind = f[0]
            try:
                if kind == "COMPANY":
                    comp = dict(name=f[1], body=f[2], trade=f[3], prefix=f[4], out=f[5])
                elif kind == "OCFORMAT":
                    ocfmt = f[1:]
                elif kind == "PROJECT":
                    projects.append(dict(id=int(f[1]), code=f[2], name=f[3], client=f[4], location=f[5],
                                         keyword=f[6], budget=int(f[7]), start=f[8], end=f[9], description=f[10]))
                elif kind == "SUP":
                    assert f[1] not in sups, "duplicate supplier key " + f[1]
                    sups[f[1]] = dict(name=f[2], body=f[3])
                elif kind == "H":
                    assert len(f) == 4
                    hist.append(dict(sup=f[1], pid=None if f[2] == "-" else int(f[2]), desc=f[3]))
                elif kind == "B":
                    assert len(f) == 8, "B line needs 8 fields"
                    lines = []
                    for item in f[4].split("§"):
                        p = [x.strip() for x in item.split("~")]
                        assert len(p) == 4, "line item needs desc~qty~unit~price: " + item
                        lines.append(dict(desc=p[0], qty=p[1], unit=p[2], price=int(p[3])))
                    tags = [t for t in f[6].split(",") if t]
                    for t in tags:
                        assert t in HAND, "unknown hand tag " + t
                    bills.append(dict(sup=f[1], pid=None if f[2] == "-" else int(f[2]), inv=f[3],
                                      lines=lines, po=f[5], tags=tags, date=f[7]))
                else:
                    raise ValueError("unknown record " + kind)
            except Exception as e:
                sys.exit("%s:%d: %s\n  %s" % (path, ln, e, line))
    return comp, projects, sups, hist, bills, ocfmt


def build(fname, rng):
    comp, projects, sups, hist, bills, ocfmt = parse(os.path.join(SRC, fname))
    pmap = {p["id"]: p for p in projects}

    def rut(key):
        body = sups[key]["body"]
        return dotted(body) if rng.random() < 0.5 else plain(body)

    def sub(text, p):
        if p is None:
            assert "{KW}" not in text and "{CODE}" not in text, text
            return text
        return text.replace("{KW}", p["keyword"]).replace("{CODE}", p["code"])

    out_projects = []
    for p in projects:
        out_projects.append({"id": p["id"], "name": p["name"], "code": p["code"], "client": p["client"],
                             "location": p["location"], "description": p["description"],
                             "keywords": [p["keyword"]], "budget": p["budget"],
                             "start_date": p["start"], "end_date": p["end"]})

    # history: shuffle, then spell RUTs
    hist = list(hist)
    rng.shuffle(hist)
    out_hist = []
    served = {}
    for h in hist:
        assert h["sup"] in sups, "unknown supplier " + h["sup"]
        assert h["pid"] is None or h["pid"] in pmap, h
        served.setdefault(h["sup"], set()).add(h["pid"])
        out_hist.append({"supplier_name": sups[h["sup"]]["name"], "supplier_rut": rut(h["sup"]),
                         "description": h["desc"], "project_id": h["pid"]})

    bills = list(bills)
    rng.shuffle(bills)
    out_bills = []
    used_oc = set()
    for i, b in enumerate(bills, 1):
        assert b["sup"] in sups, "unknown supplier " + b["sup"]
        p = pmap[b["pid"]] if b["pid"] is not None else None
        inv = sub(b["inv"], p)
        lines, total = [], Fraction(0)
        for l in b["lines"]:
            q = Fraction(l["qty"])
            price = l["price"]
            if (q * price).denominator != 1:          # keep every line amount an exact integer
                price += (q.denominator - (price % q.denominator)) % q.denominator
                assert (q * price).denominator == 1
            total += q * price
            lines.append({"description": sub(l["desc"], p), "quantity": num(l["qty"]),
                          "unit": l["unit"], "unit_price": price})
        po = b["po"]
        if po == "OC":
            while True:
                n = rng.randint(int(ocfmt[1]), int(ocfmt[2]))
                if n not in used_oc:
                    used_oc.add(n)
                    break
            po = ocfmt[0].format(n=n)
        elif po == "KW":
            po = p["keyword"]
        elif po == "CODE":
            po = p["code"]
        elif po.startswith("="):
            po = po[1:]
        else:
            assert po == "", "bad po token " + po
        if b["date"]:
            date = d(b["date"])
        elif p is None:
            date = rand_date(rng, OVH_FROM, OVH_TO)
        else:
            date = rand_date(rng, d(p["start"]), d(p["end"]))
        if p is None:
            assert OVH_FROM <= date <= OVH_TO, (inv, date)
        else:
            assert d(p["start"]) <= date <= d(p["end"]), ("date outside window", inv, date)
        # rule tags
        tags = set()
        if p is None:
            tags.add("overhead")
        else:
            text = " ".join([inv] + [l["description"] for l in lines] + [po]).lower()
            if p["keyword"].lower() in text or p["code"].lower() in text:
                tags.add("po-reference")
        if len(served.get(b["sup"], ())) >= 2:
            tags.add("shared-supplier")
        for t in b["tags"]:
            tags.add(HAND[t])
        if not tags:
            tags.add("plain")
        out_bills.append({"id": "%s%03d" % (comp["prefix"], i), "supplier_name": sups[b["sup"]]["name"],
                          "supplier_rut": rut(b["sup"]), "invoice_description": inv, "lines": lines,
                          "amount": int(total), "issue_date": date.isoformat(), "purchase_order": po,
                          "expected_project_id": b["pid"],
                          "difficulty": [t for t in TAG_ORDER if t in tags]})
    data = {"company": {"name": comp["name"], "rut": dotted(comp["body"]), "trade": comp["trade"]},
            "projects": out_projects, "history": out_hist, "bills": out_bills}
    with open(os.path.join(HERE, "..", comp["out"]), "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    print("wrote %s: %d projects, %d history, %d bills" % (comp["out"], len(out_projects), len(out_hist), len(out_bills)))


def main():
    for i, fname in enumerate(["airports.txt", "bridges.txt", "cleaning.txt"]):
        build(fname, random.Random(SEED + i))


if __name__ == "__main__":
    main()
