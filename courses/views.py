"""Trainee-facing views besides the Wagtail pages: enrol, complete a step,
My learning and search. Each parses input, checks, calls a service, renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from . import dashboard, progress
from . import search as course_search
from .exceptions import (
    EnrollmentRefused,
    ManualCompletionNotAllowed,
    NotAStep,
    NotEnrolled,
    StepNotAvailable,
)
from .models import CourseIndexPage, CoursePage, Enrollment

REFUSAL_STATUS = {NotAStep: 400, ManualCompletionNotAllowed: 400, NotEnrolled: 403, StepNotAvailable: 404}


def refused(request, message, status, back_url=None):
    """A refused action: the reason, translated, with a way back; nothing written."""
    return render(request, "courses/refused.html", {"message": message, "back_url": back_url}, status=status)


@require_POST
def enrol(request, course_id):
    """Enrol the signed-in user in a course (POST, CSRF-protected)."""
    course = get_object_or_404(CoursePage, pk=course_id)
    course_url = course.get_url(request)
    if not request.user.is_authenticated:
        return redirect_to_login(course_url or request.get_full_path())
    try:
        progress.enroll(request.user, course)
    except EnrollmentRefused as refusal:
        return refused(request, refusal.message, 403, course_url)
    messages.success(request, _("You are enrolled in “%(course)s”.") % {"course": course.title})
    return HttpResponseRedirect(course_url)


@require_POST
def complete(request, page_id):
    """Mark a step complete (POST, CSRF-protected, idempotent) and go on to
    the next step, or back to the course when it is finished."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not request.user.is_authenticated:
        return redirect_to_login(page.get_url(request) or request.get_full_path())
    try:
        if not getattr(page, "manual_completion", True):
            raise ManualCompletionNotAllowed()
        progress.complete_step(request.user, page)
    except (NotAStep, ManualCompletionNotAllowed, NotEnrolled, StepNotAvailable) as refusal:
        back = page.get_url(request) if page.live else None
        return refused(request, refusal.message, REFUSAL_STATUS[type(refusal)], back)
    course = page.get_course()
    state = progress.progress_of(request.user, course, progress.outline_of(course, request))
    if state.enrollment is not None and state.enrollment.completed_at is not None and state.next_step is None:
        messages.success(request, _("Well done: you completed “%(course)s”.") % {"course": course.title})
        return HttpResponseRedirect(course.get_url(request))
    _previous, following = state.outline.neighbours(page.pk)
    target = following or state.next_step
    if target is None:
        return HttpResponseRedirect(course.get_url(request))
    return HttpResponseRedirect(target.url)


@never_cache
@login_required
@require_GET
def my_learning(request):
    """The signed-in user's courses with progress, next step and completion."""
    enrollments = list(
        Enrollment.objects.filter(user=request.user, is_current=True)
        .select_related("course")
        .order_by("completed_at", "-last_activity_at", "-enrolled_at")
    )
    states = progress.progress_for_many(enrollments)
    rows = []
    for enrollment in enrollments:
        state = states[enrollment.pk]
        rows.append(
            {
                "enrollment": enrollment,
                "course": enrollment.course,
                "url": enrollment.course.get_url(request) if enrollment.course.live else None,
                "progress": state,
                "next_step": None if enrollment.completed_at else state.resume_step,
            }
        )
    in_progress = [row for row in rows if not row["enrollment"].completed_at]
    completed = [row for row in rows if row["enrollment"].completed_at]
    index = CourseIndexPage.objects.live().first()
    context = {
        "in_progress": in_progress,
        "completed": completed,
        "catalogue_url": index.get_url(request) if index else None,
        "lead_panels": dashboard.render_panels(request, enrollments, lead=True),
        "panels": dashboard.render_panels(request, enrollments),
    }
    return render(request, "courses/my_learning.html", context)


@require_GET
def search(request):
    """Search live courses and lessons in the current language."""
    query = request.GET.get("q", "")
    error = None
    if len(query) > course_search.MAX_QUERY_LENGTH:
        error = _("Please use at most %(count)d characters.") % {"count": course_search.MAX_QUERY_LENGTH}
        results = []
    else:
        results = course_search.search(request.user, query, request=request)
    context = {"query": query.strip(), "results": results, "error": error}
    return render(request, "courses/search.html", context, status=400 if error else 200)
