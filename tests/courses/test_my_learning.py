"""My learning: the trainee's own courses, progress and panels from other apps."""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from courses import dashboard, progress
from courses.models import LessonPage
from tests.courses.factories import make_course
from tests.factories import make_trainee

pytestmark = pytest.mark.django_db
URL = "/en/learning/"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_login_required(client, site_pages):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_empty_state_links_to_the_catalogue(client, course_index):
    client.force_login(make_trainee())
    page = soup(client.get(URL))
    empty = page.find(attrs={"data-testid": "empty-state"})
    assert empty.find("a")["href"] == course_index.get_url()


def test_lists_own_courses_with_progress_next_step_and_completion(client, course, course_index, lessons):
    other_course = make_course(course_index, code="T-2", title="Second", modules=1, lessons=1)
    user = make_trainee()
    progress.enroll(user, course)
    progress.complete_step(user, lessons[0])
    progress.enroll(user, other_course)
    second_lesson = LessonPage.objects.descendant_of(other_course).get()
    progress.complete_step(user, second_lesson)
    client.force_login(user)
    page = soup(client.get(URL))
    items = page.select("[data-testid=learning-item]")
    assert len(items) == 2
    in_progress, completed = items
    assert in_progress.find("progress")["value"] == "25"
    assert in_progress.find(attrs={"data-testid": "next-step"})["href"] == lessons[1].get_url()
    assert completed.find("progress")["value"] == "100"
    assert "Completed on" in completed.get_text()
    # Labels are unique per bar.
    ids = [bar["id"] for bar in page.find_all("progress")]
    assert len(set(ids)) == 2 and all(page.find("label", attrs={"for": i}) for i in ids)


def test_never_shows_someone_elses_courses(client, course):
    other = make_trainee()
    progress.enroll(other, course)
    client.force_login(make_trainee())
    page = soup(client.get(URL))
    assert not page.select("[data-testid=learning-item]")
    assert page.find(attrs={"data-testid": "empty-state"})


def test_spanish_titles_and_urls(client, course, lessons):
    user = make_trainee(language="es")
    progress.enroll(user, course)
    client.force_login(user)
    page = soup(client.get("/es/learning/"))
    assert page.find("h3").get_text(strip=True) == course.title_es
    with translation.override("es"):
        assert page.find(attrs={"data-testid": "next-step"})["href"] == lessons[0].get_url()


def test_registered_panels_receive_the_enrolments(client, course):
    seen = []

    def certificates_panel(request, enrollments):
        seen.append((request.user.pk, [e.course_id for e in enrollments]))
        return '<section aria-labelledby="c"><h2 id="c">Certificates</h2><p>Panel body</p></section>'

    def empty_panel(request, enrollments):
        return None

    dashboard.register_panel(certificates_panel, order=10)
    dashboard.register_panel(empty_panel)
    try:
        user = make_trainee()
        progress.enroll(user, course)
        client.force_login(user)
        page = soup(client.get(URL))
    finally:
        dashboard.unregister_panel(certificates_panel)
        dashboard.unregister_panel(empty_panel)
    assert seen == [(user.pk, [course.pk])]
    assert page.find("h2", id="c").get_text() == "Certificates"
    assert "Panel body" in page.get_text()
