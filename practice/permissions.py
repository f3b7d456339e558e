"""Who may see or do what with practice exercises: every view, report and
export asks here.

A trainee reaches a case database only through their own attempt: the seed
records of its exercise and the records of that attempt's sandbox. Someone
else's attempt, record or sandbox looks exactly like a missing one.
"""

from django.db.models import Q

from courses.permissions import taught_courses
from lms import permissions as people

from .exceptions import AttemptNotFound, NotFound
from .models import ExercisePage, Person, PracticeAttempt, Record

#: Ids beyond a 64-bit integer cannot exist (and would overflow SQLite).
MAX_ID = 2**63 - 1


def own_attempts(user):
    """Attempts a trainee may open: only their own (staff included)."""
    if not user.is_authenticated or not user.is_active:
        return PracticeAttempt.objects.none()
    return PracticeAttempt.objects.filter(user=user)


def attempt_for(user, attempt_id):
    """``user``'s attempt ``attempt_id`` with its exercise, or AttemptNotFound."""
    if not 0 < attempt_id <= MAX_ID:
        raise AttemptNotFound()
    try:
        return own_attempts(user).select_related("exercise", "user").get(pk=attempt_id)
    except PracticeAttempt.DoesNotExist:
        raise AttemptNotFound() from None


def visible_records(attempt):
    """The case database as ``attempt`` sees it: its exercise's seed records
    and its own sandbox, nobody else's."""
    return Record.objects.filter(Q(attempt__isnull=True) | Q(attempt=attempt), exercise_id=attempt.exercise_id)


def visible_persons(attempt):
    return Person.objects.filter(Q(attempt__isnull=True) | Q(attempt=attempt), exercise_id=attempt.exercise_id)


def record_for(attempt, record_id):
    """Record ``record_id`` if ``attempt`` may read it, else NotFound."""
    if not 0 < record_id <= MAX_ID:
        raise NotFound()
    record = visible_records(attempt).filter(pk=record_id).first()
    if record is None:
        raise NotFound()
    return record


def may_write(attempt):
    """Only the open attempt's own sandbox is writable (seed records never)."""
    return attempt.is_open


def may_see_statistics_menu(user):
    return user.is_authenticated and (people.is_administrator(user) or people.is_instructor(user))


def statistics_exercises(user):
    """Exercises whose statistics and search logs ``user`` may read:
    administrators all, instructors those of the courses they teach."""
    if not user.is_authenticated or not user.is_active:
        return ExercisePage.objects.none()
    if people.is_administrator(user):
        return ExercisePage.objects.all()
    if not people.is_instructor(user):
        return ExercisePage.objects.none()
    paths = list(taught_courses(user).values_list("path", flat=True))
    if not paths:
        return ExercisePage.objects.none()
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return ExercisePage.objects.filter(query)


def statistics_exercise(user, exercise_id):
    """The exercise ``exercise_id`` if ``user`` may read its statistics, else None."""
    if not 0 < exercise_id <= MAX_ID:
        return None
    return statistics_exercises(user).filter(pk=exercise_id).first()
