#!/usr/bin/env python3
"""Validate the three evaluation files. Exits 1 on any violation."""
import json, os, re, sys, datetime as dt
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("agro-irrigation.json", "A", range(601, 700)),
         ("steel-structures.json", "S", range(701, 800)),
         ("fuel-gas.json", "G", range(801, 900))]
TAGS = {"overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
        "client-only", "typo", "plain"}
# loose bounds around the brief's target mix (share of bills carrying the tag)
MIX = {"overhead": (0.18, 0.30), "place-variant": (0.14, 0.30), "trade-vocabulary": (0.25, 0.35),
       "shared-supplier": (0.07, 0.16), "po-reference": (0.07, 0.15), "client-only": (0.03, 0.10),
       "typo": (0.03, 0.10), "plain": (0.03, 0.30)}
TODAY = dt.date(2026, 12, 6)
errors = []


def err(msg):
    errors.append(msg)


def dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return {11: "0", 10: "K"}.get(r, str(r))


RUT_RE = re.compile(r"^(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([0-9Kk])$")


def rut_body(r, where):
    m = RUT_RE.match(r) if isinstance(r, str) else None
    if not m:
        err(f"{where}: malformed RUT {r!r}")
        return None
    body = int(m.group(1).replace(".", ""))
    if dv(body) != m.group(2).upper():
        err(f"{where}: wrong check digit in {r}")
    return body


def norm(s):
    return re.sub(r"[\s\.]", "", s.upper())


def is_date(s):
    try:
        return dt.date.fromisoformat(s) if re.match(r"^\d{4}-\d{2}-\d{2}$", s) else None
    except Exception:
        return None


def typed(obj, spec, where):
    if not isinstance(obj, dict):
        err(f"{where}: not an object")
        return False
    if set(obj) != set(spec):
        err(f"{where}: keys {sorted(obj)} != {sorted(spec)}")
        return False
    ok = True
    for k, t in spec.items():
        v = obj[k]
        if t == "int":
            good = isinstance(v, int) and not isinstance(v, bool)
        elif t == "int?":
            good = v is None or (isinstance(v, int) and not isinstance(v, bool))
        elif t == "num":
            good = isinstance(v, (int, float)) and not isinstance(v, bool)
        elif t == "str":
            good = isinstance(v, str)
        elif t == "list":
            good = isinstance(v, list)
        else:
            good = isinstance(v, dict)
        if not good:
            err(f"{where}: {k} has wrong type ({v!r})")
            ok = False
    return ok


P_SPEC = {"id": "int", "name": "str", "code": "str", "client": "str", "location": "str",
          "description": "str", "keywords": "list", "budget": "int", "start_date": "str", "end_date": "str"}
H_SPEC = {"supplier_name": "str", "supplier_rut": "str", "description": "str", "project_id": "int?"}
B_SPEC = {"id": "str", "supplier_name": "str", "supplier_rut": "str", "issue_date": "str",
          "invoice_description": "str", "purchase_order": "str", "amount": "int", "lines": "list",
          "expected_project_id": "int?", "difficulty": "list"}
L_SPEC = {"description": "str", "quantity": "num", "unit": "str", "unit_price": "int"}

all_pids = set()
total_bills = 0
files_with_oh_history = []
report = []

for fname, prefix, idrange in FILES:
    path = os.path.join(HERE, "..", fname)
    if not os.path.exists(path):
        err(f"{fname}: missing")
        continue
    data = json.load(open(path, encoding="utf-8"))
    if set(data) != {"company", "projects", "history", "bills"}:
        err(f"{fname}: top-level keys {sorted(data)}")
        continue
    co = data["company"]
    if typed(co, {"name": "str", "rut": "str", "trade": "str", "head_office": "str"}, f"{fname}:company"):
        if not re.match(r"^76\.\d{3}\.\d{3}-[0-9K]$", co["rut"]):
            err(f"{fname}: company RUT format {co['rut']}")
        rut_body(co["rut"], f"{fname}:company")

    projects = {}
    for i, p in enumerate(data["projects"]):
        w = f"{fname}:project[{i}]"
        if not typed(p, P_SPEC, w):
            continue
        if p["id"] not in idrange:
            err(f"{w}: id {p['id']} outside range")
        if p["id"] in all_pids:
            err(f"{w}: duplicate id {p['id']}")
        all_pids.add(p["id"])
        s, e = is_date(p["start_date"]), is_date(p["end_date"])
        if not s or not e or s > e:
            err(f"{w}: bad dates")
        if not all(isinstance(k, str) and k for k in p["keywords"]):
            err(f"{w}: keywords must be non-empty strings")
        if p["budget"] <= 0:
            err(f"{w}: budget")
        projects[p["id"]] = p
    if len(projects) < 27:
        err(f"{fname}: only {len(projects)} projects")

    # keyword uniqueness within and across projects
    kw_owner = {}
    for p in projects.values():
        for k in p["keywords"]:
            if norm(k) in kw_owner:
                err(f"{fname}: keyword {k} used twice")
            kw_owner[norm(k)] = p["id"]
    for a, pa in kw_owner.items():
        for b, pb in kw_owner.items():
            if a != b and a in b:
                err(f"{fname}: keyword {a} is contained in {b}")

    sup_rut = {}
    rut_sup = {}

    def supplier(name, rut, where):
        b = rut_body(rut, where)
        if b is None:
            return
        if sup_rut.setdefault(name, b) != b:
            err(f"{where}: supplier {name} with two RUTs")
        if rut_sup.setdefault(b, name) != name:
            err(f"{where}: RUT {b} used by two suppliers")

    sup_hist = defaultdict(Counter)
    oh_hist = 0
    for i, h in enumerate(data["history"]):
        w = f"{fname}:history[{i}]"
        if not typed(h, H_SPEC, w):
            continue
        supplier(h["supplier_name"], h["supplier_rut"], w)
        if h["project_id"] is None:
            oh_hist += 1
        elif h["project_id"] not in projects:
            err(f"{w}: unknown project {h['project_id']}")
        else:
            sup_hist[h["supplier_name"]][h["project_id"]] += 1
        for nk, owner in kw_owner.items():
            if nk in norm(h["description"]) and owner != h["project_id"]:
                err(f"{w}: carries keyword of project {owner}")
    if len(data["history"]) < 150:
        err(f"{fname}: only {len(data['history'])} history rows")
    if oh_hist:
        files_with_oh_history.append(fname)

    bills = data["bills"]
    if len(bills) < 160:
        err(f"{fname}: only {len(bills)} bills")
    total_bills += len(bills)
    tagcount = Counter()
    ids = set()
    n_oh = 0
    for i, b in enumerate(bills):
        w = f"{fname}:bill[{i}]"
        if not typed(b, B_SPEC, w):
            continue
        w = f"{fname}:{b['id']}"
        if not re.match(rf"^{prefix}\d{{3}}$", b["id"]) or b["id"] in ids:
            err(f"{w}: bad or duplicate id")
        ids.add(b["id"])
        supplier(b["supplier_name"], b["supplier_rut"], w)
        total = 0
        if not b["lines"]:
            err(f"{w}: no lines")
        for j, l in enumerate(b["lines"]):
            if typed(l, L_SPEC, f"{w}:line[{j}]"):
                total += l["quantity"] * l["unit_price"]
                if l["quantity"] <= 0 or l["unit_price"] <= 0:
                    err(f"{w}: non-positive line")
        if abs(total - b["amount"]) > 1e-6:
            err(f"{w}: amount {b['amount']} != {total}")
        d = is_date(b["issue_date"])
        if not d:
            err(f"{w}: bad issue_date")
        elif d > TODAY:
            err(f"{w}: issue date in the future")
        pid = b["expected_project_id"]
        tags = b["difficulty"]
        if not tags or not set(tags) <= TAGS or len(set(tags)) != len(tags):
            err(f"{w}: bad tags {tags}")
        if "plain" in tags and len(tags) > 1:
            err(f"{w}: plain combined with other tags")
        tagcount.update(set(tags))
        text = norm(" ".join([b["invoice_description"], b["purchase_order"]] +
                             [l.get("description", "") for l in b["lines"]]))
        carried = {owner for nk, owner in kw_owner.items() if nk in text}
        if pid is None:
            n_oh += 1
            if "overhead" not in tags:
                err(f"{w}: null project without overhead tag")
            if carried:
                err(f"{w}: overhead bill carries keyword of {carried}")
            continue
        if pid not in projects:
            err(f"{w}: unknown project {pid}")
            continue
        if "overhead" in tags:
            err(f"{w}: overhead tag on project bill")
        if carried - {pid}:
            err(f"{w}: carries keyword of another project {carried - {pid}}")
        if (pid in carried) != ("po-reference" in tags):
            err(f"{w}: po-reference tag does not match keyword presence")
        p = projects[pid]
        if d:
            lo = dt.date.fromisoformat(p["start_date"]) - dt.timedelta(days=31)
            hi = dt.date.fromisoformat(p["end_date"]) + dt.timedelta(days=62)
            if not lo <= d <= hi:
                err(f"{w}: issue date {d} outside project window")
        if "shared-supplier" in tags:
            c = sup_hist.get(b["supplier_name"], Counter())
            if len(c) < 2:
                err(f"{w}: shared-supplier but supplier has {len(c)} projects in history")
            elif c[pid] >= max(c.values()):
                err(f"{w}: shared-supplier but project {pid} is the supplier's most frequent")
        if "client-only" in tags:
            same = [q for q in projects.values() if q["client"] == p["client"]]
            if len(same) != 1:
                err(f"{w}: client-only but client has {len(same)} projects")
    n = len(bills)
    if n and n_oh / n < 0.18:
        err(f"{fname}: overhead share {n_oh / n:.1%} < 18%")
    for t, (lo, hi) in MIX.items():
        share = tagcount[t] / n if n else 0
        if not lo <= share <= hi:
            err(f"{fname}: tag {t} share {share:.1%} outside [{lo:.0%}, {hi:.0%}]")
    report.append((fname, len(projects), len(data["history"]), oh_hist, n, n_oh, tagcount))

if total_bills < 500:
    err(f"total bills {total_bills} < 500")
if len(files_with_oh_history) != 2:
    err(f"overhead history rows in {files_with_oh_history}, expected exactly two files")

order = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
         "client-only", "typo", "plain"]
print("| file | projects | history | overhead history | bills | overhead % | " + " | ".join(order) + " |")
print("|" + "---|" * (6 + len(order)))
for fname, np_, nh, noh, nb, nbo, tc in report:
    print(f"| {fname} | {np_} | {nh} | {noh} | {nb} | {100 * nbo / nb:.1f} | " +
          " | ".join(str(tc[t]) for t in order) + " |")
print(f"total bills: {total_bills}")
if errors:
    print(f"\n{len(errors)} violation(s):")
    for e in errors[:200]:
        print("  -", e)
    sys.exit(1)
print("OK")
