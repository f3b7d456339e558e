"""What the gradebook shows: one row per trainee of a course, and the full
record of one trainee (every attempt with its answers, overrides, extra
attempts and step completions). Read-only; texts in the active language.

Time spent. The project records no reading time for lessons. What it does
record honestly is when each quiz and exercise attempt started and when it
was submitted, and when each step was completed. "Time in assessments" is
therefore the sum of the attempts' durations (start to submission; a timed
quiz closed after its deadline counts up to the deadline plus grace, not up
to the moment it was closed). Lessons show their completion time only.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps

from courses import progress
from courses.models import StepCompletion

QUIZ_MODEL = "quizzes.quizpage"
EXERCISE_MODEL = "practice.exercisepage"
GRADED_MODELS = (QUIZ_MODEL, EXERCISE_MODEL)


def step_page(step):
    """The specific page of an outline step (the read model holds no pages)."""
    return apps.get_model(step.model).objects.get(pk=step.page_id)


def graded_steps(outline):
    """The quizzes and exercises of a course, in course order."""
    return [step for step in outline.steps if step.model in GRADED_MODELS]


def diagnostic_ids(steps):
    """The page ids of the pre-assessments (diagnostic quizzes) among
    ``steps``: ungraded, so they show a score but no pass or fail."""
    from quizzes.models import QuizPage

    ids = [step.page_id for step in steps if step.model == QUIZ_MODEL]
    return set(QuizPage.objects.filter(pk__in=ids, is_diagnostic=True).values_list("pk", flat=True)) if ids else set()


def attempt_duration(attempt):
    """Start to submission of a graded attempt (None while open)."""
    if attempt.submitted_at is None:
        return None
    end = attempt.submitted_at
    closes_at = getattr(attempt, "closes_at", None)
    limit = closes_at() if closes_at else None
    if limit is not None and end > limit:
        end = limit
    return max(end - attempt.started_at, timedelta(0))


def format_duration(value):
    """ "1 h 05 min", "12 min", "45 s"; "—" for nothing."""
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def format_score(value):
    return "—" if value is None else f"{value:.2f} %"


@dataclass
class StepScores:
    best: object = None
    latest: object = None
    passed: bool = False
    attempts: int = 0


def _graded_attempts(enrollment_ids):
    """Every graded quiz and exercise attempt of these enrolments, oldest first."""
    from practice.models import AttemptStatus as PracticeStatus
    from practice.models import PracticeAttempt
    from quizzes.models import GRADED_STATUSES, QuizAttempt

    quizzes = QuizAttempt.objects.filter(enrollment_id__in=enrollment_ids, status__in=GRADED_STATUSES).only(
        "enrollment_id", "quiz_id", "number", "score", "passed", "started_at", "submitted_at", "deadline", "status"
    )
    exercises = PracticeAttempt.objects.filter(enrollment_id__in=enrollment_ids, status=PracticeStatus.SUBMITTED).only(
        "enrollment_id", "exercise_id", "number", "score", "passed", "started_at", "submitted_at", "status"
    )
    rows = [(attempt.enrollment_id, attempt.quiz_id, attempt) for attempt in quizzes]
    rows += [(attempt.enrollment_id, attempt.exercise_id, attempt) for attempt in exercises]
    rows.sort(key=lambda row: (row[2].submitted_at, row[2].number))
    return rows


def decorate_rows(course, enrollments, outline=None):
    """Set on each enrolment (of ``course``) what its gradebook row shows:
    ``steps_done``, ``steps_required``, ``percent``, ``certified``,
    ``assessment_time`` and ``scores`` ({step page id: StepScores}).
    A constant number of queries for the page of rows."""
    from certificates.models import Certificate

    enrollments = list(enrollments)
    outline = outline or progress.outline_of(course)
    ids = [enrollment.pk for enrollment in enrollments]
    progresses = progress.progress_for_many(enrollments) if enrollments else {}
    certified = set(Certificate.objects.active().filter(enrollment_id__in=ids).values_list("enrollment_id", flat=True))
    scores = {enrollment_id: {} for enrollment_id in ids}
    time = {enrollment_id: timedelta(0) for enrollment_id in ids}
    for enrollment_id, step_id, attempt in _graded_attempts(ids):
        entry = scores[enrollment_id].setdefault(step_id, StepScores())
        entry.attempts += 1
        entry.latest = attempt.score
        entry.best = attempt.score if entry.best is None else max(entry.best, attempt.score)
        entry.passed = entry.passed or bool(attempt.passed)
        time[enrollment_id] += attempt_duration(attempt) or timedelta(0)
    for enrollment in enrollments:
        state = progresses[enrollment.pk]
        enrollment.steps_done = state.required_done
        enrollment.steps_required = state.required_total
        enrollment.percent = state.percent
        enrollment.certified = enrollment.pk in certified
        enrollment.assessment_time = time[enrollment.pk]
        enrollment.scores = scores[enrollment.pk]
    return enrollments


# ---------------------------------------------------------------- one trainee


@dataclass
class AnswerLine:
    text: str
    picked: bool
    correct: bool


@dataclass
class QuestionLine:
    position: int
    text: str
    points: object
    earned: object
    is_correct: object
    choices: list = field(default_factory=list)
    retired: bool = False


@dataclass
class AttemptLine:
    attempt: object
    kind: str  # "quiz" or "practice"
    duration: object
    overrides: list = field(default_factory=list)
    questions: list = field(default_factory=list)  # quizzes: QuestionLine
    tasks: list = field(default_factory=list)  # exercises: practice.review.ReviewTask

    @property
    def original_score(self):
        return self.overrides[0].original_score if self.overrides else self.attempt.score

    @property
    def duration_display(self):
        return format_duration(self.duration)


@dataclass
class StepLine:
    step: object  # courses.structure.Step
    kind: str  # "lesson", "quiz", "practice", or another step type
    completion: object = None
    attempts: list = field(default_factory=list)
    grants: list = field(default_factory=list)
    limit: object = None
    pass_mark: object = None
    #: A pre-assessment: its attempts have a score, not a pass or fail.
    diagnostic: bool = False

    @property
    def extra(self):
        return sum(grant.extra for grant in self.grants)

    @property
    def used(self):
        return len(self.attempts)

    @property
    def allowed(self):
        return None if self.limit is None else self.limit + self.extra

    @property
    def is_graded(self):
        return self.kind in ("quiz", "practice")


def _kind_of(step):
    if step.model == QUIZ_MODEL:
        return "quiz"
    if step.model == EXERCISE_MODEL:
        return "practice"
    return "lesson" if step.model == "courses.lessonpage" else step.kind


def _quiz_questions(attempts):
    """{attempt id: [QuestionLine]} for quiz attempts: the question, each
    choice shown (in the order the trainee saw them), which were picked and
    which are correct. Four queries whatever the number of attempts."""
    from quizzes.models import AttemptAnswer, AttemptQuestion, Choice

    rows = list(
        AttemptQuestion.objects.filter(attempt__in=attempts).select_related("question").order_by("attempt", "position")
    )
    choices = Choice.objects.in_bulk([choice_id for row in rows for choice_id in row.choice_order])
    picked = {}
    for row_id, choice_id in AttemptAnswer.objects.filter(attempt_question__in=rows).values_list(
        "attempt_question_id", "choice_id"
    ):
        picked.setdefault(row_id, set()).add(choice_id)
    lines = {}
    for row in rows:
        line = QuestionLine(
            position=row.position,
            text=row.question.text,
            points=row.points,
            earned=row.earned,
            is_correct=row.is_correct,
            retired=row.question.is_retired,
        )
        for choice_id in row.choice_order:
            choice = choices.get(choice_id)
            if choice is not None:
                line.choices.append(
                    AnswerLine(text=choice.text, picked=choice_id in picked.get(row.pk, ()), correct=choice.is_correct)
                )
        lines.setdefault(row.attempt_id, []).append(line)
    return lines


def trainee_record(enrollment, outline=None):
    """Every step of the enrolment's course in course order, each with its
    completion and (quizzes, exercises) every attempt of this cycle with its
    answers, overrides and extra attempts granted."""
    from practice.models import PracticeAttempt
    from practice.review import attempt_review
    from quizzes.models import QuizAttempt

    from .models import AttemptGrant, GradeOverride

    course = enrollment.course
    outline = outline or progress.outline_of(course)
    completions = {row.page_id: row for row in StepCompletion.objects.filter(enrollment=enrollment)}
    quiz_attempts = list(
        QuizAttempt.objects.filter(enrollment=enrollment).select_related("quiz").order_by("quiz_id", "number")
    )
    practice_attempts = list(
        PracticeAttempt.objects.filter(enrollment=enrollment)
        .select_related("exercise")
        .order_by("exercise_id", "number")
    )
    overrides = {}
    for override in GradeOverride.objects.filter(enrollment=enrollment).select_related("created_by"):
        key = (
            ("quiz", override.quiz_attempt_id)
            if override.quiz_attempt_id
            else ("practice", override.practice_attempt_id)
        )
        overrides.setdefault(key, []).append(override)
    grants = {}
    for grant in AttemptGrant.objects.filter(enrollment=enrollment).select_related("granted_by"):
        grants.setdefault(grant.step_id, []).append(grant)
    questions = _quiz_questions(quiz_attempts)
    attempts_by_step = {}
    for kind, attempts in (("quiz", quiz_attempts), ("practice", practice_attempts)):
        for attempt in attempts:
            line = AttemptLine(
                attempt=attempt,
                kind=kind,
                duration=attempt_duration(attempt),
                overrides=overrides.get((kind, attempt.pk), []),
            )
            if kind == "quiz":
                line.questions = questions.get(attempt.pk, [])
                step_id = attempt.quiz_id
            else:
                line.tasks = attempt_review(attempt, show_expected=True) if attempt.is_graded else []
                step_id = attempt.exercise_id
            attempts_by_step.setdefault(step_id, []).append(line)
    pages = {}
    for model_attempts in (quiz_attempts, practice_attempts):
        for attempt in model_attempts:
            page = getattr(attempt, "quiz", None) or getattr(attempt, "exercise", None)
            pages[page.pk] = page
    lines = []
    for step in outline.steps:
        kind = _kind_of(step)
        line = StepLine(step=step, kind=kind, completion=completions.get(step.page_id))
        if line.is_graded:
            page = pages.get(step.page_id) or step_page(step)
            line.attempts = attempts_by_step.get(step.page_id, [])
            line.grants = grants.get(step.page_id, [])
            line.limit = page.max_attempts
            line.pass_mark = page.pass_mark
            line.diagnostic = bool(getattr(page, "is_diagnostic", False))
        lines.append(line)
    return lines


def assessment_time(lines):
    """Total duration of the record's graded attempts."""
    total = timedelta(0)
    for line in lines:
        for attempt in line.attempts:
            total += attempt.duration or timedelta(0)
    return total
