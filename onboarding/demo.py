"""Demo onboarding data: a registration waiting for the demo coordinator
(CBP) and an overdue assignment of the orientation course. Safe to call
twice. Called by ``load_demo`` after the lms and courses demos."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import CoursePage
from courses.progress import enroll
from lms.demo import DEMO_PASSWORD
from lms.models import Agency

from .models import AssignedPerson, Assignment, Registration, RegistrationStatus

APPLICANT = ("jordan.reyes@example.org", "Jordan", "Reyes", "es")


def load(stdout=None):
    agency = Agency.objects.filter(acronym="CBP").first()
    if agency is None:
        return
    email, first, last, language = APPLICANT
    User = get_user_model()
    user = User.objects.filter(username=email).first()
    if user is None:
        user = User(username=email, email=email, first_name=first, last_name=last, is_active=False)
        user.set_password(DEMO_PASSWORD)
        user.save()
        profile = user.profile
        profile.agency, profile.preferred_language = agency, language
        profile.save()
        Registration.objects.create(
            user=user, agency=agency, status=RegistrationStatus.PENDING, email_verified_at=timezone.now()
        )
    _overdue_assignment(agency)
    if stdout:
        stdout.write("  onboarding: a pending registration and an overdue assignment for CBP")


def _overdue_assignment(agency):
    """AC-001 was due two weeks ago for the demo trainee (unless completed)."""
    course = CoursePage.objects.filter(code="AC-001").first()
    trainee = get_user_model().objects.filter(username="trainee").first()
    if course is None or trainee is None or Assignment.objects.filter(agency=agency, course=course).exists():
        return
    assignment = Assignment.objects.create(
        agency=agency, course=course, due_on=timezone.localdate() - datetime.timedelta(days=14)
    )
    enroll(trainee, course)
    AssignedPerson.objects.get_or_create(assignment=assignment, user=trainee)
