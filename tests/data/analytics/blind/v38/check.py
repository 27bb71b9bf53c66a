#!/usr/bin/env python3
"""Re-checks every rule of the blind-v38 dataset from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
"""
import datetime
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("desal.json", 10801, "F"), ("railtrack.json", 10901, "H"),
         ("datacenters.json", 11001, "L")]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"]
MINIMUMS = {"plain": 15, "po-reference": 12, "not-mode": 10, "typo": 6,
            "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}
RUT_RE = re.compile(r"^(\d{1,3}(?:\.\d{3})*|\d+)-([\dkK])$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

errors = []


def err(msg):
    errors.append(msg)


def rut_body(rut):
    m = RUT_RE.match(rut or "")
    if not m:
        return None
    body = m.group(1).replace(".", "")
    s, k = 0, 2
    for ch in reversed(body):
        s += int(ch) * k
        k = 2 if k == 7 else k + 1
    r = 11 - s % 11
    dv = "0" if r == 11 else "K" if r == 10 else str(r)
    if dv != m.group(2).upper():
        return None
    if "." in m.group(1) and m.group(1) != f"{int(body):,}".replace(",", "."):
        return None
    return body


def norm(text):
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", t.upper())


def ident(keyword):
    toks = keyword.split()
    for i, tok in enumerate(toks):
        if any(c.isdigit() for c in tok):
            return norm(" ".join(toks[i:]))
    return None


def date(s):
    if not isinstance(s, str) or not DATE_RE.match(s):
        return None
    try:
        return datetime.date.fromisoformat(s)
    except ValueError:
        return None


def check_file(fname, first_id, prefix):
    where = fname
    path = os.path.join(HERE, "..", fname)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except Exception as e:  # noqa: BLE001
        err(f"{where}: cannot load ({e})")
        return None
    if set(data) != {"company", "projects", "history", "bills"}:
        err(f"{where}: top-level keys {sorted(data)}")
        return None
    c = data["company"]
    if set(c) != {"name", "rut", "trade"} or not all(isinstance(c[k], str) and c[k] for k in c):
        err(f"{where}: company fields")
    if rut_body(c.get("rut")) is None:
        err(f"{where}: company rut invalid {c.get('rut')}")

    # projects
    projects = data["projects"]
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords",
             "budget", "start_date", "end_date"}
    if len(projects) != 30:
        err(f"{where}: {len(projects)} projects, need 30")
    ids = [p.get("id") for p in projects]
    if sorted(ids) != list(range(first_id, first_id + 30)):
        err(f"{where}: project ids {ids}")
    pmap = {}
    idents = {}
    for p in projects:
        if set(p) != pkeys:
            err(f"{where}: project {p.get('id')} keys {sorted(p)}")
            continue
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err(f"{where}: project {p['id']} field {k}")
        if not re.match(r"^[^,]+, Región (de |del |Metropolitana)", p["location"]):
            err(f"{where}: project {p['id']} location format {p['location']!r}")
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(f"{where}: project {p['id']} budget")
        s, e = date(p["start_date"]), date(p["end_date"])
        if not s or not e or not (datetime.date(2025, 1, 1) <= s < e <= datetime.date(2026, 12, 31)):
            err(f"{where}: project {p['id']} dates")
        if not isinstance(p["keywords"], list) or not p["keywords"]:
            err(f"{where}: project {p['id']} keywords")
            continue
        ids_p = []
        for k in p["keywords"]:
            i = ident(k) if isinstance(k, str) else None
            if not i or len(i) < 7:
                err(f"{where}: project {p['id']} keyword without usable identifier {k!r}")
            else:
                ids_p.append(i)
        idents[p["id"]] = ids_p
        pmap[p["id"]] = p
    codes = [p.get("code") for p in projects]
    if len(set(codes)) != len(codes):
        err(f"{where}: duplicate project codes")
    allids = [i for v in idents.values() for i in v]
    for a in allids:
        for b in allids:
            if a != b and a in b:
                err(f"{where}: identifier {a} contained in {b}")
    clients = {}
    for p in projects:
        clients[p.get("client")] = clients.get(p.get("client"), 0) + 1

    # history
    history = data["history"]
    if len(history) < 150:
        err(f"{where}: history {len(history)} rows < 150")
    hstat = {}
    names = {}
    h_over = 0
    for n, h in enumerate(history):
        if set(h) != {"supplier_name", "supplier_rut", "description", "project_id"}:
            err(f"{where}: history row {n} keys")
            continue
        body = rut_body(h["supplier_rut"])
        if body is None:
            err(f"{where}: history row {n} rut {h['supplier_rut']}")
            continue
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err(f"{where}: history row {n} project {h['project_id']}")
        if h["project_id"] is None:
            h_over += 1
        if not isinstance(h["description"], str) or not h["description"].strip():
            err(f"{where}: history row {n} empty description")
        names.setdefault(body, set()).add(h["supplier_name"])
        hstat.setdefault(body, {}).setdefault(h["project_id"], 0)
        hstat[body][h["project_id"]] += 1

    # bills
    bills = data["bills"]
    nb = len(bills)
    if not 170 <= nb <= 190:
        err(f"{where}: {nb} bills, need 170-190")
    bkeys = {"id", "supplier_name", "supplier_rut", "invoice_description", "lines",
             "amount", "issue_date", "purchase_order", "expected_project_id", "difficulty"}
    counts = {t: 0 for t in TAGS}
    not_mode = 0
    bill_sups = set()
    new_sups = set()
    bills_new = 0
    rut_forms = {}
    for i, b in enumerate(bills, 1):
        bid = b.get("id")
        if bid != f"{prefix}{i:03d}":
            err(f"{where}: bill #{i} id {bid}")
        if set(b) != bkeys:
            err(f"{where}: bill {bid} keys {sorted(b)}")
            continue
        body = rut_body(b["supplier_rut"])
        if body is None:
            err(f"{where}: bill {bid} rut {b['supplier_rut']}")
            continue
        rut_forms.setdefault(body, set()).add(b["supplier_rut"])
        names.setdefault(body, set()).add(b["supplier_name"])
        bill_sups.add(body)
        if body not in hstat:
            new_sups.add(body)
            bills_new += 1
        pid = b["expected_project_id"]
        if pid is not None and pid not in pmap:
            err(f"{where}: bill {bid} project {pid}")
            continue
        if not isinstance(b["lines"], list) or not b["lines"]:
            err(f"{where}: bill {bid} lines")
            continue
        total = 0
        for ln in b["lines"]:
            if set(ln) != {"description", "quantity", "unit", "unit_price"}:
                err(f"{where}: bill {bid} line keys")
                continue
            q, up = ln["quantity"], ln["unit_price"]
            if not isinstance(q, (int, float)) or q <= 0 or not isinstance(up, int) or up <= 0:
                err(f"{where}: bill {bid} line numbers")
                continue
            if abs(q * up - round(q * up)) > 1e-9:
                err(f"{where}: bill {bid} non-integer line total")
            total += round(q * up)
        if b["amount"] != total:
            err(f"{where}: bill {bid} amount {b['amount']} != {total}")
        d = date(b["issue_date"])
        if d is None:
            err(f"{where}: bill {bid} date")
        elif pid is None:
            if not datetime.date(2025, 1, 1) <= d <= datetime.date(2026, 12, 31):
                err(f"{where}: bill {bid} overhead date outside 2025-2026")
        else:
            p = pmap[pid]
            if not p["start_date"] <= b["issue_date"] <= p["end_date"]:
                err(f"{where}: bill {bid} date outside project window")
        tags = b["difficulty"]
        if not isinstance(tags, list) or not tags or len(set(tags)) != len(tags) \
                or any(t not in TAGS for t in tags):
            err(f"{where}: bill {bid} difficulty {tags}")
            continue
        for t in tags:
            counts[t] += 1
        # overhead
        if ("overhead" in tags) != (pid is None):
            err(f"{where}: bill {bid} overhead tag vs expected")
        # shared-supplier
        st = hstat.get(body, {})
        rule = len(st) >= 2 and st.get(pid, 0) < max(st.values())
        if rule != ("shared-supplier" in tags):
            err(f"{where}: bill {bid} shared-supplier tag {('shared-supplier' in tags)} rule {rule}")
        if st and st.get(pid, 0) < max(st.values()):
            not_mode += 1
        # po-reference
        text = norm(" ".join([b["purchase_order"], b["invoice_description"]]
                             + [ln["description"] for ln in b["lines"]]))
        carries = False
        for qid, ids_q in idents.items():
            if any(x in text for x in ids_q):
                if qid != pid:
                    err(f"{where}: bill {bid} carries identifier of project {qid}")
                else:
                    carries = True
        if carries != ("po-reference" in tags):
            err(f"{where}: bill {bid} po-reference tag {('po-reference' in tags)} rule {carries}")
        # client-only
        if "client-only" in tags:
            if pid is None or clients[pmap[pid]["client"]] != 1:
                err(f"{where}: bill {bid} client-only but client has several projects")
        # plain
        if ("plain" in tags) != (tags == ["plain"]):
            err(f"{where}: bill {bid} plain mixed with other tags")
    for body, ns in names.items():
        if len(ns) != 1:
            err(f"{where}: supplier {body} has several names {sorted(ns)}")
    over = counts["overhead"]
    share = over / nb if nb else 0
    if not 0.20 <= share <= 0.23:
        err(f"{where}: overhead share {share:.3f} outside 20-23 %")
    new_share = len(new_sups) / len(bill_sups) if bill_sups else 0
    if not 0.30 <= new_share <= 0.45:
        err(f"{where}: new suppliers {new_share:.3f} outside 30-45 %")
    varied = sum(1 for f in rut_forms.values() if len(f) > 1)
    if varied < 5:
        err(f"{where}: only {varied} suppliers with varied RUT spellings")
    for k, v in MINIMUMS.items():
        got = not_mode if k == "not-mode" else counts[k]
        if got < v:
            err(f"{where}: {k} {got} < {v}")
    return {"file": fname, "projects": len(projects), "history": len(history),
            "hist_overhead": h_over, "bills": nb, "overhead": over,
            "overhead_pct": round(100 * share, 1), "not_mode": not_mode,
            "bill_suppliers": len(bill_sups), "new_suppliers": len(new_sups),
            "new_pct": round(100 * new_share, 1), "bills_new_sup": bills_new,
            "counts": counts}


def main():
    rows = []
    for fname, first, prefix in FILES:
        r = check_file(fname, first, prefix)
        if r:
            rows.append(r)
    if rows:
        hist_zero = [r["file"] for r in rows if r["hist_overhead"] == 0]
        if len(rows) == 3:
            if len(hist_zero) != 1:
                err(f"exactly one company must have no overhead history rows: {hist_zero}")
            for r in rows:
                if r["hist_overhead"] and not 15 <= r["hist_overhead"] <= 25:
                    err(f"{r['file']}: {r['hist_overhead']} overhead history rows, need 15-25")
        cols = ["file", "projects", "history", "hist_overhead", "bills", "overhead",
                "overhead_pct", "not_mode", "bill_suppliers", "new_suppliers", "new_pct",
                "bills_new_sup"] + [t for t in TAGS if t != "overhead"]
        short = {"hist_overhead": "hist_oh", "overhead_pct": "oh_%", "bill_suppliers": "b_sups",
                 "new_suppliers": "new_sups", "new_pct": "new_%", "bills_new_sup": "b_by_new",
                 "place-variant": "place-var", "trade-vocabulary": "trade-voc",
                 "shared-supplier": "shared-sup", "po-reference": "po-ref",
                 "client-only": "client-only"}
        table = [[short.get(c, c) for c in cols]]
        for r in rows:
            table.append([str(r[c]) if c in r else str(r["counts"][c]) for c in cols])
        # transpose for readability
        print("metric".ljust(14) + "".join(row[0].ljust(18) for row in table[1:]))
        for j in range(1, len(cols)):
            print(table[0][j].ljust(14) + "".join(row[j].ljust(18) for row in table[1:]))
    if len(rows) != 3:
        err(f"only {len(rows)} of 3 files checked")
    if errors:
        print(f"\n{len(errors)} violation(s):")
        for e in errors:
            print("  -", e)
        sys.exit(1)
    print("\nOK: all rules pass")


if __name__ == "__main__":
    main()
