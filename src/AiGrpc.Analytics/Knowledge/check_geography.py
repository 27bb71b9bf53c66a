#!/usr/bin/env python3
"""Validate the Chilean territorial knowledge files in this folder (stdlib only).

Checks: 16 regions, 56 provinces, 346 communes; code formats and uniqueness; each province's
region exists and matches its code prefix; each commune's province belongs to its region;
province capitals are communes of that province; no folded alias/name of communes.tsv maps to
two different communes (collisions are printed); every locality's commune exists.
Exit status 0 when all checks pass.

Optional: --procurement DIR  cross-checks the (comuna, region) pairs of the ChileCompra CSV files
in DIR (';'-separated, UTF-8 with BOM, columns 'comuna' and 'region') and prints the report.
"""
import csv, glob, os, re, sys, unicodedata
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))

def fold(s):
    s = s.replace('\u00b4', "'").replace('\u2019', "'").replace('`', "'")
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(c for c in s if not unicodedata.combining(c))
    return ' '.join(s.lower().split())

def read_tsv(name):
    with open(os.path.join(HERE, name), encoding='utf-8') as f:
        lines = [l for l in f if not l.startswith('#') and l.strip()]
    return list(csv.DictReader(lines, delimiter='\t'))

def split_aliases(s):
    return [a.strip() for a in (s or '').split(',') if a.strip()]

def main(argv):
    errors = []
    regions = read_tsv('regions.tsv')
    provinces = read_tsv('provinces.tsv')
    communes = read_tsv('communes.tsv')
    localities = read_tsv('localities.tsv')

    for label, rows, n in (('regions', regions, 16), ('provinces', provinces, 56), ('communes', communes, 346)):
        if len(rows) != n:
            errors.append(f'{label}: expected {n} rows, found {len(rows)}')

    def uniq(rows, key, width, label):
        seen = set()
        for r in rows:
            v = r[key]
            if len(v) != width or not v.isdigit():
                errors.append(f'{label}: bad code {v!r}')
            if v in seen:
                errors.append(f'{label}: duplicate code {v}')
            seen.add(v)
        return seen

    reg_codes = uniq(regions, 'region_code', 2, 'regions')
    prov_codes = uniq(provinces, 'province_code', 3, 'provinces')
    uniq(communes, 'cut', 5, 'communes')
    romans = [r['roman'] for r in regions]
    if len(set(romans)) != len(romans):
        errors.append('regions: duplicate roman numerals')
    expected_roman = {'15': 'XV', '01': 'I', '02': 'II', '03': 'III', '04': 'IV', '05': 'V', '13': 'RM', '06': 'VI',
                      '07': 'VII', '16': 'XVI', '08': 'VIII', '09': 'IX', '14': 'XIV', '10': 'X', '11': 'XI', '12': 'XII'}
    for r in regions:
        if expected_roman.get(r['region_code']) != r['roman']:
            errors.append(f"regions: {r['region_code']} has roman {r['roman']}, expected {expected_roman.get(r['region_code'])}")
    for label, rows, key in (('regions', regions, 'name'), ('provinces', provinces, 'name'), ('communes', communes, 'name')):
        names = [fold(r[key]) for r in rows]
        if label != 'provinces' and len(set(names)) != len(names):
            errors.append(f'{label}: duplicate names after folding')

    prov_region = {}
    for p in provinces:
        if p['region_code'] not in reg_codes:
            errors.append(f"provinces: {p['province_code']} region {p['region_code']} unknown")
        if p['province_code'][:2] != p['region_code']:
            errors.append(f"provinces: {p['province_code']} code prefix does not match region {p['region_code']}")
        prov_region[p['province_code']] = p['region_code']

    commune_by_cut = {}
    communes_in_prov = defaultdict(set)
    for c in communes:
        cut, pc, rc = c['cut'], c['province_code'], c['region_code']
        commune_by_cut[cut] = c
        communes_in_prov[pc].add(fold(c['name']))
        if pc not in prov_region:
            errors.append(f'communes: {cut} province {pc} unknown')
        elif prov_region[pc] != rc:
            errors.append(f'communes: {cut} province {pc} belongs to region {prov_region[pc]}, not {rc}')
        if cut[:3] != pc:
            errors.append(f'communes: {cut} code prefix does not match province {pc}')
    for p in provinces:
        if fold(p['capital']) not in communes_in_prov[p['province_code']]:
            errors.append(f"provinces: capital {p['capital']!r} of {p['province_code']} is not a commune of that province")

    # alias collisions inside communes.tsv (names and aliases together)
    key_to_cuts = defaultdict(set)
    for c in communes:
        for k in [c['name']] + split_aliases(c['aliases']):
            key_to_cuts[fold(k)].add(c['cut'])
    collisions = {k: v for k, v in key_to_cuts.items() if len(v) > 1}
    for k, v in sorted(collisions.items()):
        print(f'COLLISION communes.tsv: {k!r} -> {sorted(v)}')
        errors.append(f'communes: alias collision {k!r}')

    # region alias collisions among regions (error) and with commune names/aliases (printed as info)
    rkey = defaultdict(set)
    for r in regions:
        for k in [r['name'], r['roman']] + split_aliases(r['aliases']):
            rkey[fold(k)].add(r['region_code'])
    for k, v in sorted(rkey.items()):
        if len(v) > 1:
            print(f'COLLISION regions.tsv: {k!r} -> {sorted(v)}')
            errors.append(f'regions: alias collision {k!r}')
        if k in key_to_cuts:
            print(f'INFO region alias {k!r} (region {sorted(v)}) is also a commune key {sorted(key_to_cuts[k])}')

    for l in localities:
        if l['commune_cut'] not in commune_by_cut:
            errors.append(f"localities: {l['name']} commune {l['commune_cut']} does not exist")
        if l['kind'] not in ('mine', 'port', 'industrial', 'town'):
            errors.append(f"localities: {l['name']} bad kind {l['kind']}")
        if not l['source'].strip():
            errors.append(f"localities: {l['name']} has no source")
        for k in [l['name']] + split_aliases(l['aliases']):
            if fold(k) in key_to_cuts:
                print(f"INFO locality key {k!r} is also a commune key {sorted(key_to_cuts[fold(k)])}")

    airports = read_tsv('airports.tsv')
    for a in airports:
        if not re.fullmatch(r'[A-Z]{3}', a['code']):
            errors.append(f"airports: bad IATA code {a['code']!r}")
        if a['commune_cut'] not in commune_by_cut:
            errors.append(f"airports: {a['code']} commune {a['commune_cut']} does not exist")
        elif fold(a['city']) != fold(commune_by_cut[a['commune_cut']]['name']):
            errors.append(f"airports: {a['code']} city {a['city']} is not commune {a['commune_cut']}")
        if not a['source'].strip():
            errors.append(f"airports: {a['code']} has no source")
        if fold(a['code']) in key_to_cuts:
            errors.append(f"airports: {a['code']} is already a commune key")
    if len({a['code'] for a in airports}) != len(airports):
        errors.append('airports: duplicate code')

    print(f'regions={len(regions)} provinces={len(provinces)} communes={len(communes)} localities={len(localities)} airports={len(airports)} '
          f'commune_keys={len(key_to_cuts)} region_keys={len(rkey)}')

    if '--procurement' in argv:
        procurement_report(argv[argv.index('--procurement') + 1], regions, communes, key_to_cuts, rkey)

    if errors:
        for e in errors:
            print('ERROR', e)
        return 1
    print('OK')
    return 0

def procurement_report(folder, regions, communes, key_to_cuts, rkey):
    csv.field_size_limit(10 ** 8)
    pairs = defaultdict(int)
    for path in sorted(glob.glob(os.path.join(folder, '*.csv'))):
        with open(path, encoding='utf-8-sig', newline='') as f:
            for row in csv.DictReader(f, delimiter=';'):
                pairs[((row.get('comuna') or '').strip(), (row.get('region') or '').strip())] += 1
    name_to_cut = {fold(c['name']): c['cut'] for c in communes}
    cut_region = {c['cut']: c['region_code'] for c in communes}
    region_name = {fold(r['name']): r['region_code'] for r in regions}
    nonempty = {k: v for k, v in pairs.items() if k[0] and k[1]}
    exact, via_alias, bad = [], [], []
    for (co, re_), n in sorted(nonempty.items()):
        fc, fr = fold(co), fold(re_)
        rcode_exact = region_name.get(fr)
        rcodes = rkey.get(fr, set())
        if fc in name_to_cut and rcode_exact and cut_region[name_to_cut[fc]] == rcode_exact:
            exact.append((co, re_, n))
            continue
        cuts = key_to_cuts.get(fc, set())
        ok = [c for c in cuts if cut_region[c] in rcodes]
        if ok:
            via_alias.append((co, re_, n, ok[0]))
        else:
            why = []
            if not cuts:
                why.append('commune not found')
            elif not rcodes:
                why.append('region not found')
            else:
                why.append('commune %s is in region %s' % (sorted(cuts), sorted(cut_region[c] for c in cuts)))
            bad.append((co, re_, n, '; '.join(why)))
    print()
    print('PROCUREMENT CROSS-CHECK', folder)
    print(f'distinct (comuna, region) pairs: {len(pairs)} ({len(nonempty)} with both fields non-empty; '
          f'{len(pairs) - len(nonempty)} with an empty field, {sum(v for k, v in pairs.items() if not (k[0] and k[1]))} rows)')
    print(f'exact match (official commune name + official region name, accent/case folded): {len(exact)}')
    print(f'match via aliases (commune alias and/or region alias): {len(via_alias)}')
    for co, re_, n, cut in via_alias:
        print(f'  ALIAS  {co!r} / {re_!r} ({n} rows) -> {cut}')
    print(f'no match: {len(bad)}')
    for co, re_, n, why in bad:
        print(f'  NOMATCH {co!r} / {re_!r} ({n} rows): {why}')
    covered = {name_to_cut.get(fold(co)) for co, re_, n in exact} | {cut for *_, cut in via_alias}
    print(f'distinct communes seen in the data (matched): {len(covered - {None})} of 346')

if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
