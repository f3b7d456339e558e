"""Per-exercise statistics for instructors: how attempts went and, per task
and per graded field, how often trainees got it wrong and what they wrote
instead. A constant number of aggregate queries per exercise."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q

from .models import AttemptStatus, GradedField, GradedItem, PracticeAttempt, SearchLog, Tolerance
from .review import PART_LABELS as RETRIEVAL_LABELS

#: Wrong answers listed per field.
TOP_WRONG = 3


def exercise_summaries(exercise_ids):
    """{exercise id: (graded attempts, passed, mean score, searches)}: two queries."""
    rows = (
        PracticeAttempt.objects.filter(exercise_id__in=exercise_ids, status=AttemptStatus.SUBMITTED)
        .values("exercise_id")
        .annotate(attempts=Count("pk"), passed=Count("pk", filter=Q(passed=True)), mean=Avg("score"))
    )
    searches = dict(
        SearchLog.objects.filter(attempt__exercise_id__in=exercise_ids)
        .values("attempt__exercise_id")
        .annotate(n=Count("pk"))
        .values_list("attempt__exercise_id", "n")
    )
    result = {row["exercise_id"]: (row["attempts"], row["passed"], row["mean"], 0) for row in rows}
    for exercise_id, count in searches.items():
        attempts, passed, mean, _searches = result.get(exercise_id, (0, 0, None, 0))
        result[exercise_id] = (attempts, passed, mean, count)
    return result


@dataclass
class FieldStat:
    task: str
    label: str
    rule: str
    graded: int
    wrong: int
    common_wrong: list = field(default_factory=list)

    @property
    def wrong_percent(self):
        return round(100 * self.wrong / self.graded, 1) if self.graded else None


@dataclass
class ExerciseStats:
    attempts: int
    passed: int
    mean_score: object
    searches: int
    fields: list

    @property
    def pass_rate(self):
        return round(100 * self.passed / self.attempts, 1) if self.attempts else None


def exercise_statistics(exercise):
    """Statistics of ``exercise`` over its graded attempts (five queries)."""
    attempts, passed, mean, searches = exercise_summaries([exercise.pk]).get(exercise.pk, (0, 0, None, 0))
    graded = GradedItem.objects.filter(attempt__exercise=exercise, attempt__status=AttemptStatus.SUBMITTED)
    counts = {
        (row["answer_key_id"], row["retrieval_task_id"], row["part"]): (row["n"], row["wrong"])
        for row in graded.values("answer_key_id", "retrieval_task_id", "part").annotate(
            n=Count("pk"), wrong=Count("pk", filter=Q(is_correct=False))
        )
    }
    wrong_values = {}
    for row in (
        graded.filter(is_correct=False)
        .values("answer_key_id", "retrieval_task_id", "part", "given")
        .annotate(n=Count("pk"))
        .order_by("-n", "given")
    ):
        bucket = wrong_values.setdefault((row["answer_key_id"], row["retrieval_task_id"], row["part"]), [])
        if len(bucket) < TOP_WRONG:
            bucket.append((row["given"] or "—", row["n"]))
    fields = []
    for task in exercise.entry_tasks.order_by("sort_order", "pk").prefetch_related("answer_keys"):
        for key in task.answer_keys.all():
            n, wrong = counts.get((key.pk, None, key.field), (0, 0))
            fields.append(
                FieldStat(
                    task=task.title,
                    label=str(GradedField(key.field).label),
                    rule=str(Tolerance(key.rule).label),
                    graded=n,
                    wrong=wrong,
                    common_wrong=wrong_values.get((key.pk, None, key.field), []),
                )
            )
    for task in exercise.retrieval_tasks.order_by("sort_order", "pk"):
        for part, asked in (("count", task.asks_count), ("record", task.asks_record), ("person", task.asks_person)):
            if not asked:
                continue
            n, wrong = counts.get((None, task.pk, part), (0, 0))
            fields.append(
                FieldStat(
                    task=str(task),
                    label=str(RETRIEVAL_LABELS[part]),
                    rule="",
                    graded=n,
                    wrong=wrong,
                    common_wrong=wrong_values.get((None, task.pk, part), []),
                )
            )
    return ExerciseStats(
        attempts=attempts,
        passed=passed,
        mean_score=Decimal(mean).quantize(Decimal("0.1")) if mean is not None else None,
        searches=searches,
        fields=fields,
    )
