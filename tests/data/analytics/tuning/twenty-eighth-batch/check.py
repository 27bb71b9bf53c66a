#!/usr/bin/env python3
"""Re-checks every rule of the dataset from the JSON files alone.

Prints a counts table per company and exits 1 on any violation.
"""
import json
import os
import re
import sys
import unicodedata
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("dust.json", "A", 7801, 7830), ("wells.json", "W", 7901, 7930), ("pvom.json", "P", 8001, 8030)]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
        "client-only", "typo", "plain"]
STOP = {"S", "A", "SA", "SPA", "LTDA", "DE", "DEL", "LA", "LAS", "LOS", "EL", "Y", "E", "CIA",
        "SOCIEDAD", "COMPANIA", "EIRL", "LIMITADA", "REGION", "I"}
BRANDS = ["NOMEX", "RYTON", "GORE", "TEFLON", "DONALDSON", "GRUNDFOS", "FRANKLIN", "PEDROLLO",
          "LOWARA", "VOGT", "HUAWEI", "SUNGROW", "SMA ", "FRONIUS", "ABB", "SIEMENS", "SCHNEIDER",
          "CATERPILLAR", "TOYOTA", "HILUX", "NISSAN", "FORD ", "CHEVROLET", "MITSUBISHI",
          "SHELL", "COPEC", "PETROBRAS", "ARAMCO", "SODIMAC", "EASY ", "CONSTRUMART", "ENTEL", "CLARO CHILE",
          "MOVISTAR", "WOM ", "ENEL ", "CGE ", "AGUAS ANDINAS", "ESSBIO", "LATAM",
          "JETSMART", "SKY AIRLINE", "HILTI", "MAKITA", "BOSCH", "DEWALT", "WEG ", "DANFOSS",
          "FLYGT", "KSB ", "JINKO", "TRINA", "LONGI", "CANADIAN SOLAR", "NEXTRACKER",
          "ARRAY TECH", "SOLTEC", "INGETEAM", "POWER ELECTRONICS", "AUTOCAD", "SOLIDWORKS",
          "MICROSOFT", "WINDOWS", "EXCEL", "STAUBLI", "MC4", "CODELCO", "ENAMI", "MELON",
          "POLPAICO S", "CMPC", "ARAUCO S", "MASISA", "CAP S", "FLUKE", "MEGGER", "DJI", "CUMMINS",
          "PERKINS", "JCB", "GENIE", "JLG", "MANITOU", "LIEBHERR", "TADANO", "BANCO DE CHILE",
          "BANCOESTADO", "SANTANDER", "BCI", "ITAU", "SCOTIABANK", "MAPFRE", "CHILENA CONSOLIDADA"]
MIN = {"plain": 15, "po-reference": 12, "not_mode": 10, "typo": 6, "place-variant": 25,
       "trade-vocabulary": 20, "client-only": 4}

errors = []


def err(company, msg):
    errors.append("%s: %s" % (company, msg))


def norm(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9]", "", s).upper()


def words(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).upper()
    return set(re.findall(r"[A-Z0-9]+", s))


def rut_ok(r):
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{3}){2}|\d{7,8})-([0-9Kk])", r)
    if not m:
        return False
    body = m.group(1).replace(".", "")
    s, mul = 0, 2
    for ch in reversed(body):
        s += int(ch) * mul
        mul = 2 if mul == 7 else mul + 1
    r_ = 11 - s % 11
    dv = "0" if r_ == 11 else "K" if r_ == 10 else str(r_)
    return m.group(2).upper() == dv


def rut_key(r):
    return r.split("-")[0].replace(".", "")


def ident(keyword):
    return norm("".join(t for t in keyword.split() if re.search(r"\d", t)))


def pdate(s):
    try:
        y, m, d = s.split("-")
        return date(int(y), int(m), int(d))
    except Exception:
        return None


def check_file(fname, prefix, lo, hi):
    path = os.path.join(HERE, "..", fname)
    c = fname.split(".")[0]
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    data = json.loads(raw)
    if set(data) != {"company", "projects", "history", "bills"}:
        err(c, "top-level keys %s" % sorted(data))
    comp = data["company"]
    if set(comp) != {"name", "rut", "trade"} or not rut_ok(comp["rut"]) \
            or not re.fullmatch(r"\d{2}\.\d{3}\.\d{3}-[0-9K]", comp["rut"]):
        err(c, "company block invalid")
    projects = data["projects"]
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords", "budget",
             "start_date", "end_date"}
    if len(projects) != 30:
        err(c, "expected 30 projects, got %d" % len(projects))
    if sorted(p["id"] for p in projects) != list(range(lo, hi + 1)):
        err(c, "project ids not %d..%d" % (lo, hi))
    win, idents, clients = {}, {}, {}
    for p in projects:
        if set(p) != pkeys:
            err(c, "project %s keys %s" % (p.get("id"), sorted(p)))
            continue
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err(c, "project %s empty %s" % (p["id"], k))
        if not re.fullmatch(r"[^,]+, Región .+", p["location"]):
            err(c, "project %s location format %r" % (p["id"], p["location"]))
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(c, "project %s budget" % p["id"])
        a, b = pdate(p["start_date"]), pdate(p["end_date"])
        if not a or not b or not (date(2025, 1, 1) <= a <= b <= date(2026, 12, 31)):
            err(c, "project %s dates" % p["id"])
        win[p["id"]] = (a, b)
        if not p["keywords"] or not all(isinstance(k, str) for k in p["keywords"]):
            err(c, "project %s keywords" % p["id"])
        idents[p["id"]] = [ident(k) for k in p["keywords"]]
        for i_ in idents[p["id"]]:
            if len(i_) < 6:
                err(c, "project %s identifier too short %r" % (p["id"], i_))
        clients.setdefault(p["client"], []).append(p["id"])
    allid = [(q, i_) for q, l in idents.items() for i_ in l]
    for q, i_ in allid:
        for q2, i2 in allid:
            if q != q2 and i_ in i2:
                err(c, "identifier %s of %s inside identifier of %s" % (i_, q, q2))
    # history
    hist = data["history"]
    if len(hist) < 150:
        err(c, "history has %d rows (<150)" % len(hist))
    hist_by = {}
    names_by_rut = {}
    for h in hist:
        if set(h) != {"supplier_name", "supplier_rut", "description", "project_id"}:
            err(c, "history keys %s" % sorted(h))
            continue
        if not rut_ok(h["supplier_rut"]):
            err(c, "history rut invalid %s" % h["supplier_rut"])
        if h["project_id"] is not None and h["project_id"] not in win:
            err(c, "history unknown project %s" % h["project_id"])
        hist_by.setdefault(rut_key(h["supplier_rut"]), []).append(h["project_id"])
        names_by_rut.setdefault(rut_key(h["supplier_rut"]), set()).add(h["supplier_name"])
    hist_over = sum(1 for h in hist if h["project_id"] is None)
    # bills
    bills = data["bills"]
    n = len(bills)
    if not 170 <= n <= 190:
        err(c, "bill count %d not in 170..190" % n)
    bkeys = ["id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount",
             "issue_date", "purchase_order", "expected_project_id", "difficulty"]
    cnt = {t: 0 for t in TAGS}
    not_mode = 0
    bill_sups, new_sups = set(), set()
    spellings = {}
    for i, b in enumerate(bills, 1):
        bid = b.get("id")
        if list(b) != bkeys:
            err(c, "bill %s keys/order %s" % (bid, list(b)))
            continue
        if bid != "%s%03d" % (prefix, i):
            err(c, "bill id %s out of sequence" % bid)
        if not rut_ok(b["supplier_rut"]):
            err(c, "bill %s rut invalid %s" % (bid, b["supplier_rut"]))
        key = rut_key(b["supplier_rut"])
        names_by_rut.setdefault(key, set()).add(b["supplier_name"])
        spellings.setdefault(key, set()).add(b["supplier_rut"])
        bill_sups.add(key)
        if key not in hist_by:
            new_sups.add(key)
        total = 0
        if not b["lines"]:
            err(c, "bill %s has no lines" % bid)
        for l in b["lines"]:
            if set(l) != {"description", "quantity", "unit", "unit_price"}:
                err(c, "bill %s line keys" % bid)
                continue
            if not isinstance(l["unit_price"], int) or not isinstance(l["quantity"], (int, float)):
                err(c, "bill %s line types" % bid)
                continue
            total += round(l["quantity"] * 1000) * l["unit_price"]
        if total != b["amount"] * 1000:
            err(c, "bill %s amount %s != sum of lines %s" % (bid, b["amount"], total / 1000))
        p = b["expected_project_id"]
        d = pdate(b["issue_date"])
        if p is not None:
            if p not in win:
                err(c, "bill %s unknown project %s" % (bid, p))
                continue
            if not d or not win[p][0] <= d <= win[p][1]:
                err(c, "bill %s date %s outside project window" % (bid, b["issue_date"]))
        elif not d or not date(2025, 1, 1) <= d <= date(2026, 12, 31):
            err(c, "bill %s overhead date %s out of range" % (bid, b["issue_date"]))
        if d and (d.weekday() >= 5 or (d.month, d.day) in {(1, 1), (5, 1), (9, 18), (9, 19), (12, 25)}):
            err(c, "bill %s issue_date %s is not a working day" % (bid, b["issue_date"]))
        tags = b["difficulty"]
        if not tags or len(set(tags)) != len(tags) or any(t not in TAGS for t in tags):
            err(c, "bill %s bad tags %s" % (bid, tags))
        tags = set(tags)
        for t in tags:
            if t in cnt:
                cnt[t] += 1
        # overhead
        if ("overhead" in tags) != (p is None):
            err(c, "bill %s overhead tag mismatch" % bid)
        # shared-supplier
        h = hist_by.get(key, [])
        counts = {}
        for x in h:
            counts[x] = counts.get(x, 0) + 1
        shared = len(counts) >= 2 and counts.get(p, 0) < max(counts.values())
        if shared != ("shared-supplier" in tags):
            err(c, "bill %s shared-supplier tag should be %s" % (bid, shared))
        if h and counts.get(p, 0) < max(counts.values()):
            not_mode += 1
        # po-reference
        text = "|".join(norm(x) for x in [b["purchase_order"], b["invoice_description"]] +
                        [l["description"] for l in b["lines"]])
        hit = False
        for q, ids in idents.items():
            if any(i_ in text for i_ in ids):
                if q != p:
                    err(c, "bill %s carries identifier of project %s" % (bid, q))
                else:
                    hit = True
        if hit != ("po-reference" in tags):
            err(c, "bill %s po-reference tag should be %s" % (bid, hit))
        # client-only
        if "client-only" in tags:
            if p is None:
                err(c, "bill %s client-only on overhead" % bid)
            else:
                client = next(x["client"] for x in projects if x["id"] == p)
                if len(clients[client]) != 1:
                    err(c, "bill %s client-only but client has %d projects" % (bid, len(clients[client])))
                other = set()
                for cl in clients:
                    if cl != client:
                        other |= words(cl)
                own = {w for w in words(client) if len(w) >= 4 and w not in STOP} - other
                btext = words(" ".join([b["invoice_description"]] + [l["description"] for l in b["lines"]]))
                if not own & btext:
                    err(c, "bill %s client-only but client %r not named" % (bid, client))
                if "po-reference" in tags:
                    err(c, "bill %s client-only with po-reference" % bid)
        # plain
        if ("plain" in tags) != (tags == {"plain"} or not (tags - {"plain"})):
            err(c, "bill %s plain tag inconsistent" % bid)
        if "plain" in tags and len(tags) > 1:
            err(c, "bill %s plain with other tags" % bid)
        # brands
        up = " " + " ".join([b["supplier_name"], b["invoice_description"]] +
                            [l["description"] for l in b["lines"]]).upper() + " "
        for br in BRANDS:
            if re.search(r"(?<![A-Z0-9])" + re.escape(br.strip()) + r"(?![A-Z0-9])", up):
                err(c, "bill %s mentions brand-like word %s" % (bid, br.strip()))
    name_rut = {}
    for h in hist:
        name_rut.setdefault(h["supplier_name"], set()).add(rut_key(h["supplier_rut"]))
    for b in bills:
        name_rut.setdefault(b["supplier_name"], set()).add(rut_key(b["supplier_rut"]))
    for nm, ks in name_rut.items():
        if len(ks) > 1:
            err(c, "supplier name %r has several RUTs" % nm)
    multi = [k for k in spellings if sum(1 for b in bills if rut_key(b["supplier_rut"]) == k) >= 3]
    if multi and sum(1 for k in multi if len(spellings[k]) >= 2) < len(multi) * 0.8:
        err(c, "RUT spellings not varied enough")
    over = cnt["overhead"]
    share = over / n if n else 0
    if not 0.20 <= share <= 0.23:
        err(c, "overhead share %.3f not in 20-23 %%" % share)
    new_share = len(new_sups) / len(bill_sups) if bill_sups else 0
    if not 0.30 <= new_share <= 0.45:
        err(c, "new supplier share %.3f not in 30-45 %%" % new_share)
    for t, m in MIN.items():
        v = not_mode if t == "not_mode" else cnt[t]
        if v < m:
            err(c, "%s count %d < %d" % (t, v, m))
    # brand check in projects / history too
    for p in projects:
        up = " " + (p["name"] + " " + p["description"] + " " + p["client"]).upper() + " "
        for br in BRANDS:
            if re.search(r"(?<![A-Z0-9])" + re.escape(br.strip()) + r"(?![A-Z0-9])", up):
                err(c, "project %s mentions brand-like word %s" % (p["id"], br.strip()))
    for h in hist:
        up = " " + (h["supplier_name"] + " " + h["description"]).upper() + " "
        for br in BRANDS:
            if re.search(r"(?<![A-Z0-9])" + re.escape(br.strip()) + r"(?![A-Z0-9])", up):
                err(c, "history mentions brand-like word %s: %s" % (br.strip(), h["description"]))
    return {"company": c, "projects": len(projects), "history": len(hist), "hist_overhead": hist_over,
            "bills": n, "overhead": over, "overhead_pct": round(100 * share, 1),
            "suppliers": len(bill_sups), "new_sup": len(new_sups), "new_pct": round(100 * new_share, 1),
            "not_mode": not_mode, **{t: cnt[t] for t in TAGS if t != "overhead"}}


def main():
    rows = []
    for fname, prefix, lo, hi in FILES:
        if not os.path.exists(os.path.join(HERE, "..", fname)):
            errors.append("%s missing" % fname)
            continue
        rows.append(check_file(fname, prefix, lo, hi))
    # exactly one company without overhead history, others 15-25
    zero = [r for r in rows if r["hist_overhead"] == 0]
    if len(rows) == 3 and len(zero) != 1:
        errors.append("exactly one company must have no overhead history (found %d)" % len(zero))
    for r in rows:
        if r["hist_overhead"] != 0 and not 15 <= r["hist_overhead"] <= 25:
            errors.append("%s: overhead history rows %d not in 15..25" % (r["company"], r["hist_overhead"]))
    cols = ["company", "projects", "history", "hist_overhead", "bills", "overhead", "overhead_pct",
            "suppliers", "new_sup", "new_pct", "not_mode", "place-variant", "trade-vocabulary",
            "shared-supplier", "po-reference", "client-only", "typo", "plain"]
    width = {k: max(len(k), *(len(str(r[k])) for r in rows)) if rows else len(k) for k in cols}
    print("  ".join(k.rjust(width[k]) for k in cols))
    for r in rows:
        print("  ".join(str(r[k]).rjust(width[k]) for k in cols))
    if errors:
        print("\nVIOLATIONS (%d):" % len(errors))
        for e in errors:
            print(" - " + e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
