import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from courses import progress
from lms.exports import neutralise
from quizzes.attempts import start_attempt
from quizzes.grading import submit_attempt
from quizzes.models import Choice
from quizzes.statistics import quiz_statistics
from tests.factories import (
    make_administrator,
    make_coordinator,
    make_instructor,
    make_trainee,
)
from tests.quizzes.factories import (
    make_question,
    make_quiz,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db

DETAIL_HEADER = [
    "No.",
    "Question",
    "Kind",
    "Points",
    "Times asked",
    "Answered right (%)",
    "Choice",
    "Correct choice",
    "Times picked",
    "Picked (%)",
]
INDEX_HEADER = ["Quiz", "Course code", "Course", "Attempts", "Passed", "Pass rate (%)", "Mean score (%)"]


@pytest.fixture
def taught(course, module):
    """A quiz taught by an instructor, with a formula-like question, taken
    by three trainees: two pass, one fails."""
    instructor = make_instructor()
    course.instructors.add(instructor)
    course.save()
    tricky = make_question(n=50)
    tricky.text_en = '=HYPERLINK("http://evil")'
    tricky.save()
    Choice.objects.filter(question=tricky, sort_order=1).update(text_en="@SUM(A1)")
    quiz = make_quiz(module, questions=1, extra_questions=[tricky], pass_mark=100)
    for answers in (right_answers, right_answers, wrong_answers):
        user = make_trainee()
        progress.enroll(user, course)
        attempt = start_attempt(user, quiz)
        submit_attempt(attempt, answers(attempt))
    return {"quiz": quiz, "instructor": instructor, "tricky": tricky}


def detail_url(quiz):
    return reverse("quizzes_statistics:detail", args=[quiz.pk])


def test_statistics_numbers(taught):
    stats = quiz_statistics(taught["quiz"])
    assert (stats.attempts, stats.passed) == (3, 2)
    assert str(stats.pass_rate) == "66.7"
    assert round(float(stats.mean_score), 2) == 66.67
    first = stats.questions[0]
    assert (first.asked, first.fully_right, first.right_percent) == (3, 2, 66.7)
    assert [(c.is_correct, c.picked) for c in first.choices] == [(True, 2), (False, 1), (False, 0), (False, 0)]
    assert not first.flagged  # too few attempts to judge


def test_instructor_of_the_course_sees_index_and_detail(client, taught):
    client.force_login(taught["instructor"])
    html = client.get(reverse("quizzes_statistics:index")).content.decode()
    assert taught["quiz"].title in html and "66.7 %" in html
    response = client.get(detail_url(taught["quiz"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Question 1 stem" in html and "Answered fully right 2 times (66.7 %)" in html
    assert "Quiz statistics" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_detail_export_csv_and_xlsx_with_neutralised_formulas(client, taught):
    client.force_login(make_administrator())
    response = client.get(detail_url(taught["quiz"]) + "?export=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == DETAIL_HEADER
    assert len(rows) == 1 + 8
    assert rows[1][:6] == ["1", "Question 1 stem", "Single choice", "1", "3", "66.7"]
    assert rows[1][6:] == ["Choice 1.1", "True", "2", "66.7"]
    tricky = [row for row in rows if row[0] == "2"]
    assert all(row[1] == '\'=HYPERLINK("http://evil")' for row in tricky)
    assert tricky[1][6] == "'@SUM(A1)"
    response = client.get(detail_url(taught["quiz"]) + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert list(values[0]) == DETAIL_HEADER
    assert values[5][1] == '\'=HYPERLINK("http://evil")' and values[6][6] == "'@SUM(A1)"


def test_index_export_header(client, taught):
    client.force_login(taught["instructor"])
    response = client.get(reverse("quizzes_statistics:index") + "?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == INDEX_HEADER
    assert rows[1][1:] == ["T-1", "Test course", "3", "2", "66.7", "66.7"]


def test_other_instructors_coordinators_and_trainees_are_refused(client, taught):
    quiz = taught["quiz"]
    stranger = make_instructor()
    client.force_login(stranger)
    # Wagtail turns the PermissionDenied into a redirect to the dashboard with a message.
    for url in (detail_url(quiz), detail_url(quiz) + "?export=csv"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    index = client.get(reverse("quizzes_statistics:index")).content.decode()
    assert quiz.title not in index
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get(reverse("quizzes_statistics:index") + "?export=csv").streaming_content).decode()
            )
        )
    )
    assert rows == [INDEX_HEADER]
    client.force_login(make_coordinator())
    for url in (detail_url(quiz), reverse("quizzes_statistics:index")):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert "Quiz statistics" not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(make_trainee())
    response = client.get(detail_url(quiz))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_neutralise():
    assert [neutralise(v) for v in ["=1+1", "+1", "-1", "@x", "\tx", "ok", 5, None]] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "ok",
        5,
        None,
    ]


def test_statistics_button_on_the_quiz_edit_page_only_for_its_instructors(client, taught):
    quiz = taught["quiz"]
    edit_url = reverse("wagtailadmin_pages:edit", args=[quiz.pk])
    client.force_login(taught["instructor"])
    response = client.get(edit_url)
    assert response.status_code == 200 and detail_url(quiz) in response.content.decode()
    client.force_login(make_instructor())
    response = client.get(edit_url)
    assert response.status_code == 200 and detail_url(quiz) not in response.content.decode()


def test_statistics_of_missing_or_absurd_quiz_ids_are_refused_not_errors(client):
    client.force_login(make_administrator())
    for quiz_id in ("987654", "9" * 30):
        response = client.get(f"/admin/quizzes/statistics/{quiz_id}/")
        assert (response.status_code, response["Location"]) == (302, "/admin/")
