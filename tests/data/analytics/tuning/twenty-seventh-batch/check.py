#!/usr/bin/env python3
"""Re-checks every rule of the blind evaluation set from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
Standard library only.
"""
import json
import os
import re
import sys
from collections import Counter
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("flooring.json", 7501, "E"), ("vegetation.json", 7601, "Y"), ("shotcrete.json", 7701, "Z")]
TAGS = {"overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
        "client-only", "typo", "plain"}
MIN = {"plain": 15, "po-reference": 12, "not-most-frequent": 10, "typo": 6,
       "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}
RUT_RE = re.compile(r"^(\d{1,2}\.\d{3}\.\d{3}|\d{7,8})-[\dkK]$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REGIONS = {
    "Región de Arica y Parinacota", "Región de Tarapacá", "Región de Antofagasta",
    "Región de Atacama", "Región de Coquimbo", "Región de Valparaíso",
    "Región Metropolitana de Santiago", "Región del Libertador General Bernardo O'Higgins",
    "Región del Maule", "Región de Ñuble", "Región del Biobío", "Región de La Araucanía",
    "Región de Los Ríos", "Región de Los Lagos",
    "Región de Aysén del General Carlos Ibáñez del Campo",
    "Región de Magallanes y de la Antártica Chilena"}

errors = []


def err(msg):
    errors.append(msg)


def rut_ok(r):
    if not isinstance(r, str) or not RUT_RE.match(r):
        return False
    body, dv = r.replace(".", "").split("-")
    s, m = 0, 2
    for ch in reversed(body):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    x = 11 - s % 11
    exp = "0" if x == 11 else "K" if x == 10 else str(x)
    return dv.upper() == exp


def rut_key(r):
    return r.replace(".", "").upper()


def norm(s):
    return re.sub(r"[^0-9A-Z]", "", s.upper())


def d(s):
    if not isinstance(s, str) or not DATE_RE.match(s):
        raise ValueError(s)
    return date.fromisoformat(s)


def check_company(fname, id0, prefix):
    path = os.path.join(HERE, "..", fname)
    where = fname
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    data = json.loads(raw)
    if set(data) != {"company", "projects", "history", "bills"}:
        err(f"{where}: top-level keys {sorted(data)}")
    c = data["company"]
    if set(c) != {"name", "rut", "trade"} or not rut_ok(c["rut"]) or "." not in c["rut"]:
        err(f"{where}: company block {c}")
    # projects
    P = data["projects"]
    if len(P) != 30:
        err(f"{where}: {len(P)} projects")
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords", "budget",
             "start_date", "end_date"}
    pmap = {}
    for p in P:
        if set(p) != pkeys:
            err(f"{where}: project keys {sorted(p)}")
            continue
        if not (id0 <= p["id"] < id0 + 30) or p["id"] in pmap:
            err(f"{where}: project id {p['id']}")
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err(f"{where}: project {p['id']} field {k}")
        loc = p["location"].split(", ", 1)
        if len(loc) != 2 or loc[1] not in REGIONS:
            err(f"{where}: project {p['id']} location {p['location']!r}")
        if not isinstance(p["budget"], int) or isinstance(p["budget"], bool) or p["budget"] <= 0:
            err(f"{where}: project {p['id']} budget")
        if not isinstance(p["keywords"], list) or not p["keywords"] or \
                not all(isinstance(k, str) and len(norm(k)) >= 7 for k in p["keywords"]):
            err(f"{where}: project {p['id']} keywords")
        try:
            sd, ed = d(p["start_date"]), d(p["end_date"])
            if not (date(2025, 1, 1) <= sd <= ed <= date(2026, 12, 31)):
                err(f"{where}: project {p['id']} dates")
        except ValueError:
            err(f"{where}: project {p['id']} date format")
            sd = ed = date(2025, 1, 1)
        pmap[p["id"]] = (p, sd, ed)
    if sorted(pmap) != list(range(id0, id0 + 30)):
        err(f"{where}: project ids not {id0}..{id0 + 29}")
    clients = Counter(p["client"] for p in P)
    kw = [(pid, norm(k)) for pid, (p, _, _) in pmap.items() for k in p["keywords"]]
    for pid, k in kw:
        for pid2, k2 in kw:
            if pid != pid2 and k in k2:
                err(f"{where}: keyword {k} of {pid} is inside keyword of {pid2}")
    # history
    H = data["history"]
    hist = {}
    name_of = {}
    for h in H:
        if set(h) != {"supplier_name", "supplier_rut", "description", "project_id"}:
            err(f"{where}: history keys {sorted(h)}")
            continue
        if not rut_ok(h["supplier_rut"]):
            err(f"{where}: history RUT {h['supplier_rut']}")
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err(f"{where}: history project {h['project_id']}")
        if not h["description"].strip():
            err(f"{where}: empty history description")
        rk = rut_key(h["supplier_rut"])
        hist.setdefault(rk, Counter())[h["project_id"]] += 1
        if name_of.setdefault(rk, h["supplier_name"]) != h["supplier_name"]:
            err(f"{where}: RUT {rk} with two names")
    h_over = sum(1 for h in H if h["project_id"] is None)
    if len(H) < 150:
        err(f"{where}: only {len(H)} history rows")
    # bills
    B = data["bills"]
    bkeys = {"id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"}
    cnt = Counter()
    spell = {}
    bill_sups = set()
    for i, b in enumerate(B, 1):
        if set(b) != bkeys:
            err(f"{where}: bill keys {sorted(b)}")
            continue
        bid = b["id"]
        if bid != f"{prefix}{i:03d}":
            err(f"{where}: bill id {bid} at position {i}")
        if not rut_ok(b["supplier_rut"]):
            err(f"{where}: {bid} RUT {b['supplier_rut']}")
        rk = rut_key(b["supplier_rut"])
        spell.setdefault(rk, set()).add(b["supplier_rut"])
        bill_sups.add(rk)
        if name_of.setdefault(rk, b["supplier_name"]) != b["supplier_name"]:
            err(f"{where}: {bid} RUT {rk} with two names")
        for k in ("supplier_name", "invoice_description"):
            if not isinstance(b[k], str) or not b[k].strip():
                err(f"{where}: {bid} empty {k}")
        if not isinstance(b["purchase_order"], str):
            err(f"{where}: {bid} purchase_order type")
        total = 0
        if not b["lines"]:
            err(f"{where}: {bid} no lines")
        for ln in b["lines"]:
            if set(ln) != {"description", "quantity", "unit", "unit_price"}:
                err(f"{where}: {bid} line keys")
                continue
            q, up = ln["quantity"], ln["unit_price"]
            if not isinstance(q, (int, float)) or isinstance(q, bool) or q <= 0:
                err(f"{where}: {bid} quantity {q}")
            if not isinstance(up, int) or isinstance(up, bool) or up <= 0:
                err(f"{where}: {bid} unit_price {up}")
            if not ln["description"].strip() or not ln["unit"].strip():
                err(f"{where}: {bid} empty line text")
            total += q * up
        if not isinstance(b["amount"], int) or abs(total - b["amount"]) > 1e-6:
            err(f"{where}: {bid} amount {b['amount']} != {total}")
        pid = b["expected_project_id"]
        try:
            dt = d(b["issue_date"])
        except ValueError:
            err(f"{where}: {bid} issue_date")
            continue
        if pid is None:
            if not (date(2025, 1, 1) <= dt <= date(2026, 12, 31)):
                err(f"{where}: {bid} overhead date {dt}")
        elif pid not in pmap:
            err(f"{where}: {bid} unknown project {pid}")
            continue
        else:
            _, sd, ed = pmap[pid]
            if not (sd <= dt <= ed):
                err(f"{where}: {bid} date {dt} outside {sd}..{ed}")
        tags = b["difficulty"]
        if not isinstance(tags, list) or not tags or len(set(tags)) != len(tags) or \
                not set(tags) <= TAGS:
            err(f"{where}: {bid} tags {tags}")
            continue
        tags = set(tags)
        # overhead
        if ("overhead" in tags) != (pid is None):
            err(f"{where}: {bid} overhead tag mismatch")
        # identifiers carried
        texts = [b["purchase_order"], b["invoice_description"]] + [l["description"] for l in b["lines"]]
        nt = [norm(t) for t in texts]
        carried = {p2 for p2, k in kw if any(k in t for t in nt)}
        if carried - ({pid} if pid is not None else set()):
            err(f"{where}: {bid} carries identifier of project(s) {sorted(carried - {pid})}")
        if ("po-reference" in tags) != (pid is not None and pid in carried):
            err(f"{where}: {bid} po-reference mismatch")
        # shared supplier
        hc = hist.get(rk)
        shared = bool(hc) and len(hc) >= 2 and hc.get(pid, 0) < max(hc.values())
        if ("shared-supplier" in tags) != shared:
            err(f"{where}: {bid} shared-supplier mismatch")
        if hc and hc.get(pid, 0) < max(hc.values()) and pid is not None:
            cnt["not-most-frequent"] += 1
        if "client-only" in tags:
            if pid is None or clients[pmap[pid][0]["client"]] != 1:
                err(f"{where}: {bid} client-only but client not single-project")
        if ("plain" in tags) != (tags == {"plain"}):
            err(f"{where}: {bid} plain mismatch")
        if tags == set():
            err(f"{where}: {bid} no tag")
        for t in tags:
            cnt[t] += 1
        if rk not in hist:
            cnt["bills-new-supplier"] += 1
    nb = len(B)
    n_over = sum(1 for b in B if b.get("expected_project_id") is None)
    if not (170 <= nb <= 190):
        err(f"{where}: {nb} bills")
    share = n_over / nb if nb else 0
    if not (0.20 <= share <= 0.23):
        err(f"{where}: overhead share {share:.3f}")
    for k, v in MIN.items():
        if cnt[k] < v:
            err(f"{where}: only {cnt[k]} {k} (min {v})")
    new_sups = sum(1 for s in bill_sups if s not in hist)
    new_share = new_sups / len(bill_sups) if bill_sups else 0
    if not (0.30 <= new_share <= 0.45):
        err(f"{where}: new-supplier share {new_share:.3f}")
    multi = sum(1 for s, v in spell.items() if len(v) > 1)
    if multi < 5:
        err(f"{where}: only {multi} suppliers with varied RUT spellings")
    # every project has bills
    per_p = Counter(b["expected_project_id"] for b in B)
    for pid in pmap:
        if per_p[pid] == 0:
            err(f"{where}: project {pid} has no bill")
    # byte form: plain JSON object, UTF-8, ends with newline
    if not raw.startswith("{"):
        err(f"{where}: not a plain JSON object")
    return {"projects": len(P), "history": len(H), "history_overhead": h_over, "bills": nb,
            "overhead": n_over, "overhead_%": round(100 * share, 1),
            "bill_suppliers": len(bill_sups), "new_suppliers": new_sups,
            "new_supplier_%": round(100 * new_share, 1), "rut_spelling_varied": multi,
            **{k: cnt[k] for k in ["plain", "po-reference", "not-most-frequent", "shared-supplier",
                                   "typo", "place-variant", "trade-vocabulary", "client-only",
                                   "bills-new-supplier"]}}


def main():
    rows = {}
    for fname, id0, prefix in FILES:
        if not os.path.exists(os.path.join(HERE, "..", fname)):
            err(f"{fname}: missing")
            continue
        try:
            rows[fname] = check_company(fname, id0, prefix)
        except (KeyError, TypeError, ValueError, json.JSONDecodeError) as e:
            err(f"{fname}: malformed ({e!r})")
    zero = [f for f, r in rows.items() if r["history_overhead"] == 0]
    others = [f for f, r in rows.items() if r["history_overhead"] != 0]
    if len(rows) == 3:
        if len(zero) != 1:
            err(f"exactly one company must have no overhead history rows (got {zero})")
        for f in others:
            if not (15 <= rows[f]["history_overhead"] <= 25):
                err(f"{f}: {rows[f]['history_overhead']} overhead history rows (need 15-25)")
    if rows:
        names = list(rows)
        keys = list(rows[names[0]])
        w = max(len(k) for k in keys) + 2
        print("counts".ljust(w) + "".join(n.replace(".json", "").rjust(12) for n in names))
        for k in keys:
            print(k.ljust(w) + "".join(str(rows[n][k]).rjust(12) for n in names))
    if errors:
        print(f"\n{len(errors)} violation(s):")
        for e in errors[:200]:
            print("  -", e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
