#!/usr/bin/env python3
"""Validate towns.tsv (stdlib only): INE ciudades/pueblos that are not communes, mapped to a commune CUT.

Checks: header is exactly name, commune_cut, category, population; every row has 4 fields; name non-empty;
commune_cut is 5 digits and exists in communes.tsv; category is one of ciudad/pueblo/aldea/caserío;
population empty or a non-negative integer; no duplicate name (after folding accents/case); no name equal to
a commune name or a communes.tsv alias. Prints the number of rows per region and category.
Exit status 0 when all checks pass.
"""
import csv, os, sys, unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
COLUMNS = ['name', 'commune_cut', 'category', 'population']
CATEGORIES = {'ciudad', 'pueblo', 'aldea', 'caserío'}

def fold(s):
    s = s.replace('\u00b4', "'").replace('\u2019', "'").replace('`', "'")
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(c for c in s if not unicodedata.combining(c))
    return ' '.join(s.lower().split())

def read_tsv(name):
    with open(os.path.join(HERE, name), encoding='utf-8') as f:
        lines = [l.rstrip('\n') for l in f if not l.startswith('#') and l.strip()]
    return lines

def main():
    errors = []
    communes = list(csv.DictReader(read_tsv('communes.tsv'), delimiter='\t'))
    regions = {r['region_code']: r['name'] for r in csv.DictReader(read_tsv('regions.tsv'), delimiter='\t')}
    cut_region = {c['cut']: c['region_code'] for c in communes}
    commune_keys = {}
    for c in communes:
        commune_keys[fold(c['name'])] = c['cut']
        for a in (c.get('aliases') or '').split(','):
            if a.strip():
                commune_keys[fold(a)] = c['cut']

    lines = read_tsv('towns.tsv')
    header = lines[0].split('\t')
    if header != COLUMNS:
        errors.append(f'header {header} != {COLUMNS}')
    seen = {}
    per_region = Counter()
    per_cat = Counter()
    for i, line in enumerate(lines[1:], start=2):
        f = line.split('\t')
        if len(f) != len(COLUMNS):
            errors.append(f'row {i}: {len(f)} fields: {line!r}')
            continue
        name, cut, cat, pop = f
        if not name.strip() or name != name.strip():
            errors.append(f'row {i}: empty or padded name {name!r}')
        if len(cut) != 5 or not cut.isdigit() or cut not in cut_region:
            errors.append(f'row {i}: commune_cut {cut!r} not in communes.tsv')
        if cat not in CATEGORIES:
            errors.append(f'row {i}: unknown category {cat!r}')
        if pop and not pop.isdigit():
            errors.append(f'row {i}: population {pop!r} is not an integer')
        k = fold(name)
        if k in seen:
            errors.append(f'row {i}: duplicate name {name!r} (also row {seen[k]})')
        seen[k] = i
        if k in commune_keys:
            errors.append(f'row {i}: {name!r} equals commune name/alias of {commune_keys[k]}')
        if cut in cut_region:
            per_region[cut_region[cut]] += 1
        per_cat[cat] += 1

    print(f'towns.tsv: {len(lines) - 1} rows')
    for code in sorted(regions, key=lambda c: int(c)):
        print(f'  {code} {regions[code]}: {per_region.get(code, 0)}')
    print('  by category: ' + ', '.join(f'{k} {v}' for k, v in sorted(per_cat.items())))
    if errors:
        for e in errors:
            print('ERROR', e)
        return 1
    print('OK')
    return 0

if __name__ == '__main__':
    sys.exit(main())
