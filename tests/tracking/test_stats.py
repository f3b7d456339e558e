import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgencyFactory
from tracking import stats
from tracking.criteria import Criteria, PersonStatus

from .factories import certify, enrol, populate, refresh_states, require

pytestmark = pytest.mark.django_db

EXPECTED = {
    "trainees": 8,
    "enrolled": 7,
    "in_progress": 1,
    "completed": 6,
    "certified": 3,
    "expiring_30": 1,
    "expiring_60": 1,
    "expiring_90": 2,
    "expired": 1,
    "revoked": 1,
}


def figures(row):
    return {name: getattr(row, name) for name in stats.FIGURES}


def test_agency_figures_count_people(admin_user, people, others, agency, other_agency):
    report = stats.agency_report(admin_user, Criteria())
    rows = {row.acronym: row for row in report.rows}
    assert figures(rows[agency.acronym]) == EXPECTED
    assert figures(rows[other_agency.acronym]) == EXPECTED
    assert rows[agency.acronym].rate == 37.5
    assert figures(report.total) == {name: 2 * value for name, value in EXPECTED.items()}
    assert report.total.rate == 37.5


def test_recertified_person_is_not_expired(admin_user, agency, course):
    """An expired certificate beside a newer current one of the same course."""
    from courses.models import Enrollment
    from tests.factories import make_trainee

    person = make_trainee(agency=agency)
    first = Enrollment.objects.create(user=person, course=course, cycle=1, is_current=False)
    certify(person, course, enrollment=first, issued_days_ago=800, expires_in=-10)
    second = Enrollment.objects.create(user=person, course=course, cycle=2, completed_at=timezone.now())
    certify(person, course, enrollment=second, expires_in=100)
    require(course, agency)
    for criteria in (Criteria(), Criteria(course_id=course.pk)):
        row = stats.agency_report(admin_user, criteria).rows[0]
        assert (row.certified, row.expired) == (1, 0)


def test_one_required_course_missing_is_not_certified(admin_user, agency, course, course_index):
    from tests.courses.factories import make_course
    from tests.factories import make_trainee

    other_course = make_course(course_index, code="T-2", title="Second", modules=1, lessons=1)
    person = make_trainee(agency=agency)
    certify(person, course, issued_days_ago=800, expires_in=-10)
    certify(person, other_course, expires_in=100)
    require(course, agency)
    require(other_course, agency)
    row = stats.agency_report(admin_user, Criteria()).rows[0]
    assert (row.certified, row.expired) == (0, 1)
    # Per course: the expired one, and the current one.
    row = stats.agency_report(admin_user, Criteria(course_id=course.pk)).rows[0]
    assert (row.certified, row.expired) == (0, 1)
    row = stats.agency_report(admin_user, Criteria(course_id=other_course.pk)).rows[0]
    assert (row.certified, row.expired) == (1, 0)


def test_agency_requiring_nothing_has_no_rate(admin_user, agency, course):
    from tests.factories import make_trainee

    certify(make_trainee(agency=agency), course)
    row = stats.agency_report(admin_user, Criteria()).rows[0]
    assert row.requires_nothing and row.trainees == 1 and row.rate is None and row.certified == 0
    row = stats.agency_report(admin_user, Criteria(course_id=course.pk)).rows[0]
    assert not row.requires_nothing and row.rate == 100.0


def test_staff_are_not_trainees(admin_user, people, agency, course):
    from tests.factories import make_coordinator, make_instructor

    for staff in (make_coordinator(agency=agency, username="c1"), make_instructor(agency=agency, username="i1")):
        certify(staff, course)
    row = stats.agency_report(admin_user, Criteria()).rows[0]
    assert (row.trainees, row.certified) == (8, 3)
    assert not stats.scoped_people(admin_user, Criteria()).filter(username__in=["c1", "i1"]).exists()


def test_each_figure_is_the_length_of_its_people_list(admin_user, people, others, agency):
    row = stats.agency_report(admin_user, Criteria(agency_id=agency.pk)).rows[0]
    for figure in stats.FIGURES:
        criteria = Criteria(agency_id=agency.pk, status=stats.FIGURE_STATUS[figure])
        listed = stats.scoped_people(admin_user, criteria)
        assert listed.count() == getattr(row, figure), figure
        assert set(listed.values_list("profile__agency", flat=True)) == {agency.pk}


def test_status_lists_name_the_right_people(admin_user, people, agency):
    def names(status):
        criteria = Criteria(agency_id=agency.pk, status=status)
        return set(stats.scoped_people(admin_user, criteria).values_list("last_name", flat=True))

    assert names(PersonStatus.EXPIRING_90) == {"Soon", "Later"}
    assert names(PersonStatus.EXPIRED) == {"Lapsed"}
    assert names(PersonStatus.NOT_ENROLLED) == {"Idle"}
    assert names(PersonStatus.IN_PROGRESS) == {"Learning"}


def test_course_and_date_filters(admin_user, agency, course, course_index):
    from tests.courses.factories import make_course
    from tests.factories import make_trainee

    other_course = make_course(course_index, code="T-9", title="Other")
    early, late = make_trainee(agency=agency), make_trainee(agency=agency)
    enrol(early, course, enrolled_days_ago=100)
    enrol(late, other_course, enrolled_days_ago=5)
    require(course, agency)
    require(other_course, agency)
    assert stats.agency_report(admin_user, Criteria(course_id=course.pk)).rows[0].enrolled == 1
    today = datetime.date.today()
    recent = Criteria(date_from=today - datetime.timedelta(days=30), date_to=today + datetime.timedelta(days=1))
    assert stats.agency_report(admin_user, recent).rows[0].enrolled == 1
    assert stats.agency_report(admin_user, Criteria(country="MX")).rows == []
    assert [r.acronym for r in stats.agency_report(admin_user, Criteria(level="federal")).rows] == [agency.acronym]


def test_inactive_people_do_not_count(admin_user, people, agency):
    people["current"].is_active = False
    people["current"].save()
    refresh_states(people["current"])
    row = stats.agency_report(admin_user, Criteria()).rows[0]
    assert (row.trainees, row.certified) == (7, 2)


def _report_queries(client, admin_user, params):
    admin_user = type(admin_user).objects.get(pk=admin_user.pk)  # no cached permissions
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as html:
        assert client.get(reverse("tracking_admin:agencies"), params).status_code == 200
    with CaptureQueriesContext(connection) as data:
        stats.agency_report(admin_user, Criteria())
    return len(html), len(data)


def test_report_runs_a_constant_number_of_queries(client, admin_user, course, django_assert_max_num_queries):
    filtered = {"course": course.pk, "country": "US", "date_from": "2020-01-01"}
    for n in range(2):
        populate(AgencyFactory(acronym=f"Q{n}"), course)
    small = [_report_queries(client, admin_user, params) for params in ({}, filtered)]
    for n in range(2, 10):
        populate(AgencyFactory(acronym=f"Q{n}"), course)
    big = [_report_queries(client, admin_user, params) for params in ({}, filtered)]
    assert small == big
    # The agencies, one GROUP BY per table (profiles, enrolments, certificates),
    # and the user's permissions (loaded once).
    assert big[0][1] <= 6
    with django_assert_max_num_queries(big[1][0]):
        client.get(reverse("tracking_admin:agencies"), filtered)


def test_expiring_by_month(admin_user, people, agency):
    months = stats.expiring_by_month(admin_user, Criteria())
    assert len(months) == 12
    assert sum(count for _month, count in months) == 3  # soon, later and current (200 days)
