#!/usr/bin/env python3
"""Re-checks every dataset rule from the JSON files alone. Exit 1 on any violation."""
import json, os, re, sys, unicodedata, datetime, collections

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("hydro", "H", 3901), ("insulation", "A", 4001), ("paving", "U", 4101)]
RULE = {"overhead", "po-reference", "shared-supplier", "plain"}
HANDT = {"place-variant", "trade-vocabulary", "client-only", "typo"}
OH0, OH1 = "2025-01-06", "2026-12-06"
errors = []


def err(msg):
    errors.append(msg)


def norm(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


RUT_DOT = re.compile(r"^(\d{1,2})\.(\d{3})\.(\d{3})-([\dK])$")
RUT_PLAIN = re.compile(r"^(\d{7,8})-([\dK])$")


def parse_rut(r, where):
    m = RUT_DOT.match(r)
    if m:
        body, d, style = int(m.group(1) + m.group(2) + m.group(3)), m.group(4), "dotted"
    else:
        m = RUT_PLAIN.match(r)
        if not m:
            err("%s: bad RUT format %r" % (where, r))
            return None, None
        body, d, style = int(m.group(1)), m.group(2), "plain"
    if dv(body) != d:
        err("%s: wrong check digit %r" % (where, r))
    return body, style


def date(s, where):
    try:
        return datetime.date.fromisoformat(s) and s
    except Exception:
        err("%s: bad date %r" % (where, s))
        return None


def bill_text(b):
    return " ".join([b["invoice_description"], b["purchase_order"]] + [l["description"] for l in b["lines"]]).lower()


def strip_legal(name):
    n = norm(name)
    n = re.sub(r"\b(spa|ltda\.?|s\.a\.|eirl)\s*$", "", n).strip(" ,.")
    return n


rows = []
total_bills = 0
files_with_oh_hist = 0
for name, prefix, id0 in FILES:
    path = os.path.join(HERE, "..", name + ".json")
    if not os.path.exists(path):
        err("%s missing" % path)
        continue
    d = json.load(open(path, encoding="utf-8"))
    W = name
    if set(d) != {"company", "projects", "history", "bills"}:
        err("%s: top-level keys %s" % (W, sorted(d)))
    c = d["company"]
    if set(c) != {"name", "rut", "trade"} or not all(isinstance(c[k], str) and c[k] for k in c):
        err("%s: company schema" % W)
    parse_rut(c["rut"], W + " company")
    P = d["projects"]
    ids = [p.get("id") for p in P]
    if ids != list(range(id0, id0 + 30)) and sorted(ids) != list(range(id0, id0 + 30)):
        err("%s: project ids %s" % (W, ids))
    if len(P) != 30:
        err("%s: %d projects" % (W, len(P)))
    pkeys = {"id", "name", "code", "client", "location", "description", "keywords", "budget", "start_date", "end_date"}
    pby = {}
    for p in P:
        wp = "%s project %s" % (W, p.get("id"))
        if set(p) != pkeys:
            err("%s: keys %s" % (wp, sorted(p)))
            continue
        pby[p["id"]] = p
        for k in ("name", "code", "client", "location", "description"):
            if not isinstance(p[k], str) or not p[k].strip():
                err("%s: empty %s" % (wp, k))
        if not re.match(r"^[^,]+, Región .+$", p["location"]):
            err("%s: location format %r" % (wp, p["location"]))
        if not (isinstance(p["keywords"], list) and len(p["keywords"]) == 1 and p["keywords"][0].strip()):
            err("%s: keywords must hold exactly one keyword" % wp)
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err("%s: budget" % wp)
        if date(p["start_date"], wp) and date(p["end_date"], wp) and p["start_date"] >= p["end_date"]:
            err("%s: start >= end" % wp)
    # keyword / code uniqueness
    def ptext(p):
        return " ".join([p["name"], p["code"], p["client"], p["location"], p["description"]] + p["keywords"]).lower()
    for p in P:
        for q in P:
            if p is q:
                continue
            for m in (p["keywords"][0], p["code"]):
                if m.lower() in ptext(q):
                    err("%s: %r of %s appears in project %s" % (W, m, p["id"], q["id"]))
    # history
    H = d["history"]
    if len(H) < 150:
        err("%s: only %d history rows" % (W, len(H)))
    served = collections.defaultdict(set)
    served_count = collections.defaultdict(collections.Counter)
    name2body, body2name, styles = {}, {}, set()

    def reg(nm, rut, where):
        body, st = parse_rut(rut, where)
        if body is None:
            return
        styles.add(st)
        if name2body.setdefault(nm, body) != body:
            err("%s: supplier %r has two RUTs" % (where, nm))
        if body2name.setdefault(body, nm) != nm:
            err("%s: RUT %s used by %r and %r" % (where, body, nm, body2name[body]))

    oh_hist = 0
    for i, h in enumerate(H):
        wh = "%s history[%d]" % (W, i)
        if set(h) != {"supplier_name", "supplier_rut", "description", "project_id"}:
            err("%s: keys" % wh)
            continue
        if h["project_id"] is not None and h["project_id"] not in pby:
            err("%s: unknown project %s" % (wh, h["project_id"]))
        if h["project_id"] is None:
            oh_hist += 1
        reg(h["supplier_name"], h["supplier_rut"], wh)
        served[h["supplier_name"]].add(h["project_id"])
        served_count[h["supplier_name"]][h["project_id"]] += 1
        t = h["description"].lower()
        for p in P:
            if p["id"] != h["project_id"] and (p["keywords"][0].lower() in t or p["code"].lower() in t):
                err("%s: contains marker of project %s" % (wh, p["id"]))
    if oh_hist:
        files_with_oh_hist += 1
    multi = [s for s, v in served.items() if len(v - {None}) >= 2]
    if len(multi) < 3:
        err("%s: only %d suppliers serve several projects in history" % (W, len(multi)))
    # bills
    B = d["bills"]
    total_bills += len(B)
    if len(B) < 165:
        err("%s: only %d bills" % (W, len(B)))
    bkeys = {"id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount", "issue_date",
             "purchase_order", "expected_project_id", "difficulty"}
    cnt = collections.Counter()
    clients = collections.Counter(p["client"] for p in P)
    communes = collections.Counter(norm(p["location"].split(",")[0]) for p in P)
    oh_place = 0
    not_most = 0
    for i, b in enumerate(B):
        wb = "%s bill %s" % (W, b.get("id"))
        if set(b) != bkeys:
            err("%s: keys %s" % (wb, sorted(b)))
            continue
        if b["id"] != "%s%03d" % (prefix, i + 1):
            err("%s: id out of sequence" % wb)
        reg(b["supplier_name"], b["supplier_rut"], wb)
        pid = b["expected_project_id"]
        if pid is not None and pid not in pby:
            err("%s: unknown project" % wb)
            continue
        if not b["lines"]:
            err("%s: no lines" % wb)
        tot = 0
        for l in b["lines"]:
            if set(l) != {"description", "quantity", "unit", "unit_price"}:
                err("%s: line keys" % wb)
                continue
            if not isinstance(l["unit_price"], int) or isinstance(l["quantity"], bool) or not isinstance(l["quantity"], (int, float)) or l["quantity"] <= 0:
                err("%s: line types" % wb)
            tot += l["quantity"] * l["unit_price"]
        if not isinstance(b["amount"], int) or b["amount"] != round(tot) or abs(tot - b["amount"]) > 1e-6 * max(1, tot):
            err("%s: amount %s != %s" % (wb, b["amount"], tot))
        if date(b["issue_date"], wb):
            lo, hi = (OH0, OH1) if pid is None else (pby[pid]["start_date"], pby[pid]["end_date"])
            if not lo <= b["issue_date"] <= hi:
                err("%s: date %s outside %s..%s" % (wb, b["issue_date"], lo, hi))
        text = bill_text(b)
        for p in P:
            if p["id"] != pid and (p["keywords"][0].lower() in text or p["code"].lower() in text):
                err("%s: contains marker of project %s" % (wb, p["id"]))
        tags = b["difficulty"]
        if not isinstance(tags, list) or len(set(tags)) != len(tags) or not set(tags) <= RULE | HANDT:
            err("%s: bad tags %s" % (wb, tags))
            continue
        exp = set()
        if pid is None:
            exp.add("overhead")
        if pid is not None and (pby[pid]["keywords"][0].lower() in text or pby[pid]["code"].lower() in text):
            exp.add("po-reference")
        if len(served.get(b["supplier_name"], ())) >= 2:
            exp.add("shared-supplier")
        hand = set(tags) & HANDT
        if not exp and not hand:
            exp.add("plain")
        if set(tags) & RULE != exp:
            err("%s: rule tags %s, expected %s" % (wb, sorted(set(tags) & RULE), sorted(exp)))
        if "client-only" in tags:
            if pid is None or clients[pby[pid]["client"]] != 1:
                err("%s: client-only on overhead or on a client with several projects" % wb)
            elif strip_legal(pby[pid]["client"]) not in norm(text):
                err("%s: client-only bill does not name the client" % wb)
        if pid is None:
            if any(re.search(r"\b%s\b" % re.escape(cm), norm(text)) and 1 <= n <= 2 for cm, n in communes.items()):
                oh_place += 1
        if "shared-supplier" in tags and pid is not None:
            top = served_count[b["supplier_name"]].most_common(1)[0]
            if served_count[b["supplier_name"]][pid] < top[1]:
                not_most += 1
        for t in tags:
            cnt[t] += 1
    n = len(B)
    if cnt["overhead"] < 0.18 * n:
        err("%s: overhead %d < 18%% of %d" % (W, cnt["overhead"], n))
    if cnt["plain"] < 15:
        err("%s: plain %d < 15" % (W, cnt["plain"]))
    if cnt["po-reference"] < 12:
        err("%s: po-reference %d < 12" % (W, cnt["po-reference"]))
    bs = {b["supplier_name"] for b in B}
    hs = {h["supplier_name"] for h in H}
    nov = len(bs - hs) / len(bs)
    if not 0.35 <= nov <= 0.50:
        err("%s: new-supplier share %.2f outside 35-50%%" % (W, nov))
    if styles != {"dotted", "plain"}:
        err("%s: RUT spellings used: %s" % (W, styles))
    if oh_place < 1:
        err("%s: no overhead bill mentions a commune shared with one or two projects" % W)
    if not_most < 1:
        err("%s: no bill goes to a project other than its supplier's most-served one" % W)
    oh_sup = sum(1 for b in B if b["expected_project_id"] is None and len(served.get(b["supplier_name"], set()) - {None}) >= 1)
    if oh_sup < 1:
        err("%s: no overhead bill from a supplier that also bills projects" % W)
    rows.append((name, len(P), len(H), oh_hist, n, cnt["overhead"], 100.0 * cnt["overhead"] / n, cnt["po-reference"],
                 cnt["shared-supplier"], cnt["plain"], cnt["place-variant"], cnt["trade-vocabulary"], cnt["client-only"],
                 cnt["typo"], len(bs), len(bs - hs), 100 * nov, len(multi), not_most, oh_place))

if files_with_oh_hist != 2:
    err("overhead history rows in %d files, expected exactly 2" % files_with_oh_hist)
if total_bills < 500:
    err("only %d bills in all" % total_bills)

hdr = ["file", "projects", "history", "hist overhead", "bills", "overhead", "overhead %", "po-reference",
       "shared-supplier", "plain", "place-variant", "trade-vocabulary", "client-only", "typo", "bill suppliers",
       "new suppliers", "new %", "multi-project suppliers", "bills not to supplier's top project", "overhead bills naming a project commune"]
print("| " + " | ".join(hdr) + " |")
print("|" + "---|" * len(hdr))
for r in rows:
    print("| " + " | ".join(("%.1f" % x) if isinstance(x, float) else str(x) for x in r) + " |")
print("total bills: %d" % total_bills)
if errors:
    for e in errors:
        print("ERROR:", e)
    print("%d violation(s)" % len(errors))
    sys.exit(1)
print("check.py: all rules pass")
