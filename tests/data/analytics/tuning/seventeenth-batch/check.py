#!/usr/bin/env python3
"""Re-check every rule of the blind evaluation set v17 from the three JSON files alone.

Prints a counts table and exits 1 on any violation.  Standard library only.
"""
import datetime as dt
import json
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.abspath(__file__))
FILES = [("fluvial.json", "D", range(4501, 4531)),
         ("geosynthetics.json", "G", range(4601, 4631)),
         ("boilers.json", "K", range(4701, 4731))]
OVERHEAD_FROM, OVERHEAD_TO = dt.date(2025, 1, 6), dt.date(2026, 12, 6)
RULE_TAGS = {"overhead", "po-reference", "shared-supplier", "plain"}
HAND_TAGS = {"place-variant", "trade-vocabulary", "client-only", "typo"}
TOP_KEYS = ["company", "projects", "history", "bills"]
COMPANY_KEYS = ["name", "rut", "trade"]
PROJECT_KEYS = ["id", "name", "code", "client", "location", "description", "keywords",
                "budget", "start_date", "end_date"]
HISTORY_KEYS = ["supplier_name", "supplier_rut", "description", "project_id"]
BILL_KEYS = ["id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"]
LINE_KEYS = ["description", "quantity", "unit", "unit_price"]
CLIENT_STOP = {"ilustre", "municipalidad", "direccion", "region", "sociedad", "limitada",
               "ltda", "compania", "empresa", "general", "servicios", "obras"}

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def rut_dv(body):
    total, factor = 0, 2
    for ch in reversed(body):
        total += int(ch) * factor
        factor = factor + 1 if factor < 7 else 2
    r = 11 - total % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


DOTTED = re.compile(r"^\d{1,2}\.\d{3}\.\d{3}-[0-9K]$")
PLAIN = re.compile(r"^\d{7,8}-[0-9K]$")


def rut_ok(r, where, need_dotted=False):
    if DOTTED.match(r):
        spelling = "dotted"
    elif PLAIN.match(r) and not need_dotted:
        spelling = "plain"
    else:
        err(where, f"badly written RUT {r!r}")
        return None, None
    body, dv = r.replace(".", "").split("-")
    if rut_dv(body) != dv:
        err(where, f"RUT {r} has a wrong check digit (should be {rut_dv(body)})")
    return body + "-" + dv, spelling


def norm(s):
    s = unicodedata.normalize("NFKD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c))


def date(s, where):
    try:
        return dt.date.fromisoformat(s)
    except (TypeError, ValueError):
        err(where, f"bad date {s!r}")
        return None


def bill_text(b):
    return " ".join([b["invoice_description"]] + [l["description"] for l in b["lines"]]
                    + [b["purchase_order"]])


def check_file(fname, prefix, ids):
    path = os.path.join(ROOT, "..", fname)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    W = fname
    if list(data) != TOP_KEYS:
        err(W, f"top-level keys {list(data)}")
    comp = data["company"]
    if list(comp) != COMPANY_KEYS:
        err(W, f"company keys {list(comp)}")
    rut_ok(comp["rut"], W + " company", need_dotted=True)

    # ---------------- projects
    projects = data["projects"]
    if len(projects) != 30:
        err(W, f"{len(projects)} projects, need exactly 30")
    P = {}
    for p in projects:
        w = f"{W} project {p.get('id')}"
        if list(p) != PROJECT_KEYS:
            err(w, f"keys {list(p)}")
            continue
        if p["id"] not in ids:
            err(w, "id out of range")
        if p["id"] in P:
            err(w, "duplicate id")
        P[p["id"]] = p
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err(w, f"empty {k}")
        if not re.match(r"^[^,]+, Región (de|del) \S.*$", p["location"]):
            err(w, f"location {p['location']!r} not '<Commune>, Región de/del <Region>'")
        if not (isinstance(p["keywords"], list) and len(p["keywords"]) == 1
                and isinstance(p["keywords"][0], str) and p["keywords"][0].strip()):
            err(w, "keywords must be a list of exactly one string")
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(w, "budget must be a positive int")
        s, e = date(p["start_date"], w), date(p["end_date"], w)
        if s and e and s >= e:
            err(w, "start_date not before end_date")
    codes = Counter(p["code"].lower() for p in projects)
    for c, n in codes.items():
        if n > 1:
            err(W, f"code {c} used {n} times")
    for p in projects:
        marks = [p["code"].lower(), p["keywords"][0].lower()]
        for q in projects:
            if q is p:
                continue
            fields = [q["name"], q["code"], q["client"], q["location"], q["description"],
                      q["keywords"][0]]
            for m in marks:
                for f in fields:
                    if m in f.lower():
                        err(W, f"code/keyword {m!r} of {p['id']} appears in project {q['id']}")
    clients = Counter(p["client"] for p in projects)

    # ---------------- suppliers / RUTs
    name_rut, rut_name = defaultdict(set), defaultdict(set)
    spellings = Counter()

    def seen(name, r, where):
        key, sp = rut_ok(r, where)
        if key:
            name_rut[name].add(key)
            rut_name[key].add(name)
            spellings[sp] += 1

    # ---------------- history
    hist = data["history"]
    served = defaultdict(Counter)
    for i, h in enumerate(hist):
        w = f"{W} history[{i}]"
        if list(h) != HISTORY_KEYS:
            err(w, f"keys {list(h)}")
            continue
        seen(h["supplier_name"], h["supplier_rut"], w)
        if h["project_id"] is not None and h["project_id"] not in P:
            err(w, f"unknown project {h['project_id']}")
        if not h["description"].strip():
            err(w, "empty description")
        served[h["supplier_name"]][h["project_id"]] += 1
        low = h["description"].lower()
        for q in projects:
            if q["id"] != h["project_id"] and (q["code"].lower() in low
                                               or q["keywords"][0].lower() in low):
                err(w, f"names the code/keyword of project {q['id']}")
    if len(hist) < 150:
        err(W, f"only {len(hist)} history rows")
    hist_overhead = sum(1 for h in hist if h["project_id"] is None)
    multi = [s for s, c in served.items() if len([k for k in c if k is not None]) >= 2]
    if len(multi) < 3:
        err(W, f"only {len(multi)} suppliers serve several projects in history")

    # ---------------- bills
    bills = data["bills"]
    tagc = Counter()
    not_top = 0
    bill_sups = set()
    for i, b in enumerate(bills):
        w = f"{W} bill {b.get('id', i)}"
        if list(b) != BILL_KEYS:
            err(w, f"keys {list(b)}")
            continue
        if b["id"] != f"{prefix}{i + 1:03d}":
            err(w, f"id should be {prefix}{i + 1:03d}")
        seen(b["supplier_name"], b["supplier_rut"], w)
        bill_sups.add(b["supplier_name"])
        if not b["lines"]:
            err(w, "no lines")
        total = 0
        for l in b["lines"]:
            if list(l) != LINE_KEYS:
                err(w, f"line keys {list(l)}")
                continue
            q, up = l["quantity"], l["unit_price"]
            if isinstance(q, bool) or not isinstance(q, (int, float)) or q <= 0:
                err(w, f"bad quantity {q!r}")
                continue
            if not isinstance(up, int) or isinstance(up, bool) or up <= 0:
                err(w, f"bad unit_price {up!r}")
                continue
            total += q * up
        if not isinstance(b["amount"], int) or abs(total - b["amount"]) > 1e-6:
            err(w, f"amount {b['amount']} != sum of lines {total}")
        pid = b["expected_project_id"]
        day = date(b["issue_date"], w)
        if pid is None:
            if day and not OVERHEAD_FROM <= day <= OVERHEAD_TO:
                err(w, f"overhead bill dated {day}")
        elif pid not in P:
            err(w, f"unknown project {pid}")
            continue
        else:
            p = P[pid]
            if day and not (dt.date.fromisoformat(p["start_date"]) <= day
                            <= dt.date.fromisoformat(p["end_date"])):
                err(w, f"date {day} outside project {pid} window")
        if day and day > OVERHEAD_TO:
            err(w, f"dated after {OVERHEAD_TO}")
        text = bill_text(b).lower()
        everything = " ".join([text, b["supplier_name"].lower()])
        for q in projects:
            if q["id"] != pid and (q["code"].lower() in everything
                                   or q["keywords"][0].lower() in everything):
                err(w, f"contains the code/keyword of project {q['id']}")
        # rule tags
        tags = b["difficulty"]
        if not isinstance(tags, list) or len(set(tags)) != len(tags):
            err(w, f"bad difficulty {tags!r}")
            continue
        unknown = set(tags) - RULE_TAGS - HAND_TAGS
        if unknown:
            err(w, f"unknown tags {unknown}")
        want = set()
        if pid is None:
            want.add("overhead")
        elif P[pid]["keywords"][0].lower() in text or P[pid]["code"].lower() in text:
            want.add("po-reference")
        if len(served.get(b["supplier_name"], {})) >= 2:
            want.add("shared-supplier")
        hand = set(tags) & HAND_TAGS
        if not want and not hand:
            want.add("plain")
        if set(tags) & RULE_TAGS != want:
            err(w, f"rule tags {sorted(set(tags) & RULE_TAGS)} should be {sorted(want)}")
        if pid is None and hand - {"typo"}:
            err(w, f"hand tags {sorted(hand)} on an overhead bill")
        if "client-only" in hand and pid is not None:
            client = P[pid]["client"]
            if clients[client] != 1:
                err(w, f"client-only but client {client!r} has {clients[client]} projects")
            words = [t for t in re.findall(r"[a-z0-9]+", norm(client))
                     if len(t) >= 5 and t not in CLIENT_STOP]
            if not any(t in norm(text) for t in words):
                err(w, f"client-only but no word of {client!r} in the bill")
        tagc.update(tags)
        # supplier's most-served project in history
        if pid is not None and b["supplier_name"] in served:
            c = served[b["supplier_name"]]
            top = max(c.values())
            if c.get(pid, 0) != top:
                not_top += 1

    for name, rs in name_rut.items():
        if len(rs) > 1:
            err(W, f"supplier {name!r} has several RUTs {sorted(rs)}")
    for r, names in rut_name.items():
        if len(names) > 1:
            err(W, f"RUT {r} used by several names {sorted(names)}")
    if not spellings["dotted"] or not spellings["plain"]:
        err(W, f"RUTs must be written in both spellings, got {dict(spellings)}")

    n = len(bills)
    overhead = tagc["overhead"]
    new = len([s for s in bill_sups if s not in served])
    new_pct = 100.0 * new / len(bill_sups) if bill_sups else 0
    if n < 165:
        err(W, f"only {n} bills")
    if overhead < 0.18 * n:
        err(W, f"overhead {overhead}/{n} below 18 %")
    if not 35.0 <= new_pct <= 50.0:
        err(W, f"new suppliers {new_pct:.1f} % outside 35-50 %")
    if not_top < 10:
        err(W, f"only {not_top} bills go to a project other than the supplier's top one")
    for tag, least in (("plain", 15), ("po-reference", 12), ("typo", 6)):
        if tagc[tag] < least:
            err(W, f"only {tagc[tag]} {tag} bills (need {least})")
    return {"file": fname, "projects": len(projects), "history": len(hist),
            "hist overhead": hist_overhead, "bills": n, "overhead": overhead,
            "overhead %": f"{100.0 * overhead / n:.1f}", "po-reference": tagc["po-reference"],
            "plain": tagc["plain"], "shared-supplier": tagc["shared-supplier"],
            "place-variant": tagc["place-variant"], "trade-vocabulary": tagc["trade-vocabulary"],
            "client-only": tagc["client-only"], "typo": tagc["typo"],
            "bill suppliers": len(bill_sups), "new suppliers": new, "new %": f"{new_pct:.1f}",
            "multi-project suppliers": len(multi), "bills not to top project": not_top}


def main():
    rows = []
    for fname, prefix, ids in FILES:
        if not os.path.exists(os.path.join(ROOT, "..", fname)):
            err(fname, "missing")
            continue
        rows.append(check_file(fname, prefix, ids))
    if rows:
        with_oh = [r["file"] for r in rows if r["hist overhead"] > 0]
        if len(rows) == 3 and len(with_oh) != 2:
            err("all", f"overhead history must be in exactly two files, found in {with_oh}")
        total = sum(r["bills"] for r in rows)
        if total < 500:
            err("all", f"only {total} bills in all")
        cols = list(rows[0])
        width = max(len(c) for c in cols)
        print("| " + "metric".ljust(width) + " | " + " | ".join(r["file"] for r in rows) + " |")
        print("|" + "-" * (width + 2) + "|" + "|".join("-" * (len(r["file"]) + 2) for r in rows)
              + "|")
        for c in cols[1:]:
            print("| " + c.ljust(width) + " | "
                  + " | ".join(str(r[c]).rjust(len(r["file"])) for r in rows) + " |")
        print(f"total bills: {total}")
    if errors:
        print(f"\n{len(errors)} violation(s):")
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("all checks passed")


if __name__ == "__main__":
    main()
