#!/usr/bin/env python3
"""Re-check every rule of the blind evaluation set v19 from the JSON files alone.

Reads dewatering.json, sanitary.json and retrofit.json next to this script,
prints a counts table and exits 1 on any violation. Python 3 standard library only.
"""
import datetime as dt
import json
import os
import re
import sys
from collections import Counter, OrderedDict
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("dewatering.json", "M", range(5101, 5131)),
         ("sanitary.json", "S", range(5201, 5231)),
         ("retrofit.json", "E", range(5301, 5331))]
OH_START, OH_END = dt.date(2025, 1, 6), dt.date(2026, 12, 6)
TOP_KEYS = ["company", "projects", "history", "bills"]
COMPANY_KEYS = ["name", "rut", "trade"]
PROJECT_KEYS = ["id", "name", "code", "client", "location", "description", "keywords",
                "budget", "start_date", "end_date"]
HISTORY_KEYS = ["supplier_name", "supplier_rut", "description", "project_id"]
BILL_KEYS = ["id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"]
LINE_KEYS = ["description", "quantity", "unit", "unit_price"]
RULE_TAGS = ["overhead", "po-reference", "shared-supplier", "plain"]
HAND_TAGS = ["place-variant", "trade-vocabulary", "client-only", "typo"]
ALL_TAGS = RULE_TAGS + HAND_TAGS
REGIONS = ["Región de Arica y Parinacota", "Región de Tarapacá", "Región de Antofagasta",
           "Región de Atacama", "Región de Coquimbo", "Región de Valparaíso",
           "Región Metropolitana de Santiago",
           "Región del Libertador General Bernardo O'Higgins", "Región del Maule",
           "Región de Ñuble", "Región del Biobío", "Región de La Araucanía",
           "Región de Los Ríos", "Región de Los Lagos",
           "Región de Aysén del General Carlos Ibáñez del Campo",
           "Región de Magallanes y de la Antártica Chilena"]
DOTTED = re.compile(r"^\d{1,2}\.\d{3}\.\d{3}-[0-9K]$")
PLAIN = re.compile(r"^\d{7,8}-[0-9K]$")

errors = []


def err(fname, msg):
    errors.append("%s: %s" % (fname, msg))


def dv(body):
    s, m = 0, 2
    for d in reversed(body):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def rut_norm(fname, rut, where):
    """Return (normalized body-dv, spelling) or None after reporting."""
    if DOTTED.match(rut):
        spelling = "dotted"
    elif PLAIN.match(rut):
        spelling = "plain"
    else:
        err(fname, "%s: RUT %r not in a known spelling" % (where, rut))
        return None
    body, d = rut.replace(".", "").split("-")
    if dv(body) != d:
        err(fname, "%s: RUT %r has a wrong check digit" % (where, rut))
    return body + "-" + d, spelling


def date_of(fname, s, where):
    try:
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", s):
            raise ValueError
        return dt.date.fromisoformat(s)
    except (ValueError, TypeError):
        err(fname, "%s: bad date %r" % (where, s))
        return None


def check_keys(fname, obj, keys, where):
    if not isinstance(obj, dict) or list(obj.keys()) != keys:
        err(fname, "%s: keys %s, expected %s" % (
            where, list(obj.keys()) if isinstance(obj, dict) else type(obj).__name__, keys))
        return False
    return True


def strings_of(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from strings_of(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from strings_of(v)


def check_file(fname, prefix, id_range):
    path = os.path.join(HERE, "..", fname)
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh, object_pairs_hook=OrderedDict)
    row = OrderedDict(file=fname)
    if not check_keys(fname, doc, TOP_KEYS, "top level"):
        return row
    comp = doc["company"]
    check_keys(fname, comp, COMPANY_KEYS, "company")
    if not DOTTED.match(comp.get("rut", "")):
        err(fname, "company RUT must be written like 76.123.456-K")
    rut_norm(fname, comp.get("rut", ""), "company")

    # ---- projects
    projects = doc["projects"]
    row["projects"] = len(projects)
    if len(projects) != 30:
        err(fname, "%d projects, expected exactly 30" % len(projects))
    pmap = {}
    for p in projects:
        w = "project %s" % p.get("id")
        if not check_keys(fname, p, PROJECT_KEYS, w):
            continue
        if p["id"] in pmap:
            err(fname, w + ": duplicate id")
        pmap[p["id"]] = p
        if p["id"] not in id_range:
            err(fname, w + ": id outside %d-%d" % (id_range[0], id_range[-1]))
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err(fname, w + ": empty " + k)
        if not (isinstance(p["keywords"], list) and len(p["keywords"]) == 1
                and isinstance(p["keywords"][0], str) and p["keywords"][0].strip()):
            err(fname, w + ": keywords must be exactly one non-empty string")
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(fname, w + ": budget must be a positive int")
        loc = p["location"]
        ok = False
        for r in REGIONS:
            if loc.endswith(", " + r) and loc[:-len(r) - 2].strip():
                ok = True
        if not ok:
            err(fname, w + ": location %r not '<Commune>, Región ...'" % loc)
        s, e = date_of(fname, p["start_date"], w), date_of(fname, p["end_date"], w)
        if s and e and s >= e:
            err(fname, w + ": start_date not before end_date")
        if s and e and (e < OH_START or s > OH_END):
            err(fname, w + ": window outside 2025-01-06..2026-12-06")
    if sorted(pmap) != list(id_range):
        err(fname, "project ids are not exactly %d-%d" % (id_range[0], id_range[-1]))
    codes = Counter(p["code"].lower() for p in pmap.values())
    for c, n in codes.items():
        if n > 1:
            err(fname, "project code %r not unique" % c)
    marks = {pid: [p["code"].lower(), p["keywords"][0].lower()] for pid, p in pmap.items()}
    for pid, p in pmap.items():
        for qid, q in pmap.items():
            if qid == pid:
                continue
            text = " ".join(strings_of(q)).lower()
            for m in marks[pid]:
                if m in text:
                    err(fname, "project %d's code/keyword %r appears in project %d" % (pid, m, qid))

    # ---- suppliers / RUTs (history + bills together)
    name_to_rut, rut_to_name = {}, {}
    spellings = Counter()
    per_supplier_spell = {}

    def note_supplier(name, rut, where):
        r = rut_norm(fname, rut, where)
        if r is None:
            return
        norm, sp = r
        spellings[sp] += 1
        per_supplier_spell.setdefault(name, set()).add(sp)
        if name_to_rut.setdefault(name, norm) != norm:
            err(fname, "%s: supplier %r has two RUTs" % (where, name))
        if rut_to_name.setdefault(norm, name) != name:
            err(fname, "%s: RUT %s used by two names" % (where, norm))
        if comp.get("rut") and norm == comp["rut"].replace(".", ""):
            err(fname, "%s: supplier uses the company's own RUT" % where)

    # ---- history
    history = doc["history"]
    row["history"] = len(history)
    if len(history) < 150:
        err(fname, "history has %d rows, need >= 150" % len(history))
    served = {}
    hist_count = {}
    hist_oh = 0
    for i, h in enumerate(history):
        w = "history[%d]" % i
        if not check_keys(fname, h, HISTORY_KEYS, w):
            continue
        note_supplier(h["supplier_name"], h["supplier_rut"], w)
        pid = h["project_id"]
        if pid is not None and pid not in pmap:
            err(fname, w + ": unknown project_id %r" % pid)
        if pid is None:
            hist_oh += 1
        if not h["description"].strip():
            err(fname, w + ": empty description")
        served.setdefault(h["supplier_name"], set()).add(pid)
        hist_count.setdefault(h["supplier_name"], Counter())[pid] += 1
    row["hist overhead"] = hist_oh
    multi = [s for s, ps in served.items() if len([p for p in ps if p is not None]) >= 2]
    row["multi-project suppliers"] = len(multi)
    if len(multi) < 3:
        err(fname, "only %d suppliers serve several projects in history, need >= 3" % len(multi))

    # ---- bills
    bills = doc["bills"]
    row["bills"] = len(bills)
    if len(bills) < 165:
        err(fname, "%d bills, need >= 165" % len(bills))
    tagc = Counter()
    bill_suppliers = set()
    not_top = 0
    for i, b in enumerate(bills):
        w = "bill %s" % (b.get("id") if isinstance(b, dict) else i)
        if not check_keys(fname, b, BILL_KEYS, w):
            continue
        if b["id"] != "%s%03d" % (prefix, i + 1):
            err(fname, w + ": id out of sequence (expected %s%03d)" % (prefix, i + 1))
        note_supplier(b["supplier_name"], b["supplier_rut"], w)
        bill_suppliers.add(b["supplier_name"])
        if not isinstance(b["lines"], list) or not b["lines"]:
            err(fname, w + ": needs at least one line")
            continue
        total = Fraction(0)
        for j, ln in enumerate(b["lines"]):
            if not check_keys(fname, ln, LINE_KEYS, "%s line %d" % (w, j)):
                continue
            q = ln["quantity"]
            if isinstance(q, bool) or not isinstance(q, (int, float)) or q <= 0:
                err(fname, "%s line %d: bad quantity" % (w, j))
                continue
            if not isinstance(ln["unit_price"], int) or isinstance(ln["unit_price"], bool):
                err(fname, "%s line %d: unit_price must be int" % (w, j))
                continue
            if not ln["description"].strip() or not ln["unit"].strip():
                err(fname, "%s line %d: empty description/unit" % (w, j))
            total += Fraction(repr(q)) * ln["unit_price"]
        if not isinstance(b["amount"], int) or Fraction(b["amount"]) != total:
            err(fname, "%s: amount %r != sum of lines %s" % (w, b["amount"], total))
        d = date_of(fname, b["issue_date"], w)
        pid = b["expected_project_id"]
        if pid is not None and pid not in pmap:
            err(fname, w + ": unknown expected_project_id %r" % pid)
            continue
        if d:
            if pid is None:
                if not (OH_START <= d <= OH_END):
                    err(fname, w + ": overhead bill dated outside 2025-01-06..2026-12-06")
            else:
                p = pmap[pid]
                if not (dt.date.fromisoformat(p["start_date"]) <= d <= dt.date.fromisoformat(p["end_date"])):
                    err(fname, w + ": issue_date outside project %d window" % pid)
        # foreign codes / keywords
        btext = " ".join(strings_of(b)).lower()
        for qid, ms in marks.items():
            if qid == pid:
                continue
            for m in ms:
                if m in btext:
                    err(fname, w + ": contains code/keyword %r of project %d" % (m, qid))
        # rule tags
        text = " ".join([b["invoice_description"], b["purchase_order"]]
                        + [ln["description"] for ln in b["lines"]]).lower()
        expect = set()
        if pid is None:
            expect.add("overhead")
        elif any(m in text for m in marks[pid]):
            expect.add("po-reference")
        if len(served.get(b["supplier_name"], set())) >= 2:
            expect.add("shared-supplier")
        tags = b["difficulty"]
        if not isinstance(tags, list) or len(set(tags)) != len(tags):
            err(fname, w + ": difficulty must be a list without duplicates")
            continue
        for t in tags:
            if t not in ALL_TAGS:
                err(fname, w + ": unknown tag %r" % t)
        hand = set(tags) & set(HAND_TAGS)
        if not expect and not hand:
            expect.add("plain")
        got_rule = set(tags) & set(RULE_TAGS)
        if got_rule != expect:
            err(fname, w + ": rule tags %s, expected %s" % (sorted(got_rule), sorted(expect)))
        if hand and pid is None:
            err(fname, w + ": hand tags on an overhead bill")
        if "client-only" in tags and pid is not None:
            client = pmap[pid]["client"]
            if sum(1 for p in pmap.values() if p["client"] == client) != 1:
                err(fname, w + ": client-only but client %r has several projects" % client)
        for t in tags:
            tagc[t] += 1
        # not the supplier's most-served project
        hc = hist_count.get(b["supplier_name"])
        if pid is not None and hc:
            top = max(hc.values())
            if hc.get(pid, 0) != top:
                not_top += 1

    n = len(bills)
    row["overhead"] = tagc["overhead"]
    row["overhead %"] = round(100.0 * tagc["overhead"] / n, 1) if n else 0
    for t in ["po-reference", "plain", "shared-supplier", "place-variant", "trade-vocabulary",
              "client-only", "typo"]:
        row[t] = tagc[t]
    hist_names = set(served)
    new = bill_suppliers - hist_names
    row["bill suppliers"] = len(bill_suppliers)
    row["new suppliers"] = len(new)
    row["new %"] = round(100.0 * len(new) / len(bill_suppliers), 1) if bill_suppliers else 0
    row["multi-project suppliers"] = row.pop("multi-project suppliers")
    row["bills not to supplier's top project"] = not_top

    if n and tagc["overhead"] < 0.18 * n:
        err(fname, "overhead bills %.1f%% < 18%%" % (100.0 * tagc["overhead"] / n))
    if tagc["plain"] < 15:
        err(fname, "plain %d < 15" % tagc["plain"])
    if tagc["po-reference"] < 12:
        err(fname, "po-reference %d < 12" % tagc["po-reference"])
    if tagc["typo"] < 6:
        err(fname, "typo %d < 6" % tagc["typo"])
    if bill_suppliers and not (0.35 <= len(new) / len(bill_suppliers) <= 0.50):
        err(fname, "new suppliers %.1f%% not within 35-50%%" % (100.0 * len(new) / len(bill_suppliers)))
    if not_top < 10:
        err(fname, "only %d bills go to a project other than the supplier's top one" % not_top)
    if spellings["dotted"] == 0 or spellings["plain"] == 0:
        err(fname, "supplier RUTs not written in both spellings")
    return row


def main():
    rows = []
    for fname, prefix, rng in FILES:
        try:
            rows.append(check_file(fname, prefix, rng))
        except (OSError, ValueError, KeyError, TypeError) as e:
            err(fname, "cannot check: %r" % (e,))
    with_oh = [r["file"] for r in rows if r.get("hist overhead", 0) > 0]
    if len(with_oh) != 2:
        err("all", "overhead rows in history in %d files (%s), need exactly 2" % (len(with_oh), with_oh))
    total = sum(r.get("bills", 0) for r in rows)
    if total < 500:
        err("all", "%d bills in all, need >= 500" % total)

    cols = ["projects", "history", "hist overhead", "bills", "overhead", "overhead %",
            "po-reference", "plain", "shared-supplier", "place-variant", "trade-vocabulary",
            "client-only", "typo", "bill suppliers", "new suppliers", "new %",
            "multi-project suppliers", "bills not to supplier's top project"]
    print("| count | " + " | ".join(r["file"] for r in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for c in cols:
        print("| %s | %s |" % (c, " | ".join(str(r.get(c, "")) for r in rows)))
    print("| bills in all | %d |" % total)
    if errors:
        print("\n%d violation(s):" % len(errors))
        for e in errors[:200]:
            print("  - " + e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
