"""Enrolment and completion: the one place that decides progress.

Every function here takes explicit arguments, runs in a transaction and is
safe to call twice; views and other apps (quizzes, certificates) call these
instead of touching Enrollment or StepCompletion themselves.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property, partial

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import permissions
from .exceptions import EnrollmentRefused, NotAStep, NotEnrolled, StepLocked, StepNotAvailable
from .models import Audience, CoursePage, Enrollment, StepCompletion, StepPage
from .signals import course_completed
from .structure import (  # noqa: F401 - re-exported: other apps import them from here
    Module,
    Outline,
    Step,
    outline_of,
    step_models,
)

# ---------------------------------------------------------------- progress


def percent_complete(done, total, completed_at=None):
    """The one rule for a course percentage: a completed enrolment is 100 %,
    otherwise the share of required steps done (0 when there are none)."""
    if completed_at is not None:
        return 100
    return round(100 * done / total) if total else 0


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
    #: {page id: when it was completed}, where the caller loaded it (progress_of).
    completed_at: dict = None

    @cached_property
    def new_ids(self):
        """Ids of the steps not done yet that were first published after the
        trainee's last completion in their module (or, with none there, after
        the enrolment): steps added while the trainee was in the course
        (docs/decisions/0006-authoring-in-running-courses.md). Empty when not
        enrolled or when completion times were not loaded."""
        if self.enrollment is None or self.completed_at is None:
            return set()
        new = set()
        for module in self.outline.modules:
            times = [self.completed_at[s.page_id] for s in module.steps if s.page_id in self.completed_at]
            since = max([self.enrollment.enrolled_at, *times])
            for step in module.steps:
                if step.page_id in self.completed_ids or not step.first_published_at:
                    continue
                if datetime.fromisoformat(step.first_published_at) > since:
                    new.add(step.page_id)
        return new

    @cached_property
    def required_total(self):
        return len(self.outline.required_ids)

    @cached_property
    def required_done(self):
        return len(self.outline.required_ids & self.completed_ids)

    @property
    def percent(self):
        completed_at = self.enrollment.completed_at if self.enrollment is not None else None
        return percent_complete(self.required_done, self.required_total, completed_at)

    def module_progress(self, module_id):
        for module in self.modules:
            if module.module.id == module_id:
                return module
        return None

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
        if last_id and last_id not in self.completed_ids and last_id not in self.blockers:
            for step in self.outline.steps:
                if step.page_id == last_id:
                    return step
        return self.next_step

    def is_done(self, page_id):
        return page_id in self.completed_ids

    @cached_property
    def blockers(self):
        """{page id: the step to complete first} for every locked step.

        A step not done yet is locked when its course is sequential and a
        required step of an earlier module is not done, or when its module is
        sequential and a required step before it in the module is not done.
        A completed enrolment locks nothing. One pass over the outline.
        """
        if self.enrollment is not None and self.enrollment.completed_at is not None:
            return {}
        locked = {}
        missing_before_module = None
        for module in self.outline.modules:
            missing_in_module = None
            for step in module.steps:
                done = step.page_id in self.completed_ids
                if not done:
                    if step.course_sequential and missing_before_module is not None:
                        locked[step.page_id] = missing_before_module
                    elif step.sequential and missing_in_module is not None:
                        locked[step.page_id] = missing_in_module
                    if step.is_required and missing_in_module is None:
                        missing_in_module = step
            if missing_before_module is None:
                missing_before_module = missing_in_module
        return locked

    def blocker(self, page_id):
        """The step that must be completed before ``page_id`` opens, or None."""
        return self.blockers.get(page_id)


def progress_for(enrollment, outline=None):
    """Progress of one enrolment (None for "not enrolled")."""
    if outline is None:
        outline = outline_of(enrollment.course)
    completed = set()
    if enrollment is not None:
        completed = set(enrollment.completions.values_list("page_id", flat=True))
    return _progress(outline, enrollment, completed)


_ENROLLMENT_FIELDS = None


def _enrollment_fields():
    global _ENROLLMENT_FIELDS
    if _ENROLLMENT_FIELDS is None:
        _ENROLLMENT_FIELDS = [f.attname for f in Enrollment._meta.concrete_fields]
    return _ENROLLMENT_FIELDS


def _current_enrollment_with_completions(user, course):
    """(the current enrolment or None, {completed page id: when}) in one query:
    the enrolment LEFT JOINed with its completions, one row per completion."""
    fields = _enrollment_fields()
    rows = Enrollment.objects.filter(user=user, course=course, is_current=True).values_list(
        *fields, "completions__page_id", "completions__completed_at"
    )
    enrollment = None
    completed = {}
    for row in rows:
        if enrollment is None:
            enrollment = Enrollment.from_db(rows.db, fields, row[:-2])
        if row[-2] is not None:
            completed[row[-2]] = row[-1]
    return enrollment, completed


def progress_of(user, course, outline=None):
    """Progress of ``user`` in ``course`` (enrolment None when not enrolled).

    One query (the current enrolment joined with its completions) plus the
    structure row of the course, whatever its size. Read-only.
    """
    if outline is None:
        outline = outline_of(course)
    enrollment = None
    completed_at = {}
    if user.is_authenticated:
        enrollment, completed_at = _current_enrollment_with_completions(user, course)
    state = _progress(outline, enrollment, set(completed_at))
    state.completed_at = completed_at
    return state


def progress_for_many(enrollments):
    """{enrolment id: Progress} for several enrolments: one query for all their
    completions plus the structure row of each course. Read-only."""
    enrollments = list(enrollments)
    done = {enrollment.pk: set() for enrollment in enrollments}
    if done:
        for enrollment_id, page_id in StepCompletion.objects.filter(enrollment_id__in=done).values_list(
            "enrollment_id", "page_id"
        ):
            done[enrollment_id].add(page_id)
    outlines = {}
    result = {}
    for enrollment in enrollments:
        if enrollment.course_id not in outlines:
            outlines[enrollment.course_id] = outline_of(enrollment.course)
        result[enrollment.pk] = _progress(outlines[enrollment.course_id], enrollment, done[enrollment.pk])
    return result


def required_step_ids(course):
    """Ids of the live required steps of ``course`` (from its structure row)."""
    return outline_of(course).required_ids


def with_progress(enrollments, course):
    """Annotate a queryset of ``course``'s enrolments with ``required_done``.

    One aggregate query for the whole listing: the required step ids are
    computed once for the course. Use ``percent_complete(row.required_done,
    len(required_step_ids(course)), row.completed_at)`` for each row.
    """
    required = required_step_ids(course)
    return enrollments.annotate(
        required_done=Count("completions", filter=Q(completions__page_id__in=required), distinct=True)
    )


def _progress(outline, enrollment, completed):
    modules = []
    for module in outline.modules:
        required = [step for step in module.steps if step.is_required]
        modules.append(
            ModuleProgress(
                module=module, done=sum(1 for step in required if step.page_id in completed), total=len(required)
            )
        )
    return Progress(outline=outline, enrollment=enrollment, completed_ids=completed, modules=modules)


def check_step_open(enrollment, page, *, course):
    """Raise StepLocked when ``page`` (a step of ``course``, ``enrollment``'s course) is
    locked by sequencing: the rule quizzes and ``complete_step`` enforce, and
    what the pages show. Two queries (completions; the structure row, read
    in the caller's transaction). Read-only."""
    completed = set(enrollment.completions.values_list("page_id", flat=True))
    blocker = _progress(outline_of(course), enrollment, completed).blocker(page.pk)
    if blocker is not None:
        raise StepLocked(blocker)


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
    missing = course.prerequisites.exclude(enrollments__user=user, enrollments__completed_at__isnull=False).values_list(
        "title", flat=True
    )
    missing = list(missing)
    if missing:
        raise EnrollmentRefused(_("Complete these courses first: %(courses)s.") % {"courses": ", ".join(missing)})


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
    the transaction commits. Refuses pages that are not live steps, users
    who are not enrolled, and steps still locked by sequencing (StepLocked).
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
        if not StepCompletion.objects.filter(enrollment=enrollment, page_id=page.pk).exists():
            check_step_open(enrollment, page, course=course)
        completion, created = StepCompletion.objects.get_or_create(
            enrollment=enrollment, page_id=page.pk, defaults={"score": score}
        )
        now = timezone.now()
        Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=now, last_step_id=page.pk)
        if created and enrollment.completed_at is None:
            required = outline_of(course).required_ids
            done = set(enrollment.completions.values_list("page_id", flat=True))
            if required <= done:
                stamped = Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(
                    completed_at=now, completed_revision_id=course.live_revision_id
                )
                if stamped:
                    enrollment.refresh_from_db()
                    log(instance=enrollment, action="courses.complete", user=user)
                    transaction.on_commit(partial(course_completed.send, sender=Enrollment, enrollment=enrollment))
    return completion


#: A revisit of the same step within this time does not write again.
VISIT_WRITE_INTERVAL = timedelta(minutes=1)


def record_visit(user, page, enrollment=None):
    """Remember ``page`` as the trainee's resume point (one UPDATE).

    With ``enrollment`` (the current enrolment, already loaded) no lookup is
    needed, and a revisit of the same step within a minute writes nothing.
    Safe to call twice.
    """
    if not user.is_authenticated:
        return 0
    now = timezone.now()
    if enrollment is not None:
        if (
            enrollment.last_step_id == page.pk
            and enrollment.last_activity_at is not None
            and now - enrollment.last_activity_at < VISIT_WRITE_INTERVAL
        ):
            return 0
        enrollment.last_step_id, enrollment.last_activity_at = page.pk, now
        return Enrollment.objects.filter(pk=enrollment.pk).update(last_step_id=page.pk, last_activity_at=now)
    course_id = CoursePage.objects.ancestor_of(page).values_list("pk", flat=True).first()
    if course_id is None:
        return 0
    return Enrollment.objects.filter(user=user, course_id=course_id, is_current=True).update(
        last_step_id=page.pk, last_activity_at=now
    )
