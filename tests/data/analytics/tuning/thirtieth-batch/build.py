#!/usr/bin/env python3
"""Mechanical builder for the blind-v30 evaluation set.

Reads the hand-written sources in src/ and writes pulpmill.json, dredging.json
and lighting.json next to this script.  It only does mechanical work:
RUT check digits and spellings, line amounts, issue dates inside the project
window (when the source gives none), rule-based difficulty tags, shuffling and
numbering.  All randomness uses fixed seeds, so two runs give identical bytes.
"""
import json
import os
import random
import re
import unicodedata
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

COMPANIES = [
    # key, bill prefix, id range start, seed
    ("pulpmill", "C", 8401, 3101),
    ("dredging", "D", 8501, 3202),
    ("lighting", "G", 8601, 3303),
]

MANUAL_TAGS = {"pv": "place-variant", "tv": "trade-vocabulary",
               "ty": "typo", "co": "client-only"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
OH_START, OH_END = date(2025, 1, 2), date(2026, 12, 30)


class SrcError(Exception):
    pass


# ----------------------------------------------------------------- RUT
def rut_dv(num):
    s, m = 0, 2
    for d in reversed(str(num)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - (s % 11)
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def rut_dotted(num):
    n = str(num)
    parts = []
    while len(n) > 3:
        parts.insert(0, n[-3:])
        n = n[:-3]
    parts.insert(0, n)
    return ".".join(parts) + "-" + rut_dv(num)


def rut_spelling(num, rng):
    """One of the ways Chilean documents write the same RUT."""
    s = rut_dotted(num) if rng.random() < 0.6 else "%d-%s" % (num, rut_dv(num))
    if s.endswith("K") and rng.random() < 0.35:
        s = s[:-1] + "k"
    return s


# ----------------------------------------------------------------- text
def norm(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", s.upper())


KW_PREFIX = re.compile(
    r"^\s*(OC|O\.C\.|ORDEN DE COMPRA|PEDIDO|CONTRATO|LICITACI[OÓ]N|ID|OS|OT)\b[\s\-:N°º\.]*",
    re.IGNORECASE)


def keyword_id(kw):
    return norm(KW_PREFIX.sub("", kw))


def bill_fields(purchase_order, desc, lines):
    return [purchase_order, desc] + [ln["description"] for ln in lines]


def carried_ids(fields, kw_ids):
    """Return set of project ids whose keyword identifier appears in any field."""
    found = set()
    nf = [norm(f) for f in fields]
    for pid, ids in kw_ids.items():
        for k in ids:
            if any(k in f for f in nf):
                found.add(pid)
    return found


# ----------------------------------------------------------------- parse
def read_lines(path):
    with open(path, encoding="utf-8") as fh:
        for no, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            yield no, line


def parse_kv_file(path):
    out = {}
    for no, line in read_lines(path):
        k, _, v = line.partition(":")
        out[k.strip()] = v.strip()
    return out


def parse_projects(path):
    projects, cur = [], None
    for no, line in read_lines(path):
        k, _, v = line.partition(":")
        k, v = k.strip(), v.strip()
        if k == "id":
            cur = {"id": int(v)}
            projects.append(cur)
        elif cur is None:
            raise SrcError("%s:%d field before id" % (path, no))
        else:
            if k in cur:
                raise SrcError("%s:%d duplicate %s" % (path, no, k))
            cur[k] = v
    out = []
    for p in projects:
        out.append({
            "id": p["id"],
            "name": p["name"],
            "code": p["code"],
            "client": p["client"],
            "location": p["location"],
            "description": p["desc"],
            "keywords": [x.strip() for x in p["keywords"].split("|") if x.strip()],
            "budget": int(p["budget"].replace(".", "")),
            "start_date": p["start"],
            "end_date": p["end"],
        })
    return out


def parse_suppliers(path):
    sup = {}
    for no, line in read_lines(path):
        parts = [x.strip() for x in line.split("|")]
        if len(parts) != 3:
            raise SrcError("%s:%d bad supplier line" % (path, no))
        key, name, num = parts
        if key in sup:
            raise SrcError("%s:%d duplicate supplier key %s" % (path, no, key))
        sup[key] = (name, int(num.replace(".", "")))
    nums = [v[1] for v in sup.values()]
    if len(set(nums)) != len(nums):
        raise SrcError("duplicate supplier RUT number in %s" % path)
    return sup


def parse_pid(tok, path, no):
    tok = tok.strip()
    if tok.upper() == "OH":
        return None
    try:
        return int(tok)
    except ValueError:
        raise SrcError("%s:%d bad project token %r" % (path, no, tok))


def parse_history(path):
    rows = []
    for no, line in read_lines(path):
        parts = line.split("|", 2)
        if len(parts) != 3:
            raise SrcError("%s:%d bad history line" % (path, no))
        rows.append((parts[0].strip(), parse_pid(parts[1], path, no),
                     parts[2].strip(), no))
    return rows


def parse_bills(path):
    bills, cur = [], None
    for no, line in read_lines(path):
        s = line.strip()
        if s.startswith("="):
            parts = [x.strip() for x in s[1:].split("|")]
            if len(parts) != 5:
                raise SrcError("%s:%d bill header needs 5 fields" % (path, no))
            key, pid, po, tags, dt = parts
            tl = [t.strip() for t in tags.split(",") if t.strip()]
            for t in tl:
                if t not in MANUAL_TAGS:
                    raise SrcError("%s:%d unknown tag %s" % (path, no, t))
            cur = {"key": key, "pid": parse_pid(pid, path, no), "po": po,
                   "tags": tl, "date": dt, "desc": None, "lines": [], "no": no}
            bills.append(cur)
        elif s.startswith(">"):
            if cur is None or cur["desc"] is not None:
                raise SrcError("%s:%d stray description" % (path, no))
            cur["desc"] = s[1:].strip()
        elif s.startswith("-"):
            parts = [x.strip() for x in s[1:].split(";")]
            if len(parts) != 4:
                raise SrcError("%s:%d line needs 4 fields: %r" % (path, no, s))
            d, q, u, p = parts
            qd = Decimal(q)
            pd = int(p.replace(".", ""))
            cur["lines"].append({"description": d, "qd": qd, "unit": u, "unit_price": pd})
        else:
            raise SrcError("%s:%d unparsed line %r" % (path, no, s))
    for b in bills:
        if not b["desc"] or not b["lines"]:
            raise SrcError("%s:%d bill without description or lines" % (path, b["no"]))
    return bills


# ----------------------------------------------------------------- build
def qty_out(qd):
    if qd == qd.to_integral_value():
        return int(qd)
    return float(qd)


def build_company(key, prefix, first_id, seed):
    rng = random.Random(seed)
    comp = parse_kv_file(os.path.join(SRC, key + "_company.txt"))
    projects = parse_projects(os.path.join(SRC, key + "_projects.txt"))
    suppliers = parse_suppliers(os.path.join(SRC, key + "_suppliers.txt"))
    hist_src = parse_history(os.path.join(SRC, key + "_history.txt"))
    bills_src = parse_bills(os.path.join(SRC, key + "_bills.txt"))

    ids = [p["id"] for p in projects]
    if ids != list(range(first_id, first_id + 30)):
        ids_sorted = sorted(ids)
        if ids_sorted != list(range(first_id, first_id + 30)):
            raise SrcError("%s: project ids must be %d..%d" % (key, first_id, first_id + 29))
        projects.sort(key=lambda p: p["id"])
    pmap = {p["id"]: p for p in projects}
    kw_ids = {p["id"]: [keyword_id(k) for k in p["keywords"]] for p in projects}

    company = {"name": comp["name"], "rut": rut_dotted(int(comp["rut"])),
               "trade": comp["trade"]}

    # history
    history = []
    hist_counts = {}
    for skey, pid, desc, no in hist_src:
        if skey not in suppliers:
            raise SrcError("%s history line %d: unknown supplier %s" % (key, no, skey))
        if pid is not None and pid not in pmap:
            raise SrcError("%s history line %d: unknown project %s" % (key, no, pid))
        name, num = suppliers[skey]
        carried = carried_ids([desc], kw_ids)
        if carried - ({pid} if pid else set()):
            raise SrcError("%s history line %d carries foreign keyword %s" % (key, no, carried))
        history.append({"supplier_name": name, "supplier_rut": rut_spelling(num, rng),
                        "description": desc, "project_id": pid})
        hist_counts.setdefault(skey, Counter())[pid] += 1
    rng.shuffle(history)

    # bills
    bills = []
    for b in bills_src:
        skey, pid = b["key"], b["pid"]
        if skey not in suppliers:
            raise SrcError("%s bill line %d: unknown supplier %s" % (key, b["no"], skey))
        if pid is not None and pid not in pmap:
            raise SrcError("%s bill line %d: unknown project %s" % (key, b["no"], pid))
        name, num = suppliers[skey]
        lines, total = [], Decimal(0)
        for ln in b["lines"]:
            amt = ln["qd"] * ln["unit_price"]
            if amt != amt.to_integral_value():
                raise SrcError("%s bill line %d: non-integer line amount" % (key, b["no"]))
            total += amt
            lines.append({"description": ln["description"], "quantity": qty_out(ln["qd"]),
                          "unit": ln["unit"], "unit_price": ln["unit_price"]})
        if pid is None:
            lo, hi = OH_START, OH_END
        else:
            lo = date.fromisoformat(pmap[pid]["start_date"])
            hi = date.fromisoformat(pmap[pid]["end_date"])
        if b["date"]:
            d = date.fromisoformat(b["date"])
            if not (lo <= d <= hi):
                raise SrcError("%s bill line %d: date %s outside %s..%s" % (key, b["no"], d, lo, hi))
        else:
            # per-bill seed: editing one bill never moves the dates of the others
            brng = random.Random("%d|%s|%s|%s" % (seed, skey, b["desc"], b["po"]))
            d = lo + timedelta(days=brng.randint(0, (hi - lo).days))
        ocp = comp.get("oc_prefix")
        if ocp:
            for f in [b["po"], b["desc"]] + [ln["description"] for ln in lines]:
                for m in re.finditer(re.escape(ocp) + r"-(\d\d)-", f):
                    if "20" + m.group(1) != d.isoformat()[:4]:
                        raise SrcError("%s bill line %d: internal OC year %s vs date %s"
                                       % (key, b["no"], m.group(0), d))
        fields = bill_fields(b["po"], b["desc"], lines)
        carried = carried_ids(fields, kw_ids)
        if carried - ({pid} if pid else set()):
            raise SrcError("%s bill line %d carries foreign keyword %s" % (key, b["no"], carried))
        tags = set(MANUAL_TAGS[t] for t in b["tags"])
        if pid is None:
            tags.add("overhead")
        if pid is not None and pid in carried:
            tags.add("po-reference")
        hc = hist_counts.get(skey)
        if hc and len(hc) >= 2 and hc.get(pid, 0) < max(hc.values()):
            tags.add("shared-supplier")
        if "client-only" in tags and pid is None:
            raise SrcError("%s bill line %d: client-only on overhead" % (key, b["no"]))
        if not tags:
            tags.add("plain")
        bills.append({
            "supplier_name": name, "supplier_rut": rut_spelling(num, rng),
            "invoice_description": b["desc"], "lines": lines, "amount": int(total),
            "issue_date": d.isoformat(), "purchase_order": b["po"],
            "expected_project_id": pid,
            "difficulty": [t for t in TAG_ORDER if t in tags],
        })
    rng.shuffle(bills)
    out_bills = []
    for i, b in enumerate(bills, 1):
        ob = {"id": "%s%03d" % (prefix, i)}
        ob.update(b)
        out_bills.append(ob)
    return {"company": company, "projects": projects, "history": history, "bills": out_bills}


def main():
    for key, prefix, first_id, seed in COMPANIES:
        if not os.path.exists(os.path.join(SRC, key + "_bills.txt")):
            print("skip %s (no sources yet)" % key)
            continue
        data = build_company(key, prefix, first_id, seed)
        path = os.path.join(HERE, "..", key + ".json")
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        print("wrote %s: %d projects, %d history, %d bills" % (
            os.path.basename(path), len(data["projects"]), len(data["history"]), len(data["bills"])))


if __name__ == "__main__":
    main()
