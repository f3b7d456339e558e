"""Pre-assessment against final results, on the course page and on the
completion screen (a course panel registered with courses.dashboard).

The pre-assessment (a QuizPage with ``is_diagnostic``) draws from the module
quizzes' pools, so its score and theirs measure the same ground: the panel
sets the trainee's first pre-assessment score beside the best score of each
graded quiz and, once every graded quiz has been taken, their mean (the
final result) and the change.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max
from django.template.loader import render_to_string

from . import permissions
from .models import GRADED_STATUSES, QuizPage


@dataclass
class PrePost:
    pre: object  # the graded pre-assessment attempt
    rows: list  # (quiz, best score or None), in course order
    post: Decimal | None  # mean of the best scores once every graded quiz has one

    @property
    def change(self):
        return None if self.post is None else self.post - self.pre.score


def pre_post(user, course, enrollment):
    """``user``'s pre-assessment and final results in ``enrollment`` (their
    own, current or past), or None when the course has no pre-assessment or
    the user has not taken it in that enrolment."""
    if enrollment is None or enrollment.user_id != getattr(user, "pk", None):
        return None
    quizzes = list(QuizPage.objects.live().descendant_of(course).order_by("path"))
    diagnostic_ids = [quiz.pk for quiz in quizzes if quiz.is_diagnostic]
    graded = [quiz for quiz in quizzes if not quiz.is_diagnostic]
    if not diagnostic_ids:
        return None
    attempts = permissions.own_attempts(user).filter(enrollment=enrollment, status__in=GRADED_STATUSES)
    pre = attempts.filter(quiz_id__in=diagnostic_ids).order_by("submitted_at", "pk").first()
    if pre is None:
        return None
    best = dict(
        attempts.filter(quiz__in=graded).values("quiz_id").annotate(best=Max("score")).values_list("quiz_id", "best")
    )
    rows = [(quiz, best.get(quiz.pk)) for quiz in graded]
    post = None
    if graded and all(score is not None for _quiz, score in rows):
        post = (sum(score for _quiz, score in rows) / len(rows)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return PrePost(pre=pre, rows=rows, post=post)


def pre_post_panel(request, course, enrollment):
    """The course panel: nothing until the pre-assessment has been taken."""
    result = pre_post(request.user, course, enrollment)
    if result is None:
        return None
    return render_to_string("quizzes/includes/pre_post.html", {"result": result}, request=request)
