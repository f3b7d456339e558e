"""The fixture world of the access matrix: two agencies, one person in each
role, and one of every object a URL names, all owned by trainee A or
agency A. Built once per test module (see test_access_matrix.py).

Nothing here renders a real PDF or runs a background task: the certificate
PDF and the bulk ZIP are a few stored bytes.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from courses import progress
from courses.models import ModulePage
from tests.courses.factories import make_course
from tests.factories import (
    AgencyFactory,
    make_administrator,
    make_coordinator,
    make_instructor,
    make_trainee,
    make_user,
)
from tests.practice.factories import make_exercise
from tests.quizzes.factories import make_question, make_quiz

#: The columns of the matrix, in the order the table's cells are written.
ROLES = (
    "anonymous",
    "trainee_a",
    "trainee_b",
    "coordinator_a",
    "coordinator_b",
    "instructor",
    "administrator",
    "superuser",
)

#: An id that names nothing (but is small enough for every converter).
UNKNOWN_ID = 987654321


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    files: list = field(default_factory=list)
    sessions: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def build_world():
    from certificates.models import Certificate, CertificateTemplate, CourseCertificateSettings
    from courses.models import CourseIndexPage
    from lms.site_setup import ensure_site
    from onboarding.assignments import assign_course
    from onboarding.models import ImportBatch, Registration, RegistrationStatus
    from practice.attempts import start_attempt as start_practice
    from quizzes.attempts import start_attempt as start_quiz
    from quizzes.models import QuestionCategory
    from tracking.models import BulkExport, ExportStatus

    ensure_site()
    index = CourseIndexPage.objects.get()
    agency_a = AgencyFactory(acronym="MXA", country="US")
    agency_b = AgencyFactory(acronym="MXB", country="MX")
    users = {
        "trainee_a": make_trainee(agency=agency_a, first_name="Ana", last_name="Alpha"),
        "trainee_b": make_trainee(agency=agency_b, first_name="Beto", last_name="Beta"),
        "coordinator_a": make_coordinator(agency=agency_a, first_name="Carla", last_name="Alpha"),
        "coordinator_b": make_coordinator(agency=agency_b, first_name="Carlos", last_name="Beta"),
        "instructor": make_instructor(agency=agency_a, first_name="Iris", last_name="Other"),
        "administrator": make_administrator(first_name="Adela", last_name="Admin"),
        "superuser": make_user(role=None, first_name="Sú", last_name="Per", is_superuser=True, is_staff=True),
    }

    course = make_course(index, code="MX-1", modules=1, lessons=1, title="Matrix course")
    other_course = make_course(index, code="MX-2", modules=1, lessons=1, title="Other course")
    other_course.instructors.add(users["instructor"])
    module = ModulePage.objects.child_of(course).first()
    quiz = make_quiz(module, questions=2)
    exercise = make_exercise(module)
    lesson = module.get_children().live().first()

    trainee_a = users["trainee_a"]
    enrollment = progress.enroll(trainee_a, course)
    progress.enroll(users["trainee_b"], course)
    quiz_attempt = start_quiz(trainee_a, quiz)
    practice_attempt = start_practice(trainee_a, exercise)
    task = exercise.entry_tasks.first()
    record = exercise.records.filter(attempt__isnull=True).order_by("pk").first()

    certificate = Certificate.objects.create(
        serial="MX-000001",
        code="matrix-code-" + "x" * 20,
        enrollment=enrollment,
        holder=trainee_a,
        course=course,
        holder_name=trainee_a.get_full_name(),
        course_code=course.code,
        course_title_en=course.title_en,
        course_title_es=course.title_es,
        credit_hours=course.credit_hours,
        language="en",
        issued_at=timezone.now() - datetime.timedelta(days=3),
        issued_on=timezone.localdate() - datetime.timedelta(days=3),
        expires_on=timezone.localdate() + datetime.timedelta(days=300),
        sha256="",
        pdf=Certificate._meta.get_field("pdf").storage.save("matrix-MX-000001.pdf", ContentFile(b"%PDF-1.7 matrix")),
    )

    applicant = make_user(role=None, agency=agency_a, first_name="Pending", last_name="Alpha")
    applicant.is_active = False
    applicant.save()
    registration = Registration.objects.create(user=applicant, agency=agency_a, status=RegistrationStatus.PENDING)
    batch = ImportBatch.objects.create(agency=agency_a, imported_by=users["coordinator_a"], filename="a.csv")
    assignment = assign_course(
        actor=users["coordinator_a"], agency=agency_a, course=course, people=[trainee_a]
    ).assignments[0]

    export = BulkExport.objects.create(requested_by=users["coordinator_a"], status=ExportStatus.DONE)
    export.file.save("matrix-export.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=True)

    template = CertificateTemplate.objects.create(name="Matrix template", heading_en="Record", heading_es="Constancia")
    course_settings = CourseCertificateSettings.objects.create(course=course, template=template)

    category = QuestionCategory.objects.create(name_en="Matrix", name_es="Matriz")
    question = make_question(n=99, category=category)

    world = World(users=users)
    world.files = [certificate.pdf, export.file]
    world.objects.update(
        agency_a=agency_a,
        agency_b=agency_b,
        course=course,
        other_course=other_course,
        module=module,
        lesson=lesson,
        quiz=quiz,
        exercise=exercise,
        enrollment=enrollment,
        quiz_attempt=quiz_attempt,
        practice_attempt=practice_attempt,
        task=task,
        record=record,
        certificate=certificate,
        applicant=applicant,
        registration=registration,
        batch=batch,
        assignment=assignment,
        export=export,
        template=template,
        course_settings=course_settings,
        category=category,
        question=question,
        person=trainee_a,
    )
    return world


def remove_files(world):
    for stored in world.files:
        try:
            stored.storage.delete(stored.name)
        except OSError:
            pass


def user_model():
    return get_user_model()
