#!/usr/bin/env python3
"""Writes tests/data/analytics/devset.json: the labelled development set of the Analytics engine.

A fictional Chilean engineering and energy contractor ("Ingeniería y Montajes Andes SpA") with 28 projects
(substations, solar and wind plants, transmission lines, mining maintenance, O&M contracts) for real-world
kinds of clients, its suppliers, their past invoices already assigned by bookkeepers, and new invoices to
assign, written the way Chilean invoices are written: abbreviations, missing accents, typos, capitals, SKU
and unit noise. Each case records the right answer (a project id, or null for general overhead) and the
kind of evidence it exercises. Deterministic (fixed seed): rerun it and the file is identical.

Usage: python3 tools/devset/generate_devset.py [output]
"""
import json
import random
import sys
import unicodedata

SEED = 20261125
rng = random.Random(SEED)


def rut(body):
    s, m = 0, 2
    for d in reversed(str(body)):
        s += int(d) * m
        m = 2 if m == 7 else m + 1
    r = 11 - s % 11
    dv = {11: "0", 10: "K"}.get(r, str(r))
    return f"{body:,}".replace(",", ".") + "-" + dv


# id, code, name, client, location, start, end, budget, keywords (PO / contract numbers), description, work words
PROJECTS = [
    (101, "PRJ-2024-001", "Ampliación Subestación Alto Jahuel 220 kV", "Transelec", "Buin, Región Metropolitana", "2024-01-15", "2025-06-30", 2_800_000_000, ["OC-4500112233", "Contrato 4600020011"], "Ampliación de patio 220 kV, nuevos paños de línea, celdas y malla de puesta a tierra.", ["montaje paños", "malla puesta a tierra", "celdas 220 kV", "obras civiles patio"]),
    (102, "PRJ-2024-002", "Seccionamiento Subestación Los Vilos 110 kV", "CGE", "Los Vilos, Coquimbo", "2024-03-01", "2025-03-31", 1_400_000_000, ["OC-4500112890"], "Seccionamiento de línea 110 kV y nueva subestación seccionadora.", ["montaje estructuras", "malla puesta a tierra", "interruptores 110 kV", "obras civiles"]),
    (103, "PRJ-2023-014", "Parque Fotovoltaico Quilapilún 110 MW", "AES Andes", "Colina, Región Metropolitana", "2023-05-02", "2024-10-31", 9_500_000_000, ["OC-7700034512"], "Construcción de parque solar fotovoltaico con seguidores de un eje e inversores centrales.", ["hincado de pilotes", "montaje de paneles", "seguidores solares", "zanjas de cableado"]),
    (104, "PRJ-2024-006", "Planta Fotovoltaica Pampa Norte 80 MW", "Enel Green Power", "María Elena, Antofagasta", "2024-02-01", "2025-08-31", 7_200_000_000, ["OC-7700041200"], "Planta solar fotovoltaica en el desierto de Atacama, con subestación elevadora 23/220 kV.", ["hincado de pilotes", "montaje de módulos", "inversores string", "limpieza de paneles"]),
    (105, "PRJ-2023-021", "Línea de Transmisión 2x220 kV Cardones–Maitencillo", "Transelec", "Vallenar, Atacama", "2023-08-01", "2025-02-28", 6_100_000_000, ["Contrato 4600019876"], "Construcción de línea de transmisión de doble circuito, 140 torres de celosía.", ["tendido de conductor", "fundaciones de torres", "montaje de torres", "servidumbre"]),
    (106, "PRJ-2024-009", "Parque Eólico Renaico II", "Enel Green Power", "Renaico, Araucanía", "2024-04-01", "2025-12-31", 8_900_000_000, ["OC-7700043321"], "Obras civiles y montaje de 32 aerogeneradores.", ["fundaciones de aerogeneradores", "caminos interiores", "montaje de aerogeneradores", "grúa de gran tonelaje"]),
    (107, "PRJ-2024-010", "Parque Eólico Cabo Leones III", "Ibereólica", "Freirina, Atacama", "2024-06-01", "2026-03-31", 7_800_000_000, ["OC-5500078812"], "Montaje de aerogeneradores y red colectora de media tensión.", ["montaje de aerogeneradores", "red colectora", "caminos interiores", "grúa de gran tonelaje"]),
    (108, "PRJ-2023-030", "Mantención eléctrica Mina Ministro Hales", "Codelco", "Calama, Antofagasta", "2023-01-01", "2025-12-31", 1_900_000_000, ["Contrato 4501234567"], "Contrato de mantención preventiva y correctiva de salas eléctricas y subestaciones unitarias de la división.", ["mantención preventiva salas eléctricas", "termografía", "cambio de interruptores", "turno de electricistas"]),
    (109, "PRJ-2024-012", "Mantención eléctrica Mina El Teniente", "Codelco", "Machalí, O'Higgins", "2024-01-01", "2026-12-31", 2_300_000_000, ["Contrato 4501239988"], "Mantención eléctrica de subestaciones interior mina y correas transportadoras.", ["mantención preventiva subestaciones interior mina", "termografía", "cambio de celdas", "turno de electricistas"]),
    (110, "PRJ-2024-015", "Montaje electromecánico Planta Desaladora Mejillones", "Aguas Antofagasta", "Mejillones, Antofagasta", "2024-05-01", "2025-11-30", 3_300_000_000, ["OC-3300056789"], "Montaje de bombas de alta presión, cañerías y tableros de la planta de osmosis inversa.", ["montaje de bombas", "cañerías HDPE", "tableros eléctricos", "osmosis inversa"]),
    (111, "PRJ-2022-040", "Obras civiles Central Hidroeléctrica Los Cóndores", "Enel Generación", "San Clemente, Maule", "2022-03-01", "2024-06-30", 12_000_000_000, ["OC-7700029001"], "Túnel de aducción y casa de máquinas de central de pasada.", ["hormigón casa de máquinas", "túnel de aducción", "shotcrete", "excavación"]),
    (112, "PRJ-2024-018", "Sistema de almacenamiento BESS Coya", "Engie", "Machalí, O'Higgins", "2024-07-01", "2025-09-30", 4_100_000_000, ["OC-8800012345"], "Instalación de contenedores de baterías de litio y subestación de conexión.", ["contenedores de baterías", "conversores de potencia", "montaje de baterías", "sistema contra incendio"]),
    (113, "PRJ-2024-020", "Alumbrado público LED Comuna de Maipú", "Municipalidad de Maipú", "Maipú, Región Metropolitana", "2024-02-15", "2024-12-15", 850_000_000, ["OC 2410-45-LP24"], "Recambio de 9.000 luminarias de sodio por luminarias LED con telegestión.", ["luminarias LED", "brazos de luminaria", "telegestión", "retiro de luminarias de sodio"]),
    (114, "PRJ-2024-022", "Red de media tensión Loteo Chicureo Oriente", "Inmobiliaria Manquehue", "Colina, Región Metropolitana", "2024-03-15", "2025-01-31", 620_000_000, ["OC-1200098765"], "Red subterránea de media tensión 12 kV y empalmes para loteo habitacional.", ["red subterránea media tensión", "cámaras eléctricas", "empalmes", "transformadores pad mounted"]),
    (115, "PRJ-2023-025", "Normalización eléctrica Hospital Regional de Talca", "Servicio de Salud del Maule", "Talca, Maule", "2023-09-01", "2024-08-31", 980_000_000, ["OC 1057461-12-LP23"], "Normalización de tableros, grupos electrógenos y UPS del hospital.", ["tableros eléctricos", "grupo electrógeno", "UPS", "certificación TE1"]),
    (116, "PRJ-2024-024", "Conexión Parque Solar Diego de Almagro Sur", "Colbún", "Diego de Almagro, Atacama", "2024-08-01", "2025-07-31", 2_100_000_000, ["OC-6600054321"], "Paño de conexión y línea 110 kV para el parque solar.", ["paño de conexión", "línea 110 kV", "protecciones", "montaje estructuras"]),
    (117, "PRJ-2024-026", "Reemplazo de transformadores S/E Cerro Navia", "Enel Distribución", "Cerro Navia, Región Metropolitana", "2024-04-15", "2024-12-31", 1_250_000_000, ["OC-7700045555"], "Reemplazo de dos transformadores de poder 110/12 kV de 50 MVA.", ["transformador de poder", "aceite dieléctrico", "traslado de transformador", "pruebas eléctricas"]),
    (118, "PRJ-2024-027", "Ingeniería de detalle Línea 66 kV Chillán–Bulnes", "Copelec", "Chillán, Ñuble", "2024-01-10", "2024-09-30", 310_000_000, ["OC-0990012001"], "Ingeniería de detalle, topografía y estudio de suelos para línea de 66 kV.", ["topografía", "estudio de suelos", "ingeniería de detalle", "levantamiento con dron"]),
    (119, "PRJ-2023-033", "O&M Planta Solar El Romero", "Acciona Energía", "Vallenar, Atacama", "2023-01-01", "2026-12-31", 1_600_000_000, ["Contrato 4600011223"], "Operación y mantenimiento de planta solar de 246 MW.", ["limpieza de paneles", "mantenimiento de inversores", "control de malezas", "vigilancia de planta"]),
    (120, "PRJ-2024-030", "Cargadores eléctricos buses Red Movilidad", "Metbus", "Pudahuel, Región Metropolitana", "2024-05-15", "2025-04-30", 1_100_000_000, ["OC-4400067890"], "Instalación de 120 cargadores para buses eléctricos en terminal.", ["cargadores de buses", "tableros de carga", "canalización", "empalme de alta potencia"]),
    (121, "PRJ-2024-031", "Climatización y energía Data Center Quilicura", "Ascenty", "Quilicura, Región Metropolitana", "2024-06-01", "2025-06-30", 2_600_000_000, ["OC-2200011122"], "Sala eléctrica, UPS y climatización de precisión para data center.", ["climatización de precisión", "UPS", "sala eléctrica", "bandejas portaconductores"]),
    (122, "PRJ-2023-036", "Tendido de fibra óptica OPGW Línea Charrúa–Ancoa", "Transelec", "Los Ángeles, Biobío", "2023-10-01", "2024-07-31", 740_000_000, ["Contrato 4600018811"], "Reemplazo de cable de guardia por OPGW con fibra óptica.", ["cable OPGW", "empalmes de fibra", "tendido", "herrajes"]),
    (123, "PRJ-2024-033", "Protecciones eléctricas S/E Polpaico", "Transelec", "Til Til, Región Metropolitana", "2024-09-01", "2025-05-31", 560_000_000, ["OC-4500119900"], "Cambio de relés de protección y sistema SCADA de la subestación.", ["relés de protección", "SCADA", "pruebas de protecciones", "tableros de control"]),
    (124, "PRJ-2024-035", "Planta piloto Hidrógeno Verde Cabo Negro", "HIF Global", "Punta Arenas, Magallanes", "2024-03-01", "2025-12-31", 5_400_000_000, ["OC-9900012345"], "Montaje electromecánico de electrolizador y compresores de planta piloto.", ["electrolizador", "compresores", "montaje de cañerías", "aislación térmica"]),
    (125, "PRJ-2023-038", "Mantención subestaciones Minera Escondida", "BHP", "Antofagasta", "2023-04-01", "2026-03-31", 2_700_000_000, ["Contrato 4700123456"], "Mantención de subestaciones de 220 kV y salas eléctricas de la concentradora.", ["mantención de subestaciones", "análisis de aceite", "termografía", "cambio de aisladores"]),
    (126, "PRJ-2024-038", "Electrificación campamento Minera Spence", "BHP", "Sierra Gorda, Antofagasta", "2024-02-01", "2024-11-30", 450_000_000, ["OC-4700130001"], "Red eléctrica de baja tensión y alumbrado del campamento minero.", ["alumbrado exterior", "tableros de distribución", "canalización", "empalmes"]),
    (127, "PRJ-2024-040", "Montaje Planta Concentradora Los Bronces", "Anglo American", "Lo Barnechea, Región Metropolitana", "2024-01-20", "2025-10-31", 6_700_000_000, ["OC-3100077777"], "Montaje de molinos, correas y salas eléctricas de la planta concentradora.", ["montaje de molinos", "correas transportadoras", "salas eléctricas", "andamios"]),
    (128, "PRJ-2023-042", "Repotenciamiento Central Térmica Ventanas", "AES Andes", "Puchuncaví, Valparaíso", "2023-06-01", "2024-05-31", 3_900_000_000, ["OC-7700031313"], "Cambio de turbina y sistemas auxiliares de la unidad 2.", ["turbina", "sistemas auxiliares", "montaje mecánico", "pruebas de puesta en marcha"]),
]

# Suppliers: name, rut body, kind, {project id: weight} for history (None key: general overhead).
SUPPLIERS = [
    ("Transportes Hualpén SpA", 76234567, "dedicated", {108: 9, 125: 1}, ["transporte de personal", "bus de acercamiento turnos"]),
    ("Servicios Eléctricos Calama Ltda", 77123456, "dedicated", {108: 7}, ["turno de electricistas", "hh eléctricos"]),
    ("Montajes del Maule SpA", 76987654, "dedicated", {111: 8, 115: 1}, ["mano de obra montaje", "hh maestros"]),
    ("Grúas y Transportes Atacama Ltda", 78111222, "dedicated", {105: 6, 116: 2}, ["arriendo de grúa", "camión pluma"]),
    ("Limpieza Solar del Norte SpA", 76555444, "dedicated", {119: 10}, ["limpieza de paneles", "lavado de módulos"]),
    ("Topografía Ñuble Ingeniería Ltda", 76444333, "dedicated", {118: 6}, ["levantamiento topográfico", "topografía"]),
    ("Seguridad Integral Magallanes SpA", 77888999, "dedicated", {124: 5}, ["vigilancia de faena", "guardias"]),
    ("Catering Minero Andino SpA", 76321987, "dedicated", {125: 6, 126: 2}, ["alimentación de personal", "colaciones"]),
    ("Andamios Cordillera SpA", 76000111, "dedicated", {127: 7, 128: 1}, ["arriendo de andamios", "armado de andamios"]),
    ("Ferretería Industrial El Roble Ltda", 78999000, "multi", {101: 2, 102: 2, 108: 2, 113: 2, 120: 2, 126: 2}, ["materiales eléctricos", "ferretería"]),
    ("Comercial Cables y Conductores SpA", 76777888, "multi", {101: 2, 104: 2, 114: 3, 120: 2, 126: 2}, ["cable XLPE", "conductor de cobre"]),
    ("Hormigones Premezclados Sur SA", 91234000, "multi", {106: 3, 111: 4}, ["hormigón premezclado", "hormigón H30"]),
    ("Arriendo de Maquinarias Pacífico SpA", 76131313, "multi", {103: 2, 104: 2, 106: 2, 107: 2, 105: 2}, ["arriendo de excavadora", "arriendo de retroexcavadora"]),
    ("Grúas Liebherr Chile Arriendos SpA", 76242424, "multi", {106: 3, 107: 3}, ["grúa de gran tonelaje", "grúa oruga"]),
    ("Laboratorio Eléctrico Pruebas y Ensayos Ltda", 76353535, "multi", {117: 2, 123: 2, 125: 2, 101: 1}, ["pruebas eléctricas", "ensayos de aceite"]),
    ("Combustibles Norte Grande SpA", 76464646, "multi", {104: 2, 105: 2, 116: 2, 125: 2}, ["petróleo diésel", "combustible"]),
    ("Tuberías y Válvulas Industriales SA", 96575757, "multi", {110: 3, 124: 3}, ["cañerías", "válvulas"]),
    ("Arriendos de Oficinas Apoquindo SA", 96686868, "overhead", {None: 10}, ["arriendo de oficina", "gastos comunes"]),
    ("Telefónica Andina Comunicaciones SA", 96797979, "overhead", {None: 10}, ["servicio de telefonía", "internet oficina"]),
    ("Contadores Asociados Pérez y Cía Ltda", 77909090, "overhead", {None: 8}, ["asesoría contable", "honorarios contabilidad"]),
    ("Software de Gestión Cloud SpA", 76010101, "overhead", {None: 8}, ["licencias de software", "suscripción ERP"]),
    ("Seguros Generales La Cordillera SA", 96121212, "overhead", {None: 6}, ["póliza de seguro", "prima seguro"]),
    ("Café y Servicios de Oficina Ltda", 78232323, "overhead", {None: 6}, ["café y té oficina", "insumos de cafetería"]),
    ("Courier Express Chile SpA", 76343434, "mixed", {None: 5, 127: 1, 110: 1}, ["despacho de documentos", "courier"]),
    ("Capacitaciones Técnicas OTEC Andes Ltda", 76454545, "mixed", {None: 4, 108: 2, 125: 2}, ["curso de capacitación", "capacitación"]),
    ("Clínica Ocupacional Santa María SpA", 76565656, "mixed", {None: 3, 109: 2, 108: 2}, ["exámenes preocupacionales", "exámenes médicos"]),
]

NEW_SUPPLIERS = [
    ("Electro Montajes Araucanía SpA", 77020202), ("Proveedora Industrial Antofagasta Ltda", 77030303),
    ("Inversiones y Servicios Lircay SpA", 77040404), ("Soluciones Energéticas del Sur SpA", 77050505),
    ("Comercial Tecnored Ltda", 77060606), ("Servicios Generales Quillota SpA", 77070707),
    ("Ingeniería Integral Biobío Ltda", 77080808), ("Distribuidora Eléctrica Santiago SA", 96090909),
]

ABBREVIATIONS = [("mantención", "mant."), ("mantenimiento", "mantto."), ("instalación", "inst."), ("subestación", "S/E"),
                 ("servicio", "serv."), ("suministro", "sum."), ("transporte", "transp."), ("arriendo", "arr."),
                 ("materiales", "mat."), ("eléctricos", "elec."), ("eléctrica", "elec."), ("horas hombre", "HH"),
                 ("construcción", "const."), ("ingeniería", "ing."), ("fotovoltaica", "FV"), ("inspección", "insp.")]

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def typo(word):
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 2)
    op = rng.choice(["swap", "drop", "double", "replace"])
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == "drop":
        return word[:i] + word[i + 1:]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1:]


def noisy(text, level):
    """Writes text like a hurried clerk: abbreviations, no accents, typos, capitals."""
    if level >= 1:
        for full, short in ABBREVIATIONS:
            if full in text and rng.random() < 0.6:
                text = text.replace(full, short)
    if level >= 1 and rng.random() < 0.5:
        text = strip_accents(text)
    if level >= 2:
        words = text.split(" ")
        k = rng.randrange(len(words))
        words[k] = typo(words[k])
        text = " ".join(words)
    if rng.random() < 0.25:
        text = text.upper()
    return text


def date_in(start, end):
    y0, m0 = int(start[:4]), int(start[5:7])
    y1, m1 = int(end[:4]), int(end[5:7])
    months = (y1 - y0) * 12 + (m1 - m0)
    k = rng.randrange(max(1, months))
    y, m = y0 + (m0 - 1 + k) // 12, (m0 - 1 + k) % 12 + 1
    return f"{y:04d}-{m:02d}-{rng.randrange(1, 28):02d}"


def month_of(date):
    return MONTHS[int(date[5:7]) - 1]


def sku_line(words):
    sku = f"COD {rng.randrange(100000, 999999)}"
    qty = rng.choice([1, 2, 4, 10, 25, 120])
    unit = rng.choice(["UN", "MT", "GL", "KG", "HH"])
    return {"description": f"{words.upper()} {sku}", "quantity": qty, "unit": unit, "unit_price": rng.randrange(5, 900) * 1000}


project_by_id = {p[0]: p for p in PROJECTS}


def project_json(p):
    pid, code, name, client, location, start, end, budget, keywords, description, _ = p
    return {"id": pid, "code": code, "name": name, "description": description, "client": client, "location": location,
            "start_date": start, "end_date": end, "budget": budget, "keywords": keywords}


def site_words(p):
    """Words a clerk uses to name the site: the place in the name, the location's town or the client."""
    name, client, location = p[2], p[3], p[4]
    town = location.split(",")[0]
    core = name
    for prefix in ["Ampliación ", "Seccionamiento ", "Mantención eléctrica ", "Montaje electromecánico ", "Obras civiles ",
                   "Normalización eléctrica ", "Reemplazo de transformadores ", "Ingeniería de detalle ", "Tendido de fibra óptica OPGW ",
                   "Protecciones eléctricas ", "Mantención subestaciones ", "Electrificación ", "Montaje "]:
        core = core.replace(prefix, "")
    return rng.choice([core, f"{core}", f"faena {town}", f"{client} {town}", core.split(" 1")[0].split(" 2")[0]])


history = []


def past(supplier, pid, when):
    name, body = supplier[0], supplier[1]
    words = rng.choice(supplier[4])
    if pid is None:
        text = f"{words} {month_of(when)}"
    else:
        p = project_by_id[pid]
        text = f"{words} {rng.choice(p[10])} {site_words(p)}" if rng.random() < 0.6 else f"{words} {rng.choice(p[10])}"
    # Odoo's own history often has no text (a bill with only a supplier and a project): a third of it here.
    description = "" if rng.random() < 0.33 else noisy(text, 1)
    return {"supplier_rut": rut(body), "supplier_name": name, "description": description, "project_id": pid}


for s in SUPPLIERS:
    for pid, weight in s[3].items():
        for _ in range(weight):
            window = ("2023-01-01", "2024-06-30") if pid is None else (project_by_id[pid][5], project_by_id[pid][6])
            history.append(past(s, pid, date_in(*window)))
rng.shuffle(history)

cases = []


def add(kind, p, supplier, description, lines=None, po="", date=None, amount=None, note=""):
    pid = p[0] if p else None
    if date is None:
        date = date_in(p[5], p[6]) if p else date_in("2024-01-01", "2024-12-31")
    cases.append({
        "id": f"C{len(cases) + 1:03d}", "kind": kind, "note": note,
        "invoice_description": description, "supplier_rut": rut(supplier[1]) if supplier else "",
        "supplier_name": supplier[0] if supplier else "", "amount": amount if amount is not None else rng.randrange(300, 60000) * 1000,
        "issue_date": date, "purchase_order": po, "lines": lines or [], "expected_project_id": pid,
    })


# 1. Purchase-order references (new suppliers, generic text): 30 cases.
for i in range(30):
    p = rng.choice(PROJECTS)
    ref = rng.choice(p[8])
    number = ref.split(" ")[-1].split("-", 1)[-1] if ref.startswith("OC-") or ref.startswith("Contrato") else ref.split(" ", 1)[-1]
    style = i % 3
    supplier = rng.choice(NEW_SUPPLIERS)
    generic = rng.choice(["Suministro de materiales según orden de compra", "Servicio según OC adjunta", "Estado de pago N° " + str(rng.randrange(1, 12)),
                          "Materiales varios", "Servicios de apoyo a faena"])
    if style == 0:
        add("reference", p, supplier, noisy(generic, 1), po=number)
    elif style == 1:
        add("reference", p, supplier, noisy(f"{generic} OC N° {number}", 1))
    else:
        add("reference", p, supplier, noisy(generic, 1), lines=[sku_line(rng.choice(["cable", "perno", "terminal"])), {"description": f"Ref. {ref}", "quantity": 1, "unit": "GL", "unit_price": 0}])

# 2. Supplier history decides (generic text from a dedicated supplier): 40 cases.
dedicated = [s for s in SUPPLIERS if s[2] == "dedicated"]
for i in range(40):
    s = dedicated[i % len(dedicated)]
    pid = max(s[3], key=s[3].get)
    p = project_by_id[pid]
    when = date_in(p[5], p[6])
    text = f"{rng.choice(s[4])} mes de {month_of(when)}"
    add("supplier_history", p, s, noisy(text, 1 + (i % 2)), date=when)

# 3. Text similarity: multi-project or new suppliers naming the work and site: 70 cases.
multi = [s for s in SUPPLIERS if s[2] == "multi"]
for i in range(70):
    p = PROJECTS[i % len(PROJECTS)]
    s = rng.choice(multi + NEW_SUPPLIERS)
    work = rng.choice(p[10])
    site = site_words(p)
    lines = [sku_line(work)] if i % 4 == 0 else []
    add("text", p, s, noisy(f"{work} {site}", 1 + (i % 3 == 0)), lines=lines)

# 4. Look-alike projects: same kind of work, the site or client tells them apart: 24 cases.
pairs = [(101, 102), (103, 104), (106, 107), (108, 109), (117, 123), (125, 126)]
for i in range(24):
    a, b = pairs[i % len(pairs)]
    p = project_by_id[a if i % 2 == 0 else b]
    other = project_by_id[b if i % 2 == 0 else a]
    shared = [w for w in p[10] if w in other[10]] or p[10]
    site = p[4].split(",")[0] if i % 3 else site_words(p)
    add("look_alike", p, rng.choice(NEW_SUPPLIERS + multi), noisy(f"{rng.choice(shared)} {site}", 1 + (i % 2)))

# 5. Dates and budgets decide between a supplier's projects: 16 cases.
#    Hormigones works on 111 (ended 2024-06) and 106 (from 2024-04); Grúas Atacama on 105 (to 2025-02) and 116 (from 2024-08).
for i in range(16):
    if i % 2 == 0:
        s = SUPPLIERS[11]  # Hormigones Premezclados Sur
        p = project_by_id[111] if i % 4 == 0 else project_by_id[106]
        date = rng.choice(["2022-09-12", "2023-03-20", "2023-11-05"]) if p[0] == 111 else rng.choice(["2025-03-14", "2025-07-02", "2025-10-21"])
        add("date", p, s, noisy("hormigón premezclado H30 según guías de despacho", 1), date=date)
    else:
        s = SUPPLIERS[3]  # Grúas y Transportes Atacama
        p = project_by_id[105] if i % 4 == 1 else project_by_id[116]
        date = rng.choice(["2023-09-10", "2023-12-01", "2024-02-15"]) if p[0] == 105 else rng.choice(["2025-07-10", "2025-07-25"])
        add("date", p, s, noisy("arriendo de camión pluma con operador", 1), date=date)

# 6. No project: overhead suppliers, and generic purchases without any project signal: 30 cases.
overhead = [s for s in SUPPLIERS if s[2] in ("overhead", "mixed")]
for i in range(22):
    s = overhead[i % len(overhead)]
    when = date_in("2024-01-01", "2025-06-30")
    add("no_project", None, s, noisy(f"{rng.choice(s[4])} {month_of(when)} {when[:4]}", 1), date=when)
for i in range(8):
    s = rng.choice(NEW_SUPPLIERS)
    add("no_project", None, s, noisy(rng.choice(["Compra de artículos de escritorio", "Mantención de impresoras oficina central", "Almuerzo reunión de directorio",
                                                 "Suscripción diario financiero", "Arriendo de estacionamientos oficina", "Regalos de fin de año personal",
                                                 "Servicio de aseo oficina Las Condes", "Renovación de notebooks área administración"]), 1))

# 7. Typos and abbreviations heavy, dedicated text: 14 cases.
for i in range(14):
    p = PROJECTS[(i * 5) % len(PROJECTS)]
    work = rng.choice(p[10])
    add("typos", p, rng.choice(NEW_SUPPLIERS), noisy(f"{work} {site_words(p)}", 2) + " " + noisy(rng.choice(["según presupuesto", "estado de pago 3", "hh adicionales"]), 2))

# 8. Budgets decide between two projects of the same client and kind of work: the invoice amount exceeds
#    the small project's whole budget, so it belongs to the large one. 12 cases. (Appended last so that the
#    cases above keep their ids and random draws.)
budget_pairs = [
    (125, 126, "servicio de montaje eléctrico BHP", "2024-03-01", "2024-10-31", 600_000_000),
    (105, 122, "tendido de cable Transelec", "2024-01-10", "2024-06-30", 900_000_000),
    (101, 123, "suministro de equipos subestación Transelec", "2024-10-01", "2025-04-30", 700_000_000),
]
for i in range(12):
    big, small, text, start, end, floor = budget_pairs[i % len(budget_pairs)]
    p = project_by_id[big]
    amount = floor + rng.randrange(0, 200) * 1_000_000
    add("budget", p, rng.choice(NEW_SUPPLIERS), noisy(text, 1), date=date_in(start, end), amount=amount,
        note=f"amount above the budget of {project_by_id[small][1]}")

out = {
    "about": "Labelled development set of the Analytics engine, generated by tools/devset/generate_devset.py (seed %d). Fictional company, projects and suppliers; Chilean writing." % SEED,
    "projects": [project_json(p) for p in PROJECTS],
    "history": history,
    "cases": cases,
}
path = sys.argv[1] if len(sys.argv) > 1 else "tests/data/analytics/devset.json"
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
    f.write("\n")
kinds = {}
for c in cases:
    kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
print(f"{len(cases)} cases ({sum(1 for c in cases if c['expected_project_id'] is None)} no-project), {len(PROJECTS)} projects, {len(history)} history rows: {kinds}")
