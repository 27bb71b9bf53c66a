#!/usr/bin/env python3
"""Re-checks every rule of the blind set from the three JSON files alone.

Prints a counts table per company and exits 1 on any violation.
Standard library only.
"""
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from datetime import date
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("ventilation.json", 6001, "V"), ("fuelstations.json", 6101, "G"), ("docks.json", 6201, "D")]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
        "client-only", "typo", "plain"]
MIN = {"plain": 15, "po-reference": 12, "not-most-frequent": 10, "typo": 6,
       "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}
CLIENT_STOP = {"CHILE", "SOCIEDAD", "COMPANIA", "DIVISION", "CONSTRUCTORA", "SERVICIOS",
               "INGENIERIA", "LTDA", "LIMITADA", "ANONIMA", "SERVICIO", "SALUD", "HOSPITAL",
               "EMPRESA", "EMPRESAS", "INVERSIONES", "COMERCIAL", "DISTRIBUIDORA", "MINERA",
               "INDUSTRIAL", "LOGISTICA", "CENTRO", "GENERAL", "NACIONAL", "GRUPO", "ILUSTRE"}
errors = []


def err(msg):
    errors.append(msg)


def norm(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^0-9A-Z]", "", s.upper())


def words(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).upper()
    return re.findall(r"[A-Z0-9]+", s)


def ident(keyword):
    toks = [t for t in keyword.split() if any(c.isdigit() for c in t)]
    return norm("".join(toks))


def rut_ok(r):
    m = re.fullmatch(r"(\d{1,3}(?:\.\d{3})*|\d{6,9})-([0-9Kk])", r)
    if not m:
        return None
    body = m.group(1).replace(".", "")
    s, mul = 0, 2
    for ch in reversed(body):
        s += int(ch) * mul
        mul = 2 if mul == 7 else mul + 1
    r11 = 11 - s % 11
    d = "0" if r11 == 11 else "K" if r11 == 10 else str(r11)
    return int(body) if d == m.group(2).upper() else None


def isodate(s, where):
    try:
        return date.fromisoformat(s)
    except Exception:
        err(f"{where}: bad date {s!r}")
        return None


def check_file(fname, first_id, prefix):
    where = fname
    path = os.path.join(HERE, "..", fname)
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    doc = json.loads(raw)
    if not isinstance(doc, dict) or set(doc) != {"company", "projects", "history", "bills"}:
        err(f"{where}: top-level keys {list(doc)}")
        return None
    comp = doc["company"]
    if set(comp) != {"name", "rut", "trade"} or not all(isinstance(comp[k], str) and comp[k] for k in comp):
        err(f"{where}: company object")
    if not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[0-9K]", comp.get("rut", "")) or rut_ok(comp["rut"]) is None:
        err(f"{where}: company rut {comp.get('rut')}")

    # projects
    P = doc["projects"]
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords", "budget",
             "start_date", "end_date"}
    if len(P) != 30:
        err(f"{where}: {len(P)} projects")
    ids = [p.get("id") for p in P]
    if sorted(ids) != list(range(first_id, first_id + 30)):
        err(f"{where}: project ids {ids}")
    pmap = {}
    idents = {}
    lo, hi = date(2025, 1, 1), date(2026, 12, 31)
    for p in P:
        w = f"{where} project {p.get('id')}"
        if set(p) != pkeys:
            err(f"{w}: keys {sorted(p)}")
            continue
        pmap[p["id"]] = p
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err(f"{w}: {k}")
        if not re.fullmatch(r"[^,]+, Región .+", p["location"]):
            err(f"{w}: location {p['location']!r}")
        if not isinstance(p["budget"], int) or isinstance(p["budget"], bool) or p["budget"] <= 0:
            err(f"{w}: budget")
        if not isinstance(p["keywords"], list) or not p["keywords"] or \
                not all(isinstance(k, str) and k.strip() for k in p["keywords"]):
            err(f"{w}: keywords")
            continue
        a, b = isodate(p["start_date"], w), isodate(p["end_date"], w)
        if a and b and not (lo <= a <= b <= hi):
            err(f"{w}: dates {a} {b}")
        idents[p["id"]] = [ident(k) for k in p["keywords"]]
        for i in idents[p["id"]]:
            if len(i) < 7:
                err(f"{w}: keyword identifier too short {i}")
    if len({p["code"] for p in P}) != len(P):
        err(f"{where}: duplicate project codes")
    allids = [(pid, i) for pid, l in idents.items() for i in l]
    for pid, i in allids:
        for pid2, j in allids:
            if pid != pid2 and i in j:
                err(f"{where}: identifier {i} of {pid} inside {j} of {pid2}")
    clients = Counter(p["client"] for p in P)

    # suppliers: one name <-> one RUT body
    name_body, body_name = {}, {}

    def supplier(name, rut, w):
        body = rut_ok(rut)
        if body is None:
            err(f"{w}: invalid RUT {rut!r}")
            return None
        if name_body.setdefault(name, body) != body:
            err(f"{w}: supplier {name} with two RUTs")
        if body_name.setdefault(body, name) != name:
            err(f"{w}: RUT {rut} with two names")
        return body

    # history
    H = doc["history"]
    hkeys = {"supplier_name", "supplier_rut", "description", "project_id"}
    counts = {}
    h_over = 0
    for n, h in enumerate(H):
        w = f"{where} history[{n}]"
        if set(h) != hkeys:
            err(f"{w}: keys")
            continue
        if not isinstance(h["description"], str) or not h["description"].strip():
            err(f"{w}: description")
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err(f"{w}: project_id {h['project_id']}")
        if h["project_id"] is None:
            h_over += 1
        body = supplier(h["supplier_name"], h["supplier_rut"], w)
        counts.setdefault(body, Counter())[h["project_id"]] += 1
    if len(H) < 150:
        err(f"{where}: only {len(H)} history rows")

    # bills
    B = doc["bills"]
    bkeys = {"id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"}
    lkeys = {"description", "quantity", "unit", "unit_price"}
    if not 170 <= len(B) <= 190:
        err(f"{where}: {len(B)} bills")
    tagc = Counter()
    notmost = 0
    rut_dotted = rut_plain = 0
    spellings = {}
    new_bills = 0
    bill_sups, new_sups = set(), set()
    for n, b in enumerate(B):
        w = f"{where} bill {b.get('id')}"
        if set(b) != bkeys:
            err(f"{w}: keys {sorted(b)}")
            continue
        if b["id"] != f"{prefix}{n + 1:03d}":
            err(f"{w}: id out of sequence")
        e = b["expected_project_id"]
        if e is not None and e not in pmap:
            err(f"{w}: expected {e}")
            continue
        body = supplier(b["supplier_name"], b["supplier_rut"], w)
        if "." in b["supplier_rut"]:
            rut_dotted += 1
        else:
            rut_plain += 1
        spellings.setdefault(body, set()).add(b["supplier_rut"])
        bill_sups.add(body)
        if body not in counts:
            new_sups.add(body)
            new_bills += 1
        if not isinstance(b["invoice_description"], str) or not b["invoice_description"].strip():
            err(f"{w}: invoice_description")
        if not isinstance(b["purchase_order"], str):
            err(f"{w}: purchase_order")
        if not isinstance(b["lines"], list) or not b["lines"]:
            err(f"{w}: lines")
            continue
        total = Decimal(0)
        for l in b["lines"]:
            if set(l) != lkeys:
                err(f"{w}: line keys")
                continue
            q, up = l["quantity"], l["unit_price"]
            if isinstance(q, bool) or not isinstance(q, (int, float)) or q <= 0:
                err(f"{w}: quantity {q!r}")
                continue
            if not isinstance(up, int) or isinstance(up, bool) or up <= 0:
                err(f"{w}: unit_price {up!r}")
                continue
            if not isinstance(l["description"], str) or not l["description"].strip() or \
                    not isinstance(l["unit"], str) or not l["unit"].strip():
                err(f"{w}: line text")
            total += Decimal(str(q)) * up
        if not isinstance(b["amount"], int) or Decimal(b["amount"]) != total:
            err(f"{w}: amount {b['amount']} != {total}")
        d = isodate(b["issue_date"], w)
        if d:
            if e is None:
                if not date(2025, 1, 1) <= d <= date(2026, 12, 31):
                    err(f"{w}: overhead date {d}")
            else:
                p = pmap[e]
                if not date.fromisoformat(p["start_date"]) <= d <= date.fromisoformat(p["end_date"]):
                    err(f"{w}: date {d} outside project {e} window")
        tags = b["difficulty"]
        if not isinstance(tags, list) or len(set(tags)) != len(tags) or not set(tags) <= set(TAGS) or not tags:
            err(f"{w}: difficulty {tags}")
            continue
        T = set(tags)
        # overhead
        if ("overhead" in T) != (e is None):
            err(f"{w}: overhead tag vs expected")
        # shared-supplier rule
        c = counts.get(body, Counter())
        rule = len(c) >= 2 and c.get(e, 0) < max(c.values())
        if rule != ("shared-supplier" in T):
            err(f"{w}: shared-supplier tag {('shared-supplier' in T)} but rule {rule}")
        if c and c.get(e, 0) < max(c.values()):
            notmost += 1
        # po-reference rule
        texts = [b["purchase_order"], b["invoice_description"]] + [l["description"] for l in b["lines"]]
        nt = [norm(t) for t in texts]
        carried = {pid for pid, l in idents.items() if any(i in t for i in l for t in nt)}
        if carried - ({e} if e is not None else set()):
            err(f"{w}: carries identifier of other project(s) {sorted(carried - {e})}")
        if (e in carried) != ("po-reference" in T):
            err(f"{w}: po-reference tag vs rule ({e in carried})")
        # client-only
        if "client-only" in T:
            if e is None or clients[pmap[e]["client"]] != 1:
                err(f"{w}: client-only but client has several projects or no project")
            else:
                cw = [x for x in words(pmap[e]["client"]) if len(x) >= 4 and x not in CLIENT_STOP]
                bw = set(words(" ".join(texts)))
                if not any(x in bw for x in cw):
                    err(f"{w}: client-only but client not named")
        # plain
        if ("plain" in T) != (T == {"plain"}) or (not (T - {"plain"})) != ("plain" in T):
            err(f"{w}: plain tag inconsistent")
        for t in T:
            tagc[t] += 1
    over = tagc["overhead"]
    share = over / len(B) if B else 0
    if not 0.20 <= share <= 0.23:
        err(f"{where}: overhead share {share:.3f}")
    got = dict(tagc)
    got["not-most-frequent"] = notmost
    for k, v in MIN.items():
        if got.get(k, 0) < v:
            err(f"{where}: {k} = {got.get(k, 0)} < {v}")
    new_share = len(new_sups) / len(bill_sups)
    if not 0.30 <= new_share <= 0.45:
        err(f"{where}: new suppliers {new_share:.2f} of bill suppliers")
    varied = sum(1 for s in spellings.values() if len(s) > 1)
    if rut_dotted == 0 or rut_plain == 0 or varied < 5:
        err(f"{where}: RUT spellings not varied (dotted {rut_dotted}, plain {rut_plain}, suppliers with 2 spellings {varied})")
    return {
        "projects": len(P), "history": len(H), "hist_overhead": h_over, "bills": len(B),
        "overhead": over, "overhead_%": f"{100 * share:.1f}", **{t: tagc[t] for t in TAGS if t != "overhead"},
        "not-most-frequent": notmost,
        "bill_suppliers": len(bill_sups), "new_suppliers": len(new_sups),
        "new_sup_%": f"{100 * new_share:.1f}", "new_sup_bills_%": f"{100 * new_bills / len(B):.1f}",
    }


def main():
    rows = {}
    for fname, first, prefix in FILES:
        try:
            rows[fname] = check_file(fname, first, prefix)
        except FileNotFoundError:
            err(f"{fname}: missing")
        except json.JSONDecodeError as ex:
            err(f"{fname}: not JSON: {ex}")
    ok_rows = {k: v for k, v in rows.items() if v}
    if ok_rows:
        hov = [v["hist_overhead"] for v in ok_rows.values()]
        if len(ok_rows) == 3:
            zero = [k for k, v in ok_rows.items() if v["hist_overhead"] == 0]
            other = [v for v in hov if v != 0]
            if len(zero) != 1 or not all(15 <= v <= 25 for v in other):
                err(f"history overhead rows per company {hov}: need one 0 and two in 15-25")
        keys = list(next(iter(ok_rows.values())).keys())
        names = [k.replace(".json", "") for k in ok_rows]
        w = max(len(k) for k in keys) + 2
        print("".ljust(w) + "".join(n.rjust(14) for n in names))
        for k in keys:
            print(k.ljust(w) + "".join(str(ok_rows[f][k]).rjust(14) for f in ok_rows))
    if errors:
        print(f"\n{len(errors)} violation(s):")
        for e in errors[:200]:
            print("  " + e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
