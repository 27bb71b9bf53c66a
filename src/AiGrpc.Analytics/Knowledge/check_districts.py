#!/usr/bin/env python3
"""Validate districts.tsv (stdlib only): rural and mixed INE census districts that are not communes, mapped to a commune CUT.

Checks: header is exactly name, commune_cut, kind, cue; every row has 4 fields; name non-empty; commune_cut is 5 digits
and exists in communes.tsv; kind is rural or mixto; cue is yes or no; no duplicate name (after folding accents/case);
no name equal to a commune name or alias, a province, a region name or alias, a town of towns.tsv or a locality
(name or alias) of localities.tsv. Prints the number of rows per region and cue. Exit status 0 when all checks pass.
"""
import csv, os, re, sys, unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
COLUMNS = ['name', 'commune_cut', 'kind', 'cue']


def fold(s):
    s = unicodedata.normalize('NFKD', s.lower())
    s = ''.join(c for c in s if not unicodedata.combining(c))
    return re.sub(r'[^a-z0-9]+', ' ', s).strip()


def rows(name):
    with open(os.path.join(HERE, name), encoding='utf-8') as f:
        lines = [l.rstrip('\n') for l in f if not l.startswith('#') and l.strip()]
    return list(csv.DictReader(lines, delimiter='\t'))


def names_of(file, *columns):
    out = set()
    for r in rows(file):
        for c in columns:
            for part in (r.get(c) or '').split(','):
                if part.strip():
                    out.add(fold(part))
    return out


def main():
    errors = []
    communes = {r['cut']: r for r in rows('communes.tsv')}
    known = (names_of('communes.tsv', 'name', 'aliases') | names_of('provinces.tsv', 'name')
             | names_of('regions.tsv', 'name', 'aliases') | names_of('towns.tsv', 'name')
             | names_of('localities.tsv', 'name', 'aliases'))
    with open(os.path.join(HERE, 'districts.tsv'), encoding='utf-8') as f:
        header = next(l for l in f if not l.startswith('#')).rstrip('\n').split('\t')
    if header != COLUMNS:
        errors.append(f'header {header} != {COLUMNS}')
    seen = set()
    per_region = Counter()
    for n, r in enumerate(rows('districts.tsv'), 1):
        if None in r.values() or len(r) != 4:
            errors.append(f'row {n}: wrong field count')
            continue
        key = fold(r['name'])
        if not key:
            errors.append(f'row {n}: empty name')
        if not re.fullmatch(r'\d{5}', r['commune_cut']) or r['commune_cut'] not in communes:
            errors.append(f'row {n} {r["name"]}: commune_cut {r["commune_cut"]} not in communes.tsv')
        if r['kind'] not in ('rural', 'mixto'):
            errors.append(f'row {n} {r["name"]}: kind {r["kind"]}')
        if r['cue'] not in ('yes', 'no'):
            errors.append(f'row {n} {r["name"]}: cue {r["cue"]}')
        if key in seen:
            errors.append(f'row {n} {r["name"]}: duplicate name')
        if key in known:
            errors.append(f'row {n} {r["name"]}: already a commune, province, region, town or locality')
        seen.add(key)
        if r['commune_cut'] in communes:
            per_region[(communes[r['commune_cut']]['region_code'], r['cue'])] += 1
    for (region, cue), count in sorted(per_region.items()):
        print(f'region {region} cue={cue}: {count}')
    print(f'{len(seen)} districts')
    for e in errors:
        print('ERROR', e)
    print('OK' if not errors else f'{len(errors)} errors')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
