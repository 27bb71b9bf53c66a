#!/usr/bin/env python3
"""Build museography.json, pools.json, watermetering.json from src/*.txt.

Mechanical work only: parse the hand-written sources, compute RUT check digits
(modulo 11), bill amounts and the computed tags (overhead, shared-supplier,
po-reference, plain). Standard library only; deterministic output.
"""
import json, os, re, sys, unicodedata, random

random.seed(40)  # fixed seed (nothing random is used; kept for reproducibility)
HERE = os.path.dirname(os.path.abspath(__file__))
COMPANIES = [("museography", "B"), ("pools", "M"), ("watermetering", "Q")]
TAG_ORDER = ["overhead", "shared-supplier", "po-reference", "place-variant",
             "trade-vocabulary", "typo", "client-only", "plain"]
MANUAL = {"pv": "place-variant", "tv": "trade-vocabulary", "ty": "typo", "co": "client-only"}


def rut_dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut_dots(body):
    b = str(body)
    parts = []
    while len(b) > 3:
        parts.insert(0, b[-3:])
        b = b[:-3]
    parts.insert(0, b)
    return ".".join(parts) + "-" + rut_dv(body)


def rut_plain(body):
    return "%s-%s" % (body, rut_dv(body))


def norm(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", s.upper())


def core(kw):
    return norm(kw.split()[-1])


def lines_of(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            out.append((n, line))
    return out


def num(s):
    s = s.strip()
    return float(s) if "." in s else int(s)


def die(msg):
    sys.stderr.write(msg + "\n")
    sys.exit(1)


def build(slug, prefix):
    src = os.path.join(HERE, "src")
    comp = {}
    for n, line in lines_of(os.path.join(src, slug + "_company.txt")):
        k, v = line.split("=", 1)
        comp[k.strip()] = v.strip()
    company = {"name": comp["name"], "rut": rut_dots(comp["rut"]), "trade": comp["trade"]}

    projects = []
    for n, line in lines_of(os.path.join(src, slug + "_projects.txt")):
        f = [x.strip() for x in line.split("|")]
        if len(f) != 10:
            die("%s projects line %d: %d fields" % (slug, n, len(f)))
        pid, name, code, client, loc, desc, kws, budget, start, end = f
        projects.append({"id": int(pid), "name": name, "code": code, "client": client,
                         "location": loc, "description": desc,
                         "keywords": [k.strip() for k in kws.split(";") if k.strip()],
                         "budget": int(budget), "start_date": start, "end_date": end})
    pmap = {p["id"]: p for p in projects}

    sups = {}
    for n, line in lines_of(os.path.join(src, slug + "_suppliers.txt")):
        key, name, body = [x.strip() for x in line.split("|")]
        if key in sups:
            die("%s duplicate supplier key %s" % (slug, key))
        sups[key] = (name, int(body))

    def sup(keyspec, where):
        alt = keyspec.endswith("~")
        key = keyspec.rstrip("~")
        if key not in sups:
            die("%s: unknown supplier %s (%s)" % (slug, key, where))
        name, body = sups[key]
        return name, (rut_plain(body) if alt else rut_dots(body)), body

    history = []
    hist_by_body = {}
    for n, line in lines_of(os.path.join(src, slug + "_history.txt")):
        key, pid, desc = [x.strip() for x in line.split("|", 2)]
        name, rut, body = sup(key, "history line %d" % n)
        pj = None if pid == "-" else int(pid)
        if pj is not None and pj not in pmap:
            die("%s history line %d: bad project %s" % (slug, n, pid))
        history.append({"supplier_name": name, "supplier_rut": rut, "description": desc, "project_id": pj})
        hist_by_body.setdefault(body, []).append(pj)

    cores = {p["id"]: [core(k) for k in p["keywords"]] for p in projects}
    bills = []
    cur = None
    for n, line in lines_of(os.path.join(src, slug + "_bills.txt")):
        if line.startswith(prefix):
            f = [x.strip() for x in line.split("|", 5)]
            if len(f) != 6:
                die("%s bills line %d: header needs 6 fields" % (slug, n))
            bid, key, date, exp, tags, po = f
            if bid == prefix + "###":  # running number assigned mechanically
                bid = "%s%03d" % (prefix, len(bills) + 1)
            name, rut, body = sup(key, "bill " + bid)
            cur = {"id": bid, "supplier_name": name, "supplier_rut": rut, "invoice_description": None,
                   "lines": [], "amount": 0, "issue_date": date, "purchase_order": po,
                   "expected_project_id": None if exp == "-" else int(exp),
                   "difficulty": [], "_manual": tags.split() if tags != "." else [], "_body": body}
            bills.append(cur)
        elif line.startswith(">"):
            cur["invoice_description"] = line[1:].strip()
        elif line.startswith("-"):
            f = [x.strip() for x in line[1:].split("|")]
            if len(f) != 4:
                die("%s bills line %d: line needs 4 fields" % (slug, n))
            cur["lines"].append({"description": f[0], "quantity": num(f[1]), "unit": f[2], "unit_price": int(f[3])})
        else:
            die("%s bills line %d: cannot parse: %s" % (slug, n, line))

    for b in bills:
        tot = sum(l["quantity"] * l["unit_price"] for l in b["lines"])
        if abs(tot - round(tot)) > 1e-6 or not b["lines"] or b["invoice_description"] is None:
            die("%s %s: amount not whole or missing parts" % (slug, b["id"]))
        b["amount"] = int(round(tot))
        tags = set()
        exp = b["expected_project_id"]
        if exp is None:
            tags.add("overhead")
        elif exp not in pmap:
            die("%s %s: unknown project %s" % (slug, b["id"], exp))
        if len(set(hist_by_body.get(b["_body"], []))) > 1:
            tags.add("shared-supplier")
        texts = [b["purchase_order"], b["invoice_description"]] + [l["description"] for l in b["lines"]]
        ntexts = [norm(t) for t in texts]
        if exp is not None and any(c in t for c in cores[exp] for t in ntexts):
            tags.add("po-reference")
        for m in b["_manual"]:
            if m not in MANUAL:
                die("%s %s: unknown tag %s" % (slug, b["id"], m))
            tags.add(MANUAL[m])
        if not tags:
            tags.add("plain")
        b["difficulty"] = [t for t in TAG_ORDER if t in tags]
        del b["_manual"], b["_body"]

    data = {"company": company, "projects": projects, "history": history, "bills": bills}
    out = os.path.join(HERE, "..", slug + ".json")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    print("wrote %s: %d projects, %d history, %d bills" % (out, len(projects), len(history), len(bills)))


if __name__ == "__main__":
    only = sys.argv[1:]
    for slug, prefix in COMPANIES:
        if only and slug not in only:
            continue
        build(slug, prefix)
