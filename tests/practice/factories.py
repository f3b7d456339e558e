"""Practice exercises for tests: a tiny seed database, one entry task whose
answer key uses every tolerance rule, and one retrieval task."""

from decimal import Decimal

from django.utils import translation

from practice.models import AnswerKey, EntryTask, ExercisePage, RetrievalTask, Tolerance
from practice.seeds import check_rows, write_seed
from tests.factories import add_page

SEED_ROWS = [
    {
        "reference": "SZ-1",
        "kind": "seizure",
        "date": "2026-03-03",
        "place": "DeConcini port",
        "port_of_entry": "Nogales, Arizona",
        "agencies": "CBP",
        "firearm_type": "rifle",
        "make": "Cugir",
        "model": "WASR-10",
        "caliber": "7.62x39",
        "serial": "1-AB-4502",
        "person_code": "P-1",
        "given_names": "María José",
        "paternal_surname": "Ortíz",
        "maternal_surname": "Salcedo",
        "aliases": "La Güera; Maria Jose Ortiz",
        "vehicle_make": "Nissan",
        "vehicle_plate": "VHK-4821",
    },
    {
        "reference": "SZ-2",
        "kind": "seizure",
        "date": "2026-03-20",
        "port_of_entry": "Nogales, Arizona",
        "firearm_type": "rifle",
        "make": "Century Arms",
        "model": "VSKA",
        "caliber": "7.62x39mm",
        "serial": "SV7731",
        "person_code": "P-1",
        "given_names": "María José",
        "paternal_surname": "Ortíz",
    },
    {
        "reference": "AR-1",
        "kind": "arrest",
        "date": "2026-02-10",
        "port_of_entry": "El Paso, Texas",
        "person_code": "P-2",
        "given_names": "Jesús",
        "paternal_surname": "Pérez",
        "maternal_surname": "Gómez",
        "aliases": "El Chuy",
        "links": "SZ-1",
    },
    {
        "reference": "EV-1",
        "kind": "event",
        "date": "2025-11-01",
        "place": "Tucson, Arizona",
        "firearm_type": "pistol",
        "make": "Glock",
        "model": "19",
        "caliber": "9mm",
        "serial": "BKZ012",
    },
]


def seed(exercise, rows=None):
    data = check_rows([(line, row) for line, row in enumerate(rows or SEED_ROWS, start=2)])
    return write_seed(exercise, data)


def make_exercise(module, title="Case entry", keys=True, **fields):
    fields.setdefault("cooldown_minutes", 0)
    fields.setdefault("max_attempts", 3)
    fields.setdefault("pass_mark", 80)
    exercise = add_page(module, ExercisePage, title, f"{title} ES", **fields)
    seed(exercise)
    with translation.override("en"):
        task = EntryTask.objects.create(
            page=exercise,
            sort_order=0,
            title_en="Enter the Glock seizure",
            title_es="Capture el aseguramiento de la Glock",
            scenario_en="On 2 April 2026 CBP officers at Nogales, Arizona seized a Glock 19 pistol, serial BKZ012.",
            scenario_es="El 2 de abril de 2026, agentes de CBP en Nogales, Arizona, aseguraron una pistola Glock 19.",
            record_kind="seizure",
        )
        if keys:
            rows = [
                ("serial", Tolerance.SERIAL, {"expected": "BKZ012"}),
                ("caliber", Tolerance.EXACT, {"expected": "9mm"}),
                ("make", Tolerance.CASE_INSENSITIVE, {"expected": "Glock"}),
                ("port_of_entry", Tolerance.ONE_OF, {"alternatives": "Nogales, Arizona\nNogales"}),
                ("quantity", Tolerance.RANGE, {"minimum": Decimal(1), "maximum": Decimal(1)}),
                ("linked_record", Tolerance.CASE_INSENSITIVE, {"expected": "EV-1"}),
            ]
            for index, (field, rule, values) in enumerate(rows):
                AnswerKey.objects.create(
                    task=task,
                    sort_order=index,
                    field=field,
                    rule=rule,
                    explanation_en=f"Why {field} EXPLAINED",
                    explanation_es=f"Por qué {field}",
                    **values,
                )
        RetrievalTask.objects.create(
            page=exercise,
            sort_order=0,
            question_en="How many seizures of 7.62x39mm rifles at Nogales in March 2026, and who links them?",
            question_es="¿Cuántos aseguramientos de fusiles 7.62x39mm en Nogales en marzo de 2026?",
            expected_count=2,
            expected_person="P-1",
            explanation_en="Search by calibre, port and dates EXPLAINED",
        )
    return exercise


def right_entry(**overrides):
    data = {
        "kind": "seizure",
        "occurred_on": "2026-04-02",
        "place": "DeConcini port",
        "port_of_entry": "Nogales, Arizona",
        "agencies": "CBP",
        "firearm_type": "pistol",
        "make": "GLOCK",
        "model": "19",
        "caliber": "9x19",
        "serial": "BKZ012",
        "quantity": "1",
        "person_role": "suspect",
        "link_reference": "EV-1",
        "link_note": "Same serial as the purchase",
    }
    data.update(overrides)
    return data


def right_answers(exercise):
    task = exercise.retrieval_tasks.get()
    return {f"r-{task.pk}-count": "2", f"r-{task.pk}-person": "maria jose ortiz", "action": "submit"}
