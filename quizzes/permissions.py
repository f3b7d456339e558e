"""Who may see or do what with quizzes: every view, report and export asks here."""

from django.db.models import Q

from courses.permissions import taught_courses
from lms import permissions as people

from .exceptions import AttemptNotFound
from .models import QuizAttempt, QuizPage


def own_attempts(user):
    """Attempts a trainee may open: only their own."""
    if not user.is_authenticated:
        return QuizAttempt.objects.none()
    return QuizAttempt.objects.filter(user=user)


#: Ids beyond a 64-bit integer cannot exist (and would overflow SQLite).
MAX_ID = 2**63 - 1


def attempt_for(user, attempt_id):
    """``user``'s attempt ``attempt_id`` with its quiz, or AttemptNotFound
    (someone else's attempt looks exactly like a missing one)."""
    if not 0 < attempt_id <= MAX_ID:
        raise AttemptNotFound()
    try:
        return own_attempts(user).select_related("quiz", "user").get(pk=attempt_id)
    except QuizAttempt.DoesNotExist:
        raise AttemptNotFound() from None


def may_see_statistics_menu(user):
    return user.is_authenticated and (people.is_administrator(user) or people.is_instructor(user))


def statistics_quizzes(user):
    """Quizzes whose statistics ``user`` may read: administrators all,
    instructors those of the courses they teach (CoursePage.instructors)."""
    if not user.is_authenticated or not user.is_active:
        return QuizPage.objects.none()
    if people.is_administrator(user):
        return QuizPage.objects.all()
    if not people.is_instructor(user):
        return QuizPage.objects.none()
    paths = list(taught_courses(user).values_list("path", flat=True))
    if not paths:
        return QuizPage.objects.none()
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return QuizPage.objects.filter(query)


def statistics_quiz(user, quiz_id):
    """The quiz ``quiz_id`` if ``user`` may read its statistics, else None."""
    if not 0 < quiz_id <= MAX_ID:
        return None
    return statistics_quizzes(user).filter(pk=quiz_id).first()


def may_view_statistics(user, quiz):
    return statistics_quizzes(user).filter(pk=quiz.pk).exists()


def may_browse_question_bank(user):
    """The question bank's listing and the choosers that pick from it (the
    questions' full text): instructors and administrators, who may view
    questions; not coordinators or trainees."""
    return user.is_authenticated and user.is_active and user.has_perm("quizzes.view_question")


def may_retire_questions(user):
    """Retiring a question changes every quiz that draws it: the right to edit
    the question bank is the right to retire from it."""
    return user.is_authenticated and user.is_active and user.has_perm("quizzes.change_question")


def may_import_questions(user):
    """Importing questions adds them to the bank: the right to add questions."""
    return user.is_authenticated and user.is_active and user.has_perm("quizzes.add_question")
