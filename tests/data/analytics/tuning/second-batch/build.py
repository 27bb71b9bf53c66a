#!/usr/bin/env python3
"""Build /work/blind2/*.json from the hand-written source files in src/.

Source format (one record per line, '|' separated, '#' starts a comment line):
  COMPANY|name|rut body|trade|head_office
  P|id|code|name|client|location|start|end|budget|kw1;kw2
  D|description of the preceding project
  S|key|rut body (no check digit)|supplier name
  H|supplier key|project id or -|description
  B|supplier key|project id or -|issue date|purchase order|manual tags|invoice description
  L|description|quantity|unit|unit price          (lines of the preceding B)
Manual tags: place-variant, trade-vocabulary, client-only, typo, plain.
Rule tags added here: overhead (expected null), shared-supplier, po-reference.
Only the python3 standard library is used.
"""
import json
import os
import random
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
COMPANIES = [
    # (source file, output file, bill id prefix, seed)
    ("electrical.txt", "electrical.json", "X", 7101),
    ("telecom.txt", "telecom.json", "T", 7202),
    ("water-industrial.txt", "water-industrial.json", "W", 7303),
]
MANUAL_TAGS = {"place-variant", "trade-vocabulary", "client-only", "typo", "plain"}
TAG_ORDER = ["overhead", "place-variant", "trade-vocabulary", "shared-supplier",
             "po-reference", "client-only", "typo", "plain"]


def dv(body):
    """Módulo-11 check digit of a RUT body (int or digit string)."""
    s, m = 0, 2
    for d in reversed(str(int(body))):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return {11: "0", 10: "K"}.get(r, str(r))


def fmt_rut(body, style):
    d = dv(body)
    b = str(int(body))
    if style == 0:  # 76.234.567-6
        rev = b[::-1]
        grp = ".".join(rev[i:i + 3] for i in range(0, len(rev), 3))[::-1]
        return f"{grp}-{d}"
    if style == 1:  # 76234567-6
        return f"{b}-{d}"
    # style 2: lower-case k where it applies, dotted otherwise plain
    if d == "K":
        return f"{b}-k"
    rev = b[::-1]
    grp = ".".join(rev[i:i + 3] for i in range(0, len(rev), 3))[::-1]
    return f"{grp}-{d}"


def norm_id(text):
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def num(s):
    s = s.strip()
    v = float(s)
    return int(v) if v == int(v) else v


def parse(path):
    company, projects, suppliers, history, bills = None, [], {}, [], []
    with open(path, encoding="utf-8") as fh:
        for ln, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").strip()
            if not line or line.startswith("#"):
                continue
            f = [x.strip() for x in line.split("|")]
            k = f[0]
            try:
                if k == "COMPANY":
                    company = {"name": f[1], "rut_body": f[2], "trade": f[3], "head_office": f[4]}
                elif k == "P":
                    kws = [x.strip() for x in f[9].split(";") if x.strip()] if len(f) > 9 else []
                    projects.append({"id": int(f[1]), "code": f[2], "name": f[3], "description": "",
                                     "client": f[4], "location": f[5], "start_date": f[6],
                                     "end_date": f[7], "budget": int(f[8].replace(".", "")),
                                     "keywords": kws})
                elif k == "D":
                    projects[-1]["description"] = f[1]
                elif k == "S":
                    assert f[1] not in suppliers, f"duplicate supplier key {f[1]}"
                    suppliers[f[1]] = (int(f[2]), f[3])
                elif k == "H":
                    assert f[1] in suppliers, f"unknown supplier {f[1]}"
                    history.append({"key": f[1], "pid": None if f[2] == "-" else int(f[2]),
                                    "description": f[3]})
                elif k == "B":
                    assert f[1] in suppliers, f"unknown supplier {f[1]}"
                    tags = [t.strip() for t in f[5].split(",") if t.strip()]
                    for t in tags:
                        assert t in MANUAL_TAGS, f"bad manual tag {t}"
                    bills.append({"key": f[1], "pid": None if f[2] == "-" else int(f[2]),
                                  "date": f[3], "po": f[4], "tags": tags,
                                  "desc": f[6], "lines": [], "src_line": ln})
                elif k == "L":
                    bills[-1]["lines"].append({"description": f[1], "quantity": num(f[2]),
                                               "unit": f[3], "unit_price": num(f[4])})
                else:
                    raise ValueError(f"unknown record {k}")
            except Exception as e:  # noqa: BLE001
                sys.exit(f"{path}:{ln}: {e}: {line}")
    return company, projects, suppliers, history, bills


def build(src, out, prefix, seed):
    company, projects, suppliers, history, bills = parse(os.path.join(HERE, "src", src))
    rng = random.Random(seed)
    pids = {p["id"] for p in projects}
    kw_by_pid = {p["id"]: [norm_id(k) for k in p["keywords"]] for p in projects}

    hist_out = []
    hist_count = {}
    for h in history:
        assert h["pid"] is None or h["pid"] in pids, h
        body, name = suppliers[h["key"]]
        hist_out.append({"supplier_rut": fmt_rut(body, rng.randrange(3)), "supplier_name": name,
                         "description": h["description"], "project_id": h["pid"]})
        hist_count.setdefault(h["key"], Counter())[h["pid"]] += 1

    bills_out = []
    for b in bills:
        assert b["pid"] is None or b["pid"] in pids, b
        assert b["lines"], f"bill without lines at source line {b['src_line']}"
        total = sum(l["quantity"] * l["unit_price"] for l in b["lines"])
        assert abs(total - round(total)) < 1e-6, f"non-integer amount at line {b['src_line']}"
        text = norm_id(" ".join([b["desc"], b["po"]] + [l["description"] for l in b["lines"]]))
        tags = set(b["tags"])
        if b["pid"] is None:
            tags.add("overhead")
        for pid, kws in kw_by_pid.items():
            hit = any(k and k in text for k in kws)
            if hit and pid != b["pid"]:
                sys.exit(f"{src}:{b['src_line']}: bill carries a keyword of project {pid}")
            if hit and pid == b["pid"]:
                tags.add("po-reference")
        c = hist_count.get(b["key"], Counter())
        if len(c) >= 2 and c.get(b["pid"], 0) < max(c.values()):
            tags.add("shared-supplier")
        body, name = suppliers[b["key"]]
        bills_out.append({"invoice_description": b["desc"], "supplier_rut": fmt_rut(body, rng.randrange(3)),
                          "supplier_name": name, "amount": int(round(total)), "issue_date": b["date"],
                          "purchase_order": b["po"], "lines": b["lines"],
                          "expected_project_id": b["pid"],
                          "difficulty": [t for t in TAG_ORDER if t in tags]})
    rng.shuffle(bills_out)
    for i, b in enumerate(bills_out, 1):
        b_id = f"{prefix}{i:03d}"
        bills_out[i - 1] = {"id": b_id, **b}

    body = company["rut_body"]
    data = {"company": {"name": company["name"], "rut": fmt_rut(body, 0), "trade": company["trade"],
                        "head_office": company["head_office"]},
            "projects": projects, "history": hist_out, "bills": bills_out}
    with open(os.path.join(HERE, "..", out), "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return data


def stats(name, data):
    bills = data["bills"]
    n = len(bills)
    oh = sum(1 for b in bills if b["expected_project_id"] is None)
    tc = Counter(t for b in bills for t in b["difficulty"])
    row = {"file": name, "projects": len(data["projects"]), "history": len(data["history"]),
           "history_overhead": sum(1 for h in data["history"] if h["project_id"] is None),
           "bills": n, "overhead_bills": oh, "overhead_pct": round(100 * oh / n, 1) if n else 0}
    for t in TAG_ORDER:
        row[t] = tc.get(t, 0)
    return row


def main():
    rows = []
    for src, out, prefix, seed in COMPANIES:
        if not os.path.exists(os.path.join(HERE, "src", src)):
            print(f"skip {src} (missing)")
            continue
        rows.append(stats(out, build(src, out, prefix, seed)))
    cols = ["file", "projects", "history", "history_overhead", "bills", "overhead_bills", "overhead_pct"] + TAG_ORDER
    print(" | ".join(cols))
    for r in rows:
        print(" | ".join(str(r[c]) for c in cols))
        n = r["bills"]
        print("   % " + " ".join(f"{t}={100*r[t]/n:.0f}" for t in TAG_ORDER))


if __name__ == "__main__":
    main()
