#!/usr/bin/env python3
"""Re-checks every rule of the blind-v37 set from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
Standard library only.
"""
import datetime
import json
import os
import re
import sys
import unicodedata
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("archaeology.json", 10501, "K"), ("sludge.json", 10601, "R"),
         ("pivots.json", 10701, "T")]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"]
LO, HI = datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)
CLIENT_STOP = {"SOCIEDAD", "LIMITADA", "LTDA", "AGRICOLA", "COMERCIAL", "SERVICIOS",
               "EMPRESA", "CHILE", "INVERSIONES", "REGION", "SPA", "COMPANIA",
               "ENERGIA", "INMOBILIARIA", "MINERA", "GANADERA", "FORESTAL",
               "SANITARIA", "AGUAS", "PLANTA", "ALIMENTOS", "LECHERA", "SEMILLAS",
               "FRUTICOLA", "DIRECCION", "OBRAS", "PUBLICAS", "SERVICIO", "HOLDING"}
MIN = {"plain": 15, "po-reference": 12, "not-mode": 10, "typo": 6,
       "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}

errors = []


def err(msg):
    errors.append(msg)


def strip_acc(text):
    t = unicodedata.normalize("NFKD", text)
    return "".join(c for c in t if not unicodedata.combining(c)).upper()


def norm(text):
    return re.sub(r"[^A-Z0-9]", "", strip_acc(text))


def words(text):
    return set(re.findall(r"[A-Z0-9]+", strip_acc(text)))


def rut_ok(rut):
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([\dkK])", rut)
    if not m:
        return None
    body = m.group(1).replace(".", "")
    s, f = 0, 2
    for d in reversed(body):
        s += int(d) * f
        f = 2 if f == 7 else f + 1
    r = 11 - s % 11
    want = "0" if r == 11 else ("K" if r == 10 else str(r))
    return body if m.group(2).upper() == want else None


def ident(keyword):
    toks = keyword.split()
    for i, t in enumerate(toks):
        if re.search(r"\d", t):
            return norm("".join(toks[i:]))
    return ""


def date_of(s, where):
    try:
        return datetime.date.fromisoformat(s)
    except (TypeError, ValueError):
        err("%s: bad date %r" % (where, s))
        return None


def check_file(fname, base, prefix):
    tag = fname
    path = os.path.join(HERE, "..", fname)
    if not os.path.exists(path):
        err(fname + ": missing")
        return None
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if set(data) != {"company", "projects", "history", "bills"}:
        err(tag + ": top-level keys")
    c = data["company"]
    if set(c) != {"name", "rut", "trade"} or not rut_ok(c["rut"]) or \
            not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[\dK]", c["rut"]):
        err(tag + ": company block / rut")

    # projects
    P = data["projects"]
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords",
             "budget", "start_date", "end_date"}
    if len(P) != 30:
        err(tag + ": need exactly 30 projects, got %d" % len(P))
    if sorted(p["id"] for p in P) != list(range(base, base + 30)):
        err(tag + ": project ids not %d..%d" % (base, base + 29))
    by_id, idents, seen_ids = {}, {}, {}
    for p in P:
        w = "%s project %s" % (tag, p.get("id"))
        if set(p) != pkeys:
            err(w + ": keys")
            continue
        by_id[p["id"]] = p
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err(w + ": empty " + k)
        if not re.fullmatch(r"[^,]+, Región (de |del |Metropolitana de Santiago$).*",
                            p["location"]):
            err(w + ": location format " + p["location"])
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(w + ": budget")
        s, e = date_of(p["start_date"], w), date_of(p["end_date"], w)
        if s and e and not (LO <= s <= e <= HI):
            err(w + ": dates")
        if not isinstance(p["keywords"], list) or not p["keywords"]:
            err(w + ": keywords")
        idents[p["id"]] = []
        for k in p["keywords"]:
            i = ident(k)
            if len(i) < 6 or sum(ch.isdigit() for ch in i) < 4:
                err(w + ": keyword without a usable identifier: " + k)
            idents[p["id"]].append(i)
            if i in seen_ids:
                err(w + ": identifier shared with project %s" % seen_ids[i])
            seen_ids[i] = p["id"]
    for a in seen_ids:
        for b in seen_ids:
            if a != b and a in b:
                err(tag + ": identifier %s inside %s" % (a, b))
    for k in ("code", "name"):
        vals = [p[k] for p in P]
        if len(set(vals)) != len(vals):
            err(tag + ": duplicate project " + k)

    # history
    H = data["history"]
    if len(H) < 150:
        err(tag + ": history has %d rows (<150)" % len(H))
    names_by_rut = {}
    hist = {}
    for j, h in enumerate(H):
        w = "%s history[%d]" % (tag, j)
        if set(h) != {"supplier_name", "supplier_rut", "description", "project_id"}:
            err(w + ": keys")
            continue
        body = rut_ok(h["supplier_rut"])
        if not body:
            err(w + ": bad RUT " + h["supplier_rut"])
            continue
        if h["project_id"] is not None and h["project_id"] not in by_id:
            err(w + ": unknown project")
        if not h["description"].strip():
            err(w + ": empty description")
        names_by_rut.setdefault(body, set()).add(h["supplier_name"])
        hist.setdefault(body, {})
        hist[body][h["project_id"]] = hist[body].get(h["project_id"], 0) + 1
    hist_overhead = sum(1 for h in H if h.get("project_id") is None)

    # bills
    B = data["bills"]
    if not 170 <= len(B) <= 190:
        err(tag + ": %d bills (need 170-190)" % len(B))
    bkeys = {"id", "supplier_name", "supplier_rut", "invoice_description", "lines",
             "amount", "issue_date", "purchase_order", "expected_project_id",
             "difficulty"}
    cnt = {t: 0 for t in TAGS}
    cnt["not-mode"] = 0
    bill_sups, new_sups, spellings = set(), set(), {}
    seen_text = set()
    for n, b in enumerate(B, 1):
        w = "%s bill %s" % (tag, b.get("id"))
        if set(b) != bkeys:
            err(w + ": keys")
            continue
        if b["id"] != "%s%03d" % (prefix, n):
            err(w + ": id sequence")
        body = rut_ok(b["supplier_rut"])
        if not body:
            err(w + ": bad RUT " + b["supplier_rut"])
            continue
        spellings.setdefault(body, set()).add(b["supplier_rut"])
        names_by_rut.setdefault(body, set()).add(b["supplier_name"])
        bill_sups.add(body)
        if body not in hist:
            new_sups.add(body)
        pid = b["expected_project_id"]
        if pid is not None and pid not in by_id:
            err(w + ": unknown project")
            continue
        if not b["lines"]:
            err(w + ": no lines")
        total = Decimal(0)
        for l in b["lines"]:
            if set(l) != {"description", "quantity", "unit", "unit_price"} or \
                    not isinstance(l["unit_price"], int) or l["unit_price"] <= 0 or \
                    isinstance(l["quantity"], bool) or \
                    not isinstance(l["quantity"], (int, float)) or l["quantity"] <= 0 or \
                    not l["description"].strip() or not l["unit"].strip():
                err(w + ": bad line %r" % (l,))
                continue
            total += Decimal(str(l["quantity"])) * l["unit_price"]
        if not isinstance(b["amount"], int) or Decimal(b["amount"]) != total:
            err(w + ": amount %r != %s" % (b["amount"], total))
        d = date_of(b["issue_date"], w)
        if d:
            if pid is None:
                ok = LO <= d <= HI
            else:
                ok = (datetime.date.fromisoformat(by_id[pid]["start_date"]) <= d <=
                      datetime.date.fromisoformat(by_id[pid]["end_date"]))
            if not ok:
                err(w + ": issue_date outside window")
        tags = b["difficulty"]
        if not isinstance(tags, list) or not tags or len(set(tags)) != len(tags) or \
                any(t not in TAGS for t in tags):
            err(w + ": bad difficulty %r" % (tags,))
            continue
        key = (body, b["amount"], norm(b["invoice_description"] + "|".join(
            l["description"] for l in b["lines"])))
        if key in seen_text:
            err(w + ": duplicate bill text")
        seen_text.add(key)
        # rules
        if ("overhead" in tags) != (pid is None):
            err(w + ": overhead tag mismatch")
        hc = hist.get(body, {})
        shared = len(hc) >= 2 and hc.get(pid, 0) < max(hc.values())
        if ("shared-supplier" in tags) != shared:
            err(w + ": shared-supplier tag mismatch")
        if hc and hc.get(pid, 0) < max(hc.values()):
            cnt["not-mode"] += 1
        text = norm(" ".join([b["purchase_order"], b["invoice_description"]] +
                             [l["description"] for l in b["lines"]]))
        po = False
        for p2, ids2 in idents.items():
            if any(i in text for i in ids2):
                if p2 == pid:
                    po = True
                else:
                    err(w + ": carries identifier of project %d" % p2)
        if ("po-reference" in tags) != po:
            err(w + ": po-reference tag mismatch")
        if "client-only" in tags:
            if pid is None:
                err(w + ": client-only on overhead")
            else:
                cl = by_id[pid]["client"]
                if sum(1 for p in P if p["client"] == cl) != 1:
                    err(w + ": client-only but client has several projects")
                cw = {x for x in words(cl) if len(x) >= 4 and x not in CLIENT_STOP}
                bw = words(b["purchase_order"] + " " + b["invoice_description"] + " " +
                           " ".join(l["description"] for l in b["lines"]))
                if not cw & bw:
                    err(w + ": client-only but client not named")
        others = [t for t in tags if t != "plain"]
        if ("plain" in tags) == bool(others):
            err(w + ": plain tag mismatch")
        for t in tags:
            cnt[t] += 1
    for body, names in names_by_rut.items():
        if len(names) > 1:
            err(tag + ": RUT %s has several names %s" % (body, sorted(names)))
    nb = len(B)
    oh = cnt["overhead"] / nb if nb else 0
    if not 0.20 <= oh <= 0.23:
        err(tag + ": overhead share %.3f" % oh)
    for k, v in MIN.items():
        if cnt[k] < v:
            err(tag + ": %s = %d < %d" % (k, cnt[k], v))
    newr = len(new_sups) / len(bill_sups) if bill_sups else 0
    if not 0.30 <= newr <= 0.45:
        err(tag + ": new supplier share %.3f" % newr)
    if not any(len(s) > 1 for s in spellings.values()):
        err(tag + ": no supplier RUT spelled in varied ways")
    return {"file": fname, "projects": len(P), "history": len(H),
            "hist_overhead": hist_overhead, "bills": nb,
            "overhead": cnt["overhead"], "overhead_pct": 100.0 * oh,
            "bill_suppliers": len(bill_sups), "new_suppliers": len(new_sups),
            "new_pct": 100.0 * newr, "cnt": cnt}


def main():
    rows = []
    for f, base, prefix in FILES:
        r = check_file(f, base, prefix)
        if r:
            rows.append(r)
    if len(rows) == 3:
        zero = [r for r in rows if r["hist_overhead"] == 0]
        rest = [r for r in rows if r["hist_overhead"] != 0]
        if len(zero) != 1:
            err("exactly one company must have no overhead history rows")
        for r in rest:
            if not 15 <= r["hist_overhead"] <= 25:
                err(r["file"] + ": overhead history rows %d not in 15-25" % r["hist_overhead"])
    cols = ["file", "projects", "history", "hist_oh", "bills", "overhead", "oh_%",
            "sup", "new_sup", "new_%"] + ["place-variant", "trade-vocabulary",
            "shared-supplier", "po-reference", "client-only", "typo", "plain",
            "not-mode"]
    short = {"place-variant": "place", "trade-vocabulary": "trade",
             "shared-supplier": "shared", "po-reference": "po",
             "client-only": "client", "typo": "typo", "plain": "plain",
             "not-mode": "not_mode"}
    head = [short.get(c, c) for c in cols]
    table = []
    for r in rows:
        table.append([r["file"], r["projects"], r["history"], r["hist_overhead"],
                      r["bills"], r["overhead"], "%.1f" % r["overhead_pct"],
                      r["bill_suppliers"], r["new_suppliers"], "%.1f" % r["new_pct"]] +
                     [r["cnt"][c] for c in cols[10:]])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *table)]
    print(" | ".join(str(h).ljust(wd) for h, wd in zip(head, widths)))
    print("-+-".join("-" * wd for wd in widths))
    for t in table:
        print(" | ".join(str(x).ljust(wd) for x, wd in zip(t, widths)))
    if errors:
        print("\n%d violation(s):" % len(errors))
        for e in errors:
            print("  - " + e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
