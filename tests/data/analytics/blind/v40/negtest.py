#!/usr/bin/env python3
"""Negative tests for check.py: break one rule at a time in a scratch copy and
confirm that check.py exits 1 and names the violation. Standard library only."""
import copy, json, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = ["museography.json", "pools.json", "watermetering.json"]


def load():
    return {f: json.load(open(os.path.join(HERE, "..", f), encoding="utf-8")) for f in FILES}


def bad_dv(d):
    b = d["museography.json"]["bills"][0]
    r = b["supplier_rut"]
    b["supplier_rut"] = r[:-1] + ("1" if r[-1] != "1" else "2")


def date_out(d):
    b = next(x for x in d["pools.json"]["bills"] if x["expected_project_id"])
    b["issue_date"] = "2024-12-31"


def drop_po(d):
    b = next(x for x in d["watermetering.json"]["bills"] if "po-reference" in x["difficulty"])
    b["difficulty"].remove("po-reference")


def foreign_core(d):
    b = next(x for x in d["museography.json"]["bills"] if x["expected_project_id"] is None)
    b["invoice_description"] += " OC 4500871203"


def drop_overhead(d):
    b = next(x for x in d["pools.json"]["bills"] if x["expected_project_id"] is None)
    b["difficulty"].remove("overhead")
    if not b["difficulty"]:
        b["difficulty"] = ["plain"]


def bad_amount(d):
    d["watermetering.json"]["bills"][5]["amount"] += 1


def dup_core(d):
    p = d["pools.json"]["projects"]
    p[1]["keywords"] = [p[0]["keywords"][0]]


def hist_overhead(d):
    for h in d["watermetering.json"]["history"][:3]:
        h["project_id"] = None


def two_names(d):
    b = d["museography.json"]["bills"][1]
    b["supplier_name"] = b["supplier_name"] + " Y CIA"


def budget(d):
    d["pools.json"]["projects"][0]["budget"] = 1000


def fake_commune(d):
    d["watermetering.json"]["projects"][3]["location"] = "Villa Inventada, Región de Antofagasta"


def few_bills(d):
    del d["museography.json"]["bills"][169:]


def client_only_shared(d):
    b = next(x for x in d["museography.json"]["bills"] if x["expected_project_id"] == 11415)
    b["difficulty"] = [t for t in b["difficulty"] if t != "plain"] + ["client-only"]


def key_order(d):
    b = d["pools.json"]["bills"][0]
    d["pools.json"]["bills"][0] = dict(reversed(list(b.items())))


def overhead_share(d):
    moved = 0
    for b in d["watermetering.json"]["bills"]:
        if b["expected_project_id"] is None and moved < 5:
            b["expected_project_id"] = 11612
            b["difficulty"] = [t for t in b["difficulty"] if t != "overhead"] or ["plain"]
            moved += 1


def shared_tag(d):
    b = next(x for x in d["pools.json"]["bills"] if "shared-supplier" in x["difficulty"])
    b["difficulty"].remove("shared-supplier")
    if not b["difficulty"]:
        b["difficulty"] = ["plain"]


CASES = [
    ("RUT check digit", bad_dv, "invalid RUT"),
    ("issue date outside window", date_out, "outside window"),
    ("po-reference tag removed", drop_po, "po-reference tag mismatch"),
    ("other project's core in overhead bill", foreign_core, "keyword core of other project"),
    ("overhead tag removed", drop_overhead, "overhead tag iff"),
    ("amount off by one", bad_amount, "amount"),
    ("duplicate keyword core", dup_core, "contained in"),
    ("history overhead rows in the 0-row company", hist_overhead, "history overhead rows"),
    ("second name for a RUT", two_names, "several names"),
    ("budget exceeded", budget, "above budget"),
    ("invented commune", fake_commune, "real commune"),
    ("too few bills", few_bills, "bills count"),
    ("client-only on a shared client", client_only_shared, "client-only but client"),
    ("key order", key_order, "keys/order"),
    ("overhead share below 20%", overhead_share, "overhead bills"),
    ("shared-supplier tag removed", shared_tag, "shared-supplier tag mismatch"),
]


def main():
    base = load()
    tmp = tempfile.mkdtemp(prefix="v40neg_")
    fails = 0
    try:
        for name, fn, needle in CASES:
            d = copy.deepcopy(base)
            fn(d)
            for f in FILES:
                with open(os.path.join(tmp, f), "w", encoding="utf-8") as fh:
                    fh.write(json.dumps(d[f], ensure_ascii=False, indent=1) + "\n")
            r = subprocess.run([sys.executable, os.path.join(HERE, "check.py"), tmp], capture_output=True, text=True)
            ok = r.returncode == 1 and needle in r.stdout
            fails += not ok
            print("%-45s exit=%d %s" % (name, r.returncode, "caught" if ok else "NOT CAUGHT"))
    finally:
        shutil.rmtree(tmp)
    print("%d passed, %d failed" % (len(CASES) - fails, fails))
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
