#!/usr/bin/env python3
"""Re-check every rule of the blind-v8 dataset from the JSON files alone. Exit 1 on any violation."""
import json, re, sys
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

BASE = Path(__file__).resolve().parent
FILES = [("clinical.json", "H", range(1801, 1831)), ("coatings.json", "P", range(1901, 1931)),
         ("elevators.json", "E", range(2001, 2031))]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
        "client-only", "typo", "plain"]
LAST = date(2026, 12, 6)
OH_FIRST = date(2025, 1, 6)
errors = []


def err(f, msg):
    errors.append(f"{f}: {msg}")


def norm(s):
    return re.sub(r"[\s.]", "", s).lower()


def rut_ok(r):
    m = re.fullmatch(r"(\d{1,3}(?:\.\d{3}){1,2}|\d{7,8})-([\dkK])", r)
    if not m:
        return False
    body = m.group(1).replace(".", "")
    s, k = 0, 2
    for d in reversed(body):
        s += int(d) * k
        k = 2 if k == 7 else k + 1
    v = 11 - s % 11
    dv = "0" if v == 11 else "K" if v == 10 else str(v)
    return m.group(2).upper() == dv


def rut_key(r):
    return r.replace(".", "").upper()


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def is_num(x):
    return (isinstance(x, (int, float))) and not isinstance(x, bool)


def pdate(f, s, what):
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            raise ValueError
        return date.fromisoformat(s)
    except Exception:
        err(f, f"bad date {what}: {s!r}")
        return None


def check_keys(f, obj, keys, what):
    if not isinstance(obj, dict) or list(obj.keys()) != keys and set(obj.keys()) != set(keys):
        err(f, f"{what}: keys {list(obj.keys()) if isinstance(obj, dict) else type(obj)} != {keys}")
        return False
    return True


rows = []
total_bills = 0
files_with_oh_hist = 0
for fname, prefix, idr in FILES:
    path = BASE / ".." / fname
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except Exception as e:
        err(fname, f"cannot read: {e}")
        continue
    f = fname
    check_keys(f, d, ["company", "projects", "history", "bills"], "top")
    c = d.get("company", {})
    if check_keys(f, c, ["name", "rut", "trade"], "company"):
        if not all(isinstance(c[k], str) and c[k] for k in c):
            err(f, "company fields must be non-empty str")
        if not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[\dK]", c["rut"]) or not rut_ok(c["rut"]):
            err(f, f"company rut invalid {c['rut']}")
    # ---- projects
    projects = d.get("projects", [])
    if len(projects) != 30:
        err(f, f"{len(projects)} projects != 30")
    pmap = {}
    pkeys = ["id", "name", "code", "client", "location", "description", "keywords", "budget",
             "start_date", "end_date"]
    for p in projects:
        if not check_keys(f, p, pkeys, f"project {p.get('id')}"):
            continue
        if not is_int(p["id"]) or p["id"] not in idr:
            err(f, f"project id out of range {p['id']}")
        if p["id"] in pmap:
            err(f, f"duplicate project id {p['id']}")
        for k in ["name", "code", "client", "location", "description"]:
            if not isinstance(p[k], str) or not p[k].strip():
                err(f, f"project {p['id']} {k} empty")
        if not isinstance(p["keywords"], list) or not all(isinstance(k, str) and k.strip() for k in p["keywords"]):
            err(f, f"project {p['id']} keywords bad")
        if not is_int(p["budget"]) or p["budget"] <= 0:
            err(f, f"project {p['id']} budget bad")
        s, e = pdate(f, p["start_date"], "start"), pdate(f, p["end_date"], "end")
        if s and e and s > e:
            err(f, f"project {p['id']} start after end")
        pmap[p["id"]] = p
    kw_all = [(pid, norm(k)) for pid, p in pmap.items() for k in p["keywords"]]
    if len({k for _, k in kw_all}) != len(kw_all):
        err(f, "duplicate keywords across projects")
    client_count = Counter(p["client"] for p in pmap.values())
    if sum(1 for v in client_count.values() if v >= 2) < 3:
        err(f, "fewer than 3 clients with look-alike projects")

    def other_kw(text, own):
        t = norm(text)
        return [k for pid, k in kw_all if pid != own and k in t]

    # ---- suppliers / ruts
    name_rut = defaultdict(set)
    rut_name = defaultdict(set)
    styles = Counter()
    # ---- history
    hist = d.get("history", [])
    if len(hist) < 150:
        err(f, f"history {len(hist)} < 150")
    hcount = defaultdict(Counter)
    oh_hist = 0
    for i, h in enumerate(hist):
        if not check_keys(f, h, ["supplier_name", "supplier_rut", "description", "project_id"], f"history[{i}]"):
            continue
        if not all(isinstance(h[k], str) and h[k].strip() for k in ["supplier_name", "supplier_rut", "description"]):
            err(f, f"history[{i}] empty str")
        pid = h["project_id"]
        if pid is None:
            oh_hist += 1
        elif not is_int(pid) or pid not in pmap:
            err(f, f"history[{i}] bad project_id {pid}")
        else:
            hcount[h["supplier_name"]][pid] += 1
        bad = other_kw(h["description"] + " " + h["supplier_name"], pid)
        if bad:
            err(f, f"history[{i}] contains other project's keyword {bad}")
        name_rut[h["supplier_name"]].add(rut_key(h["supplier_rut"]))
        rut_name[rut_key(h["supplier_rut"])].add(h["supplier_name"])
        if not rut_ok(h["supplier_rut"]):
            err(f, f"history[{i}] invalid rut {h['supplier_rut']}")
    if oh_hist:
        files_with_oh_hist += 1
    # ---- bills
    bills = d.get("bills", [])
    total_bills += len(bills)
    if len(bills) < 165:
        err(f, f"bills {len(bills)} < 165")
    bkeys = ["id", "supplier_name", "supplier_rut", "issue_date", "invoice_description", "purchase_order",
             "amount", "lines", "expected_project_id", "difficulty"]
    ids = set()
    tagc = Counter()
    oh = 0
    for i, b in enumerate(bills):
        if not check_keys(f, b, bkeys, f"bill[{i}]"):
            continue
        bid = b["id"]
        if not isinstance(bid, str) or not re.fullmatch(prefix + r"\d{3}", bid) or bid in ids:
            err(f, f"bad/duplicate bill id {bid}")
        ids.add(bid)
        for k in ["supplier_name", "supplier_rut", "invoice_description"]:
            if not isinstance(b[k], str) or not b[k].strip():
                err(f, f"{bid} {k} empty")
        if not isinstance(b["purchase_order"], str):
            err(f, f"{bid} purchase_order not str")
        if not rut_ok(b["supplier_rut"]):
            err(f, f"{bid} invalid rut {b['supplier_rut']}")
        name_rut[b["supplier_name"]].add(rut_key(b["supplier_rut"]))
        rut_name[rut_key(b["supplier_rut"])].add(b["supplier_name"])
        styles["dotted" if "." in b["supplier_rut"] else "undotted"] += 1
        if b["supplier_rut"].endswith("k"):
            styles["lower-k"] += 1
        # lines / amount
        lines = b["lines"]
        total = 0
        if not isinstance(lines, list) or not lines:
            err(f, f"{bid} no lines")
            lines = []
        for j, l in enumerate(lines):
            if not check_keys(f, l, ["description", "quantity", "unit", "unit_price"], f"{bid} line {j}"):
                continue
            if not isinstance(l["description"], str) or not l["description"].strip():
                err(f, f"{bid} line {j} description")
            if not isinstance(l["unit"], str) or not l["unit"].strip():
                err(f, f"{bid} line {j} unit")
            if not is_num(l["quantity"]) or l["quantity"] <= 0:
                err(f, f"{bid} line {j} quantity")
            if not is_int(l["unit_price"]) or l["unit_price"] <= 0:
                err(f, f"{bid} line {j} unit_price")
            else:
                total += l["quantity"] * l["unit_price"]
        if not is_int(b["amount"]) or b["amount"] != round(total):
            err(f, f"{bid} amount {b['amount']} != {round(total)}")
        # dates
        pid = b["expected_project_id"]
        dt = pdate(f, b["issue_date"], bid)
        if pid is not None and (not is_int(pid) or pid not in pmap):
            err(f, f"{bid} bad expected_project_id {pid}")
            continue
        if dt:
            if pid is None:
                lo, hi = OH_FIRST, LAST
            else:
                p = pmap[pid]
                lo = date.fromisoformat(p["start_date"]) - timedelta(days=31)
                hi = min(date.fromisoformat(p["end_date"]) + timedelta(days=62), LAST)
            if not (lo <= dt <= hi):
                err(f, f"{bid} issue_date {dt} outside {lo}..{hi}")
        # tags
        tags = b["difficulty"]
        if not isinstance(tags, list) or not tags or len(set(tags)) != len(tags) or not set(tags) <= set(TAGS):
            err(f, f"{bid} bad difficulty {tags}")
            continue
        tagc.update(tags)
        text = " ".join([b["purchase_order"], b["invoice_description"], b["supplier_name"]] +
                        [l.get("description", "") for l in lines])
        bad = other_kw(text, pid)
        if bad:
            err(f, f"{bid} contains other project's keyword {bad}")
        if ("overhead" in tags) != (pid is None):
            err(f, f"{bid} overhead tag mismatch")
        if pid is None:
            oh += 1
            if set(tags) != {"overhead"}:
                err(f, f"{bid} overhead bill with other tags {tags}")
            continue
        p = pmap[pid]
        own = any(norm(k) in norm(text) for k in p["keywords"])
        if ("po-reference" in tags) != own:
            err(f, f"{bid} po-reference mismatch (keyword present={own})")
        cnt = hcount.get(b["supplier_name"], Counter())
        shared = len(cnt) >= 2 and cnt.get(pid, 0) < max(cnt.values())
        if ("shared-supplier" in tags) != shared:
            err(f, f"{bid} shared-supplier mismatch (rule={shared})")
        if "client-only" in tags and client_count[p["client"]] != 1:
            err(f, f"{bid} client-only but client has {client_count[p['client']]} projects")
        if "plain" in tags and len(tags) != 1:
            err(f, f"{bid} plain not alone")
        if "plain" not in tags and not (set(tags) - {"plain"}):
            err(f, f"{bid} no tag")
    for n, rs in name_rut.items():
        if len(rs) != 1:
            err(f, f"supplier {n} has several RUTs {rs}")
    for r, ns in rut_name.items():
        if len(ns) != 1:
            err(f, f"RUT {r} used by several names {ns}")
    if not (styles["dotted"] and styles["undotted"] and styles["lower-k"]):
        err(f, f"RUT spellings not mixed: {dict(styles)}")
    ohp = oh / len(bills) if bills else 0
    if ohp < 0.18:
        err(f, f"overhead {ohp:.1%} < 18%")
    hs = {h["supplier_name"] for h in hist}
    bs = {b["supplier_name"] for b in bills}
    never = len(bs - hs) / len(bs) if bs else 0
    if not (0.35 <= never <= 0.50):
        err(f, f"bill suppliers never in history {never:.1%} outside 35-50%")
    rows.append((fname, len(projects), len(hist), oh_hist, len(bills), f"{ohp:.1%}",
                 *[tagc[t] for t in TAGS], len(hs | bs), len(bs), f"{never:.1%}"))

if files_with_oh_hist != 2:
    err("all", f"overhead history rows present in {files_with_oh_hist} files, must be exactly 2")
if total_bills < 500:
    err("all", f"total bills {total_bills} < 500")

hdr = ("file", "projects", "history", "oh_hist", "bills", "oh_%", *TAGS, "suppliers", "bill_suppl",
       "never_in_hist")
w = [max(len(str(x)) for x in col) for col in zip(hdr, *rows)] if rows else [len(h) for h in hdr]
print("| " + " | ".join(str(h).ljust(n) for h, n in zip(hdr, w)) + " |")
print("|" + "|".join("-" * (n + 2) for n in w) + "|")
for r in rows:
    print("| " + " | ".join(str(x).ljust(n) for x, n in zip(r, w)) + " |")
print(f"total bills: {total_bills}")
if errors:
    print(f"\n{len(errors)} VIOLATION(S):")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("OK: all rules pass")
