"""Per-quiz statistics for instructors: how attempts went, and per question
how often it was answered right and how often each choice was picked, to
find bad questions. A constant number of aggregate queries per quiz."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q

from .models import (
    GRADED_STATUSES,
    AttemptAnswer,
    AttemptQuestion,
    Question,
    QuizAttempt,
)

#: Below this share of right answers (once asked often enough) a question is flagged.
LOW_SHARE = Decimal("0.30")
MIN_ASKED = 5


def _share(part, whole):
    return (Decimal(part) / whole).quantize(Decimal("0.001")) if whole else None


@dataclass
class ChoiceStat:
    choice_id: int
    text: str
    is_correct: bool
    picked: int
    share: object  # picked / times the question was asked

    @property
    def percent(self):
        return None if self.share is None else round(float(self.share) * 100, 1)


@dataclass
class QuestionStat:
    question: Question
    asked: int
    fully_right: int
    mean_earned: object
    points: int
    choices: list = field(default_factory=list)

    @property
    def right_share(self):
        return _share(self.fully_right, self.asked)

    @property
    def right_percent(self):
        share = self.right_share
        return None if share is None else round(float(share) * 100, 1)

    @property
    def flagged(self):
        """Worth a look: rarely answered right, or a wrong choice more
        popular than every right one."""
        if self.asked < MIN_ASKED:
            return False
        if self.right_share is not None and self.right_share < LOW_SHARE:
            return True
        right = [c.picked for c in self.choices if c.is_correct]
        wrong = [c.picked for c in self.choices if not c.is_correct]
        return bool(right and wrong) and max(wrong) > min(right)


@dataclass
class QuizStats:
    attempts: int
    passed: int
    mean_score: object
    questions: list

    @property
    def pass_rate(self):
        share = _share(self.passed, self.attempts)
        return None if share is None else (share * 100).quantize(Decimal("0.1"))


def quiz_summaries(quiz_ids):
    """{quiz id: (attempts, passed, mean score)} of graded attempts, one query."""
    rows = (
        QuizAttempt.objects.filter(quiz_id__in=quiz_ids, status__in=GRADED_STATUSES)
        .values("quiz_id")
        .annotate(attempts=Count("pk"), passed=Count("pk", filter=Q(passed=True)), mean=Avg("score"))
    )
    return {row["quiz_id"]: (row["attempts"], row["passed"], row["mean"]) for row in rows}


def quiz_statistics(quiz):
    """Statistics of ``quiz`` over its graded attempts (five queries)."""
    attempts, passed, mean = quiz_summaries([quiz.pk]).get(quiz.pk, (0, 0, None))
    graded = Q(attempt__quiz=quiz, attempt__status__in=GRADED_STATUSES)
    per_question = {
        row["question_id"]: row
        for row in AttemptQuestion.objects.filter(graded)
        .values("question_id")
        .annotate(asked=Count("pk"), right=Count("pk", filter=Q(is_correct=True)), earned=Avg("earned"))
    }
    picks = dict(
        AttemptAnswer.objects.filter(
            attempt_question__attempt__quiz=quiz, attempt_question__attempt__status__in=GRADED_STATUSES
        )
        .values("choice_id")
        .annotate(n=Count("pk"))
        .values_list("choice_id", "n")
    )
    order = {question_id: i for i, question_id in enumerate(quiz.pool_question_ids())}
    ids = set(order) | set(per_question)
    questions = sorted(
        Question.objects.filter(pk__in=ids).prefetch_related("choices"),
        key=lambda q: (order.get(q.pk, len(order)), q.pk),
    )
    stats = []
    for question in questions:
        row = per_question.get(question.pk, {})
        asked = row.get("asked", 0)
        item = QuestionStat(
            question=question,
            asked=asked,
            fully_right=row.get("right", 0),
            mean_earned=row.get("earned"),
            points=question.points,
        )
        for choice in question.choices.all():
            count = picks.get(choice.pk, 0)
            item.choices.append(
                ChoiceStat(
                    choice_id=choice.pk,
                    text=choice.text,
                    is_correct=choice.is_correct,
                    picked=count,
                    share=_share(count, asked),
                )
            )
        stats.append(item)
    return QuizStats(attempts=attempts, passed=passed, mean_score=mean, questions=stats)
