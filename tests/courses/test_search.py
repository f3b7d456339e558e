"""Search over live courses and lessons, in the current language."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from courses import progress
from courses.models import LessonPage
from tests.courses.factories import lesson_body, make_course
from tests.factories import add_page, make_trainee

pytestmark = [pytest.mark.django_db, pytest.mark.search_index]


@pytest.fixture
def searchable(course_index):
    course = make_course(course_index, code="S-1", title="Border basics", modules=1, lessons=0)
    module = course.get_children().first()
    lesson = add_page(
        module,
        LessonPage,
        "Ammunition at ports of entry",
        "Municiones en los puertos de entrada",
        intro_en="How officers find ammunition.",
        intro_es="Cómo encuentran municiones los oficiales.",
        body_en=lesson_body("Look for the hidden compartment behind the fuel tank."),
        body_es=lesson_body("Busca el compartimento oculto detrás del tanque de gasolina."),
    )
    return course, lesson


def results(client, query, lang="en"):
    with translation.override(lang):
        url = reverse("search")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [item.find("a").get_text() for item in page.select("[data-testid=search-result]")], page


def test_url_name():
    assert reverse("search") == "/en/search/"
    with translation.override("es"):
        assert reverse("search") == "/es/search/"


def test_finds_lessons_in_english_and_spanish(client, searchable):
    _course, lesson = searchable
    titles, _page = results(client, "ammunition")
    assert titles == ["Ammunition at ports of entry"]
    titles, page = results(client, "municiones", "es")
    assert titles == ["Municiones en los puertos de entrada"]
    with translation.override("es"):
        assert page.select_one("[data-testid=search-result] a")["href"] == lesson.get_url()
    titles, _page = results(client, "basics")
    assert titles == ["Border basics"]


def test_matches_the_current_language_only(client, searchable):
    assert results(client, "municiones")[0] == []
    assert results(client, "ammunition", "es")[0] == []


def test_lesson_bodies_only_searched_for_people_who_may_read_them(client, searchable):
    course, _lesson = searchable
    assert results(client, "compartment")[0] == []  # anonymous
    user = make_trainee()
    client.force_login(user)
    assert results(client, "compartment")[0] == []  # not enrolled
    progress.enroll(user, course)
    titles, page = results(client, "compartment")
    assert titles == ["Ammunition at ports of entry"]
    # Results show the title and summary, never body text.
    assert "fuel tank" not in page.find("main").get_text()
    assert results(client, "compartimento", "es")[0] == ["Municiones en los puertos de entrada"]


def test_drafts_are_not_found(client, searchable):
    _course, lesson = searchable
    lesson.unpublish()
    assert results(client, "ammunition")[0] == []


def test_empty_and_too_long_queries(client, searchable):
    titles, page = results(client, "")
    assert titles == [] and not page.find(id="results-heading")
    response = client.get(reverse("search"), {"q": "x" * 201})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()


@pytest.mark.parametrize("query", ['"', "*", "a OR", "NEAR(x", "-", "'; DROP TABLE x; --", "%", "ü", "AND"])
def test_odd_queries_never_fail(client, searchable, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
