#!/usr/bin/env python3
"""Self-check for the frozen blind evaluation set (standard library only).

Verifies every <company>.json in this folder:
  * schema fields present, ids unique, every project_id / expected_project_id exists;
  * counts: >= 25 projects, >= 150 history rows, >= 130 bills per company,
    >= 400 bills in all, >= 15 % overhead bills per company; overhead rows in the
    history of some companies and none in at least one company;
  * RUTs (company and suppliers) have a valid modulo-11 check digit;
  * dates are valid ISO dates in 2024-2026, project start <= end, and a project bill
    is dated near its project (from 90 days before start to 120 days after end);
  * amounts are positive integers equal to the sum of the line items (+-1 CLP);
  * tags come from the agreed list; `overhead` is set exactly on bills whose
    expected_project_id is null;
  * `shared-supplier` is set exactly when the supplier's history covers >= 2
    different assignments (projects, or overhead) and the expected answer is assigned
    less often in that history than the supplier's most frequent assignment;
  * `po-reference` is set exactly when an identifier from the expected project's
    keywords is in the bill (purchase_order, description or lines), however it is spelled; and no bill
    carries another project's identifier.
Prints the per-company table; exits 1 on any violation.
"""
import datetime as dt
import glob
import json
import os
import re
import sys
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
        "client-only", "typo", "plain"]
MIN_PROJECTS, MIN_HISTORY, MIN_BILLS, MIN_TOTAL_BILLS, MIN_OVERHEAD = 25, 150, 130, 400, 0.15
DATE_LO, DATE_HI = dt.date(2024, 1, 1), dt.date(2026, 12, 31)
GENERIC = {"oc", "contrato", "marco", "id", "n", "no", "nro", "hes", "orden", "de", "compra",
           "licitacion", "licitación", "po", "ot", "sap", "edp"}

errors = []


def err(msg):
    errors.append(msg)


def rut_ok(rut):
    m = re.fullmatch(r"(\d{1,3}(?:\.?\d{3})*)-([\dkK])", rut.strip())
    if not m:
        return False
    body = m.group(1).replace(".", "")
    s, f = 0, 2
    for d in reversed(body):
        s += int(d) * f
        f = 2 if f == 7 else f + 1
    r = 11 - s % 11
    dv = "0" if r == 11 else "K" if r == 10 else str(r)
    return dv == m.group(2).upper()


def date_of(s, where):
    try:
        d = dt.date.fromisoformat(s)
    except Exception:
        err(f"{where}: bad date {s!r}")
        return None
    if not DATE_LO <= d <= DATE_HI:
        err(f"{where}: date {s} outside 2024-2026")
    return d


def norm(s):
    s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
    s = re.sub(r"(?i)\b(n\s*[°º]|nro\.?|n\.)\s*", " ", s)
    return re.sub(r"[^0-9a-z]", "", s.lower())


def identifier(keyword):
    """The part of a keyword that identifies a project, normalised:
    'OC 4500871203' -> '4500871203'; 'Contrato Marco CGE-MNT-2024-07' -> 'cgemnt202407';
    'Contrato Vialidad N° 3318' -> 'vialidad3318' (short numbers keep the word before)."""
    toks = [t for t in re.split(r"[\s]+", re.sub(r"[°º#:]", " ", keyword.strip())) if t]
    toks = [t for t in toks if t.lower().strip(".") not in GENERIC]
    idx = [i for i, t in enumerate(toks) if re.search(r"\d", t)]
    if not idx:
        return None
    ident = norm("".join(toks[i] for i in idx))
    if len(ident) < 6 and idx[0] > 0:
        ident = norm(toks[idx[0] - 1]) + ident
    return ident if len(ident) >= 6 else None


def bill_text(b):
    parts = [b.get("purchase_order", ""), b.get("invoice_description", "")]
    parts += [l.get("description", "") for l in b.get("lines", [])]
    return norm(" ".join(parts))


def check(path):
    name = os.path.basename(path)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    c = doc.get("company", {})
    for k in ("name", "rut", "trade", "head_office"):
        if not c.get(k):
            err(f"{name}: company.{k} missing")
    if c.get("rut") and not rut_ok(c["rut"]):
        err(f"{name}: company RUT {c['rut']} invalid")

    projects = doc.get("projects", [])
    pids = [p.get("id") for p in projects]
    if len(set(pids)) != len(pids):
        err(f"{name}: duplicate project ids")
    pmap = {p["id"]: p for p in projects}
    codes = [p.get("code") for p in projects]
    if len(set(codes)) != len(codes):
        err(f"{name}: duplicate project codes")
    pdates = {}
    idents = {}
    for p in projects:
        w = f"{name} project {p.get('id')}"
        for k in ("code", "name", "description", "client", "location", "start_date", "end_date",
                  "budget", "keywords"):
            if k not in p or p[k] in (None, ""):
                err(f"{w}: {k} missing")
        s, e = date_of(p.get("start_date", ""), w), date_of(p.get("end_date", ""), w)
        if s and e and s > e:
            err(f"{w}: start after end")
        pdates[p["id"]] = (s, e)
        if not isinstance(p.get("budget"), int) or p["budget"] <= 0:
            err(f"{w}: budget must be a positive integer")
        for kw in p.get("keywords", []):
            i = identifier(kw)
            if i:
                idents.setdefault(i, p["id"])
                if idents[i] != p["id"]:
                    err(f"{w}: identifier {kw!r} also used by project {idents[i]}")

    history = doc.get("history", [])
    sup_hist = {}
    for i, h in enumerate(history):
        w = f"{name} history[{i}]"
        if h.get("project_id") is not None and h["project_id"] not in pmap:
            err(f"{w}: unknown project_id {h['project_id']}")
        if not rut_ok(h.get("supplier_rut", "")):
            err(f"{w}: invalid RUT {h.get('supplier_rut')}")
        if not h.get("description") or not h.get("supplier_name"):
            err(f"{w}: description / supplier_name missing")
        body = h.get("supplier_rut", "").replace(".", "").split("-")[0]
        sup_hist.setdefault(body, Counter())[h.get("project_id")] += 1
    hist_overhead = sum(1 for h in history if h.get("project_id") is None)

    bills = doc.get("bills", [])
    bids = [b.get("id") for b in bills]
    if len(set(bids)) != len(bids):
        err(f"{name}: duplicate bill ids")
    tagc = Counter()
    for b in bills:
        w = f"{name} bill {b.get('id')}"
        for k in ("id", "invoice_description", "supplier_rut", "supplier_name", "amount",
                  "issue_date", "purchase_order", "lines", "expected_project_id", "difficulty"):
            if k not in b:
                err(f"{w}: {k} missing")
        exp = b.get("expected_project_id")
        if exp is not None and exp not in pmap:
            err(f"{w}: expected_project_id {exp} does not exist")
        if not rut_ok(b.get("supplier_rut", "")):
            err(f"{w}: invalid RUT {b.get('supplier_rut')}")
        d = date_of(b.get("issue_date", ""), w)
        if d and exp in pdates and all(pdates[exp]):
            s, e = pdates[exp]
            if not (s - dt.timedelta(days=90) <= d <= e + dt.timedelta(days=120)):
                err(f"{w}: issue date {d} far from project {exp} ({s}..{e})")
        lines = b.get("lines") or []
        if not lines:
            err(f"{w}: no lines")
        total = 0
        for l in lines:
            if not l.get("description") or not l.get("unit") or "quantity" not in l or "unit_price" not in l:
                err(f"{w}: incomplete line {l}")
                continue
            total += l["quantity"] * l["unit_price"]
        if not isinstance(b.get("amount"), int) or b["amount"] <= 0:
            err(f"{w}: amount must be a positive integer")
        elif abs(b["amount"] - total) > 1:
            err(f"{w}: amount {b['amount']} != sum of lines {total}")
        tags = b.get("difficulty") or []
        if not tags:
            err(f"{w}: no difficulty tags")
        for t in tags:
            if t not in TAGS:
                err(f"{w}: unknown tag {t!r}")
        if len(set(tags)) != len(tags):
            err(f"{w}: repeated tag")
        tagc.update(set(tags))
        if ("overhead" in tags) != (exp is None):
            err(f"{w}: 'overhead' tag must be set exactly when expected_project_id is null")
        if "plain" in tags and len(tags) > 1 and tags != ["overhead", "plain"]:
            err(f"{w}: 'plain' combined with other difficulty tags {tags}")
        body = b.get("supplier_rut", "").replace(".", "").split("-")[0]
        hc = sup_hist.get(body, Counter())
        shared = len(hc) >= 2 and hc.get(exp, 0) < max(hc.values())
        if "shared-supplier" in tags and not shared:
            err(f"{w}: shared-supplier but the supplier's history is {dict(hc)} (expected {exp})")
        if shared and "shared-supplier" not in tags:
            err(f"{w}: supplier history {dict(hc)} makes this a shared-supplier case: tag it")
        text = bill_text(b)
        found = {pid for i, pid in idents.items() if i in text}
        if "po-reference" in tags and exp not in found:
            err(f"{w}: po-reference but no identifier of project {exp} in the bill")
        if exp in found and "po-reference" not in tags:
            err(f"{w}: carries an identifier of project {exp}: tag it po-reference")
        for pid in found:
            if pid != exp:
                err(f"{w}: carries identifier of project {pid} but expects {exp}")
    ov = sum(1 for b in bills if b.get("expected_project_id") is None)
    if len(projects) < MIN_PROJECTS:
        err(f"{name}: {len(projects)} projects < {MIN_PROJECTS}")
    if len(history) < MIN_HISTORY:
        err(f"{name}: {len(history)} history rows < {MIN_HISTORY}")
    if len(bills) < MIN_BILLS:
        err(f"{name}: {len(bills)} bills < {MIN_BILLS}")
    if bills and ov / len(bills) < MIN_OVERHEAD:
        err(f"{name}: overhead bills {ov}/{len(bills)} < {MIN_OVERHEAD:.0%}")
    return {"file": name, "projects": len(projects), "history": len(history),
            "hist_overhead": hist_overhead, "bills": len(bills), "overhead": ov, "tags": tagc,
            "bill_ids": set(bids)}


def main():
    files = sorted(glob.glob(os.path.join(HERE, "*.json")))
    if not files:
        print("no JSON files found")
        return 1
    rows = [check(f) for f in files]
    total = sum(r["bills"] for r in rows)
    if total < MIN_TOTAL_BILLS:
        err(f"total bills {total} < {MIN_TOTAL_BILLS}")
    if not any(r["hist_overhead"] == 0 for r in rows):
        err("no company is without overhead rows in its history")
    if not any(r["hist_overhead"] > 0 for r in rows):
        err("no company has overhead rows in its history")
    seen = set()
    for r in rows:
        if seen & r["bill_ids"]:
            err(f"{r['file']}: bill ids repeated across files")
        seen |= r["bill_ids"]

    hdr = ["file", "projects", "history", "hist_ovh", "bills", "ovh_bills", "ovh_%"] + TAGS[1:]
    print(" | ".join(hdr))
    agg = Counter()
    for r in rows:
        agg.update(r["tags"])
        cells = [r["file"], r["projects"], r["history"], r["hist_overhead"], r["bills"],
                 r["overhead"], f"{100 * r['overhead'] / max(r['bills'], 1):.1f}"]
        cells += [r["tags"].get(t, 0) for t in TAGS[1:]]
        print(" | ".join(str(x) for x in cells))
    ovt = sum(r["overhead"] for r in rows)
    cells = ["TOTAL", sum(r["projects"] for r in rows), sum(r["history"] for r in rows),
             sum(r["hist_overhead"] for r in rows), total, ovt, f"{100 * ovt / max(total, 1):.1f}"]
    cells += [agg.get(t, 0) for t in TAGS[1:]]
    print(" | ".join(str(x) for x in cells))
    print("tag share of all bills: " + ", ".join(
        f"{t} {100 * agg.get(t, 0) / max(total, 1):.1f}%" for t in TAGS))
    if errors:
        print(f"\n{len(errors)} violation(s):")
        for e in errors:
            print("  - " + e)
        return 1
    print("\nOK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
