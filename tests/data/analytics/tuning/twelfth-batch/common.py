import unicodedata, re

def dv(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    return {11: '0', 10: 'K'}.get(r, str(r))

def fmt_dotted(body):
    b = str(body)
    parts = []
    while len(b) > 3:
        parts.insert(0, b[-3:]); b = b[:-3]
    parts.insert(0, b)
    return '.'.join(parts) + '-' + dv(body)

def fmt_plain(body):
    return f"{body}-{dv(body)}"

def norm(s):
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(c for c in s if not unicodedata.combining(c))
    return s.lower()

def rut_valid(r):
    m = re.fullmatch(r'(\d{1,3}(?:\.\d{3})*|\d+)-([\dK])', r)
    if not m:
        return False
    body = m.group(1).replace('.', '')
    return dv(body) == m.group(2)

def rut_body(r):
    return r.split('-')[0].replace('.', '')
