"""What the trainee's pages show of an attempt: the questions to answer
(never a hint of the answers) and, after grading, the review the quiz's
policy allows. Texts come out in the active language."""

from dataclasses import dataclass, field

from .models import AttemptAnswer, Choice, QuestionKind


@dataclass
class FormChoice:
    key: str
    text: str
    checked: bool


@dataclass
class FormQuestion:
    row_id: int
    position: int
    text: str
    multiple: bool
    points: object
    choices: list = field(default_factory=list)
    error: str = ""

    @property
    def field_name(self):
        return f"q-{self.row_id}"

    @property
    def dom_id(self):
        return f"question-{self.position}"


def _rows_and_choices(attempt):
    rows = list(attempt.questions.select_related("question").order_by("position"))
    shown = [choice_id for row in rows for choice_id in row.choice_order]
    choices = Choice.objects.in_bulk(shown)
    return rows, choices


def attempt_form(attempt, selected=None, errors=None):
    """The questions of an open attempt with their choices in the stored
    order; ``selected`` ({row id: set of choice ids}) pre-checks answers.

    Only the random choice keys and texts are exposed: no correctness flag,
    no explanation, no database id of a choice.
    """
    selected = selected or {}
    errors = errors or {}
    rows, choices = _rows_and_choices(attempt)
    items = []
    for row in rows:
        item = FormQuestion(
            row_id=row.pk,
            position=row.position,
            text=row.question.text,
            multiple=row.question.kind == QuestionKind.MULTIPLE,
            points=int(row.points),
            error=str(errors.get(row.pk, "")),
        )
        for choice_id in row.choice_order:
            choice = choices.get(choice_id)
            if choice is None:
                continue
            item.choices.append(
                FormChoice(key=str(choice.key), text=choice.text, checked=choice_id in selected.get(row.pk, ()))
            )
        items.append(item)
    return items


def selection_from_post(attempt, data):
    """The valid part of a rejected form, to show the trainee their choices again."""
    rows, choices = _rows_and_choices(attempt)
    by_key = {str(choice.key): choice_id for choice_id, choice in choices.items()}
    selected = {}
    for row in rows:
        allowed = set(row.choice_order)
        values = data.getlist(row.field_name) if hasattr(data, "getlist") else []
        picked = {by_key.get(value) for value in values[:20]} & allowed
        if picked:
            selected[row.pk] = picked
    return selected


@dataclass
class ReviewChoice:
    text: str
    is_correct: bool
    picked: bool


@dataclass
class ReviewQuestion:
    position: int
    text: str
    explanation: str
    points: object
    earned: object
    is_correct: bool
    multiple: bool
    choices: list = field(default_factory=list)

    @property
    def partly_correct(self):
        return not self.is_correct and bool(self.earned)


def attempt_review(attempt):
    """Each question of a graded attempt with the choices picked, the right
    ones and the explanation (three queries)."""
    rows, choices = _rows_and_choices(attempt)
    picked = set(
        AttemptAnswer.objects.filter(attempt_question__attempt=attempt).values_list("attempt_question_id", "choice_id")
    )
    items = []
    for row in rows:
        item = ReviewQuestion(
            position=row.position,
            text=row.question.text,
            explanation=row.question.explanation,
            points=row.points,
            earned=row.earned,
            is_correct=bool(row.is_correct),
            multiple=row.question.kind == QuestionKind.MULTIPLE,
        )
        for choice_id in row.choice_order:
            choice = choices.get(choice_id)
            if choice is not None:
                item.choices.append(
                    ReviewChoice(text=choice.text, is_correct=choice.is_correct, picked=(row.pk, choice_id) in picked)
                )
        items.append(item)
    return items


@dataclass
class MissedTopic:
    """A lesson to review after an attempt: the outline step (title, URL in
    the active language) and how many questions from it were missed."""

    step: object
    missed: int


def missed_topics(attempt, outline):
    """The lessons the questions ``attempt`` missed come from, in course order,
    and the number of missed questions linked to no live lesson of the course.

    Says nothing of the answers, so it may be shown whatever the review
    policy. One query.
    """
    counts = {}
    unlinked = 0
    for lesson_id in attempt.questions.exclude(is_correct=True).values_list("question__lesson_id", flat=True):
        step = outline.step(lesson_id) if lesson_id is not None and outline is not None else None
        if step is None:
            unlinked += 1
        else:
            counts[step.page_id] = counts.get(step.page_id, 0) + 1
    topics = [
        MissedTopic(step, counts[step.page_id]) for step in (outline.steps if outline else []) if step.page_id in counts
    ]
    return topics, unlinked
