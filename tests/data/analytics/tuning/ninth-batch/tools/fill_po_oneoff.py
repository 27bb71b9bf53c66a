# ALREADY APPLIED ONCE to src/*_bills.txt during authoring; kept for transparency. Do not re-run (it would fill more empty PO fields).
# one-off helper (not part of the build): fills some empty purchase-order fields in src/*_bills.txt
# with the company's own OC numbers or "S/OC"; numbers only, no descriptive text.
import random
cfg={'automation':(1100,1700,7),'facades':(3200,3800,8),'greenspaces':(5100,5900,9)}
fmts=['OC {}','OC {}','O.C. {}','OC N°{}','OC-{}','ORDEN DE COMPRA {}']
for co,(lo,hi,seed) in cfg.items():
    rng=random.Random(seed)
    p=f'src/{co}_bills.txt'
    out=[]
    for ln in open(p,encoding='utf-8').read().split('\n'):
        if ln and not ln.startswith('#'):
            f=ln.split('|')
            if f[3]=='':
                overhead=f[1]=='-'
                r=rng.random()
                if overhead:
                    if r<0.25: f[3]='S/OC'
                    elif r<0.45: f[3]=rng.choice(fmts).format(rng.randint(lo,hi))
                else:
                    if r<0.50: f[3]=rng.choice(fmts).format(rng.randint(lo,hi))
                    elif r<0.70: f[3]='S/OC'
                ln='|'.join(f)
        out.append(ln)
    open(p,'w',encoding='utf-8').write('\n'.join(out))
