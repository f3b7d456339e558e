"""Per-person detail: each person's courses, progress and certificates, and
the certification matrix. Built for a page or a batch of people at a time
with a fixed number of queries per batch, so a 100,000-person export
streams in constant memory."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import pgettext

from certificates.models import Certificate, Status
from courses.models import CoursePage, Enrollment, StepCompletion
from courses.progress import percent_complete, required_step_ids

from .stats import certificates, enrollments

BATCH = 2000


@dataclass
class CertificateInfo:
    serial: str
    status: str
    issued_on: object
    expires_on: object

    @property
    def status_label(self):
        return Status(self.status).label


@dataclass
class CourseLine:
    course_id: int
    code: str
    title: str
    cycle: int | None = None
    enrolled_at: object = None
    completed_at: object = None
    progress: int | None = None
    certificate: CertificateInfo | None = None


@dataclass
class PersonRow:
    user: object
    agency: object
    lines: list = field(default_factory=list)

    @property
    def name(self):
        return self.user.get_full_name() or self.user.get_username()


def people_with_agency(queryset):
    return queryset.select_related("profile__agency").order_by("last_name", "first_name", "pk")


class CourseCache:
    """Course codes, titles and required steps, loaded once per export."""

    def __init__(self):
        self._courses = {}
        self._required = {}

    def load(self, ids):
        missing = [pk for pk in ids if pk not in self._courses]
        if missing:
            for course in CoursePage.objects.filter(pk__in=missing):
                self._courses[course.pk] = course
        return self

    def course(self, pk):
        return self._courses.get(pk)

    def required(self, pk):
        if pk not in self._required:
            course = self._courses.get(pk)
            self._required[pk] = set(required_step_ids(course)) if course is not None else set()
        return self._required[pk]


def best_certificate(certs, today):
    """The certificate that speaks for a person and course: a current one
    (latest expiry first), else the latest issued."""
    if not certs:
        return None
    current = [c for c in certs if c.revoked_at is None and (c.expires_on is None or c.expires_on > today)]
    if current:
        return max(current, key=lambda c: (c.expires_on is None, c.expires_on or c.issued_on, c.pk))
    return max(certs, key=lambda c: (c.issued_on, c.pk))


def decorate(users, criteria, courses=None):
    """PersonRows for a list of users (one page or one batch): three queries
    (enrolments, step counts, certificates) plus the course cache."""
    courses = courses or CourseCache()
    users = list(users)
    ids = [user.pk for user in users]
    if not ids:
        return []
    enrolment_rows = list(
        enrollments(criteria)
        .filter(user_id__in=ids)
        .only("pk", "user_id", "course_id", "cycle", "enrolled_at", "completed_at")
    )
    cert_rows = list(
        certificates(criteria)
        .filter(holder_id__in=ids)
        .only("pk", "holder_id", "course_id", "serial", "issued_on", "expires_on", "revoked_at", "superseded_at")
        .order_by()
    )
    courses.load({row.course_id for row in enrolment_rows} | {row.course_id for row in cert_rows if row.course_id})
    required = set()
    for row in enrolment_rows:
        required |= courses.required(row.course_id)
    done = {}
    open_ids = [row.pk for row in enrolment_rows if row.completed_at is None]
    if open_ids and required:
        done = dict(
            StepCompletion.objects.filter(enrollment_id__in=open_ids, page_id__in=required)
            .values("enrollment_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("enrollment_id", "n")
        )
    certs_by = defaultdict(list)
    for cert in cert_rows:
        certs_by[(cert.holder_id, cert.course_id)].append(cert)
    lines_by_user = defaultdict(dict)
    for row in enrolment_rows:
        course = courses.course(row.course_id)
        total = len(courses.required(row.course_id))
        lines_by_user[row.user_id][row.course_id] = CourseLine(
            course_id=row.course_id,
            code=course.code if course else "",
            title=course.title if course else "",
            cycle=row.cycle,
            enrolled_at=row.enrolled_at,
            completed_at=row.completed_at,
            progress=percent_complete(done.get(row.pk, 0), total, row.completed_at),
        )
    for (user_id, course_id), certs in certs_by.items():
        cert = best_certificate(certs, criteria.today)
        line = lines_by_user[user_id].get(course_id)
        if line is None:
            course = courses.course(course_id)
            line = CourseLine(
                course_id=course_id, code=course.code if course else "", title=course.title if course else ""
            )
            lines_by_user[user_id][course_id] = line
        line.certificate = CertificateInfo(cert.serial, cert.status_on(criteria.today), cert.issued_on, cert.expires_on)
    result = []
    for user in users:
        lines = sorted(lines_by_user.get(user.pk, {}).values(), key=lambda line: line.code)
        profile = getattr(user, "profile", None)
        result.append(PersonRow(user=user, agency=profile.agency if profile else None, lines=lines))
    return result


def iter_batches(queryset, criteria, batch=BATCH):
    """Yield lists of PersonRows, ``batch`` people at a time, reading the
    people with a server-side cursor (``iterator(chunk_size=...)``)."""
    courses = CourseCache()
    pending = []
    for user in people_with_agency(queryset).iterator(chunk_size=batch):
        pending.append(user)
        if len(pending) >= batch:
            yield decorate(pending, criteria, courses)
            pending = []
    if pending:
        yield decorate(pending, criteria, courses)


# ------------------------------------------------------------------ matrix


@dataclass
class MatrixCell:
    required: bool
    status: str = ""
    label: str = ""
    expires_on: object = None


def required_courses(agency_ids):
    """(courses required of any of these agencies, {agency id: {course ids}})."""
    through = CoursePage.required_by.through
    pairs = list(through.objects.filter(agency_id__in=agency_ids).values_list("agency_id", "coursepage_id"))
    by_agency = defaultdict(set)
    for agency_id, course_id in pairs:
        by_agency[agency_id].add(course_id)
    course_ids = {course_id for _agency, course_id in pairs}
    courses = list(CoursePage.objects.filter(pk__in=course_ids).order_by("code"))
    return courses, by_agency


def matrix_cell(line, required):
    """What the matrix shows for one person and one course."""
    if not required:
        return MatrixCell(required=False, label="—")
    if line is None:
        return MatrixCell(required=True, status="not_enrolled", label=pgettext("tracking", "Not enrolled"))
    if line.certificate is not None:
        cert = line.certificate
        return MatrixCell(required=True, status=cert.status, label=cert.status_label, expires_on=cert.expires_on)
    if line.completed_at is not None:
        return MatrixCell(required=True, status="completed", label=pgettext("tracking", "Completed, no certificate"))
    if line.cycle is not None:
        return MatrixCell(required=True, status="in_progress", label=pgettext("tracking", "In progress (%(percent)s%%)") % {
            "percent": line.progress or 0
        })
    return MatrixCell(required=True, status="not_enrolled", label=pgettext("tracking", "Not enrolled"))


def matrix_cells(person, courses, by_agency):
    agency_id = person.agency.pk if person.agency else None
    lines = {line.course_id: line for line in person.lines}
    return [matrix_cell(lines.get(course.pk), course.pk in by_agency.get(agency_id, ())) for course in courses]


__all__ = ["Certificate", "Enrollment", "decorate", "iter_batches", "matrix_cells", "required_courses"]
