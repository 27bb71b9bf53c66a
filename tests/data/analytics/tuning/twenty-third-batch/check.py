#!/usr/bin/env python3
"""Re-checks every rule of the blind-v23 set from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
Standard library only.
"""
import datetime
import json
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("cathodic.json", 6301, "P"), ("tyres.json", 6401, "T"), ("scales.json", 6501, "W")]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"]
MINIMA = {"plain": 15, "po-reference": 12, "typo": 6, "place-variant": 25,
          "trade-vocabulary": 20, "client-only": 4}
LO, HI = datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)
STOP = {"EMPRESA", "COMPANIA", "SOCIEDAD", "LTDA", "SPA", "DEL", "LOS", "LAS", "ILUSTRE",
        "CHILE", "NACIONAL", "GENERAL"}

errors = []


def err(company, msg):
    errors.append("%s: %s" % (company, msg))


def norm(text):
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", t.upper())


def words(text):
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).upper()
    return set(w for w in re.split(r"[^A-Z0-9]+", t) if w)


def rut_ok(rut):
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([\dkK])", rut)
    if not m:
        return False
    body = m.group(1).replace(".", "")
    s, mul = 0, 2
    for d in reversed(body):
        s += int(d) * mul
        mul = 2 if mul == 7 else mul + 1
    r = 11 - s % 11
    dv = "0" if r == 11 else "K" if r == 10 else str(r)
    return dv == m.group(2).upper()


def rut_key(rut):
    return rut.replace(".", "").upper()


def date_ok(s):
    try:
        return datetime.date.fromisoformat(s) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) else None
    except ValueError:
        return None


def check_company(fname, id_start, prefix):
    c = fname.replace(".json", "")
    path = os.path.join(HERE, "..", fname)
    if not os.path.exists(path):
        err(c, "missing file")
        return None
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if set(data) != {"company", "projects", "history", "bills"}:
        err(c, "top-level keys %s" % sorted(data))
    comp = data["company"]
    if set(comp) != {"name", "rut", "trade"} or not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[\dK]", comp["rut"]) \
            or not rut_ok(comp["rut"]):
        err(c, "bad company block")

    # ---- projects
    projects = data["projects"]
    pmap = {}
    pkeys = ["id", "name", "code", "client", "location", "description", "keywords", "budget",
             "start_date", "end_date"]
    if len(projects) != 30:
        err(c, "%d projects, want 30" % len(projects))
    for p in projects:
        if list(p) != pkeys:
            err(c, "project keys %s" % list(p))
            continue
        pmap[p["id"]] = p
        if not re.fullmatch(r"[^,]+, Región (de |del |Metropolitana de ).+", p["location"]):
            err(c, "project %s location format" % p["id"])
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(c, "project %s budget" % p["id"])
        s, e = date_ok(p["start_date"]), date_ok(p["end_date"])
        if not s or not e or not (LO <= s <= e <= HI):
            err(c, "project %s dates" % p["id"])
        if not p["keywords"] or not all(isinstance(k, str) and len(norm(k)) >= 8 for k in p["keywords"]):
            err(c, "project %s keywords" % p["id"])
    if sorted(pmap) != list(range(id_start, id_start + 30)):
        err(c, "project ids not %d..%d" % (id_start, id_start + 29))
    if len({p["code"] for p in projects}) != len(projects):
        err(c, "duplicate project codes")
    allkw = [(pid, norm(k)) for pid, p in pmap.items() for k in p["keywords"]]
    for pid, k in allkw:
        for pid2, k2 in allkw:
            if pid != pid2 and k in k2:
                err(c, "keyword of %s contained in keyword of %s" % (pid, pid2))
    clients = Counter(p["client"] for p in projects)

    # ---- history
    hist = data["history"]
    names_by_rut = defaultdict(set)
    hist_counts = defaultdict(Counter)
    for h in hist:
        if list(h) != ["supplier_name", "supplier_rut", "description", "project_id"]:
            err(c, "history keys %s" % list(h))
            continue
        if not rut_ok(h["supplier_rut"]):
            err(c, "history bad RUT %s" % h["supplier_rut"])
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err(c, "history unknown project %s" % h["project_id"])
        k = rut_key(h["supplier_rut"])
        names_by_rut[k].add(h["supplier_name"])
        hist_counts[k][h["project_id"]] += 1
    hist_over = sum(1 for h in hist if h["project_id"] is None)
    if len(hist) < 150:
        err(c, "history has %d rows, want >= 150" % len(hist))
    if hist_over != 0 and not 15 <= hist_over <= 25:
        err(c, "history overhead rows %d, want 0 or 15-25" % hist_over)

    # ---- bills
    bills = data["bills"]
    bkeys = ["id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"]
    if not 170 <= len(bills) <= 190:
        err(c, "%d bills, want 170-190" % len(bills))
    tagcount = Counter()
    notmode = 0
    bill_sups = Counter()
    spellings = defaultdict(set)
    for i, b in enumerate(bills, 1):
        if list(b) != bkeys:
            err(c, "bill keys %s" % list(b))
            continue
        bid = b["id"]
        if bid != "%s%03d" % (prefix, i):
            err(c, "bill id %s out of sequence" % bid)
        if not rut_ok(b["supplier_rut"]):
            err(c, "%s bad RUT %s" % (bid, b["supplier_rut"]))
        k = rut_key(b["supplier_rut"])
        names_by_rut[k].add(b["supplier_name"])
        spellings[k].add(b["supplier_rut"])
        bill_sups[k] += 1
        exp = b["expected_project_id"]
        if exp is not None and exp not in pmap:
            err(c, "%s unknown project %s" % (bid, exp))
            continue
        # amount
        tot = Decimal(0)
        for ln in b["lines"]:
            if list(ln) != ["description", "quantity", "unit", "unit_price"] or \
                    not isinstance(ln["unit_price"], int) or isinstance(ln["quantity"], bool) or \
                    not isinstance(ln["quantity"], (int, float)):
                err(c, "%s bad line %s" % (bid, ln))
                continue
            tot += Decimal(str(ln["quantity"])) * ln["unit_price"]
        if not b["lines"] or not isinstance(b["amount"], int) or tot != b["amount"]:
            err(c, "%s amount %s != lines %s" % (bid, b["amount"], tot))
        # date
        d = date_ok(b["issue_date"])
        if exp is None:
            lo, hi = LO, HI
        else:
            lo = datetime.date.fromisoformat(pmap[exp]["start_date"])
            hi = datetime.date.fromisoformat(pmap[exp]["end_date"])
        if not d or not lo <= d <= hi:
            err(c, "%s issue_date %s outside window" % (bid, b["issue_date"]))
        # tags
        tags = b["difficulty"]
        if not tags or len(set(tags)) != len(tags) or any(t not in TAGS for t in tags):
            err(c, "%s bad difficulty %s" % (bid, tags))
        ts = set(tags)
        tagcount.update(ts)
        if ("overhead" in ts) != (exp is None):
            err(c, "%s overhead tag mismatch" % bid)
        hc = hist_counts.get(k)
        shared = bool(hc) and len(hc) >= 2 and hc.get(exp, 0) < max(hc.values())
        if shared != ("shared-supplier" in ts):
            err(c, "%s shared-supplier rule mismatch" % bid)
        if hc and hc.get(exp, 0) < max(hc.values()):
            notmode += 1
        fields = [b["purchase_order"], b["invoice_description"]] + [ln["description"] for ln in b["lines"]]
        nf = [norm(f) for f in fields]
        hits = {pid for pid, kw in allkw if any(kw in x for x in nf)}
        if hits - ({exp} if exp is not None else set()):
            err(c, "%s carries identifier of other project(s) %s" % (bid, sorted(hits - {exp})))
        if (exp is not None and exp in hits) != ("po-reference" in ts):
            err(c, "%s po-reference rule mismatch" % bid)
        if "client-only" in ts:
            if exp is None or clients[pmap[exp]["client"]] != 1:
                err(c, "%s client-only but client has several projects" % bid)
            else:
                cw = {w for w in words(pmap[exp]["client"]) if len(w) >= 4 and w not in STOP}
                bw = set().union(*[words(f) for f in fields])
                if not cw & bw:
                    err(c, "%s client-only but client not named" % bid)
        if ("plain" in ts) != (ts == {"plain"}) or (not ts - {"plain"} and "plain" not in ts):
            err(c, "%s plain tag mismatch" % bid)
    for k, names in names_by_rut.items():
        if len(names) > 1:
            err(c, "RUT %s has several names %s" % (k, sorted(names)))
    over = tagcount["overhead"]
    share = over / len(bills) if bills else 0
    if not 0.20 <= share <= 0.23:
        err(c, "overhead share %.3f outside 20-23%%" % share)
    for t, m in MINIMA.items():
        if tagcount[t] < m:
            err(c, "%s count %d < %d" % (t, tagcount[t], m))
    if notmode < 10:
        err(c, "bills not matching supplier's most frequent assignment: %d < 10" % notmode)
    new = [k for k in bill_sups if k not in hist_counts]
    frac = len(new) / len(bill_sups)
    if not 0.30 <= frac <= 0.45:
        err(c, "new supplier share %.3f outside 30-45%%" % frac)
    multi = [k for k, n in bill_sups.items() if n >= 2]
    varied = [k for k in multi if len(spellings[k]) >= 2]
    return {
        "company": comp["name"], "projects": len(projects), "history": len(hist),
        "history_overhead": hist_over, "bills": len(bills), "overhead": over,
        "overhead_pct": 100 * share, "tags": tagcount, "notmode": notmode,
        "bill_suppliers": len(bill_sups), "new_suppliers": len(new), "new_pct": 100 * frac,
        "bills_new_sup": sum(bill_sups[k] for k in new),
        "varied_rut": "%d/%d" % (len(varied), len(multi)),
    }


def main():
    stats = {}
    for fname, start, prefix in FILES:
        s = check_company(fname, start, prefix)
        if s:
            stats[fname.replace(".json", "")] = s
    zero = [c for c, s in stats.items() if s["history_overhead"] == 0]
    if len(zero) != 1:
        errors.append("exactly one company must have no overhead history rows (found %s)" % zero)
    cols = list(stats)
    rows = [
        ("projects", lambda s: s["projects"]),
        ("history rows", lambda s: s["history"]),
        ("history overhead rows", lambda s: s["history_overhead"]),
        ("bills", lambda s: s["bills"]),
        ("overhead bills", lambda s: "%d (%.1f%%)" % (s["overhead"], s["overhead_pct"])),
    ] + [(t, (lambda t: lambda s: s["tags"][t])(t)) for t in TAGS if t != "overhead"] + [
        ("not supplier's top assignment", lambda s: s["notmode"]),
        ("bill suppliers", lambda s: s["bill_suppliers"]),
        ("new suppliers", lambda s: "%d (%.1f%%)" % (s["new_suppliers"], s["new_pct"])),
        ("bills from new suppliers", lambda s: s["bills_new_sup"]),
        ("RUT spelled 2+ ways", lambda s: s["varied_rut"]),
    ]
    w0 = max(len(r[0]) for r in rows)
    print("| %s | %s |" % ("count".ljust(w0), " | ".join(c.ljust(13) for c in cols)))
    print("|%s|%s|" % ("-" * (w0 + 2), "|".join("-" * 15 for _ in cols)))
    for label, fn in rows:
        print("| %s | %s |" % (label.ljust(w0), " | ".join(str(fn(stats[c])).ljust(13) for c in cols)))
    if errors:
        print("\nVIOLATIONS (%d):" % len(errors))
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("\nOK: all rules pass")


if __name__ == "__main__":
    main()
