"""Enrolment and completion: the one place that decides progress.

Every function here takes explicit arguments, runs in a transaction and is
safe to call twice; views and other apps (quizzes, certificates) call these
instead of touching Enrollment or StepCompletion themselves.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, TextField
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.fields import RichTextField, StreamField
from wagtail.log_actions import log
from wagtail.models import Page, get_page_models

from . import permissions
from .exceptions import EnrollmentRefused, NotAStep, NotEnrolled, StepNotAvailable
from .models import (
    Audience,
    CoursePage,
    Enrollment,
    ModulePage,
    StepCompletion,
    StepPage,
)
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
    #: The page's URL in the language the outline was built in.
    url: str = ""
    #: The path below the course ("module-slug/step-slug/"), used for routing.
    rel: str = ""
    #: "app_label.modelname" of the specific page class.
    model: str = ""
    module_id: int = None


@dataclass
class Module:
    page: ModulePage
    steps: list
    url: str = ""
    rel: str = ""


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

    def step(self, page_id):
        """The step with this page id, or None."""
        for step in self.steps:
            if step.page_id == page_id:
                return step
        return None

    def module(self, page_id):
        for module in self.modules:
            if module.page.pk == page_id:
                return module
        return None

    def neighbours(self, page_id):
        """(previous step, next step) around ``page_id`` in course order."""
        steps = self.steps
        for index, step in enumerate(steps):
            if step.page_id == page_id:
                previous = steps[index - 1] if index > 0 else None
                following = steps[index + 1] if index + 1 < len(steps) else None
                return previous, following
        return None, None

    def find(self, components):
        """The module or step that the path components below the course name
        (``["module-slug"]`` or ``["module-slug", "step-slug", ...]``)."""
        if not components:
            return None
        module_rel = components[0] + "/"
        for module in self.modules:
            if module.rel != module_rel:
                continue
            if len(components) == 1:
                return module
            step_rel = module_rel + components[1] + "/"
            for step in module.steps:
                if step.rel == step_rel:
                    return step
            return None
        return None


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


# ---------------------------------------------------------------- cached outline


def outline_cache_key(course_id, language):
    return f"courses:outline:v1:{course_id}:{language}"


def invalidate_outlines(course_ids):
    """Forget the cached outlines of these courses in every language."""
    keys = [outline_cache_key(pk, code) for pk in course_ids for code, _name in settings.LANGUAGES]
    if keys:
        cache.delete_many(keys)


def _heavy_fields(model):
    """Text columns a listing never needs (bodies, intros) in every language."""
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, (StreamField, RichTextField, TextField)) and f.model is not Page
    ]


def _build_light_outline(course, request=None):
    course_url = course.get_url(request) or ""
    base = course.url_path
    modules = []
    by_path = {}
    for module_page in ModulePage.objects.live().child_of(course).order_by("path"):
        module = Module(page=module_page, steps=[])
        _set_location(module, module_page, base, course_url, request)
        modules.append(module)
        by_path[module_page.path] = module
    pages = []
    for model in step_models():
        pages.extend(model.objects.live().descendant_of(course).defer(*_heavy_fields(model)))
    pages.sort(key=lambda page: page.path)
    for page in pages:
        module = by_path.get(page.path[: -page.steplen])
        if module is None:
            continue
        step = Step(
            page_id=page.pk,
            title=page.title,
            url_path=page.url_path,
            is_required=page.is_required,
            estimated_minutes=page.estimated_minutes,
            kind=page._meta.model_name,
            model=page._meta.label_lower,
            module_id=module.page.pk,
        )
        _set_location(step, page, base, course_url, request)
        module.steps.append(step)
    return Outline(course=None, modules=modules)


def _set_location(item, page, base, course_url, request):
    url_path = page.url_path
    if base and course_url and url_path.startswith(base):
        item.rel = url_path[len(base) :]
        item.url = course_url + item.rel
    else:
        # An untranslated path that does not sit below the course's path.
        item.url = page.get_url(request) or ""
        item.rel = ""


def cached_outline(course, request=None):
    """The live outline of ``course`` in the active language, from Django's cache.

    Like ``course_outline`` but the steps carry no page objects
    (``step.page`` is None): ids, titles, URLs, required flags and minutes.
    Zero queries when cached; the cache is dropped when a page of the course
    is published, unpublished, moved or deleted (see ``courses.signal_handlers``).
    Read-only, safe to call any number of times.
    """
    key = outline_cache_key(course.pk, translation.get_language())
    outline = cache.get(key)
    if outline is None:
        outline = _build_light_outline(course, request)
        cache.set(key, outline, getattr(settings, "COURSES_OUTLINE_CACHE_SECONDS", 24 * 3600))
    outline.course = course
    return outline


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

    @property
    def required_total(self):
        return len(self.outline.required_ids)

    @property
    def required_done(self):
        return len(self.outline.required_ids & self.completed_ids)

    @property
    def percent(self):
        completed_at = self.enrollment.completed_at if self.enrollment is not None else None
        return percent_complete(self.required_done, self.required_total, completed_at)

    def module_progress(self, module_id):
        for module in self.modules:
            if module.module.page.pk == module_id:
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
    return _progress(outline, enrollment, completed)


_ENROLLMENT_COLUMNS = None


def _enrollment_columns():
    global _ENROLLMENT_COLUMNS
    if _ENROLLMENT_COLUMNS is None:
        _ENROLLMENT_COLUMNS = [f.attname for f in Enrollment._meta.concrete_fields]
    return _ENROLLMENT_COLUMNS


def progress_of(user, course, outline=None):
    """Progress of ``user`` in ``course`` (enrolment None when not enrolled).

    One query (the current enrolment joined with its completions) plus the
    cached outline, whatever the size of the course. Read-only.
    """
    if outline is None:
        outline = cached_outline(course)
    enrollment = None
    completed = set()
    if user.is_authenticated:
        columns = _enrollment_columns()
        rows = Enrollment.objects.filter(user=user, course=course, is_current=True).values_list(
            *columns, "completions__page_id"
        )
        for row in rows:
            if enrollment is None:
                enrollment = Enrollment.from_db(rows.db, columns, row[:-1])
            if row[-1] is not None:
                completed.add(row[-1])
    return _progress(outline, enrollment, completed)


def progress_for_many(enrollments):
    """{enrolment id: Progress} for several enrolments: one query for all their
    completions plus the cached outline of each course. Read-only."""
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
            outlines[enrollment.course_id] = cached_outline(enrollment.course)
        result[enrollment.pk] = _progress(outlines[enrollment.course_id], enrollment, done[enrollment.pk])
    return result


def required_step_ids(course):
    """Ids of the live required steps of ``course`` (from the cached outline)."""
    return cached_outline(course).required_ids


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
