"""Per-person detail: each person's courses, progress and certificates, and
the certification matrix. Built for a page or a batch of people at a time
with a fixed number of queries per batch, so a 100,000-person export
streams in constant memory."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import pgettext

from certificates.models import Status
from courses.models import CoursePage, StepCompletion
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
        self._labels = {}
        self._required = {}

    def load(self, ids):
        missing = [pk for pk in ids if pk not in self._courses]
        if missing:
            for course in CoursePage.objects.filter(pk__in=missing):
                self._courses[course.pk] = course
                self._labels[course.pk] = (course.code, course.title)
        return self

    def course(self, pk):
        return self._courses.get(pk)

    def label(self, pk):
        """(code, title in the active language) of a course."""
        return self._labels.get(pk, ("", ""))

    def required(self, pk):
        if pk not in self._required:
            course = self._courses.get(pk)
            self._required[pk] = set(required_step_ids(course)) if course is not None else set()
        return self._required[pk]


def best_certificate(certs):
    """The certificate that speaks for a person and course: a current one
    (latest expiry first), else the latest issued. ``certs`` are rows
    (pk, serial, issued_on, expires_on, status) with the status of the
    certificates queryset (``with_status``)."""
    if not certs:
        return None
    current = [c for c in certs if c[4] == Status.VALID]
    if current:
        return max(current, key=lambda c: (c[3] is None, c[3] or c[2], c[0]))
    return max(certs, key=lambda c: (c[2], c[0]))


def decorate(users, criteria, courses=None):
    """PersonRows for a list of users (one page or one batch): three queries
    (enrolments, step counts, certificates) plus the course cache. Rows are
    read as tuples, not model instances: an export decorates 100,000 people."""
    courses = courses or CourseCache()
    users = list(users)
    ids = [user.pk for user in users]
    if not ids:
        return []
    today = criteria.today
    enrolment_rows = list(
        enrollments(criteria)
        .filter(user_id__in=ids)
        .values_list("pk", "user_id", "course_id", "cycle", "enrolled_at", "completed_at")
    )
    cert_rows = list(
        certificates(criteria)
        .filter(holder_id__in=ids)
        .with_status(today)
        .order_by()
        .values_list("holder_id", "course_id", "pk", "serial", "issued_on", "expires_on", "status_code")
    )
    courses.load({row[2] for row in enrolment_rows} | {row[1] for row in cert_rows if row[1]})
    required = set()
    for course_id in {row[2] for row in enrolment_rows}:
        required |= courses.required(course_id)
    done = {}
    open_ids = [row[0] for row in enrolment_rows if row[5] is None]
    if open_ids and required:
        done = dict(
            StepCompletion.objects.filter(enrollment_id__in=open_ids, page_id__in=required)
            .values("enrollment_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("enrollment_id", "n")
        )
    totals = {}
    lines_by_user = defaultdict(dict)
    for pk, user_id, course_id, cycle, enrolled_at, completed_at in enrolment_rows:
        if course_id not in totals:
            totals[course_id] = len(courses.required(course_id))
        code, title = courses.label(course_id)
        lines_by_user[user_id][course_id] = CourseLine(
            course_id=course_id,
            code=code,
            title=title,
            cycle=cycle,
            enrolled_at=enrolled_at,
            completed_at=completed_at,
            progress=percent_complete(done.get(pk, 0), totals[course_id], completed_at),
        )
    certs_by = defaultdict(list)
    for holder_id, course_id, *rest in cert_rows:
        certs_by[(holder_id, course_id)].append(rest)
    for (user_id, course_id), certs in certs_by.items():
        _pk, serial, issued_on, expires_on, status = best_certificate(certs)
        line = lines_by_user[user_id].get(course_id)
        if line is None:
            code, title = courses.label(course_id)
            line = CourseLine(course_id=course_id, code=code, title=title)
            lines_by_user[user_id][course_id] = line
        line.certificate = CertificateInfo(serial, status, issued_on, expires_on)
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
        return MatrixCell(
            required=True,
            status="in_progress",
            label=pgettext("tracking", "In progress (%(percent)s%%)") % {"percent": line.progress or 0},
        )
    return MatrixCell(required=True, status="not_enrolled", label=pgettext("tracking", "Not enrolled"))


def matrix_cells(person, courses, by_agency):
    agency_id = person.agency.pk if person.agency else None
    lines = {line.course_id: line for line in person.lines}
    return [matrix_cell(lines.get(course.pk), course.pk in by_agency.get(agency_id, ())) for course in courses]
