#!/usr/bin/env bash
# judge.sh - re-derive independent tool verdicts for every XML file in files/.
# Tools: xmllint (libxml2-utils), xmlsec1 (openssl backend), openssl, python3 (stdlib only).
# Usage: ./judge.sh [SII_DIR]   (default SII_DIR=/work/shared/sii)  -> writes verdicts.csv next to this script,
#        or to $VERDICTS_OUT when set (the tests write a fresh copy to compare with the committed one).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SII_DIR="${1:-${SII_DIR:-/work/shared/sii}}"
for t in xmllint xmlsec1 openssl python3; do
  command -v "$t" >/dev/null || { echo "missing tool: $t (apt-get install -y xmlsec1 libxml2-utils)" >&2; exit 2; }
done
export HERE SII_DIR
exec python3 - <<'PY'
import os, re, sys, csv, glob, base64, subprocess, tempfile, shutil
from decimal import Decimal, ROUND_HALF_UP
import xml.etree.ElementTree as ET

HERE = os.environ['HERE']; SII = os.environ['SII_DIR']
SCH = os.path.join(SII, 'schemas'); CERTS = os.path.join(SII, 'certs')
DSIG = 'http://www.w3.org/2000/09/xmldsig#'
TMP = tempfile.mkdtemp(prefix='judge-')

# Derived wrapper schema for a standalone boleta <DTE> (39/41): the SII publishes no global DTE
# element of BOLETADefType, so we declare one that includes the unmodified EnvioBOLETA_v11.xsd.
BOL_WRAP = os.path.join(TMP, 'BoletaDTE_wrapper.xsd')
with open(BOL_WRAP, 'w') as f:
    f.write('<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:SiiDte="http://www.sii.cl/SiiDte" targetNamespace="http://www.sii.cl/SiiDte" '
            'elementFormDefault="qualified" attributeFormDefault="unqualified">\n'
            '<xs:include schemaLocation="file://%s"/>\n'
            '<xs:element name="DTE" type="SiiDte:BOLETADefType"/>\n</xs:schema>\n'
            % os.path.join(SCH, 'EnvioBOLETA_v11.xsd'))

def run(cmd, inp=None):
    p = subprocess.run(cmd, input=inp, capture_output=True)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')

def local(tag): return tag.rsplit('}', 1)[-1] if isinstance(tag, str) else ''

def decl_encoding(raw):
    m = re.match(rb'^\s*<\?xml[^>]*encoding\s*=\s*["\']([A-Za-z0-9._-]+)["\']', raw.lstrip(b'\xef\xbb\xbf'))
    return m.group(1).decode().lower() if m else None

def oneline(s, n=160):
    s = re.sub(r'\s+', ' ', s).strip()
    return s[:n]

# ---------- RSA public key (PEM) from modulus/exponent, pure DER encoding ----------
def der_len(n):
    if n < 0x80: return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big'); return bytes([0x80 | len(b)]) + b
def der_int(x):
    b = x.to_bytes((x.bit_length() + 8) // 8 or 1, 'big'); return b'\x02' + der_len(len(b)) + b
def der_seq(*parts):
    c = b''.join(parts); return b'\x30' + der_len(len(c)) + c
def rsa_pem(m_b64, e_b64):
    n = int.from_bytes(base64.b64decode(re.sub(r'\s+', '', m_b64)), 'big')
    e = int.from_bytes(base64.b64decode(re.sub(r'\s+', '', e_b64)), 'big')
    pk = der_seq(der_int(n), der_int(e))
    algo = der_seq(b'\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01', b'\x05\x00')
    bit = b'\x03' + der_len(len(pk) + 1) + b'\x00' + pk
    spki = der_seq(algo, bit)
    return (b'-----BEGIN PUBLIC KEY-----\n' + base64.encodebytes(spki) + b'-----END PUBLIC KEY-----\n'), n.bit_length()

def openssl_verify(pem_path, data, sig_b64):
    d = os.path.join(TMP, 'data.bin'); s = os.path.join(TMP, 'sig.bin')
    with open(d, 'wb') as f: f.write(data)
    try: sig = base64.b64decode(re.sub(r'\s+', '', sig_b64), validate=True)
    except Exception: return 'fail', 'signature not base64'
    if not sig: return 'fail', 'empty signature'
    with open(s, 'wb') as f: f.write(sig)
    rc, out, err = run(['openssl', 'dgst', '-sha1', '-verify', pem_path, '-signature', s, d])
    if 'Verified OK' in out: return 'ok', ''
    if 'Verification failure' in out or 'Verification failure' in err: return 'fail', ''
    if 'signature file' in (err + out) or 'wrong signature length' in (err + out) or 'bad signature' in (err + out): return 'fail', 'malformed signature value'
    return 'error', oneline(err or out, 100)

def flatten(xml_text):  # remove whitespace between tags only
    return re.sub(r'>\s+<', '><', xml_text.strip())

# ---------- schema ----------
def schema_check(path, root, types):
    if root == 'EnvioDTE': xsd = os.path.join(SCH, 'EnvioDTE_v10.xsd')
    elif root == 'EnvioBOLETA': xsd = os.path.join(SCH, 'EnvioBOLETA_v11.xsd')
    elif root == 'DTE':
        xsd = BOL_WRAP if types and set(types) <= {'39', '41'} else os.path.join(SCH, 'DTE_v10.xsd')
    else: return 'n/a', '', 'no SII schema for root %s' % root
    rc, out, err = run(['xmllint', '--noout', '--nonet', '--schema', xsd, path])
    name = 'wrapper(EnvioBOLETA_v11.xsd)' if xsd == BOL_WRAP else os.path.basename(xsd)
    if 'failed to compile' in err or 'WXS schema' in err and rc not in (0, 1, 3, 4):
        return 'xsd-error', name, oneline(err)
    if rc == 0: return 'valid', name, ''
    lines = [l for l in err.splitlines() if l.strip() and not l.endswith('fails to validate')]
    first = lines[0] if lines else err
    first = re.sub(r'^.*?:\d+: ', '', first)
    if rc in (1,) and 'parser error' in err: return 'not-well-formed', name, oneline(first)
    if rc == 5 or 'failed to compile' in err: return 'xsd-error', name, oneline(first)
    info = ''
    if 'No matching global declaration' in first:
        raw = open(path, 'rb').read()
        m = re.search(rb'<((?:\w+:)?)' + root.encode() + rb'\b([^>]*)>', raw)
        if m and b'xmlns=' not in m.group(2):
            tp = os.path.join(TMP, 'ns_added.xml')
            fixed = raw[:m.end(2)] + b' xmlns="http://www.sii.cl/SiiDte"' + raw[m.end(2):]
            open(tp, 'wb').write(fixed)
            rc2, _, err2 = run(['xmllint', '--noout', '--nonet', '--schema', xsd, tp])
            l2 = [l for l in err2.splitlines() if l.strip() and not l.endswith('fails to validate')]
            info = ' [root has no xmlns; with xmlns added: %s]' % ('valid' if rc2 == 0 else 'invalid: ' + oneline(re.sub(r'^.*?:\d+: ', '', l2[0] if l2 else err2), 120))
    return 'invalid', name, oneline(first) + info

# ---------- XML signatures ----------
ID_ARGS = []
for el in ['Documento', 'SetDTE', 'Exportaciones', 'Liquidacion', 'DocumentoCesion', 'DTECedido', 'Cesion',
           'DocumentoAEC', 'DocumentoRecibo', 'SetRecibos', 'EnvioLibro', 'DocumentoConsumoFolios']:
    ID_ARGS += ['--id-attr:ID', el, '--id-attr:ID', 'http://www.sii.cl/SiiDte:' + el]

def xmlsec_verify(path, xp=None):
    cmd = ['xmlsec1', '--verify', '--insecure'] + ID_ARGS + (['--node-xpath', xp] if xp else []) + [path]
    rc, out, err = run(cmd)
    txt = out + err
    if rc == 0 and re.search(r'^OK', txt, re.M): return 'ok', ''
    if re.search(r'^FAIL', txt, re.M):
        m = re.search(r'(data and digest do not match|signature do not match|RSA_verify)', txt, re.I)
        return 'fail', (m.group(1) if m else 'verification failed')
    # xmlsec1 errors that are, in substance, failures of the signature as written
    if 'xmlSecBase64Decode' in txt and 'xmlSecTransformVerifyNodeContent' in txt: return 'fail', 'SignatureValue is not valid base64'
    if 'xmlXPtrEval' in txt: 
        m = re.search(r"id\('([^']*)'\)", txt); return 'fail', 'Reference target ID %s not found' % (m.group(1) if m else '?')
    if 'xmlSecTransformInputURIOpen' in txt:
        m = re.search(r'uri=(\S+)', txt); return 'fail', 'Reference URI %s is not a same-document reference' % (m.group(1) if m else '?')
    if 'xmlSecBase64Decode' in txt: return 'fail', 'base64 decode error (DigestValue/key)'
    errs = [l for l in txt.splitlines() if 'error=' in l]
    return 'error', oneline(errs[0] if errs else txt, 160)

def sig_check(path, tree, raw, enc):
    # returns list of (kind, target, result, detail)
    res = []
    if tree is None: return res
    sigs = [e for e in tree.iter() if e.tag == '{%s}Signature' % DSIG]
    parent = {c: p for p in tree.iter() for c in p}
    rootl = local(tree.tag)
    for k, s in enumerate(sigs, 1):
        p = parent.get(s); pl = local(p.tag) if p is not None else ''
        ref = s.find('.//{%s}Reference' % DSIG)
        uri = ref.get('URI', '') if ref is not None else ''
        kind = 'envelope' if pl in ('EnvioDTE', 'EnvioBOLETA', 'EnvioRecibos', 'AEC', 'LibroCompraVenta', 'ConsumoFolios') else 'document'
        xp = "(//*[local-name()='Signature' and namespace-uri()='%s'])[%d]" % (DSIG, k)
        r, d = xmlsec_verify(path, xp)
        if r != 'ok' and kind == 'document' and rootl in ('EnvioDTE', 'EnvioBOLETA') and uri.startswith('#'):
            # informative: verify the same DTE cut out byte-for-byte as a standalone document
            for m in re.finditer(rb'<(?:\w+:)?DTE\b[^>]*>.*?</(?:\w+:)?DTE>', raw, re.S):
                if re.search(rb'\bID\s*=\s*["\']' + re.escape(uri[1:].encode()) + rb'["\']', m.group(0)):
                    tp = os.path.join(TMP, 'extracted.xml')
                    cut = m.group(0)
                    with open(tp, 'wb') as f:
                        f.write(('<?xml version="1.0" encoding="%s"?>\n' % (enc or 'UTF-8')).encode() + cut)
                    r2, d2 = xmlsec_verify(tp)
                    # the same cut-out keeping the DTE's expanded name: a DTE that inherits the envelope's default
                    # namespace gets that one declared on itself (not the envelope's other declarations), as it was
                    # when signed alone before going into the envelope
                    start = re.match(rb'<(?:\w+:)?DTE\b[^>]*>', cut).group(0)
                    dm = re.search(rb'<(?:\w+:)?' + rootl.encode() + rb'\b[^>]*\sxmlns\s*=\s*["\']([^"\']*)["\']', raw)
                    if r2 != 'ok' and b'xmlns=' not in start and not re.match(rb'<\w+:', start) and dm:
                        with open(tp, 'wb') as f:
                            f.write(('<?xml version="1.0" encoding="%s"?>\n' % (enc or 'UTF-8')).encode() + cut[:4] + b' xmlns="' + dm.group(1) + b'"' + cut[4:])
                        r3, _ = xmlsec_verify(tp)
                        if r3 == 'ok': r2 = 'ok (in its namespace)'
                    d += '; cut out standalone: %s' % r2
                    break
        res.append((kind, uri, r, d))
    return res

# ---------- TED / CAF ----------
def ted_caf_check(raw, enc):
    try: text = raw.decode(enc or 'utf-8')
    except Exception: text = raw.decode('latin-1')
    teds, cafs = [], []
    for tm in re.finditer(r'<(?:\w+:)?TED\b[^>]*>(.*?)</(?:\w+:)?TED>', text, re.S):
        body = tm.group(1)
        dm = re.search(r'<((?:\w+:)?)DD>.*?</\1DD>', body, re.S)
        fm = re.search(r'<(?:\w+:)?FRMT\b[^>]*>(.*?)</(?:\w+:)?FRMT>', body, re.S)
        if not dm or not fm: teds.append(('fail', 'no DD/FRMT', None)); continue
        dd = flatten(dm.group(0))
        f = re.search(r'<(?:\w+:)?F>\s*(\d+)', dd); folio = f.group(1) if f else '?'
        mm = re.search(r'<(?:\w+:)?M>(.*?)</(?:\w+:)?M>', dd, re.S); em = re.search(r'<(?:\w+:)?E>(.*?)</(?:\w+:)?E>', dd, re.S)
        mnt = re.search(r'<(?:\w+:)?MNT>\s*([-\d.]+)', dd)
        if not mm or not em: teds.append(('fail', 'F%s: no RSAPK in CAF' % folio, None)); continue
        try: pem, bits = rsa_pem(mm.group(1), em.group(1))
        except Exception as ex: teds.append(('fail', 'F%s: bad RSAPK' % folio, None)); continue
        pp = os.path.join(TMP, 'caf_pub.pem'); open(pp, 'wb').write(pem)
        try: data = dd.encode('iso-8859-1')
        except UnicodeEncodeError: data = dd.encode('iso-8859-1', 'replace')
        r, d = openssl_verify(pp, data, fm.group(1))
        note = ''
        if r != 'ok':
            # informative only: does a character-reference-decoded variant verify?
            import html
            alt = re.sub(r'>([^<]*)<', lambda m: '>' + html.unescape(m.group(1)).replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;') + '<', dd)
            if alt != dd:
                r2, _ = openssl_verify(pp, alt.encode('iso-8859-1', 'replace'), fm.group(1))
                if r2 == 'ok': note = ' (a re-escaped DD variant verifies)'
        teds.append((r, 'F%s%s%s' % (folio, (': ' + d) if d else '', note), mnt.group(1) if mnt else None))
    # every CAF in the file (inside TEDs, or a standalone AUTORIZACION)
    for cm in re.finditer(r'<(?:\w+:)?CAF\b[^>]*>(.*?)</(?:\w+:)?CAF>', text, re.S):
        body = cm.group(1)
        da = re.search(r'<((?:\w+:)?)DA>.*?</\1DA>', body, re.S)
        fr = re.search(r'<(?:\w+:)?FRMA\b[^>]*>(.*?)</(?:\w+:)?FRMA>', body, re.S)
        idk = re.search(r'<(?:\w+:)?IDK>\s*(\d+)\s*<', body)
        idk = idk.group(1) if idk else '?'
        if not da or not fr: cafs.append((idk, 'fail', 'no DA/FRMA')); continue
        key = os.path.join(CERTS, 'sii-idk%s-publickey.pem' % idk)
        if not os.path.exists(key): cafs.append((idk, 'no-key', 'IDK %s' % idk)); continue
        data = flatten(da.group(0)).encode('iso-8859-1', 'replace')
        r, d = openssl_verify(key, data, fr.group(1))
        cafs.append((idk, r, d))
    return teds, cafs

# ---------- arithmetic ----------
RETENCION = {'15', '30', '31', '32', '33', '34', '36', '37', '38', '39', '41', '47', '48', '49', '53', '60'}
def D(x):
    try: return Decimal(x.strip())
    except Exception: return None
def arith_check(tree):
    out = []
    if tree is None: return out
    for doc in tree.iter():
        if local(doc.tag) not in ('Documento', 'Exportaciones', 'Liquidacion'): continue
        enc = next((c for c in doc if local(c.tag) == 'Encabezado'), None)
        if enc is None: continue
        tipo = folio = '?'
        tot = None
        for e in enc.iter():
            l = local(e.tag)
            if l == 'TipoDTE': tipo = (e.text or '').strip()
            elif l == 'Folio': folio = (e.text or '').strip()
            elif l == 'Totales': tot = e
        tag = 'T%sF%s' % (tipo, folio)
        if tot is None: out.append((tag, 'none', 'no Totales')); continue
        v = {}; adds = []; rets = []
        for c in tot:
            l = local(c.tag)
            if l == 'ImptoReten':
                ti = next((x.text.strip() for x in c if local(x.tag) == 'TipoImp' and x.text), '')
                mi = next((D(x.text) for x in c if local(x.tag) == 'MontoImp' and x.text), None)
                if mi is not None: (rets if ti in RETENCION else adds).append((ti, mi))
            elif c.text and c.text.strip(): v[l] = D(c.text)
        if not ({'MntNeto', 'MntExe', 'IVA'} & set(v)) and not adds and not rets:
            out.append((tag, 'unchecked', 'unchecked: only MntTotal=%s' % v.get('MntTotal'))); continue
        neto = v.get('MntNeto') or Decimal(0); exe = v.get('MntExe') or Decimal(0); iva = v.get('IVA') or Decimal(0)
        total = v.get('MntTotal')
        if total is None: out.append((tag, 'mismatch', 'no MntTotal')); continue
        exp = neto + exe + iva + sum(m for _, m in adds) - sum(m for _, m in rets)
        exp -= (v.get('CredEC') or 0) + (v.get('ValComNeto') or 0) + (v.get('ValComExe') or 0) + (v.get('ValComIVA') or 0)
        probs = []
        if exp != total:
            probs.append('MntTotal=%s expected %s (Neto %s + Exe %s + IVA %s%s%s)' % (total, exp, neto, exe, iva,
                ''.join(' +%s[%s]' % (m, t) for t, m in adds), ''.join(' -%s[%s]' % (m, t) for t, m in rets)))
        if 'MntNeto' in v and 'TasaIVA' in v and 'IVA' in v and v['TasaIVA'] is not None:
            ei = (neto * v['TasaIVA'] / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            if ei != iva: probs.append('IVA=%s expected round(%s*%s/100)=%s' % (iva, neto, v['TasaIVA'], ei))
        dec = any(x is not None and x != x.to_integral_value() for x in v.values()) or any(m != m.to_integral_value() for _, m in adds + rets)
        out.append((tag, 'mismatch' if probs else 'ok', ('; '.join(probs)) + (' [decimal amounts]' if dec else '')))
    return out

# ---------- RUT check digits (modulo 11, as the SII defines the RUT) ----------
def rut_digit(body):
    s, f = 0, 2
    for ch in reversed(body):
        s += int(ch) * f; f = 2 if f == 7 else f + 1
    r = 11 - s % 11
    return '0' if r == 11 else 'K' if r == 10 else str(r)
def rut_check(tree):
    bad = []
    if tree is None: return bad
    for e in tree.iter():
        if local(e.tag) not in ('RUTEmisor', 'RUTRecep') or not e.text: continue
        m = re.fullmatch(r'\s*(\d{1,8})-([\dkK])\s*', e.text)
        if m and rut_digit(m.group(1)) != m.group(2).upper():
            bad.append('%s %s (check digit %s)' % (local(e.tag), e.text.strip(), rut_digit(m.group(1))))
    return bad

# ---------- main ----------
rows = []
files = sorted(glob.glob(os.path.join(HERE, 'files', '*')))
for path in files:
    name = os.path.basename(path)
    raw = open(path, 'rb').read()
    enc = decl_encoding(raw)
    tree = None; perr = ''
    try: tree = ET.fromstring(raw)
    except Exception as ex: perr = str(ex)
    root = local(tree.tag) if tree is not None else '?'
    types = []
    if tree is None:  # not well-formed: report root/types by plain regex
        m = re.search(rb'<(?:\w+:)?(EnvioDTE|EnvioBOLETA|DTE)\b', raw); root = (m.group(1).decode() + '(not well-formed)') if m else '?'
        types = [t.decode() for t in re.findall(rb'<TipoDTE>\s*(\d+)', raw)]
    if tree is not None:
        for e in tree.iter():
            if local(e.tag) == 'TipoDTE' and e.text: types.append(e.text.strip())
    ndte = sum(1 for e in tree.iter() if local(e.tag) == 'DTE') if tree is not None else len(re.findall(rb'<(?:\w+:)?DTE\b', raw))
    if tree is not None and root == 'DTE': ndte = 1
    schema, xsd, serr = schema_check(path, root, types) if tree is not None else ('not-well-formed', '', oneline(perr))
    sigs = sig_check(path, tree, raw, enc)
    teds, cafs = ted_caf_check(raw, enc)
    ar = arith_check(tree)
    ruts = rut_check(tree)
    def agg(lst):
        if not lst: return 'none'
        bad = [x for x in lst if x[2] != 'ok']
        if not bad: return 'ok(%d)' % len(lst)
        return '; '.join('%s:%s%s' % (x[1] or '?', x[2], (' ' + x[3]) if x[3] else '') for x in bad) + ' [%d/%d bad]' % (len(bad), len(lst))
    docsig = agg([s for s in sigs if s[0] == 'document']); envsig = agg([s for s in sigs if s[0] == 'envelope'])
    if teds:
        badt = [t for t in teds if t[0] != 'ok']
        ted = 'ok(%d)' % len(teds) if not badt else 'fail: ' + '; '.join('%s %s' % (t[0], t[1]) for t in badt) + ' [%d/%d bad]' % (len(badt), len(teds))
    else: ted = 'none'
    if cafs:
        badc = [c for c in cafs if c[1] != 'ok']
        caf = 'ok(IDK%s)' % ','.join(sorted({c[0] for c in cafs})) if not badc else '; '.join(sorted({'%s(IDK%s)%s' % (c[1], c[0], (' ' + c[2]) if c[2] else '') for c in badc}))
    else: caf = 'none'
    bad_ar = [a for a in ar if a[1] == 'mismatch']
    arith = ('mismatch: ' + ' | '.join('%s %s' % (a[0], a[2]) for a in bad_ar)) if bad_ar else ('ok' + ((' ' + ','.join(a[2].strip() for a in ar if a[2].strip())) if any(a[2].strip() for a in ar) else '')) if ar else 'none'
    # TED MNT vs MntTotal (informative column)
    tedmnt = ''
    # overall
    inval, und = [], []
    if schema in ('invalid', 'not-well-formed'): inval.append('schema: ' + (serr or schema))
    elif schema in ('xsd-error', 'n/a'): und.append('schema not checked: ' + serr)
    for s in sigs:
        if s[2] == 'fail': inval.append('%s signature %s fails (%s)' % (s[0], s[1], s[3]))
        elif s[2] == 'error': und.append('%s signature %s: xmlsec1 error %s' % (s[0], s[1], s[3]))
    for t in teds:
        if t[0] == 'fail': inval.append('TED %s does not verify' % t[1])
        elif t[0] != 'ok': und.append('TED %s: %s' % (t[1], t[0]))
    for c in cafs:
        if c[1] == 'fail': inval.append('CAF FRMA (IDK%s) does not verify' % c[0])
        elif c[1] == 'no-key': und.append('no SII key for CAF IDK %s' % c[0])
        elif c[1] != 'ok': und.append('CAF FRMA check error %s' % c[2])
    if bad_ar: inval.append('arithmetic: ' + '; '.join('%s %s' % (a[0], a[2]) for a in bad_ar))
    if ruts: inval.append('RUT check digit: ' + '; '.join(ruts))
    # lenient reading: tolerate exactly two well-known artefacts (see README):
    #  (a) standalone root without xmlns that is schema-valid once xmlns is added;
    #  (b) a DTE signature that fails only in envelope context but verifies on the DTE cut out byte-for-byte.
    linval = []
    for x in inval:
        if x.startswith('schema: ') and '[root has no xmlns; with xmlns added: valid]' in x: continue
        if 'signature' in x and 'cut out standalone: ok' in x: continue  # also 'ok (in its namespace)'
        linval.append(x)
    if linval: lenient = 'INVALID: ' + ' | '.join(linval)
    elif und: lenient = 'UNDETERMINED: ' + ' | '.join(und)
    else: lenient = 'VALID' + (' (with artefact tolerance)' if inval else '')
    if inval: overall = 'INVALID: ' + ' | '.join(inval)
    elif und: overall = 'UNDETERMINED: ' + ' | '.join(und)
    else: overall = 'VALID'
    rows.append({'file': name, 'root': root, 'types': ','.join(sorted(set(types), key=int) if all(t.isdigit() for t in types) else sorted(set(types))),
                 'n_dte': ndte, 'encoding': enc or '(none: UTF-8)',
                 'schema': schema + (' (' + xsd + ')' if xsd else '') + ((': ' + serr) if serr and schema != 'valid' else ''),
                 'doc_signatures': docsig, 'envelope_signature': envsig, 'ted': ted, 'caf_frma': caf,
                 'arithmetic': arith, 'rut_check_digits': ('wrong: ' + '; '.join(ruts)) if ruts else 'ok',
                 'verdict': overall, 'verdict_lenient': lenient})
    print('%-95s %s' % (name, overall[:150]), file=sys.stderr)

out = os.environ.get('VERDICTS_OUT') or os.path.join(HERE, 'verdicts.csv')
with open(out, 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()) if rows else ['file'])
    w.writeheader(); w.writerows(rows)
shutil.rmtree(TMP, ignore_errors=True)
print('wrote %s (%d files)' % (out, len(rows)), file=sys.stderr)
PY
