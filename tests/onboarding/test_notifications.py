import pytest
from django.core import mail
from django.urls import reverse

from courses import progress
from courses.models import LessonPage
from lms.notifications import OptionalEmail
from tests.factories import make_trainee

pytestmark = pytest.mark.django_db


def complete(user, course):
    progress.enroll(user, course)
    for lesson in LessonPage.objects.descendant_of(course):
        progress.complete_step(user, lesson)


def test_completing_a_course_is_emailed_in_the_trainees_language(course, django_capture_on_commit_callbacks):
    trainee = make_trainee(language="es")
    with django_capture_on_commit_callbacks(execute=True):
        complete(trainee, course)
    [message] = [m for m in mail.outbox if m.subject.startswith("Terminó")]
    assert message.to == [trainee.email] and "/es/learning/" in message.body
    html = {mime: content for content, mime in message.alternatives}["text/html"]
    assert '<html lang="es">' in html and "Felicidades" in html


def test_the_preferences_page_turns_optional_emails_off(client, home_page, course, django_capture_on_commit_callbacks):
    trainee = make_trainee()
    client.force_login(trainee)
    page = client.get(reverse("preferences")).content.decode()
    assert "<legend>E-mail me when</legend>" in page
    assert page.count('name="emails"') == len(OptionalEmail.values)
    wanted = [kind for kind in OptionalEmail.values if kind != OptionalEmail.COURSE_COMPLETED]
    response = client.post(reverse("preferences"), {"preferred_language": "en", "emails": wanted})
    assert response.status_code == 302
    trainee.profile.refresh_from_db()
    assert trainee.profile.email_opt_outs == [OptionalEmail.COURSE_COMPLETED]
    with django_capture_on_commit_callbacks(execute=True):
        complete(trainee, course)
    assert not [m for m in mail.outbox if "completed" in m.subject]
    page = client.get(reverse("preferences")).content.decode()
    assert 'value="course_completed"' in page and 'value="course_completed" checked' not in page
