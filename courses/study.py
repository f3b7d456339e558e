"""What a trainee sees while studying: the context of course, module and
step pages and of the catalogue. Read-only apart from ``record_visit``;
every number comes from ``courses.progress``.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import translation
from django.utils.translation import ngettext

from . import permissions, progress
from .exceptions import EnrollmentRefused
from .models import Audience, CoursePage, Enrollment


@dataclass
class StepRow:
    step: object
    done: bool
    current: bool
    minutes: str
    #: The step to complete first when this one is locked by sequencing.
    locked_by: object = None
    #: Published after the trainee's last completion in its module (or enrolment).
    is_new: bool = False


@dataclass
class ModuleRow:
    module: object
    progress: object
    current: bool
    steps: list


def outline_rows(state, current_id=None, module_id=None, expand_all=True):
    """The outline as rows ready to print: every module with its progress,
    and the steps (done or not, current or not) of every module, or only of
    ``module_id`` when ``expand_all`` is False. Templates then loop without
    lookups: a lesson of a 200-step course renders as fast as a short one."""
    labels = {}

    def minutes(count):
        if count not in labels:
            labels[count] = ngettext("%(minutes)s min", "%(minutes)s min", count) % {"minutes": count}
        return labels[count]

    done = state.completed_ids
    blockers = state.blockers if state.enrollment is not None else {}
    new_ids = state.new_ids
    rows = []
    for module_progress in state.modules:
        module = module_progress.module
        expanded = expand_all or module.id == module_id
        steps = (
            [
                StepRow(
                    step,
                    step.page_id in done,
                    step.page_id == current_id,
                    minutes(step.estimated_minutes),
                    blockers.get(step.page_id),
                    step.page_id in new_ids,
                )
                for step in module.steps
            ]
            if expanded
            else []
        )
        rows.append(ModuleRow(module, module_progress, module.id == module_id, steps))
    return rows


def enrolment_offer(user, course):
    """Why ``user`` may not enrol, or None when they may (anonymous: None;
    the page offers a login link instead)."""
    if not user.is_authenticated:
        return None
    try:
        progress.check_can_enroll(user, course)
    except EnrollmentRefused as refusal:
        return refusal.message
    return None


def course_context(request, course):
    outline = getattr(course, "_outline", None) or progress.outline_of(course, request)
    state = progress.progress_of(request.user, course, outline)
    context = {
        "course": course,
        "outline": outline,
        "progress": state,
        "enrollment": state.enrollment,
        "module_rows": outline_rows(state),
    }
    if state.enrollment is None:
        context["refusal"] = enrolment_offer(request.user, course)
        context["prerequisites"] = list(course.prerequisites.live().order_by("path"))
    else:
        context["resume_step"] = state.resume_step
        context.update(completion_context(request, course, state.enrollment))
    return context


def module_context(request, module):
    course = module.get_course()
    outline = getattr(module, "_outline", None) or progress.outline_of(course, request)
    state = progress.progress_of(request.user, course, outline)
    context = {
        "course": course,
        "outline": outline,
        "progress": state,
        "enrollment": state.enrollment,
        "current_module": outline.module(module.pk),
        "module_progress": state.module_progress(module.pk),
    }
    current = next((row for row in outline_rows(state, module_id=module.pk, expand_all=False) if row.current), None)
    context["step_rows"] = current.steps if current else []
    if state.enrollment is None:
        context["refusal"] = enrolment_offer(request.user, course)
    return context


def step_context(request, page):
    """Context of any step page (lessons here, quizzes and exercises in
    their apps): outline with ticks, progress, previous/next, and whether
    the body may be shown. Records the visit as the resume point."""
    user = request.user
    course = page.get_course()
    outline = getattr(page, "_outline", None) or progress.outline_of(course, request)
    state = progress.progress_of(user, course, outline)
    enrollment = state.enrollment
    if enrollment is not None and not getattr(request, "is_preview", False):
        progress.record_visit(user, page, enrollment=enrollment)
    step = outline.step(page.pk)
    previous_step, next_step = outline.neighbours(page.pk)
    may_read = permissions.may_view_lesson_body(user, enrollment)
    module_id = step.module_id if step else None
    context = {
        "module_rows": outline_rows(state, current_id=page.pk, module_id=module_id, expand_all=False),
        "course": course,
        "outline": outline,
        "progress": state,
        "enrollment": enrollment,
        "step": step,
        "current_module": outline.module(step.module_id) if step else None,
        "previous_step": previous_step,
        "next_step": next_step,
        "step_done": state.is_done(page.pk),
        "may_read": may_read,
        # Sequencing: the step to complete before this one opens (or None).
        "locked_by": state.blocker(page.pk) if enrollment is not None else None,
    }
    if hasattr(page, "body"):
        language = body_language(page)
        context["body_language"] = language
        context["body"] = getattr(page, f"body_{language}", None) or page.body
    if enrollment is None and user.is_authenticated and not may_read:
        context["refusal"] = enrolment_offer(user, course)
    return context


def body_language(page, field="body"):
    """The language the page's ``field`` is shown in: the active one, or
    English when the translation is missing (the template says so)."""
    language = translation.get_language()
    if language != "en" and hasattr(page, f"{field}_{language}") and not getattr(page, f"{field}_{language}"):
        return "en"
    return language


def catalogue_context(request, courses):
    """The catalogue's courses, each with ``enrolment_status`` ("enrolled",
    "completed" or "") for the user: one query for all of them."""
    user = request.user
    status = {}
    if user.is_authenticated:
        for course_id, completed_at in Enrollment.objects.filter(user=user, is_current=True).values_list(
            "course_id", "completed_at"
        ):
            status[course_id] = "completed" if completed_at else "enrolled"
    courses = list(courses)
    for course in courses:
        course.enrolment_status = status.get(course.pk, "")
    return {"courses": courses}


def next_courses(user, course, limit=3):
    """What to take after ``course``: live courses open to ``user`` that they
    are not enrolled in, those that name ``course`` as a prerequisite first."""
    agency_id = getattr(getattr(user, "profile", None), "agency_id", None)
    candidates = (
        CoursePage.objects.live()
        .exclude(pk=course.pk)
        .exclude(enrollments__user=user, enrollments__is_current=True)
        .filter(Q(audience=Audience.OPEN) | Q(agencies=agency_id))
        .distinct()
    )
    unlocked = set(course.unlocks.values_list("pk", flat=True))
    courses = sorted(candidates.order_by("path")[:20], key=lambda item: item.pk not in unlocked)
    return courses[:limit]


def completion_context(request, course, enrollment):
    """The completion screen's context when ``enrollment`` is complete (empty
    otherwise): the certificate panels other apps add and what to take next."""
    from . import dashboard

    if enrollment is None or enrollment.completed_at is None:
        return {}
    return {
        "completed_course": course,
        "completed_enrollment": enrollment,
        "completion_panels": dashboard.render_course_panels(request, course, enrollment),
        "next_courses": next_courses(request.user, course),
    }
