#!/usr/bin/env python3
"""Rule checker for the blind-v6 evaluation files. Exits 1 on any violation."""
import json, os, re, sys, datetime as dt
HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("forestry.json", "F", 1201), ("camp-services.json", "K", 1301), ("wind-storage.json", "W", 1401)]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference", "client-only", "typo", "plain"]
TODAY = dt.date(2026, 12, 6)
errors = []
def err(f, msg): errors.append(f"{f}: {msg}")

def dv(body):
    s, m = 0, 2
    for ch in reversed(body):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else ("k" if r == 10 else str(r))

def rut_ok(r):
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([0-9k])", r)
    return bool(m) and dv(m.group(1).replace(".", "")) == m.group(2)

def norm(s): return re.sub(r"[\s.]", "", s).lower()

def typed(f, obj, spec, where):
    if set(obj) != set(spec):
        err(f, f"{where}: keys {sorted(obj)} != {sorted(spec)}")
        return
    for k, t in spec.items():
        if not isinstance(obj[k], t) or (t is int and isinstance(obj[k], bool)):
            if not (obj[k] is None and k in ("project_id", "expected_project_id")):
                err(f, f"{where}: {k} has type {type(obj[k]).__name__}")

rows, total_bills, files_with_oh_hist = [], 0, 0
for fname, prefix, base in FILES:
    path = os.path.join(HERE, "..", fname)
    if not os.path.exists(path):
        err(fname, "missing"); continue
    d = json.load(open(path, encoding="utf-8"))
    if set(d) != {"company", "projects", "history", "bills"}: err(fname, "top-level keys")
    typed(fname, d["company"], {"name": str, "rut": str, "trade": str}, "company")
    if not rut_ok(d["company"]["rut"]): err(fname, "company rut")
    P = {}
    for p in d["projects"]:
        typed(fname, p, {"id": int, "name": str, "code": str, "client": str, "location": str, "description": str,
                         "keywords": list, "budget": int, "start_date": str, "end_date": str}, f"project {p.get('id')}")
        if not (base <= p["id"] <= base + 98): err(fname, f"project id {p['id']} out of range")
        if p["id"] in P: err(fname, f"dup project {p['id']}")
        if not 1 <= len(p["keywords"]) <= 2: err(fname, f"project {p['id']} keyword count")
        if p["name"] != p["name"].upper(): err(fname, f"project {p['id']} name not upper case")
        s, e = dt.date.fromisoformat(p["start_date"]), dt.date.fromisoformat(p["end_date"])
        if not (dt.date(2025, 1, 1) <= s < e <= dt.date(2026, 12, 31)): err(fname, f"project {p['id']} window")
        P[p["id"]] = p
    if len(P) != 30: err(fname, f"{len(P)} projects != 30")
    kws = {pid: [norm(k) for k in p["keywords"]] for pid, p in P.items()}
    allk = [(k, pid) for pid, ks in kws.items() for k in ks]
    if len({k for k, _ in allk}) != len(allk): err(fname, "duplicate keywords")
    clients = {}
    for p in P.values(): clients.setdefault(p["client"], []).append(p["id"])
    rutof = {}
    def rut_check(name, rut, where):
        if not rut_ok(rut): err(fname, f"{where}: bad rut {rut}")
        if rutof.setdefault(name, rut) != rut: err(fname, f"{where}: supplier {name} has two RUTs")
    H = d["history"]; counts = {}
    for i, h in enumerate(H):
        typed(fname, h, {"supplier_name": str, "supplier_rut": str, "description": str, "project_id": int}, f"history {i}")
        rut_check(h["supplier_name"], h["supplier_rut"], f"history {i}")
        if h["project_id"] is not None:
            if h["project_id"] not in P: err(fname, f"history {i}: unknown project")
            counts.setdefault(h["supplier_name"], {}).setdefault(h["project_id"], 0)
            counts[h["supplier_name"]][h["project_id"]] += 1
        blob = norm(h["description"])
        for k, pid in allk:
            if pid != h["project_id"] and k in blob: err(fname, f"history {i}: foreign keyword {k}")
    oh_hist = sum(h["project_id"] is None for h in H)
    if oh_hist: files_with_oh_hist += 1
    B = d["bills"]; tagc = {t: 0 for t in TAGS}; oh = 0
    for i, b in enumerate(B):
        w = f"bill {b.get('id')}"
        typed(fname, b, {"id": str, "supplier_name": str, "supplier_rut": str, "issue_date": str, "invoice_description": str,
                         "purchase_order": str, "amount": int, "lines": list, "expected_project_id": int, "difficulty": list}, w)
        if b["id"] != f"{prefix}{i+1:03d}": err(fname, f"{w}: id out of sequence")
        rut_check(b["supplier_name"], b["supplier_rut"], w)
        tot = 0
        for l in b["lines"]:
            typed(fname, l, {"description": str, "quantity": (int, float), "unit": str, "unit_price": int}, w + " line")
            tot += l["quantity"] * l["unit_price"]
        if not b["lines"] or int(round(tot)) != b["amount"] or b["amount"] <= 0: err(fname, f"{w}: amount")
        date = dt.date.fromisoformat(b["issue_date"]); pid = b["expected_project_id"]
        if date > TODAY: err(fname, f"{w}: date after 2026-12-06")
        tags = b["difficulty"]
        if not tags or len(set(tags)) != len(tags) or any(t not in TAGS for t in tags): err(fname, f"{w}: bad tags {tags}")
        for t in tags: tagc[t] = tagc.get(t, 0) + 1
        blob = norm(" ".join([b["invoice_description"], b["purchase_order"]] + [l["description"] for l in b["lines"]]))
        for k, kp in allk:
            if kp != pid and k in blob: err(fname, f"{w}: foreign keyword {k}")
        if ("plain" in tags) != (tags == ["plain"]): err(fname, f"{w}: plain mixed")
        if pid is None:
            oh += 1
            if "overhead" not in tags: err(fname, f"{w}: overhead tag missing")
            for t in ("po-reference", "shared-supplier", "client-only"):
                if t in tags: err(fname, f"{w}: {t} on overhead bill")
            continue
        if pid not in P: err(fname, f"{w}: unknown project"); continue
        if "overhead" in tags: err(fname, f"{w}: overhead tag on project bill")
        p = P[pid]
        lo = dt.date.fromisoformat(p["start_date"]) - dt.timedelta(days=31)
        hi = dt.date.fromisoformat(p["end_date"]) + dt.timedelta(days=62)
        if not lo <= date <= hi: err(fname, f"{w}: date outside project window")
        if any(k in blob for k in kws[pid]) != ("po-reference" in tags): err(fname, f"{w}: po-reference rule")
        cs = counts.get(b["supplier_name"], {})
        sh = len(cs) >= 2 and cs.get(pid, 0) < max(cs.values())
        if sh != ("shared-supplier" in tags): err(fname, f"{w}: shared-supplier rule")
        if "client-only" in tags and len(clients[p["client"]]) != 1: err(fname, f"{w}: client-only but client has several projects")
        if tags == ["plain"] and False: pass
    if len(H) < 150: err(fname, f"history {len(H)} < 150")
    if len(B) < 165: err(fname, f"bills {len(B)} < 165")
    if oh / max(len(B), 1) < 0.18: err(fname, f"overhead share {oh/len(B):.1%} < 18%")
    nsup = {}
    for h in H:
        if h["project_id"] is not None: nsup.setdefault(h["supplier_name"], set()).add(h["project_id"])
    total_bills += len(B)
    rows.append((fname, len(P), len(H), oh_hist, len(B), oh, tagc, len(rutof)))
if files_with_oh_hist != 2: errors.append(f"overhead history rows present in {files_with_oh_hist} files, expected exactly 2")
if total_bills < 500: errors.append(f"total bills {total_bills} < 500")

hdr = ["file", "proj", "hist", "hist-oh", "bills", "oh%"] + TAGS + ["suppliers"]
print(" | ".join(hdr))
for fname, np_, nh, noh, nb, oh, tc, ns in rows:
    print(" | ".join([fname, str(np_), str(nh), str(noh), str(nb), f"{100*oh/nb:.1f}"] +
                     [f"{tc[t]} ({100*tc[t]/nb:.0f}%)" for t in TAGS] + [str(ns)]))
print(f"total bills: {total_bills}")
if errors:
    print(f"\n{len(errors)} ERRORS:")
    for e in errors[:200]: print("  " + e)
    sys.exit(1)
print("OK: all rules pass")
