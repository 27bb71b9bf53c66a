#!/usr/bin/env python3
"""Re-checks every rule from the JSON files alone. Exit 1 on any violation."""
import json, sys, os, re, datetime as dt
from common import norm, rut_valid, rut_body, fmt_dotted

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [('refractory.json', 'F', range(3001, 3031)), ('sports.json', 'S', range(3101, 3131)),
         ('hvac.json', 'C', range(3201, 3231))]
ALLOWED = {'place-variant', 'trade-vocabulary', 'client-only', 'typo', 'overhead',
           'po-reference', 'shared-supplier', 'plain'}
D = dt.date.fromisoformat
P_LO, LAST, OV_LO = D('2024-06-01'), D('2026-12-06'), D('2025-01-06')
errors = []
def err(f, m): errors.append(f"{f}: {m}")

def typed(obj, spec, f, where):
    if not isinstance(obj, dict) or set(obj) != set(spec):
        err(f, f"{where}: keys {sorted(obj) if isinstance(obj, dict) else type(obj)} != {sorted(spec)}"); return False
    ok = True
    for k, t in spec.items():
        v = obj[k]
        if t == 'intnull':
            good = v is None or (isinstance(v, int) and not isinstance(v, bool))
        elif t == 'num':
            good = isinstance(v, (int, float)) and not isinstance(v, bool)
        elif t is int:
            good = isinstance(v, int) and not isinstance(v, bool)
        else:
            good = isinstance(v, t)
        if not good:
            err(f, f"{where}: {k} has wrong type"); ok = False
    return ok

def date_ok(s):
    try: return D(s) if re.fullmatch(r'\d{4}-\d{2}-\d{2}', s) else None
    except ValueError: return None

stats, ovh_hist_files, total_bills = {}, 0, 0
for fname, prefix, idr in FILES:
    data = json.load(open(os.path.join(HERE, '..', fname), encoding='utf-8'))
    f = fname
    if set(data) != {'company', 'projects', 'history', 'bills'}:
        err(f, 'top-level keys'); continue
    c = data['company']
    typed(c, {'name': str, 'rut': str, 'trade': str}, f, 'company')
    if not rut_valid(c['rut']) or c['rut'] != fmt_dotted(rut_body(c['rut'])):
        err(f, 'company rut')
    P = data['projects']
    if len(P) != 30: err(f, f'{len(P)} projects')
    pspec = {'id': int, 'name': str, 'code': str, 'client': str, 'location': str, 'description': str,
             'keywords': list, 'budget': int, 'start_date': str, 'end_date': str}
    pmap, kws, active = {}, {}, 0
    for p in P:
        if not typed(p, pspec, f, f"project {p.get('id')}"): continue
        if p['id'] not in idr or p['id'] in pmap: err(f, f"project id {p['id']}")
        pmap[p['id']] = p
        if len(p['keywords']) != 1 or not isinstance(p['keywords'][0], str) or not p['keywords'][0].strip():
            err(f, f"project {p['id']} keywords")
        else:
            kws[p['id']] = norm(p['keywords'][0])
        if not re.fullmatch(r"[^,]+, Región .+", p['location']): err(f, f"location {p['location']}")
        s, e = date_ok(p['start_date']), date_ok(p['end_date'])
        if not s or not e or not (P_LO <= s <= e <= LAST): err(f, f"project {p['id']} dates")
        elif e >= OV_LO: active += 1
        if p['budget'] <= 0: err(f, 'budget')
    if len(set(kws.values())) != len(kws): err(f, 'duplicate keywords')
    for a in kws:
        for b in kws:
            if a != b and kws[a] in kws[b]: err(f, f'keyword {a} inside keyword {b}')
    if active * 2 <= len(P): err(f, 'most projects must be active')
    clients = {}
    for p in P: clients.setdefault(p['client'], set()).add(p['id'])

    name2rut, rut2name = {}, {}
    def reg_rut(n, r, where):
        if not rut_valid(r): err(f, f"{where}: invalid RUT {r}"); return
        b = rut_body(r)
        if name2rut.setdefault(n, b) != b: err(f, f"{where}: supplier {n} has two RUTs")
        if rut2name.setdefault(b, n) != n: err(f, f"{where}: RUT {r} has two names")

    H = data['history']
    hspec = {'supplier_name': str, 'supplier_rut': str, 'description': str, 'project_id': 'intnull'}
    hist_vals, hsup = {}, set()
    hd = hp = 0
    for i, h in enumerate(H):
        if not typed(h, hspec, f, f'history {i}'): continue
        reg_rut(h['supplier_name'], h['supplier_rut'], f'history {i}')
        if h['project_id'] is not None and h['project_id'] not in pmap: err(f, f'history {i} bad project')
        hist_vals.setdefault(h['supplier_name'], set()).add(h['project_id'])
        hsup.add(h['supplier_name'])
        if '.' in h['supplier_rut']: hd += 1
        else: hp += 1
    if len(H) < 150: err(f, f'{len(H)} history rows')
    if not (hd and hp): err(f, 'history lacks one RUT spelling')
    ovh_hist = sum(1 for h in H if h['project_id'] is None)
    if ovh_hist: ovh_hist_files += 1
    multi = [s for s, v in hist_vals.items() if len({x for x in v if x is not None}) >= 2]
    if len(multi) < 3: err(f, 'too few suppliers serving several projects in history')

    B = data['bills']
    bspec = {'id': str, 'supplier_name': str, 'supplier_rut': str, 'issue_date': str,
             'invoice_description': str, 'purchase_order': str, 'amount': int, 'lines': list,
             'expected_project_id': 'intnull', 'difficulty': list}
    lspec = {'description': str, 'quantity': 'num', 'unit': str, 'unit_price': int}
    tagc, bsup, ids, bd, bp, ovb = {}, set(), set(), 0, 0, 0
    for b in B:
        w = f"bill {b.get('id')}"
        if not typed(b, bspec, f, w): continue
        if not re.fullmatch(prefix + r'\d{3}', b['id']) or b['id'] in ids: err(f, f'{w} id')
        ids.add(b['id'])
        reg_rut(b['supplier_name'], b['supplier_rut'], w)
        bsup.add(b['supplier_name'])
        if '.' in b['supplier_rut']: bd += 1
        else: bp += 1
        if not b['lines']: err(f, f'{w} no lines')
        tot = 0
        for l in b['lines']:
            if typed(l, lspec, f, w + ' line'): tot += l['quantity'] * l['unit_price']
        if b['amount'] != int(round(tot)): err(f, f'{w} amount {b["amount"]} != {tot}')
        po = b['purchase_order']
        pid = b['expected_project_id']
        d = date_ok(b['issue_date'])
        if not d: err(f, f'{w} date'); continue
        if pid is None:
            ovb += 1
            if not (OV_LO <= d <= LAST): err(f, f'{w} overhead date {d}')
        elif pid not in pmap:
            err(f, f'{w} unknown project'); continue
        else:
            p = pmap[pid]
            lo = D(p['start_date']) - dt.timedelta(days=31)
            hi = min(D(p['end_date']) + dt.timedelta(days=62), LAST)
            if not (lo <= d <= hi): err(f, f'{w} date {d} outside [{lo},{hi}]')
        if not (po == 'S/OC' or re.fullmatch(r'OC \d{4}', po) or any(norm(po) == k for k in kws.values())):
            err(f, f'{w} purchase_order {po}')
        text = norm(' '.join([b['invoice_description'], po] + [l['description'] for l in b['lines']]))
        for opid, k in kws.items():
            if opid != pid and k in text: err(f, f"{w} contains keyword of {opid}")
        tags = b['difficulty']
        if not tags or len(set(tags)) != len(tags) or not set(tags) <= ALLOWED:
            err(f, f'{w} tags {tags}')
        st = set(tags)
        exp = set()
        if pid is None: exp.add('overhead')
        if pid is not None and kws[pid] in text: exp.add('po-reference')
        if len(hist_vals.get(b['supplier_name'], ())) >= 2: exp.add('shared-supplier')
        for t in ('overhead', 'po-reference', 'shared-supplier'):
            if (t in st) != (t in exp): err(f, f'{w} rule tag {t} mismatch')
        others = st - {'plain'}
        if ('plain' in st) == bool(others): err(f, f'{w} plain tag wrong')
        if 'client-only' in st and (pid is None or len(clients[pmap[pid]['client']]) != 1):
            err(f, f'{w} client-only on multi-project client or overhead')
        for t in tags: tagc[t] = tagc.get(t, 0) + 1
    total_bills += len(B)
    if len(B) < 165: err(f, f'{len(B)} bills')
    if not (bd and bp): err(f, 'bills lack one RUT spelling')
    if ovb / max(len(B), 1) < 0.18: err(f, f'overhead share {ovb/len(B):.1%}')
    never = bsup - hsup
    share = len(never) / max(len(bsup), 1)
    if not (0.35 <= share <= 0.50): err(f, f'never-in-history share {share:.1%}')
    stats[f] = dict(projects=len(P), history=len(H), overhead_history=ovh_hist, bills=len(B),
                    overhead_pct=round(100 * ovb / len(B), 1), tags=dict(sorted(tagc.items())),
                    suppliers=len(name2rut), bill_suppliers=len(bsup), never_in_history=len(never),
                    never_pct=round(100 * share, 1), active_projects=active)
if ovh_hist_files != 2: err('all', f'overhead history in {ovh_hist_files} files, must be 2')
if total_bills < 500: err('all', f'{total_bills} bills total')
print(json.dumps(stats, ensure_ascii=False, indent=1))
if errors:
    print(f'{len(errors)} VIOLATIONS'); [print(' ', e) for e in errors[:80]]
    sys.exit(1)
print('check.py: all rules pass')
