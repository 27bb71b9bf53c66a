#!/usr/bin/env python3
"""Mechanical assembly of the blind-v33 evaluation set.

Reads the hand-written sources in src/ and writes liveline.json,
acoustics.json and pestcontrol.json next to this script.  It only does
mechanical work: RUT check digits and spellings, amounts, dates inside the
project windows, rule tags (overhead, shared-supplier, po-reference, plain),
shuffling and numbering.  Standard library only, fixed seeds.
"""
import datetime
import json
import os
import random
import re
import sys
import unicodedata
from collections import Counter
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

COMPANIES = [
    # key, output file, bill prefix, project id range
    ("liveline", "liveline.json", "L", (9301, 9330)),
    ("acoustics", "acoustics.json", "N", (9401, 9430)),
    ("pestcontrol", "pestcontrol.json", "S", (9501, 9530)),
]

HAND_TAGS = {"place": "place-variant", "trade": "trade-vocabulary",
             "client": "client-only", "typo": "typo"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]
OVERHEAD_WINDOW = ("2025-01-01", "2026-12-31")
MONTHS = ["ENERO", "FEBRERO", "MARZO", "ABRIL", "MAYO", "JUNIO", "JULIO",
          "AGOSTO", "SEPTIEMBRE", "OCTUBRE", "NOVIEMBRE", "DICIEMBRE"]


class SrcError(Exception):
    pass


# ---------------------------------------------------------------- helpers
def rut_dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
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


def rut_plain(body):
    return str(body) + "-" + rut_dv(body)


def norm_alnum(text):
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", t.upper())


def keyword_core(kw):
    return norm_alnum(kw.split()[-1])


def strip_accents_upper(text):
    t = unicodedata.normalize("NFKD", text)
    return "".join(c for c in t if not unicodedata.combining(c)).upper()


def num(qs):
    d = Decimal(qs)
    if d == d.to_integral_value():
        return int(d)
    return float(qs)


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        for i, raw in enumerate(f, 1):
            yield i, raw.rstrip("\n")


# ---------------------------------------------------------------- parsing
def parse_company(key):
    path = os.path.join(SRC, key + "_company.txt")
    company, projects, cur = {}, [], None
    for ln, line in read_lines(path):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        m = re.match(r"^\[(\d+)\]$", s)
        if m:
            cur = {"id": int(m.group(1))}
            projects.append(cur)
            continue
        if ":" not in s:
            raise SrcError(f"{path}:{ln}: no colon")
        k, v = s.split(":", 1)
        k, v = k.strip(), v.strip()
        if cur is None:
            company[k] = v
        else:
            if k in cur:
                raise SrcError(f"{path}:{ln}: duplicate {k}")
            cur[k] = v
    out = []
    for p in projects:
        for need in ("code", "name", "client", "location", "description",
                     "keywords", "budget", "start", "end"):
            if need not in p:
                raise SrcError(f"{key} project {p['id']} lacks {need}")
        out.append({
            "id": p["id"], "name": p["name"], "code": p["code"],
            "client": p["client"], "location": p["location"],
            "description": p["description"],
            "keywords": [k.strip() for k in p["keywords"].split(";") if k.strip()],
            "budget": int(p["budget"].replace(".", "").replace("_", "")),
            "start_date": p["start"], "end_date": p["end"],
        })
    comp = {"name": company["name"],
            "rut": rut_dotted(int(company["rut"])),
            "trade": company["trade"]}
    return comp, out


def parse_suppliers(key):
    path = os.path.join(SRC, key + "_suppliers.txt")
    sup = {}
    for ln, line in read_lines(path):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        parts = [x.strip() for x in s.split("|")]
        if len(parts) != 3:
            raise SrcError(f"{path}:{ln}: want KEY | name | rut body")
        k, name, body = parts
        if k in sup:
            raise SrcError(f"{path}:{ln}: duplicate supplier key {k}")
        sup[k] = {"name": name, "body": int(body)}
    bodies = Counter(v["body"] for v in sup.values())
    dup = [b for b, c in bodies.items() if c > 1]
    if dup:
        raise SrcError(f"{key}: duplicate RUT bodies {dup}")
    return sup


def parse_pid(tok, where):
    tok = tok.strip()
    if tok == "-":
        return None
    if not tok.isdigit():
        raise SrcError(f"{where}: bad project id {tok!r}")
    return int(tok)


def parse_history(key, sup, pids):
    path = os.path.join(SRC, key + "_history.txt")
    rows = []
    for ln, line in read_lines(path):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        parts = [x.strip() for x in s.split("|", 2)]
        if len(parts) != 3:
            raise SrcError(f"{path}:{ln}: want KEY | pid | text")
        k, pid, text = parts
        if k not in sup:
            raise SrcError(f"{path}:{ln}: unknown supplier {k}")
        pid = parse_pid(pid, f"{path}:{ln}")
        if pid is not None and pid not in pids:
            raise SrcError(f"{path}:{ln}: unknown project {pid}")
        rows.append((k, pid, text))
    return rows


def parse_bills(key, sup, pids):
    files = sorted(f for f in os.listdir(SRC)
                   if f.startswith(key + "_bills") and f.endswith(".txt"))
    bills = []
    for fn in files:
        path = os.path.join(SRC, fn)
        cur = None
        for ln, line in read_lines(path):
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            where = f"{fn}:{ln}"
            if s.startswith(">"):
                parts = [x.strip() for x in s[1:].split("|")]
                if len(parts) < 4 or len(parts) > 5:
                    raise SrcError(f"{where}: want > KEY | pid | PO | tags [| date]")
                k, pid, po, tags = parts[:4]
                date = parts[4] if len(parts) == 5 else ""
                if k not in sup:
                    raise SrcError(f"{where}: unknown supplier {k}")
                pid = parse_pid(pid, where)
                if pid is not None and pid not in pids:
                    raise SrcError(f"{where}: unknown project {pid}")
                hand = []
                for t in [t.strip() for t in tags.split(",") if t.strip()]:
                    if t not in HAND_TAGS:
                        raise SrcError(f"{where}: unknown hand tag {t}")
                    hand.append(HAND_TAGS[t])
                cur = {"key": k, "pid": pid, "po": po, "hand": hand,
                       "date": date, "desc": None, "lines": [], "where": where}
                bills.append(cur)
            elif s.startswith("- "):
                if cur is None or cur["desc"] is None:
                    raise SrcError(f"{where}: line before description")
                parts = [x.strip() for x in s[2:].split("|")]
                if len(parts) != 4:
                    raise SrcError(f"{where}: want - desc | qty | unit | price")
                d, q, u, p = parts
                cur["lines"].append({"description": d, "quantity": num(q),
                                     "unit": u, "unit_price": int(p),
                                     "_q": Decimal(q)})
            else:
                if cur is None:
                    raise SrcError(f"{where}: text outside a bill")
                if cur["desc"] is not None:
                    raise SrcError(f"{where}: second description line")
                cur["desc"] = s
        for b in bills:
            if b["desc"] is None or not b["lines"]:
                raise SrcError(f"{b['where']}: bill without description/lines")
    return bills


# ---------------------------------------------------------------- building
HOLIDAYS = {"01-01", "05-01", "05-21", "09-18", "09-19", "12-25"}


def business_day(d):
    return d.weekday() < 5 and d.strftime("%m-%d") not in HOLIDAYS


def rand_date(rng, start, end):
    """A seeded random business day (Mon-Fri, not a fixed holiday) in the window."""
    a = datetime.date.fromisoformat(start)
    b = datetime.date.fromisoformat(end)
    while True:
        d = a + datetime.timedelta(days=rng.randint(0, (b - a).days))
        if business_day(d):
            return d.isoformat()


def build_company(key, outname, prefix, idrange):
    comp, projects = parse_company(key)
    pids = {p["id"] for p in projects}
    exp_ids = set(range(idrange[0], idrange[1] + 1))
    if pids != exp_ids:
        raise SrcError(f"{key}: project ids {sorted(pids ^ exp_ids)} off range")
    pmap = {p["id"]: p for p in projects}
    sup = parse_suppliers(key)
    hist_rows = parse_history(key, sup, pids)
    bills = parse_bills(key, sup, pids)

    # history
    rng = random.Random(f"blind-v33/{key}/history")
    rng.shuffle(hist_rows)
    history = [{"supplier_name": sup[k]["name"],
                "supplier_rut": rut_dotted(sup[k]["body"]),
                "description": text, "project_id": pid}
               for k, pid, text in hist_rows]
    hist_by_sup = {}
    for k, pid, _ in hist_rows:
        hist_by_sup.setdefault(k, Counter())[pid] += 1

    cores = {p["id"]: [keyword_core(kw) for kw in p["keywords"]] for p in projects}

    # bills
    rng = random.Random(f"blind-v33/{key}/bills")
    order = list(range(len(bills)))
    rng.shuffle(order)
    drng = random.Random(f"blind-v33/{key}/dates")
    frng = random.Random(f"blind-v33/{key}/rutfmt")
    fmt_state = {}
    out = []
    warnings = []
    for n, idx in enumerate(order, 1):
        b = bills[idx]
        pid = b["pid"]
        # dates
        if pid is None:
            win = OVERHEAD_WINDOW
        else:
            win = (pmap[pid]["start_date"], pmap[pid]["end_date"])
        if b["date"]:
            date = b["date"]
            if not (win[0] <= date <= win[1]):
                raise SrcError(f"{b['where']}: date {date} outside {win}")
            if not business_day(datetime.date.fromisoformat(date)):
                raise SrcError(f"{b['where']}: date {date} is not a business day")
        else:
            date = rand_date(drng, *win)
        text_all = " ".join([b["desc"]] + [l["description"] for l in b["lines"]])
        up = strip_accents_upper(text_all)
        for mi, mname in enumerate(MONTHS):
            if re.search(r"\b" + mname + r"\b", up) and not b["date"]:
                warnings.append(f"{b['where']}: mentions {mname} without explicit date")
        # amount
        total = sum(l["_q"] * l["unit_price"] for l in b["lines"])
        if total != total.to_integral_value():
            raise SrcError(f"{b['where']}: non-integer amount {total}")
        # rut spelling: alternate per supplier from a seeded start
        k = b["key"]
        if k not in fmt_state:
            fmt_state[k] = frng.randint(0, 1)
        st = fmt_state[k]
        fmt_state[k] = 1 - st
        body = sup[k]["body"]
        rut = rut_dotted(body) if st == 0 else rut_plain(body)
        # tags
        tags = set(b["hand"])
        if pid is None:
            tags.add("overhead")
        hc = hist_by_sup.get(k)
        if hc and len(hc) >= 2 and hc.get(pid, 0) < max(hc.values()):
            tags.add("shared-supplier")
        fields = [b["po"], b["desc"]] + [l["description"] for l in b["lines"]]
        nf = [norm_alnum(f) for f in fields]
        for ppid, cs in cores.items():
            hit = any(c in f for c in cs for f in nf)
            if hit and ppid != pid:
                raise SrcError(f"{b['where']}: carries identifier of project {ppid}")
            if hit and ppid == pid:
                tags.add("po-reference")
        if "client-only" in tags:
            client = pmap[pid]["client"]
            if sum(1 for p in projects if p["client"] == client) != 1:
                raise SrcError(f"{b['where']}: client-only but client has several projects")
        if not tags:
            tags.add("plain")
        lines = [{"description": l["description"], "quantity": l["quantity"],
                  "unit": l["unit"], "unit_price": l["unit_price"]} for l in b["lines"]]
        out.append({
            "id": f"{prefix}{n:03d}",
            "supplier_name": sup[k]["name"],
            "supplier_rut": rut,
            "invoice_description": b["desc"],
            "lines": lines,
            "amount": int(total),
            "issue_date": date,
            "purchase_order": b["po"],
            "expected_project_id": pid,
            "difficulty": [t for t in TAG_ORDER if t in tags],
        })
    data = {"company": comp, "projects": projects, "history": history, "bills": out}
    path = os.path.join(HERE, "..", outname)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return path, warnings


def main():
    only = sys.argv[1:]
    rc = 0
    for key, outname, prefix, idrange in COMPANIES:
        if only and key not in only:
            continue
        if not os.path.exists(os.path.join(SRC, key + "_company.txt")):
            print(f"{key}: no sources yet, skipped")
            continue
        try:
            path, warns = build_company(key, outname, prefix, idrange)
        except SrcError as e:
            print(f"ERROR {key}: {e}")
            rc = 1
            continue
        for w in warns:
            print(f"WARNING {key}: {w}")
            rc = 1
        print(f"wrote {os.path.relpath(path, HERE)}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
