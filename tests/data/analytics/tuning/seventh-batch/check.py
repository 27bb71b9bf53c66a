#!/usr/bin/env python3
"""Re-checks every dataset rule from the JSON files alone. Exit 1 on any violation."""
import json, re, sys, datetime, os
HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("drilling.json", "D", 1501), ("cold-chain.json", "C", 1601), ("road-maintenance.json", "R", 1701)]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference", "client-only", "typo", "plain"]
MAXD = datetime.date(2026, 12, 6); OH_LO = datetime.date(2025, 1, 6)
errors = []
def err(f, m): errors.append(f"{f}: {m}")
def norm(s): return re.sub(r"[\s.]", "", s.lower())
def rut_ok(r):
    m = re.fullmatch(r"(\d{1,3}(?:\.\d{3})*|\d+)-([\dkK])", r)
    if not m: return False
    body = m.group(1).replace(".", "")
    if "." in m.group(1) and not re.fullmatch(r"\d{1,3}(\.\d{3})+", m.group(1)): return False
    s, k = 0, 2
    for ch in reversed(body):
        s += int(ch) * k; k = 2 if k == 7 else k + 1
    r11 = 11 - s % 11
    d = "0" if r11 == 11 else "K" if r11 == 10 else str(r11)
    return m.group(2).upper() == d
def isdate(s):
    try: return datetime.date.fromisoformat(s) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) else None
    except ValueError: return None
def typ(f, where, obj, spec):
    if not isinstance(obj, dict) or set(obj) != set(spec):
        err(f, f"{where}: keys {sorted(obj) if isinstance(obj, dict) else obj} != {sorted(spec)}"); return False
    for k, t in spec.items():
        v = obj[k]
        if t == "nullint": ok = v is None or (isinstance(v, int) and not isinstance(v, bool))
        else: ok = isinstance(v, t) and not isinstance(v, bool)
        if not ok: err(f, f"{where}: {k} has wrong type {type(v).__name__}")
    return True
rows = []; total_bills = 0; oh_hist_files = 0
for fname, prefix, pid0 in FILES:
    f = fname
    try: d = json.load(open(os.path.join(HERE, "..", fname), encoding="utf-8"))
    except Exception as e: err(f, f"cannot load: {e}"); continue
    if not isinstance(d, dict) or set(d) != {"company", "projects", "history", "bills"}:
        err(f, "top-level keys"); continue
    typ(f, "company", d["company"], {"name": str, "rut": str, "trade": str})
    if not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[\dK]", d["company"].get("rut", "")) or not rut_ok(d["company"]["rut"]):
        err(f, "company rut invalid/format")
    P = d["projects"]
    PS = {"id": int, "name": str, "code": str, "client": str, "location": str, "description": str, "keywords": list,
          "budget": int, "start_date": str, "end_date": str}
    for p in P:
        typ(f, f"project {p.get('id')}", p, PS)
        if not all(isinstance(k, str) for k in p.get("keywords", [])): err(f, f"project {p.get('id')} keyword type")
        sd, ed = isdate(p.get("start_date", "")), isdate(p.get("end_date", ""))
        if not sd or not ed or sd > ed: err(f, f"project {p.get('id')} dates")
        if p.get("budget", 0) <= 0: err(f, f"project {p.get('id')} budget")
    ids = [p["id"] for p in P]
    if len(P) != 30 or sorted(ids) != list(range(pid0, pid0 + 30)): err(f, "project ids must be exactly %d..%d" % (pid0, pid0 + 29))
    pmap = {p["id"]: p for p in P}
    allkw = [(p["id"], norm(k)) for p in P for k in p["keywords"]]
    for i, a in allkw:
        for j, b in allkw:
            if (i, a) != (j, b) and a in b and i != j: err(f, f"keyword of {i} contained in keyword of {j}")
    clients = {}
    for p in P: clients[p["client"]] = clients.get(p["client"], 0) + 1
    names_rut = {}; rut_names = {}
    def sup(where, n, r):
        if not rut_ok(r): err(f, f"{where}: invalid RUT {r}")
        names_rut.setdefault(n, set()).add(r)
        rut_names.setdefault(r.replace(".", "").upper(), set()).add(n)
    H = d["history"]; hcount = {}; hsup = set(); oh_h = 0
    for i, h in enumerate(H):
        typ(f, f"history[{i}]", h, {"supplier_name": str, "supplier_rut": str, "description": str, "project_id": "nullint"})
        sup(f"history[{i}]", h["supplier_name"], h["supplier_rut"]); hsup.add(h["supplier_name"])
        pid = h["project_id"]
        if pid is None: oh_h += 1
        elif pid not in pmap: err(f, f"history[{i}] unknown project {pid}")
        else: hcount.setdefault(h["supplier_name"], {}).setdefault(pid, 0); hcount[h["supplier_name"]][pid] += 1
        t = norm(h["description"])
        for j, k in allkw:
            if j != pid and k in t: err(f, f"history[{i}] contains keyword of project {j}")
    if oh_h: oh_hist_files += 1
    if len(H) < 150: err(f, "history < 150")
    B = d["bills"]; tagc = {t: 0 for t in TAGS}; bsup = set(); oh_b = 0
    BS = {"id": str, "supplier_name": str, "supplier_rut": str, "issue_date": str, "invoice_description": str,
          "purchase_order": str, "amount": int, "lines": list, "expected_project_id": "nullint", "difficulty": list}
    for i, b in enumerate(B):
        w = f"bill {b.get('id')}"
        typ(f, w, b, BS)
        if b["id"] != f"{prefix}{i+1:03d}": err(f, f"{w}: id not sequential")
        sup(w, b["supplier_name"], b["supplier_rut"]); bsup.add(b["supplier_name"])
        tot = 0
        if not b["lines"]: err(f, f"{w}: no lines")
        for l in b["lines"]:
            typ(f, w + " line", l, {"description": str, "quantity": (int, float), "unit": str, "unit_price": int})
            tot += l["quantity"] * l["unit_price"]
        if b["amount"] != round(tot) or abs(b["amount"] - tot) > 1e-6 * max(1, tot) + 0.5: err(f, f"{w}: amount {b['amount']} != {tot}")
        pid = b["expected_project_id"]; dt = isdate(b["issue_date"])
        if not dt: err(f, f"{w}: bad date"); continue
        if pid is None:
            oh_b += 1
            if not (OH_LO <= dt <= MAXD): err(f, f"{w}: overhead date out of window")
        elif pid not in pmap: err(f, f"{w}: unknown project"); continue
        else:
            p = pmap[pid]
            lo = datetime.date.fromisoformat(p["start_date"]) - datetime.timedelta(days=31)
            hi = min(datetime.date.fromisoformat(p["end_date"]) + datetime.timedelta(days=62), MAXD)
            if not (lo <= dt <= hi): err(f, f"{w}: date {dt} outside {lo}..{hi}")
        tg = b["difficulty"]
        if not tg or len(set(tg)) != len(tg) or any(t not in TAGS for t in tg): err(f, f"{w}: bad tags {tg}"); continue
        for t in tg: tagc[t] += 1
        if ("overhead" in tg) != (pid is None): err(f, f"{w}: overhead tag mismatch")
        if "plain" in tg and len(tg) > 1: err(f, f"{w}: plain not alone")
        if len(tg) == 1 and tg[0] == "plain": pass
        text = norm(" ".join([b["invoice_description"], b["purchase_order"]] + [l["description"] for l in b["lines"]]))
        own = pid is not None and any(k in text for j, k in allkw if j == pid)
        if ("po-reference" in tg) != own: err(f, f"{w}: po-reference mismatch")
        for j, k in allkw:
            if j != pid and k in text: err(f, f"{w}: contains keyword of project {j}")
        c = hcount.get(b["supplier_name"], {})
        sh = pid is not None and len(c) >= 2 and c.get(pid, 0) < max(c.values())
        if ("shared-supplier" in tg) != sh: err(f, f"{w}: shared-supplier mismatch")
        if "client-only" in tg and (pid is None or clients[pmap[pid]["client"]] != 1): err(f, f"{w}: client-only but client not unique")
        real = [t for t in tg if t != "plain"]
        if not real and tg != ["plain"]: err(f, f"{w}: no tags")
    for n, rs in names_rut.items():
        if len(rs) > 1: err(f, f"supplier {n} has several RUTs {rs}")
    for r, ns in rut_names.items():
        if len(ns) > 1: err(f, f"RUT {r} used by several names {ns}")
    if len(B) < 165: err(f, "bills < 165")
    ohp = 100 * oh_b / max(1, len(B))
    if ohp < 18: err(f, f"overhead bills {ohp:.1f}% < 18%")
    new = len(bsup - hsup) / max(1, len(bsup)) * 100
    if not (35 <= new <= 50): err(f, f"suppliers never in history {new:.1f}% not in 35-50%")
    total_bills += len(B)
    rows.append((fname, len(P), len(H), oh_h, len(B), ohp, tagc, len(bsup | hsup), len(bsup), new))
if total_bills < 500: err("ALL", f"total bills {total_bills} < 500")
if oh_hist_files != 2: err("ALL", f"overhead history rows appear in {oh_hist_files} files, must be exactly 2")
hdr = ["file", "projects", "history", "oh-hist", "bills", "oh-%"] + TAGS + ["suppliers", "bill-supp", "new-%"]
print("| " + " | ".join(hdr) + " |"); print("|" + "---|" * len(hdr))
for r in rows:
    print("| " + " | ".join([r[0], str(r[1]), str(r[2]), str(r[3]), str(r[4]), f"{r[5]:.1f}"] + [str(r[6][t]) for t in TAGS] + [str(r[7]), str(r[8]), f"{r[9]:.1f}"]) + " |")
print(f"total bills: {total_bills}")
if errors:
    print(f"\n{len(errors)} VIOLATION(S):"); [print(" -", e) for e in errors[:80]]; sys.exit(1)
print("ALL CHECKS PASSED")
