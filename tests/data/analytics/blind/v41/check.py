#!/usr/bin/env python3
"""Re-check every dataset rule from the three JSON files alone.
Usage: python3 check.py [folder]   -> prints a counts table, exits 1 on any violation."""
import json, os, re, sys, unicodedata
from collections import Counter, OrderedDict

FILES = [("observatories.json", "E", 11701), ("wineries.json", "G", 11801), ("shelters.json", "S", 11901)]
TAGS = ["overhead", "shared-supplier", "po-reference", "place-variant", "trade-vocabulary",
        "typo", "client-only", "plain"]
MINIMA = {"place-variant": 45, "trade-vocabulary": 40, "po-reference": 25, "client-only": 6, "typo": 6}

REGIONS = {
 "Región de Arica y Parinacota": "Arica Camarones Putre General Lagos",
 "Región de Tarapacá": "Iquique|Alto Hospicio|Pozo Almonte|Pica|Huara|Camiña|Colchane",
 "Región de Antofagasta": "Antofagasta|Mejillones|Sierra Gorda|Taltal|Calama|Ollagüe|San Pedro de Atacama|Tocopilla|María Elena",
 "Región de Atacama": "Copiapó|Caldera|Tierra Amarilla|Chañaral|Diego de Almagro|Vallenar|Alto del Carmen|Freirina|Huasco",
 "Región de Coquimbo": "La Serena|Coquimbo|Andacollo|La Higuera|Paihuano|Vicuña|Illapel|Canela|Los Vilos|Salamanca|Ovalle|Combarbalá|Monte Patria|Punitaqui|Río Hurtado",
 "Región de Valparaíso": "Valparaíso|Casablanca|Concón|Juan Fernández|Puchuncaví|Quintero|Viña del Mar|Isla de Pascua|Los Andes|Calle Larga|Rinconada|San Esteban|La Ligua|Cabildo|Papudo|Petorca|Zapallar|Quillota|La Calera|Hijuelas|La Cruz|Nogales|San Antonio|Algarrobo|Cartagena|El Quisco|El Tabo|Santo Domingo|San Felipe|Catemu|Llaillay|Panquehue|Putaendo|Santa María|Quilpué|Limache|Olmué|Villa Alemana",
 "Región Metropolitana de Santiago": "Santiago|Cerrillos|Cerro Navia|Conchalí|El Bosque|Estación Central|Huechuraba|Independencia|La Cisterna|La Florida|La Granja|La Pintana|La Reina|Las Condes|Lo Barnechea|Lo Espejo|Lo Prado|Macul|Maipú|Ñuñoa|Pedro Aguirre Cerda|Peñalolén|Providencia|Pudahuel|Quilicura|Quinta Normal|Recoleta|Renca|San Joaquín|San Miguel|San Ramón|Vitacura|Puente Alto|Pirque|San José de Maipo|Colina|Lampa|Tiltil|San Bernardo|Buin|Calera de Tango|Paine|Melipilla|Alhué|Curacaví|María Pinto|San Pedro|Talagante|El Monte|Isla de Maipo|Padre Hurtado|Peñaflor",
 "Región del Libertador General Bernardo O'Higgins": "Rancagua|Codegua|Coinco|Coltauco|Doñihue|Graneros|Las Cabras|Machalí|Malloa|Mostazal|Olivar|Peumo|Pichidegua|Quinta de Tilcoco|Rengo|Requínoa|San Vicente|Pichilemu|La Estrella|Litueche|Marchigüe|Navidad|Paredones|San Fernando|Chépica|Chimbarongo|Lolol|Nancagua|Palmilla|Peralillo|Placilla|Pumanque|Santa Cruz",
 "Región del Maule": "Talca|Constitución|Curepto|Empedrado|Maule|Pelarco|Pencahue|Río Claro|San Clemente|San Rafael|Cauquenes|Chanco|Pelluhue|Curicó|Hualañé|Licantén|Molina|Rauco|Romeral|Sagrada Familia|Teno|Vichuquén|Linares|Colbún|Longaví|Parral|Retiro|San Javier|Villa Alegre|Yerbas Buenas",
 "Región de Ñuble": "Chillán|Bulnes|Chillán Viejo|El Carmen|Pemuco|Pinto|Quillón|San Ignacio|Yungay|Quirihue|Cobquecura|Coelemu|Ninhue|Portezuelo|Ránquil|Treguaco|San Carlos|Coihueco|Ñiquén|San Fabián|San Nicolás",
 "Región del Biobío": "Concepción|Coronel|Chiguayante|Florida|Hualqui|Lota|Penco|San Pedro de la Paz|Santa Juana|Talcahuano|Tomé|Hualpén|Lebu|Arauco|Cañete|Contulmo|Curanilahue|Los Álamos|Tirúa|Los Ángeles|Antuco|Cabrero|Laja|Mulchén|Nacimiento|Negrete|Quilaco|Quilleco|San Rosendo|Santa Bárbara|Tucapel|Yumbel|Alto Biobío",
 "Región de La Araucanía": "Temuco|Carahue|Cunco|Curarrehue|Freire|Galvarino|Gorbea|Lautaro|Loncoche|Melipeuco|Nueva Imperial|Padre Las Casas|Perquenco|Pitrufquén|Pucón|Saavedra|Teodoro Schmidt|Toltén|Vilcún|Villarrica|Cholchol|Angol|Collipulli|Curacautín|Ercilla|Lonquimay|Los Sauces|Lumaco|Purén|Renaico|Traiguén|Victoria",
 "Región de Los Ríos": "Valdivia|Corral|Lanco|Los Lagos|Máfil|Mariquina|Paillaco|Panguipulli|La Unión|Futrono|Lago Ranco|Río Bueno",
 "Región de Los Lagos": "Puerto Montt|Calbuco|Cochamó|Fresia|Frutillar|Los Muermos|Llanquihue|Maullín|Puerto Varas|Castro|Ancud|Chonchi|Curaco de Vélez|Dalcahue|Puqueldón|Queilén|Quellón|Quemchi|Quinchao|Osorno|Puerto Octay|Purranque|Puyehue|Río Negro|San Juan de la Costa|San Pablo|Chaitén|Futaleufú|Hualaihué|Palena",
 "Región de Aysén del General Carlos Ibáñez del Campo": "Coyhaique|Lago Verde|Aysén|Cisnes|Guaitecas|Cochrane|O'Higgins|Tortel|Chile Chico|Río Ibáñez",
 "Región de Magallanes y de la Antártica Chilena": "Punta Arenas|Laguna Blanca|Río Verde|San Gregorio|Cabo de Hornos|Antártica|Porvenir|Primavera|Timaukel|Natales|Torres del Paine",
}
COMMUNES = {}
for reg, s in REGIONS.items():
    for c in (s.split("|") if "|" in s else ["Arica", "Camarones", "Putre", "General Lagos"]):
        COMMUNES[c] = reg

errors = []


def err(msg):
    errors.append(msg)


def norm(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]", "", s.upper())


def words(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().upper()
    return set(re.findall(r"[A-Z0-9]+", s))


def core(k):
    return norm(k.split()[-1])


def rut_ok(r):
    m = re.fullmatch(r"(\d{1,2}\.\d{3}\.\d{3}|\d{7,8})-([\dK])", r)
    if not m:
        return False
    n = m.group(1).replace(".", "")
    s, f = 0, 2
    for d in reversed(n):
        s += int(d) * f
        f = 2 if f == 7 else f + 1
    x = 11 - s % 11
    return m.group(2) == ("0" if x == 11 else "K" if x == 10 else str(x))


def rkey(r):
    return r.replace(".", "").upper()


CLIENT_STOP = {"MUNICIPALIDAD", "ILUSTRE", "DE", "DEL", "LA", "LAS", "LOS", "EL", "Y", "SA", "SPA", "LTDA",
               "SOCIEDAD", "AGRICOLA", "VINA", "VINEDOS", "SERVICIO", "REGIONAL", "GOBIERNO", "UNIVERSIDAD",
               "CHILE", "REGION", "COOPERATIVA", "BODEGA", "BODEGAS", "OBSERVATORIO", "CENTRO", "CONSORCIO",
               "FUNDACION", "SECRETARIA", "MINISTERIAL", "TRANSPORTES", "TELECOMUNICACIONES", "METROPOLITANO",
               "NACIONAL", "VITIVINICOLA", "ASTRONOMICO", "SUR", "NORTE", "VALLE"}


def check_company(fname, letter, first_id, data):
    out = OrderedDict()
    tag = fname.split(".")[0]
    if list(data.keys()) != ["company", "projects", "history", "bills"]:
        err(f"{tag}: top-level keys/order")
    c = data["company"]
    if list(c.keys()) != ["name", "rut", "trade"] or not rut_ok(c["rut"]) or not c["rut"].startswith("76."):
        err(f"{tag}: company block / rut")
    P = data["projects"]
    pkeys = ["id", "name", "code", "client", "location", "description", "keywords", "budget", "start_date", "end_date"]
    ids = [p["id"] for p in P]
    if ids != list(range(first_id, first_id + 30)):
        err(f"{tag}: project ids must be {first_id}..{first_id+29}")
    proj = {p["id"]: p for p in P}
    allcores = {}
    for p in P:
        if list(p.keys()) != pkeys:
            err(f"{tag} {p['id']}: project key order")
        if not re.fullmatch(r"[A-Z]{3}-\d{4}", p["code"]):
            err(f"{tag} {p['id']}: code {p['code']}")
        if not ("2025-01-01" <= p["start_date"] <= p["end_date"] <= "2026-12-31"):
            err(f"{tag} {p['id']}: window")
        m = re.fullmatch(r"([^,]+), (Región .+)", p["location"])
        if not m or COMMUNES.get(m.group(1)) != m.group(2):
            err(f"{tag} {p['id']}: location {p['location']}")
        if not isinstance(p["budget"], int) or p["budget"] <= 0:
            err(f"{tag} {p['id']}: budget")
        if not 1 <= len(p["keywords"]) <= 2:
            err(f"{tag} {p['id']}: keywords count")
        for k in p["keywords"]:
            cc = core(k)
            if len(cc) < 7:
                err(f"{tag} {p['id']}: core too short {k}")
            if cc in allcores:
                err(f"{tag} {p['id']}: core not unique {cc}")
            allcores[cc] = p["id"]
    for a in allcores:
        for b in allcores:
            if a != b and a in b:
                err(f"{tag}: core {a} contained in {b}")
    pcores = {}
    for cc, pid in allcores.items():
        pcores.setdefault(pid, []).append(cc)

    # suppliers / RUTs
    H = data["history"]
    B = data["bills"]
    names_by_rut, spellings = {}, {}
    for row in H + B:
        r = row["supplier_rut"]
        if not rut_ok(r):
            err(f"{tag}: invalid RUT {r} ({row['supplier_name']})")
        names_by_rut.setdefault(rkey(r), set()).add(row["supplier_name"])
        spellings.setdefault(rkey(r), set()).add(r)
    for k, v in names_by_rut.items():
        if len(v) > 1:
            err(f"{tag}: RUT {k} has several names {v}")
    ruts_by_name = {}
    for k, v in names_by_rut.items():
        for n in v:
            ruts_by_name.setdefault(n, set()).add(k)
    for n, v in ruts_by_name.items():
        if len(v) > 1:
            err(f"{tag}: name {n} has several RUTs")
    two = sum(1 for v in spellings.values() if len(v) > 1)
    if two < 2:
        err(f"{tag}: fewer than 2 suppliers with two RUT spellings ({two})")

    # history
    if len(H) < 150:
        err(f"{tag}: history rows {len(H)} < 150")
    hist = {}
    for h in H:
        if list(h.keys()) != ["supplier_name", "supplier_rut", "description", "project_id"]:
            err(f"{tag}: history key order")
        if h["project_id"] is not None and h["project_id"] not in proj:
            err(f"{tag}: history unknown project {h['project_id']}")
        hist.setdefault(rkey(h["supplier_rut"]), []).append(h["project_id"])
    h_over = sum(1 for h in H if h["project_id"] is None)

    def naive(rk):
        lst = hist[rk]
        cnt = Counter(lst)
        best = max(cnt.values())
        for x in lst:
            if cnt[x] == best:
                return x

    # bills
    if not 170 <= len(B) <= 190:
        err(f"{tag}: bills {len(B)} not in 170..190")
    bkeys = ["id", "supplier_name", "supplier_rut", "invoice_description", "lines", "amount", "issue_date",
             "purchase_order", "expected_project_id", "difficulty"]
    spent = Counter()
    tagcount = Counter()
    not_naive = 0
    naive_hits = 0
    clients = Counter(p["client"] for p in P)
    for i, b in enumerate(B):
        bid = b["id"]
        if list(b.keys()) != bkeys:
            err(f"{tag} {bid}: key order")
        if bid != f"{letter}{i+1:03d}":
            err(f"{tag} {bid}: id sequence")
        tot = 0
        if not b["lines"]:
            err(f"{tag} {bid}: no lines")
        for ln in b["lines"]:
            if list(ln.keys()) != ["description", "quantity", "unit", "unit_price"] or not isinstance(ln["unit_price"], int):
                err(f"{tag} {bid}: line shape")
            tot += ln["quantity"] * ln["unit_price"]
        if abs(tot - round(tot)) > 1e-9 or b["amount"] != round(tot) or not isinstance(b["amount"], int):
            err(f"{tag} {bid}: amount {b['amount']} != {tot}")
        e = b["expected_project_id"]
        d = b["issue_date"]
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
            err(f"{tag} {bid}: date format")
        if e is None:
            if not "2025-01-01" <= d <= "2026-12-31":
                err(f"{tag} {bid}: overhead date")
        elif e not in proj:
            err(f"{tag} {bid}: unknown project {e}")
            continue
        else:
            if not proj[e]["start_date"] <= d <= proj[e]["end_date"]:
                err(f"{tag} {bid}: date {d} outside window of {e}")
            spent[e] += b["amount"]
        t = b["difficulty"]
        if not t or len(set(t)) != len(t) or any(x not in TAGS for x in t):
            err(f"{tag} {bid}: bad tags {t}")
        ts = set(t)
        tagcount.update(ts)
        if ("overhead" in ts) != (e is None):
            err(f"{tag} {bid}: overhead tag mismatch")
        rk = rkey(b["supplier_rut"])
        shared = rk in hist and len(set(hist[rk])) > 1
        if ("shared-supplier" in ts) != shared:
            err(f"{tag} {bid}: shared-supplier tag mismatch")
        texts = [norm(b["purchase_order"]), norm(b["invoice_description"])] + [norm(l["description"]) for l in b["lines"]]
        own = e is not None and any(cc in tx for cc in pcores.get(e, []) for tx in texts)
        if ("po-reference" in ts) != own:
            err(f"{tag} {bid}: po-reference tag mismatch")
        for cc, pid in allcores.items():
            if pid != e and any(cc in tx for tx in texts):
                err(f"{tag} {bid}: contains core {cc} of project {pid}")
        if ("plain" in ts) != (ts == {"plain"}):
            err(f"{tag} {bid}: plain tag mismatch")
        if "client-only" in ts:
            if e is None:
                err(f"{tag} {bid}: client-only on overhead")
            else:
                cl = proj[e]["client"]
                if clients[cl] != 1:
                    err(f"{tag} {bid}: client-only but client {cl} has {clients[cl]} projects")
                sig = {w for w in words(cl) if len(w) >= 4 and w not in CLIENT_STOP}
                bw = words(" ".join([b["purchase_order"], b["invoice_description"]] + [l["description"] for l in b["lines"]]))
                if not sig & bw:
                    err(f"{tag} {bid}: client-only but no distinctive word of '{cl}' in bill")
        if rk in hist:
            nv = naive(rk)
            if nv != e:
                not_naive += 1
            else:
                naive_hits += 1
    for pid, s in spent.items():
        if s > proj[pid]["budget"]:
            err(f"{tag} {pid}: billed {s} > budget {proj[pid]['budget']}")
    over = tagcount["overhead"]
    if not 0.20 <= over / len(B) <= 0.23:
        err(f"{tag}: overhead share {over}/{len(B)}")
    for k, v in MINIMA.items():
        if tagcount[k] < v:
            err(f"{tag}: {k} {tagcount[k]} < {v}")
    if not_naive < 10:
        err(f"{tag}: only {not_naive} bills differ from supplier's most frequent assignment")
    bsup = {rkey(b["supplier_rut"]) for b in B}
    new = {s for s in bsup if s not in hist}
    share_new = len(new) / len(bsup)
    if not 0.30 <= share_new <= 0.45:
        err(f"{tag}: new-supplier share {share_new:.2f}")
    out["projects"] = len(P)
    out["history"] = len(H)
    out["history overhead"] = h_over
    out["bills"] = len(B)
    out["overhead bills"] = f"{over} ({100*over/len(B):.1f}%)"
    for k in TAGS[1:]:
        out[k] = tagcount[k]
    out["bill suppliers"] = len(bsup)
    out["new suppliers"] = f"{len(new)} ({100*share_new:.0f}%)"
    out["two RUT spellings"] = two
    out["bills != naive"] = not_naive
    out["naive correct"] = f"{naive_hits}/{len(B)} ({100*naive_hits/len(B):.1f}%)"
    return out, h_over


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    cols, hovers = [], []
    for fname, letter, first in FILES:
        with open(os.path.join(folder, fname), encoding="utf-8") as f:
            data = json.load(f)
        out, ho = check_company(fname, letter, first, data)
        cols.append((fname, out))
        hovers.append(ho)
    if sum(1 for h in hovers if h == 0) != 1 or sum(1 for h in hovers if 15 <= h <= 25) != 2:
        err(f"history overhead rows {hovers}: need two companies with 15-25 and exactly one with 0")
    rows = list(cols[0][1].keys())
    w = max(len(r) for r in rows)
    cw = [max([len(n)] + [len(str(o[r])) for r in rows]) for n, o in cols]
    print("| " + "metric".ljust(w) + " | " + " | ".join(n.ljust(c) for (n, _), c in zip(cols, cw)) + " |")
    print("|" + "-" * (w + 2) + "|" + "|".join("-" * (c + 2) for c in cw) + "|")
    for r in rows:
        print("| " + r.ljust(w) + " | " + " | ".join(str(o[r]).ljust(c) for (n, o), c in zip(cols, cw)) + " |")
    if errors:
        print(f"\n{len(errors)} VIOLATION(S):")
        for e in errors[:200]:
            print(" -", e)
        sys.exit(1)
    print("\nOK: all rules hold")


if __name__ == "__main__":
    main()
