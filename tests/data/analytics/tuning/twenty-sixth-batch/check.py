#!/usr/bin/env python3
"""Re-checks every rule of the blind-v26 set from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
Standard library only.
"""
import datetime as dt
import json
import os
import re
import sys
import unicodedata
from collections import Counter

BASE = os.path.dirname(os.path.abspath(__file__))
FILES = [("roofing", 7201, "F"), ("tanks", 7301, "J"), ("tailings", 7401, "L")]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"]
G_START, G_END = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
MINIMA = {"plain": 15, "po-reference": 12, "not-most-frequent": 10, "typo": 6,
          "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}
CLIENT_STOP = {"SERVICIO", "LOCAL", "EDUCACION", "PUBLICA", "ILUSTRE",
               "MUNICIPALIDAD", "LTDA", "SPA", "DIVISION", "REGION", "REGIONAL",
               "DIRECCION", "NACIONAL", "COMPANIA", "EMPRESA", "SOCIEDAD",
               "CHILE", "SALUD", "DESDE", "OBRAS", "COMERCIAL", "MINERA",
               "CORPORACION", "AGRICOLA", "EMPRESAS", "INSTITUTO"}

errors = []


def err(company, msg):
    errors.append("%s: %s" % (company, msg))


def rut_ok(text):
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([0-9Kk])", text)
    if not m:
        return False
    body = m.group(1).replace(".", "")
    s, mul = 0, 2
    for ch in reversed(body):
        s += int(ch) * mul
        mul = 2 if mul == 7 else mul + 1
    r = 11 - s % 11
    dv = "0" if r == 11 else ("K" if r == 10 else str(r))
    return dv == m.group(2).upper()


def rut_key(text):
    return re.sub(r"[^0-9K]", "", text.upper())


def identifiers(keyword):
    out = []
    for tok in re.findall(r"[A-Za-z0-9][A-Za-z0-9\-./]*[A-Za-z0-9]", keyword):
        n = re.sub(r"[^A-Za-z0-9]", "", tok).upper()
        if sum(c.isdigit() for c in n) >= 5:
            out.append(n)
    return out


def norm(text):
    return re.sub(r"[^A-Za-z0-9]", "", text.upper())


def plain_upper(text):
    t = unicodedata.normalize("NFKD", text)
    return "".join(c for c in t if not unicodedata.combining(c)).upper()


def date_of(company, s, what):
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            raise ValueError
        return dt.date.fromisoformat(s)
    except (ValueError, TypeError):
        err(company, "%s: bad date %r" % (what, s))
        return None


def check_company(stem, first_id, prefix):
    path = os.path.join(BASE, "..", stem + ".json")
    if not os.path.exists(path):
        err(stem, "file missing")
        return None
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if set(data) != {"company", "projects", "history", "bills"}:
        err(stem, "top-level keys %s" % sorted(data))
        return None
    c = data["company"]
    if set(c) != {"name", "rut", "trade"}:
        err(stem, "company keys %s" % sorted(c))
    if not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[0-9K]", c.get("rut", "")) or not rut_ok(c["rut"]):
        err(stem, "company RUT invalid %r" % c.get("rut"))
    for k in ("name", "trade"):
        if not isinstance(c.get(k), str) or not c.get(k):
            err(stem, "company %s empty" % k)

    # ---------------- projects
    projects = data["projects"]
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords",
             "budget", "start_date", "end_date"}
    if len(projects) != 30:
        err(stem, "%d projects, want 30" % len(projects))
    pmap = {}
    for p in projects:
        if set(p) != pkeys:
            err(stem, "project keys %s" % sorted(p))
            continue
        if not isinstance(p["id"], int) or not first_id <= p["id"] <= first_id + 29:
            err(stem, "project id %r out of range" % p["id"])
        if p["id"] in pmap:
            err(stem, "duplicate project id %s" % p["id"])
        pmap[p["id"]] = p
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err(stem, "project %s %s empty" % (p["id"], k))
        if not re.fullmatch(r"[^,]+, Región (de |del |de la |Metropolitana ).+", p["location"]):
            err(stem, "project %s location format %r" % (p["id"], p["location"]))
        if not isinstance(p["budget"], int) or isinstance(p["budget"], bool) or p["budget"] <= 0:
            err(stem, "project %s budget" % p["id"])
        if not isinstance(p["keywords"], list) or not p["keywords"] or \
                not all(isinstance(k, str) and k for k in p["keywords"]):
            err(stem, "project %s keywords" % p["id"])
        s = date_of(stem, p["start_date"], "project %s start" % p["id"])
        e = date_of(stem, p["end_date"], "project %s end" % p["id"])
        if s and e and not (G_START <= s <= e <= G_END):
            err(stem, "project %s window %s..%s" % (p["id"], s, e))
    if sorted(pmap) != list(range(first_id, first_id + 30)):
        err(stem, "project ids are not %d..%d" % (first_id, first_id + 29))
    pids = {pid: set(i for k in p["keywords"] for i in identifiers(k)) for pid, p in pmap.items()}
    for pid, s in pids.items():
        if not s:
            err(stem, "project %s keywords carry no identifier" % pid)
    all_ids = [(i, pid) for pid, s in pids.items() for i in s]
    for i, a in all_ids:
        for j, b in all_ids:
            if a != b and i in j:
                err(stem, "identifier %s of %s is inside %s of %s" % (i, a, j, b))
    clients = Counter(p["client"] for p in pmap.values())

    def carried(text):
        n = norm(text)
        return {pid for pid, s in pids.items() for i in s if i in n}

    # ---------------- history
    hist = data["history"]
    hkeys = {"supplier_name", "supplier_rut", "description", "project_id"}
    hc = {}
    names = {}
    spellings = {}
    for n, h in enumerate(hist):
        if set(h) != hkeys:
            err(stem, "history %d keys %s" % (n, sorted(h)))
            continue
        if not rut_ok(h["supplier_rut"]):
            err(stem, "history %d RUT invalid %r" % (n, h["supplier_rut"]))
        if h["project_id"] is not None and h["project_id"] not in pmap:
            err(stem, "history %d project %r unknown" % (n, h["project_id"]))
        if not h["description"].strip() or not h["supplier_name"].strip():
            err(stem, "history %d empty text" % n)
        bad = carried(h["description"]) - {h["project_id"]}
        if bad:
            err(stem, "history %d carries identifier of %s" % (n, sorted(bad)))
        k = rut_key(h["supplier_rut"])
        hc.setdefault(k, Counter())[h["project_id"]] += 1
        names.setdefault(k, set()).add(h["supplier_name"])
        spellings.setdefault(k, set()).add(h["supplier_rut"])
    if len(hist) < 150:
        err(stem, "history has %d rows, want >= 150" % len(hist))
    hist_overhead = sum(1 for h in hist if h["project_id"] is None)

    # ---------------- bills
    bills = data["bills"]
    bkeys = {"id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"}
    lkeys = {"description", "quantity", "unit", "unit_price"}
    if not 170 <= len(bills) <= 190:
        err(stem, "%d bills, want 170-190" % len(bills))
    tagc = Counter()
    not_most = 0
    bill_sups = set()
    new_bills = 0
    for n, b in enumerate(bills, 1):
        if set(b) != bkeys:
            err(stem, "bill %d keys %s" % (n, sorted(b)))
            continue
        bid = b["id"]
        if bid != "%s%03d" % (prefix, n):
            err(stem, "bill %d id %r" % (n, bid))
        if not rut_ok(b["supplier_rut"]):
            err(stem, "%s RUT invalid %r" % (bid, b["supplier_rut"]))
        k = rut_key(b["supplier_rut"])
        if k == rut_key(c["rut"]):
            err(stem, "%s supplier is the company itself" % bid)
        names.setdefault(k, set()).add(b["supplier_name"])
        spellings.setdefault(k, set()).add(b["supplier_rut"])
        bill_sups.add(k)
        if k not in hc:
            new_bills += 1
        for f in ("supplier_name", "invoice_description"):
            if not isinstance(b[f], str) or not b[f].strip():
                err(stem, "%s %s empty" % (bid, f))
        if not isinstance(b["purchase_order"], str):
            err(stem, "%s purchase_order not str" % bid)
        if not isinstance(b["lines"], list) or not b["lines"]:
            err(stem, "%s no lines" % bid)
            continue
        total = 0
        for l in b["lines"]:
            if set(l) != lkeys:
                err(stem, "%s line keys %s" % (bid, sorted(l)))
                continue
            q, u = l["quantity"], l["unit_price"]
            if isinstance(q, bool) or not isinstance(q, (int, float)) or q <= 0:
                err(stem, "%s quantity %r" % (bid, q))
                continue
            if isinstance(u, bool) or not isinstance(u, int) or u <= 0:
                err(stem, "%s unit_price %r" % (bid, u))
                continue
            if not isinstance(l["unit"], str) or not l["unit"] or not l["description"].strip():
                err(stem, "%s line text/unit empty" % bid)
            total += q * u
        if not isinstance(b["amount"], int) or isinstance(b["amount"], bool) or abs(total - b["amount"]) > 1e-6:
            err(stem, "%s amount %r != %r" % (bid, b["amount"], total))
        pid = b["expected_project_id"]
        if pid is not None and pid not in pmap:
            err(stem, "%s expected project %r unknown" % (bid, pid))
            continue
        d = date_of(stem, b["issue_date"], bid)
        if d:
            lo, hi = (G_START, G_END) if pid is None else (
                dt.date.fromisoformat(pmap[pid]["start_date"]), dt.date.fromisoformat(pmap[pid]["end_date"]))
            if not lo <= d <= hi:
                err(stem, "%s date %s outside %s..%s" % (bid, d, lo, hi))
        tags = b["difficulty"]
        if not isinstance(tags, list) or not tags or len(set(tags)) != len(tags) or \
                not set(tags) <= set(TAGS):
            err(stem, "%s difficulty %r" % (bid, tags))
            continue
        ts = set(tags)
        tagc.update(ts)
        # overhead
        if ("overhead" in ts) != (pid is None):
            err(stem, "%s overhead tag vs expected %r" % (bid, pid))
        # po-reference and foreign identifiers
        text = " | ".join([b["purchase_order"], b["invoice_description"]] +
                          [l["description"] for l in b["lines"]])
        car = carried(text)
        if car - {pid}:
            err(stem, "%s carries identifier of other project %s" % (bid, sorted(car - {pid})))
        want_po = pid is not None and pid in car
        if ("po-reference" in ts) != want_po:
            err(stem, "%s po-reference tag %s but rule says %s" % (bid, "po-reference" in ts, want_po))
        # shared-supplier
        hcount = hc.get(k)
        want_sh = bool(hcount) and len(hcount) >= 2 and hcount[pid] < max(hcount.values())
        if ("shared-supplier" in ts) != want_sh:
            err(stem, "%s shared-supplier tag %s but rule says %s" % (bid, "shared-supplier" in ts, want_sh))
        if hcount and hcount[pid] < max(hcount.values()):
            not_most += 1
        # client-only
        if "client-only" in ts:
            if pid is None:
                err(stem, "%s client-only on overhead bill" % bid)
            else:
                cl = pmap[pid]["client"]
                if clients[cl] != 1:
                    err(stem, "%s client-only but client %r has %d projects" % (bid, cl, clients[cl]))
                words = [w for w in re.findall(r"[A-Z]{4,}", plain_upper(cl)) if w not in CLIENT_STOP]
                btxt = plain_upper(text)
                if not any(w in btxt for w in words):
                    err(stem, "%s client-only but client %r not named" % (bid, cl))
        # plain
        if ("plain" in ts) != (ts == {"plain"} or not (ts - {"plain"})):
            err(stem, "%s plain tag inconsistent %r" % (bid, tags))
        if "plain" in ts and len(ts) > 1:
            err(stem, "%s plain with other tags" % bid)
    for k, v in names.items():
        if len(v) > 1:
            err(stem, "RUT %s used with several names %s" % (k, sorted(v)))

    nb = len(bills)
    oh = tagc["overhead"]
    if nb and not 0.20 <= oh / nb <= 0.23:
        err(stem, "overhead share %.3f outside 20-23%%" % (oh / nb))
    counts = dict(tagc)
    counts["not-most-frequent"] = not_most
    for t, mn in MINIMA.items():
        if counts.get(t, 0) < mn:
            err(stem, "%s count %d < %d" % (t, counts.get(t, 0), mn))
    new_sups = [k for k in bill_sups if k not in hc]
    frac = len(new_sups) / len(bill_sups) if bill_sups else 0
    if not 0.30 <= frac <= 0.45:
        err(stem, "new-supplier share %.3f outside 30-45%%" % frac)
    varied = sum(1 for v in spellings.values() if len(v) > 1)
    if varied < 10:
        err(stem, "only %d suppliers with varied RUT spellings" % varied)
    return {
        "projects": len(projects), "history": len(hist), "history overhead": hist_overhead,
        "bills": nb, "overhead": oh, "overhead %": "%.1f" % (100.0 * oh / nb if nb else 0),
        "plain": counts.get("plain", 0), "po-reference": counts.get("po-reference", 0),
        "not-most-frequent": not_most, "typo": counts.get("typo", 0),
        "place-variant": counts.get("place-variant", 0),
        "trade-vocabulary": counts.get("trade-vocabulary", 0),
        "client-only": counts.get("client-only", 0),
        "shared-supplier": counts.get("shared-supplier", 0),
        "bill suppliers": len(bill_sups),
        "new suppliers": "%d (%.1f%%)" % (len(new_sups), 100.0 * frac),
        "bills by new suppliers": "%d (%.1f%%)" % (new_bills, 100.0 * new_bills / nb if nb else 0),
        "RUTs spelled 2+ ways": varied,
    }


def main():
    results = {}
    for stem, first, prefix in FILES:
        r = check_company(stem, first, prefix)
        if r:
            results[stem] = r
    # exactly one company without overhead history, the others 15-25
    if len(results) == 3:
        zero = [s for s, r in results.items() if r["history overhead"] == 0]
        if len(zero) != 1:
            errors.append("want exactly one company with no overhead history, got %s" % zero)
        for s, r in results.items():
            if s not in zero and not 15 <= r["history overhead"] <= 25:
                errors.append("%s: history overhead rows %d outside 15-25" % (s, r["history overhead"]))
    if results:
        rows = list(next(iter(results.values())).keys())
        stems = list(results)
        w = max(len(r) for r in rows) + 2
        print("| %s | %s |" % ("count".ljust(w), " | ".join(s.ljust(14) for s in stems)))
        print("|%s|%s|" % ("-" * (w + 2), "|".join("-" * 16 for _ in stems)))
        for r in rows:
            print("| %s | %s |" % (r.ljust(w), " | ".join(str(results[s][r]).ljust(14) for s in stems)))
    if errors:
        print("\n%d violation(s):" % len(errors))
        for e in errors:
            print("  -", e)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
