#!/usr/bin/env python3
"""Build the three evaluation JSON files from the hand-written sources in src/.

Source format (one file per company, src/*.txt), sections in [brackets]:

[company]     key = value lines (name, rut, trade, head_office, prefix, seed, file)
[projects]    id | name | code | client | location | description | kw1;kw2 | budget | start | end
[suppliers]   KEY | name | rut body (digits, no check digit) | style (d = dotted, p = plain)
[history]     KEY | booked description | project id or -
[bills]       header:  project id or - | KEY | date or empty | purchase order | tags | invoice description
              lines:   (indented) description | quantity | unit | unit price

Mechanical work only: RUT check digits and formatting, amounts, dates left
empty (seeded pick inside the project window), the `overhead` and
`po-reference` tags (recomputed by rule), shuffling and bill ids.
"""
import json, os, random, re, sys, datetime as dt

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
TODAY = dt.date(2026, 12, 6)


def dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return {11: "0", 10: "K"}.get(r, str(r))


def fmt_rut(body, style, lower_k):
    d = dv(body)
    if d == "K" and lower_k:
        d = "k"
    b = str(body)
    if style == "d":
        rev = b[::-1]
        parts = [rev[i:i + 3][::-1] for i in range(0, len(rev), 3)]
        b = ".".join(reversed(parts))
    return f"{b}-{d}"


def norm(s):
    return re.sub(r"[\s\.]", "", s.upper())


def parse(path):
    sec = None
    data = {"company": {}, "projects": [], "suppliers": {}, "history": [], "bills": []}
    cur = None
    for ln, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r"^\[(\w+)\]\s*$", line)
        if m:
            sec = m.group(1)
            continue
        try:
            if sec == "company":
                k, v = line.split("=", 1)
                data["company"][k.strip()] = v.strip()
            elif sec == "projects":
                f = [x.strip() for x in line.split("|")]
                assert len(f) == 10, f
                data["projects"].append({
                    "id": int(f[0]), "name": f[1], "code": f[2], "client": f[3],
                    "location": f[4], "description": f[5],
                    "keywords": [k.strip() for k in f[6].split(";") if k.strip()],
                    "budget": int(f[7].replace(".", "")), "start_date": f[8], "end_date": f[9]})
            elif sec == "suppliers":
                f = [x.strip() for x in line.split("|")]
                assert len(f) == 4, f
                data["suppliers"][f[0]] = {"name": f[1], "body": int(f[2].replace(".", "")), "style": f[3]}
            elif sec == "history":
                f = [x.strip() for x in line.split("|")]
                assert len(f) == 3, f
                data["history"].append((f[0], f[1], None if f[2] == "-" else int(f[2])))
            elif sec == "bills":
                if raw[0] in " \t":
                    f = [x.strip() for x in line.split("|")]
                    assert len(f) == 4, f
                    q = float(f[1].replace(",", "."))
                    q = int(q) if q == int(q) else q
                    cur["lines"].append({"description": f[0], "quantity": q, "unit": f[2],
                                         "unit_price": int(f[3].replace(".", ""))})
                else:
                    f = [x.strip() for x in line.split("|")]
                    assert len(f) == 6, f
                    cur = {"pid": None if f[0] == "-" else int(f[0]), "sup": f[1], "date": f[2],
                           "po": f[3], "tags": [t.strip() for t in f[4].split(",") if t.strip()],
                           "desc": f[5], "lines": [], "ln": ln}
                    data["bills"].append(cur)
        except Exception as e:
            sys.exit(f"{path}:{ln}: {e}: {line}")
    return data


def build(path):
    d = parse(path)
    c = d["company"]
    rng = random.Random(int(c["seed"]))
    projects = {p["id"]: p for p in d["projects"]}
    sups = d["suppliers"]

    def rut_for(key):
        s = sups[key]
        style = s["style"]
        if rng.random() < 0.2:  # bookkeepers do not always write a RUT the same way
            style = "p" if style == "d" else "d"
        return fmt_rut(s["body"], style, lower_k=(style == "p"))

    history = []
    for key, desc, pid in d["history"]:
        if key not in sups:
            sys.exit(f"unknown supplier {key} in history")
        if pid is not None and pid not in projects:
            sys.exit(f"unknown project {pid} in history")
        history.append({"supplier_name": sups[key]["name"], "supplier_rut": rut_for(key),
                        "description": desc, "project_id": pid})

    bills = []
    for b in d["bills"]:
        if b["sup"] not in sups:
            sys.exit(f"{path}:{b['ln']}: unknown supplier {b['sup']}")
        if not b["lines"]:
            sys.exit(f"{path}:{b['ln']}: bill without lines")
        amount = 0
        for l in b["lines"]:
            v = l["quantity"] * l["unit_price"]
            if abs(v - round(v)) > 1e-9:
                sys.exit(f"{path}:{b['ln']}: non-integer line total {l}")
            amount += int(round(v))
        pid = b["pid"]
        if pid is not None and pid not in projects:
            sys.exit(f"{path}:{b['ln']}: unknown project {pid}")
        date = b["date"]
        if not date:
            if pid is None:
                lo, hi = dt.date(2025, 4, 1), dt.date(2026, 11, 30)
            else:
                p = projects[pid]
                lo = dt.date.fromisoformat(p["start_date"]) + dt.timedelta(days=5)
                hi = min(dt.date.fromisoformat(p["end_date"]), TODAY - dt.timedelta(days=3))
                if hi < lo:
                    hi = lo
            date = (lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))).isoformat()
        text = norm(" ".join([b["desc"], b["po"]] + [l["description"] for l in b["lines"]]))
        tags = [t for t in b["tags"] if t not in ("overhead", "po-reference", "plain")]
        if pid is None:
            tags.insert(0, "overhead")
        else:
            if any(norm(k) in text for k in projects[pid]["keywords"]):
                tags.append("po-reference")
        if not tags:
            tags = ["plain"]
        bills.append({"supplier_name": sups[b["sup"]]["name"], "supplier_rut": rut_for(b["sup"]),
                      "issue_date": date, "invoice_description": b["desc"], "purchase_order": b["po"],
                      "amount": amount, "lines": b["lines"], "expected_project_id": pid,
                      "difficulty": tags})
    rng.shuffle(bills)
    width = 3
    for i, b in enumerate(bills, 1):
        b["id"] = f"{c['prefix']}{i:0{width}d}"
    bills = [{"id": b["id"], **{k: v for k, v in b.items() if k != "id"}} for b in bills]

    out = {
        "company": {"name": c["name"], "rut": fmt_rut(int(c["rut"]), "d", False),
                    "trade": c["trade"], "head_office": c["head_office"]},
        "projects": d["projects"],
        "history": history,
        "bills": bills,
    }
    with open(os.path.join(HERE, "..", c["file"]), "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    print(f"{c['file']}: {len(d['projects'])} projects, {len(history)} history, {len(bills)} bills")


if __name__ == "__main__":
    for name in ["agro.txt", "steel.txt", "fuelgas.txt"]:
        p = os.path.join(SRC, name)
        if os.path.exists(p):
            build(p)
