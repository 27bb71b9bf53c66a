#!/usr/bin/env python3
"""Re-checks every rule of the blind-v34 set from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
"""
import json
import os
import re
import sys
import unicodedata
from datetime import date
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("signage.json", 9601, "E"), ("motors.json", 9701, "M"), ("shiprepair.json", 9801, "B")]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"]
MINIMUMS = {"plain": 15, "po-reference": 12, "not-top": 10, "typo": 6,
            "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}
BRANDS = ["SKF", "ABB", "WEG", "SIEMENS", "CATERPILLAR", "CUMMINS", "HILTI", "MAKITA",
          "BOSCH", "DEWALT", "STANLEY", "JOTUN", "HEMPEL", "SHERWIN", "VOLVO", "WARTSILA",
          "TOYOTA", "HYUNDAI", "SAMSUNG", "PHILIPS", "OSRAM", "SCHNEIDER", "LEGRAND",
          "LINCOLN", "ESAB", "HONDA", "YAMAHA", "KUBOTA", "COPEC", "PETROBRAS", "SODIMAC",
          "ENTEL", "MOVISTAR", "ENEL", "ESSBIO", "ESVAL", "LATAM", "JETSMART", "FALABELLA",
          "AVERY", "ORACAL", "GRAPHTEC", "ROLAND", "MIMAKI", "EPSON", "NSK",
          "FAG", "TIMKEN", "KOYO", "FLUKE", "GRUNDFOS", "FLYGT", "KSB", "TOSHIBA", "MITSUBISHI",
          "CMPC", "ASMAR", "DANFOSS", "MOBIL", "CASTROL",
          "SUZUKI", "NISSAN", "CHEVROLET", "MAHINDRA", "KARCHER", "INGCO", "TRUPER", "CONSTRUMART",
          "CHILEXPRESS", "STARKEN", "AGROSUPER", "IANSA", "PELAMBRES"]
ALLOWED_RE = re.compile(r"^\d{1,2}\.\d{3}\.\d{3}-[\dK]$")
errors = []


def err(co, msg):
    errors.append("%s: %s" % (co, msg))


def dv(body):
    s, m = 0, 2
    for ch in reversed(str(body)):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def rut_key(r):
    """Normalise a RUT spelling; return None if invalid."""
    s = r.replace(".", "").replace(" ", "").upper()
    m = re.fullmatch(r"(\d{7,8})-([\dK])", s)
    if not m or dv(m.group(1)) != m.group(2):
        return None
    return m.group(1) + "-" + m.group(2)


def norm(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return re.sub(r"[^0-9A-Z]", "", s.upper())


def words(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return set(re.findall(r"[A-Z0-9]+", s.upper()))


STOP = {"SA", "SPA", "LTDA", "DE", "DEL", "LA", "LAS", "LOS", "EL", "Y", "E", "EIRL",
        "CIA", "COMPANIA", "S", "A", "ILUSTRE", "I", "CHILE", "SOCIEDAD", "EMPRESA"}


def isodate(s):
    try:
        return date.fromisoformat(s)
    except Exception:
        return None


def check_company(fname, first_id, prefix):
    co = fname.split(".")[0]
    path = os.path.join(HERE, "..", fname)
    if not os.path.exists(path):
        err(co, "missing file")
        return None
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if set(data) != {"company", "projects", "history", "bills"}:
        err(co, "top-level keys %s" % sorted(data))
    c = data["company"]
    if set(c) != {"name", "rut", "trade"} or not ALLOWED_RE.match(c["rut"]) or not rut_key(c["rut"]):
        err(co, "company block / RUT invalid")
    # projects
    P = data["projects"]
    ids = [p["id"] for p in P]
    if sorted(ids) != list(range(first_id, first_id + 30)):
        err(co, "project ids not exactly %d..%d" % (first_id, first_id + 29))
    pmap = {p["id"]: p for p in P}
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords",
             "budget", "start_date", "end_date"}
    codes = set()
    cores = {}
    for p in P:
        if set(p) != pkeys:
            err(co, "project %s keys" % p.get("id"))
            continue
        if not re.fullmatch(r"[^,]+, Regi[oó]n .+", p["location"]):
            err(co, "project %s location format %r" % (p["id"], p["location"]))
        s, e = isodate(p["start_date"]), isodate(p["end_date"])
        if not s or not e or not (date(2025, 1, 1) <= s <= e <= date(2026, 12, 31)):
            err(co, "project %s dates" % p["id"])
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(co, "project %s budget" % p["id"])
        if p["code"] in codes:
            err(co, "duplicate code %s" % p["code"])
        codes.add(p["code"])
        if not p["keywords"] or not all(isinstance(k, str) and k for k in p["keywords"]):
            err(co, "project %s keywords" % p["id"])
        for k in p["keywords"]:
            cn = norm(k)
            if len(cn) < 7:
                err(co, "project %s keyword too short %r" % (p["id"], k))
            if cn in cores and cores[cn] != p["id"]:
                err(co, "keyword %r shared" % k)
            cores[cn] = p["id"]
        for txt in (p["name"], p["description"]):
            for cn, owner in cores.items():
                pass
    client_count = {}
    for p in P:
        client_count[p["client"]] = client_count.get(p["client"], 0) + 1

    def carried(text):
        h = norm(text)
        return {owner for cn, owner in cores.items() if cn in h}

    # brand check over all text
    alltext = json.dumps(data, ensure_ascii=False)
    W = words(alltext)
    for b in BRANDS:
        bw = b.split()
        if len(bw) == 1 and b in W:
            err(co, "brand-like word %s" % b)

    # history
    H = data["history"]
    names_by_rut = {}
    hist_counts = {}
    for h in H:
        if set(h) != {"supplier_name", "supplier_rut", "description", "project_id"}:
            err(co, "history keys")
            continue
        k = rut_key(h["supplier_rut"])
        if not k:
            err(co, "history RUT invalid %s" % h["supplier_rut"])
            continue
        names_by_rut.setdefault(k, set()).add(h["supplier_name"])
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err(co, "history project unknown %s" % h["project_id"])
        if carried(h["description"]) - {h["project_id"]}:
            err(co, "history row carries another project's keyword: %r" % h["description"])
        hist_counts.setdefault(k, {})
        hist_counts[k][h["project_id"]] = hist_counts[k].get(h["project_id"], 0) + 1
    hist_oh = sum(1 for h in H if h["project_id"] is None)
    if len(H) < 150:
        err(co, "history has %d rows (<150)" % len(H))

    # bills
    B = data["bills"]
    if not 170 <= len(B) <= 190:
        err(co, "%d bills" % len(B))
    bkeys = ["id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"]
    tagc = {t: 0 for t in TAGS}
    not_top = 0
    bill_sups = set()
    for i, b in enumerate(B, 1):
        if list(b) != bkeys:
            err(co, "bill %s keys/order" % b.get("id"))
            continue
        if b["id"] != "%s%03d" % (prefix, i):
            err(co, "bill id %s out of sequence" % b["id"])
        k = rut_key(b["supplier_rut"])
        if not k:
            err(co, "bill %s RUT invalid %s" % (b["id"], b["supplier_rut"]))
            continue
        names_by_rut.setdefault(k, set()).add(b["supplier_name"])
        bill_sups.add(k)
        pid = b["expected_project_id"]
        if pid is not None and pid not in pmap:
            err(co, "bill %s unknown project" % b["id"])
            continue
        # amount
        tot = Decimal(0)
        for ln in b["lines"]:
            if set(ln) != {"description", "quantity", "unit", "unit_price"} or \
                    not isinstance(ln["unit_price"], int) or isinstance(ln["quantity"], bool):
                err(co, "bill %s line shape" % b["id"])
                continue
            tot += Decimal(repr(ln["quantity"])) * ln["unit_price"]
        if not b["lines"] or tot != b["amount"] or not isinstance(b["amount"], int):
            err(co, "bill %s amount %s != %s" % (b["id"], b["amount"], tot))
        d = isodate(b["issue_date"])
        if pid is None:
            if not d or not date(2025, 1, 1) <= d <= date(2026, 12, 31):
                err(co, "bill %s overhead date" % b["id"])
        else:
            p = pmap[pid]
            if not d or not isodate(p["start_date"]) <= d <= isodate(p["end_date"]):
                err(co, "bill %s date outside project window" % b["id"])
        if not isinstance(b["purchase_order"], str):
            err(co, "bill %s purchase_order type" % b["id"])
        # tags
        tags = b["difficulty"]
        if len(set(tags)) != len(tags) or any(t not in TAGS for t in tags) or not tags:
            err(co, "bill %s bad tags %s" % (b["id"], tags))
        for t in tags:
            if t in tagc:
                tagc[t] += 1
        if ("overhead" in tags) != (pid is None):
            err(co, "bill %s overhead tag rule" % b["id"])
        text = " ".join([b["purchase_order"], b["invoice_description"]] +
                        [ln["description"] for ln in b["lines"]])
        car = carried(text)
        if car - {pid}:
            err(co, "bill %s carries keyword of another project %s" % (b["id"], car - {pid}))
        if ("po-reference" in tags) != (pid is not None and pid in car):
            err(co, "bill %s po-reference rule" % b["id"])
        hc = hist_counts.get(k, {})
        shared = len(hc) >= 2 and hc.get(pid, 0) < max(hc.values())
        if ("shared-supplier" in tags) != shared:
            err(co, "bill %s shared-supplier rule" % b["id"])
        if hc and hc.get(pid, 0) < max(hc.values()):
            not_top += 1
        if "client-only" in tags:
            cl = pmap[pid]["client"] if pid is not None else None
            if cl is None or client_count[cl] != 1:
                err(co, "bill %s client-only but client has %s projects" % (b["id"], client_count.get(cl)))
            else:
                cw = {w for w in words(cl) if w not in STOP and len(w) >= 4}
                if not cw & words(text):
                    err(co, "bill %s client-only but client not named" % b["id"])
        others = [t for t in tags if t != "plain"]
        if ("plain" in tags) == bool(others):
            err(co, "bill %s plain rule" % b["id"])
    for k, names in names_by_rut.items():
        if len(names) != 1:
            err(co, "RUT %s has several names %s" % (k, names))
    n = len(B)
    oh = tagc["overhead"]
    if not 0.20 <= oh / n <= 0.23:
        err(co, "overhead share %.3f" % (oh / n))
    new = [k for k in bill_sups if k not in hist_counts]
    new_share = len(new) / len(bill_sups)
    if not 0.30 <= new_share <= 0.45:
        err(co, "new-supplier share %.3f" % new_share)
    vals = dict(tagc)
    vals["not-top"] = not_top
    for t, m in MINIMUMS.items():
        if vals[t] < m:
            err(co, "%s count %d < %d" % (t, vals[t], m))
    new_bills = sum(1 for b in B if rut_key(b["supplier_rut"]) not in hist_counts)
    return {"company": co, "projects": len(P), "history": len(H), "hist_overhead": hist_oh,
            "bills": n, "overhead": oh, "overhead_pct": 100.0 * oh / n,
            "bill_suppliers": len(bill_sups), "new_suppliers": len(new),
            "new_sup_pct": 100.0 * new_share, "bills_new_sup": new_bills,
            "tags": tagc, "not_top": not_top,
            "clients_single": sum(1 for v in client_count.values() if v == 1)}


def main():
    rows = []
    for fname, first, prefix in FILES:
        r = check_company(fname, first, prefix)
        if r:
            rows.append(r)
    ho = [r["hist_overhead"] for r in rows]
    if len(rows) == 3:
        if sorted(1 for h in ho if h == 0) != [1]:
            errors.append("exactly one company must have no overhead history rows: %s" % ho)
        for r in rows:
            if r["hist_overhead"] != 0 and not 15 <= r["hist_overhead"] <= 25:
                errors.append("%s: overhead history rows %d not in 15-25" % (r["company"], r["hist_overhead"]))
    # table
    lines = []
    hdr = ["metric"] + [r["company"] for r in rows]
    lines.append(hdr)
    def add(name, f):
        lines.append([name] + [f(r) for r in rows])
    add("projects", lambda r: str(r["projects"]))
    add("history rows", lambda r: str(r["history"]))
    add("history overhead rows", lambda r: str(r["hist_overhead"]))
    add("bills", lambda r: str(r["bills"]))
    add("overhead bills", lambda r: "%d (%.1f%%)" % (r["overhead"], r["overhead_pct"]))
    for t in TAGS[1:]:
        add(t, lambda r, t=t: str(r["tags"][t]))
    add("not supplier's top project", lambda r: str(r["not_top"]))
    add("bill suppliers", lambda r: str(r["bill_suppliers"]))
    add("new suppliers (not in history)", lambda r: "%d (%.1f%%)" % (r["new_suppliers"], r["new_sup_pct"]))
    add("bills from new suppliers", lambda r: str(r["bills_new_sup"]))
    add("clients with one project", lambda r: str(r["clients_single"]))
    w = [max(len(l[i]) for l in lines) for i in range(len(hdr))]
    for j, l in enumerate(lines):
        print("| " + " | ".join(x.ljust(w[i]) for i, x in enumerate(l)) + " |")
        if j == 0:
            print("|" + "|".join("-" * (x + 2) for x in w) + "|")
    if errors:
        print("\n%d VIOLATION(S):" % len(errors))
        for e in errors:
            print("  - " + e)
        sys.exit(1)
    print("\nALL CHECKS PASSED")


if __name__ == "__main__":
    main()
