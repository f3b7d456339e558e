"""The demo practice exercise in a browser: aprendiz (Spanish) makes a
mistake, reads the review that explains it and passes on her second
attempt; trainee (English) passes at once after linking the duplicate the
system finds. Screenshots at 1280 and 390 px go to .test-media/e2e-practice/.
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from courses import progress
from courses.models import LessonPage, ModulePage, StepCompletion
from lms.i18n import page_url_in
from practice import demo as practice_demo
from practice.models import PracticeAttempt
from tests.factories import add_page

SHOTS = Path(__file__).resolve().parents[2] / ".test-media" / "e2e-practice"


@pytest.fixture
def exercise(demo, course_index):
    from tests.courses.factories import make_course

    course = make_course(course_index, code="AC-100", title="Armas Cruzadas", modules=3, lessons=1)
    third = list(ModulePage.objects.child_of(course).order_by("path"))[2]
    add_page(third, LessonPage, "Module 3 quiz stand-in", "Sustituto del cuestionario 3")
    exercise = practice_demo.load()
    for username in ("aprendiz", "trainee"):
        progress.enroll(get_user_model().objects.get(username=username), course)
    return exercise


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fill_entry(page, *, link):
    page.select_option("#id_kind", "seizure")
    page.fill("#id_occurred_on", "2026-04-02")
    page.fill("#id_place", "DeConcini")
    page.select_option("#id_port_of_entry", "Nogales, Arizona")
    page.fill("#id_agencies", "CBP, HSI")
    page.select_option("#id_firearm_type", "rifle")
    page.fill("#id_make", "Century Arms")
    page.fill("#id_model", "VSKA")
    page.fill("#id_caliber", "7.62x39")
    page.fill("#id_serial", "SV7731-09")
    page.fill("#id_importer_marking", "CAI GEORGIA VT")
    page.fill("#id_quantity", "1")
    page.fill("#id_given_names", "Luis Fernando")
    page.fill("#id_paternal_surname", "Ibarra")
    page.fill("#id_maternal_surname", "Solís")
    page.fill("#id_aliases", "El Flaco")
    page.select_option("#id_person_role", "driver")
    page.fill("#id_vehicle_make", "Ford")
    page.fill("#id_vehicle_model", "F-150")
    page.fill("#id_vehicle_plate", "VHR-482-A")
    page.fill("#id_vehicle_region", "Sonora")
    if link:
        page.fill("#id_link_reference", practice_demo.EVENT_REF)


def save_entry(page):
    page.click("form.practice-form button[type=submit]")
    page.wait_for_load_state("networkidle")


def start(page):
    page.click("form[action*='/start/'] button")
    page.wait_for_load_state("networkidle")


def answer_questions(page, *, count, person, record):
    page.locator("input[name$='-count']").fill(count)
    page.locator("input[name$='-person']").fill(person)
    page.locator("input[name$='-record']").fill(record)


def submit(page):
    page.click("button[value=submit]")
    page.wait_for_load_state("networkidle")


def test_aprendiz_makes_a_mistake_sees_it_explained_and_passes(page, live_server, login, axe_violations, exercise):
    user = get_user_model().objects.get(username="aprendiz")
    login("aprendiz", lang="es")
    url = live_server.url + page_url_in(exercise, "es")
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Antes de empezar")).to_be_visible()
    assert axe_violations(page) == []
    start(page)

    # Attempt 1: the workspace, then the entry.
    expect(page.get_by_role("heading", name="Capturar registros")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "es-workspace-1280")
    page.click("a[href*='/entry/']")
    fill_entry(page, link=False)
    save_entry(page)
    # The system finds the multiple sale report with the same serial.
    expect(page.get_by_role("heading", name="Posibles duplicados en la base de datos de casos")).to_be_visible()
    expect(page.locator(".practice-matches")).to_contain_text(practice_demo.EVENT_REF)
    expect(page.locator("#form-errors")).to_contain_text("Ya existe un registro con este número de serie")
    assert axe_violations(page) == []
    shot(page, "es-duplicate-1280")
    # The mistake: explain instead of linking.
    page.fill("#id_deconfliction_note", "Creo que es otro fusil.")
    save_entry(page)
    expect(page.get_by_text("El registro se guardó en su base de datos de casos.")).to_be_visible()
    # She submits without answering the questions either.
    submit(page)
    expect(page.get_by_role("heading", name="No aprobado", exact=True)).to_be_visible()
    expect(
        page.get_by_text(f"La serie coincide con el reporte de venta múltiple {practice_demo.EVENT_REF}")
    ).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "es-result-mistake-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "es-result-mistake-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Attempt 2: link, search, answer, pass.
    start(page)
    page.click("a[href*='/entry/']")
    fill_entry(page, link=True)
    shot(page, "es-entry-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    save_entry(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("main a[href*='/practice/attempts/'][href$='/search/']")
    page.fill("#id_text", "zurdo nunez")
    page.click("form.practice-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".practice-results")).to_contain_text(practice_demo.ZURDO_ARREST)
    assert axe_violations(page) == []
    shot(page, "es-search-1280")
    page.click("a:has-text('Volver al intento')")
    answer_questions(page, count="4", person="Rosa Elena Ibarra", record=practice_demo.ZURDO_ARREST)
    submit(page)
    expect(page.get_by_role("heading", name="Aprobado", exact=True)).to_be_visible()
    expect(page.get_by_text("Este paso del curso está completo.")).to_be_visible()
    shot(page, "es-result-passed-1280")
    assert StepCompletion.objects.filter(enrollment__user=user, page_id=exercise.pk).exists()
    assert list(PracticeAttempt.objects.filter(user=user).values_list("passed", flat=True)) == [False, True]


def test_trainee_links_the_duplicate_and_passes_in_english(page, live_server, login, axe_violations, exercise):
    user = get_user_model().objects.get(username="trainee")
    login("trainee")
    page.goto(live_server.url + page_url_in(exercise, "en"))
    start(page)
    page.click("a[href*='/entry/']")
    fill_entry(page, link=True)
    page.fill("#id_serial", "SV7731-O9")  # a look-alike letter O: the form asks to check it
    save_entry(page)
    expect(page.locator(".field-error").first).to_contain_text("letter O next to digits")
    assert axe_violations(page) == []
    shot(page, "en-entry-error-1280")
    page.fill("#id_serial", "SV7731-09")
    save_entry(page)
    page.click("main a[href*='/practice/attempts/'][href$='/search/']")
    page.fill("#id_caliber", "7.62x39mm")
    page.select_option("#id_port_of_entry", "Nogales, Arizona")
    page.select_option("#id_kind", "seizure")
    page.fill("#id_date_from", "2026-03-01")
    page.fill("#id_date_to", "2026-03-31")
    page.click("form.practice-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#results-title")).to_contain_text("4 records found")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "en-search-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("a:has-text('Back to the attempt')")
    answer_questions(page, count="4", person=practice_demo.LINKING_PERSON, record="ar-2026-0913")
    submit(page)
    expect(page.get_by_role("heading", name="Passed", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "en-result-passed-1280")
    assert StepCompletion.objects.filter(enrollment__user=user, page_id=exercise.pk).exists()
