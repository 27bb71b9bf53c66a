#!/usr/bin/env python3
"""Self-check for indicators-cl.json (stdlib only). Exit code 0 = pass."""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ["uf_last_day", "uf_first_day", "utm", "uta", "minimum_wage",
          "taxable_cap_pension_uf", "taxable_cap_unemployment_uf",
          "afp_commissions_percent", "sis_percent", "unemployment_insurance",
          "family_allowance_brackets", "income_tax_brackets"]
AFPS = {"Capital", "Cuprum", "Habitat", "Modelo", "PlanVital", "ProVida", "Uno"}
SHORT = {"uf_last_day": "UFend", "uf_first_day": "UF1", "utm": "UTM", "uta": "UTA",
         "minimum_wage": "IMM", "taxable_cap_pension_uf": "TopeAFP",
         "taxable_cap_unemployment_uf": "TopeAFC", "afp_commissions_percent": "AFP%",
         "sis_percent": "SIS", "unemployment_insurance": "AFC%",
         "family_allowance_brackets": "AsigF", "income_tax_brackets": "IUSC"}
errors = []

def err(m, f, msg):
    errors.append(f"{m} {f}: {msg}")

def num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)

def main():
    data = json.load(open(os.path.join(HERE, "indicators-cl.json"), encoding="utf-8"))
    if not data.get("about"):
        errors.append("missing 'about'")
    months = data["months"]
    keys = sorted(months)
    for m in keys:
        rec = months[m]
        if set(rec) != set(FIELDS):
            err(m, "*", f"keys differ: {sorted(set(rec) ^ set(FIELDS))}")
        y = int(m[:4])
        for f in FIELDS:
            o = rec.get(f)
            if o is None:
                continue
            if not isinstance(o, dict) or "value" not in o:
                err(m, f, "not a {value, source} object"); continue
            if not isinstance(o.get("source"), str) or len(o["source"].strip()) < 10:
                err(m, f, "present value without a source")
            if o.get("basis") not in ("observed", "in_force", "statutory", "derived"):
                err(m, f, f"bad basis {o.get('basis')!r}")
            v = o["value"]
            if f in ("uf_last_day", "uf_first_day"):
                if not num(v) or not 30000 <= v <= 50000: err(m, f, f"UF out of range: {v}")
                elif round(v, 2) != v: err(m, f, "UF must have <= 2 decimals")
            elif f == "utm":
                if not isinstance(v, int) or not 60000 <= v <= 80000: err(m, f, f"UTM out of range: {v}")
            elif f == "uta":
                u = rec.get("utm")
                if not isinstance(v, int) or not 720000 <= v <= 960000: err(m, f, f"UTA out of range: {v}")
                if u and u["value"] * 12 != v: err(m, f, f"UTA {v} != 12 x UTM {u['value']}")
            elif f == "minimum_wage":
                if not isinstance(v, int) or not 400000 <= v <= 700000: err(m, f, f"out of range: {v}")
                if "law" not in o: err(m, f, "missing 'law' key (may be null)")
            elif f in ("taxable_cap_pension_uf", "taxable_cap_unemployment_uf"):
                lo, hi = (75, 100) if f == "taxable_cap_pension_uf" else (110, 150)
                if not num(v) or not lo <= v <= hi: err(m, f, f"out of range: {v}")
            elif f == "afp_commissions_percent":
                if not isinstance(v, dict) or set(v) != AFPS: err(m, f, "must list exactly the 7 AFPs")
                elif not all(num(x) and 0 < x < 3 for x in v.values()): err(m, f, f"implausible commission {v}")
            elif f == "sis_percent":
                if not num(v) or not 0.5 <= v <= 3: err(m, f, f"out of range: {v}")
            elif f == "unemployment_insurance":
                try:
                    ok = all(num(v[c][p]) and 0 <= v[c][p] <= 5 for c in ("indefinite", "fixed_term")
                             for p in ("worker_percent", "employer_percent"))
                except (KeyError, TypeError):
                    ok = False
                if not ok: err(m, f, "bad structure")
            elif f == "family_allowance_brackets":
                lim = [b["up_to_income"] for b in v]; amt = [b["amount"] for b in v]
                if lim[-1] is not None or any(x is None for x in lim[:-1]): err(m, f, "only last bracket open")
                elif lim[:-1] != sorted(lim[:-1]) or len(set(lim[:-1])) != len(lim) - 1: err(m, f, "limits not increasing")
                if amt != sorted(amt, reverse=True) or amt[-1] != 0: err(m, f, "amounts must decrease to 0")
            elif f == "income_tax_brackets":
                check_tax(m, f, v, rec)
    # time-series checks
    prev = {}
    for m in keys:
        rec = months[m]
        for f in ("uf_last_day", "utm"):
            o = rec.get(f)
            if o and f in prev:
                pm, pv = prev[f]
                gap = (int(m[:4]) - int(pm[:4])) * 12 + int(m[5:]) - int(pm[5:])
                lim = 0.03 * gap if f == "uf_last_day" else 0.04 * gap
                if abs(o["value"] / pv - 1) > lim:
                    err(m, f, f"jump {pv} ({pm}) -> {o['value']} exceeds {lim:.0%}")
            if o: prev[f] = (m, o["value"])
        for f in ("minimum_wage", "taxable_cap_pension_uf", "taxable_cap_unemployment_uf"):
            o = rec.get(f)
            if o and f + "_nd" in prev and o["value"] < prev[f + "_nd"]:
                err(m, f, "must be non-decreasing over time")
            if o: prev[f + "_nd"] = o["value"]
        # UTM may only change when the month changes: a calendar year's UTM values must be unique per month (by construction)
        # UF first day must be <= a few % of previous month's last day
        o1, po = rec.get("uf_first_day"), None
        pm = f"{int(m[:4]) - (m[5:] == '01')}-{12 if m[5:] == '01' else int(m[5:]) - 1:02d}"
        if o1 and months.get(pm, {}).get("uf_last_day"):
            po = months[pm]["uf_last_day"]["value"]
            if abs(o1["value"] / po - 1) > 0.002:
                err(m, "uf_first_day", f"not adjacent to previous month's last day {po}")
    coverage(months, keys)
    if errors:
        print("\nFAILED:"); [print("  " + e) for e in errors]; return 1
    print("\nAll checks passed.")
    return 0

def check_tax(m, f, v, rec):
    if not v or v[0]["from_utm"] != 0:
        err(m, f, "must start at 0"); return
    for i, b in enumerate(v):
        if i + 1 < len(v):
            if b["to_utm"] != v[i + 1]["from_utm"]: err(m, f, f"gap between bracket {i} and {i+1}")
            if not v[i + 1]["rate_percent"] > b["rate_percent"]: err(m, f, "rates not strictly increasing")
            if not b["to_utm"] > b["from_utm"]: err(m, f, "empty bracket")
        elif b["to_utm"] is not None:
            err(m, f, "last bracket must be open (to_utm null)")
        if i > 0:  # rebate continuity: tax is continuous at each bracket boundary
            exp = v[i - 1]["rebate_utm"] + b["from_utm"] * (b["rate_percent"] - v[i - 1]["rate_percent"]) / 100
            if abs(exp - b["rebate_utm"]) > 0.005: err(m, f, f"rebate {b['rebate_utm']} != continuity value {exp:.2f}")
    clp = (rec.get("income_tax_brackets") or {}).get("clp")
    u = rec.get("utm")
    if clp and u:
        for b, c in zip(v, clp):
            if abs(c["rebate"] - round(b["rebate_utm"] * u["value"], 2)) > 0.01: err(m, f, "CLP rebate != rebate_utm x UTM")
            if b["to_utm"] is not None and abs(c["to"] - b["to_utm"] * u["value"]) > 0.01: err(m, f, "CLP limit != to_utm x UTM")

def coverage(months, keys):
    cols = [SHORT[f] for f in FIELDS]
    print("Coverage (X = value with source; . = missing/null; basis: o observed, i in force, s statutory, d derived)\n")
    print("month   " + " ".join(c.rjust(7) for c in cols))
    tag = {"observed": "o", "in_force": "i", "statutory": "s", "derived": "d"}
    tot = 0
    for m in keys:
        cells = []
        for f in FIELDS:
            o = months[m][f]
            cells.append(("X" + tag.get(o.get("basis"), "?")) if o else ".")
            tot += bool(o)
        print(m + " " + " ".join(c.rjust(7) for c in cells))
    print(f"\n{tot} of {len(keys) * len(FIELDS)} month-fields present.")
    y25 = [m for m in keys if m.startswith("2025")]
    if len(y25) != 12: errors.append("not all 12 months of 2025 are listed")

if __name__ == "__main__":
    sys.exit(main())
