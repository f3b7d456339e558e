"""A synthetic population for benchmarks and demos: agencies, trainees,
enrolments, step completions and certificates with realistic dates.

Rows are written with ``bulk_create`` in batches and no certificate PDF is
rendered (``pdf`` and ``sha256`` stay empty), so 100,000 trainees take
minutes on PostgreSQL. Synthetic people are recognisable by their e-mail
domain (``@synthetic.invalid``) and username (``synth-000001``); the
command refuses to run on a database with real people unless forced, and
``delete_population`` removes exactly what was generated.
"""

import contextlib
import datetime
import random
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone, translation

from certificates.models import Certificate, SentReminder, add_months
from courses.models import (
    CourseIndexPage,
    CoursePage,
    Enrollment,
    LessonPage,
    ModulePage,
    StepCompletion,
)
from courses.progress import required_step_ids
from lms.models import Agency, AgencyLevel, Country, Profile
from lms.roles import TRAINEES

DOMAIN = "synthetic.invalid"
PREFIX = "synth-"
AGENCY_PREFIX = "SYN-"
COURSE_PREFIX = "SYN-"
SERIAL_PREFIX = "SYN-"

FIRST_EN = [
    "James",
    "Mary",
    "Robert",
    "Linda",
    "Michael",
    "Sarah",
    "David",
    "Karen",
    "Daniel",
    "Laura",
    "Kevin",
    "Emily",
    "Brian",
    "Megan",
    "Jason",
    "Rachel",
    "Eric",
    "Amanda",
    "Ryan",
    "Nicole",
]
FIRST_ES = [
    "José",
    "María",
    "Juan",
    "Guadalupe",
    "Luis",
    "Fernanda",
    "Carlos",
    "Sofía",
    "Miguel",
    "Andrea",
    "Jorge",
    "Daniela",
    "Alejandro",
    "Valeria",
    "Ricardo",
    "Ximena",
    "Héctor",
    "Paola",
    "Raúl",
    "Itzel",
]
LAST = [
    "García",
    "Smith",
    "Hernández",
    "Johnson",
    "Martínez",
    "Williams",
    "López",
    "Brown",
    "González",
    "Jones",
    "Rodríguez",
    "Miller",
    "Pérez",
    "Davis",
    "Sánchez",
    "Wilson",
    "Ramírez",
    "Moore",
    "Torres",
    "Taylor",
    "Flores",
    "Anderson",
    "Rivera",
    "Thomas",
    "Gómez",
    "Jackson",
    "Díaz",
    "White",
    "Cruz",
    "Harris",
]


def synthetic_users():
    return get_user_model().objects.filter(email__endswith="@" + DOMAIN)


def real_users(allowed_usernames=()):
    """Users neither generated here nor in ``allowed_usernames`` (the demo users)."""
    return get_user_model().objects.exclude(email__endswith="@" + DOMAIN).exclude(username__in=list(allowed_usernames))


@contextlib.contextmanager
def keep_given_dates():
    """Let bulk_create write the dates we give instead of ``auto_now_add``'s now."""
    fields = [Enrollment._meta.get_field("enrolled_at"), StepCompletion._meta.get_field("completed_at")]
    saved = [f.auto_now_add for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in zip(fields, saved, strict=True):
            f.auto_now_add = value


@dataclass
class Stats:
    agencies: int = 0
    courses: int = 0
    trainees: int = 0
    enrollments: int = 0
    completions: int = 0
    certificates: int = 0
    revoked: int = 0
    extra: dict = field(default_factory=dict)

    def __str__(self):
        return (
            f"{self.trainees} trainees, {self.enrollments} enrolments, {self.completions} step completions, "
            f"{self.certificates} certificates ({self.revoked} revoked) in {self.agencies} agencies "
            f"and {self.courses} courses"
        )


# ------------------------------------------------------------------ agencies and courses


def ensure_agencies(count):
    """``count`` synthetic agencies of both countries and every level."""
    levels = [AgencyLevel.FEDERAL, AgencyLevel.STATE, AgencyLevel.STATE, AgencyLevel.LOCAL, AgencyLevel.LOCAL]
    agencies = []
    for n in range(1, count + 1):
        country = Country.US if n % 2 else Country.MX
        level = levels[n % len(levels)]
        agency, _created = Agency.objects.get_or_create(
            acronym=f"{AGENCY_PREFIX}{n:03d}",
            defaults={
                "name_en": f"Synthetic {level.label} agency {n} ({country})",
                "name_es": f"Dependencia sintética {n} ({country})",
                "country": country,
                "level": level,
            },
        )
        agencies.append(agency)
    return agencies


def ensure_courses(count, agencies, rng):
    """Live courses to enrol in: the existing ones, or ``count`` synthetic
    courses (one module, three lessons each) when there are none. Synthetic
    courses are required by a random half of the agencies."""
    existing = list(CoursePage.objects.live().order_by("code"))
    if existing:
        return existing
    from lms.site_setup import ensure_site

    ensure_site()
    index = CourseIndexPage.objects.get()
    courses = []
    with translation.override("en"):
        for n in range(1, count + 1):
            code = f"{COURSE_PREFIX}{100 * n}"
            course = CoursePage(
                title_en=f"Synthetic course {n}",
                title_es=f"Curso sintético {n}",
                slug_en=f"synthetic-{n}",
                slug_es=f"sintetico-{n}",
                code=code,
                summary_en="Generated for benchmarks.",
                summary_es="Generado para pruebas de rendimiento.",
                credit_hours=Decimal("2.0"),
                validity_months=[12, 24, 24, 36][n % 4],
            )
            index.add_child(instance=course)
            course.save_revision().publish()
            module = ModulePage(title_en="Module 1", title_es="Módulo 1", slug_en="module-1", slug_es="modulo-1")
            course.add_child(instance=module)
            module.save_revision().publish()
            for m in range(1, 4):
                lesson = LessonPage(
                    title_en=f"Lesson {m}", title_es=f"Lección {m}", slug_en=f"lesson-{m}", slug_es=f"leccion-{m}"
                )
                module.add_child(instance=lesson)
                lesson.save_revision().publish()
            through = CoursePage.required_by.through
            through.objects.bulk_create(
                [through(coursepage_id=course.pk, agency_id=a.pk) for a in agencies if rng.random() < 0.5]
            )
            courses.append(course)
    return courses


# ------------------------------------------------------------------ people


def _weights(n):
    return [1 / (i + 1) ** 0.8 for i in range(n)]


def generate(trainees, *, agencies, courses, seed=2026, batch_size=5000, prefix=PREFIX, now=None, log=None):
    """Create ``trainees`` synthetic trainees spread over ``agencies`` with
    enrolments in ``courses``. Not idempotent: every call adds people
    (numbered after the existing ones with the same prefix)."""
    rng = random.Random(seed)
    now = now or timezone.now()
    stats = Stats(agencies=len(agencies), courses=len(courses))
    User = get_user_model()
    trainee_group = Group.objects.get(name=TRAINEES)
    password = make_password(None)
    start = User.objects.filter(username__startswith=prefix, email__endswith="@" + DOMAIN).count()
    weights = _weights(len(agencies))
    required = {course.pk: set(course.required_by.values_list("pk", flat=True)) for course in courses}
    steps = {course.pk: sorted(required_step_ids(course)) for course in courses}
    with keep_given_dates():
        done = 0
        while done < trainees:
            size = min(batch_size, trainees - done)
            with transaction.atomic():
                _batch(
                    rng,
                    start + done,
                    size,
                    agencies,
                    weights,
                    courses,
                    required,
                    steps,
                    trainee_group,
                    password,
                    prefix,
                    now,
                    stats,
                )
            done += size
            if log:
                log(f"  {done}/{trainees} trainees")
    return stats


def _batch(rng, offset, size, agencies, weights, courses, required, steps, group, password, prefix, now, stats):
    User = get_user_model()
    people = []
    for i in range(offset + 1, offset + size + 1):
        agency = rng.choices(agencies, weights)[0]
        spanish = agency.country == Country.MX
        first = rng.choice(FIRST_ES if spanish or rng.random() < 0.2 else FIRST_EN)
        last = rng.choice(LAST)
        username = f"{prefix}{i:06d}"
        joined = now - datetime.timedelta(days=rng.uniform(30, 4 * 365))
        people.append(
            (
                User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@{DOMAIN}",
                    password=password,
                    is_active=rng.random() > 0.02,
                    date_joined=joined,
                ),
                agency,
                "es" if spanish and rng.random() < 0.9 else "en",
            )
        )
    users = User.objects.bulk_create([person[0] for person in people], batch_size=2000)
    Profile.objects.bulk_create(
        [
            Profile(user=user, agency=agency, preferred_language=lang)
            for user, (_u, agency, lang) in zip(users, people, strict=True)
        ],
        batch_size=2000,
    )
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=group.pk) for user in users], batch_size=5000
    )
    stats.trainees += len(users)

    enrolments, outcomes = [], []
    for user, (_u, agency, lang) in zip(users, people, strict=True):
        for course in courses:
            chance = 0.8 if agency.pk in required[course.pk] else 0.25
            if rng.random() >= chance:
                continue
            enrolled = now - datetime.timedelta(days=rng.uniform(0, 3 * 365 + 90), minutes=rng.randint(0, 1440))
            completed = None
            if rng.random() < 0.68:
                completed = enrolled + datetime.timedelta(days=rng.uniform(0.1, 60))
                if completed > now:
                    completed = None
            enrolment = Enrollment(
                user=user,
                course=course,
                cycle=1,
                enrolled_at=enrolled,
                completed_at=completed,
                last_activity_at=completed or enrolled + datetime.timedelta(days=rng.uniform(0, 20)),
                is_current=True,
            )
            enrolments.append(enrolment)
            outcomes.append((user, lang, course))
    Enrollment.objects.bulk_create(enrolments, batch_size=2000)
    stats.enrollments += len(enrolments)

    completions, certificates = [], []
    for enrolment, (user, lang, course) in zip(enrolments, outcomes, strict=True):
        if enrolment.completed_at is None:
            course_steps = steps[course.pk]
            for page_id in course_steps[: rng.randint(0, max(len(course_steps) - 1, 0))]:
                completions.append(
                    StepCompletion(enrollment=enrolment, page_id=page_id, completed_at=enrolment.last_activity_at)
                )
            continue
        if rng.random() >= 0.97:
            continue  # completed, certificate not issued (yet)
        issued_at = enrolment.completed_at + datetime.timedelta(minutes=rng.randint(1, 30))
        issued_on = timezone.localtime(issued_at).date()
        revoked = rng.random() < 0.02
        certificates.append(
            Certificate(
                serial=f"{SERIAL_PREFIX}{user.pk}-{course.pk}",
                code=secrets.token_urlsafe(24),
                enrollment=enrolment,
                holder=user,
                course=course,
                holder_name=f"{user.first_name} {user.last_name}",
                course_code=course.code,
                course_title_en=course.title_en or course.title,
                course_title_es=course.title_es or course.title_en or course.title,
                credit_hours=course.credit_hours,
                language=lang,
                issued_at=issued_at,
                issued_on=issued_on,
                expires_on=add_months(issued_on, course.validity_months or 24),
                pdf="",
                sha256="",
                revoked_at=issued_at + datetime.timedelta(days=rng.uniform(1, 200)) if revoked else None,
                revocation_reason="Synthetic revocation" if revoked else "",
            )
        )
        stats.revoked += revoked
    StepCompletion.objects.bulk_create(completions, batch_size=5000)
    Certificate.objects.bulk_create(certificates, batch_size=2000)
    stats.completions += len(completions)
    stats.certificates += len(certificates)


def analyze():
    """Refresh the planner's statistics after a bulk load (PostgreSQL), so
    the first reports do not run on plans made for empty tables."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (get_user_model(), Profile, Enrollment, StepCompletion, Certificate)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')


# ------------------------------------------------------------------ clean-up


def delete_population(prefix=PREFIX, delete_agencies=True):
    """Delete the synthetic people whose username starts with ``prefix`` and
    everything generated for them; then synthetic agencies and courses left
    without people. Returns the number of people deleted. Safe to call twice."""
    users = synthetic_users().filter(username__startswith=prefix)
    user_ids = users.values("pk")
    with transaction.atomic():
        certificates = Certificate.objects.filter(holder__in=user_ids)
        SentReminder.objects.filter(certificate__in=certificates.values("pk")).delete()
        certificates.filter(superseded_by__isnull=False).update(superseded_by=None)
        certificates._raw_delete(certificates.db)
        StepCompletion.objects.filter(enrollment__user__in=user_ids)._raw_delete(StepCompletion.objects.db)
        Certificate.objects.filter(enrollment__user__in=user_ids).update(enrollment=None)
        Enrollment.objects.filter(user__in=user_ids)._raw_delete(Enrollment.objects.db)
        Profile.objects.filter(user__in=user_ids)._raw_delete(Profile.objects.db)
        through = get_user_model().groups.through
        through.objects.filter(user__in=user_ids)._raw_delete(through.objects.db)
        count = users.count()
        users.delete()
        if delete_agencies and not synthetic_users().exists():
            for course in CoursePage.objects.filter(code__startswith=COURSE_PREFIX):
                if not course.enrollments.exists():
                    course.delete()
            Agency.objects.filter(acronym__startswith=AGENCY_PREFIX, profiles__isnull=True).delete()
    return count
