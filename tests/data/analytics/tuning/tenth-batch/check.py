#!/usr/bin/env python3
"""Re-checks every rule on the three JSON files only. Exit 1 on any violation."""
import json, os, re, sys
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("demolition", "D", 2401), ("security", "S", 2501), ("solarthermal", "T", 2601)]
CAP = date(2026, 12, 6)
PLO, PHI = date(2024, 6, 1), date(2026, 12, 6)
OH_LO, OH_HI = date(2025, 1, 6), date(2026, 12, 6)
HAND = {"place-variant", "trade-vocabulary", "client-only", "typo"}
RULE = {"overhead", "po-reference", "shared-supplier", "plain"}
TAGS = ["place-variant", "trade-vocabulary", "client-only", "typo",
        "overhead", "po-reference", "shared-supplier", "plain"]
errors = []


def err(msg):
    errors.append(msg)


def dv(body):
    s, m = 0, 2
    for d in reversed(body):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


RUT_DOT = re.compile(r"^\d{1,2}\.\d{3}\.\d{3}-[\dK]$")
RUT_UND = re.compile(r"^\d{7,8}-[\dK]$")


def rut_ok(r):
    if not (RUT_DOT.match(r) or RUT_UND.match(r)):
        return False
    body, d = r.replace(".", "").split("-")
    return dv(body) == d


def nrut(r):
    return r.replace(".", "").upper()


def norm(s):
    return re.sub(r"[\s.]", "", s.lower())


def is_date(s):
    try:
        return re.match(r"^\d{4}-\d{2}-\d{2}$", s) and date.fromisoformat(s)
    except ValueError:
        return None


def keys(obj, want, where):
    if not isinstance(obj, dict) or set(obj) != set(want):
        err(f"{where}: keys {sorted(obj) if isinstance(obj, dict) else type(obj)} != {sorted(want)}")
        return False
    for k, t in want.items():
        v = obj[k]
        ok = any(isinstance(v, tt) and not (tt is int and isinstance(v, bool)) for tt in t)
        if not ok:
            err(f"{where}: {k} has type {type(v).__name__}")
            return False
    return True


S, I, N = (str,), (int,), (type(None),)
rows, all_name2rut, all_rut2name, total_bills, files_with_oh_hist = [], {}, {}, 0, 0
for co, pre, base in FILES:
    path = os.path.join(HERE, "..", f"{co}.json")
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    W = co
    if not keys(data, {"company": (dict,), "projects": (list,), "history": (list,), "bills": (list,)}, W):
        continue
    c = data["company"]
    if keys(c, {"name": S, "rut": S, "trade": S}, f"{W}.company"):
        if not (RUT_DOT.match(c["rut"]) and rut_ok(c["rut"])):
            err(f"{W}: company rut {c['rut']} invalid or not dotted")
    # projects
    P = data["projects"]
    if len(P) != 30:
        err(f"{W}: {len(P)} projects")
    pmap, kws, regions, clients = {}, {}, set(), {}
    for i, p in enumerate(P):
        wh = f"{W}.projects[{i}]"
        if not keys(p, {"id": I, "name": S, "code": S, "client": S, "location": S, "description": S,
                        "keywords": (list,), "budget": I, "start_date": S, "end_date": S}, wh):
            continue
        if not (base <= p["id"] <= base + 29) or p["id"] in pmap:
            err(f"{wh}: bad/duplicate id {p['id']}")
        pmap[p["id"]] = p
        if len(p["keywords"]) != 1 or not isinstance(p["keywords"][0], str) or not p["keywords"][0].strip():
            err(f"{wh}: keywords must be one string")
        else:
            k = norm(p["keywords"][0])
            if k in kws.values():
                err(f"{wh}: keyword duplicate")
            kws[p["id"]] = k
        m = re.match(r"^([^,]+), (Región .+)$", p["location"])
        if not m:
            err(f"{wh}: location format {p['location']}")
        else:
            regions.add(m.group(2))
        clients[p["client"]] = clients.get(p["client"], 0) + 1
        sd, ed = is_date(p["start_date"]), is_date(p["end_date"])
        if not sd or not ed or not (PLO <= sd <= ed <= PHI):
            err(f"{wh}: dates {p['start_date']} {p['end_date']}")
        if p["budget"] <= 0:
            err(f"{wh}: budget")
        if len(p["description"]) < 60:
            err(f"{wh}: description too short")
    if set(pmap) != set(range(base, base + 30)):
        err(f"{W}: project ids not {base}..{base+29}")
    if len(regions) < 5:
        err(f"{W}: only {len(regions)} regions")
    for a in kws:
        for b in kws:
            if a != b and kws[a] in kws[b]:
                err(f"{W}: keyword of {a} inside keyword of {b}")

    def foreign_kw(text, own):
        t = norm(text)
        return [pid for pid, k in kws.items() if pid != own and k in t]

    name2rut, rut2name = {}, {}
    forms = {"hist": set(), "bill": set()}

    def sup(name, rut, wh, kind):
        if not rut_ok(rut):
            err(f"{wh}: invalid RUT {rut}")
        forms[kind].add("dot" if "." in rut else "plain")
        r = nrut(rut)
        for d, k, v in ((name2rut, name, r), (rut2name, r, name), (all_name2rut, name, r), (all_rut2name, r, name)):
            if d.setdefault(k, v) != v:
                err(f"{wh}: supplier name/RUT not one-to-one: {name} {rut}")
        return r

    # history
    H = data["history"]
    hist_proj, hist_ruts, oh_hist = {}, set(), 0
    for i, h in enumerate(H):
        wh = f"{W}.history[{i}]"
        if not keys(h, {"supplier_name": S, "supplier_rut": S, "description": S, "project_id": I + N}, wh):
            continue
        r = sup(h["supplier_name"], h["supplier_rut"], wh, "hist")
        hist_ruts.add(r)
        pid = h["project_id"]
        if pid is None:
            oh_hist += 1
        elif pid not in pmap:
            err(f"{wh}: unknown project {pid}")
        else:
            hist_proj.setdefault(r, set()).add(pid)
        f = foreign_kw(h["description"] + " " + h["supplier_name"], pid)
        if f:
            err(f"{wh}: contains keyword of {f}")
    if len(H) < 150:
        err(f"{W}: {len(H)} history rows")
    if oh_hist:
        files_with_oh_hist += 1
    if not any(len(v) >= 2 for v in hist_proj.values()):
        err(f"{W}: no supplier serves several projects in history")
    # bills
    B = data["bills"]
    total_bills += len(B)
    if len(B) < 165:
        err(f"{W}: {len(B)} bills")
    ids, tagc, bill_ruts, oh, bill_sup_proj = set(), {t: 0 for t in TAGS}, set(), 0, {}
    for i, b in enumerate(B):
        wh = f"{W}.bills[{i}]"
        if not keys(b, {"id": S, "supplier_name": S, "supplier_rut": S, "issue_date": S,
                        "invoice_description": S, "purchase_order": S, "amount": I, "lines": (list,),
                        "expected_project_id": I + N, "difficulty": (list,)}, wh):
            continue
        wh += f"({b['id']})"
        if not re.match(rf"^{pre}\d{{3,}}$", b["id"]) or b["id"] in ids:
            err(f"{wh}: bad/duplicate id")
        ids.add(b["id"])
        r = sup(b["supplier_name"], b["supplier_rut"], wh, "bill")
        bill_ruts.add(r)
        tot, texts = 0, [b["invoice_description"], b["purchase_order"]]
        if not b["lines"]:
            err(f"{wh}: no lines")
        for j, l in enumerate(b["lines"]):
            if not keys(l, {"description": S, "quantity": (int, float), "unit": S, "unit_price": I}, f"{wh}.lines[{j}]"):
                continue
            tot += l["quantity"] * l["unit_price"]
            texts.append(l["description"])
        if abs(tot - b["amount"]) > 1e-6:
            err(f"{wh}: amount {b['amount']} != {tot}")
        pid = b["expected_project_id"]
        d = is_date(b["issue_date"])
        if not d:
            err(f"{wh}: date")
            continue
        if pid is None:
            oh += 1
            if not (OH_LO <= d <= OH_HI):
                err(f"{wh}: overhead date {d}")
        elif pid not in pmap:
            err(f"{wh}: unknown project {pid}")
            continue
        else:
            bill_sup_proj.setdefault(r, set()).add(pid)
            p = pmap[pid]
            lo = date.fromisoformat(p["start_date"]) - timedelta(days=31)
            hi = min(date.fromisoformat(p["end_date"]) + timedelta(days=62), CAP)
            if not (lo <= d <= hi):
                err(f"{wh}: date {d} outside {lo}..{hi}")
        text = " ".join(texts)
        f = foreign_kw(text, pid)
        if f:
            err(f"{wh}: contains keyword of {f}")
        # tags
        tg = b["difficulty"]
        if len(set(tg)) != len(tg) or any(t not in HAND | RULE for t in tg):
            err(f"{wh}: bad tags {tg}")
        want = set()
        if pid is None:
            want.add("overhead")
        elif kws.get(pid, "\0") in norm(text):
            want.add("po-reference")
        if len(hist_proj.get(r, ())) >= 2:
            want.add("shared-supplier")
        hand = set(tg) & HAND
        if not hand and not want:
            want.add("plain")
        if set(tg) & RULE != want:
            err(f"{wh}: rule tags {sorted(set(tg) & RULE)} != {sorted(want)}")
        if "client-only" in hand and (pid is None or clients.get(pmap[pid]["client"]) != 1):
            err(f"{wh}: client-only but client has several projects or overhead")
        if pid is None and hand - {"typo"}:
            err(f"{wh}: overhead bill with project hand tags {hand}")
        for t in tg:
            if t in tagc:
                tagc[t] += 1
    exp = [f"{pre}{i:03d}" for i in range(1, len(B) + 1)]
    if sorted(ids) != exp:
        err(f"{W}: bill ids not consecutive {pre}001..")
    if [b["id"] for b in B] == exp and [b["expected_project_id"] or 0 for b in B] == sorted(b["expected_project_id"] or 0 for b in B):
        err(f"{W}: bills look unshuffled")
    if not any(len(v) >= 2 for v in bill_sup_proj.values()):
        err(f"{W}: no supplier serves several projects in bills")
    ohp = 100.0 * oh / max(1, len(B))
    if ohp < 18:
        err(f"{W}: overhead bills {ohp:.1f}% < 18%")
    never = len(bill_ruts - hist_ruts)
    nvp = 100.0 * never / max(1, len(bill_ruts))
    if not (35 <= nvp <= 50):
        err(f"{W}: {nvp:.1f}% of bill suppliers never in history")
    for kind in forms:
        if forms[kind] != {"dot", "plain"}:
            err(f"{W}: RUT spellings in {kind}: {forms[kind]}")
    rows.append([co, len(P), len(H), oh_hist, len(B), f"{ohp:.1f}"] + [tagc[t] for t in TAGS] +
                [len(hist_ruts | bill_ruts), len(bill_ruts), f"{nvp:.1f}"])

if total_bills < 500:
    err(f"total bills {total_bills} < 500")
if files_with_oh_hist != 2:
    err(f"overhead history rows in {files_with_oh_hist} files, want exactly 2")

hdr = ["file", "projects", "history", "oh-hist", "bills", "oh%"] + TAGS + ["suppliers", "bill-sup", "%never-hist"]
print("| " + " | ".join(hdr) + " |")
print("|" + "---|" * len(hdr))
for r in rows:
    print("| " + " | ".join(str(x) for x in r) + " |")
print(f"total bills: {total_bills}")
if errors:
    print(f"\n{len(errors)} VIOLATION(S):")
    for e in errors[:200]:
        print(" -", e)
    sys.exit(1)
print("all checks passed")
