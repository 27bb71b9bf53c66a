#!/usr/bin/env python3
"""Build the three evaluation JSON files from the hand-written sources in src/.

Source format (one file per company, src/<name>.txt), '#' starts a comment line:
  @company      key=value lines (name, rut [body only], trade, head_office)
  @projects     id|code|name|client|location|start|end|budget|kw1;kw2|description
  @suppliers    key|rut_body|fmt|name      fmt: D dotted, P plain, d/p same with lower-case k
  @history      supplier_key|project_id or -|description
  @bills        supplier_key|issue_date|project_id or -|tags|purchase_order|invoice_description
                > quantity|unit|unit_price|line description        (one or more lines)
Tag shorthands: PV place-variant, TV trade-vocabulary, SS shared-supplier, PO po-reference,
CO client-only, TY typo, PL plain, R reverse trap (looks like overhead, belongs to a project;
kept only in src/reverse_traps.json, not in the dataset). 'overhead' is set from the project id;
'po-reference' is checked against the project's keywords (error if claimed but absent, added if
present but unclaimed).
"""
import json, random, re, sys, os

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("maritime", "M", 301, 399, 20240917),
         ("building-mep", "B", 401, 499, 20241103),
         ("rail-urban", "R", 501, 599, 20250211)]
TAGS = {"PV": "place-variant", "TV": "trade-vocabulary", "SS": "shared-supplier",
        "PO": "po-reference", "CO": "client-only", "TY": "typo", "PL": "plain"}
ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier", "po-reference",
         "client-only", "typo", "plain"]


def rut_dv(body: int) -> str:
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return "0" if r == 11 else "K" if r == 10 else str(r)


def fmt_rut(body: str, fmt: str) -> str:
    digits = re.sub(r"\D", "", body)
    dv = rut_dv(int(digits))
    if fmt in "dp":
        dv = dv.lower()
    if fmt in "Dd":
        n = int(digits)
        s = f"{n:,}".replace(",", ".")
        return f"{s}-{dv}"
    return f"{digits}-{dv}"


def norm(s: str) -> str:
    return re.sub(r"[\s.\-/°º#:]", "", s.upper())


def kw_in(kw: str, text: str) -> bool:
    k = norm(kw)
    if not k:
        return False
    return re.search(r"(?<![0-9])" + re.escape(k) + r"(?![0-9])", norm(text)) is not None


def bill_fields(b):
    return [b["invoice_description"], b["purchase_order"]] + [l["description"] for l in b["lines"]]


def num(s):
    s = s.strip().replace(",", ".")
    v = float(s)
    return int(v) if v == int(v) and "." not in s else v


def parse(path):
    sec = None
    comp, projects, sups, hist, bills = {}, [], {}, [], []
    errors = []
    for ln, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("@"):
            sec = line[1:].strip()
            continue
        where = f"{os.path.basename(path)}:{ln}"
        try:
            if sec == "company":
                k, v = line.split("=", 1)
                comp[k.strip()] = v.strip()
            elif sec == "projects":
                f = [x.strip() for x in line.split("|")]
                assert len(f) == 10, f"project needs 10 fields, got {len(f)}"
                projects.append({"id": int(f[0]), "name": f[2], "code": f[1], "client": f[3],
                                 "location": f[4], "description": f[9],
                                 "keywords": [k.strip() for k in f[8].split(";") if k.strip()],
                                 "budget": int(f[7].replace(".", "")),
                                 "start_date": f[5], "end_date": f[6]})
            elif sec == "suppliers":
                f = [x.strip() for x in line.split("|")]
                assert len(f) == 4
                assert f[0] not in sups, "duplicate supplier key " + f[0]
                sups[f[0]] = {"name": f[3], "rut": fmt_rut(f[1], f[2])}
            elif sec == "history":
                f = [x.strip() for x in line.split("|", 2)]
                assert len(f) == 3
                hist.append({"sup": f[0], "pid": None if f[1] == "-" else int(f[1]), "desc": f[2], "where": where})
            elif sec == "bills":
                if line.lstrip().startswith(">"):
                    f = [x.strip() for x in line.lstrip()[1:].split("|", 3)]
                    assert len(f) == 4, "line needs 4 fields"
                    bills[-1]["lines"].append({"description": f[3], "quantity": num(f[0]),
                                               "unit": f[1], "unit_price": int(f[2].replace(".", ""))})
                else:
                    f = [x.strip() for x in line.split("|", 5)]
                    assert len(f) == 6, "bill needs 6 fields"
                    tags = [t.strip() for t in f[3].split(",") if t.strip()]
                    bills.append({"sup": f[0], "date": f[1], "pid": None if f[2] == "-" else int(f[2]),
                                  "tags": tags, "po": f[4], "desc": f[5], "lines": [], "where": where})
            else:
                raise ValueError("line outside a section")
        except Exception as e:  # noqa
            errors.append(f"{where}: {e}: {line}")
    return comp, projects, sups, hist, bills, errors


def build(name, prefix, lo, hi, seed):
    path = os.path.join(HERE, "src", name + ".txt")
    comp, projects, sups, hist, bills, errors = parse(path)
    pmap = {p["id"]: p for p in projects}
    for p in projects:
        if not lo <= p["id"] <= hi:
            errors.append(f"project id {p['id']} outside {lo}-{hi}")
    out_hist = []
    for h in hist:
        if h["sup"] not in sups:
            errors.append(f"{h['where']}: unknown supplier {h['sup']}"); continue
        if h["pid"] is not None and h["pid"] not in pmap:
            errors.append(f"{h['where']}: unknown project {h['pid']}")
        s = sups[h["sup"]]
        out_hist.append({"supplier_name": s["name"], "supplier_rut": s["rut"],
                         "description": h["desc"], "project_id": h["pid"]})
    out_bills, reverse = [], []
    for b in bills:
        if b["sup"] not in sups:
            errors.append(f"{b['where']}: unknown supplier {b['sup']}"); continue
        if b["pid"] is not None and b["pid"] not in pmap:
            errors.append(f"{b['where']}: unknown project {b['pid']}"); continue
        if not b["lines"]:
            errors.append(f"{b['where']}: bill without lines"); continue
        s = sups[b["sup"]]
        amount = sum(l["quantity"] * l["unit_price"] for l in b["lines"])
        if abs(amount - round(amount)) > 1e-6:
            errors.append(f"{b['where']}: non-integer amount {amount}")
        ob = {"id": None, "supplier_name": s["name"], "supplier_rut": s["rut"], "issue_date": b["date"],
              "invoice_description": b["desc"], "purchase_order": b["po"], "amount": int(round(amount)),
              "lines": b["lines"], "expected_project_id": b["pid"], "difficulty": []}
        tags = set()
        is_rev = False
        for t in b["tags"]:
            if t == "R":
                is_rev = True
            elif t in TAGS:
                tags.add(TAGS[t])
            elif t in ORDER:
                tags.add(t)
            else:
                errors.append(f"{b['where']}: unknown tag {t}")
        if b["pid"] is None:
            tags.add("overhead")
            if is_rev:
                errors.append(f"{b['where']}: reverse trap without project")
        else:
            tags.discard("overhead")
            found = any(kw_in(k, x) for k in pmap[b["pid"]]["keywords"] for x in bill_fields(ob))
            if "po-reference" in tags and not found:
                errors.append(f"{b['where']}: PO tag but no keyword of project {b['pid']}")
            if found and "po-reference" not in tags:
                print(f"note {b['where']}: keyword present, po-reference added")
                tags.add("po-reference")
        for p in projects:
            if p["id"] == b["pid"]:
                continue
            for k in p["keywords"]:
                if any(kw_in(k, x) for x in bill_fields(ob)):
                    errors.append(f"{b['where']}: carries keyword {k} of project {p['id']}")
        if not tags:
            tags.add("plain")
        ob["difficulty"] = [t for t in ORDER if t in tags]
        ob["_rev"] = is_rev
        out_bills.append(ob)
    if errors:
        return None, errors
    rng = random.Random(seed)
    rng.shuffle(out_bills)
    for i, ob in enumerate(out_bills, 1):
        ob["id"] = f"{prefix}{i:03d}"
        if ob.pop("_rev"):
            reverse.append(ob["id"])
    company = {"name": comp["name"], "rut": fmt_rut(comp["rut"], "D"), "trade": comp["trade"],
               "head_office": comp["head_office"]}
    data = {"company": company, "projects": projects, "history": out_hist, "bills": out_bills}
    return (data, reverse), []


def main():
    all_err, rev = [], {}
    for name, prefix, lo, hi, seed in FILES:
        res, errs = build(name, prefix, lo, hi, seed)
        if errs:
            all_err += errs
            continue
        data, reverse = res
        rev[name] = reverse
        with open(os.path.join(HERE, "..", name + ".json"), "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        print(f"{name}.json: {len(data['projects'])} projects, {len(data['history'])} history, "
              f"{len(data['bills'])} bills, {len(reverse)} reverse traps")
    if all_err:
        print("\n".join(all_err), file=sys.stderr)
        sys.exit(1)
    with open(os.path.join(HERE, "src", "reverse_traps.json"), "w", encoding="utf-8") as fh:
        json.dump(rev, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
