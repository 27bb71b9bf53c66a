#!/usr/bin/env python3
"""Mechanical build: src/*.txt -> *.json. Check digits, RUT spellings, amounts,
dates (seeded RNG), rule tags, shuffles, numbering. All text is hand-written in src/."""
import json, random, datetime as dt, sys, os
from common import dv, fmt_dotted, fmt_plain, norm

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [('refractory', 'F', 1201), ('sports', 'S', 1202), ('hvac', 'C', 1203)]
HAND = {'p': 'place-variant', 't': 'trade-vocabulary', 'c': 'client-only', 'y': 'typo'}
TAG_ORDER = ['overhead', 'po-reference', 'shared-supplier', 'place-variant',
             'trade-vocabulary', 'client-only', 'typo', 'plain']
D = dt.date.fromisoformat
OV_LO, LAST = D('2025-01-06'), D('2026-12-06')


def parse(path):
    sec, out = None, {'project': [], 'supplier': [], 'history': [], 'bill': []}
    for raw in open(path, encoding='utf-8'):
        line = raw.rstrip('\n')
        if not line.strip() or line.startswith('#'):
            continue
        if line.startswith('@company'):
            n, r, t = line[len('@company '):].split('|')
            out['company'] = (n, r, t)
            continue
        if line.startswith('@'):
            sec = line[1:].strip()
            continue
        out[sec].append(line.split('|'))
    return out


def rand_date(rng, lo, hi):
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def build(name, prefix, seed):
    rng = random.Random(seed)
    src = parse(os.path.join(HERE, 'src', name + '.txt'))
    cn, cr, ct = src['company']
    company = {'name': cn, 'rut': fmt_dotted(cr), 'trade': ct}
    projects, kw = [], {}
    for f in src['project']:
        pid, pname, code, client, loc, desc, key, budget, s, e = f
        p = {'id': int(pid), 'name': pname, 'code': code, 'client': client, 'location': loc,
             'description': desc, 'keywords': [key], 'budget': int(budget),
             'start_date': s, 'end_date': e}
        projects.append(p); kw[p['id']] = key
    pmap = {p['id']: p for p in projects}
    sup = {}
    for k, n, r in src['supplier']:
        assert k not in sup, k
        sup[k] = (n, int(r))

    def spell(k):
        n, b = sup[k]
        return n, (fmt_dotted(b) if rng.random() < 0.5 else fmt_plain(b))

    history = []
    for k, pid, descs in src['history']:
        for d in descs.split('~'):
            n, r = spell(k)
            history.append({'supplier_name': n, 'supplier_rut': r, 'description': d.strip(),
                            'project_id': None if pid == '-' else int(pid)})
    rng.shuffle(history)
    # guarantee both spellings in history
    history[0]['supplier_rut'] = fmt_dotted(int(history[0]['supplier_rut'].split('-')[0].replace('.', '')))
    history[1]['supplier_rut'] = fmt_plain(int(history[1]['supplier_rut'].split('-')[0].replace('.', '')))

    hist_vals = {}
    for h in history:
        hist_vals.setdefault(h['supplier_name'], set()).add(h['project_id'])

    bills = []
    for f in src['bill']:
        k, pid, tags, po, desc, lines = f
        pid = None if pid == '-' else int(pid)
        n, r = spell(k)
        if po == 'K':
            po = kw[pid]
        elif po == 'OC':
            po = f"OC {rng.randint(1100, 9899)}"
        elif po in ('', 'S/OC'):
            po = 'S/OC'
        ls = []
        for l in lines.split('~'):
            d, q, u, pr = l.split('*')
            d = desc if d == '=' else d
            q = float(q) if '.' in q else int(q)
            ls.append({'description': d, 'quantity': q, 'unit': u, 'unit_price': int(pr)})
        amount = int(round(sum(l['quantity'] * l['unit_price'] for l in ls)))
        if pid is None:
            date = rand_date(rng, OV_LO, LAST)
        else:
            p = pmap[pid]
            lo = D(p['start_date']) - dt.timedelta(days=31)
            hi = min(D(p['end_date']) + dt.timedelta(days=62), LAST)
            date = rand_date(rng, lo, hi)
        tg = {HAND[c] for c in tags}
        if pid is None:
            tg.add('overhead')
            assert 'client-only' not in tg, (k, desc)
        text = norm(' '.join([desc, po] + [l['description'] for l in ls]))
        if pid is not None and norm(kw[pid]) in text:
            tg.add('po-reference')
        if len(hist_vals.get(n, ())) >= 2:
            tg.add('shared-supplier')
        for opid, okw in kw.items():
            if opid != pid and norm(okw) in text:
                sys.exit(f'keyword leak {okw} in {desc}')
        if not tg:
            tg.add('plain')
        bills.append({'id': None, 'supplier_name': n, 'supplier_rut': r, 'issue_date': date.isoformat(),
                      'invoice_description': desc, 'purchase_order': po, 'amount': amount, 'lines': ls,
                      'expected_project_id': pid, 'difficulty': [t for t in TAG_ORDER if t in tg]})
    rng.shuffle(bills)
    for i, b in enumerate(bills, 1):
        b['id'] = f"{prefix}{i:03d}"
    # guarantee both spellings in bills
    for b, f in ((bills[0], fmt_dotted), (bills[1], fmt_plain)):
        b['supplier_rut'] = f(int(b['supplier_rut'].split('-')[0].replace('.', '')))
    out = {'company': company, 'projects': projects, 'history': history, 'bills': bills}
    with open(os.path.join(HERE, '..', name + '.json'), 'w', encoding='utf-8') as fh:
        json.dump(out, fh, ensure_ascii=False, indent=1)
    print(f"{name}: {len(projects)} projects, {len(history)} history, {len(bills)} bills")


if __name__ == '__main__':
    for n, p, s in FILES:
        build(n, p, s)
