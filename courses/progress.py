"""Enrolment and completion: the one place that decides progress.

Every function here takes explicit arguments, runs in a transaction and is
safe to call twice; views and other apps (quizzes, certificates) call these
instead of touching Enrollment or StepCompletion themselves.
"""

from dataclasses import dataclass, field
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, get_page_models

from . import permissions
from .exceptions import EnrollmentRefused, NotAStep, NotEnrolled, StepNotAvailable
from .models import Audience, CoursePage, Enrollment, ModulePage, StepCompletion, StepPage
from .signals import course_completed


def step_models():
    return [model for model in get_page_models() if issubclass(model, StepPage)]


# ---------------------------------------------------------------- outline


@dataclass
class Step:
    page_id: int
    title: str
    url_path: str
    is_required: bool
    estimated_minutes: int
    kind: str
    page: Page = field(repr=False, default=None)


@dataclass
class Module:
    page: ModulePage
    steps: list


@dataclass
class Outline:
    course: CoursePage
    modules: list

    @property
    def steps(self):
        return [step for module in self.modules for step in module.steps]

    @property
    def required_ids(self):
        return {step.page_id for step in self.steps if step.is_required}


def course_outline(course):
    """The live modules and steps of ``course`` in tree order.

    A constant number of queries whatever the size of the course: one for the
    modules and one per step type.
    """
    modules = list(ModulePage.objects.live().child_of(course).order_by("path"))
    steps = []
    for model in step_models():
        steps.extend(model.objects.live().descendant_of(course))
    steps.sort(key=lambda page: page.path)
    by_module = {module.path: Module(page=module, steps=[]) for module in modules}
    for page in steps:
        module = by_module.get(page.path[: -page.steplen])
        if module is None:
            continue
        module.steps.append(
            Step(
                page_id=page.pk,
                title=page.title,
                url_path=page.url_path,
                is_required=page.is_required,
                estimated_minutes=page.estimated_minutes,
                kind=page._meta.model_name,
                page=page,
            )
        )
    return Outline(course=course, modules=list(by_module.values()))


# ---------------------------------------------------------------- progress


@dataclass
class ModuleProgress:
    module: Module
    done: int
    total: int

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 100


@dataclass
class Progress:
    outline: Outline
    enrollment: Enrollment
    completed_ids: set
    modules: list

    @property
    def required_total(self):
        return len(self.outline.required_ids)

    @property
    def required_done(self):
        return len(self.outline.required_ids & self.completed_ids)

    @property
    def percent(self):
        if self.enrollment is not None and self.enrollment.completed_at:
            return 100
        total = self.required_total
        return round(100 * self.required_done / total) if total else 0

    @property
    def next_step(self):
        """The first step not done yet, required ones first."""
        steps = self.outline.steps
        for step in steps:
            if step.is_required and step.page_id not in self.completed_ids:
                return step
        for step in steps:
            if step.page_id not in self.completed_ids:
                return step
        return None

    @property
    def resume_step(self):
        """Where "continue where you left off" leads."""
        last_id = self.enrollment.last_step_id if self.enrollment else None
        if last_id and last_id not in self.completed_ids:
            for step in self.outline.steps:
                if step.page_id == last_id:
                    return step
        return self.next_step

    def is_done(self, page_id):
        return page_id in self.completed_ids


def progress_for(enrollment, outline=None):
    """Progress of one enrolment (None for "not enrolled")."""
    if outline is None:
        outline = course_outline(enrollment.course)
    completed = set()
    if enrollment is not None:
        completed = set(enrollment.completions.values_list("page_id", flat=True))
    modules = []
    for module in outline.modules:
        required = [step for step in module.steps if step.is_required]
        modules.append(
            ModuleProgress(
                module=module, done=sum(1 for step in required if step.page_id in completed), total=len(required)
            )
        )
    return Progress(outline=outline, enrollment=enrollment, completed_ids=completed, modules=modules)


def current_enrollment(user, course):
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(user=user, course=course, is_current=True).first()


# ---------------------------------------------------------------- enrolment


def check_can_enroll(user, course):
    """Raise EnrollmentRefused with the reason ``user`` may not take ``course``."""
    if not course.live:
        raise EnrollmentRefused(_("This course is not published."))
    if not user.is_active:
        raise EnrollmentRefused(_("This account is inactive."))
    if course.audience == Audience.RESTRICTED:
        agency_id = getattr(getattr(user, "profile", None), "agency_id", None)
        if agency_id is None or not course.agencies.filter(pk=agency_id).exists():
            raise EnrollmentRefused(_("This course is open only to trainees of the agencies it lists."))
    missing = course.prerequisites.exclude(
        enrollments__user=user, enrollments__completed_at__isnull=False
    ).values_list("title", flat=True)
    missing = list(missing)
    if missing:
        raise EnrollmentRefused(
            _("Complete these courses first: %(courses)s.") % {"courses": ", ".join(missing)}
        )


def enroll(user, course, actor=None):
    """Enrol ``user`` in ``course`` (``actor`` enrols them; default themselves).

    Safe to call twice: an existing current enrolment is returned unchanged.
    Raises EnrollmentRefused when the actor may not enrol the user or the
    user may not take the course.
    """
    actor = actor or user
    if not permissions.may_enroll(actor, user):
        raise EnrollmentRefused(_("You may not enrol this person."))
    check_can_enroll(user, course)
    try:
        with transaction.atomic():
            enrollment, created = Enrollment.objects.get_or_create(
                user=user,
                course=course,
                is_current=True,
                defaults={"enrolled_by": actor, "cycle": _next_cycle(user, course)},
            )
            if created:
                log(instance=enrollment, action="courses.enroll", user=actor)
    except IntegrityError:
        # A concurrent request enrolled them first.
        enrollment = Enrollment.objects.get(user=user, course=course, is_current=True)
    return enrollment


def _next_cycle(user, course):
    last = Enrollment.objects.filter(user=user, course=course).aggregate(last=Max("cycle"))["last"]
    return (last or 0) + 1


@transaction.atomic
def start_new_cycle(user, course, actor=None):
    """Close the completed current enrolment and open the next cycle.

    The old enrolment, its completions and anything attached to it stay as
    history. Calling it twice opens one new cycle only: the second call finds
    the new, incomplete cycle and returns it.
    """
    actor = actor or user
    if not permissions.may_enroll(actor, user):
        raise EnrollmentRefused(_("You may not enrol this person."))
    current = Enrollment.objects.select_for_update().filter(user=user, course=course, is_current=True).first()
    if current is None:
        return enroll(user, course, actor=actor)
    if current.completed_at is None:
        return current
    check_can_enroll(user, course)
    Enrollment.objects.filter(pk=current.pk).update(is_current=False)
    enrollment = Enrollment.objects.create(
        user=user, course=course, cycle=current.cycle + 1, enrolled_by=actor, is_current=True
    )
    log(instance=enrollment, action="courses.new_cycle", user=actor)
    return enrollment


# ---------------------------------------------------------------- completion


def complete_step(user, page, score=None):
    """Record that ``user`` completed the step ``page``.

    Records one StepCompletion per enrolment and step (a second call returns
    the first record unchanged). When every required step is done, stamps
    the enrolment complete exactly once and sends ``course_completed`` after
    the transaction commits. Refuses pages that are not live steps and users
    who are not enrolled.
    """
    page = page.specific
    if not isinstance(page, StepPage):
        raise NotAStep()
    if not page.live:
        raise StepNotAvailable()
    course = page.get_course()
    if course is None or not course.live:
        raise StepNotAvailable()
    with transaction.atomic():
        # Locking the enrolment row serialises concurrent completions of one
        # trainee, so the "all required steps done" check below sees them all.
        enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course, is_current=True).first()
        if enrollment is None:
            raise NotEnrolled()
        completion, created = StepCompletion.objects.get_or_create(
            enrollment=enrollment, page_id=page.pk, defaults={"score": score}
        )
        now = timezone.now()
        Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=now, last_step_id=page.pk)
        if created and enrollment.completed_at is None:
            required = set()
            for model in step_models():
                required.update(
                    model.objects.live().descendant_of(course).filter(is_required=True).values_list("pk", flat=True)
                )
            done = set(enrollment.completions.values_list("page_id", flat=True))
            if required <= done:
                stamped = Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(
                    completed_at=now, completed_revision_id=course.live_revision_id
                )
                if stamped:
                    enrollment.refresh_from_db()
                    log(instance=enrollment, action="courses.complete", user=user)
                    transaction.on_commit(
                        partial(course_completed.send, sender=Enrollment, enrollment=enrollment)
                    )
    return completion


def record_visit(user, page):
    """Remember ``page`` as the trainee's resume point (one UPDATE)."""
    course_id = CoursePage.objects.ancestor_of(page).values_list("pk", flat=True).first()
    if course_id is None or not user.is_authenticated:
        return 0
    return Enrollment.objects.filter(user=user, course_id=course_id, is_current=True).update(
        last_step_id=page.pk, last_activity_at=timezone.now()
    )
