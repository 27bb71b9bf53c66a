#!/usr/bin/env python3
"""Build observatories.json, wineries.json, shelters.json from src/*.txt.
Mechanical only: parses hand-written sources, computes RUT check digits,
line amounts, and the mechanical tags (overhead, shared-supplier,
po-reference, plain). Standard library only; deterministic (no randomness
is used; the fixed seed below is kept only so that any future shuffling
stays reproducible)."""
import json, os, re, sys, unicodedata, random

random.seed(41)
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
COMPANIES = [("obs", "observatories.json", "E"),
             ("win", "wineries.json", "G"),
             ("shl", "shelters.json", "S")]
TAG_ORDER = ["overhead", "shared-supplier", "po-reference", "place-variant",
             "trade-vocabulary", "typo", "client-only", "plain"]
HAND_TAGS = {"place-variant", "trade-vocabulary", "typo", "client-only"}


def norm(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]", "", s.upper())


def core(keyword):
    return norm(keyword.split()[-1])


def dv(num):
    s, m = 0, 2
    for d in reversed(str(num)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut(num, dotted=True):
    n = str(num)
    if dotted:
        parts = []
        while len(n) > 3:
            parts.insert(0, n[-3:])
            n = n[:-3]
        parts.insert(0, n)
        n = ".".join(parts)
    return f"{n}-{dv(num)}"


def read(prefix, name):
    with open(os.path.join(SRC, f"{prefix}_{name}.txt"), encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f]


def blocks(lines):
    cur = []
    for l in lines:
        if l.startswith("#"):
            continue
        if l.strip() == "":
            if cur:
                yield cur
                cur = []
        else:
            cur.append(l)
    if cur:
        yield cur


def num(s):
    s = s.strip()
    return float(s) if "." in s else int(s)


def build(prefix, letter):
    comp = {}
    for l in read(prefix, "company"):
        if ":" in l and not l.startswith("#"):
            k, v = l.split(":", 1)
            comp[k.strip()] = v.strip()
    company = {"name": comp["name"], "rut": rut(int(comp["rut"])), "trade": comp["trade"]}

    projects = []
    for b in blocks(read(prefix, "projects")):
        f = [x.strip() for x in b[0].split("|")]
        pid, code, name, client, loc, start, end, budget, kws = f
        projects.append({"id": int(pid), "name": name, "code": code, "client": client,
                         "location": loc, "description": " ".join(x.strip() for x in b[1:]),
                         "keywords": [k.strip() for k in kws.split(";") if k.strip()],
                         "budget": int(budget), "start_date": start, "end_date": end})
    cores = {p["id"]: [core(k) for k in p["keywords"]] for p in projects}

    sup = {}
    for l in read(prefix, "suppliers"):
        if not l.strip() or l.startswith("#"):
            continue
        key, name, base = [x.strip() for x in l.split("|")]
        sup[key] = (name, int(base))

    def who(key):
        dotted = not key.endswith("~")
        name, base = sup[key.rstrip("~")]
        return name, rut(base, dotted)

    history = []
    for l in read(prefix, "history"):
        if not l.strip() or l.startswith("#"):
            continue
        key, pid, desc = [x.strip() for x in l.split("|", 2)]
        name, r = who(key)
        history.append({"supplier_name": name, "supplier_rut": r, "description": desc,
                        "project_id": None if pid == "-" else int(pid)})
    hist_assign = {}
    for l in read(prefix, "history"):
        if not l.strip() or l.startswith("#"):
            continue
        key, pid, _ = [x.strip() for x in l.split("|", 2)]
        hist_assign.setdefault(key.rstrip("~"), set()).add(pid)

    bills = []
    for b in blocks(read(prefix, "bills")):
        head = [x.strip() for x in b[0].split("|")]
        bid, key, date, pid, tags, po = head
        desc = b[1].strip()
        lines = []
        for l in b[2:]:
            assert l.startswith("- "), (bid, l)
            d, q, u, p = [x.strip() for x in l[2:].split("|")]
            lines.append({"description": d, "quantity": num(q), "unit": u, "unit_price": int(p)})
        amount = sum(x["quantity"] * x["unit_price"] for x in lines)
        assert abs(amount - round(amount)) < 1e-9, bid
        name, r = who(key)
        exp = None if pid == "-" else int(pid)
        t = set(x for x in tags.split(",") if x.strip())
        assert t <= HAND_TAGS, (bid, t)
        if exp is None:
            t.add("overhead")
        if len(hist_assign.get(key.rstrip("~"), ())) > 1:
            t.add("shared-supplier")
        texts = [norm(po), norm(desc)] + [norm(x["description"]) for x in lines]
        if exp is not None and any(c in tx for c in cores[exp] for tx in texts):
            t.add("po-reference")
        if not t:
            t.add("plain")
        bills.append({"id": bid, "supplier_name": name, "supplier_rut": r,
                      "invoice_description": desc, "lines": lines, "amount": int(round(amount)),
                      "issue_date": date, "purchase_order": po, "expected_project_id": exp,
                      "difficulty": [x for x in TAG_ORDER if x in t]})
        assert bid.startswith(letter)
    return {"company": company, "projects": projects, "history": history, "bills": bills}


def main():
    for prefix, fname, letter in COMPANIES:
        data = build(prefix, letter)
        with open(os.path.join(HERE, "..", fname), "w", encoding="utf-8", newline="\n") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print(f"{fname}: {len(data['projects'])} projects, {len(data['history'])} history, {len(data['bills'])} bills")


if __name__ == "__main__":
    main()
