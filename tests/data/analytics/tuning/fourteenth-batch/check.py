#!/usr/bin/env python3
"""Re-checks every rule of the blind set v14 from the JSON files alone. Exit 1 on any violation."""
import json, os, re, sys, unicodedata, datetime as dt

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("tunnels.json", "T", 3601), ("stainless.json", "K", 3701), ("precast.json", "E", 3801)]
HAND = {"place-variant", "trade-vocabulary", "client-only", "typo"}
RULE = {"overhead", "po-reference", "shared-supplier", "plain"}
LO, HI = dt.date(2024, 6, 1), dt.date(2026, 12, 6)
OV_LO = dt.date(2025, 1, 6)
errors = []

def err(f, msg):
    errors.append(f"{f}: {msg}")

def dv(n):
    s, m = 0, 2
    for d in reversed(str(n)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)

RUT_DOT = re.compile(r"^\d{1,2}\.\d{3}\.\d{3}-[\dK]$")
RUT_PLAIN = re.compile(r"^\d{7,8}-[\dK]$")

def rut_ok(r):
    if not (RUT_DOT.match(r) or RUT_PLAIN.match(r)):
        return False
    num, d = r.replace(".", "").split("-")
    return dv(int(num)) == d

def norm(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()

def date(s):
    return dt.date.fromisoformat(s)

def types(f, obj, spec, what):
    if not isinstance(obj, dict) or set(obj) != set(spec):
        err(f, f"{what}: keys {sorted(obj) if isinstance(obj, dict) else type(obj)} != {sorted(spec)}")
        return False
    for k, t in spec.items():
        v = obj[k]
        if t == "int":
            ok = isinstance(v, int) and not isinstance(v, bool)
        elif t == "intnull":
            ok = v is None or (isinstance(v, int) and not isinstance(v, bool))
        elif t == "num":
            ok = isinstance(v, (int, float)) and not isinstance(v, bool)
        else:
            ok = isinstance(v, t)
        if not ok:
            err(f, f"{what}: field {k} has wrong type {type(v).__name__}")
    return True

rows, total_bills, files_with_oh_hist = [], 0, 0
for fname, prefix, base in FILES:
    path = os.path.join(HERE, "..", fname)
    if not os.path.exists(path):
        err(fname, "missing"); continue
    data = json.load(open(path, encoding="utf-8"))
    if not isinstance(data, dict) or list(data) != ["company", "projects", "history", "bills"] and set(data) != {"company", "projects", "history", "bills"}:
        err(fname, "top-level keys"); continue
    co = data["company"]
    types(fname, co, {"name": str, "rut": str, "trade": str}, "company")
    if not (RUT_DOT.match(co["rut"]) and rut_ok(co["rut"])):
        err(fname, f"company rut {co['rut']}")
    # projects
    P = data["projects"]
    if len(P) != 30: err(fname, f"{len(P)} projects")
    ids = [p.get("id") for p in P]
    if sorted(ids) != list(range(base, base + 30)): err(fname, "project ids")
    kws, active, clients = {}, 0, {}
    for p in P:
        types(fname, p, {"id": "int", "name": str, "code": str, "client": str, "location": str, "description": str,
                         "keywords": list, "budget": "int", "start_date": str, "end_date": str}, f"project {p.get('id')}")
        if not re.match(r"^[^,]+, Región .+$", p["location"]): err(fname, f"location {p['location']}")
        if len(p["keywords"]) != 1 or not isinstance(p["keywords"][0], str) or not p["keywords"][0]:
            err(fname, f"project {p['id']} keywords"); continue
        kws[p["id"]] = norm(p["keywords"][0])
        s, e = date(p["start_date"]), date(p["end_date"])
        if not (LO <= s <= e <= HI): err(fname, f"project {p['id']} dates")
        if e >= OV_LO: active += 1
        if p["budget"] <= 0: err(fname, "budget")
        if not p["description"].strip(): err(fname, "description")
        clients.setdefault(p["client"], []).append(p["id"])
    if len(set(kws.values())) != len(kws): err(fname, "duplicate keywords")
    for a in kws:
        for b in kws:
            if a != b and kws[a] in kws[b]: err(fname, f"keyword {a} inside keyword {b}")
    if active < 20: err(fname, f"only {active} active projects")
    pmap = {p["id"]: p for p in P}
    # history
    H = data["history"]
    if len(H) < 150: err(fname, f"history {len(H)} < 150")
    name2rut, rut2name = {}, {}
    spellings = {"hist": set(), "bill": set()}
    def rutreg(name, rut, where):
        if not rut_ok(rut): err(fname, f"bad rut {rut} ({name})")
        spellings[where].add("dot" if "." in rut else "plain")
        k = rut.replace(".", "")
        if name2rut.setdefault(name, k) != k: err(fname, f"supplier {name} has two RUTs")
        if rut2name.setdefault(k, name) != name: err(fname, f"rut {k} has two names")
    hvals = {}
    oh_hist = 0
    for h in H:
        types(fname, h, {"supplier_name": str, "supplier_rut": str, "description": str, "project_id": "intnull"}, "history")
        rutreg(h["supplier_name"], h["supplier_rut"], "hist")
        if h["project_id"] is not None and h["project_id"] not in pmap: err(fname, f"history project {h['project_id']}")
        if h["project_id"] is None: oh_hist += 1
        hvals.setdefault(h["supplier_name"], set()).add(h["project_id"])
    if oh_hist: files_with_oh_hist += 1
    multi = [s for s, v in hvals.items() if len(v - {None}) >= 2]
    if len(multi) < 3: err(fname, f"only {len(multi)} suppliers serve several projects in history")
    # bills
    B = data["bills"]
    total_bills += len(B)
    if len(B) < 165: err(fname, f"bills {len(B)} < 165")
    from collections import Counter
    tagc = Counter()
    oh = 0
    for i, b in enumerate(B):
        w = f"bill {b.get('id')}"
        types(fname, b, {"id": str, "supplier_name": str, "supplier_rut": str, "issue_date": str, "invoice_description": str,
                         "purchase_order": str, "amount": "int", "lines": list, "expected_project_id": "intnull",
                         "difficulty": list}, w)
        if b["id"] != f"{prefix}{i+1:03d}": err(fname, f"{w} id sequence")
        rutreg(b["supplier_name"], b["supplier_rut"], "bill")
        if not b["lines"]: err(fname, f"{w} no lines")
        tot = 0
        for l in b["lines"]:
            types(fname, l, {"description": str, "quantity": "num", "unit": str, "unit_price": "int"}, f"{w} line")
            tot += l["quantity"] * l["unit_price"]
        if abs(tot - b["amount"]) > 0.01 or b["amount"] <= 0: err(fname, f"{w} amount {b['amount']} != {tot}")
        po = b["purchase_order"]
        pid = b["expected_project_id"]
        d = date(b["issue_date"])
        if pid is None:
            oh += 1
            if not (OV_LO <= d <= HI): err(fname, f"{w} overhead date {d}")
        else:
            if pid not in pmap: err(fname, f"{w} unknown project"); continue
            p = pmap[pid]
            lo = date(p["start_date"]) - dt.timedelta(days=31)
            hi = min(date(p["end_date"]) + dt.timedelta(days=62), HI)
            if not (lo <= d <= hi): err(fname, f"{w} date {d} outside [{lo},{hi}]")
        text = norm(" ".join([b["invoice_description"], po] + [l["description"] for l in b["lines"]]))
        if not (po == "S/OC" or re.match(r"^OC \d+$", po) or any(norm(po) == k for k in kws.values())):
            err(fname, f"{w} purchase_order {po!r} is neither S/OC, own OC nor a project keyword")
        for q, k in kws.items():
            if q != pid and k in text: err(fname, f"{w} contains keyword of project {q}")
        tags = b["difficulty"]
        if not tags or len(set(tags)) != len(tags): err(fname, f"{w} tags empty/duplicate")
        for t in tags:
            if t not in HAND | RULE: err(fname, f"{w} unknown tag {t}")
            tagc[t] += 1
        rule = set()
        if pid is None: rule.add("overhead")
        elif kws[pid] in text: rule.add("po-reference")
        if len(hvals.get(b["supplier_name"], ())) >= 2: rule.add("shared-supplier")
        have_rule = set(tags) & (RULE - {"plain"})
        if have_rule != rule: err(fname, f"{w} rule tags {sorted(have_rule)} != {sorted(rule)}")
        others = set(tags) - {"plain"}
        if ("plain" in tags) != (not others): err(fname, f"{w} plain misuse {tags}")
        if "client-only" in tags:
            if pid is None: err(fname, f"{w} overhead with client-only")
            elif len(clients[pmap[pid]["client"]]) != 1: err(fname, f"{w} client-only but client has several projects")
    if oh / len(B) < 0.18: err(fname, f"overhead share {oh/len(B):.1%} < 18%")
    if tagc["plain"] < 15: err(fname, f"plain {tagc['plain']} < 15")
    if tagc["po-reference"] < 12: err(fname, f"po-reference {tagc['po-reference']} < 12")
    for wh in ("hist", "bill"):
        if spellings[wh] != {"dot", "plain"}: err(fname, f"RUT spellings in {wh}: {spellings[wh]}")
    bsup = {b["supplier_name"] for b in B}
    never = bsup - set(hvals)
    share = len(never) / len(bsup)
    if not (0.35 <= share <= 0.50): err(fname, f"never-in-history share {share:.1%}")
    rows.append((fname, len(P), len(H), oh_hist, len(B), oh / len(B), tagc, len(name2rut), len(bsup), share))

if files_with_oh_hist != 2: err("all", f"overhead history in {files_with_oh_hist} files, expected exactly 2")
if total_bills < 500: err("all", f"total bills {total_bills} < 500")

tags = ["overhead", "po-reference", "shared-supplier", "place-variant", "trade-vocabulary", "client-only", "typo", "plain"]
print("| file | projects | history | overhead history | bills | overhead % | " + " | ".join(tags) + " | suppliers | bill suppliers | % never in history |")
print("|" + "---|" * (10 + len(tags)))
for f, np_, nh, noh, nb, ohp, tc, ns, nbs, sh in rows:
    print(f"| {f} | {np_} | {nh} | {noh} | {nb} | {ohp:.1%} | " + " | ".join(str(tc[t]) for t in tags) + f" | {ns} | {nbs} | {sh:.1%} |")
print(f"total bills: {total_bills}")
if errors:
    print(f"\n{len(errors)} VIOLATION(S):")
    for e in errors:
        print(" -", e)
    sys.exit(1)
print("ALL CHECKS PASSED")
