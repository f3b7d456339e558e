import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from courses import progress
from courses.models import Enrollment, LessonPage
from onboarding.assignments import apply_standing_assignments, assign_course, assign_required_courses, overdue_members
from onboarding.exceptions import AssignmentRefused
from onboarding.models import AssignedPerson, DueReminder
from onboarding.reminders import send_due_reminders
from tests.factories import make_coordinator, make_trainee

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def coordinator(agency):
    return make_coordinator(agency=agency)


def test_assigning_picked_people_enrols_them_and_emails_each_in_their_language(
    agency, course, coordinator, django_capture_on_commit_callbacks
):
    ana = make_trainee(agency=agency, language="es")
    bob = make_trainee(agency=agency)
    make_trainee(agency=agency)  # not picked
    due = timezone.localdate() + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        result = assign_course(actor=coordinator, agency=agency, course=course, people=[ana, bob], due_on=due)
    assert result.added == 2
    enrolled = set(Enrollment.objects.filter(course=course).values_list("user_id", flat=True))
    assert enrolled == {ana.pk, bob.pk}
    assert Enrollment.objects.get(user=ana).enrolled_by == coordinator
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {ana.email, bob.email}
    assert by_address[ana.email].subject.startswith("Nuevo curso asignado")
    assert by_address[bob.email].subject.startswith("New course assigned")
    assert by_address[ana.email].alternatives[0][1] == "text/html"


def test_everyone_and_later_joiners(agency, other_agency, course, coordinator, django_capture_on_commit_callbacks):
    ana = make_trainee(agency=agency)
    outsider = make_trainee(agency=other_agency)
    result = assign_course(actor=coordinator, agency=agency, course=course, everyone=True, include_future=True)
    assert {m.user_id for m in result.assignments[0].members.all()} == {ana.pk}
    newcomer = make_trainee(agency=agency)
    assert apply_standing_assignments(newcomer) == 1
    assert apply_standing_assignments(newcomer) == 0  # twice: nothing new
    assert Enrollment.objects.filter(user=newcomer, course=course).exists()
    assert not Enrollment.objects.filter(user=outsider).exists()


def test_a_coordinator_cannot_assign_people_or_courses_of_another_agency(agency, other_agency, course, coordinator):
    outsider = make_trainee(agency=other_agency)
    with pytest.raises(AssignmentRefused):
        assign_course(actor=coordinator, agency=agency, course=course, people=[outsider])
    with pytest.raises(AssignmentRefused):
        assign_course(actor=coordinator, agency=other_agency, course=course, everyone=True)
    assert not Enrollment.objects.exists()


def test_a_past_due_date_is_refused(agency, course, coordinator):
    ana = make_trainee(agency=agency)
    with pytest.raises(AssignmentRefused, match="in the past"):
        assign_course(
            actor=coordinator,
            agency=agency,
            course=course,
            people=[ana],
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )


def test_required_courses_in_one_step(agency, course, coordinator, course_index):
    from tests.courses.factories import make_course

    optional = make_course(course_index, code="T-2", title="Optional course")
    course.required_by.add(agency)
    course.save_revision().publish()
    ana = make_trainee(agency=agency)
    result = assign_required_courses(actor=coordinator, agency=agency)
    assert [a.course_id for a in result.assignments] == [course.pk]
    assert Enrollment.objects.filter(user=ana, course=course).exists()
    assert not Enrollment.objects.filter(course=optional).exists()
    assert assign_required_courses(actor=coordinator, agency=agency).assignments == []


def complete(user, course):
    for lesson in LessonPage.objects.descendant_of(course):
        progress.complete_step(user, lesson)


def test_overdue_is_who_missed_the_date_without_completing(agency, course, coordinator):
    late = make_trainee(agency=agency)
    done = make_trainee(agency=agency)
    due = timezone.localdate() + datetime.timedelta(days=2)
    assign_course(actor=coordinator, agency=agency, course=course, people=[late, done], due_on=due)
    complete(done, course)
    after = due + datetime.timedelta(days=1)
    assert [m.user_id for m in overdue_members(AssignedPerson.objects.all(), after)] == [late.pk]
    assert list(overdue_members(AssignedPerson.objects.all(), due)) == []


def test_due_reminders_go_out_once_each(agency, course, coordinator, django_capture_on_commit_callbacks):
    ana = make_trainee(agency=agency, language="es")
    done = make_trainee(agency=agency)
    due = timezone.localdate() + datetime.timedelta(days=10)
    assign_course(actor=coordinator, agency=agency, course=course, people=[ana, done], due_on=due)
    complete(done, course)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(today=due - datetime.timedelta(days=8)) == 0
        assert send_due_reminders(today=due - datetime.timedelta(days=7)) == 1
        assert send_due_reminders(today=due - datetime.timedelta(days=6)) == 0
        assert send_due_reminders(today=due - datetime.timedelta(days=1)) == 1
        assert send_due_reminders(today=due - datetime.timedelta(days=1)) == 0
    assert [m.to for m in mail.outbox] == [[ana.email], [ana.email]]
    assert "7 días" in mail.outbox[0].body and "mañana" in mail.outbox[1].body
    assert DueReminder.objects.count() == 2


def test_due_reminders_respect_the_opt_out(agency, course, coordinator, django_capture_on_commit_callbacks):
    ana = make_trainee(agency=agency)
    ana.profile.email_opt_outs = ["due_reminders"]
    ana.profile.save()
    due = timezone.localdate() + datetime.timedelta(days=1)
    assign_course(actor=coordinator, agency=agency, course=course, people=[ana], due_on=due)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_reminders", stdout=io.StringIO())
    assert mail.outbox == []


def test_my_learning_shows_assigned_courses_with_the_due_date(client, agency, course, coordinator, home_page):
    ana = make_trainee(agency=agency)
    due = timezone.localdate() + datetime.timedelta(days=5)
    assign_course(actor=coordinator, agency=agency, course=course, people=[ana], due_on=due)
    client.force_login(ana)
    html = client.get(reverse("my_learning")).content.decode()
    assert 'data-testid="assigned-panel"' in html
    panel = html[html.index('data-testid="assigned-panel"') :]
    assert course.title in panel and "Due on" in panel
    # Assigned courses come first, above the course lists.
    assert html.index('data-testid="assigned-panel"') < html.index('id="in-progress-heading"')
    complete(ana, course)
    html = client.get(reverse("my_learning")).content.decode()
    assert 'data-testid="assigned-panel"' not in html
