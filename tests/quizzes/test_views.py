import re
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from courses import progress
from courses.models import StepCompletion
from quizzes.attempts import start_attempt
from quizzes.grading import submit_attempt
from quizzes.models import AttemptAnswer, Choice, QuizAttempt, ReviewPolicy
from tests.factories import make_trainee
from tests.quizzes.factories import make_quiz, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def attempt_url(attempt, lang="en"):
    with translation.override(lang):
        return reverse("quizzes:attempt", args=[attempt.pk])


def result_url(attempt, lang="en"):
    with translation.override(lang):
        return reverse("quizzes:result", args=[attempt.pk])


def start_url(quiz):
    return reverse("quizzes:start", args=[quiz.pk])


def test_quiz_page_shows_instructions_start_button_and_course_context(client_for, quiz, trainee, course):
    response = client_for(trainee).get(quiz.get_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert "3 questions per attempt." in html
    assert "at least 80 %" in html
    assert "up to 3 attempts" in html and "3 attempts left." in html
    assert f'action="{start_url(quiz)}"' in html
    assert course.title in html and 'aria-current="page"' in html
    assert "correct" not in html.lower()


def test_quiz_page_for_anonymous_and_not_enrolled(client, quiz):
    html = client.get(quiz.get_url()).content.decode()
    assert "Log in to take this quiz" in html and start_url(quiz) not in html
    client.force_login(make_trainee())
    html = client.get(quiz.get_url()).content.decode()
    assert "Enrol in this course to take its quiz." in html and start_url(quiz) not in html


def test_start_needs_post_login_and_enrolment(client, quiz):
    assert client.get(start_url(quiz)).status_code == 405
    response = client.post(start_url(quiz))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_trainee())
    response = client.post(start_url(quiz))
    assert response.status_code == 403 or response.status_code == 409
    assert "not enrolled" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_start_then_form_has_accessible_structure_and_no_hints(client_for, module, trainee):
    quiz = make_quiz(module, questions=20, shuffle_choices=True, title="Big quiz")
    client = client_for(trainee)
    response = client.post(start_url(quiz))
    assert response.status_code == 303
    attempt = QuizAttempt.objects.get()
    assert response["Location"] == attempt_url(attempt)
    response = client.get(attempt_url(attempt))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == 20 and html.count("<legend>") == 20
    assert html.count('type="radio"') == 80
    for match in re.finditer(r'<input type="radio"[^>]*id="([^"]+)"', html):
        assert f'<label for="{match.group(1)}">' in html
    # No hint of the answers: no "correct" anywhere, no explanation, no choice ids.
    assert "correct" not in html.lower()
    assert "EXPLAINED" not in html and "Explanation" not in html
    values = re.findall(r'name="q-\d+" value="([^"]+)"', html)
    assert len(values) == 80 and all(uuid.UUID(value) for value in values)
    pks = {str(pk) for pk in Choice.objects.values_list("pk", flat=True)}
    assert not pks & set(values)
    # The right choice was authored first in every question; its key must not
    # stand out by rank (it would be first or last every time if keys followed ids).
    right = {str(key) for key in Choice.objects.filter(is_correct=True).values_list("key", flat=True)}
    ranks = []
    for row in attempt.questions.all():
        keys = sorted(str(key) for key in Choice.objects.filter(pk__in=row.choice_order).values_list("key", flat=True))
        ranks.append(next(i for i, key in enumerate(keys) if key in right))
    assert len(set(ranks)) > 1


def test_submit_grades_and_shows_result_with_review(client_for, module, trainee):
    quiz = make_quiz(module, review_policy=ReviewPolicy.AFTER_EACH, cooldown_minutes=10)
    client = client_for(trainee)
    client.post(start_url(quiz))
    attempt = QuizAttempt.objects.get()
    response = client.post(attempt_url(attempt), {**wrong_answers(attempt), "action": "submit"})
    assert response.status_code == 303 and response["Location"] == result_url(attempt)
    html = client.get(result_url(attempt)).content.decode()
    assert "Not passed" in html and "Your score: 0 %" in html
    assert "Explanation 1 EXPLAINED" in html and "Right answer" in html
    assert "You can start your next attempt at" in html
    # The quiz page lists the attempt.
    html = client.get(quiz.get_url()).content.decode()
    assert "Your attempts" in html and result_url(attempt) in html


def test_result_in_spanish(client_for, module, trainee):
    quiz = make_quiz(module, review_policy=ReviewPolicy.AFTER_EACH)
    attempt = start_attempt(trainee, quiz)
    submit_attempt(attempt, right_answers(attempt))
    html = client_for(trainee).get(result_url(attempt, "es")).content.decode()
    assert '<html lang="es">' in html
    assert "Explicación 1 EXPLICADA" in html and "Enunciado de la pregunta 1" in html
    assert "Aprobado" in html


@pytest.mark.parametrize(
    "policy, shown_after_fail",
    [(ReviewPolicy.SCORE_ONLY, False), (ReviewPolicy.AFTER_PASS_OR_LAST, False), (ReviewPolicy.AFTER_EACH, True)],
)
def test_review_policy(client_for, module, trainee, policy, shown_after_fail):
    quiz = make_quiz(module, review_policy=policy, max_attempts=2)
    client = client_for(trainee)
    first = start_attempt(trainee, quiz)
    submit_attempt(first, wrong_answers(first))
    assert ("EXPLAINED" in client.get(result_url(first)).content.decode()) is shown_after_fail
    second = start_attempt(trainee, quiz)
    submit_attempt(second, wrong_answers(second))
    # After the last attempt only "score only" keeps the answers hidden.
    shown_after_last = policy != ReviewPolicy.SCORE_ONLY
    assert ("EXPLAINED" in client.get(result_url(second)).content.decode()) is shown_after_last


def test_pass_completes_step_and_quiz_page_says_so(client_for, quiz, trainee):
    client = client_for(trainee)
    client.post(start_url(quiz))
    attempt = QuizAttempt.objects.get()
    client.post(attempt_url(attempt), {**right_answers(attempt), "action": "submit"})
    assert StepCompletion.objects.filter(page_id=quiz.pk, enrollment__user=trainee).exists()
    html = client.get(quiz.get_url()).content.decode()
    assert "You passed this quiz with 100 %." in html and "Step completed" in html


def test_double_submit_is_graded_once_and_loser_sees_result(client_for, quiz, trainee):
    client = client_for(trainee)
    attempt = start_attempt(trainee, quiz)
    client.post(attempt_url(attempt), {**wrong_answers(attempt), "action": "submit"})
    response = client.post(attempt_url(attempt), {**right_answers(attempt), "action": "submit"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "already submitted" in html and "Your score: 0 %" in html
    attempt.refresh_from_db()
    assert attempt.score == 0 and not attempt.passed
    assert not StepCompletion.objects.exists()


def test_bad_answers_are_refused_with_a_message_and_nothing_stored(client_for, quiz, trainee):
    client = client_for(trainee)
    attempt = start_attempt(trainee, quiz)
    rows = list(attempt.questions.order_by("position"))
    good = right_answers(attempt)
    response = client.post(attempt_url(attempt), {**good, f"q-{rows[0].pk}": str(uuid.uuid4()), "action": "submit"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This answer is not one of the choices of this question." in html
    assert 'role="alert"' in html and "correct" not in html.lower()
    # The valid answers stay checked for the trainee.
    assert html.count(" checked") == 2
    response = client.post(attempt_url(attempt), {f"q-{rows[0].pk}": good[f"q-{rows[0].pk}"], "action": "submit"})
    assert response.status_code == 400 and "Please answer this question." in response.content.decode()
    response = client.post(attempt_url(attempt), {**good, "action": "delete-everything"})
    assert response.status_code == 400
    response = client.post(attempt_url(attempt), {**good, "q-999999": good[f"q-{rows[0].pk}"]})
    assert response.status_code == 400
    assert "not part of this attempt" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.is_open and not AttemptAnswer.objects.exists()


def test_huge_and_malformed_posts_are_refused(client_for, quiz, trainee):
    client = client_for(trainee)
    attempt = start_attempt(trainee, quiz)
    response = client.post(attempt_url(attempt), {"action": "submit", "padding": "x" * 300_000})
    assert response.status_code == 413 and "too large" in response.content.decode()
    response = client.post(attempt_url(attempt), {f"f{i}": "1" for i in range(1100)})
    assert response.status_code == 400
    response = client.post(attempt_url(attempt), b"\xff\xfe garbage", content_type="application/octet-stream")
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.is_open and not AttemptAnswer.objects.exists()


def test_someone_elses_attempt_is_not_found(client_for, quiz, trainee, course):
    attempt = start_attempt(trainee, quiz)
    intruder = make_trainee()
    progress.enroll(intruder, course)
    client = client_for(intruder)
    for response in (
        client.get(attempt_url(attempt)),
        client.post(attempt_url(attempt), {**right_answers(attempt), "action": "submit"}),
        client.get(result_url(attempt)),
        client.get(attempt_url(attempt).replace(str(attempt.pk), "987654")),
    ):
        assert response.status_code == 404
        assert "does not exist or is not yours" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.is_open and not AttemptAnswer.objects.exists()


def test_save_keeps_answers_without_grading(client_for, quiz, trainee):
    client = client_for(trainee)
    attempt = start_attempt(trainee, quiz)
    rows = list(attempt.questions.order_by("position"))
    good = right_answers(attempt)
    response = client.post(attempt_url(attempt), {f"q-{rows[0].pk}": good[f"q-{rows[0].pk}"], "action": "save"})
    assert response.status_code == 303 and response["Location"] == attempt_url(attempt)
    attempt.refresh_from_db()
    assert attempt.is_open and AttemptAnswer.objects.count() == 1
    html = client.get(attempt_url(attempt)).content.decode()
    assert "Your answers were saved" in html and html.count(" checked") == 1


def test_timed_attempt_shows_deadline_and_timer_script(client_for, module, trainee):
    quiz = make_quiz(module, time_limit_minutes=20)
    client = client_for(trainee)
    attempt = start_attempt(trainee, quiz)
    html = client.get(attempt_url(attempt)).content.decode()
    assert "Submit by " in html and "about 20 minutes were left" in html
    assert 'src="/static/quizzes/timer.js"' in html and "<script>" not in html
    untimed = make_quiz(module, title="Untimed")
    other = start_attempt(trainee, untimed)
    assert "timer.js" not in client.get(attempt_url(other)).content.decode()


def test_cooling_down_start_is_refused_with_the_time(client_for, module, trainee):
    quiz = make_quiz(module, cooldown_minutes=15)
    attempt = start_attempt(trainee, quiz)
    submit_attempt(attempt, wrong_answers(attempt))
    response = client_for(trainee).post(start_url(quiz))
    assert response.status_code == 409 and "Please wait before your next attempt." in response.content.decode()
    assert QuizAttempt.objects.count() == 1


def test_a_quiz_cannot_be_marked_complete_without_passing(client_for, quiz, trainee):
    response = client_for(trainee).post(reverse("complete_step", args=[quiz.pk]))
    assert response.status_code >= 400
    assert not StepCompletion.objects.filter(page_id=quiz.pk).exists()


def test_late_submission_is_refused_and_graded_on_saved_answers(client_for, module, trainee):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    quiz = make_quiz(module, time_limit_minutes=5, review_policy=ReviewPolicy.AFTER_EACH)
    client = client_for(trainee)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = start_attempt(trainee, quiz)
    rows = list(attempt.questions.order_by("position"))
    good = right_answers(attempt)
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        response = client.post(attempt_url(attempt), {f"q-{rows[0].pk}": good[f"q-{rows[0].pk}"], "action": "save"})
        assert response.status_code == 303
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        response = client.post(attempt_url(attempt), {**good, "action": "submit"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Time ran out for this attempt" in html and "Points: 1 out of 3." in html
    attempt.refresh_from_db()
    assert attempt.status == "timed_out" and attempt.points_earned == 1
    assert AttemptAnswer.objects.filter(attempt_question__attempt=attempt).count() == 1


def test_absurd_ids_are_not_found_not_errors(client_for, trainee):
    client = client_for(trainee)
    huge = "9" * 30
    for url in (f"/en/quizzes/attempts/{huge}/", f"/en/quizzes/attempts/{huge}/result/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/en/quizzes/{huge}/start/").status_code == 404
    assert client.post(f"/en/quizzes/attempts/{huge}/", {"action": "submit"}).status_code == 404


def test_the_language_switch_keeps_the_attempt_and_the_result(client_for, quiz, trainee):
    client = client_for(trainee)
    attempt = start_attempt(trainee, quiz)
    html = client.get(attempt_url(attempt, "es")).content.decode()
    assert f'href="/en/quizzes/attempts/{attempt.pk}/" lang="en"' in html
    submit_attempt(attempt, wrong_answers(attempt))
    html = client.get(result_url(attempt, "es")).content.decode()
    assert f'href="/en/quizzes/attempts/{attempt.pk}/result/" lang="en"' in html


def test_autosave_stores_the_answers_quietly(client_for, quiz, trainee):
    client = client_for(trainee)
    attempt = start_attempt(trainee, quiz)
    data = dict(list(right_answers(attempt).items())[:1])
    response = client.post(attempt_url(attempt), {**data, "action": "save", "autosave": "1"})
    assert response.status_code == 204
    assert AttemptAnswer.objects.filter(attempt_question__attempt=attempt).count() == 1
    # No "answers were saved" message waiting for the next page.
    assert "were saved at" not in client.get(attempt_url(attempt)).content.decode()
    assert 'src="/static/quizzes/autosave.js"' in client.get(attempt_url(attempt)).content.decode()
