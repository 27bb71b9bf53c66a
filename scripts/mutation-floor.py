#!/usr/bin/env python3
"""Per-file mutation floor over Stryker.NET's JSON reports (make mutation; docs/testing.md, mutation testing).

Stryker's own `thresholds.break` is one number for a whole run; the floor here is per file. For each engine file
listed in tests/mutation/floors.json it reads the mutants of the reports under build/mutation/reports/*/reports/
mutation-report.json and computes the score as Stryker does: (killed + timeout) / (killed + timeout + survived +
no coverage), leaving out the mutants Stryker marks "static": they sit in static initialisers (the engines' static
tables), which run once per test process, so Stryker cannot switch them on for one mutant and no test can ever see
them; they are counted in their own column and listed with --list-static. Compile errors and ignored mutants do not
count, but a method that Stryker dropped for a compile error would hide its mutants, so any compile error outside a
single mutation (Stryker's "safe mode") fails the run too: the script reads that from Stryker's log (see --log).

Prints one table (the one docs/testing.md carries), and exits 1 when a listed file is under its floor, a listed
file is missing from the report of its project, or a method was dropped. A listed file whose project has no report
(an engine the run left out, such as analytics in the default make mutation) is skipped, and said so.
"""

import argparse
import collections
import glob
import json
import os
import re
import sys

COLUMNS = ("mutants", "killed", "survived", "no coverage", "timeout", "compile errors", "ignored", "static", "score")


def load_reports(root):
    """Mutants per file (repository-relative path), from every report under root."""
    files = {}
    for report in sorted(glob.glob(os.path.join(root, "*", "reports", "mutation-report.json"))):
        with open(report, encoding="utf-8") as handle:
            data = json.load(handle)
        for path, entry in data["files"].items():
            files[path] = entry["mutants"]
    return files


def relative(path, repository):
    path = os.path.normpath(path)
    return os.path.relpath(path, repository) if os.path.isabs(path) else path


def project_of(path):
    """The project folder of a repository-relative source path (src/AiGrpc.Analytics/Matching/X.cs -> src/AiGrpc.Analytics)."""
    return "/".join(path.split("/")[:2])


def score(mutants):
    counts = collections.Counter(m["status"] for m in mutants if not m.get("static"))
    detected = counts["Killed"] + counts["Timeout"]
    valid = detected + counts["Survived"] + counts["NoCoverage"]
    row = {
        "mutants": len(mutants),
        "killed": counts["Killed"],
        "survived": counts["Survived"],
        "no coverage": counts["NoCoverage"],
        "timeout": counts["Timeout"],
        "compile errors": counts["CompileError"],
        "ignored": counts["Ignored"],
        "static": sum(1 for m in mutants if m.get("static")),
        "score": 100.0 * detected / valid if valid else None,
    }
    return row


def dropped_methods(log_glob):
    """Methods Stryker removed wholesale ("Safe Mode! Stryker will remove all mutations in X") in its logs."""
    dropped = set()
    pattern = re.compile(r'Safe Mode! Stryker will remove all mutations in "?([^" ]+)"?')
    for log in glob.glob(log_glob):
        with open(log, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                match = pattern.search(line)
                if match:
                    dropped.add(match.group(1))
    return sorted(dropped)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", default="build/mutation/reports")
    parser.add_argument("--floors", default="tests/mutation/floors.json")
    parser.add_argument("--log", default="build/mutation/reports/*/logs/*.txt")
    parser.add_argument("--markdown", help="also write the table as Markdown to this file")
    parser.add_argument("--list-static", action="store_true", help="list the static mutants left out of the scores")
    parser.add_argument("--write-floors", action="store_true",
                        help="set every reported engine file's floor to its current score, rounded down, and exit")
    args = parser.parse_args()

    repository = os.getcwd()
    files = {relative(path, repository): mutants for path, mutants in load_reports(args.reports).items()}
    if args.write_floors:
        floors = {}
        for path in sorted(files):
            if any(m["status"] in ("Killed", "Survived", "NoCoverage", "Timeout") for m in files[path]):
                value = score(files[path])["score"]
                floors[path] = 0 if value is None else int(value)
        with open(args.floors, "w", encoding="utf-8") as handle:
            json.dump({"files": floors}, handle, indent=2)
            handle.write("\n")
        print(f"wrote {len(floors)} floors to {args.floors}")
        return 0
    with open(args.floors, encoding="utf-8") as handle:
        floors = json.load(handle)["files"]

    failures = []
    skipped = []
    projects = {project_of(path) for path in files}
    lines = ["| file | " + " | ".join(COLUMNS) + " | floor |", "|---|" + "---:|" * (len(COLUMNS) + 1)]
    for path, floor in floors.items():
        if path not in files:
            if project_of(path) in projects:
                failures.append(f"{path}: not in the report of its project (was it mutated?)")
            else:
                skipped.append(path)
            continue
        row = score(files[path])
        shown = "n/a" if row["score"] is None else f"{row['score']:.1f} %"
        cells = [str(row[c]) for c in COLUMNS[:-1]] + [shown, f"{floor} %"]
        lines.append(f"| {path} | " + " | ".join(cells) + " |")
        if row["score"] is not None and row["score"] + 1e-9 < floor:
            failures.append(f"{path}: {row['score']:.1f} % is under its floor of {floor} %")

    dropped = dropped_methods(args.log)
    for method in dropped:
        failures.append(f"method {method}: dropped by Stryker for a compile error (its mutants were not measured)")

    if args.list_static:
        for path in floors:
            for m in files.get(path, []):
                if m.get("static"):
                    line = m["location"]["start"]["line"]
                    print(f"static: {path}:{line} {m['mutatorName']} ({m['status']})")

    table = "\n".join(lines)
    print(table)
    if skipped:
        print(f"\nnot checked ({len(skipped)} files): their project was not mutated in this run: " + ", ".join(skipped))
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as handle:
            handle.write(table + "\n")
    if failures:
        print("\nmutation floor: FAILED", file=sys.stderr)
        for failure in failures:
            print("  " + failure, file=sys.stderr)
        return 1
    print("\nmutation floor: every listed file is at or above its floor; no method was dropped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
