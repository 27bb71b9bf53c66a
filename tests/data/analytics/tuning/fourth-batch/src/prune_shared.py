"""One-off helper used while writing: keep the shared-supplier tag only where it is
valid (the supplier's most frequent history project is another one) and cap the count,
preferring bills that do not name the place (trade-vocabulary first)."""
import sys, re
sys.path.insert(0, __file__.rsplit('/', 2)[0])
import build
from collections import Counter, defaultdict
path, cap = sys.argv[1], int(sys.argv[2])
d = build.parse(path)
h = defaultdict(Counter)
for k, desc, p in d['history']:
    if p: h[k][p] += 1
cands = []
for b in d['bills']:
    if 'shared-supplier' in b['tags']:
        c = h[b['sup']]
        ok = len(c) >= 2 and c[b['pid']] < max(c.values())
        pri = 0 if 'trade-vocabulary' in b['tags'] else 1 if 'place-variant' in b['tags'] else 2
        cands.append((not ok, pri, b['ln'], ok))
keep = {ln for bad, pri, ln, ok in sorted(cands)[:cap] if ok}
L = open(path, encoding='utf-8').read().split('\n')
for i, l in enumerate(L, 1):
    if not l.startswith((' ', '#')) and 'shared-supplier' in l and i not in keep:
        f = l.split('|')
        f[4] = ' ' + ','.join(t.strip() for t in f[4].split(',') if t.strip() and t.strip() != 'shared-supplier') + ' '
        L[i - 1] = '|'.join(f)
open(path, 'w', encoding='utf-8').write('\n'.join(L))
print('kept', len(keep))
