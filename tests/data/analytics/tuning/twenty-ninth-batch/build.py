#!/usr/bin/env python3
"""Mechanical builder for the blind-v29 evaluation set.

Reads the hand-written content in src/*.txt and writes linings.json,
waste.json and commissioning.json next to this script.  It only does
mechanical work: RUT check digits and spellings, amounts, issue dates inside
the project window, rule-based tags, shuffling and numbering.  Standard
library only, fixed seeds: two runs give byte-identical files.
"""
import datetime
import json
import os
import random
import re
import sys
import unicodedata
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
COMPANIES = ["linings", "waste", "commissioning"]
HAND_TAGS = {"place": "place-variant", "trade": "trade-vocabulary",
             "typo": "typo", "client": "client-only"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
OH_START = datetime.date(2025, 1, 1)
OH_END = datetime.date(2026, 12, 31)


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


def rut_spell(body, rng):
    """One of the ways Chilean documents write a RUT."""
    style = rng.choice(["dotted", "dotted", "plain", "plain", "lowk"])
    dv = rut_dv(body)
    if style == "dotted":
        return rut_dotted(body)
    if style == "plain":
        return "%s-%s" % (body, dv)
    return "%s-%s" % (body, dv.lower())


def norm_alnum(text):
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", t.upper())


def keyword_core(kw):
    """The identifier inside a keyword: its digit-bearing tokens, alnum only."""
    toks = [t for t in re.split(r"\s+", kw.strip()) if re.search(r"\d", t)]
    return norm_alnum("".join(toks))


def parse_blocks(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    blocks, cur = [], []
    for raw in text.split("\n"):
        line = raw.rstrip()
        if line.startswith("#"):
            continue
        if not line.strip():
            if cur:
                blocks.append(cur)
                cur = []
            continue
        cur.append(line)
    if cur:
        blocks.append(cur)
    return blocks


def parse_kv(block, path):
    d = {}
    for line in block:
        if ":" not in line:
            raise SrcError("%s: bad line %r" % (path, line))
        k, v = line.split(":", 1)
        d[k.strip()] = v.strip()
    return d


def load_company(name):
    base = os.path.join(SRC, name)
    blocks = parse_blocks(base + "_company.txt")
    head = parse_kv(blocks[0], name)
    projects, alias = [], {}
    for b in blocks[1:]:
        d = parse_kv(b, name)
        pid = int(d["id"])
        if d["alias"] in alias:
            raise SrcError("duplicate alias " + d["alias"])
        alias[d["alias"]] = pid
        projects.append({
            "id": pid, "name": d["name"], "code": d["code"], "client": d["client"],
            "location": d["location"], "description": d["description"],
            "keywords": [k.strip() for k in d["keywords"].split(";") if k.strip()],
            "budget": int(d["budget"]), "start_date": d["start"], "end_date": d["end"],
        })
    suppliers = {}
    with open(base + "_suppliers.txt", encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            k, nm, body = [x.strip() for x in line.split("|")]
            if k in suppliers:
                raise SrcError("duplicate supplier key " + k)
            suppliers[k] = (nm, int(body))
    history = []
    with open(base + "_history.txt", encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = [x.strip() for x in line.split("|")]
            if len(parts) != 3:
                raise SrcError("history line %r" % line)
            sk, pa, desc = parts
            if sk not in suppliers:
                raise SrcError("unknown supplier %s in history" % sk)
            pid = None if pa == "OH" else alias[pa]
            history.append((sk, pid, desc))
    bills = []
    for b in parse_blocks(base + "_bills.txt"):
        hdr = [x.strip() for x in b[0].split("|")]
        if len(hdr) not in (4, 5):
            raise SrcError("bill header %r" % b[0])
        sk, pa, po, tags = hdr[:4]
        date = hdr[4] if len(hdr) == 5 else ""
        if sk not in suppliers:
            raise SrcError("unknown supplier %s in bill %r" % (sk, b[0]))
        if pa != "OH" and pa not in alias:
            raise SrcError("unknown project alias %s" % pa)
        pid = None if pa == "OH" else alias[pa]
        desc_lines, lines = [], []
        for line in b[1:]:
            if line.startswith("- "):
                q, u, p, d = [x.strip() for x in line[2:].split("|", 3)]
                qf = Fraction(q)
                lines.append({"description": d,
                              "quantity": int(qf) if qf.denominator == 1 else float(q),
                              "unit": u, "unit_price": int(p), "_q": qf})
            else:
                desc_lines.append(line.strip())
        if not lines or not desc_lines:
            raise SrcError("bill without lines/description: %r" % b[0])
        htags = []
        for t in tags.split():
            if t not in HAND_TAGS:
                raise SrcError("unknown tag %s" % t)
            htags.append(HAND_TAGS[t])
        bills.append({"sk": sk, "pid": pid, "po": po, "htags": htags, "date": date,
                      "desc": " ".join(desc_lines), "lines": lines})
    return head, projects, suppliers, history, bills


def build_company(name, seed):
    head, projects, suppliers, history, bills = load_company(name)
    rng = random.Random(seed)
    byid = {p["id"]: p for p in projects}
    cores = {p["id"]: [keyword_core(k) for k in p["keywords"]] for p in projects}

    # history (shuffled, RUT spelled in varied ways)
    hist_out = []
    order = list(range(len(history)))
    rng.shuffle(order)
    for i in order:
        sk, pid, desc = history[i]
        nm, body = suppliers[sk]
        hist_out.append({"supplier_name": nm, "supplier_rut": rut_spell(body, rng),
                         "description": desc, "project_id": pid})

    # supplier history profile (by RUT body)
    prof = {}
    for sk, pid, _ in history:
        prof.setdefault(suppliers[sk][1], {})
        prof[suppliers[sk][1]][pid] = prof[suppliers[sk][1]].get(pid, 0) + 1

    out = []
    idx = list(range(len(bills)))
    rng.shuffle(idx)
    for n, i in enumerate(idx, 1):
        b = bills[i]
        nm, body = suppliers[b["sk"]]
        amount = sum(l["_q"] * l["unit_price"] for l in b["lines"])
        if amount.denominator != 1:
            raise SrcError("non-integer amount in bill %r" % b["desc"])
        if b["pid"] is None:
            lo, hi = OH_START, OH_END
        else:
            p = byid[b["pid"]]
            lo = datetime.date.fromisoformat(p["start_date"])
            hi = datetime.date.fromisoformat(p["end_date"])
        if b["date"]:
            d = datetime.date.fromisoformat(b["date"])
            if not lo <= d <= hi:
                raise SrcError("date %s outside window in %r" % (d, b["desc"]))
        else:
            d = lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))
        tags = set(b["htags"])
        if b["pid"] is None:
            tags.add("overhead")
        pr = prof.get(body, {})
        if len(pr) >= 2 and pr.get(b["pid"], 0) < max(pr.values()):
            tags.add("shared-supplier")
        text = norm_alnum(" ".join([b["po"], b["desc"]] + [l["description"] for l in b["lines"]]))
        hits = {pid for pid, cs in cores.items() for c in cs if c and c in text}
        if hits - ({b["pid"]} if b["pid"] else set()):
            raise SrcError("bill carries identifier of another project: %r" % b["desc"])
        if b["pid"] in hits:
            tags.add("po-reference")
        if not tags:
            tags.add("plain")
        out.append({
            "id": "%s%03d" % (head["bill_prefix"], n),
            "supplier_name": nm,
            "supplier_rut": rut_spell(body, rng),
            "invoice_description": b["desc"],
            "lines": [{k: v for k, v in l.items() if k != "_q"} for l in b["lines"]],
            "amount": int(amount),
            "issue_date": d.isoformat(),
            "purchase_order": b["po"],
            "expected_project_id": b["pid"],
            "difficulty": [t for t in TAG_ORDER if t in tags],
        })
    body = int(head["company.rut"])
    data = {
        "company": {"name": head["company.name"], "rut": rut_dotted(body),
                    "trade": head["company.trade"]},
        "projects": sorted(projects, key=lambda p: p["id"]),
        "history": hist_out,
        "bills": out,
    }
    path = os.path.join(HERE, "..", head["file"])
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return path


def main():
    names = sys.argv[1:] or COMPANIES
    for name in names:
        seed = {"linings": 29101, "waste": 29201, "commissioning": 29301}[name]
        if not os.path.exists(os.path.join(SRC, name + "_company.txt")):
            print("skip %s (no src yet)" % name)
            continue
        print("wrote", build_company(name, seed))


if __name__ == "__main__":
    main()
