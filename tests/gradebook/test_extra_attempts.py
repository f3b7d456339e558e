"""Extra attempts beyond a quiz's or exercise's limit: granted with a
reason, audited, and honoured by the attempt rules."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from gradebook import services
from gradebook.exceptions import NoAttemptLimit, ReasonRequired
from gradebook.models import AttemptGrant
from quizzes.attempts import start_attempt
from quizzes.exceptions import NoAttemptsLeft
from quizzes.grading import submit_attempt
from tests.quizzes.factories import wrong_answers

pytestmark = pytest.mark.django_db


def grant_url(course, trainee, step):
    return reverse("gradebook_grant", args=[course.pk, trainee.pk, step.pk])


def test_granted_attempt_can_be_taken_and_only_that(client, instructor, course, quiz, trainee):
    with pytest.raises(NoAttemptsLeft):
        start_attempt(trainee, quiz)
    client.force_login(instructor)
    page = client.get(grant_url(course, trainee, quiz))
    assert page.status_code == 200 and "Extra attempts granted so far" in page.content.decode()
    response = client.post(grant_url(course, trainee, quiz), {"extra": "1", "reason": "Power cut during attempt"})
    assert response.status_code == 302
    grant = AttemptGrant.objects.get()
    assert grant.granted_by == instructor and grant.extra == 1
    entry = ModelLogEntry.objects.get(action="gradebook.extra_attempt")
    assert entry.user == instructor and entry.data["reason"] == "Power cut during attempt"
    assert entry.message == "Granted an extra attempt"
    attempt = start_attempt(trainee, quiz)
    assert attempt.number == 2
    submit_attempt(attempt, wrong_answers(attempt))
    with pytest.raises(NoAttemptsLeft):
        start_attempt(trainee, quiz)
    html = client.get(reverse("gradebook_trainee", args=[course.pk, trainee.pk])).content.decode()
    assert "Power cut during attempt" in html and "plus 1 granted; 2 used" in html


def test_bad_input_changes_nothing(client, instructor, course, quiz, trainee):
    client.force_login(instructor)
    for data in ({"extra": "1", "reason": ""}, {"extra": "0", "reason": "x"}, {"extra": "11", "reason": "x"}):
        assert client.post(grant_url(course, trainee, quiz), data).status_code == 400
    assert not AttemptGrant.objects.exists()
    assert not ModelLogEntry.objects.filter(action="gradebook.extra_attempt").exists()


def test_step_without_limit_is_refused(client, instructor, course, quiz, trainee):
    quiz.max_attempts = None
    quiz.save_revision().publish()
    client.force_login(instructor)
    response = client.post(grant_url(course, trainee, quiz), {"extra": "1", "reason": "x"})
    assert response.status_code == 409 and "no attempt limit" in response.content.decode()
    with pytest.raises(NoAttemptLimit):
        services.grant_extra_attempts(instructor, trainee.enrollments.get(), quiz, reason="x")
    with pytest.raises(ReasonRequired):
        services.grant_extra_attempts(instructor, trainee.enrollments.get(), quiz, reason=" ")
    assert not AttemptGrant.objects.exists()


def test_exercise_grant(instructor, course, trainee):
    from practice.attempts import start_attempt as start_practice
    from practice.exceptions import NoAttemptsLeft as PracticeNoAttemptsLeft
    from practice.grading import submit_attempt as submit_practice
    from tests.practice.factories import make_exercise
    from tests.practice.factories import right_answers as practice_answers

    exercise = make_exercise(course.get_children().first().specific, title="Case entry", max_attempts=1, pass_mark=100)
    attempt = start_practice(trainee, exercise)
    submit_practice(attempt, practice_answers(exercise))
    with pytest.raises(PracticeNoAttemptsLeft):
        start_practice(trainee, exercise)
    services.grant_extra_attempts(instructor, trainee.enrollments.get(), exercise, extra=2, reason="Retry")
    assert start_practice(trainee, exercise).number == 2
