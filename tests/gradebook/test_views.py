"""The gradebook listing, its exports, the trainee record, the links to
them, and who may open them (everyone else gets the same 404)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from courses import progress
from quizzes.attempts import start_attempt
from quizzes.grading import submit_attempt
from tests.factories import make_trainee
from tests.quizzes.factories import right_answers

pytestmark = pytest.mark.django_db


def gradebook_url(course, **query):
    url = reverse("gradebook_course", args=[course.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def record_url(course, user):
    return reverse("gradebook_trainee", args=[course.pk, user.pk])


def final_status(client, url, data=None):
    """The status after following redirects: Django's LocaleMiddleware
    answers a 404 at an unprefixed address with a redirect to /en/..."""
    response = client.post(url, data, follow=True) if data is not None else client.get(url, follow=True)
    return response.status_code


def csv_rows(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def test_gradebook_lists_progress_scores_certification_and_time(client, instructor, course, quiz, trainee):
    client.force_login(instructor)
    page = client.get(gradebook_url(course))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Gradebook of Test course" in html
    assert "Ana Ruiz" in html and record_url(course, trainee) in html
    assert "1 / 2" in html  # lesson done, quiz not passed
    assert "Module quiz" in html  # a column per quiz
    assert "best 0.00 % · latest 0.00 % · 1 attempt(s)" in html
    assert "Time in quizzes and exercises" in html


def test_best_and_latest_scores_differ(client, instructor, course, quiz, trainee, lesson):
    from tests.quizzes.factories import make_quiz

    # A second quiz with three attempts: wrong, right (best), and the row keeps both.
    other = make_quiz(quiz.get_parent(), questions=1, title="Extra quiz", max_attempts=3, pass_mark=100)
    attempt = start_attempt(trainee, other)
    submit_attempt(attempt, right_answers(attempt))
    client.force_login(instructor)
    rows = csv_rows(client.get(gradebook_url(course, export="csv")))
    header, row = rows[0], rows[1]
    assert header[:7] == [
        "Trainee",
        "Username",
        "Agency",
        "Cycle",
        "Required steps done",
        "Required steps",
        "Percent complete",
    ]
    best = header.index("Module quiz: best score (%)")
    assert header[best + 1] == "Module quiz: latest score (%)" and header[best + 2] == "Module quiz: passed"
    assert row[best] == "0.00" and row[best + 2] == "No"
    extra = header.index("Extra quiz: best score (%)")
    assert row[extra] == "100.00" and row[extra + 2] == "Yes"
    assert row[header.index("Certified")] == "No"
    assert row[header.index("Agency")] == "CBPX"


def test_filter_by_agency_and_status(client, instructor, course, trainee, other_trainee, agency, other_agency):
    client.force_login(instructor)
    html = client.get(gradebook_url(course, agency=agency.pk)).content.decode()
    assert "Ana Ruiz" in html and "Luis Pérez" not in html
    html = client.get(gradebook_url(course, agency=other_agency.pk)).content.decode()
    assert "Luis Pérez" in html and "Ana Ruiz" not in html
    html = client.get(gradebook_url(course, status="completed")).content.decode()
    assert "Ana Ruiz" not in html and "Luis Pérez" not in html
    rows = csv_rows(client.get(gradebook_url(course, agency=other_agency.pk, export="csv")))
    assert [row[0] for row in rows[1:]] == ["Luis Pérez"]


def test_xlsx_export_and_formulas_are_neutralised(client, instructor, course, quiz):
    quiz.title = "=HYPERLINK(1)"
    quiz.title_en = "=HYPERLINK(1)"
    quiz.save_revision().publish()
    evil = make_trainee(first_name="=cmd", last_name="x", username="@evil")
    progress.enroll(evil, course)
    client.force_login(instructor)
    rows = csv_rows(client.get(gradebook_url(course, export="csv")))
    assert rows[1][0].startswith("'=cmd") and rows[1][1] == "'@evil"
    assert "'=HYPERLINK(1): best score (%)" in rows[0]
    response = client.get(gradebook_url(course, export="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Trainee" and "'=HYPERLINK(1): best score (%)" in values[0]
    assert values[1][0].startswith("'=cmd")


def test_trainee_record_shows_each_attempt_with_its_answers(client, instructor, course, quiz, trainee, lesson):
    client.force_login(instructor)
    page = client.get(record_url(course, trainee))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Question 1 stem" in html and "Question 2 stem" in html
    assert "incorrect" in html and "correct answer" in html
    assert "Choice 1.1" in html and "Choice 1.2" in html  # every choice shown, the picked one marked
    assert "☒" in html
    assert "Attempt 1" in html and "Duration" in html
    assert "Reading time in lessons is not recorded" in html
    assert lesson.title in html
    assert reverse("gradebook_override", args=[course.pk, trainee.pk, "quiz", quiz.attempts.get().pk]) in html
    assert reverse("gradebook_grant", args=[course.pk, trainee.pk, quiz.pk]) in html


def test_trainee_record_in_spanish(client, instructor, course, trainee):
    from wagtail.users.models import UserProfile

    UserProfile.get_for_user(instructor)
    UserProfile.objects.filter(user=instructor).update(preferred_language="es")
    client.force_login(instructor)
    html = client.get(record_url(course, trainee)).content.decode()
    assert "Intento 1" in html and "Conceder un intento adicional" in html
    assert "Enunciado de la pregunta 1" in html


def test_practice_attempts_are_in_the_record_and_the_gradebook(client, instructor, course, trainee):
    from practice.attempts import start_attempt as start_practice
    from practice.grading import submit_attempt as submit_practice
    from tests.practice.factories import make_exercise
    from tests.practice.factories import right_answers as practice_answers

    exercise = make_exercise(course.get_children().first().specific, title="Case entry")
    attempt = start_practice(trainee, exercise)
    submit_practice(attempt, practice_answers(exercise))
    client.force_login(instructor)
    html = client.get(record_url(course, trainee)).content.decode()
    assert "Case entry" in html and "How many seizures" in html and "Expected" in html
    rows = csv_rows(client.get(gradebook_url(course, export="csv")))
    column = rows[0].index("Case entry: best score (%)")
    attempt.refresh_from_db()
    assert rows[1][column] == f"{attempt.score:.2f}"


def test_links_from_course_progress_admin_home_and_menu(client, instructor, course, trainee):
    client.force_login(instructor)
    progress_page = client.get(reverse("courses_progress", args=[course.pk])).content.decode()
    assert gradebook_url(course) in progress_page
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Your courses&#x27; gradebooks" in home or "Your courses' gradebooks" in home
    assert gradebook_url(course) in home
    index = client.get(reverse("gradebook_index")).content.decode()
    assert gradebook_url(course) in index and reverse("gradebook_index") in home


def test_administrator_sees_every_course(client, administrator, course, trainee):
    client.force_login(administrator)
    assert client.get(gradebook_url(course)).status_code == 200
    assert client.get(record_url(course, trainee)).status_code == 200


# ---------------------------------------------------------------- who may not


@pytest.fixture
def outsider(request, db):
    """Someone who may not read this course's gradebook (None: anonymous)."""
    return request.getfixturevalue(request.param) if request.param else None


@pytest.mark.parametrize("outsider", ["other_instructor", "trainee", "coordinator", None], indirect=True)
def test_outsiders_get_nothing(client, outsider, course, quiz, trainee):
    attempt = quiz.attempts.get()
    urls = [
        gradebook_url(course),
        gradebook_url(course, export="csv"),
        record_url(course, trainee),
        reverse("gradebook_override", args=[course.pk, trainee.pk, "quiz", attempt.pk]),
        reverse("gradebook_grant", args=[course.pk, trainee.pk, quiz.pk]),
    ]
    if outsider is not None:
        client.force_login(outsider)
    for url in urls:
        response = client.get(url)
        if outsider is None:
            assert response.status_code == 302 and "/login/" in response["Location"], url
        elif outsider == trainee:
            # No admin access at all: Wagtail sends them away before any gradebook code runs.
            assert response.status_code in (302, 403), url
        else:
            assert final_status(client, url) == 404, url
    for url in urls[3:]:
        client.post(url, {"score": "100", "extra": "1", "reason": "because"})
    attempt.refresh_from_db()
    assert attempt.score == 0 and not attempt.grade_overrides.exists()
    assert not trainee.enrollments.get().attempt_grants.exists()


def test_foreign_and_unknown_ids_answer_alike(client, instructor, course, quiz, trainee, other_instructor):
    from courses.models import CoursePage

    other_course = CoursePage.objects.get(code="OTHER-1")
    stranger = make_trainee(username="stranger")
    progress.enroll(stranger, other_course)
    not_enrolled = make_trainee(username="not-enrolled")
    attempt = quiz.attempts.get()
    client.force_login(instructor)
    missing = 10**12
    for url in [
        gradebook_url(other_course),
        gradebook_url(type("C", (), {"pk": missing})),
        record_url(other_course, stranger),
        record_url(course, stranger),
        record_url(course, not_enrolled),
        reverse("gradebook_trainee", args=[course.pk, missing]),
        reverse("gradebook_override", args=[course.pk, trainee.pk, "quiz", missing]),
        reverse("gradebook_override", args=[course.pk, trainee.pk, "nonsense", attempt.pk]),
        reverse("gradebook_override", args=[course.pk, trainee.pk, "practice", attempt.pk]),
        reverse("gradebook_override", args=[other_course.pk, trainee.pk, "quiz", attempt.pk]),
        reverse("gradebook_grant", args=[course.pk, trainee.pk, other_course.pk]),
        reverse("gradebook_grant", args=[course.pk, trainee.pk, missing]),
        reverse("gradebook_grant", args=[course.pk, trainee.pk, course.pk]),  # not a quiz or exercise
    ]:
        assert final_status(client, url) == 404, url
        assert final_status(client, url, {"score": "100", "extra": "1", "reason": "because"}) == 404, url


def test_another_trainees_attempt_is_not_reachable_through_this_record(client, instructor, course, quiz, trainee):
    second = make_trainee(username="second")
    progress.enroll(second, course)
    client.force_login(instructor)
    attempt = quiz.attempts.get(user=trainee)
    url = reverse("gradebook_override", args=[course.pk, second.pk, "quiz", attempt.pk])
    assert final_status(client, url, {"score": "100", "reason": "x"}) == 404
    attempt.refresh_from_db()
    assert attempt.score == 0


def test_a_pre_assessment_shows_its_score_without_pass_or_fail(client, instructor, course, quiz, trainee):
    """A diagnostic quiz is ungraded: the record and the export show its
    score as a pre-assessment, never "passed" / "not passed"."""
    from tests.quizzes.factories import make_quiz, wrong_answers

    diagnostic = make_quiz(quiz.get_parent(), questions=1, title="Diagnostic", is_diagnostic=True, max_attempts=1)
    attempt = start_attempt(trainee, diagnostic)
    submit_attempt(attempt, wrong_answers(attempt))
    client.force_login(instructor)

    html = client.get(record_url(course, trainee)).content.decode()
    section = html.split(f'id="step-{diagnostic.pk}"')[1].split("</section>")[0]
    assert "0.00 % (pre-assessment)" in section
    assert "passed" not in section and "Pass mark" not in section
    module_quiz = html.split(f'id="step-{quiz.pk}"')[1].split("</section>")[0]
    assert "(not passed)" in module_quiz and f"Pass mark: {quiz.pass_mark} %" in module_quiz

    rows = csv_rows(client.get(gradebook_url(course, export="csv")))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Diagnostic: best score (%)"] == "0.00"
    assert row["Diagnostic: passed"] == "Pre-assessment"
    assert row["Module quiz: passed"] == "No"

    from wagtail.users.models import UserProfile

    UserProfile.get_for_user(instructor)
    UserProfile.objects.filter(user=instructor).update(preferred_language="es")
    html = client.get(record_url(course, trainee)).content.decode()
    section = html.split(f'id="step-{diagnostic.pk}"')[1].split("</section>")[0]
    assert "% (evaluación diagnóstica)" in section and "aprobad" not in section
    rows = csv_rows(client.get(gradebook_url(course, export="csv")))
    assert "Evaluación diagnóstica" in rows[1]
