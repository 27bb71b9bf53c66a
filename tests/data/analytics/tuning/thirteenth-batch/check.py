#!/usr/bin/env python3
"""Re-checks every rule of the v13 blind set from the JSON files alone. Exit 1 on any violation."""
import datetime as dt
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("fireprotection.json", "P", range(3301, 3331)),
         ("landfill.json", "L", range(3401, 3431)),
         ("fitout.json", "I", range(3501, 3531))]
TAGS = {"place-variant", "trade-vocabulary", "client-only", "typo",
        "overhead", "po-reference", "shared-supplier", "plain"}
D0, D1, ACTIVE, OVH0 = dt.date(2024, 6, 1), dt.date(2026, 12, 6), dt.date(2025, 1, 6), dt.date(2025, 1, 6)
errors = []


def err(msg):
    errors.append(msg)


def norm(t):
    t = unicodedata.normalize("NFKD", t)
    return "".join(c for c in t if not unicodedata.combining(c)).lower()


def dv(body):
    s, m = 0, 2
    for ch in reversed(body):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


DOTTED = re.compile(r"^\d{1,2}\.\d{3}\.\d{3}-[\dK]$")
PLAIN = re.compile(r"^\d{7,8}-[\dK]$")


def rut_ok(r):
    if not (DOTTED.match(r) or PLAIN.match(r)):
        return False
    body, d = r.replace(".", "").split("-")
    return dv(body) == d


def rut_key(r):
    return r.replace(".", "")


def date(s, where):
    try:
        return dt.date.fromisoformat(s)
    except Exception:
        err(f"{where}: bad date {s!r}")
        return None


def typed(obj, spec, where):
    if not isinstance(obj, dict) or set(obj) != set(spec):
        err(f"{where}: keys {sorted(obj) if isinstance(obj, dict) else type(obj)} != {sorted(spec)}")
        return False
    ok = True
    for k, t in spec.items():
        v = obj[k]
        if isinstance(v, bool) or not isinstance(v, t):
            err(f"{where}: {k} has type {type(v).__name__}")
            ok = False
    return ok


def main():
    stats = {}
    all_kw = {}
    name_rut, rut_name = {}, {}
    total_bills = 0
    files_with_ovh_hist = 0
    for fname, prefix, ids in FILES:
        path = os.path.join(HERE, "..", fname)
        data = json.load(open(path, encoding="utf-8"))
        W = fname
        if not isinstance(data, dict) or list(data) != ["company", "projects", "history", "bills"]:
            err(f"{W}: top-level keys {list(data)}")
            continue
        c = data["company"]
        if typed(c, {"name": str, "rut": str, "trade": str}, f"{W} company"):
            if not DOTTED.match(c["rut"]) or not rut_ok(c["rut"]):
                err(f"{W}: company rut {c['rut']}")
        projects = data["projects"]
        if len(projects) != 30:
            err(f"{W}: {len(projects)} projects")
        pmap, clients = {}, {}
        pspec = {"id": int, "name": str, "code": str, "client": str, "location": str, "description": str,
                 "keywords": list, "budget": int, "start_date": str, "end_date": str}
        active = 0
        for p in projects:
            w = f"{W} project {p.get('id')}"
            if not typed(p, pspec, w):
                continue
            if p["id"] not in ids:
                err(f"{w}: id out of range")
            if p["id"] in pmap:
                err(f"{w}: duplicate id")
            pmap[p["id"]] = p
            clients.setdefault(p["client"], set()).add(p["id"])
            if len(p["keywords"]) != 1 or not isinstance(p["keywords"][0], str) or not p["keywords"][0].strip():
                err(f"{w}: keywords must be exactly one string")
            else:
                k = norm(p["keywords"][0])
                if k in all_kw:
                    err(f"{w}: keyword {k} not unique (also {all_kw[k]})")
                all_kw[k] = (W, p["id"])
            if ", Región" not in p["location"]:
                err(f"{w}: location format {p['location']}")
            s, e = date(p["start_date"], w), date(p["end_date"], w)
            if s and e:
                if not (D0 <= s <= e <= D1):
                    err(f"{w}: dates {s}..{e}")
                if e >= ACTIVE:
                    active += 1
            if p["budget"] <= 0:
                err(f"{w}: budget")
            nsent = len([x for x in re.split(r"(?<=[.!?])\s+", p["description"].strip()) if x])
            if not 1 <= nsent <= 3:
                err(f"{w}: description has {nsent} sentences")
        if set(pmap) != set(ids):
            err(f"{W}: project ids are not exactly {ids.start}..{ids.stop - 1}")
        if active <= len(projects) / 2:
            err(f"{W}: only {active} active projects")
        kw = {pid: norm(p["keywords"][0]) for pid, p in pmap.items()}

        # history
        hist = data["history"]
        if len(hist) < 150:
            err(f"{W}: {len(hist)} history rows")
        hvals = {}
        h_dotted = h_plain = 0
        ovh_hist = 0
        hspec = {"supplier_name": str, "supplier_rut": str, "description": str, "project_id": (int, type(None))}
        for i, h in enumerate(hist):
            w = f"{W} history[{i}]"
            if not isinstance(h, dict) or set(h) != set(hspec):
                err(f"{w}: keys")
                continue
            for k in ("supplier_name", "supplier_rut", "description"):
                if not isinstance(h[k], str) or not h[k].strip():
                    err(f"{w}: {k}")
            pid = h["project_id"]
            if pid is not None and (isinstance(pid, bool) or not isinstance(pid, int) or pid not in pmap):
                err(f"{w}: project_id {pid}")
            if pid is None:
                ovh_hist += 1
            hvals.setdefault(h["supplier_name"], set()).add(pid)
            r = h["supplier_rut"]
            if not rut_ok(r):
                err(f"{w}: rut {r}")
            h_dotted += bool(DOTTED.match(r))
            h_plain += bool(PLAIN.match(r))
            for a, b, m in ((name_rut, h["supplier_name"], rut_key(r)), (rut_name, rut_key(r), h["supplier_name"])):
                if a.setdefault(b, m) != m:
                    err(f"{w}: {b} maps to both {a[b]} and {m}")
        if not (h_dotted and h_plain):
            err(f"{W}: history lacks one RUT spelling")
        if ovh_hist:
            files_with_ovh_hist += 1
        multi = [s for s, v in hvals.items() if len({x for x in v if x is not None}) >= 2]
        if len(multi) < 3:
            err(f"{W}: only {len(multi)} suppliers serve several projects in history")

        # bills
        bills = data["bills"]
        total_bills += len(bills)
        if len(bills) < 165:
            err(f"{W}: {len(bills)} bills")
        bspec = {"id": str, "supplier_name": str, "supplier_rut": str, "issue_date": str,
                 "invoice_description": str, "purchase_order": str, "amount": int, "lines": list,
                 "expected_project_id": (int, type(None)), "difficulty": list}
        lspec = {"description": str, "quantity": (int, float), "unit": str, "unit_price": int}
        seen_ids = set()
        b_dotted = b_plain = 0
        ovh = 0
        tagcount = {t: 0 for t in sorted(TAGS)}
        bill_sups = set()
        expected_ids = {f"{prefix}{n:03d}" for n in range(1, len(bills) + 1)}
        for b in bills:
            w = f"{W} bill {b.get('id')}"
            if not isinstance(b, dict) or set(b) != set(bspec):
                err(f"{w}: keys")
                continue
            bad = False
            for k, t in bspec.items():
                if isinstance(b[k], bool) or not isinstance(b[k], t):
                    err(f"{w}: {k} type")
                    bad = True
            if bad:
                continue
            if b["id"] in seen_ids:
                err(f"{w}: duplicate id")
            seen_ids.add(b["id"])
            pid = b["expected_project_id"]
            if pid is not None and pid not in pmap:
                err(f"{w}: unknown project {pid}")
                continue
            bill_sups.add(b["supplier_name"])
            r = b["supplier_rut"]
            if not rut_ok(r):
                err(f"{w}: rut {r}")
            b_dotted += bool(DOTTED.match(r))
            b_plain += bool(PLAIN.match(r))
            for a, k_, m in ((name_rut, b["supplier_name"], rut_key(r)), (rut_name, rut_key(r), b["supplier_name"])):
                if a.setdefault(k_, m) != m:
                    err(f"{w}: {k_} maps to both {a[k_]} and {m}")
            po = b["purchase_order"]
            own_kw = pid is not None and po == pmap[pid]["keywords"][0]
            if not (po == "S/OC" or re.fullmatch(r"OC \d{3,6}", po) or own_kw or po.strip()):
                err(f"{w}: purchase_order {po!r}")
            # lines / amount
            tot = 0
            if not b["lines"]:
                err(f"{w}: no lines")
            for j, l in enumerate(b["lines"]):
                if not isinstance(l, dict) or set(l) != set(lspec):
                    err(f"{w}: line {j} keys")
                    continue
                for k, t in lspec.items():
                    if isinstance(l[k], bool) or not isinstance(l[k], t):
                        err(f"{w}: line {j} {k} type")
                tot += l["quantity"] * l["unit_price"]
            if b["amount"] != int(round(tot)):
                err(f"{w}: amount {b['amount']} != {tot}")
            # dates
            d = date(b["issue_date"], w)
            if d:
                if pid is None:
                    if not OVH0 <= d <= D1:
                        err(f"{w}: overhead date {d}")
                else:
                    p = pmap[pid]
                    lo = dt.date.fromisoformat(p["start_date"]) - dt.timedelta(days=31)
                    hi = min(dt.date.fromisoformat(p["end_date"]) + dt.timedelta(days=62), D1)
                    if not lo <= d <= hi:
                        err(f"{w}: date {d} outside {lo}..{hi}")
            # keyword leakage
            text = norm(" ".join([b["invoice_description"], po] + [l.get("description", "") for l in b["lines"]]))
            for opid, k in kw.items():
                if opid != pid and k in text:
                    err(f"{w}: contains keyword of project {opid}")
            for k, (wf, opid) in all_kw.items():
                if wf != W and k in text:
                    err(f"{w}: contains keyword of {wf} project {opid}")
            # tags
            tags = b["difficulty"]
            if not tags or len(set(tags)) != len(tags) or not set(tags) <= TAGS:
                err(f"{w}: bad tag list {tags}")
            rule = set()
            if pid is None:
                rule.add("overhead")
                ovh += 1
            elif kw[pid] in text:
                rule.add("po-reference")
            if len(hvals.get(b["supplier_name"], set())) >= 2:
                rule.add("shared-supplier")
            hand = set(tags) - {"overhead", "po-reference", "shared-supplier", "plain"}
            if not rule and not hand:
                rule.add("plain")
            if set(tags) - hand != rule:
                err(f"{w}: rule tags {sorted(set(tags) - hand)} != computed {sorted(rule)}")
            if "client-only" in tags:
                if pid is None:
                    err(f"{w}: overhead bill with client-only")
                elif len(clients[pmap[pid]["client"]]) != 1:
                    err(f"{w}: client-only but client has several projects")
            for t in tags:
                if t in tagcount:
                    tagcount[t] += 1
        if seen_ids != expected_ids:
            err(f"{W}: bill ids are not {prefix}001..{prefix}{len(bills):03d}")
        if not (b_dotted and b_plain):
            err(f"{W}: bills lack one RUT spelling")
        if ovh / max(len(bills), 1) < 0.18:
            err(f"{W}: overhead share {ovh}/{len(bills)}")
        if tagcount["plain"] < 15:
            err(f"{W}: only {tagcount['plain']} plain bills")
        new = bill_sups - set(hvals)
        share = len(new) / max(len(bill_sups), 1)
        if not 0.35 <= share <= 0.50:
            err(f"{W}: {share:.1%} of bill suppliers never in history")
        stats[fname] = dict(projects=len(projects), history=len(hist), overhead_history=ovh_hist,
                            bills=len(bills), overhead_pct=round(100 * ovh / len(bills), 1),
                            suppliers=len(set(hvals) | bill_sups), bill_suppliers=len(bill_sups),
                            never_in_history_pct=round(100 * share, 1), multi_project_hist_suppliers=len(multi),
                            **tagcount)
    if total_bills < 500:
        err(f"total bills {total_bills}")
    if files_with_ovh_hist != 2:
        err(f"{files_with_ovh_hist} files have overhead history (must be exactly 2)")
    keys = list(next(iter(stats.values())).keys()) if stats else []
    print("| metric | " + " | ".join(stats) + " |")
    print("|---|" + "---|" * len(stats))
    for k in keys:
        print(f"| {k} | " + " | ".join(str(s[k]) for s in stats.values()) + " |")
    if errors:
        print(f"\n{len(errors)} violation(s):")
        for e in errors[:200]:
            print("  " + e)
        sys.exit(1)
    print("\nOK: all checks passed")


if __name__ == "__main__":
    main()
