#!/usr/bin/env python3
"""Validate the three dataset files. Exits non-zero on any violation; prints a counts table."""
import json, re, sys, os, datetime
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("maritime", "M", 301, 399), ("building-mep", "B", 401, 499), ("rail-urban", "R", 501, 599)]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
        "client-only", "typo", "plain"]
# (min share, max share) per tag, per file
MIX = {"overhead": (0.18, 0.30), "place-variant": (0.14, 0.28), "trade-vocabulary": (0.22, 0.38),
       "shared-supplier": (0.06, 0.16), "po-reference": (0.06, 0.15), "client-only": (0.03, 0.09),
       "typo": (0.03, 0.09), "plain": (0.05, 0.45)}
errors = []


def err(msg):
    errors.append(msg)


def rut_ok(r):
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([0-9kK])", r)
    if not m:
        return False
    body = int(m.group(1).replace(".", ""))
    s, k = 0, 2
    for d in reversed(str(body)):
        s += int(d) * k
        k = 2 if k == 7 else k + 1
    v = 11 - s % 11
    dv = "0" if v == 11 else "K" if v == 10 else str(v)
    return dv == m.group(2).upper()


def date(s, where):
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            raise ValueError
        return datetime.date.fromisoformat(s)
    except Exception:
        err(f"{where}: bad date {s!r}")
        return None


def norm(s):
    return re.sub(r"[\s.\-/°º#:]", "", s.upper())


def kw_in(kw, text):
    k = norm(kw)
    return bool(k) and re.search(r"(?<![0-9])" + re.escape(k) + r"(?![0-9])", norm(text)) is not None


def keys(obj, want, where):
    if not isinstance(obj, dict) or set(obj) != set(want):
        err(f"{where}: keys {sorted(obj) if isinstance(obj, dict) else type(obj)} != {sorted(want)}")
        return False
    return True


def typed(v, t, where, field):
    if t is int:
        ok = isinstance(v, int) and not isinstance(v, bool)
    elif t == "num":
        ok = isinstance(v, (int, float)) and not isinstance(v, bool)
    elif t == "intnull":
        ok = v is None or (isinstance(v, int) and not isinstance(v, bool))
    else:
        ok = isinstance(v, t)
    if not ok:
        err(f"{where}: {field} has wrong type {type(v).__name__}")
    return ok


all_pids, supplier_rut_global, table, overhead_hist_files, total_bills = {}, {}, [], [], 0
for name, prefix, lo, hi in FILES:
    path = os.path.join(HERE, "..", name + ".json")
    try:
        d = json.load(open(path, encoding="utf-8"))
    except Exception as e:
        err(f"{name}: cannot load: {e}")
        continue
    if not keys(d, ["company", "projects", "history", "bills"], name):
        continue
    c = d["company"]
    if keys(c, ["name", "rut", "trade", "head_office"], f"{name}.company"):
        for f in ["name", "rut", "trade", "head_office"]:
            typed(c[f], str, f"{name}.company", f)
        if not re.fullmatch(r"7[67]\.\d{3}\.\d{3}-[0-9K]", c["rut"]) or not rut_ok(c["rut"]):
            err(f"{name}: company rut {c['rut']} invalid")
    projects = {}
    clients = Counter(p.get("client") for p in d["projects"])
    for i, p in enumerate(d["projects"]):
        w = f"{name}.projects[{i}]"
        if not keys(p, ["id", "name", "code", "client", "location", "description", "keywords", "budget",
                        "start_date", "end_date"], w):
            continue
        for f, t in [("id", int), ("name", str), ("code", str), ("client", str), ("location", str),
                     ("description", str), ("keywords", list), ("budget", int), ("start_date", str),
                     ("end_date", str)]:
            typed(p[f], t, w, f)
        if not all(isinstance(k, str) and k for k in p["keywords"]):
            err(f"{w}: keywords must be non-empty strings")
        if not lo <= p["id"] <= hi:
            err(f"{w}: id {p['id']} outside {lo}-{hi}")
        if p["id"] in all_pids:
            err(f"{w}: duplicate project id {p['id']}")
        all_pids[p["id"]] = name
        s, e = date(p["start_date"], w), date(p["end_date"], w)
        if s and e and s > e:
            err(f"{w}: start after end")
        p["_s"], p["_e"] = s, e
        projects[p["id"]] = p
    allkw = [(pid, k) for pid, p in projects.items() for k in p["keywords"]]
    if len({norm(k) for _, k in allkw}) != len(allkw):
        err(f"{name}: duplicate keywords")
    sup_rut, rut_sup = {}, {}

    def sup(nm, rut, w):
        if not rut_ok(rut):
            err(f"{w}: invalid RUT {rut}")
        if sup_rut.setdefault(nm, rut) != rut:
            err(f"{w}: supplier {nm} has two RUTs")
        if rut_sup.setdefault(rut, nm) != nm:
            err(f"{w}: RUT {rut} used by two suppliers")
        if supplier_rut_global.setdefault(nm, rut) != rut:
            err(f"{w}: supplier {nm} has another RUT in another file")

    hist_count = defaultdict(Counter)
    n_oh_hist = 0
    for i, h in enumerate(d["history"]):
        w = f"{name}.history[{i}]"
        if not keys(h, ["supplier_name", "supplier_rut", "description", "project_id"], w):
            continue
        typed(h["supplier_name"], str, w, "supplier_name"); typed(h["supplier_rut"], str, w, "supplier_rut")
        typed(h["description"], str, w, "description"); typed(h["project_id"], "intnull", w, "project_id")
        sup(h["supplier_name"], h["supplier_rut"], w)
        if h["project_id"] is None:
            n_oh_hist += 1
        elif h["project_id"] not in projects:
            err(f"{w}: unknown project {h['project_id']}")
        else:
            hist_count[h["supplier_name"]][h["project_id"]] += 1
    if n_oh_hist:
        overhead_hist_files.append(name)
    tagc, ids = Counter(), set()
    bills = d["bills"]
    total_bills += len(bills)
    for i, b in enumerate(bills):
        w = f"{name}.bills[{i}]"
        if not keys(b, ["id", "supplier_name", "supplier_rut", "issue_date", "invoice_description",
                        "purchase_order", "amount", "lines", "expected_project_id", "difficulty"], w):
            continue
        w = f"{name}.{b['id']}"
        for f, t in [("id", str), ("supplier_name", str), ("supplier_rut", str), ("issue_date", str),
                     ("invoice_description", str), ("purchase_order", str), ("amount", int),
                     ("lines", list), ("expected_project_id", "intnull"), ("difficulty", list)]:
            typed(b[f], t, w, f)
        if not re.fullmatch(prefix + r"\d{3}", b["id"]) or b["id"] in ids:
            err(f"{w}: bad or duplicate id")
        ids.add(b["id"])
        sup(b["supplier_name"], b["supplier_rut"], w)
        total = 0
        if not b["lines"]:
            err(f"{w}: no lines")
        for j, l in enumerate(b["lines"]):
            if keys(l, ["description", "quantity", "unit", "unit_price"], f"{w}.lines[{j}]"):
                typed(l["description"], str, w, "line.description"); typed(l["unit"], str, w, "line.unit")
                if typed(l["quantity"], "num", w, "quantity") and typed(l["unit_price"], int, w, "unit_price"):
                    total += l["quantity"] * l["unit_price"]
        if abs(total - b["amount"]) > 0.5:
            err(f"{w}: amount {b['amount']} != sum of lines {total}")
        tags = b["difficulty"]
        if not tags or any(t not in TAGS for t in tags) or len(set(tags)) != len(tags):
            err(f"{w}: bad difficulty {tags}")
        tagc.update(tags)
        bd = date(b["issue_date"], w)
        pid = b["expected_project_id"]
        texts = [b["invoice_description"], b["purchase_order"]] + [l.get("description", "") for l in b["lines"]]
        if ("overhead" in tags) != (pid is None):
            err(f"{w}: overhead tag does not match expected_project_id")
        if pid is None:
            if bd and not datetime.date(2023, 1, 1) <= bd <= datetime.date(2026, 6, 30):
                err(f"{w}: overhead bill date {bd} out of the dataset window")
            po_found = False
        elif pid not in projects:
            err(f"{w}: unknown project {pid}")
            continue
        else:
            p = projects[pid]
            if bd and p["_s"] and not (p["_s"] - datetime.timedelta(days=31) <= bd <= p["_e"] + datetime.timedelta(days=62)):
                err(f"{w}: date {bd} outside project {pid} {p['_s']}..{p['_e']} (-31/+62 d)")
            po_found = any(kw_in(k, t) for k in p["keywords"] for t in texts)
        if po_found != ("po-reference" in tags):
            err(f"{w}: po-reference tag does not match keyword presence")
        for opid, k in allkw:
            if opid != pid and any(kw_in(k, t) for t in texts):
                err(f"{w}: carries keyword {k} of project {opid}")
        if "shared-supplier" in tags:
            hc = hist_count.get(b["supplier_name"], Counter())
            if len(hc) < 2 or hc[pid] >= max(hc.values()):
                err(f"{w}: shared-supplier but history {dict(hc)} does not support it")
        if "client-only" in tags and pid is not None and clients[projects[pid]["client"]] != 1:
            err(f"{w}: client-only but client has several projects")
        if "plain" in tags and len(tags) > 1 and "overhead" in tags:
            err(f"{w}: plain combined with overhead")
    n = len(bills)
    if len(projects) < 27: err(f"{name}: only {len(projects)} projects")
    if len(d["history"]) < 150: err(f"{name}: only {len(d['history'])} history rows")
    if n < 160: err(f"{name}: only {n} bills")
    for t, (a, z) in MIX.items():
        share = tagc[t] / n if n else 0
        if not a <= share <= z:
            err(f"{name}: share of {t} {share:.1%} outside {a:.0%}-{z:.0%}")
    table.append((name, len(projects), len(d["history"]), n_oh_hist, n, tagc))
if total_bills < 500:
    err(f"only {total_bills} bills in total")
if len(overhead_hist_files) != 2:
    err(f"overhead history rows appear in {overhead_hist_files}, expected exactly two files")

hdr = ["file", "projects", "history", "oh-hist", "bills", "overhead %"] + TAGS
print(" | ".join(hdr))
for name, np_, nh, noh, n, tc in table:
    print(" | ".join([name, str(np_), str(nh), str(noh), str(n), f"{100 * tc['overhead'] / n:.1f}"] +
                     [str(tc[t]) for t in TAGS]))
if errors:
    print(f"\n{len(errors)} violation(s):", file=sys.stderr)
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print("\nOK: all checks passed")
