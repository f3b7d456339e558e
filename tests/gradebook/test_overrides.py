"""Grade overrides: the original is kept, the change is audited, and a pass
leads to completion and certification through the trainee's own path."""

import hashlib
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from courses.models import StepCompletion
from gradebook import services
from gradebook.exceptions import AttemptNotGraded, NotCurrentCycle, ReasonRequired, ScoreUnchanged
from gradebook.models import GradeOverride
from quizzes.attempts import start_attempt
from quizzes.grading import submit_attempt
from tests.quizzes.factories import right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_pdf(monkeypatch, settings, tmp_path):
    """Issue certificates without rendering PDFs (rendering has its own tests)."""
    from certificates import issuing, rendering

    settings.MEDIA_ROOT = tmp_path

    def fake_render(certificate, template=None, **kwargs):
        content = b"%PDF-1.7 " + certificate.serial.encode()
        return rendering.RenderedPDF(content=content, sha256=hashlib.sha256(content).hexdigest(), fetcher=None)

    monkeypatch.setattr(issuing, "render_pdf", fake_render)


def override_url(course, attempt, kind="quiz"):
    return reverse("gradebook_override", args=[course.pk, attempt.user_id, kind, attempt.pk])


def test_passing_override_completes_and_certifies_once(
    client, instructor, course, quiz, trainee, failed_attempt, fake_pdf, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    assert client.get(override_url(course, failed_attempt)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            override_url(course, failed_attempt), {"score": "85", "reason": "Question 2 was ambiguous"}
        )
    assert response.status_code == 302
    failed_attempt.refresh_from_db()
    assert failed_attempt.score == Decimal("85.00") and failed_attempt.passed
    assert failed_attempt.points_earned == 0  # what the answers earned is kept
    override = GradeOverride.objects.get()
    assert (override.original_score, override.original_passed) == (Decimal("0.00"), False)
    assert override.created_by == instructor and override.reason == "Question 2 was ambiguous"
    enrollment = trainee.enrollments.get()
    assert StepCompletion.objects.filter(enrollment=enrollment, page_id=quiz.pk).exists()
    assert enrollment.completed_at is not None
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    # A second upward change issues nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(override_url(course, failed_attempt), {"score": "95", "reason": "Regraded again"})
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    second = GradeOverride.objects.order_by("pk").last()
    assert second.previous_score == Decimal("85.00") and second.original_score == Decimal("0.00")
    # The record shows the changes, their reasons and the original score.
    html = client.get(reverse("gradebook_trainee", args=[course.pk, trainee.pk])).content.decode()
    assert "Question 2 was ambiguous" in html and "Regraded again" in html and "originally 0.00 %" in html


def test_override_is_in_the_audit_log_and_site_history(client, instructor, course, failed_attempt, django_user_model):
    client.force_login(instructor)
    client.post(override_url(course, failed_attempt), {"score": "50", "reason": "Typo in the key"})
    entry = ModelLogEntry.objects.get(action="gradebook.override")
    assert entry.user == instructor and entry.object_id == str(failed_attempt.pk)
    assert entry.data["from"] == "0.00" and entry.data["to"] == "50.00" and entry.data["reason"] == "Typo in the key"
    assert entry.message == "Changed the result of an attempt"
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(superuser)
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Changed the result of an attempt" in history


def test_failing_override_leaves_completion_and_certificate(
    client, instructor, course, quiz, trainee, failed_attempt, fake_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.override_grade(instructor, failed_attempt, score=100, reason="Accepted on appeal")
    enrollment = trainee.enrollments.get()
    certificate = Certificate.objects.get(enrollment=enrollment)
    with django_capture_on_commit_callbacks(execute=True):
        services.override_grade(instructor, failed_attempt, score=10, reason="Appeal withdrawn")
    failed_attempt.refresh_from_db()
    enrollment.refresh_from_db()
    certificate.refresh_from_db()
    assert failed_attempt.score == 10 and not failed_attempt.passed
    assert enrollment.completed_at is not None
    assert StepCompletion.objects.filter(enrollment=enrollment, page_id=quiz.pk).exists()
    assert certificate.revoked_at is None and certificate.is_active


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"score": "90", "reason": "   "}, "This field is required."),
        ({"score": "90"}, "This field is required."),
        ({"score": "101", "reason": "x"}, "less than or equal to 100"),
        ({"score": "-1", "reason": "x"}, "greater than or equal to 0"),
        ({"score": "abc", "reason": "x"}, "Enter a number."),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(client, instructor, course, failed_attempt, data, message):
    client.force_login(instructor)
    response = client.post(override_url(course, failed_attempt), data)
    assert response.status_code == 400 and message in response.content.decode()
    failed_attempt.refresh_from_db()
    assert failed_attempt.score == 0 and not GradeOverride.objects.exists()
    assert not ModelLogEntry.objects.filter(action="gradebook.override").exists()


def test_same_score_is_refused_with_a_reason(client, instructor, course, failed_attempt):
    client.force_login(instructor)
    response = client.post(override_url(course, failed_attempt), {"score": "0", "reason": "no change"})
    assert response.status_code == 409 and "current score" in response.content.decode()
    assert not GradeOverride.objects.exists()


def test_service_refusals(instructor, course, quiz, trainee, failed_attempt):
    with pytest.raises(ReasonRequired):
        services.override_grade(instructor, failed_attempt, score=50, reason="")
    with pytest.raises(ScoreUnchanged):
        services.override_grade(instructor, failed_attempt, score=0, reason="x")
    with pytest.raises(ValueError):
        services.override_grade(instructor, failed_attempt, score="NaN", reason="x")
    # An earlier cycle's attempt no longer changes.
    from courses.models import Enrollment

    Enrollment.objects.filter(pk=failed_attempt.enrollment_id).update(is_current=False)
    failed_attempt.refresh_from_db()
    with pytest.raises(NotCurrentCycle):
        services.override_grade(instructor, failed_attempt, score=50, reason="x")
    assert not GradeOverride.objects.exists()


def test_open_attempt_cannot_be_overridden(instructor, course, quiz, other_trainee):
    attempt = start_attempt(other_trainee, quiz)
    with pytest.raises(AttemptNotGraded):
        services.override_grade(instructor, attempt, score=90, reason="x")


def test_passed_attempt_keeps_its_completion_when_raised(instructor, course, quiz, other_trainee, lesson):
    from courses import progress

    progress.complete_step(other_trainee, lesson)
    attempt = start_attempt(other_trainee, quiz)
    submit_attempt(attempt, right_answers(attempt))
    services.override_grade(instructor, attempt, score=99, reason="rounding")
    assert StepCompletion.objects.filter(page_id=quiz.pk, enrollment__user=other_trainee).count() == 1


def test_practice_attempt_override(client, instructor, course, trainee):
    from practice.attempts import start_attempt as start_practice
    from practice.grading import submit_attempt as submit_practice
    from tests.practice.factories import make_exercise
    from tests.practice.factories import right_answers as practice_answers

    exercise = make_exercise(course.get_children().first().specific, title="Case entry")
    attempt = start_practice(trainee, exercise)
    submit_practice(attempt, practice_answers(exercise))
    attempt.refresh_from_db()
    original = attempt.score
    client.force_login(instructor)
    response = client.post(override_url(course, attempt, "practice"), {"score": "100", "reason": "Serial read right"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.passed
    override = attempt.grade_overrides.get()
    assert override.original_score == original and override.quiz_attempt is None
    assert StepCompletion.objects.filter(page_id=exercise.pk, enrollment__user=trainee).exists()
