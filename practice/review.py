"""What the trainee's pages show of an attempt: the tasks to do (never an
expected value) and, after grading, the review the exercise's policy allows.
Texts come out in the active language."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .grading import saved_answers
from .models import AnswerKey, GradedField, GradedItem, Record
from .vocabulary import FirearmType, RecordKind

#: Graded fields whose values are codes: shown with their label.
CODED = {GradedField.KIND: RecordKind, GradedField.FIREARM_TYPE: FirearmType}


def _shown(part, value):
    choices = CODED.get(part)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return value


PART_LABELS = {
    "count": _("Count"),
    "record": _("Record number"),
    "person": _("Person"),
}


@dataclass
class WorkspaceTask:
    task: object
    saved: object  # the sandbox record, or None


def workspace_tasks(attempt):
    """The entry tasks with the record saved for each (two queries)."""
    saved = {
        record.entry_task_id: record for record in Record.objects.filter(attempt=attempt, entry_task__isnull=False)
    }
    return [
        WorkspaceTask(task, saved.get(task.pk))
        for task in attempt.exercise.entry_tasks.order_by("sort_order", "pk").select_related("image")
    ]


@dataclass
class Question:
    task: object
    position: int
    count: object = None
    record: str = ""
    person: str = ""
    error: str = ""

    def name(self, part):
        return f"r-{self.task.pk}-{part}"

    @property
    def count_name(self):
        return self.name("count")

    @property
    def record_name(self):
        return self.name("record")

    @property
    def person_name(self):
        return self.name("person")


def retrieval_form(attempt, answers=None, errors=None):
    """The retrieval questions with the answers saved so far (or the ones
    just sent back with ``errors``)."""
    answers = saved_answers(attempt) if answers is None else answers
    errors = errors or {}
    items = []
    for position, task in enumerate(attempt.exercise.retrieval_tasks.order_by("sort_order", "pk"), start=1):
        given = answers.get(task.pk, {})
        items.append(
            Question(
                task=task,
                position=position,
                count=given.get("count"),
                record=given.get("record", ""),
                person=given.get("person", ""),
                error=str(errors.get(task.pk, "")),
            )
        )
    return items


def answers_from_post(tasks, data):
    """The answers of a rejected form, as typed, to show them again."""
    return {
        task.pk: {
            "count": str(data.get(f"r-{task.pk}-count", ""))[:12],
            "record": str(data.get(f"r-{task.pk}-record", ""))[:40],
            "person": str(data.get(f"r-{task.pk}-person", ""))[:200],
        }
        for task in tasks
    }


@dataclass
class ReviewItem:
    label: str
    given: str
    expected: str
    is_correct: bool
    points: Decimal
    earned: Decimal
    explanation: str = ""


@dataclass
class ReviewTask:
    title: str
    kind: str  # "entry" or "retrieval"
    items: list = field(default_factory=list)

    @property
    def earned(self):
        return sum((item.earned for item in self.items), Decimal(0))

    @property
    def points(self):
        return sum((item.points for item in self.items), Decimal(0))

    @property
    def wrong(self):
        return [item for item in self.items if not item.is_correct]


def attempt_review(attempt, *, show_expected):
    """The graded items of ``attempt`` grouped by task. Without
    ``show_expected`` the expected values and explanations are left out."""
    items = list(GradedItem.objects.filter(attempt=attempt).order_by("position"))
    keys = AnswerKey.objects.in_bulk([item.answer_key_id for item in items if item.answer_key_id])
    tasks = {task.pk: task for task in attempt.exercise.entry_tasks.all()}
    questions = {task.pk: task for task in attempt.exercise.retrieval_tasks.all()}
    groups = {}
    for item in items:
        if item.answer_key_id:
            key = keys.get(item.answer_key_id)
            task = tasks.get(key.task_id) if key else None
            group_key = ("entry", key.task_id if key else 0)
            title = task.title if task else _("Entry task")
            label = GradedField(item.part).label if item.part in GradedField.values else item.part
            explanation = key.explanation if key else ""
        else:
            task = questions.get(item.retrieval_task_id)
            group_key = ("retrieval", item.retrieval_task_id or 0)
            title = task.question if task else _("Retrieval task")
            label = PART_LABELS.get(item.part, item.part)
            explanation = task.explanation if task else ""
        group = groups.setdefault(group_key, ReviewTask(title=str(title), kind=group_key[0]))
        group.items.append(
            ReviewItem(
                label=str(label),
                given=_shown(item.part, item.given),
                expected=_shown(item.part, item.expected) if show_expected else "",
                is_correct=item.is_correct,
                points=item.points,
                earned=item.earned,
                explanation=explanation if show_expected else "",
            )
        )
    return list(groups.values())
