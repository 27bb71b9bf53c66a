#!/usr/bin/env python3
"""Re-check every rule of the blind-v30 set from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
Standard library only.
"""
import json
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("pulpmill.json", "C", 8401), ("dredging.json", "D", 8501), ("lighting.json", "G", 8601)]
TAGS = {"overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"}
MIN_COUNTS = {"plain": 15, "po-reference": 12, "not-mode": 10, "typo": 6,
              "place-variant": 25, "trade-vocabulary": 20, "client-only": 4}
D_MIN, D_MAX = date(2025, 1, 1), date(2026, 12, 31)
GENERIC_CLIENT_WORDS = {"ILUSTRE", "MUNICIPALIDAD", "EMPRESA", "PORTUARIA", "SOCIEDAD",
                        "CHILE", "REGION", "DIRECCION", "MINISTERIO", "OBRAS",
                        "PUBLICAS", "SERVICIO", "GOBIERNO", "REGIONAL", "LIMITADA",
                        "LTDA", "SPA", "DEL", "LOS", "LAS", "PARA"}

errors = []


def err(msg):
    errors.append(msg)


def norm(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", s.upper())


def words(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).upper()
    return set(re.findall(r"[A-Z0-9]+", s))


KW_PREFIX = re.compile(
    r"^\s*(OC|O\.C\.|ORDEN DE COMPRA|PEDIDO|CONTRATO|LICITACI[OÓ]N|ID|OS|OT)\b[\s\-:N°º\.]*",
    re.IGNORECASE)


def keyword_id(kw):
    return norm(KW_PREFIX.sub("", kw))


def rut_parse(s):
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([0-9Kk])", s)
    if not m:
        return None
    num = int(m.group(1).replace(".", ""))
    return num, m.group(2).upper()


def rut_dv(num):
    t, m = 0, 2
    for d in reversed(str(num)):
        t += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - (t % 11)
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def rut_ok(s):
    p = rut_parse(s)
    return p is not None and rut_dv(p[0]) == p[1]


def rut_key(s):
    p = rut_parse(s)
    return "%d-%s" % p if p else s


def is_date(s):
    try:
        return date.fromisoformat(s)
    except (TypeError, ValueError):
        return None


def check_company(fname, prefix, first_id):
    path = os.path.join(HERE, "..", fname)
    tag = fname.split(".")[0]
    if not os.path.exists(path):
        err("%s: missing" % fname)
        return None
    with open(path, encoding="utf-8") as fh:
        raw = fh.read()
    data = json.loads(raw)
    if not isinstance(data, dict) or set(data) != {"company", "projects", "history", "bills"}:
        err("%s: top-level keys must be company, projects, history, bills" % tag)
        return None

    # company
    c = data["company"]
    if set(c) != {"name", "rut", "trade"}:
        err("%s: company keys" % tag)
    if not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[0-9K]", c.get("rut", "")) or not rut_ok(c.get("rut", "")):
        err("%s: company rut %r" % (tag, c.get("rut")))
    for k in ("name", "trade"):
        if not isinstance(c.get(k), str) or not c.get(k):
            err("%s: company %s" % (tag, k))

    # projects
    P = data["projects"]
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords",
             "budget", "start_date", "end_date"}
    if len(P) != 30:
        err("%s: %d projects, need 30" % (tag, len(P)))
    pids = [p.get("id") for p in P]
    if sorted(pids) != list(range(first_id, first_id + 30)):
        err("%s: project ids must be %d..%d" % (tag, first_id, first_id + 29))
    pmap = {}
    for p in P:
        if set(p) != pkeys:
            err("%s: project %s keys %s" % (tag, p.get("id"), sorted(set(p) ^ pkeys)))
            continue
        pmap[p["id"]] = p
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err("%s: project %s empty %s" % (tag, p["id"], k))
        if not re.fullmatch(r"[^,]+, Región (de |del |de la |de los |Metropolitana)[^,]*", p["location"]):
            err("%s: project %s location %r" % (tag, p["id"], p["location"]))
        if not (isinstance(p["budget"], int) and not isinstance(p["budget"], bool) and p["budget"] > 0):
            err("%s: project %s budget" % (tag, p["id"]))
        sd, ed = is_date(p["start_date"]), is_date(p["end_date"])
        if not sd or not ed or not (D_MIN <= sd <= ed <= D_MAX):
            err("%s: project %s dates" % (tag, p["id"]))
        if not (isinstance(p["keywords"], list) and p["keywords"] and
                all(isinstance(k, str) and k.strip() for k in p["keywords"])):
            err("%s: project %s keywords" % (tag, p["id"]))
    for k in ("name", "code"):
        cnt = Counter(p.get(k) for p in P)
        dup = [v for v, n in cnt.items() if n > 1]
        if dup:
            err("%s: duplicate project %s %s" % (tag, k, dup))
    kw_ids = {pid: [keyword_id(k) for k in p["keywords"]] for pid, p in pmap.items()}
    allk = [(k, pid) for pid, ks in kw_ids.items() for k in ks]
    for k, pid in allk:
        if len(k) < 6:
            err("%s: keyword id %r of %s too short" % (tag, k, pid))
        for k2, pid2 in allk:
            if (k2, pid2) != (k, pid) and k in k2:
                err("%s: keyword id %r (%s) inside %r (%s)" % (tag, k, pid, k2, pid2))
    clients = Counter(p["client"] for p in pmap.values())

    def carried(fields):
        nf = [norm(f) for f in fields]
        return {pid for pid, ks in kw_ids.items() for k in ks if any(k in f for f in nf)}

    # history
    H = data["history"]
    hkeys = {"supplier_name", "supplier_rut", "description", "project_id"}
    if len(H) < 150:
        err("%s: history has %d rows (<150)" % (tag, len(H)))
    hist = defaultdict(Counter)
    names_by_rut = defaultdict(set)
    spellings = defaultdict(set)
    for i, h in enumerate(H):
        if set(h) != hkeys:
            err("%s: history %d keys" % (tag, i))
            continue
        if not rut_ok(h["supplier_rut"]):
            err("%s: history %d bad rut %r" % (tag, i, h["supplier_rut"]))
        pid = h["project_id"]
        if pid is not None and pid not in pmap:
            err("%s: history %d project %r" % (tag, i, pid))
        if not h["description"].strip() or not h["supplier_name"].strip():
            err("%s: history %d empty text" % (tag, i))
        ca = carried([h["description"]])
        if ca - ({pid} if pid else set()):
            err("%s: history %d carries foreign reference %s" % (tag, i, ca))
        rk = rut_key(h["supplier_rut"])
        hist[rk][pid] += 1
        names_by_rut[rk].add(h["supplier_name"])
        spellings[rk].add(h["supplier_rut"])
    hist_oh = sum(1 for h in H if h.get("project_id") is None)

    # bills
    B = data["bills"]
    bkeys = {"id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"}
    lkeys = {"description", "quantity", "unit", "unit_price"}
    if not (170 <= len(B) <= 190):
        err("%s: %d bills (need 170-190)" % (tag, len(B)))
    exp_ids = ["%s%03d" % (prefix, i) for i in range(1, len(B) + 1)]
    if [b.get("id") for b in B] != exp_ids:
        err("%s: bill ids must be %s001.. in order" % (tag, prefix))
    counts = Counter()
    not_mode = 0
    bill_sup = set()
    bill_sup_new = set()
    bills_new = 0
    for b in B:
        bid = b.get("id")
        if set(b) != bkeys:
            err("%s: bill %s keys %s" % (tag, bid, sorted(set(b) ^ bkeys)))
            continue
        if not rut_ok(b["supplier_rut"]):
            err("%s: bill %s bad rut %r" % (tag, bid, b["supplier_rut"]))
        rk = rut_key(b["supplier_rut"])
        names_by_rut[rk].add(b["supplier_name"])
        spellings[rk].add(b["supplier_rut"])
        pid = b["expected_project_id"]
        if pid is not None and pid not in pmap:
            err("%s: bill %s project %r" % (tag, bid, pid))
            continue
        for k in ("supplier_name", "invoice_description"):
            if not isinstance(b[k], str) or not b[k].strip():
                err("%s: bill %s empty %s" % (tag, bid, k))
        if not isinstance(b["purchase_order"], str):
            err("%s: bill %s purchase_order" % (tag, bid))
        if not isinstance(b["lines"], list) or not b["lines"]:
            err("%s: bill %s no lines" % (tag, bid))
            continue
        total = Fraction(0)
        for ln in b["lines"]:
            if set(ln) != lkeys:
                err("%s: bill %s line keys" % (tag, bid))
                continue
            q, up = ln["quantity"], ln["unit_price"]
            if isinstance(q, bool) or not isinstance(q, (int, float)) or q <= 0:
                err("%s: bill %s quantity %r" % (tag, bid, q))
                continue
            if isinstance(up, bool) or not isinstance(up, int) or up <= 0:
                err("%s: bill %s unit_price %r" % (tag, bid, up))
                continue
            if not ln["description"].strip() or not ln["unit"].strip():
                err("%s: bill %s empty line text" % (tag, bid))
            total += Fraction(repr(q)) * up
        if not isinstance(b["amount"], int) or total != b["amount"]:
            err("%s: bill %s amount %r != %s" % (tag, bid, b["amount"], total))
        d = is_date(b["issue_date"])
        if d is None:
            err("%s: bill %s issue_date" % (tag, bid))
        elif pid is None:
            if not (D_MIN <= d <= D_MAX):
                err("%s: overhead bill %s date %s" % (tag, bid, d))
        else:
            p = pmap[pid]
            if not (date.fromisoformat(p["start_date"]) <= d <= date.fromisoformat(p["end_date"])):
                err("%s: bill %s date %s outside window of %s" % (tag, bid, d, pid))
        diff = b["difficulty"]
        if not isinstance(diff, list) or not diff or len(set(diff)) != len(diff) or set(diff) - TAGS:
            err("%s: bill %s difficulty %r" % (tag, bid, diff))
            continue
        ds = set(diff)
        # overhead
        if ("overhead" in ds) != (pid is None):
            err("%s: bill %s overhead tag mismatch" % (tag, bid))
        # po-reference
        fields = [b["purchase_order"], b["invoice_description"]] + [ln["description"] for ln in b["lines"]]
        ca = carried(fields)
        if ca - ({pid} if pid else set()):
            err("%s: bill %s carries reference of other project(s) %s" % (tag, bid, sorted(ca - {pid})))
        has_po = pid is not None and pid in ca
        if ("po-reference" in ds) != has_po:
            err("%s: bill %s po-reference tag %s but rule says %s" % (tag, bid, "po-reference" in ds, has_po))
        # shared-supplier
        hc = hist.get(rk)
        shared = bool(hc) and len(hc) >= 2 and hc.get(pid, 0) < max(hc.values())
        if ("shared-supplier" in ds) != shared:
            err("%s: bill %s shared-supplier tag %s but rule says %s" % (tag, bid, "shared-supplier" in ds, shared))
        if hc and hc.get(pid, 0) < max(hc.values()):
            not_mode += 1
        # client-only
        if "client-only" in ds:
            if pid is None or clients[pmap[pid]["client"]] != 1:
                err("%s: bill %s client-only but client has several projects" % (tag, bid))
            else:
                cw = {w for w in words(pmap[pid]["client"]) if len(w) >= 4 and w not in GENERIC_CLIENT_WORDS}
                text = set()
                for f in fields:
                    text |= words(f)
                if not (cw & text):
                    err("%s: bill %s client-only but client not named" % (tag, bid))
        # plain
        if "plain" in ds and len(ds) > 1:
            err("%s: bill %s plain tag inconsistent %r" % (tag, bid, diff))
        for t in ds:
            counts[t] += 1
        bill_sup.add(rk)
        if rk not in hist:
            bill_sup_new.add(rk)
            bills_new += 1

    for rk, ns in names_by_rut.items():
        if len(ns) > 1:
            err("%s: RUT %s has several names %s" % (tag, rk, ns))
    by_name = defaultdict(set)
    for rk, ns in names_by_rut.items():
        for n in ns:
            by_name[n].add(rk)
    for n, rks in by_name.items():
        if len(rks) > 1:
            err("%s: supplier %r has several RUTs" % (tag, n))
    varied = sum(1 for s in spellings.values() if len(s) > 1)
    if varied < 10:
        err("%s: only %d suppliers have varied RUT spellings" % (tag, varied))

    nb = len(B)
    oh_share = counts["overhead"] / nb if nb else 0
    if not (0.20 <= oh_share <= 0.23):
        err("%s: overhead share %.3f outside 20-23%%" % (tag, oh_share))
    for t, m in MIN_COUNTS.items():
        v = not_mode if t == "not-mode" else counts[t]
        if v < m:
            err("%s: %s count %d < %d" % (tag, t, v, m))
    new_share = len(bill_sup_new) / len(bill_sup) if bill_sup else 0
    if not (0.30 <= new_share <= 0.45):
        err("%s: new-supplier share %.3f outside 30-45%%" % (tag, new_share))
    return {"file": fname, "projects": len(P), "history": len(H), "hist_oh": hist_oh,
            "bills": nb, "overhead": counts["overhead"], "oh_pct": 100 * oh_share,
            "counts": counts, "not_mode": not_mode, "suppliers": len(bill_sup),
            "new_sup": len(bill_sup_new), "new_pct": 100 * new_share,
            "bills_new_pct": 100 * bills_new / nb if nb else 0, "varied_rut": varied}


def main():
    rows = [check_company(*f) for f in FILES]
    ok_rows = [r for r in rows if r]
    if len(ok_rows) == 3:
        zero = [r["file"] for r in ok_rows if r["hist_oh"] == 0]
        if len(zero) != 1:
            err("exactly one company must have no overhead history rows (found %s)" % zero)
        for r in ok_rows:
            if r["hist_oh"] != 0 and not (15 <= r["hist_oh"] <= 25):
                err("%s: %d overhead history rows (need 0 or 15-25)" % (r["file"], r["hist_oh"]))
    labels = [("projects", "projects"), ("history rows", "history"),
              ("history overhead rows", "hist_oh"), ("bills", "bills"),
              ("overhead bills", "overhead"), ("overhead %", "oh_pct")]
    tags = ["place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
            "client-only", "typo", "plain"]
    tail = [("not supplier's most frequent", "not_mode"), ("bill suppliers", "suppliers"),
            ("new suppliers", "new_sup"), ("new suppliers % (distinct)", "new_pct"),
            ("bills from new suppliers %", "bills_new_pct"),
            ("suppliers with varied RUT spelling", "varied_rut")]
    w = 36
    print("%-*s" % (w, "") + "".join("%16s" % r["file"] for r in ok_rows))

    def fmt(v):
        return "%16.1f" % v if isinstance(v, float) else "%16d" % v
    for lab, k in labels:
        print("%-*s" % (w, lab) + "".join(fmt(r[k]) for r in ok_rows))
    for t in tags:
        print("%-*s" % (w, "tag " + t) + "".join(fmt(r["counts"][t]) for r in ok_rows))
    for lab, k in tail:
        print("%-*s" % (w, lab) + "".join(fmt(r[k]) for r in ok_rows))
    if errors:
        print("\n%d violation(s):" % len(errors))
        for e in errors:
            print("  - " + e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
