"""The figures of certification tracking, as aggregate queries.

Every figure counts *people* (active users of an agency), so each number of
the agency report is exactly the length of the people list it links to:

- trainees: active people of the agency;
- enrolled / in progress / completed: people with at least one current
  enrolment (of the course filtered on) that is any / not complete /
  complete, enrolled within the date range;
- certified and current: people holding a certificate that is neither
  revoked, superseded nor expired (issued within the date range);
- expiring within N days: people holding a current certificate whose expiry
  falls within the next N days (so 30 is part of 60, and 60 of 90);
- expired: people whose certificate expired and who hold no current one;
- revoked: people with a revoked certificate;
- certification rate: certified and current / trainees.

The report costs a constant number of queries whatever the number of
agencies: one for the agencies and one GROUP BY per table (profiles,
enrolments, certificates), each with conditional aggregation
(``Count(..., filter=Q(...))``). Superseded certificates never count: their
re-issue does.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth

from certificates.models import Certificate
from courses.models import Enrollment
from lms.models import Profile

from .criteria import EXPIRING_DAYS, PersonStatus
from .permissions import reportable_agencies

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
    """Active people of the scoped agencies, narrowed by every filter
    (status and name search included)."""
    User = get_user_model()
    people = User.objects.filter(is_active=True, profile__agency__in=scoped_agencies(user, criteria).values("pk"))
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
        people = people.filter(status_condition(criteria))
    return people


# ------------------------------------------------------------------ conditions


def enrollments(criteria):
    """Current enrolments of active people within the course and date filters."""
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
    """Certificates that count (not superseded) within the course and date filters."""
    rows = Certificate.objects.filter(superseded_at__isnull=True)
    if criteria.course_id:
        rows = rows.filter(course_id=criteria.course_id)
    if criteria.date_from:
        rows = rows.filter(issued_on__gte=criteria.date_from)
    if criteria.date_to:
        rows = rows.filter(issued_on__lte=criteria.date_to)
    return rows


def current_q(today):
    return Q(revoked_at__isnull=True) & (Q(expires_on__isnull=True) | Q(expires_on__gt=today))


def expiring_q(today, days):
    return Q(revoked_at__isnull=True, expires_on__gt=today, expires_on__lte=today + datetime.timedelta(days=days))


def lapsed_q(today):
    return Q(revoked_at__isnull=True, expires_on__lte=today)


REVOKED_Q = Q(revoked_at__isnull=False)


def status_condition(criteria):
    """A condition on users: they are counted by the figure of ``criteria.status``."""
    status, today = criteria.status, criteria.today
    enrolled = enrollments(criteria).filter(user=OuterRef("pk"))
    held = certificates(criteria).filter(holder=OuterRef("pk"))
    if status == PersonStatus.ENROLLED:
        return Exists(enrolled)
    if status == PersonStatus.NOT_ENROLLED:
        return ~Exists(enrolled)
    if status == PersonStatus.IN_PROGRESS:
        return Exists(enrolled.filter(completed_at__isnull=True))
    if status == PersonStatus.COMPLETED:
        return Exists(enrolled.filter(completed_at__isnull=False))
    if status == PersonStatus.CERTIFIED:
        return Exists(held.filter(current_q(today)))
    if status in EXPIRING_DAYS:
        return Exists(held.filter(expiring_q(today, EXPIRING_DAYS[status])))
    if status == PersonStatus.EXPIRED:
        return Exists(held.filter(lapsed_q(today))) & ~Exists(held.filter(current_q(today)))
    if status == PersonStatus.REVOKED:
        return Exists(held.filter(REVOKED_Q))
    return Q()


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
    is_total: bool = False

    @property
    def rate(self):
        """Certification rate in per cent, one decimal (None without trainees)."""
        if not self.trainees:
            return None
        return round(100 * self.certified / self.trainees, 1)


@dataclass
class AgencyReport:
    rows: list
    total: AgencyRow
    criteria: object = field(repr=False, default=None)


def agency_report(user, criteria, total_label=""):
    """One row per agency in ``user``'s scope and the filters, plus a total.

    Four queries, whatever the number of agencies or people. Read-only.
    """
    agencies = list(
        scoped_agencies(user, criteria).order_by("country", "acronym").values("pk", "acronym", "name", "country")
    )
    rows = {
        agency["pk"]: AgencyRow(agency["pk"], agency["acronym"], agency["name"], agency["country"])
        for agency in agencies
    }
    if rows:
        for queryset in report_querysets(criteria, list(rows)).values():
            for item in queryset:
                row = rows[item.pop("agency_ref")]
                for key, value in item.items():
                    setattr(row, key, value)
    total = AgencyRow(None, "", total_label, is_total=True)
    for row in rows.values():
        for name in FIGURES:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return AgencyReport(rows=list(rows.values()), total=total, criteria=criteria)


def report_querysets(criteria, agency_ids):
    """The three GROUP BY queries of the report (one per table), by name."""
    today = criteria.today
    # "NOT IN (inactive users)" rather than a join to auth_user: a hash of
    # the few inactive ids instead of one of every user.
    inactive = get_user_model().objects.filter(is_active=False).values("pk")
    trainees = (
        Profile.objects.filter(agency_id__in=agency_ids)
        .exclude(user_id__in=inactive)
        .values(agency_ref=F("agency_id"))
        .annotate(trainees=Count("pk"))
        .order_by()
    )
    enrolled = (
        enrollments(criteria)
        .filter(user__profile__agency_id__in=agency_ids)
        .exclude(user_id__in=inactive)
        .values(agency_ref=F("user__profile__agency"))
        .annotate(
            enrolled=Count("user_id", distinct=True),
            in_progress=Count("user_id", distinct=True, filter=Q(completed_at__isnull=True)),
            completed=Count("user_id", distinct=True, filter=Q(completed_at__isnull=False)),
        )
        .order_by()
    )
    base = certificates(criteria).filter(holder__profile__agency_id__in=agency_ids).exclude(holder_id__in=inactive)
    # Whoever holds a current certificate (the outer query limits the agencies).
    current_holders = certificates(criteria).filter(current_q(today), holder_id__isnull=False).values("holder_id")
    certified = (
        base.values(agency_ref=F("holder__profile__agency"))
        .annotate(
            certified=Count("holder_id", distinct=True, filter=current_q(today)),
            expiring_30=Count("holder_id", distinct=True, filter=expiring_q(today, 30)),
            expiring_60=Count("holder_id", distinct=True, filter=expiring_q(today, 60)),
            expiring_90=Count("holder_id", distinct=True, filter=expiring_q(today, 90)),
            expired=Count("holder_id", distinct=True, filter=lapsed_q(today) & ~Q(holder_id__in=current_holders)),
            revoked=Count("holder_id", distinct=True, filter=REVOKED_Q),
        )
        .order_by()
    )
    return {"trainees": trainees, "enrolments": enrolled, "certificates": certified}


# ------------------------------------------------------------------ dashboard


def expiring_by_month(user, criteria, months=12):
    """[(first day of month, certificates expiring that month)] for the next
    ``months`` months, current certificates of ``user``'s scope. One query."""
    today = criteria.today
    first = today.replace(day=1)
    starts = []
    for offset in range(months + 1):
        index = first.month - 1 + offset
        starts.append(datetime.date(first.year + index // 12, index % 12 + 1, 1))
    counts = dict(
        certificates(criteria)
        .filter(
            current_q(today),
            holder__is_active=True,
            holder__profile__agency__in=scoped_agencies(user, criteria).values("pk"),
            expires_on__lt=starts[-1],
        )
        .annotate(month=TruncMonth("expires_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("month", "n")
    )
    counts = {(key.date() if isinstance(key, datetime.datetime) else key): value for key, value in counts.items()}
    return [(start, counts.get(start, 0)) for start in starts[:-1]]
