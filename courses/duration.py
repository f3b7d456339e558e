"""A course's stated duration and credit hours, computed from its steps.

The time a course claims is the sum of the estimated minutes of every live
step in it (lessons, quizzes, a pre-assessment, practice exercises; optional
steps too, since a trainee is invited to take them), and its credit hours are
that time in hours, rounded half up to the nearest half hour (at least half an
hour). Content loaders and the apps that add steps to a course call
``apply_computed_duration`` once they are done, so the figures never drift
from the course they describe.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from .structure import step_models


def course_minutes(course):
    """The estimated minutes of every live step of ``course``."""
    total = 0
    for model in step_models():
        total += model.objects.live().descendant_of(course).aggregate(minutes=Sum("estimated_minutes"))["minutes"] or 0
    return total


def credit_hours_for(minutes):
    """``minutes`` in hours, rounded half up to the nearest 0.5 (at least 0.5)."""
    halves = (Decimal(minutes) / 30).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(halves, Decimal(1)) / 2


def apply_computed_duration(course):
    """Set ``course``'s estimated minutes and credit hours from its steps;
    publish a revision only when they changed. Returns True if they did."""
    course = type(course).objects.get(pk=course.pk).specific
    minutes = course_minutes(course)
    if minutes == 0:
        return False
    hours = credit_hours_for(minutes)
    if course.estimated_minutes == minutes and Decimal(course.credit_hours) == hours:
        return False
    course.estimated_minutes, course.credit_hours = minutes, hours
    if course.live and not course.has_unpublished_changes:
        course.save_revision(log_action=True).publish()
    else:
        # A draft in progress keeps its own changes; the figures go on the row.
        type(course).objects.filter(pk=course.pk).update(estimated_minutes=minutes, credit_hours=hours)
    return True
