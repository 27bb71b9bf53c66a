#!/usr/bin/env python3
"""Checks the three data set files against the rules of the brief.
Exits 1 on any violation; prints a per-file count table."""
import json, os, re, sys, collections, datetime

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("environmental.json", "V", 901, 999), ("public-buildings.json", "B", 1001, 1099),
         ("aquaculture.json", "Q", 1101, 1199)]
TAGS = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
        "client-only", "typo", "plain"]
LAST = datetime.date(2026, 12, 6)
errors = []


def err(f, msg):
    errors.append("%s: %s" % (f, msg))


def rut_ok(r):
    m = re.fullmatch(r"(\d{1,3}(?:\.\d{3})*|\d+)-([0-9k])", r)
    if not m:
        return False
    body = m.group(1).replace(".", "")
    if "." in m.group(1) and m.group(1) != "{:,}".format(int(body)).replace(",", "."):
        return False
    s, mul = 0, 2
    for d in reversed(body):
        s += int(d) * mul
        mul = 2 if mul == 7 else mul + 1
    r11 = 11 - s % 11
    exp = "0" if r11 == 11 else ("k" if r11 == 10 else str(r11))
    return exp == m.group(2)


def norm(s):
    return re.sub(r"[\s.]", "", s.lower())


def date(s):
    return datetime.date.fromisoformat(s) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) else None


def typed(obj, spec, f, where):
    if not isinstance(obj, dict) or list(obj.keys()) != list(spec.keys()):
        err(f, "%s keys %s" % (where, list(obj.keys()) if isinstance(obj, dict) else type(obj)))
        return False
    for k, t in spec.items():
        v = obj[k]
        ok = isinstance(v, t) and not (isinstance(v, bool))
        if not ok:
            err(f, "%s field %s has type %s" % (where, k, type(v).__name__))
    return True


rows = []
hist_overhead_files = 0
total_bills = 0
for fname, prefix, lo, hi in FILES:
    path = os.path.join(HERE, "..", fname)
    if not os.path.exists(path):
        err(fname, "missing")
        continue
    d = json.load(open(path, encoding="utf-8"))
    if list(d.keys()) != ["company", "projects", "history", "bills"]:
        err(fname, "top-level keys %s" % list(d.keys()))
        continue
    typed(d["company"], {"name": str, "rut": str, "trade": str}, fname, "company")
    if not rut_ok(d["company"]["rut"]):
        err(fname, "company rut %s" % d["company"]["rut"])
    projects = d["projects"]
    pspec = {"id": int, "name": str, "code": str, "client": str, "location": str, "description": str,
             "keywords": list, "budget": int, "start_date": str, "end_date": str}
    pmap = {}
    for p in projects:
        typed(p, pspec, fname, "project %s" % p.get("id"))
        if not lo <= p["id"] <= hi:
            err(fname, "project id %s out of range" % p["id"])
        if p["id"] in pmap:
            err(fname, "duplicate project id %s" % p["id"])
        pmap[p["id"]] = p
        if p["name"] != p["name"].upper():
            err(fname, "project %s name not upper case" % p["id"])
        if not (1 <= len(p["keywords"]) <= 2) or not all(isinstance(k, str) and k for k in p["keywords"]):
            err(fname, "project %s keywords" % p["id"])
        s, e = date(p["start_date"]), date(p["end_date"])
        if not s or not e or s > e:
            err(fname, "project %s dates" % p["id"])
        elif e.year < 2025 or s.year > 2026:
            err(fname, "project %s window outside 2025-2026" % p["id"])
        if p["budget"] <= 0:
            err(fname, "project %s budget" % p["id"])
    if len(projects) != 30:
        err(fname, "%d projects, want 30" % len(projects))
    # keywords unique across projects and not substrings of each other
    kwn = {}
    for p in projects:
        for k in p["keywords"]:
            kwn.setdefault(norm(k), set()).add(p["id"])
    for k, ids in kwn.items():
        if len(ids) > 1:
            err(fname, "keyword %s shared by %s" % (k, ids))
    clients = collections.Counter(p["client"] for p in projects)
    if max(clients.values()) < 2:
        err(fname, "no client with 2+ projects")
    locs = collections.Counter(p["location"].split(",")[0].strip() for p in projects)
    if max(locs.values()) < 2:
        err(fname, "no commune with 2+ projects")

    def kw_hits(texts):
        n = [norm(t) for t in texts]
        return {pid for k, ids in kwn.items() for pid in ids if any(k in t for t in n)}

    # suppliers: one RUT per name, and one name per RUT
    sup_rut = {}
    rut_sup = {}

    def sup(name, rut, where):
        if not rut_ok(rut):
            err(fname, "%s bad rut %s" % (where, rut))
        if sup_rut.setdefault(name, rut) != rut:
            err(fname, "%s supplier %s has two ruts" % (where, name))
        if rut_sup.setdefault(rut, name) != name:
            err(fname, "%s rut %s has two suppliers" % (where, rut))

    hist = d["history"]
    hspec = {"supplier_name": str, "supplier_rut": str, "description": str, "project_id": (int, type(None))}
    counts = collections.defaultdict(collections.Counter)
    hist_null = 0
    for i, h in enumerate(hist):
        typed(h, hspec, fname, "history %d" % i)
        sup(h["supplier_name"], h["supplier_rut"], "history %d" % i)
        pid = h["project_id"]
        if pid is None:
            hist_null += 1
        else:
            if pid not in pmap:
                err(fname, "history %d unknown project %s" % (i, pid))
            counts[h["supplier_name"]][pid] += 1
        bad = kw_hits([h["description"]]) - ({pid} if pid is not None else set())
        if bad:
            err(fname, "history %d contains keyword of other project %s" % (i, bad))
    if len(hist) < 150:
        err(fname, "history rows %d < 150" % len(hist))
    if hist_null:
        hist_overhead_files += 1

    bills = d["bills"]
    bspec = {"id": str, "supplier_name": str, "supplier_rut": str, "issue_date": str,
             "invoice_description": str, "purchase_order": str, "amount": int, "lines": list,
             "expected_project_id": (int, type(None)), "difficulty": list}
    lspec = {"description": str, "quantity": (int, float), "unit": str, "unit_price": int}
    tagc = collections.Counter()
    ids = set()
    overhead = 0
    for n, b in enumerate(bills, 1):
        where = "bill %s" % b.get("id")
        typed(b, bspec, fname, where)
        if b["id"] != "%s%03d" % (prefix, n):
            err(fname, "%s id out of sequence (want %s%03d)" % (where, prefix, n))
        if b["id"] in ids:
            err(fname, "%s duplicate id" % where)
        ids.add(b["id"])
        sup(b["supplier_name"], b["supplier_rut"], where)
        if not b["lines"]:
            err(fname, "%s no lines" % where)
        tot = 0
        for l in b["lines"]:
            typed(l, lspec, fname, where + " line")
            tot += l["quantity"] * l["unit_price"]
        if abs(tot - b["amount"]) > 0.01:
            err(fname, "%s amount %s != lines %s" % (where, b["amount"], tot))
        pid = b["expected_project_id"]
        dt = date(b["issue_date"])
        if not dt:
            err(fname, "%s bad date" % where)
        elif dt > LAST:
            err(fname, "%s date after %s" % (where, LAST))
        if pid is not None:
            if pid not in pmap:
                err(fname, "%s unknown project %s" % (where, pid))
                continue
            p = pmap[pid]
            if dt and not (date(p["start_date"]) - datetime.timedelta(days=31) <= dt
                           <= date(p["end_date"]) + datetime.timedelta(days=62)):
                err(fname, "%s date %s outside project window" % (where, dt))
        else:
            overhead += 1
        tags = b["difficulty"]
        if not tags or len(set(tags)) != len(tags) or any(t not in TAGS for t in tags):
            err(fname, "%s bad tags %s" % (where, tags))
        texts = [b["invoice_description"], b["purchase_order"]] + [l["description"] for l in b["lines"]]
        hits = kw_hits(texts)
        # never another project's keyword
        if hits - ({pid} if pid is not None else set()):
            err(fname, "%s contains keyword of other project %s" % (where, hits - {pid}))
        # no project code (internal ERP code) of another project inside a bill
        codes = {norm(q["code"]): q["id"] for q in projects}
        ntexts = [norm(t) for t in texts]
        for cn, cid in codes.items():
            if cid != pid and any(cn in t for t in ntexts):
                err(fname, "%s contains project code of project %s" % (where, cid))
        # rule tags
        want_po = pid is not None and pid in hits
        if want_po != ("po-reference" in tags):
            err(fname, "%s po-reference tag mismatch (hits %s)" % (where, hits))
        if (pid is None) != ("overhead" in tags):
            err(fname, "%s overhead tag mismatch" % where)
        c = counts.get(b["supplier_name"])
        want_ss = pid is not None and bool(c) and len(c) >= 2 and c[pid] < max(c.values())
        if want_ss != ("shared-supplier" in tags):
            err(fname, "%s shared-supplier tag mismatch" % where)
        if "client-only" in tags and (pid is None or clients[pmap[pid]["client"]] != 1):
            err(fname, "%s client-only but client has %s projects" % (where, pid and clients[pmap[pid]["client"]]))
        if ("plain" in tags) and len(tags) != 1:
            err(fname, "%s plain with other tags" % where)
        for t in tags:
            tagc[t] += 1
    nb = len(bills)
    total_bills += nb
    if nb < 165:
        err(fname, "bills %d < 165" % nb)
    if nb and overhead / nb < 0.18:
        err(fname, "overhead share %.1f%% < 18%%" % (100.0 * overhead / nb))
    # order must not reveal project grouping: bill order is not sorted by project
    seq = [b["expected_project_id"] or 0 for b in bills]
    if seq == sorted(seq) or seq == sorted(seq, reverse=True):
        err(fname, "bills look sorted by project")
    rows.append((fname, len(projects), len(hist), hist_null, nb, 100.0 * overhead / nb if nb else 0, tagc))

if hist_overhead_files != 2:
    errors.append("overhead history rows present in %d files, want exactly 2" % hist_overhead_files)
if total_bills < 500:
    errors.append("total bills %d < 500" % total_bills)

head = ["file", "projects", "history", "hist-null", "bills", "overhead%"] + TAGS
print(" | ".join(head))
print(" | ".join("---" for _ in head))
tot = collections.Counter()
for r in rows:
    print(" | ".join([r[0], str(r[1]), str(r[2]), str(r[3]), str(r[4]), "%.1f" % r[5]] +
                     ["%d (%.0f%%)" % (r[6][t], 100.0 * r[6][t] / r[4]) for t in TAGS]))
    tot.update(r[6])
if rows:
    nb = sum(r[4] for r in rows)
    print(" | ".join(["TOTAL", str(sum(r[1] for r in rows)), str(sum(r[2] for r in rows)),
                      str(sum(r[3] for r in rows)), str(nb),
                      "%.1f" % (100.0 * tot["overhead"] / nb)] +
                     ["%d (%.0f%%)" % (tot[t], 100.0 * tot[t] / nb) for t in TAGS]))
if errors:
    print("\n%d VIOLATIONS:" % len(errors))
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("\nALL CHECKS PASSED")
