#!/usr/bin/env python3
"""Validate overhead-es.tsv and print counts per category and strength.

Checks:
  * UTF-8, tab-separated, header ``category<TAB>phrase<TAB>strength<TAB>note``
    (lines starting with ``#`` and blank lines are ignored);
  * exactly 4 columns per row, no empty field, no stray whitespace;
  * category and strength in the allowed sets;
  * phrase is lower case, accent-free ASCII (a-z, 0-9, space and . / - & +),
    single-spaced, and not duplicated (also not after removing punctuation,
    which would make two rows collide for a punctuation-insensitive matcher);
  * every category has at least one row.

Usage: python3 check_overhead.py [path/to/overhead-es.tsv]
Exit status 0 when valid, 1 otherwise. Standard library only.
"""
import collections
import os
import re
import sys
import unicodedata

HEADER = ["category", "phrase", "strength", "note"]

CATEGORIES = [
    "rent", "common-expenses", "utilities", "telecom", "office-supplies",
    "it-software", "legal", "accounting-audit", "insurance", "financial-fees",
    "bids-tenders", "training-hr", "marketing", "head-office", "own-fleet",
    "own-premises", "cleaning-security-office", "travel-admin",
    "memberships-taxes", "staff-welfare", "courier-admin",
    # additions, clearly overhead
    "consulting-admin", "quality-certification",
    # counter-evidence: words that place a cost at a works site
    "project-site",
]
STRENGTHS = ["strong", "weak", "context", "site"]

PHRASE_RE = re.compile(r"^[a-z0-9][a-z0-9 ./&+-]*$")


def fold(text):
    """Accent-fold and lower-case the way the matcher is expected to."""
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c)).lower()


def punct_key(phrase):
    """Phrase without punctuation, for detecting near-duplicates."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", phrase).split())


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    path = argv[1] if len(argv) > 1 else os.path.join(here, "overhead-es.tsv")
    errors = []
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print("ERROR: cannot read %s as UTF-8: %s" % (path, exc))
        return 1
    if text.startswith("\ufeff"):
        errors.append("file starts with a BOM")

    header_seen = False
    seen = {}
    seen_key = {}
    counts = collections.Counter()
    by_cat = collections.defaultdict(collections.Counter)
    for lineno, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            errors.append("line %d: CRLF line ending" % lineno)
            line = line[:-1]
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            if cols != HEADER:
                errors.append("line %d: header must be %r, got %r" % (lineno, HEADER, cols))
            header_seen = True
            continue
        if len(cols) != 4:
            errors.append("line %d: expected 4 columns, got %d" % (lineno, len(cols)))
            continue
        cat, phrase, strength, note = cols
        for name, val in zip(HEADER, cols):
            if not val:
                errors.append("line %d: empty %s" % (lineno, name))
            elif val != val.strip():
                errors.append("line %d: %s has leading/trailing whitespace" % (lineno, name))
        if cat not in CATEGORIES:
            errors.append("line %d: unknown category %r" % (lineno, cat))
        if strength not in STRENGTHS:
            errors.append("line %d: unknown strength %r" % (lineno, strength))
        if phrase != fold(phrase):
            errors.append("line %d: phrase %r has accents or upper case" % (lineno, phrase))
        elif not PHRASE_RE.match(phrase):
            errors.append("line %d: phrase %r has characters outside a-z 0-9 space . / - & +" % (lineno, phrase))
        if "  " in phrase:
            errors.append("line %d: phrase %r has double spaces" % (lineno, phrase))
        if phrase in seen:
            errors.append("line %d: duplicate phrase %r (first on line %d)" % (lineno, phrase, seen[phrase]))
        else:
            seen[phrase] = lineno
            key = punct_key(phrase)
            if key in seen_key:
                errors.append("line %d: phrase %r equals %r (line %d) once punctuation is removed"
                              % (lineno, phrase, seen_key[key][0], seen_key[key][1]))
            else:
                seen_key[key] = (phrase, lineno)
        if strength == "weak" and len(note.strip()) < 10:
            errors.append("line %d: weak phrase %r needs a note saying when it is a project cost" % (lineno, phrase))
        counts[strength] += 1
        by_cat[cat][strength] += 1

    if not header_seen:
        errors.append("no header line")
    for cat in CATEGORIES:
        if cat not in by_cat:
            errors.append("category %r has no rows" % cat)

    width = max(len(c) for c in CATEGORIES)
    print("%-*s %6s %6s %8s %5s %6s" % (width, "category", "strong", "weak", "context", "site", "total"))
    for cat in CATEGORIES:
        c = by_cat.get(cat, collections.Counter())
        print("%-*s %6d %6d %8d %5d %6d" % (width, cat, c["strong"], c["weak"], c["context"], c["site"], sum(c.values())))
    print("%-*s %6d %6d %8d %5d %6d" % (width, "TOTAL", counts["strong"], counts["weak"],
                                    counts["context"], counts["site"], sum(counts.values())))

    if errors:
        print("\n%d error(s):" % len(errors))
        for err in errors:
            print("  " + err)
        return 1
    print("\nOK: %s is valid" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
