"""Per-quiz statistics for instructors: how attempts went, and per question
how often it was answered right and how often each choice was picked, to
find bad questions. A constant number of aggregate queries per quiz."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from .models import (
    GRADED_STATUSES,
    AttemptAnswer,
    AttemptQuestion,
    Question,
    QuizAttempt,
)

#: Below this share of right answers (once asked often enough) a question is flagged.
LOW_SHARE = Decimal("0.30")
#: Above this share of right answers a question tells nothing apart.
HIGH_SHARE = Decimal("0.95")
MIN_ASKED = 5
#: Discrimination: right share among the best 27 % of attempts minus among the
#: worst 27 %; below this (with enough attempts) the question does not separate
#: those who know from those who do not.
LOW_DISCRIMINATION = Decimal("0.10")
MIN_ASKED_FOR_DISCRIMINATION = 10
GROUP_SHARE = Decimal("0.27")


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
    discrimination: object = None  # Decimal in [-1, 1], or None when too few attempts

    @property
    def right_share(self):
        return _share(self.fully_right, self.asked)

    @property
    def right_percent(self):
        share = self.right_share
        return None if share is None else round(float(share) * 100, 1)

    @property
    def flag_reasons(self):
        """Why the question is worth a look (translated), empty when it is not:
        too hard, too easy, a wrong choice more popular than every right one,
        or poor discrimination."""
        if self.asked < MIN_ASKED:
            return []
        reasons = []
        share = self.right_share
        if share is not None and share < LOW_SHARE:
            reasons.append(_("Too hard: rarely answered right."))
        if share is not None and share > HIGH_SHARE:
            reasons.append(_("Too easy: almost always answered right."))
        right = [c.picked for c in self.choices if c.is_correct]
        wrong = [c.picked for c in self.choices if not c.is_correct]
        if right and wrong and max(wrong) > min(right):
            reasons.append(_("A wrong choice is picked more often than a right one."))
        if self.discrimination is not None and self.discrimination < LOW_DISCRIMINATION:
            reasons.append(_("Poor discrimination: strong and weak attempts answer it alike."))
        return reasons

    @property
    def flagged(self):
        return bool(self.flag_reasons)


def discrimination_indexes(rows):
    """{question id: upper-minus-lower right share} from ``rows`` of
    (question id, fully correct, attempt score), for questions asked at
    least MIN_ASKED_FOR_DISCRIMINATION times."""
    by_question = {}
    for question_id, correct, score in rows:
        by_question.setdefault(question_id, []).append((score if score is not None else Decimal(0), bool(correct)))
    indexes = {}
    for question_id, answers in by_question.items():
        if len(answers) < MIN_ASKED_FOR_DISCRIMINATION:
            continue
        answers.sort(key=lambda pair: pair[0])
        size = max(1, int(len(answers) * GROUP_SHARE))
        lower = sum(1 for _score, correct in answers[:size] if correct)
        upper = sum(1 for _score, correct in answers[-size:] if correct)
        indexes[question_id] = (Decimal(upper - lower) / size).quantize(Decimal("0.01"))
    return indexes


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
    """Statistics of ``quiz`` over its graded attempts (six queries)."""
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
    discrimination = discrimination_indexes(
        AttemptQuestion.objects.filter(graded).values_list("question_id", "is_correct", "attempt__score")
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
            discrimination=discrimination.get(question.pk),
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
