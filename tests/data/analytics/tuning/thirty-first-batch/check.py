#!/usr/bin/env python3
"""Re-check every rule of the blind dataset from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
Standard library only.
"""
import datetime
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("evcharging.json", (8701, 8730), "K"),
         ("trellis.json", (8801, 8830), "T"),
         ("locating.json", (8901, 8930), "U")]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
        "po-reference", "client-only", "typo", "plain"]
LO, HI = datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)
REGIONS = {
    "Región de Arica y Parinacota", "Región de Tarapacá", "Región de Antofagasta",
    "Región de Atacama", "Región de Coquimbo", "Región de Valparaíso",
    "Región Metropolitana de Santiago",
    "Región del Libertador General Bernardo O'Higgins", "Región del Maule",
    "Región de Ñuble", "Región del Biobío", "Región de La Araucanía",
    "Región de Los Ríos", "Región de Los Lagos",
    "Región de Aysén del General Carlos Ibáñez del Campo",
    "Región de Magallanes y de la Antártica Chilena"}
CLIENT_STOP = {"MUNICIPALIDAD", "ILUSTRE", "EMPRESA", "SOCIEDAD", "AGRICOLA",
               "COMERCIAL", "SERVICIOS", "LIMITADA", "LTDA", "SERVICIO", "REGIONAL",
               "GOBIERNO", "CHILE", "NACIONAL", "DEL", "LOS", "LAS", "SAN", "SANTA",
               "EXPORTADORA", "FRUTICOLA", "INVERSIONES", "TRANSPORTES", "COMPANIA",
               "DIRECCION", "MINISTERIO", "OBRAS", "PUBLICAS", "CONSTRUCTORA",
               "INGENIERIA", "SOCIEDAD", "VINA", "HOLDING", "GRUPO", "SUR", "NORTE"}

errors = []


def err(where, msg):
    errors.append("%s: %s" % (where, msg))


def strip_acc(text):
    t = unicodedata.normalize("NFKD", text)
    return "".join(c for c in t if not unicodedata.combining(c))


def norm(text):
    return re.sub(r"[^A-Z0-9]", "", strip_acc(text).upper())


def rut_ok(r):
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([0-9Kk])", r)
    if not m:
        return None
    body = m.group(1).replace(".", "")
    s, mult = 0, 2
    for ch in reversed(body):
        s += int(ch) * mult
        mult = 2 if mult == 7 else mult + 1
    v = 11 - s % 11
    dv = "0" if v == 11 else ("K" if v == 10 else str(v))
    return body if dv == m.group(2).upper() else None


def date_of(s, where):
    try:
        return datetime.date.fromisoformat(s)
    except (TypeError, ValueError):
        err(where, "bad date %r" % (s,))
        return None


def keyword_ident(kw):
    return norm("".join(t for t in kw.split() if re.search(r"\d", t)))


def fields(b):
    return [b["purchase_order"], b["invoice_description"]] + [l["description"] for l in b["lines"]]


def carries(b, ident):
    return any(ident in norm(f) for f in fields(b))


def check_company(fname, id_range, prefix):
    path = os.path.join(HERE, "..", fname)
    w = fname
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if set(data) != {"company", "projects", "history", "bills"}:
        err(w, "top-level keys %s" % sorted(data))
    c = data["company"]
    if set(c) != {"name", "rut", "trade"} or not all(isinstance(c[k], str) and c[k] for k in c):
        err(w, "company fields")
    if not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[0-9K]", c.get("rut", "")) or not rut_ok(c["rut"]):
        err(w, "company RUT %r" % c.get("rut"))

    # projects
    P = data["projects"]
    if len(P) != 30:
        err(w, "%d projects" % len(P))
    ids = [p.get("id") for p in P]
    if sorted(ids) != list(range(id_range[0], id_range[1] + 1)):
        err(w, "project ids not %d-%d" % id_range)
    pk = ["id", "name", "code", "client", "location", "description", "keywords",
          "budget", "start_date", "end_date"]
    proj = {}
    for p in P:
        pw = "%s project %s" % (w, p.get("id"))
        if list(p) != pk:
            err(pw, "keys %s" % list(p))
            continue
        proj[p["id"]] = p
        for k in ["name", "code", "client", "location", "description"]:
            if not isinstance(p[k], str) or not p[k].strip():
                err(pw, "empty " + k)
        m = re.fullmatch(r"([^,]+), (Región .+)", p["location"])
        if not m or m.group(2) not in REGIONS:
            err(pw, "location %r" % p["location"])
        if not isinstance(p["budget"], int) or isinstance(p["budget"], bool) or p["budget"] <= 0:
            err(pw, "budget")
        if not isinstance(p["keywords"], list) or not p["keywords"] or \
                not all(isinstance(k, str) and k.strip() for k in p["keywords"]):
            err(pw, "keywords")
        for k in p["keywords"]:
            if len(keyword_ident(k)) < 6:
                err(pw, "keyword without a usable identifier: %r" % k)
        s, e = date_of(p["start_date"], pw), date_of(p["end_date"], pw)
        if s and e and not (LO <= s <= e <= HI):
            err(pw, "dates %s..%s" % (s, e))
        if not re.search(r"\d", p["description"]):
            err(pw, "description has no sizes or ratings")
    codes = [p["code"] for p in P]
    if len(set(codes)) != len(codes):
        err(w, "duplicate project codes")
    idents = {pid: [keyword_ident(k) for k in p["keywords"]] for pid, p in proj.items()}
    allid = [(pid, i) for pid, l in idents.items() for i in l]
    for a_pid, a in allid:
        for b_pid, b in allid:
            if a_pid != b_pid and a in b:
                err(w, "keyword identifier of %s inside that of %s" % (a_pid, b_pid))

    # suppliers: RUT body -> names
    names = {}
    spellings = {}

    def supplier(rec, rw):
        body = rut_ok(rec.get("supplier_rut", ""))
        if body is None:
            err(rw, "invalid RUT %r" % rec.get("supplier_rut"))
            return None
        if not rec.get("supplier_name"):
            err(rw, "empty supplier name")
        names.setdefault(body, set()).add(rec["supplier_name"])
        spellings.setdefault(body, set()).add(rec["supplier_rut"])
        return body

    # history
    H = data["history"]
    if len(H) < 150:
        err(w, "only %d history rows" % len(H))
    hist = {}
    for i, h in enumerate(H):
        hw = "%s history[%d]" % (w, i)
        if list(h) != ["supplier_name", "supplier_rut", "description", "project_id"]:
            err(hw, "keys %s" % list(h))
            continue
        if not isinstance(h["description"], str) or not h["description"].strip():
            err(hw, "empty description")
        if h["project_id"] is not None and h["project_id"] not in proj:
            err(hw, "unknown project %r" % h["project_id"])
        body = supplier(h, hw)
        if body:
            d = hist.setdefault(body, {})
            d[h["project_id"]] = d.get(h["project_id"], 0) + 1
    oh_hist = sum(1 for h in H if h["project_id"] is None)
    if oh_hist != 0 and not (15 <= oh_hist <= 25):
        err(w, "%d overhead history rows (must be 0 or 15-25)" % oh_hist)
    for pid in proj:
        if not any(h["project_id"] == pid for h in H):
            err(w, "project %s has no history row" % pid)

    # bills
    B = data["bills"]
    if not (170 <= len(B) <= 190):
        err(w, "%d bills" % len(B))
    bk = ["id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
          "issue_date", "purchase_order", "expected_project_id", "difficulty"]
    cnt = {t: 0 for t in TAGS}
    not_mode = 0
    bill_sup = set()
    for n, b in enumerate(B, 1):
        bw = "%s bill %s" % (w, b.get("id"))
        if list(b) != bk:
            err(bw, "keys %s" % list(b))
            continue
        if b["id"] != "%s%03d" % (prefix, n):
            err(bw, "id out of sequence")
        body = supplier(b, bw)
        bill_sup.add(body)
        for k in ["invoice_description", "purchase_order"]:
            if not isinstance(b[k], str):
                err(bw, k + " not a string")
        if not b["invoice_description"].strip():
            err(bw, "empty invoice_description")
        if not isinstance(b["lines"], list) or not b["lines"]:
            err(bw, "no lines")
            continue
        total = 0
        for l in b["lines"]:
            if list(l) != ["description", "quantity", "unit", "unit_price"]:
                err(bw, "line keys %s" % list(l))
                continue
            q, up = l["quantity"], l["unit_price"]
            if isinstance(q, bool) or not isinstance(q, (int, float)) or q <= 0:
                err(bw, "quantity %r" % q)
                continue
            if isinstance(up, bool) or not isinstance(up, int) or up <= 0:
                err(bw, "unit_price %r" % up)
                continue
            if not l["description"].strip() or not l["unit"].strip():
                err(bw, "empty line text")
            v = q * up
            if abs(v - round(v)) > 1e-6:
                err(bw, "line amount not integer")
            total += round(v)
        if not isinstance(b["amount"], int) or b["amount"] != total:
            err(bw, "amount %r != %d" % (b["amount"], total))
        pid = b["expected_project_id"]
        if pid is not None and pid not in proj:
            err(bw, "unknown expected project %r" % pid)
            continue
        dt = date_of(b["issue_date"], bw)
        if dt:
            if pid is None:
                if not (LO <= dt <= HI):
                    err(bw, "overhead date outside 2025-2026")
            else:
                s = datetime.date.fromisoformat(proj[pid]["start_date"])
                e = datetime.date.fromisoformat(proj[pid]["end_date"])
                if not (s <= dt <= e):
                    err(bw, "date %s outside project window" % dt)
        tags = b["difficulty"]
        if not isinstance(tags, list) or len(set(tags)) != len(tags) or not set(tags) <= set(TAGS) \
                or not tags:
            err(bw, "difficulty %r" % (tags,))
            continue
        ts = set(tags)
        # overhead
        if ("overhead" in ts) != (pid is None):
            err(bw, "overhead tag mismatch")
        # po-reference
        po = pid is not None and any(carries(b, i) for i in idents[pid])
        if ("po-reference" in ts) != po:
            err(bw, "po-reference tag mismatch (rule says %s)" % po)
        for opid, ol in idents.items():
            if opid != pid and any(carries(b, i) for i in ol):
                err(bw, "carries identifier of project %s" % opid)
        # shared-supplier
        hc = hist.get(body, {})
        shared = len(hc) >= 2 and hc.get(pid, 0) < max(hc.values())
        if ("shared-supplier" in ts) != shared:
            err(bw, "shared-supplier tag mismatch (rule says %s)" % shared)
        if hc and hc.get(pid, 0) < max(hc.values()):
            not_mode += 1
        # client-only
        if "client-only" in ts:
            if pid is None:
                err(bw, "client-only on overhead")
            else:
                cl = proj[pid]["client"]
                if sum(1 for p in P if p["client"] == cl) != 1:
                    err(bw, "client-only but client has several projects")
                core = re.sub(r"\b(S\.A\.|SpA|Ltda\.|Limitada|E\.I\.R\.L\.)", "", cl)
                words = [x for x in re.findall(r"[A-Z0-9]+", strip_acc(core).upper())
                         if len(x) >= 4 and x not in CLIENT_STOP]
                text = " ".join(fields(b))
                whole = norm(core) in norm(text)
                text = " " + " ".join(re.findall(r"[A-Z0-9]+", strip_acc(text).upper())) + " "
                if not whole and not any((" %s " % x) in text for x in words):
                    err(bw, "client-only but the client is not named")
        # plain
        others = ts - {"plain"}
        if ("plain" in ts) == bool(others):
            err(bw, "plain tag mismatch")
        for t in ts:
            cnt[t] += 1
    # supplier name consistency
    for body, ns in names.items():
        if len(ns) != 1:
            err(w, "RUT %s has several names %s" % (body, sorted(ns)))
    if not any(len(s) > 1 for s in spellings.values()):
        err(w, "no supplier RUT is spelled in more than one way")
    bill_sup.discard(None)
    new = [s for s in bill_sup if s not in hist]
    new_share = len(new) / len(bill_sup) if bill_sup else 0
    bills_new = sum(1 for b in B if rut_ok(b["supplier_rut"]) not in hist)
    oh_share = cnt["overhead"] / len(B) if B else 0
    if not (0.20 <= oh_share <= 0.23):
        err(w, "overhead share %.3f" % oh_share)
    if not (0.30 <= new_share <= 0.45):
        err(w, "new-supplier share %.3f" % new_share)
    mins = {"plain": 15, "po-reference": 12, "typo": 6, "place-variant": 25,
            "trade-vocabulary": 20, "client-only": 4}
    for t, m in mins.items():
        if cnt[t] < m:
            err(w, "only %d %s bills (min %d)" % (cnt[t], t, m))
    if not_mode < 10:
        err(w, "only %d bills whose project is not the supplier's most frequent" % not_mode)
    return {"file": fname, "projects": len(P), "history": len(H), "hist_oh": oh_hist,
            "bills": len(B), "oh": cnt["overhead"], "oh%": "%.1f" % (100 * oh_share),
            "suppliers": len(bill_sup), "new_sup": len(new), "new%": "%.1f" % (100 * new_share),
            "bills_new_sup": bills_new, "not_mode": not_mode,
            **{t: cnt[t] for t in TAGS if t != "overhead"}}


def main():
    rows = []
    for f, r, p in FILES:
        if not os.path.exists(os.path.join(HERE, "..", f)):
            err(f, "missing")
            continue
        rows.append(check_company(f, r, p))
    if len(rows) == 3 and sum(1 for r in rows if r["hist_oh"] == 0) != 1:
        err("all", "exactly one company must have no overhead history rows")
    if rows:
        keys = list(rows[0])
        width = max(len(k) for k in keys)
        print("%-*s" % (width, "") + "".join("%17s" % r["file"].replace(".json", "") for r in rows))
        for k in keys[1:]:
            print("%-*s" % (width, k) + "".join("%17s" % r[k] for r in rows))
    if errors:
        print("\n%d violation(s):" % len(errors))
        for e in errors[:200]:
            print("  " + e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
