"""Who is certified: each trainee's certification state, and the figures
that count it.

Two definitions, one computation. A person's *required set* is

- with no course filter (the default, "required certifications"): every
  course their agency requires (``CoursePage.required_by``);
- with a course filter: that one course, for everyone.

``compute_states`` turns a person's current enrolments and certificates
(within the date filters) into a ``CertificationState``: enrolled in /
in progress on / completed every required course, holds a certificate
(neither revoked nor superseded) for any / every required course, the
earliest expiry among them, a required certificate revoked. The figures of
the reports are conditions on a state (``figure_conditions``), written once
as ``Q`` objects: evaluated in SQL on the stored states (the default report,
one GROUP BY over one table) and in Python on states computed live (course
or date filters), with the same conditions. Whether a certificate counts,
has expired or is expiring comes from ``certificates.models`` (its status
rules), never from here.

The stored states (``CertificationState``, one per trainee, no course or
date filter) are refreshed on the events that change them (see
``receivers``) and rebuilt by ``manage.py refresh_certification_states``.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Q

from certificates.models import Certificate, Status, expired_q, expiring_q
from courses.models import CoursePage, Enrollment
from lms.conditions import matches
from lms.models import trainees

from .models import CertificationState

FIGURES = (
    "trainees",
    "enrolled",
    "in_progress",
    "completed",
    "certified",
    "expiring_30",
    "expiring_60",
    "expiring_90",
    "expired",
    "revoked",
)

STATE_FIELDS = ("agency", "required", "enrolled", "in_progress", "completed", "held_all", "held_any", "first_expiry")
UPDATE_FIELDS = (*STATE_FIELDS, "revoked", "updated_at")
BATCH = 5000


def figure_conditions(today, prefix=""):
    """{figure or people-list status: condition on a state} on ``today``.
    ``prefix`` reaches the state through a relation (e.g. from users)."""

    def q(**lookups):
        return Q(**{prefix + key: value for key, value in lookups.items()})

    first_expiry = prefix + "first_expiry"
    certified = q(held_all=True) & ~expired_q(today, first_expiry)
    conditions = {
        "trainees": Q(),
        "enrolled": q(enrolled=True),
        "not_enrolled": ~q(enrolled=True),
        "in_progress": q(in_progress=True),
        "completed": q(completed=True),
        "certified": certified,
        # Certified now, and a required certificate expires within N days.
        "expired": q(held_any=True) & expired_q(today, first_expiry),
        "revoked": q(revoked=True),
    }
    for days in (30, 60, 90):
        conditions[f"expiring_{days}"] = certified & expiring_q(today, days, first_expiry)
    return conditions


def counts(states, today):
    """{figure: how many of ``states`` it counts}, in Python."""
    conditions = figure_conditions(today)
    totals = dict.fromkeys(FIGURES, 0)
    for state in states:
        for name in FIGURES:
            totals[name] += matches(state, conditions[name])
    return totals


# ------------------------------------------------------------------ computing


def required_by_agency():
    """{agency id: set of required course ids}."""
    through = CoursePage.required_by.through
    required = defaultdict(set)
    for agency_id, course_id in through.objects.values_list("agency_id", "coursepage_id"):
        required[agency_id].add(course_id)
    return required


def _latest_expiry(expiries):
    """The expiry that decides a course: None (never) beats any date."""
    return None if None in expiries else max(expiries)


def compute_states(people, criteria):
    """{user id: unsaved CertificationState} for the users of ``people`` (a
    queryset of trainees), under the course and date filters of
    ``criteria``. Four queries, whatever the number of people."""
    rows = list(people.values_list("pk", "profile__agency_id").order_by())
    if not rows:
        return {}
    if criteria.course_id:
        required = defaultdict(lambda: {criteria.course_id})
    else:
        required = required_by_agency()
    people_ids = people.values("pk")
    enrolments = Enrollment.objects.filter(is_current=True, user_id__in=people_ids)
    certificates = Certificate.objects.filter(holder_id__in=people_ids).with_status(criteria.today)
    if criteria.course_id:
        enrolments = enrolments.filter(course_id=criteria.course_id)
        certificates = certificates.filter(course_id=criteria.course_id)
    start, end = criteria.window()
    if start:
        enrolments = enrolments.filter(enrolled_at__gte=start)
    if end:
        enrolments = enrolments.filter(enrolled_at__lt=end)
    if criteria.date_from:
        certificates = certificates.filter(issued_on__gte=criteria.date_from)
    if criteria.date_to:
        certificates = certificates.filter(issued_on__lte=criteria.date_to)

    enrolled = defaultdict(dict)  # user -> course -> completed?
    for user_id, course_id, completed_at in enrolments.values_list("user_id", "course_id", "completed_at").order_by():
        enrolled[user_id][course_id] = completed_at is not None
    held = defaultdict(lambda: defaultdict(list))  # user -> course -> [expiry]
    revoked = defaultdict(set)
    for holder_id, course_id, expires_on, status in certificates.values_list(
        "holder_id", "course_id", "expires_on", "status_code"
    ).order_by():
        if status in (Status.VALID, Status.EXPIRED):
            held[holder_id][course_id].append(expires_on)
        elif status == Status.REVOKED:
            revoked[holder_id].add(course_id)

    states = {}
    for user_id, agency_id in rows:
        courses = required[agency_id]
        mine, certs = enrolled.get(user_id, {}), held.get(user_id, {})
        held_courses = [course for course in courses if course in certs]
        expiries = [_latest_expiry(certs[course]) for course in held_courses]
        expiries = [day for day in expiries if day is not None]
        states[user_id] = CertificationState(
            user_id=user_id,
            agency_id=agency_id,
            required=len(courses),
            enrolled=any(course in mine for course in courses),
            in_progress=any(course in mine and not mine[course] for course in courses),
            completed=bool(courses) and all(mine.get(course) for course in courses),
            held_all=bool(courses) and len(held_courses) == len(courses),
            held_any=bool(held_courses),
            first_expiry=min(expiries) if expiries else None,
            revoked=bool(courses & revoked.get(user_id, set())),
        )
    return states


# ------------------------------------------------------------------ storing


def refresh(user_ids):
    """Recompute and store the states of ``user_ids`` (deleting those of
    people who are no longer trainees). Safe to call twice."""
    from .criteria import Criteria

    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return 0
    states = compute_states(trainees().filter(pk__in=ids), Criteria())
    with transaction.atomic():
        CertificationState.objects.filter(user_id__in=ids - set(states)).delete()
        CertificationState.objects.bulk_create(
            list(states.values()),
            update_conflicts=True,
            unique_fields=["user"],
            update_fields=UPDATE_FIELDS,
        )
    return len(states)


def refresh_all(agency_ids=None, batch=BATCH, log=None):
    """Rebuild the stored states of every trainee (of ``agency_ids`` when
    given), ``batch`` people at a time, and delete those of people who are
    no longer trainees. Safe to call twice, and beside the live events."""
    people = trainees()
    stale = CertificationState.objects.exclude(user__in=trainees().values("pk"))
    if agency_ids is not None:
        people = people.filter(profile__agency_id__in=agency_ids)
        stale = stale.filter(agency_id__in=agency_ids)
    stale.delete()
    ids = list(people.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch):
        done += refresh(ids[start : start + batch])
        if log:
            log(f"  {done}/{len(ids)} trainees")
    _analyze()
    return done


def _analyze():
    """Fresh planner statistics after a rebuild (PostgreSQL), so the report's
    GROUP BY is planned for the table's real size."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{CertificationState._meta.db_table}"')


def fill_if_empty(**kwargs):
    """After migrate: build the states once on a database that has trainees
    but no states yet (the first deployment of this table)."""
    if not CertificationState.objects.exists() and trainees().exists():
        refresh_all()
