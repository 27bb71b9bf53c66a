#!/usr/bin/env python3
"""Re-check every dataset rule from the JSON files alone. Exit 1 on any violation.

Usage: python3 check.py [dir]   (default: folder of this script)
"""
import json, os, re, sys, unicodedata
from collections import Counter, OrderedDict
from datetime import date

FILES = [("museography.json", "B", 11401), ("pools.json", "M", 11501), ("watermetering.json", "Q", 11601)]
TAGS = ["overhead", "shared-supplier", "po-reference", "place-variant", "trade-vocabulary",
        "typo", "client-only", "plain"]
REGIONS = {
    "AP": "Región de Arica y Parinacota", "TA": "Región de Tarapacá", "AN": "Región de Antofagasta",
    "AT": "Región de Atacama", "CO": "Región de Coquimbo", "VA": "Región de Valparaíso",
    "RM": "Región Metropolitana de Santiago", "LI": "Región del Libertador General Bernardo O'Higgins",
    "ML": "Región del Maule", "NB": "Región de Ñuble", "BI": "Región del Biobío",
    "AR": "Región de La Araucanía", "LR": "Región de Los Ríos", "LL": "Región de Los Lagos",
    "AI": "Región de Aysén del General Carlos Ibáñez del Campo",
    "MA": "Región de Magallanes y de la Antártica Chilena",
}
# real communes (subset) -> region code
COMMUNES = {
    "AP": "Arica;Camarones;Putre;General Lagos",
    "TA": "Iquique;Alto Hospicio;Pozo Almonte;Pica;Huara;Camiña;Colchane",
    "AN": "Antofagasta;Mejillones;Sierra Gorda;Taltal;Calama;Ollagüe;San Pedro de Atacama;Tocopilla;María Elena",
    "AT": "Copiapó;Caldera;Tierra Amarilla;Chañaral;Diego de Almagro;Vallenar;Freirina;Huasco;Alto del Carmen",
    "CO": "La Serena;Coquimbo;Andacollo;La Higuera;Paihuano;Vicuña;Illapel;Canela;Los Vilos;Salamanca;Ovalle;Combarbalá;Monte Patria;Punitaqui;Río Hurtado",
    "VA": "Valparaíso;Casablanca;Concón;Juan Fernández;Puchuncaví;Quintero;Viña del Mar;Isla de Pascua;Los Andes;San Esteban;La Ligua;Papudo;Zapallar;Quillota;La Calera;Hijuelas;Limache;Olmué;Villa Alemana;Quilpué;San Antonio;Cartagena;El Quisco;Algarrobo;Santo Domingo;San Felipe;Llaillay;Putaendo",
    "RM": "Santiago;Cerrillos;Cerro Navia;Conchalí;El Bosque;Estación Central;Huechuraba;Independencia;La Cisterna;La Florida;La Granja;La Pintana;La Reina;Las Condes;Lo Barnechea;Lo Espejo;Lo Prado;Macul;Maipú;Ñuñoa;Pedro Aguirre Cerda;Peñalolén;Providencia;Pudahuel;Quilicura;Quinta Normal;Recoleta;Renca;San Joaquín;San Miguel;San Ramón;Vitacura;Puente Alto;Pirque;San José de Maipo;Colina;Lampa;Tiltil;San Bernardo;Buin;Calera de Tango;Paine;Melipilla;Curacaví;Talagante;Peñaflor;Padre Hurtado;Isla de Maipo;El Monte",
    "LI": "Rancagua;Machalí;Graneros;Codegua;Mostazal;Rengo;Requínoa;San Vicente;Pichilemu;San Fernando;Santa Cruz;Chimbarongo;Nancagua;Palmilla;Peralillo;Doñihue;Coltauco;Olivar",
    "ML": "Talca;Maule;San Clemente;Pelarco;Constitución;Curicó;Molina;Teno;Romeral;Sagrada Familia;Linares;San Javier;Parral;Cauquenes;Longaví;Villa Alegre",
    "NB": "Chillán;Chillán Viejo;Bulnes;San Carlos;Quirihue;Coihueco;Pinto;Yungay;Cobquecura",
    "BI": "Concepción;Talcahuano;Hualpén;San Pedro de la Paz;Chiguayante;Penco;Tomé;Coronel;Lota;Hualqui;Santa Juana;Los Ángeles;Nacimiento;Mulchén;Cabrero;Yumbel;Lebu;Arauco;Curanilahue;Cañete;Tirúa",
    "AR": "Temuco;Padre Las Casas;Villarrica;Pucón;Lautaro;Nueva Imperial;Carahue;Angol;Victoria;Collipulli;Curacautín;Lonquimay;Pitrufquén;Freire",
    "LR": "Valdivia;Corral;Lanco;Los Lagos;Máfil;Mariquina;Paillaco;Panguipulli;La Unión;Río Bueno;Futrono;Lago Ranco",
    "LL": "Puerto Montt;Puerto Varas;Llanquihue;Frutillar;Calbuco;Maullín;Los Muermos;Fresia;Osorno;Purranque;Río Negro;Castro;Ancud;Quellón;Dalcahue;Chonchi;Quemchi;Chaitén;Futaleufú;Hualaihué",
    "AI": "Coyhaique;Lago Verde;Aysén;Cisnes;Chile Chico;Cochrane;Río Ibáñez;Tortel;O'Higgins;Guaitecas",
    "MA": "Punta Arenas;Laguna Blanca;Río Verde;San Gregorio;Natales;Torres del Paine;Porvenir;Primavera;Timaukel;Cabo de Hornos;Antártica",
}
COMMUNE_REGION = {}
for code, s in COMMUNES.items():
    for c in s.split(";"):
        COMMUNE_REGION[c] = REGIONS[code]
CLIENT_STOP = set("""ILUSTRE MUNICIPALIDAD UNIVERSIDAD CORPORACION FUNDACION SERVICIO NACIONAL DEL DE LA LOS LAS
CHILE COMITE AGUA POTABLE RURAL SANITARIA AGUAS EMPRESA CENTRO CULTURAL COLEGIO ESCUELA INSTITUTO REGIONAL
SOCIEDAD LTDA SPA COOPERATIVA ASOCIACION GOBIERNO MINISTERIO DIRECCION SERVICIOS EDUCACION DEPORTES SALUD Y EL
CLUB PARQUE""".split())


def norm(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", s.upper())


def words(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.findall(r"[A-Z0-9]+", s.upper())


def rut_ok(r):
    m = re.fullmatch(r"(\d{1,3}(?:\.\d{3})*|\d+)-([\dK])", r)
    if not m:
        return None
    body = m.group(1).replace(".", "")
    if "." in m.group(1) and not re.fullmatch(r"\d{1,3}(\.\d{3})+", m.group(1)):
        return None
    s, k = 0, 2
    for d in reversed(body):
        s += int(d) * k
        k = 2 if k == 7 else k + 1
    r11 = 11 - s % 11
    dv = "0" if r11 == 11 else "K" if r11 == 10 else str(r11)
    return body + "-" + dv if dv == m.group(2) else None


def pdate(s):
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s or ""):
        raise ValueError(s)
    return date.fromisoformat(s)


class Checker:
    def __init__(self):
        self.errors = []

    def err(self, where, msg):
        self.errors.append("%s: %s" % (where, msg))

    def company(self, fname, prefix, first_id, data):
        E = lambda m: self.err(fname, m)
        st = {}
        if list(data.keys()) != ["company", "projects", "history", "bills"]:
            E("top-level keys/order wrong")
            return None
        c = data["company"]
        if list(c.keys()) != ["name", "rut", "trade"] or not rut_ok(c["rut"]) or not re.fullmatch(r"7\d\.\d{3}\.\d{3}-[\dK]", c["rut"]):
            E("company block wrong")
        P = data["projects"]
        pkeys = ["id", "name", "code", "client", "location", "description", "keywords", "budget", "start_date", "end_date"]
        if len(P) != 30:
            E("need 30 projects, got %d" % len(P))
        ids = [p.get("id") for p in P]
        if ids != list(range(first_id, first_id + 30)):
            E("project ids must be %d..%d" % (first_id, first_id + 29))
        pmap, cores = {}, {}
        lo, hi = date(2025, 1, 1), date(2026, 12, 31)
        for p in P:
            w = "project %s" % p.get("id")
            if list(p.keys()) != pkeys:
                E(w + " keys/order wrong"); continue
            pmap[p["id"]] = p
            if not isinstance(p["budget"], int) or p["budget"] <= 0:
                E(w + " budget")
            try:
                s, e = pdate(p["start_date"]), pdate(p["end_date"])
                if not (lo <= s <= e <= hi):
                    E(w + " window outside 2025-2026 or reversed")
            except ValueError:
                E(w + " bad dates")
            m = re.fullmatch(r"([^,]+), (Región .+)", p["location"])
            if not m or COMMUNE_REGION.get(m.group(1)) != m.group(2):
                E(w + " location not 'Commune, Región de X' with a real commune: %s" % p["location"])
            for fld in ("name", "code", "client", "description"):
                if not isinstance(p[fld], str) or not p[fld].strip():
                    E(w + " empty " + fld)
            if not (1 <= len(p["keywords"]) <= 2):
                E(w + " needs 1-2 keywords")
            cores[p["id"]] = [norm(k.split()[-1]) for k in p["keywords"] if k.split()]
        allc = [(pid, c) for pid, cs in cores.items() for c in cs]
        for pid, c in allc:
            if len(c) < 7:
                E("project %s core %s shorter than 7" % (pid, c))
            for pid2, c2 in allc:
                if (pid, c) != (pid2, c2) and c in c2:
                    E("core %s (%s) contained in %s (%s)" % (c, pid, c2, pid2))
        codes = [p.get("code") for p in P]
        if len(set(codes)) != len(codes):
            E("duplicate project codes")
        clients = Counter(p.get("client") for p in P)

        # suppliers / RUTs
        names_by_rut, spellings = {}, {}
        H = data["history"]
        if len(H) < 150:
            E("history has %d rows (<150)" % len(H))
        hist = {}
        for i, h in enumerate(H):
            if list(h.keys()) != ["supplier_name", "supplier_rut", "description", "project_id"]:
                E("history %d keys" % i); continue
            r = rut_ok(h["supplier_rut"])
            if not r:
                E("history %d invalid RUT %s" % (i, h["supplier_rut"])); continue
            names_by_rut.setdefault(r, set()).add(h["supplier_name"])
            spellings.setdefault(r, set()).add(h["supplier_rut"])
            if h["project_id"] is not None and h["project_id"] not in pmap:
                E("history %d unknown project" % i)
            if not h["description"].strip():
                E("history %d empty description" % i)
            hist.setdefault(r, []).append(h["project_id"])
        st["hist_overhead"] = sum(1 for h in H if h.get("project_id") is None)
        st["history"] = len(H)

        B = data["bills"]
        bkeys = ["id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount", "issue_date",
                 "purchase_order", "expected_project_id", "difficulty"]
        if not (170 <= len(B) <= 190):
            E("bills count %d not in 170-190" % len(B))
        bids = [b.get("id") for b in B]
        if bids != ["%s%03d" % (prefix, i) for i in range(1, len(B) + 1)]:
            E("bill ids must run %s001.. consecutively" % prefix)
        spent = Counter()
        tagc = Counter()
        naive_ok = naive_wrong_known = 0
        bill_sups, new_sups = set(), set()
        n_over = 0
        for b in B:
            w = "bill %s" % b.get("id")
            if list(b.keys()) != bkeys:
                E(w + " keys/order wrong"); continue
            r = rut_ok(b["supplier_rut"])
            if not r:
                E(w + " invalid RUT " + b["supplier_rut"]); continue
            names_by_rut.setdefault(r, set()).add(b["supplier_name"])
            spellings.setdefault(r, set()).add(b["supplier_rut"])
            bill_sups.add(r)
            if r not in hist:
                new_sups.add(r)
            tot = 0
            for l in b["lines"]:
                if list(l.keys()) != ["description", "quantity", "unit", "unit_price"] or not isinstance(l["unit_price"], int) \
                        or isinstance(l["quantity"], bool) or not isinstance(l["quantity"], (int, float)) or l["quantity"] <= 0 \
                        or not l["description"].strip() or not l["unit"].strip():
                    E(w + " bad line %r" % (l,)); continue
                tot += l["quantity"] * l["unit_price"]
            if not b["lines"] or not isinstance(b["amount"], int) or abs(tot - b["amount"]) > 1e-6:
                E(w + " amount %s != sum of lines %s" % (b["amount"], tot))
            exp = b["expected_project_id"]
            try:
                d = pdate(b["issue_date"])
            except ValueError:
                E(w + " bad issue_date"); continue
            if exp is None:
                n_over += 1
                if not (lo <= d <= hi):
                    E(w + " overhead date outside 2025-2026")
            elif exp not in pmap:
                E(w + " unknown expected project"); continue
            else:
                p = pmap[exp]
                if not (pdate(p["start_date"]) <= d <= pdate(p["end_date"])):
                    E(w + " issue_date %s outside window of %s" % (d, exp))
                spent[exp] += b["amount"]
            tags = b["difficulty"]
            if len(set(tags)) != len(tags) or any(t not in TAGS for t in tags) or not tags:
                E(w + " bad tags %s" % tags)
            for t in tags:
                tagc[t] += 1
            T = set(tags)
            if ("overhead" in T) != (exp is None):
                E(w + " overhead tag iff expected null")
            shared = len(set(hist.get(r, []))) > 1
            if ("shared-supplier" in T) != shared:
                E(w + " shared-supplier tag mismatch (history assignments %s)" % sorted(set(map(str, hist.get(r, [])))))
            texts = [norm(b["purchase_order"]), norm(b["invoice_description"])] + [norm(l["description"]) for l in b["lines"]]
            has = exp is not None and any(c in t for c in cores[exp] for t in texts)
            if ("po-reference" in T) != has:
                E(w + " po-reference tag mismatch")
            for pid, cs in cores.items():
                if pid != exp and any(c in t for c in cs for t in texts):
                    E(w + " contains keyword core of other project %s" % pid)
            if ("plain" in T) != (T == {"plain"}):
                E(w + " plain iff no other tag")
            if "client-only" in T:
                if exp is None:
                    E(w + " client-only on overhead bill")
                else:
                    cl = pmap[exp]["client"]
                    if clients[cl] != 1:
                        E(w + " client-only but client %s has %d projects" % (cl, clients[cl]))
                    toks = [t for t in words(cl) if len(t) >= 4 and t not in CLIENT_STOP]
                    btxt = " ".join(words(" ".join([b["purchase_order"], b["invoice_description"]] + [l["description"] for l in b["lines"]])))
                    if not any(re.search(r"\b%s\b" % t, btxt) for t in toks):
                        E(w + " client-only but client not named (%s)" % toks)
            # naive rule
            hs = hist.get(r)
            if hs:
                cnt = Counter(hs)
                best = max(cnt.values())
                pred = next(x for x in hs if cnt[x] == best)
                if pred == exp:
                    naive_ok += 1
                else:
                    naive_wrong_known += 1
        for pid, amt in spent.items():
            if amt > pmap[pid]["budget"]:
                E("project %s billed %d above budget %d" % (pid, amt, pmap[pid]["budget"]))
        for r, ns in names_by_rut.items():
            if len(ns) != 1:
                E("RUT %s has several names %s" % (r, ns))
        if not any(len(s) > 1 for s in spellings.values()):
            E("no supplier appears with two RUT spellings")
        share = n_over / len(B) if B else 0
        if not (0.20 <= share <= 0.23):
            E("overhead bills %.1f%% not in 20-23%%" % (100 * share))
        if naive_wrong_known < 10:
            E("only %d bills where the expected answer differs from supplier's most frequent history" % naive_wrong_known)
        newfrac = len(new_sups) / len(bill_sups) if bill_sups else 0
        if not (0.30 <= newfrac <= 0.45):
            E("new suppliers %.1f%% not in 30-45%%" % (100 * newfrac))
        mins = {"place-variant": 45, "trade-vocabulary": 40, "po-reference": 25, "client-only": 6, "typo": 6}
        for t, m in mins.items():
            if tagc[t] < m:
                E("%s: %d bills (< %d)" % (t, tagc[t], m))
        st.update(bills=len(B), overhead=n_over, share=share, tags=tagc, naive_ok=naive_ok,
                  naive_wrong_known=naive_wrong_known, sups=len(bill_sups), new=len(new_sups), newfrac=newfrac,
                  multi_spell=sum(1 for s in spellings.values() if len(s) > 1))
        return st


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    ck = Checker()
    stats = {}
    for fname, prefix, first in FILES:
        path = os.path.join(d, fname)
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f, object_pairs_hook=OrderedDict)
        except Exception as e:
            ck.err(fname, "cannot read: %s" % e); continue
        st = ck.company(fname, prefix, first, data)
        if st:
            stats[fname] = st
    if len(stats) == 3:
        ho = sorted(s["hist_overhead"] for s in stats.values())
        if not (ho[0] == 0 and ho[1] > 0 and all(15 <= x <= 25 for x in ho[1:])):
            ck.err("all", "history overhead rows must be 0 in exactly one company and 15-25 in the other two: %s" % ho)
    cols = ["file", "projects", "history", "hist_null", "bills", "overhead", "ovh_%", "shared", "po-ref", "place-var",
            "trade-voc", "typo", "client-only", "plain", "suppliers", "new_%", "2_rut_spell", "naive_score"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for fname, s in stats.items():
        t = s["tags"]
        row = [fname, "30", s["history"], s["hist_null"] if "hist_null" in s else s["hist_overhead"], s["bills"], s["overhead"],
               "%.2f" % (100 * s["share"]), t["shared-supplier"], t["po-reference"], t["place-variant"],
               t["trade-vocabulary"], t["typo"], t["client-only"], t["plain"], s["sups"],
               "%.1f" % (100 * s["newfrac"]), s["multi_spell"],
               "%d/%d (%.1f%%)" % (s["naive_ok"], s["bills"], 100 * s["naive_ok"] / s["bills"])]
        print("| " + " | ".join(map(str, row)) + " |")
    if ck.errors:
        print("\nVIOLATIONS (%d):" % len(ck.errors))
        for e in ck.errors:
            print("  " + e)
        sys.exit(1)
    print("\nOK: all rules hold")


if __name__ == "__main__":
    main()
