"""Demo practice exercise: "Case database practice" in the third module of
AC-100 (built from content/ac-100.yaml by the training app, which runs
before this app in INSTALLED_APPS), placed just before the module's quiz.

The seed database is generated, not typed: a few hundred fictitious
seizures, arrests and events drawn with a fixed random seed from fixed name
lists and a realistic mix of calibres, makes, ports and dates, plus the few
planted records the tasks are about. No real person: names are combined at
random from common given names and surnames. The same seed always gives
the same records, so the expected answers below hold.

Idempotent: an existing exercise is left as it is (only moved back before
the quiz if the content loader moved it).
"""

import hashlib
import json
import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from wagtail.documents import get_document_model

from courses.duration import apply_computed_duration
from courses.models import CoursePage, ModulePage

from .models import AnswerKey, EntryTask, ExercisePage, RetrievalTask, ReviewPolicy, Tolerance
from .seeds import check_rows, write_seed

COURSE_CODE = "AC-100"
SLUG = {"en": "case-database-practice", "es": "practica-base-de-datos-de-casos"}
RANDOM_SEED = 20260402
RECORDS = 300

GIVEN = (
    "José Luis", "María Guadalupe", "Juan Carlos", "Ana Lucía", "Jesús", "Francisco", "Rosa María",
    "Miguel Ángel", "Verónica", "Héctor", "Daniel", "Brenda", "Raúl", "Yesenia", "Óscar", "Michael",
    "Jennifer", "Christopher", "Ashley", "Kevin", "Adriana", "Iván", "Sofía", "Ramiro", "Lorena",
)  # fmt: skip
SURNAMES = (
    "García", "Hernández", "López", "Martínez", "González", "Pérez", "Sánchez", "Ramírez", "Flores",
    "Gómez", "Díaz", "Reyes", "Morales", "Ortiz", "Castillo", "Chávez", "Ruiz", "Medina", "Vázquez",
    "Domínguez", "Smith", "Johnson", "Miller", "Davis", "Wilson", "Aguilar", "Mendoza", "Cruz",
)  # fmt: skip
ALIASES = ("El Güero", "La Flaca", "El Gordo", "El Chino", "La Morena", "El Tigre", "La Jefa", "El Primo", "El Negro")
#: (type, make, model, calibre, importer marking, serial pattern); weights follow seizure reports.
CATALOGUE = (
    (14, "rifle", "Cugir", "WASR-10", "7.62x39mm", "CAI GEORGIA VT", "1-{A}{A}-{d}{d}{d}{d}-{d}{d}"),
    (8, "rifle", "Century Arms", "VSKA", "7.62x39mm", "", "SV{d}{d}{d}{d}-{d}{d}"),
    (6, "rifle", "Zastava", "PAP M70", "7.62x39mm", "ZASTAVA ARMS USA", "M70PB{d}{d}{d}{d}{d}"),
    (10, "rifle", "Colt", "AR-15", "5.56x45mm", "", "LE{d}{d}{d}{d}{d}{d}"),
    (7, "rifle", "Smith & Wesson", "M&P15", "5.56x45mm", "", "T{A}{d}{d}{d}{d}{d}"),
    (6, "rifle", "Ruger", "AR-556", "5.56x45mm", "", "85{d}-{d}{d}{d}{d}{d}"),
    (2, "rifle", "Barrett", "M82A1", ".50 BMG", "", "AA{d}{d}{d}{d}{d}"),
    (4, "pistol", "FN Herstal", "Five-seveN", "5.7x28mm", "FNH USA", "386{d}{d}{d}{d}{d}{d}"),
    (12, "pistol", "Glock", "19", "9mm", "", "{A}{A}{A}{d}{d}{d}"),
    (6, "pistol", "Glock", "17", "9mm", "", "{A}{A}{A}{d}{d}{d}"),
    (5, "pistol", "Colt", "Super 38", ".38 Super", "", "38SS{d}{d}{d}{d}{d}"),
    (4, "pistol", "Taurus", "G2C", "9mm", "TAURUS MIAMI FL", "AC{A}{d}{d}{d}{d}{d}"),
    (3, "pistol", "Springfield Armory", "1911", ".45 ACP", "", "NM{d}{d}{d}{d}{d}{d}"),
    (3, "pistol", "Bersa", "Thunder 380", ".380 ACP", "EAGLE IMP", "{d}{d}{d}{d}{d}{d}"),
    (3, "revolver", "Smith & Wesson", "686", ".357 Magnum", "", "C{A}{A}{d}{d}{d}{d}"),
    (3, "shotgun", "Mossberg", "500", "12 gauge", "", "V{d}{d}{d}{d}{d}{d}{d}"),
)
PORTS = (
    (20, "Nogales, Arizona"), (15, "Laredo, Texas"), (14, "El Paso, Texas"), (10, "San Ysidro, California"),
    (5, "Otay Mesa, California"), (5, "Calexico, California"), (5, "Douglas, Arizona"),
    (8, "Brownsville, Texas"), (7, "Hidalgo, Texas"), (5, "Eagle Pass, Texas"), (3, "Del Rio, Texas"),
    (2, "Lukeville, Arizona"), (1, "San Luis, Arizona"),
)  # fmt: skip
AGENCIES = ("CBP", "CBP, HSI", "HSI", "ATF", "CBP, ATF", "AZDPS", "TXDPS", "ANAM", "FGR", "GN, FGR")
VEHICLES = (
    ("Ford", "F-150"), ("Chevrolet", "Silverado"), ("Nissan", "Frontier"), ("Toyota", "Tacoma"),
    ("Dodge", "Ram 1500"), ("Honda", "Civic"), ("Nissan", "Sentra"), ("Jeep", "Grand Cherokee"),
)  # fmt: skip
COLOURS = ("white", "black", "silver", "grey", "red", "blue")
LETTERS = "ABCDEFGHJKMNPRSTUVWXYZ"  # no I, L, O, Q: the look-alikes are planted on purpose only
START, END = date(2025, 1, 1), date(2026, 6, 30)

# The planted records the tasks are about.
LINKING_PERSON = "P-0777"
ZURDO_ARREST = "AR-2026-0913"
EVENT_REF = "EV-2025-0919"
ENTRY_SERIAL = "SV7731-09"
NOGALES_MARCH = ("SZ-2026-0901", "SZ-2026-0902", "SZ-2026-0903", "SZ-2026-0904")


def _pick(rng, weighted):
    return rng.choices([item[1:] if len(item) > 2 else item[1] for item in weighted], [item[0] for item in weighted])[0]


def _serial(rng, pattern):
    out = pattern
    while "{A}" in out or "{d}" in out:
        out = out.replace("{A}", rng.choice(LETTERS), 1).replace("{d}", str(rng.randint(0, 9)), 1)
    return out


def _person(rng, code, used_aliases=True):
    given = rng.choice(GIVEN)
    first, second = rng.sample(SURNAMES, 2)
    alias = rng.choice(ALIASES) if used_aliases and rng.random() < 0.25 else ""
    return {
        "person_code": code,
        "given_names": given,
        "paternal_surname": first,
        "maternal_surname": second if rng.random() < 0.8 else "",
        "aliases": alias,
        "birth_year": str(rng.randint(1960, 2004)),
    }


def _is_march_nogales_762(row):
    return (
        row.get("port_of_entry") == "Nogales, Arizona"
        and row["date"].startswith("2026-03")
        and row.get("caliber") == "7.62x39mm"
        and row["kind"] == "seizure"
    )


def seed_rows(count=RECORDS):
    """The demo seed database as seed-file rows (deterministic): ``count``
    generated records plus the planted ones (the benchmark asks for more)."""
    rng = random.Random(RANDOM_SEED)
    persons = [_person(rng, f"P-{n:05d}") for n in range(1, max(150, count // 3) + 1)]
    span = (END - START).days
    rows, seizures = [], []
    counters = {"seizure": 0, "arrest": 0, "event": 0}
    prefix = {"seizure": "SZ", "arrest": "AR", "event": "EV"}
    while len(rows) < count:
        kind = rng.choices(("seizure", "arrest", "event"), (66, 20, 14))[0]
        day = START + timedelta(days=rng.randint(0, span))
        counters[kind] += 1
        reference = f"{prefix[kind]}-{day.year}-{counters[kind] + 1000:05d}"
        base = {
            "reference": reference,
            "kind": kind,
            "date": day.isoformat(),
            "port_of_entry": _pick(rng, PORTS) if kind != "event" else "",
            "agencies": rng.choice(AGENCIES) if kind != "event" else "ATF",
        }
        if kind == "event":
            base["place"] = rng.choice(("Tucson, Arizona", "Phoenix, Arizona", "Houston, Texas", "San Antonio, Texas"))
            base["summary"] = "Multiple sale report"
        person = rng.choice(persons) if kind == "arrest" or rng.random() < 0.6 else None
        firearm = None
        if kind != "arrest":
            _type, make, model, caliber, marking, pattern = _pick(rng, CATALOGUE)
            firearm = {
                "firearm_type": _type,
                "make": make,
                "model": model,
                "caliber": caliber,
                "importer_marking": marking,
                "serial": _serial(rng, pattern),
                "quantity": str(rng.choices((1, 2, 3, 5), (70, 15, 10, 5))[0]),
            }
        row = {**base, **(firearm or {}), **(person or {})}
        if person:
            row["role"] = "driver" if kind == "seizure" else ("purchaser" if kind == "event" else "suspect")
        if kind == "seizure" and rng.random() < 0.6:
            make, model = rng.choice(VEHICLES)
            row.update(
                vehicle_make=make,
                vehicle_model=model,
                vehicle_color=rng.choice(COLOURS),
                vehicle_plate=f"{rng.choice(LETTERS)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}-{rng.randint(100, 999)}",
                vehicle_region=rng.choice(("Sonora", "Chihuahua", "Arizona", "Texas", "Baja California")),
            )
        if kind == "arrest" and seizures and rng.random() < 0.7:
            row["links"] = rng.choice(seizures)["reference"]
        if _is_march_nogales_762(row):
            row["caliber"], row["model"], row["make"] = "5.56x45mm", "AR-15", "Colt"
        rows.append(row)
        if kind == "seizure":
            seizures.append(row)
    rows.extend(_planted())
    return rows


def _planted():
    linking = {
        "person_code": LINKING_PERSON,
        "given_names": "Rosa Elena",
        "paternal_surname": "Ibarra",
        "maternal_surname": "Solís",
        "aliases": "La Chata; Rossy Ibarra",
        "birth_year": "1991",
        "role": "driver",
    }
    rifles = [
        ("2026-03-04", "Cugir", "WASR-10", "1-KM-5512-20", "CAI GEORGIA VT", None),
        ("2026-03-11", "Century Arms", "VSKA", "SV5120-44", "", linking),
        ("2026-03-19", "Zastava", "PAP M70", "M70PB30917", "ZASTAVA ARMS USA", None),
        ("2026-03-27", "Cugir", "WASR-10", "1-TR-8840-21", "CAI GEORGIA VT", linking),
    ]
    rows = []
    for reference, (day, make, model, serial, marking, person) in zip(NOGALES_MARCH, rifles, strict=True):
        row = {
            "reference": reference,
            "kind": "seizure",
            "date": day,
            "place": "DeConcini port",
            "port_of_entry": "Nogales, Arizona",
            "agencies": "CBP, HSI",
            "firearm_type": "rifle",
            "make": make,
            "model": model,
            "caliber": "7.62x39mm",
            "serial": serial,
            "importer_marking": marking,
            "quantity": "2",
        }
        rows.append({**row, **(person or {})})
    # A seizure of 7.62x39mm rifles at Nogales in February: not part of the answer.
    rows.append({**rows[0], "reference": "SZ-2026-0922", "date": "2026-02-22", "serial": "1-KM-5513-20"})
    rows.append(
        {
            "reference": ZURDO_ARREST,
            "kind": "arrest",
            "date": "2026-01-17",
            "port_of_entry": "Laredo, Texas",
            "agencies": "HSI, TXDPS",
            "person_code": "P-0413",
            "given_names": "Ramón",
            "paternal_surname": "Núñez",
            "maternal_surname": "Castañeda",
            "aliases": "El Zurdo; Ramon Nunez",
            "birth_year": "1986",
            "role": "suspect",
            "summary": "Arrested after a controlled delivery of pistol parts.",
        }
    )
    rows.append(
        {
            "reference": EVENT_REF,
            "kind": "event",
            "date": "2025-12-12",
            "place": "Tucson, Arizona",
            "agencies": "ATF",
            "summary": "Multiple sale report: three rifles bought in five days by the same person.",
            "firearm_type": "rifle",
            "make": "Century Arms",
            "model": "VSKA",
            "caliber": "7.62x39mm",
            "serial": ENTRY_SERIAL,
            "quantity": "1",
            "person_code": "P-0900",
            "given_names": "Kevin",
            "paternal_surname": "Miller",
            "maternal_surname": "",
            "role": "purchaser",
        }
    )
    return rows


EXERCISE = {
    "title": {"en": "Practice: enter and find case records", "es": "Práctica: capturar y localizar registros de casos"},
    "intro": {
        "en": "Put the module into practice in a training copy of a shared case database: enter one seizure from "
        "a short report, checking it against what others recorded, then answer two questions by searching.",
        "es": "Ponga en práctica el módulo en una copia de capacitación de una base de datos de casos compartida: "
        "capture un aseguramiento a partir de un informe breve, cotejándolo con lo que otros registraron, y "
        "después responda dos preguntas mediante búsquedas.",
    },
}
ENTRY = {
    "title": {
        "en": "Seizure at the Nogales port, 2 April 2026",
        "es": "Aseguramiento en el puerto de Nogales, 2 de abril de 2026",
    },
    "scenario": {
        "en": "On 2 April 2026, CBP officers at the DeConcini crossing of the Nogales, Arizona port of entry sent a "
        "white Ford F-150, Sonora plate VHR-482-A, southbound, to secondary inspection. Behind the rear seat they "
        "found one Century Arms VSKA rifle, calibre 7.62x39mm, serial number SV7731-09, importer marking "
        "“CAI GEORGIA VT”. The driver, Luis Fernando Ibarra Solís (known as “El Flaco”), was detained. "
        "CBP and HSI took part.\n\nEnter the seizure. Check whether the case database already knows this rifle.",
        "es": "El 2 de abril de 2026, agentes de CBP en el cruce DeConcini del puerto de entrada de Nogales, Arizona, "
        "enviaron a revisión secundaria una camioneta Ford F-150 blanca, placa de Sonora VHR-482-A, que salía hacia "
        "México. Detrás del asiento trasero encontraron un fusil Century Arms VSKA, calibre 7.62x39mm, número de "
        "serie SV7731-09, con la marca del importador «CAI GEORGIA VT». El conductor, Luis Fernando Ibarra Solís "
        "(conocido como «El Flaco»), fue detenido. Participaron CBP y HSI.\n\nCapture el aseguramiento. Verifique "
        "si la base de datos ya conoce este fusil.",
    },
}
#: (field, rule, values, explanation en, explanation es)
KEYS = (
    ("kind", Tolerance.EXACT, {"expected": "seizure"}, "Firearms found and taken are a seizure.", "Las armas halladas y retenidas constituyen un aseguramiento."),
    ("occurred_on", Tolerance.EXACT, {"expected": "2026-04-02"}, "The date of the seizure, not of the entry.", "La fecha del aseguramiento, no la de la captura."),
    ("port_of_entry", Tolerance.ONE_OF, {"alternatives": "Nogales, Arizona"}, "The port of entry is Nogales, Arizona (the DeConcini crossing is the place within it).", "El puerto de entrada es Nogales, Arizona (el cruce DeConcini es el lugar dentro de él)."),
    ("firearm_type", Tolerance.EXACT, {"expected": "rifle"}, "A VSKA is a rifle.", "El VSKA es un fusil."),
    ("make", Tolerance.CASE_INSENSITIVE, {"expected": "Century Arms"}, "Record the make as marked: Century Arms.", "Registre la marca tal como aparece: Century Arms."),
    ("caliber", Tolerance.EXACT, {"expected": "7.62x39mm"}, "7.62x39mm, the calibre of the report; 7.62x51mm is a different cartridge.", "7.62x39mm, el calibre del informe; 7.62x51mm es otro cartucho."),
    ("serial", Tolerance.SERIAL, {"expected": ENTRY_SERIAL}, "The serial as marked: SV7731-09. One wrong character and the trace fails.", "La serie tal como está marcada: SV7731-09. Un carácter erróneo y el rastreo fracasa."),
    ("importer_marking", Tolerance.CASE_INSENSITIVE, {"expected": "CAI GEORGIA VT"}, "The importer marking tells who brought the rifle into the U.S.; copy it exactly.", "La marca del importador indica quién introdujo el fusil a EE. UU.; cópiela exactamente."),
    ("quantity", Tolerance.RANGE, {"minimum": Decimal(1), "maximum": Decimal(1)}, "One rifle.", "Un fusil."),
    ("person_name", Tolerance.CASE_INSENSITIVE, {"expected": "Luis Fernando Ibarra Solís"}, "Both surnames, in order: Ibarra Solís.", "Ambos apellidos, en orden: Ibarra Solís."),
    ("vehicle_plate", Tolerance.SERIAL, {"expected": "VHR-482-A"}, "The plate links the vehicle to other crossings.", "La placa vincula el vehículo con otros cruces."),
    ("linked_record", Tolerance.CASE_INSENSITIVE, {"expected": EVENT_REF}, f"The serial matches the multiple sale report {EVENT_REF}: link the seizure to it, so the purchase and the seizure are one trail.", f"La serie coincide con el reporte de venta múltiple {EVENT_REF}: vincule el aseguramiento con él para que la compra y el aseguramiento formen un solo rastro."),
)  # fmt: skip
QUESTIONS = (
    {
        "question": {
            "en": "How many seizure records of 7.62x39mm rifles at the Nogales, Arizona port are in the database "
            "for March 2026 (leave out your own entry), and which person appears in two of them?",
            "es": "¿Cuántos registros de aseguramiento de fusiles 7.62x39mm en el puerto de Nogales, Arizona, hay en "
            "la base de datos para marzo de 2026 (sin contar su propia captura), y qué persona aparece en dos de ellos?",
        },
        "expected_count": len(NOGALES_MARCH),
        "expected_person": LINKING_PERSON,
        "explanation": {
            "en": "Filter by record type, firearm type, calibre, port and the dates 2026-03-01 to 2026-03-31: four "
            f"seizures. Rosa Elena Ibarra Solís ({LINKING_PERSON}) drove in two of them.",
            "es": "Filtre por tipo de registro, tipo de arma, calibre, puerto y las fechas 2026-03-01 a 2026-03-31: "
            f"cuatro aseguramientos. Rosa Elena Ibarra Solís ({LINKING_PERSON}) conducía en dos de ellos.",
        },
    },
    {
        "question": {
            "en": "An informant speaks of a man called “El Zurdo”, surname written “Nunez”. Find his arrest record "
            "and give its record number.",
            "es": "Un informante habla de un hombre apodado «El Zurdo», con el apellido escrito «Nunez». Localice "
            "su registro de detención e indique su número.",
        },
        "expected_record": ZURDO_ARREST,
        "explanation": {
            "en": "A name search ignores accents and matches aliases: “zurdo” or “Nunez” finds Ramón Núñez "
            f"Castañeda, arrested in {ZURDO_ARREST}.",
            "es": "La búsqueda por nombre ignora los acentos y encuentra los alias: «zurdo» o «Nunez» localiza a "
            f"Ramón Núñez Castañeda, detenido en {ZURDO_ARREST}.",
        },
    },
)


def third_module():
    course = CoursePage.objects.filter(code=COURSE_CODE).first()
    if course is None:
        return None
    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    return modules[2] if len(modules) >= 3 else None


def seed_document(rows):
    content = json.dumps(rows, ensure_ascii=False, indent=1).encode()
    document = get_document_model()(title="AC-100 practice: seed records")
    document.file.save("ac-100-practice-seed.json", ContentFile(content), save=False)
    document.save()
    return document, hashlib.sha256(content).hexdigest()


def build_exercise(module, *, review_policy=ReviewPolicy.AFTER_EACH):
    """Create the demo exercise under ``module`` with its tasks and seed database."""
    rows = seed_rows()
    data = check_rows(list(enumerate(rows, start=2)), today=date(2026, 12, 31))
    with translation.override("en"):
        exercise = ExercisePage(
            title_en=EXERCISE["title"]["en"],
            title_es=EXERCISE["title"]["es"],
            slug_en=SLUG["en"],
            slug_es=SLUG["es"],
            intro_en=EXERCISE["intro"]["en"],
            intro_es=EXERCISE["intro"]["es"],
            pass_mark=80,
            max_attempts=5,
            cooldown_minutes=0,
            review_policy=review_policy,
            estimated_minutes=25,
        )
        module.add_child(instance=exercise)
        task = EntryTask.objects.create(
            page=exercise,
            sort_order=0,
            record_kind="seizure",
            require_link=False,
            **{f"{name}_{lang}": ENTRY[name][lang] for name in ("title", "scenario") for lang in ("en", "es")},
        )
        for index, (field, rule, values, why_en, why_es) in enumerate(KEYS):
            AnswerKey.objects.create(
                task=task,
                sort_order=index,
                field=field,
                rule=rule,
                explanation_en=why_en,
                explanation_es=why_es,
                **values,
            )
        for index, spec in enumerate(QUESTIONS):
            RetrievalTask.objects.create(
                page=exercise,
                sort_order=index,
                question_en=spec["question"]["en"],
                question_es=spec["question"]["es"],
                explanation_en=spec["explanation"]["en"],
                explanation_es=spec["explanation"]["es"],
                expected_count=spec.get("expected_count"),
                expected_record=spec.get("expected_record", ""),
                expected_person=spec.get("expected_person", ""),
            )
        write_seed(exercise, data)
        exercise.seed_document, exercise.seed_sha256 = seed_document(rows)
        exercise.save()
        exercise.save_revision().publish()
    return exercise


def place_before_quiz(exercise, module):
    """Keep the exercise just before the module's last step (its quiz)."""
    siblings = list(module.get_children().order_by("path"))
    others = [page for page in siblings if page.pk != exercise.pk]
    if not others:
        return
    target = others[-1]
    ids = [page.pk for page in siblings]
    if ids.index(target.pk) == ids.index(exercise.pk) + 1:
        return
    exercise.refresh_from_db(fields=["path", "depth", "numchild"])
    exercise.move(target, pos="left")


def load(stdout=None):
    module = third_module()
    if module is None:
        if stdout:
            stdout.write("  practice: AC-100 has no third module; demo exercise skipped")
        return None
    with transaction.atomic():
        exercise = ExercisePage.objects.child_of(module).filter(slug_en=SLUG["en"]).first()
        created = exercise is None
        if created:
            exercise = build_exercise(module)
        place_before_quiz(exercise, module)
        # The course's stated time includes the exercise's minutes.
        apply_computed_duration(module.get_course())
    if stdout:
        count = exercise.records.filter(attempt__isnull=True).count()
        stdout.write(f"  practice: {'created' if created else 'kept'} “{exercise.title}” ({count} seed records)")
    return exercise
