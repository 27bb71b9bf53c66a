#!/usr/bin/env python3
"""Validate the trade vocabulary files in this folder and print counts per kind.

Files checked (all UTF-8, tab-separated, header on the first line, lines starting
with '#' are comments):
  project-kinds.tsv   kind, name_es, cues, units
  trade-terms.tsv     phrase, kinds, strength, note
  units.tsv           symbol, aliases, quantity, factor_to_base, base, position, compare
  rated-equipment.tsv equipment, quantity, units, note
  voltage-classes.tsv nominal_kv, equipment_um_kv, source
  awg-sections.tsv    gauge, mm2

Usage: python3 check_trades.py [folder]      (exit code 0 = OK, 1 = errors)
Only the Python standard library is used.
"""
import collections
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

REQUIRED_KINDS = [
    "transmission-line", "substation", "solar-pv", "wind", "storage-bess",
    "e-mobility", "public-lighting", "building-electrical", "distribution-network",
    "mining-maintenance", "mining-shutdown", "conveyor", "grinding-mill", "tailings",
    "camp-services", "haul-roads", "telecom-sites", "water-plant", "wastewater-plant",
    "roads", "bridges", "buildings", "earthworks", "river-defences-canals",
    "pipelines", "hvac", "fire-protection",
]
# Sub-kinds of a parent kind (README-trades.md, "Sub-tipos de buildings"):
# - every cue of a sub-kind must also be a cue of its parent (a health project is also a building);
# - every trade term that names a sub-kind must also name the parent;
# - a cue shared by a sub-kind and its parent is not reported as a shared cue.
SUBKINDS = {
    "building-health": "buildings",
    "building-education": "buildings",
    "building-early-childhood": "buildings",
    "building-housing": "buildings",
    "building-sports": "buildings",
    "building-offices-commercial": "buildings",
    "building-public": "buildings",
}
REQUIRED_KINDS += list(SUBKINDS)
# cues deliberately shared by unrelated kinds, with the reason (not reported as warnings)
SHARED_CUES_OK = {
    "casetas sanitarias": "programa de saneamiento (alcantarillado) que entrega a cada lote una caseta de bano y cocina (vivienda)",
}
REQUIRED_NOMINALS = [13.2, 15, 23, 33, 44, 66, 110, 154, 220, 345, 500]
REQUIRED_UNITS = ["kV", "V", "kVA", "MVA", "W", "kW", "MW", "kWp", "MWp", "MWh",
                  "kWh", "mm2", "AWG", "kcmil", "km", "m", "m3", "ton", "A", "kA"]
# lower case ASCII letters, digits, space and a few separators used in part designations
PHRASE_RE = re.compile(r"^[a-z0-9][a-z0-9 ./+\-]*[a-z0-9.]$|^[a-z0-9]$")
KIND_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

errors = []
warnings = []


def err(msg):
    errors.append(msg)


def has_accent(s):
    return any(unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", s))


def read_tsv(path, header):
    """Return list of (line_no, fields) for data rows; checks header and column count."""
    name = os.path.basename(path)
    if not os.path.exists(path):
        err(f"{name}: missing")
        return []
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        err(f"{name}: has a UTF-8 BOM")
    if b"\r" in raw:
        err(f"{name}: has CR characters (use LF line ends)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(f"{name}: not UTF-8 ({e})")
        return []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != header:
        err(f"{name}: first line must be the header {header!r}, got {lines[0] if lines else ''!r}")
    rows = []
    for no, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != len(header):
            err(f"{name}:{no}: expected {len(header)} columns, got {len(fields)}")
            continue
        if any(f != f.strip() for f in fields):
            err(f"{name}:{no}: leading/trailing whitespace in a field")
        rows.append((no, [f.strip() for f in fields]))
    return rows


def check_phrase(name, no, what, p):
    if p != p.lower():
        err(f"{name}:{no}: {what} {p!r} is not lower case")
    if has_accent(p) or any(ord(c) > 127 for c in p):
        err(f"{name}:{no}: {what} {p!r} has accents or non-ASCII characters")
    elif not PHRASE_RE.match(p) or "  " in p:
        err(f"{name}:{no}: {what} {p!r} has characters outside [a-z0-9 ./+-] or double spaces")


def main(folder):
    # ---------------- units ----------------
    unit_rows = read_tsv(os.path.join(folder, "units.tsv"),
                         ["symbol", "aliases", "quantity", "factor_to_base", "base", "position", "compare"])
    units = {}
    alias_owner = {}
    bases = {}
    compares = {}
    for no, (sym, aliases, qty, factor, base, position, compare) in unit_rows:
        if position not in ("after", "before"):
            err(f"units.tsv:{no}: position {position!r} must be after or before")
        if compare not in ("rating", "size", "amount", "class"):
            err(f"units.tsv:{no}: compare {compare!r} must be rating, size, amount or class")
        if compares.setdefault(qty, compare) != compare:
            err(f"units.tsv:{no}: quantity {qty} is compared two ways ({compares[qty]}, {compare})")
        if sym in units:
            err(f"units.tsv:{no}: duplicate symbol {sym}")
        units[sym] = (qty, factor, base)
        if factor == "":
            if sym != "AWG":
                err(f"units.tsv:{no}: empty factor_to_base only allowed for AWG (non-linear)")
        else:
            try:
                if float(factor) <= 0:
                    err(f"units.tsv:{no}: factor must be > 0")
            except ValueError:
                err(f"units.tsv:{no}: factor_to_base {factor!r} is not a number")
        if bases.setdefault(qty, base) != base:
            err(f"units.tsv:{no}: quantity {qty} has two bases ({bases[qty]}, {base})")
        for a in [sym.lower()] + [x.strip() for x in aliases.split(",") if x.strip()]:
            if a != a.lower():
                err(f"units.tsv:{no}: alias {a!r} must be lower case")
            if alias_owner.get(a, sym) != sym:
                err(f"units.tsv:{no}: alias {a!r} used by {alias_owner[a]} and {sym}")
            alias_owner[a] = sym
    for qty, base in bases.items():
        if base not in units:
            err(f"units.tsv: base {base} of {qty} is not itself a unit row")
        elif units[base][0] != qty or units[base][1] not in ("1", "1.0"):
            err(f"units.tsv: base {base} of {qty} must have that quantity and factor 1")
    for u in REQUIRED_UNITS:
        if u not in units:
            err(f"units.tsv: required unit {u} missing")

    # ---------------- rated equipment ----------------
    rated_rows = read_tsv(os.path.join(folder, "rated-equipment.tsv"), ["equipment", "quantity", "units", "note"])
    rated_seen = set()
    for no, (equipment, qty, unit_list, note) in rated_rows:
        check_phrase("rated-equipment.tsv", no, "equipment", equipment)
        if equipment in rated_seen:
            err(f"rated-equipment.tsv:{no}: duplicate equipment {equipment!r}")
        rated_seen.add(equipment)
        if qty in compares:
            err(f"rated-equipment.tsv:{no}: quantity {qty} is also a units.tsv quantity")
        for sym in [x.strip() for x in unit_list.split(",") if x.strip()] or [""]:
            if sym not in units or units[sym][1] == "":
                err(f"rated-equipment.tsv:{no}: unit {sym!r} is not a linear units.tsv symbol")
        if not note.strip():
            err(f"rated-equipment.tsv:{no}: no note")

    # ---------------- project kinds ----------------
    kind_rows = read_tsv(os.path.join(folder, "project-kinds.tsv"),
                         ["kind", "name_es", "cues", "units"])
    kinds = collections.OrderedDict()
    cue_owner = {}
    for no, (kind, name_es, cues, kunits) in kind_rows:
        if not KIND_RE.match(kind):
            err(f"project-kinds.tsv:{no}: bad kind id {kind!r}")
        if kind in kinds:
            err(f"project-kinds.tsv:{no}: duplicate kind {kind}")
        if not name_es:
            err(f"project-kinds.tsv:{no}: empty name_es")
        cue_list = [c.strip() for c in cues.split(",")]
        if not cues or any(not c for c in cue_list):
            err(f"project-kinds.tsv:{no}: empty cue list or empty cue in {kind}")
        for c in cue_list:
            if c:
                check_phrase("project-kinds.tsv", no, "cue", c)
                owner = cue_owner.get(c)
                if owner and owner != kind and c not in SHARED_CUES_OK \
                        and SUBKINDS.get(kind) != owner and SUBKINDS.get(owner) != kind:
                    warnings.append(f"cue {c!r} used by {owner} and {kind}")
                cue_owner.setdefault(c, kind)
        ulist = [u.strip() for u in kunits.split(",") if u.strip()]
        for u in ulist:
            if u not in units:
                err(f"project-kinds.tsv:{no}: unit {u!r} of {kind} not in units.tsv")
        kinds[kind] = cue_list
    for k in REQUIRED_KINDS:
        if k not in kinds:
            err(f"project-kinds.tsv: required kind {k} missing")
    for sub, parent in SUBKINDS.items():
        if sub in kinds and parent in kinds:
            missing = [c for c in kinds[sub] if c not in kinds[parent]]
            if missing:
                err(f"project-kinds.tsv: cues of {sub} missing from its parent {parent}: {', '.join(missing)}")

    # ---------------- trade terms ----------------
    term_rows = read_tsv(os.path.join(folder, "trade-terms.tsv"),
                         ["phrase", "kinds", "strength", "note"])
    seen = {}
    per_kind = collections.OrderedDict((k, collections.Counter()) for k in kinds)
    strengths = collections.Counter()
    for no, (phrase, tkinds, strength, note) in term_rows:
        check_phrase("trade-terms.tsv", no, "phrase", phrase)
        if phrase in seen:
            err(f"trade-terms.tsv:{no}: duplicate phrase {phrase!r} (first at line {seen[phrase]})")
        seen[phrase] = no
        klist = [k.strip() for k in tkinds.split(",")]
        if len(set(klist)) != len(klist):
            err(f"trade-terms.tsv:{no}: repeated kind in {tkinds!r}")
        for k in klist:
            if k in SUBKINDS and SUBKINDS[k] not in klist:
                err(f"trade-terms.tsv:{no}: {phrase!r} names sub-kind {k} but not its parent {SUBKINDS[k]}")
            if k not in kinds:
                err(f"trade-terms.tsv:{no}: unknown kind {k!r} for {phrase!r}")
            else:
                per_kind[k][strength] += 1
        if strength not in ("strong", "weak"):
            err(f"trade-terms.tsv:{no}: strength must be strong|weak, got {strength!r}")
        strengths[strength] += 1
        if not note:
            err(f"trade-terms.tsv:{no}: empty note for {phrase!r}")
    # phrases that contain another phrase pointing elsewhere: informational (longest match wins)
    words = {p: " " + p + " " for p in seen}
    overrides = 0
    for p in seen:
        for q in seen:
            if p != q and (" " + q + " ") in words[p]:
                overrides += 1

    # ---------------- voltage classes ----------------
    vc_rows = read_tsv(os.path.join(folder, "voltage-classes.tsv"),
                       ["nominal_kv", "equipment_um_kv", "source"])
    nominals = set()
    pairs = set()
    for no, (nom, um, src) in vc_rows:
        try:
            n, u = float(nom), float(um)
        except ValueError:
            err(f"voltage-classes.tsv:{no}: non-numeric voltage")
            continue
        if u < n:
            err(f"voltage-classes.tsv:{no}: Um {u} below nominal {n}")
        if n >= 10 and u > 1.6 * n:
            warnings.append(f"voltage-classes.tsv:{no}: Um {u} is more than 1.6 x nominal {n}")
        if (n, u) in pairs:
            err(f"voltage-classes.tsv:{no}: duplicate pair {n}/{u}")
        pairs.add((n, u))
        nominals.add(n)
        if not src:
            err(f"voltage-classes.tsv:{no}: empty source")
    for n in REQUIRED_NOMINALS:
        if float(n) not in nominals:
            err(f"voltage-classes.tsv: nominal {n} kV missing")

    # ---------------- AWG table ----------------
    awg_rows = read_tsv(os.path.join(folder, "awg-sections.tsv"), ["gauge", "mm2"])
    prev = 0.0
    for no, (g, mm2) in awg_rows:
        try:
            v = float(mm2)
        except ValueError:
            err(f"awg-sections.tsv:{no}: mm2 not numeric")
            continue
        if v <= prev:
            err(f"awg-sections.tsv:{no}: sections must increase (thicker gauges later)")
        prev = v

    # ---------------- report ----------------
    print(f"kinds: {len(kinds)}   trade terms: {len(seen)} "
          f"(strong {strengths['strong']}, weak {strengths['weak']})   "
          f"units: {len(units)}   voltage pairs: {len(pairs)}   awg gauges: {len(awg_rows)}")
    print(f"phrases containing another phrase (resolve by longest match): {overrides}")
    print(f"{'kind':28} {'strong':>6} {'weak':>5} {'total':>6} {'cues':>5}")
    for k, c in per_kind.items():
        print(f"{k:28} {c['strong']:6} {c['weak']:5} {c['strong'] + c['weak']:6} {len(kinds[k]):5}")
        if c["strong"] == 0 and k != "overhead":
            warnings.append(f"kind {k} has no strong trade term")
    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"FAILED: {len(errors)} error(s)")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else HERE))
