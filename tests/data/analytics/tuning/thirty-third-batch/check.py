#!/usr/bin/env python3
"""Re-checks every rule of the blind-v33 set from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
Standard library only.
"""
import datetime
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("liveline.json", "L", 9301), ("acoustics.json", "N", 9401),
         ("pestcontrol.json", "S", 9501)]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"]
REGIONS = {
    "Región de Arica y Parinacota", "Región de Tarapacá", "Región de Antofagasta",
    "Región de Atacama", "Región de Coquimbo", "Región de Valparaíso",
    "Región Metropolitana de Santiago",
    "Región del Libertador General Bernardo O'Higgins", "Región del Maule",
    "Región de Ñuble", "Región del Biobío", "Región de La Araucanía",
    "Región de Los Ríos", "Región de Los Lagos",
    "Región de Aysén del General Carlos Ibáñez del Campo",
    "Región de Magallanes y de la Antártica Chilena"}
MONTHS = ["ENERO", "FEBRERO", "MARZO", "ABRIL", "MAYO", "JUNIO", "JULIO",
          "AGOSTO", "SEPTIEMBRE", "OCTUBRE", "NOVIEMBRE", "DICIEMBRE"]
HOLIDAYS = {"01-01", "05-01", "05-21", "09-18", "09-19", "12-25"}
MINIMA = {"plain": 15, "po-reference": 12, "not-most-frequent": 10, "typo": 6,
          "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}

errors = []


def err(co, msg):
    errors.append(f"{co}: {msg}")


def rut_ok(rut):
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([\dkK])", rut)
    if not m:
        return None
    body = m.group(1).replace(".", "")
    s, mul = 0, 2
    for d in reversed(body):
        s += int(d) * mul
        mul = 2 if mul == 7 else mul + 1
    r = 11 - s % 11
    dv = "0" if r == 11 else "K" if r == 10 else str(r)
    return body if dv == m.group(2).upper() else None


def norm_alnum(text):
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", t.upper())


def upper_noacc(text):
    t = unicodedata.normalize("NFKD", text)
    return "".join(c for c in t if not unicodedata.combining(c)).upper()


def is_date(s):
    try:
        datetime.date.fromisoformat(s)
        return re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) is not None
    except (TypeError, ValueError):
        return False


def check_types(co, obj, spec, where):
    if not isinstance(obj, dict):
        err(co, f"{where}: not an object")
        return False
    if set(obj) != set(spec):
        err(co, f"{where}: keys {sorted(obj)} != {sorted(spec)}")
        return False
    ok = True
    for k, t in spec.items():
        v = obj[k]
        if t == "int":
            good = isinstance(v, int) and not isinstance(v, bool)
        elif t == "int?":
            good = v is None or (isinstance(v, int) and not isinstance(v, bool))
        elif t == "num":
            good = isinstance(v, (int, float)) and not isinstance(v, bool)
        elif t == "str":
            good = isinstance(v, str)
        elif t == "list":
            good = isinstance(v, list)
        else:
            good = True
        if not good:
            err(co, f"{where}.{k}: wrong type {type(v).__name__}")
            ok = False
    return ok


def check_company(fname, prefix, first_id):
    co = fname.replace(".json", "")
    path = os.path.join(HERE, "..", fname)
    if not os.path.exists(path):
        err(co, "file missing")
        return None
    raw = open(path, "rb").read()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        err(co, f"invalid JSON: {e}")
        return None
    if not check_types(co, data, {"company": "obj", "projects": "list",
                                  "history": "list", "bills": "list"}, "root"):
        return None
    c = data["company"]
    if check_types(co, c, {"name": "str", "rut": "str", "trade": "str"}, "company"):
        if not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[\dK]", c["rut"]) or not rut_ok(c["rut"]):
            err(co, f"company RUT {c['rut']} invalid")

    # ------------------------------------------------------------ projects
    projects = data["projects"]
    pspec = {"id": "int", "name": "str", "code": "str", "client": "str",
             "location": "str", "description": "str", "keywords": "list",
             "budget": "int", "start_date": "str", "end_date": "str"}
    pmap = {}
    for p in projects:
        if not check_types(co, p, pspec, f"project {p.get('id')}"):
            continue
        pmap[p["id"]] = p
        m = re.fullmatch(r"([^,]+), (Región .+)", p["location"])
        if not m or m.group(2) not in REGIONS:
            err(co, f"project {p['id']}: location {p['location']!r}")
        if not (is_date(p["start_date"]) and is_date(p["end_date"])):
            err(co, f"project {p['id']}: bad dates")
        elif not ("2025-01-01" <= p["start_date"] < p["end_date"] <= "2026-12-31"):
            err(co, f"project {p['id']}: window {p['start_date']}..{p['end_date']}")
        if not p["keywords"] or not all(isinstance(k, str) and k.strip() for k in p["keywords"]):
            err(co, f"project {p['id']}: keywords")
        if p["budget"] <= 0:
            err(co, f"project {p['id']}: budget")
    if sorted(pmap) != list(range(first_id, first_id + 30)):
        err(co, f"project ids not exactly {first_id}..{first_id + 29}")
    if len({p["code"] for p in pmap.values()}) != len(pmap):
        err(co, "duplicate project codes")
    cores = {}
    for pid, p in pmap.items():
        cs = []
        for kw in p["keywords"]:
            core = norm_alnum(kw.split()[-1]) if kw.split() else ""
            if len(core) < 6 or not re.search(r"\d", core):
                err(co, f"project {pid}: keyword {kw!r} has no usable identifier")
            cs.append(core)
        cores[pid] = cs
    allc = [(c, pid) for pid, cs in cores.items() for c in cs]
    for c1, p1 in allc:
        for c2, p2 in allc:
            if p1 != p2 and c1 and c1 in c2:
                err(co, f"identifier {c1} ({p1}) inside {c2} ({p2})")
    clients = Counter(p["client"] for p in pmap.values())

    # ------------------------------------------------------------ history
    hist = data["history"]
    hspec = {"supplier_name": "str", "supplier_rut": "str", "description": "str",
             "project_id": "int?"}
    hist_by = {}
    names = {}
    for i, h in enumerate(hist):
        if not check_types(co, h, hspec, f"history[{i}]"):
            continue
        body = rut_ok(h["supplier_rut"])
        if not body:
            err(co, f"history[{i}]: RUT {h['supplier_rut']} invalid")
            continue
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err(co, f"history[{i}]: unknown project {h['project_id']}")
        names.setdefault(body, set()).add(h["supplier_name"])
        hist_by.setdefault(body, Counter())[h["project_id"]] += 1
        if not h["description"].strip():
            err(co, f"history[{i}]: empty description")
        hn = norm_alnum(h["description"])
        for ppid, cs in cores.items():
            if any(c and c in hn for c in cs) and ppid != h["project_id"]:
                err(co, f"history[{i}]: carries identifier of {ppid} but is assigned {h['project_id']}")
    hist_over = sum(1 for h in hist if h.get("project_id") is None)
    if len(hist) < 150:
        err(co, f"history has {len(hist)} rows (< 150)")

    # ------------------------------------------------------------ bills
    bills = data["bills"]
    bspec = {"id": "str", "supplier_name": "str", "supplier_rut": "str",
             "invoice_description": "str", "lines": "list", "amount": "int",
             "issue_date": "str", "purchase_order": "str",
             "expected_project_id": "int?", "difficulty": "list"}
    lspec = {"description": "str", "quantity": "num", "unit": "str", "unit_price": "int"}
    if not (170 <= len(bills) <= 190):
        err(co, f"{len(bills)} bills (want 170-190)")
    tagc = Counter()
    not_most = 0
    spellings = {}
    bill_sups = set()
    new_sup_bills = 0
    for i, b in enumerate(bills):
        if not check_types(co, b, bspec, f"bill[{i}]"):
            continue
        bid = b["id"]
        if bid != f"{prefix}{i + 1:03d}":
            err(co, f"bill[{i}] id {bid} (want {prefix}{i + 1:03d})")
        body = rut_ok(b["supplier_rut"])
        if not body:
            err(co, f"{bid}: RUT {b['supplier_rut']} invalid")
            continue
        names.setdefault(body, set()).add(b["supplier_name"])
        spellings.setdefault(body, set()).add(b["supplier_rut"])
        bill_sups.add(body)
        if body not in hist_by:
            new_sup_bills += 1
        pid = b["expected_project_id"]
        if pid is not None and pid not in pmap:
            err(co, f"{bid}: unknown project {pid}")
            continue
        # lines and amount
        total = Decimal(0)
        if not b["lines"]:
            err(co, f"{bid}: no lines")
        for j, l in enumerate(b["lines"]):
            if not check_types(co, l, lspec, f"{bid}.lines[{j}]"):
                continue
            if l["quantity"] <= 0 or l["unit_price"] <= 0:
                err(co, f"{bid}.lines[{j}]: non-positive quantity/price")
            total += Decimal(repr(l["quantity"])) * l["unit_price"]
        if total != b["amount"]:
            err(co, f"{bid}: amount {b['amount']} != sum {total}")
        # dates
        if not is_date(b["issue_date"]):
            err(co, f"{bid}: bad issue_date")
        else:
            lo, hi = ("2025-01-01", "2026-12-31") if pid is None else (
                pmap[pid]["start_date"], pmap[pid]["end_date"])
            if not (lo <= b["issue_date"] <= hi):
                err(co, f"{bid}: issue_date {b['issue_date']} outside {lo}..{hi}")
            dd = datetime.date.fromisoformat(b["issue_date"])
            if dd.weekday() > 4 or dd.strftime("%m-%d") in HOLIDAYS:
                err(co, f"{bid}: issue_date {b['issue_date']} is not a business day")
            text = upper_noacc(" ".join([b["invoice_description"]] +
                                        [l.get("description", "") for l in b["lines"]]))
            month = int(b["issue_date"][5:7])
            for mi, mn in enumerate(MONTHS, 1):
                if re.search(r"\b" + mn + r"\b", text):
                    if month not in (mi, mi % 12 + 1):
                        err(co, f"{bid}: mentions {mn} but issued {b['issue_date']}")
        # tags
        tags = b["difficulty"]
        if len(set(tags)) != len(tags) or any(t not in TAGS for t in tags):
            err(co, f"{bid}: bad tags {tags}")
        ts = set(tags)
        tagc.update(ts)
        if ("overhead" in ts) != (pid is None):
            err(co, f"{bid}: overhead tag vs expected {pid}")
        hc = hist_by.get(body)
        shared = bool(hc and len(hc) >= 2 and hc.get(pid, 0) < max(hc.values()))
        if shared != ("shared-supplier" in ts):
            err(co, f"{bid}: shared-supplier tag should be {shared}")
        if hc and hc.get(pid, 0) < max(hc.values()):
            not_most += 1
        fields = [b["purchase_order"], b["invoice_description"]] + [
            l.get("description", "") for l in b["lines"]]
        nf = [norm_alnum(f) for f in fields]
        carried = {ppid for ppid, cs in cores.items() for c in cs for f in nf if c and c in f}
        if carried - {pid}:
            err(co, f"{bid}: carries identifier of other project(s) {sorted(carried - {pid})}")
        if (pid in carried) != ("po-reference" in ts):
            err(co, f"{bid}: po-reference tag should be {pid in carried}")
        if "client-only" in ts and (pid is None or clients[pmap[pid]["client"]] != 1):
            err(co, f"{bid}: client-only but client has {clients.get(pmap.get(pid, {}).get('client'), 0)} projects")
        others = ts - {"plain"}
        if ("plain" in ts) == bool(others):
            err(co, f"{bid}: plain tag inconsistent with {sorted(others)}")
        if not b["invoice_description"].strip():
            err(co, f"{bid}: empty invoice_description")
    for body, ns in names.items():
        if len(ns) > 1:
            err(co, f"RUT {body} has several names {sorted(ns)}")
    multi = [bd for bd, sp in spellings.items() if len(sp) > 1]
    if not multi:
        err(co, "no supplier RUT spelled in more than one way")
    n_over = tagc["overhead"]
    share = n_over / len(bills) if bills else 0
    if not (0.20 <= share <= 0.23):
        err(co, f"overhead share {share:.3f} outside 20-23 %")
    new_sup = len([s for s in bill_sups if s not in hist_by])
    new_share = new_sup / len(bill_sups) if bill_sups else 0
    if not (0.30 <= new_share <= 0.45):
        err(co, f"new-supplier share {new_share:.3f} outside 30-45 %")
    got = dict(tagc)
    got["not-most-frequent"] = not_most
    for k, v in MINIMA.items():
        if got.get(k, 0) < v:
            err(co, f"{k}: {got.get(k, 0)} < {v}")
    covered = {b["expected_project_id"] for b in bills if b.get("expected_project_id")}
    if len(covered) != 30:
        err(co, f"only {len(covered)} projects have bills")
    return {
        "company": co, "projects": len(pmap), "history": len(hist),
        "history overhead": hist_over, "bills": len(bills),
        "overhead bills": f"{n_over} ({share * 100:.1f}%)",
        **{t: tagc[t] for t in TAGS if t != "overhead"},
        "not-most-frequent": not_most,
        "bill suppliers": len(bill_sups),
        "new suppliers": f"{new_sup} ({new_share * 100:.1f}%)",
        "bills from new suppliers": new_sup_bills,
        "multi-spelled RUTs": len(multi),
    }


def main():
    rows = []
    for fname, prefix, first in FILES:
        r = check_company(fname, prefix, first)
        if r:
            rows.append(r)
    if len(rows) == 3:
        zero = [r["company"] for r in rows if r["history overhead"] == 0]
        if len(zero) != 1:
            err("all", f"companies with no overhead history: {zero} (want exactly one)")
        for r in rows:
            if r["company"] not in zero and not (15 <= r["history overhead"] <= 25):
                err(r["company"], f"history overhead {r['history overhead']} outside 15-25")
    if rows:
        keys = list(rows[0].keys())[1:]
        w = max(len(k) for k in keys)
        head = "".ljust(w) + " | " + " | ".join(r["company"].ljust(12) for r in rows)
        print(head)
        print("-" * len(head))
        for k in keys:
            print(k.ljust(w) + " | " + " | ".join(str(r[k]).ljust(12) for r in rows))
    if errors:
        print(f"\n{len(errors)} violation(s):")
        for e in errors[:200]:
            print("  " + e)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
