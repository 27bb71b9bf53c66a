#!/usr/bin/env python3
"""Mechanical assembler for the blind-v38 dataset.

Reads the hand-written sources in src/ and writes desal.json, railtrack.json and
datacenters.json next to this script.  It only does mechanical work: RUT check
digits and spellings, line amounts, issue dates inside project windows, the rule
tags (overhead, shared-supplier, po-reference, plain), shuffling and numbering.
Every text, place, quantity and price comes from src/*.txt.  Fixed seeds: two
runs give byte-identical files.

Source formats (lines starting with '#' are comments, except bill headers '##'):
  <co>_company.txt    key: value   (name, rut body without check digit, trade)
  <co>_projects.txt   blocks of 'key: value' separated by blank lines
                      keys: id (two digits), name, code, client, location,
                      description, keywords ('|' separated), budget, start, end
  <co>_suppliers.txt  CODE | name | rut body (no check digit)
  <co>_history.txt    CODE | NN or - | past bill text
  <co>_bills.txt      blocks:
                        ## CODE | NN or - | purchase order | hand tags | date(optional)
                        invoice description
                        qty | unit | unit price | line description   (1..n lines)
                      hand tags: pv place-variant, tv trade-vocabulary,
                                 co client-only, ty typo (comma separated)
"""
import datetime
import json
import os
import random
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

COMPANIES = [
    # key, file, id base, bill prefix, seed
    ("desal", "desal.json", 10800, "F", 380101),
    ("railtrack", "railtrack.json", 10900, "H", 380202),
    ("datacenters", "datacenters.json", 11000, "L", 380303),
]

HAND_TAGS = {"pv": "place-variant", "tv": "trade-vocabulary",
             "co": "client-only", "ty": "typo"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
GLOBAL_START = datetime.date(2025, 1, 1)
GLOBAL_END = datetime.date(2026, 12, 31)


class SrcError(Exception):
    pass


def rut_dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut_dotted(body):
    b = str(body)
    parts = []
    while len(b) > 3:
        parts.insert(0, b[-3:])
        b = b[:-3]
    parts.insert(0, b)
    return ".".join(parts) + "-" + rut_dv(body)


def rut_variant(body, rng):
    dv = rut_dv(body)
    choice = rng.random()
    if choice < 0.5:
        return rut_dotted(body)
    if choice < 0.85:
        return f"{body}-{dv}"
    if dv == "K":
        return rut_dotted(body)[:-1] + "k"
    return rut_dotted(body).replace(".", "")  # same as plain, kept for clarity


def read_lines(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read().split("\n")


def norm_id(text):
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", t.upper())


def keyword_identifiers(keyword):
    """Identifier of a keyword: its tokens from the first one holding a digit."""
    toks = keyword.split()
    for i, tok in enumerate(toks):
        if any(c.isdigit() for c in tok):
            return norm_id(" ".join(toks[i:]))
    raise SrcError(f"keyword without identifier: {keyword!r}")


def parse_company(co):
    d = {}
    for ln in read_lines(os.path.join(SRC, f"{co}_company.txt")):
        if not ln.strip() or ln.startswith("#"):
            continue
        k, v = ln.split(":", 1)
        d[k.strip()] = v.strip()
    return {"name": d["name"], "rut": rut_dotted(d["rut"]), "trade": d["trade"]}


def parse_projects(co, base):
    blocks, cur = [], {}
    for ln in read_lines(os.path.join(SRC, f"{co}_projects.txt")) + [""]:
        if ln.startswith("#"):
            continue
        if not ln.strip():
            if cur:
                blocks.append(cur)
                cur = {}
            continue
        k, v = ln.split(":", 1)
        k = k.strip()
        if k in cur:
            raise SrcError(f"{co}: duplicate key {k} in project {cur.get('id')}")
        cur[k] = v.strip()
    projects = []
    for b in blocks:
        pid = base + int(b["id"])
        start = datetime.date.fromisoformat(b["start"])
        end = datetime.date.fromisoformat(b["end"])
        if not (GLOBAL_START <= start < end <= GLOBAL_END):
            raise SrcError(f"{co}: bad window for {pid}")
        projects.append({
            "id": pid,
            "name": b["name"],
            "code": b["code"],
            "client": b["client"],
            "location": b["location"],
            "description": b["description"],
            "keywords": [k.strip() for k in b["keywords"].split("|") if k.strip()],
            "budget": int(b["budget"].replace(".", "")),
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
        })
    ids = [p["id"] for p in projects]
    if ids != list(range(base + 1, base + 31)):
        raise SrcError(f"{co}: project ids not {base+1}..{base+30}: {ids}")
    return projects


def parse_suppliers(co):
    sup = {}
    for ln in read_lines(os.path.join(SRC, f"{co}_suppliers.txt")):
        if not ln.strip() or ln.startswith("#"):
            continue
        code, name, body = [x.strip() for x in ln.split("|")]
        if code in sup:
            raise SrcError(f"{co}: duplicate supplier code {code}")
        if not body.isdigit():
            raise SrcError(f"{co}: bad rut body {body}")
        sup[code] = {"name": name, "body": body}
    bodies = [s["body"] for s in sup.values()]
    if len(set(bodies)) != len(bodies):
        raise SrcError(f"{co}: duplicate supplier rut body")
    return sup


def pid_of(tok, base, co):
    tok = tok.strip()
    if tok == "-":
        return None
    n = int(tok)
    if not 1 <= n <= 30:
        raise SrcError(f"{co}: bad project ref {tok}")
    return base + n


def parse_history(co, base, sup):
    rows = []
    for no, ln in enumerate(read_lines(os.path.join(SRC, f"{co}_history.txt")), 1):
        if not ln.strip() or ln.startswith("#"):
            continue
        parts = ln.split("|", 2)
        if len(parts) != 3:
            raise SrcError(f"{co}_history.txt:{no}: bad line")
        code, ref, text = [x.strip() for x in parts]
        if code not in sup:
            raise SrcError(f"{co}_history.txt:{no}: unknown supplier {code}")
        rows.append((code, pid_of(ref, base, co), text))
    return rows


def parse_num(s):
    s = s.strip().replace(",", ".")
    v = float(s)
    return int(v) if v == int(v) else v


def parse_bills(co, base, sup):
    lines = read_lines(os.path.join(SRC, f"{co}_bills.txt")) + ["## END"]
    bills, cur = [], None
    for no, ln in enumerate(lines, 1):
        if ln.startswith("## "):
            if cur is not None:
                if not cur["desc"] or not cur["lines"]:
                    raise SrcError(f"{co}_bills.txt:{cur['no']}: incomplete bill")
                bills.append(cur)
            if ln.strip() == "## END":
                break
            parts = [x.strip() for x in ln[3:].split("|")]
            if len(parts) not in (4, 5):
                raise SrcError(f"{co}_bills.txt:{no}: bad header")
            code, ref, po, tags = parts[:4]
            if code not in sup:
                raise SrcError(f"{co}_bills.txt:{no}: unknown supplier {code}")
            htags = []
            for t in [t.strip() for t in tags.split(",") if t.strip()]:
                if t not in HAND_TAGS:
                    raise SrcError(f"{co}_bills.txt:{no}: bad tag {t}")
                htags.append(HAND_TAGS[t])
            cur = {"no": no, "code": code, "pid": pid_of(ref, base, co), "po": po,
                   "htags": htags, "date": parts[4] if len(parts) == 5 else "",
                   "desc": None, "lines": []}
            continue
        if cur is None or not ln.strip() or ln.startswith("#"):
            continue
        if cur["desc"] is None:
            cur["desc"] = ln.strip()
            continue
        parts = ln.split("|", 3)
        if len(parts) != 4:
            raise SrcError(f"{co}_bills.txt:{no}: bad line item")
        qty = parse_num(parts[0])
        price = int(parts[2].strip().replace(".", ""))
        if abs(qty * price - round(qty * price)) > 1e-9:
            raise SrcError(f"{co}_bills.txt:{no}: non-integer line total")
        cur["lines"].append({"description": parts[3].strip(), "quantity": qty,
                             "unit": parts[1].strip(), "unit_price": price})
    return bills


def random_date(rng, lo, hi):
    span = (hi - lo).days
    return lo + datetime.timedelta(days=rng.randint(0, span))


def build_company(co, fname, base, prefix, seed):
    rng = random.Random(seed)
    company = parse_company(co)
    projects = parse_projects(co, base)
    pmap = {p["id"]: p for p in projects}
    sup = parse_suppliers(co)
    hist_src = parse_history(co, base, sup)
    bills_src = parse_bills(co, base, sup)

    # history stats by supplier
    hstat = {}
    for code, pid, _ in hist_src:
        hstat.setdefault(code, {}).setdefault(pid, 0)
        hstat[code][pid] += 1

    idents = {p["id"]: [keyword_identifiers(k) for k in p["keywords"]] for p in projects}

    history = []
    for code, pid, text in hist_src:
        body = sup[code]["body"]
        rut = rut_dotted(body) if rng.random() < 0.8 else f"{body}-{rut_dv(body)}"
        history.append({"supplier_name": sup[code]["name"], "supplier_rut": rut,
                        "description": text, "project_id": pid})
    rng.shuffle(history)

    bills = []
    for b in bills_src:
        pid = b["pid"]
        if b["date"]:
            d = datetime.date.fromisoformat(b["date"])
        elif pid is None:
            d = random_date(rng, GLOBAL_START, datetime.date(2026, 11, 30))
        else:
            p = pmap[pid]
            d = random_date(rng, datetime.date.fromisoformat(p["start_date"]),
                            datetime.date.fromisoformat(p["end_date"]))
        if pid is None:
            if not GLOBAL_START <= d <= GLOBAL_END:
                raise SrcError(f"{co}_bills.txt:{b['no']}: date outside 2025-2026")
        else:
            p = pmap[pid]
            if not p["start_date"] <= d.isoformat() <= p["end_date"]:
                raise SrcError(f"{co}_bills.txt:{b['no']}: date outside window")
        tags = set(b["htags"])
        if pid is None:
            tags.add("overhead")
            if "client-only" in tags:
                raise SrcError(f"{co}_bills.txt:{b['no']}: client-only on overhead")
        st = hstat.get(b["code"], {})
        if len(st) >= 2 and st.get(pid, 0) < max(st.values()):
            tags.add("shared-supplier")
        text = norm_id(" ".join([b["po"], b["desc"]] + [l["description"] for l in b["lines"]]))
        for qid, ids in idents.items():
            if any(i in text for i in ids):
                if qid != pid:
                    raise SrcError(f"{co}_bills.txt:{b['no']}: carries identifier of {qid}")
                tags.add("po-reference")
        if "client-only" in tags:
            client = pmap[pid]["client"]
            if sum(1 for p in projects if p["client"] == client) != 1:
                raise SrcError(f"{co}_bills.txt:{b['no']}: client-only but client has several projects")
        if not tags:
            tags.add("plain")
        amount = sum(round(l["quantity"] * l["unit_price"]) for l in b["lines"])
        bills.append({
            "supplier_name": sup[b["code"]]["name"],
            "supplier_rut": rut_variant(sup[b["code"]]["body"], rng),
            "invoice_description": b["desc"],
            "lines": b["lines"],
            "amount": amount,
            "issue_date": d.isoformat(),
            "purchase_order": b["po"],
            "expected_project_id": pid,
            "difficulty": [t for t in TAG_ORDER if t in tags],
        })
    rng.shuffle(bills)
    width = 3
    out_bills = []
    for i, b in enumerate(bills, 1):
        out_bills.append({"id": f"{prefix}{i:0{width}d}", **b})
    data = {"company": company, "projects": projects, "history": history,
            "bills": out_bills}
    path = os.path.join(HERE, "..", fname)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return path


def main():
    only = sys.argv[1:]
    for co, fname, base, prefix, seed in COMPANIES:
        if only and co not in only:
            continue
        if not os.path.exists(os.path.join(SRC, f"{co}_bills.txt")):
            print(f"skip {co}: no sources yet")
            continue
        try:
            print("wrote", build_company(co, fname, base, prefix, seed))
        except SrcError as e:
            print("ERROR:", e)
            sys.exit(1)


if __name__ == "__main__":
    main()
