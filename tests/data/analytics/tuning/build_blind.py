#!/usr/bin/env python3
"""Assemble the blind evaluation JSON files from the hand-written sources.

The sources (src_*.txt in this folder) were written by hand. This script only
  * computes the Chilean RUT check digit (modulo 11) for every RUT body,
  * writes RUTs in mixed spellings (with dots, without dots) in a fixed,
    deterministic way per occurrence,
  * computes each bill's net amount as the sum of its line items,
  * shuffles the bills with a fixed seed and numbers them afresh (E001...),
    so that the order of writing (project by project) is not visible,
  * writes <company>.json.
Standard library only.  Usage:  python3 build_blind.py
"""
import hashlib
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = [
    ("src_electrical_epc.txt", "electrical-epc.json"),
    ("src_civil_works.txt", "civil-works.json"),
    ("src_mining_services.txt", "mining-services.json"),
]


def rut_dv(body: int) -> str:
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - (s % 11)
    return "0" if r == 11 else ("K" if r == 10 else str(r))


def fmt_rut(body: int, style: int) -> str:
    dv = rut_dv(body)
    b = str(body)
    if style == 0:  # 76.234.567-6
        parts = []
        while b:
            parts.insert(0, b[-3:])
            b = b[:-3]
        return ".".join(parts) + "-" + dv
    if style == 1:  # 76234567-6
        return b + "-" + dv
    if style == 2:  # lower-case k where it applies, with dots
        return fmt_rut(body, 0).lower()
    return fmt_rut(body, 0)


def style_for(key: str) -> int:
    h = int(hashlib.md5(key.encode()).hexdigest(), 16) % 10
    if h < 5:
        return 0
    if h < 9:
        return 1
    return 2


def num(s: str):
    s = s.strip().replace("_", "")
    if "." in s:
        return float(s)
    return int(s)


def parse(path):
    company, suppliers, projects, history, bills = {}, {}, [], [], []
    section = None
    cur = None
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                if line.startswith("@"):
                    section = line[1:].strip()
                    continue
                if section == "company":
                    k, v = line.split(":", 1)
                    company[k.strip()] = v.strip()
                elif section == "suppliers":
                    key, body, name = [x.strip() for x in line.split("|")]
                    suppliers[key] = (int(body.replace(".", "")), name)
                elif section == "projects":
                    if line.startswith("  ~"):
                        projects[-1]["description"] = line[3:].strip()
                        continue
                    f_ = [x.strip() for x in line.split("|")]
                    pid, code, name, client, loc, sd, ed, budget, kw = f_
                    projects.append({
                        "id": int(pid), "code": code, "name": name, "description": "",
                        "client": client, "location": loc, "start_date": sd, "end_date": ed,
                        "budget": int(budget.replace("_", "")),
                        "keywords": [k.strip() for k in kw.split(";") if k.strip()],
                    })
                elif section == "history":
                    key, pid, desc = [x.strip() for x in line.split("|", 2)]
                    history.append((key, None if pid == "-" else int(pid), desc))
                elif section == "bills":
                    if line.startswith("#"):
                        f_ = [x.strip() for x in line[1:].split("|")]
                        bid, key, pid, date, po, tags = f_
                        cur = {"id": bid, "key": key, "pid": None if pid == "-" else int(pid),
                               "date": date, "po": "" if po == "-" else po,
                               "tags": [t.strip() for t in tags.split(",") if t.strip()],
                               "desc": "", "lines": [], "name": None}
                        bills.append(cur)
                    elif line.startswith(">"):
                        cur["desc"] = line[1:].strip()
                    elif line.startswith("="):
                        cur["name"] = line[1:].strip()  # supplier name as printed on this bill
                    elif line.startswith("-"):
                        d, q, u, p = [x.strip() for x in line[1:].rsplit("|", 3)]
                        cur["lines"].append({"description": d, "quantity": num(q), "unit": u,
                                             "unit_price": num(p)})
                    else:
                        raise ValueError("unexpected line")
            except Exception as e:  # pragma: no cover
                sys.exit(f"{path}:{lineno}: {e}: {line!r}")
    return company, suppliers, projects, history, bills


def build(src, out):
    company, suppliers, projects, history, bills = parse(os.path.join(HERE, src))
    crut = int(company["rut"].replace(".", ""))
    doc = {
        "company": {"name": company["name"], "rut": fmt_rut(crut, 0),
                    "trade": company["trade"], "head_office": company["head_office"]},
        "projects": projects,
        "history": [],
        "bills": [],
    }
    for i, (key, pid, desc) in enumerate(history):
        body, name = suppliers[key]
        doc["history"].append({"supplier_rut": fmt_rut(body, style_for(f"h{i}{key}")),
                               "supplier_name": name, "description": desc, "project_id": pid})
    # The sources are written project by project; shuffle them (fixed seed) and
    # number them afresh so that neither order nor id reveals the answer.
    prefix = bills[0]["id"][0]
    order = list(bills)
    random.Random("blind-" + out).shuffle(order)
    for n, b in enumerate(order, 1):
        b["src_id"], b["id"] = b["id"], f"{prefix}{n:03d}"
    for b in order:
        body, name = suppliers[b["key"]]
        amount = round(sum(l["quantity"] * l["unit_price"] for l in b["lines"]))
        doc["bills"].append({
            "id": b["id"], "invoice_description": b["desc"],
            "supplier_rut": fmt_rut(body, style_for(b["id"] + b["key"])),
            "supplier_name": b["name"] or name, "amount": amount, "issue_date": b["date"],
            "purchase_order": b["po"], "lines": b["lines"],
            "expected_project_id": b["pid"], "difficulty": b["tags"],
        })
    with open(os.path.join(HERE, out), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{out}: {len(projects)} projects, {len(history)} history, {len(bills)} bills")


if __name__ == "__main__":
    for src, out in SOURCES:
        if os.path.exists(os.path.join(HERE, src)):
            build(src, out)
