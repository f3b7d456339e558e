"""Small, hand-made certification data for the tracking tests."""

import datetime
import itertools

from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrollment
from tests.factories import make_trainee

_serials = itertools.count(1)


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def enrol(user, course, completed=False, enrolled_days_ago=10):
    enrollment = Enrollment.objects.create(user=user, course=course, is_current=True)
    when = timezone.now() - datetime.timedelta(days=enrolled_days_ago)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        enrolled_at=when, completed_at=when + datetime.timedelta(days=1) if completed else None
    )
    enrollment.refresh_from_db()
    refresh_states(user)
    return enrollment


def refresh_states(*users):
    """Refresh stored certification states, as the commit of a real request
    would (tests run inside a transaction that never commits)."""
    from tracking import certification

    if users:
        certification.refresh([user.pk for user in users])
    else:
        certification.refresh_all()


def require(course, *agencies):
    """Make ``agencies`` require ``course`` and refresh their trainees."""
    from courses.models import CoursePage

    through = CoursePage.required_by.through
    for agency in agencies:
        through.objects.get_or_create(coursepage_id=course.pk, agency_id=agency.pk)
    refresh_states()


def certify(user, course, enrollment=None, issued_days_ago=30, expires_in=365, revoked=False, pdf="", refresh=True):
    enrollment = enrollment or enrol(user, course, completed=True, enrolled_days_ago=issued_days_ago + 2)
    issued_on = days(-issued_days_ago)
    n = next(_serials)
    certificate = Certificate.objects.create(
        serial=f"T-{n:06d}",
        code=f"code-{n:06d}-" + "x" * 20,
        enrollment=enrollment,
        holder=user,
        course=course,
        holder_name=user.get_full_name(),
        course_code=course.code,
        course_title_en=course.title_en,
        course_title_es=course.title_es,
        credit_hours=course.credit_hours,
        language="en",
        issued_at=timezone.now() - datetime.timedelta(days=issued_days_ago),
        issued_on=issued_on,
        expires_on=days(expires_in) if expires_in is not None else None,
        pdf=pdf,
        sha256="",
        revoked_at=timezone.now() if revoked else None,
    )
    if refresh:
        refresh_states(user)
    return certificate


def populate(agency, course):
    """One agency's people, one of each kind, ``course`` required by the
    agency. Returns {kind: user}."""
    people = {
        "idle": make_trainee(agency=agency, first_name="Ida", last_name="Idle"),
        "learning": make_trainee(agency=agency, first_name="Lena", last_name="Learning"),
        "done": make_trainee(agency=agency, first_name="Dan", last_name="Done"),
        "current": make_trainee(agency=agency, first_name="Cora", last_name="Current"),
        "soon": make_trainee(agency=agency, first_name="Sam", last_name="Soon"),
        "later": make_trainee(agency=agency, first_name="Lou", last_name="Later"),
        "lapsed": make_trainee(agency=agency, first_name="Lars", last_name="Lapsed"),
        "revoked": make_trainee(agency=agency, first_name="Rita", last_name="Revoked"),
    }
    enrol(people["learning"], course)
    enrol(people["done"], course, completed=True)
    certify(people["current"], course, expires_in=200)
    certify(people["soon"], course, expires_in=20)
    certify(people["later"], course, expires_in=75)
    certify(people["lapsed"], course, issued_days_ago=800, expires_in=-5)
    certify(people["revoked"], course, revoked=True)
    require(course, agency)
    return people
