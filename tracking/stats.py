"""The figures of certification tracking, by agency.

Every figure counts *trainees* (``lms.models.trainees``: active members of
the Trainees role in an agency; staff are not counted), so each number of
the agency report is exactly the length of the people list it links to.
What each figure means is defined once, in ``certification``:

- with no course filter, the figures speak of the courses each agency
  requires: certified = holds a current certificate for every required
  course; agencies that require nothing are shown as such;
- with a course filter, of that course alone, for every agency.

The default report (no course or date filter) is one GROUP BY over the
stored states (``CertificationState``); with a course or date filter the
states are computed live from enrolments and certificates, and counted
with the same conditions.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from courses.models import CoursePage, Enrollment
from lms.models import trainees

from . import certification
from .certification import FIGURES, figure_conditions
from .criteria import PersonStatus
from .models import CertificationState
from .permissions import reportable_agencies

#: The people-list status each figure links to ("" lists every trainee).
FIGURE_STATUS = {
    "trainees": "",
    "enrolled": PersonStatus.ENROLLED,
    "in_progress": PersonStatus.IN_PROGRESS,
    "completed": PersonStatus.COMPLETED,
    "certified": PersonStatus.CERTIFIED,
    "expiring_30": PersonStatus.EXPIRING_30,
    "expiring_60": PersonStatus.EXPIRING_60,
    "expiring_90": PersonStatus.EXPIRING_90,
    "expired": PersonStatus.EXPIRED,
    "revoked": PersonStatus.REVOKED,
}


# ------------------------------------------------------------------ scoping


def scoped_agencies(user, criteria):
    """The agencies of the report: ``user``'s scope, narrowed by the filters."""
    agencies = reportable_agencies(user)
    if criteria.country:
        agencies = agencies.filter(country=criteria.country)
    if criteria.level:
        agencies = agencies.filter(level=criteria.level)
    if criteria.agency_id:
        agencies = agencies.filter(pk=criteria.agency_id)
    return agencies


def scoped_people(user, criteria):
    """The trainees of the scoped agencies, narrowed by every filter (status
    and name search included): the people a figure of the report counts."""
    agencies = scoped_agencies(user, criteria).values("pk")
    if criteria.uses_stored_states:
        people = get_user_model().objects.filter(certification_state__agency__in=agencies)
    else:
        people = trainees().filter(profile__agency__in=agencies)
    if criteria.q:
        words = Q()
        for word in criteria.q.split()[:5]:
            words &= (
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        people = people.filter(words)
    if criteria.status:
        people = people_with_status(people, criteria)
    return people


def people_with_status(people, criteria):
    """``people`` narrowed to those counted by the figure of ``criteria.status``."""
    if criteria.uses_stored_states:
        return people.filter(figure_conditions(criteria.today, prefix="certification_state__")[criteria.status])
    condition = figure_conditions(criteria.today)[criteria.status]
    states = certification.compute_states(people, criteria)
    from lms.conditions import matches

    return people.filter(pk__in=[pk for pk, state in states.items() if matches(state, condition)])


# ------------------------------------------------------------------ rows


def enrollments(criteria):
    """Current enrolments within the course and date filters (the people view's lines)."""
    rows = Enrollment.objects.filter(is_current=True)
    if criteria.course_id:
        rows = rows.filter(course_id=criteria.course_id)
    start, end = criteria.window()
    if start:
        rows = rows.filter(enrolled_at__gte=start)
    if end:
        rows = rows.filter(enrolled_at__lt=end)
    return rows


def certificates(criteria):
    """Certificates within the course and date filters, superseded ones
    left out (their re-issue speaks for them)."""
    rows = Certificate.objects.filter(superseded_at__isnull=True)
    if criteria.course_id:
        rows = rows.filter(course_id=criteria.course_id)
    if criteria.date_from:
        rows = rows.filter(issued_on__gte=criteria.date_from)
    if criteria.date_to:
        rows = rows.filter(issued_on__lte=criteria.date_to)
    return rows


# ------------------------------------------------------------------ agency report


@dataclass
class AgencyRow:
    agency_id: int | None
    acronym: str
    name: str
    country: str = ""
    trainees: int = 0
    enrolled: int = 0
    in_progress: int = 0
    completed: int = 0
    certified: int = 0
    expiring_30: int = 0
    expiring_60: int = 0
    expiring_90: int = 0
    expired: int = 0
    revoked: int = 0
    #: Required certifications: the agency requires no course (no rate).
    requires_nothing: bool = False
    #: Trainees the rate is taken over (those of agencies that require something).
    rated: int = 0
    is_total: bool = False

    @property
    def rate(self):
        """Certification rate in per cent, one decimal (None without trainees
        or when the agency requires nothing)."""
        if not self.rated:
            return None
        return round(100 * self.certified / self.rated, 1)

    @property
    def country_label(self):
        from lms.models import Country

        return Country(self.country).label if self.country in Country.values else self.country


@dataclass
class AgencyReport:
    rows: list
    total: AgencyRow
    criteria: object = field(repr=False, default=None)


def agency_report(user, criteria, total_label=""):
    """One row per agency in ``user``'s scope and the filters, plus a total.

    Default (no course or date filter): three queries (agencies, their
    requirements, one GROUP BY over the stored states). Read-only.
    """
    agencies = list(
        scoped_agencies(user, criteria).order_by("country", "acronym").values("pk", "acronym", "name", "country")
    )
    rows = {
        agency["pk"]: AgencyRow(agency["pk"], agency["acronym"], agency["name"], agency["country"])
        for agency in agencies
    }
    if rows:
        for agency_id, figures in agency_counts(criteria, list(rows)).items():
            row = rows[agency_id]
            for name, value in figures.items():
                setattr(row, name, value)
        if not criteria.course_id:
            required = certification.required_by_agency()
            for row in rows.values():
                row.requires_nothing = not required.get(row.agency_id)
    total = AgencyRow(None, "", total_label, is_total=True)
    for row in rows.values():
        row.rated = 0 if row.requires_nothing else row.trainees
        for name in (*FIGURES, "rated"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return AgencyReport(rows=list(rows.values()), total=total, criteria=criteria)


def agency_counts(criteria, agency_ids):
    """{agency id: {figure: count}} for the trainees of ``agency_ids``."""
    if criteria.uses_stored_states:
        return dict(_stored_counts(criteria, agency_ids))
    people = trainees().filter(profile__agency_id__in=agency_ids)
    states = certification.compute_states(people, criteria)
    by_agency = {}
    for state in states.values():
        by_agency.setdefault(state.agency_id, []).append(state)
    return {agency_id: certification.counts(group, criteria.today) for agency_id, group in by_agency.items()}


def stored_counts_queryset(criteria, agency_ids):
    """The one GROUP BY of the default report, over the stored states."""
    conditions = figure_conditions(criteria.today)
    figures = {"trainees": Count("pk")}
    figures.update({name: Count("pk", filter=conditions[name]) for name in FIGURES if name != "trainees"})
    return (
        CertificationState.objects.filter(agency_id__in=agency_ids).values("agency_id").annotate(**figures).order_by()
    )


def _stored_counts(criteria, agency_ids):
    for item in stored_counts_queryset(criteria, agency_ids):
        yield item.pop("agency_id"), item


def definition(criteria, course=None):
    """What the figures of ``criteria`` count, in a sentence."""
    if criteria.course_id and course is not None:
        return _(
            "Figures for one course, %(course)s: a trainee is certified when they hold a current certificate "
            "of this course."
        ) % {"course": f"{course.code} – {course.title}"}
    return _(
        "Figures for required certifications: a trainee is certified when they hold a current certificate "
        "for every course their institution requires."
    )


# ------------------------------------------------------------------ dashboard


def expiring_by_month(user, criteria, months=12):
    """[(first day of month, certificates expiring that month)] for the next
    ``months`` months: current certificates of the trainees of ``user``'s
    scope (of required courses only, without a course filter). One query."""
    today = criteria.today
    first = today.replace(day=1)
    starts = []
    for offset in range(months + 1):
        index = first.month - 1 + offset
        starts.append(datetime.date(first.year + index // 12, index % 12 + 1, 1))
    people = trainees().filter(profile__agency__in=scoped_agencies(user, criteria).values("pk"))
    held = certificates(criteria).current(today).filter(holder__in=people.values("pk"), expires_on__lt=starts[-1])
    if not criteria.course_id:
        through = CoursePage.required_by.through
        held = held.filter(
            Exists(
                through.objects.filter(agency_id=OuterRef("holder__profile__agency"), coursepage_id=OuterRef("course"))
            )
        )
    counts = dict(
        held.annotate(month=TruncMonth("expires_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("month", "n")
    )
    counts = {(key.date() if isinstance(key, datetime.datetime) else key): value for key, value in counts.items()}
    return [(start, counts.get(start, 0)) for start in starts[:-1]]
