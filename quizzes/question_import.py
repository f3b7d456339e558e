"""Bulk import of bilingual questions into the question bank.

A file is read by the reader of its format (CSV and XLSX here; the content
YAML format is added by ``training`` through the
``register_question_import_formats`` hook, so that this app does not import
the one above it). A reader turns the file into ``QuestionDraft`` records
that remember where each value came from (a row and a column, or a line and
a path in the YAML file). ``check_drafts`` then checks every draft against
the bank's rules and reports every problem at once; a file with any problem
imports nothing. ``import_questions`` re-checks and writes a clean file's
questions in one transaction, with an audit entry per question.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.log_actions import log

from lms.tables import TableRefused, load_table, too_large
from lms.validators import has_nul, prohibit_nul

from .exceptions import QuestionImportRefused
from .models import Choice, Question, QuestionCategory, QuestionKind, Scoring, validate_choice_set

#: Choices a question may have (the admin form allows as many).
MAX_CHOICES = 10
#: Longest question or explanation text accepted from a file.
MAX_TEXT = 2000
CHOICE_MAX = Choice._meta.get_field("text").max_length
TRUE_FALSE_CHOICES = (("True", "Verdadero", True), ("False", "Falso", False))
TRUE_WORDS = {"1", "x", "yes", "y", "true", "t", "correct", "sí", "si", "s", "verdadero", "v", "correcto"}
FALSE_WORDS = {"", "0", "no", "n", "false", "f", "falso", "incorrect", "incorrecto"}
KIND_ALIASES = {"true/false": QuestionKind.TRUE_FALSE, "truefalse": QuestionKind.TRUE_FALSE}


def max_bytes():
    return int(getattr(settings, "QUIZZES_IMPORT_MAX_BYTES", 1024 * 1024))


def max_questions():
    return int(getattr(settings, "QUIZZES_IMPORT_MAX_QUESTIONS", 500))


def too_many(count):
    return QuestionImportRefused(
        _("The file holds %(count)d questions; at most %(max)d can be imported at once. Split it.")
        % {"count": count, "max": max_questions()}
    )


@dataclass
class Problem:
    """One problem of a file: ``line`` (a spreadsheet row or a YAML line;
    None for the file as a whole), ``column`` (a heading or a YAML path)."""

    line: int | None
    column: str
    message: str


@dataclass
class ChoiceDraft:
    en: str
    es: str
    correct: bool
    #: Per language, where its text is: (line, column).
    places: dict = field(default_factory=dict)


@dataclass
class QuestionDraft:
    """One question as a file gives it. ``places`` says, for each value
    (``text_en``, ``choices``...), where it is in the file as (line, column),
    for the error report; by default the draft's line and the value's name."""

    line: int
    kind: str = ""
    text: dict = field(default_factory=dict)
    explanation: dict = field(default_factory=dict)
    choices: list = field(default_factory=list)
    answer: bool | None = None
    points: object = None
    scoring: str = ""
    category: str = ""
    lesson: str = ""
    places: dict = field(default_factory=dict)

    def where(self, name):
        return self.places.get(name, (self.line, name))


@dataclass
class PlannedQuestion:
    draft: QuestionDraft
    category: QuestionCategory
    kind: str
    points: int
    scoring: str
    lesson: object = None


@dataclass
class ImportPlan:
    filename: str
    category: QuestionCategory
    questions: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def per_category(self):
        """[(category, count)] in category name order, for the preview."""
        counts = Counter(planned.category.pk for planned in self.questions)
        categories = {planned.category.pk: planned.category for planned in self.questions}
        return sorted(((categories[pk], n) for pk, n in counts.items()), key=lambda pair: str(pair[0]))

    def kinds(self):
        counts = Counter(planned.kind for planned in self.questions)
        return [(QuestionKind(kind).label, counts[kind]) for kind in QuestionKind.values if counts[kind]]


# ------------------------------------------------------------------ formats


def reader_for(filename):
    """The reader of ``filename``'s format (by its extension), or None."""
    readers = {"csv": read_spreadsheet, "txt": read_spreadsheet, "xlsx": read_spreadsheet}
    for register in hooks.get_hooks("register_question_import_formats"):
        readers.update(register())
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return readers.get(extension)


def accepted_extensions():
    readers = {"csv", "xlsx"}
    for register in hooks.get_hooks("register_question_import_formats"):
        readers.update(register())
    return sorted(readers)


def read_file(content, filename):
    """``(drafts, problems)`` of an uploaded file; raises QuestionImportRefused
    (translated) for a file that cannot be read at all."""
    if message := too_large(len(content), max_bytes()):
        raise QuestionImportRefused(message)
    reader = reader_for(filename)
    if reader is None:
        raise QuestionImportRefused(
            _("Please upload a file of one of these kinds: %(kinds)s; %(name)s is none of them.")
            % {"kinds": ", ".join(f".{ext}" for ext in accepted_extensions()), "name": filename}
        )
    drafts, problems = reader(content, filename)
    if not drafts and not problems:
        raise QuestionImportRefused(_("The file holds no questions."))
    if len(drafts) > max_questions():
        raise too_many(len(drafts))
    return drafts, problems


def spreadsheet_headings(choices=MAX_CHOICES):
    """The headings of the CSV/XLSX format, in template order."""
    headings = ["category", "kind", "text_en", "text_es"]
    for number in range(1, choices + 1):
        headings += [f"choice{number}_en", f"choice{number}_es", f"choice{number}_correct"]
    return [*headings, "answer", "explanation_en", "explanation_es", "points", "scoring", "lesson"]


HEADING_ALIASES = {"type": "kind", "question_en": "text_en", "question_es": "text_es"}
REQUIRED_HEADINGS = ("text_en", "text_es")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _headings(raw):
    known = set(spreadsheet_headings())
    columns, unknown, problems = {}, [], []
    for position, heading in enumerate(raw):
        key = "_".join(_cell(heading).lower().replace("-", " ").split())
        key = HEADING_ALIASES.get(key, key)
        if not key:
            continue
        if key not in known:
            unknown.append(_cell(heading))
        elif key in columns.values():
            problems.append(Problem(1, key, _("The column %(name)s appears twice.") % {"name": key}))
        else:
            columns[position] = key
    if unknown:
        problems.append(
            Problem(
                1,
                ", ".join(unknown),
                _("Unknown column(s): %(names)s. Download the template for the expected headings.")
                % {"names": ", ".join(unknown)},
            )
        )
    for name in REQUIRED_HEADINGS:
        if name not in columns.values():
            problems.append(Problem(1, name, _("The column %(name)s is missing.") % {"name": name}))
    return columns, problems


def parse_flag(value):
    """True, False or None (not a yes/no word)."""
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def read_spreadsheet(content, filename):
    try:
        dataset = load_table(content, filename, max_bytes=max_bytes())
    except TableRefused as error:
        raise QuestionImportRefused(error.message) from None
    columns, problems = _headings(dataset.headers or [])
    if problems:
        return [], problems
    if dataset.height > max_questions() * 2:  # blank rows aside, far too many
        raise too_many(dataset.height)
    drafts = []
    for index, values in enumerate(dataset):
        cells = {name: _cell(values[position]) for position, name in columns.items()}
        if not any(cells.values()):
            continue
        draft, row_problems = _spreadsheet_draft(index + 2, cells)
        drafts.append(draft)
        problems.extend(row_problems)
    return drafts, problems


def _spreadsheet_draft(line, cells):
    problems = []
    draft = QuestionDraft(
        line=line,
        kind=cells.get("kind", ""),
        text={"en": cells.get("text_en", ""), "es": cells.get("text_es", "")},
        explanation={"en": cells.get("explanation_en", ""), "es": cells.get("explanation_es", "")},
        points=cells.get("points", ""),
        scoring=cells.get("scoring", ""),
        category=cells.get("category", ""),
        lesson=cells.get("lesson", ""),
        places={"choices": (line, "choice1_correct")},
    )
    for number in range(1, MAX_CHOICES + 1):
        en, es = cells.get(f"choice{number}_en", ""), cells.get(f"choice{number}_es", "")
        flag_column = f"choice{number}_correct"
        flag = parse_flag(cells.get(flag_column, ""))
        if flag is None:
            problems.append(
                Problem(
                    line,
                    flag_column,
                    _("“%(value)s” is not a yes/no value (use yes or leave it empty).") % {"value": cells[flag_column]},
                )
            )
        if en or es:
            places = {language: (line, f"choice{number}_{language}") for language in ("en", "es")}
            draft.choices.append(ChoiceDraft(en, es, bool(flag), places))
        elif flag:
            problems.append(Problem(line, flag_column, _("This choice is marked correct but has no text.")))
    if cells.get("answer"):
        draft.answer = parse_flag(cells["answer"])
        if draft.answer is None:
            problems.append(Problem(line, "answer", _("The answer of a true-or-false question is true or false.")))
    return draft, problems


# ------------------------------------------------------------------ checking


def _normal_text(text):
    return " ".join(text.split()).casefold()


class _Checker:
    def __init__(self, category):
        self.default = category
        self.problems = []
        names = {}
        for candidate in QuestionCategory.objects.all():
            for name in {candidate.name_en, candidate.name_es}:
                if name:
                    names.setdefault(_normal_text(name), set()).add(candidate)
        self.categories = names
        self.lessons = {}

    def error(self, draft, name, message):
        line, column = draft.where(name)
        self.problems.append(Problem(line, column, str(message)))

    def category(self, draft):
        if not draft.category:
            return self.default
        found = self.categories.get(_normal_text(draft.category), set())
        if len(found) == 1:
            return next(iter(found))
        if found:
            self.error(draft, "category", _("Several categories are named “%(name)s”.") % {"name": draft.category})
        else:
            self.error(
                draft,
                "category",
                _("There is no category named “%(name)s”. Create it first, or leave the cell empty.")
                % {"name": draft.category},
            )
        return None

    def lesson(self, draft, category):
        """The lesson ``draft.lesson`` names by English slug, looked for in the
        modules of the quizzes that draw from ``category`` (anywhere when no
        quiz does)."""
        from courses.models import LessonPage
        from quizzes.models import QuizPage

        key = (draft.lesson, category.pk)
        if key not in self.lessons:
            lessons = LessonPage.objects.filter(slug_en=draft.lesson)
            modules = [quiz.get_parent() for quiz in QuizPage.objects.filter(draw_categories=category)]
            if modules:
                query = Q()
                for module in modules:
                    query |= Q(path__startswith=module.path, depth=module.depth + 1)
                lessons = lessons.filter(query)
            self.lessons[key] = list(lessons[:2])
        found = self.lessons[key]
        if len(found) == 1:
            return found[0]
        if found:
            message = _("Several lessons have the slug “%(slug)s”; this one cannot tell which.")
        else:
            message = _("No lesson with the English slug “%(slug)s” in the module of this category's quiz.")
        self.error(draft, "lesson", message % {"slug": draft.lesson})
        return None

    def texts(self, draft):
        for language in ("en", "es"):
            name = f"text_{language}"
            text = draft.text.get(language, "")
            if not text:
                self.error(draft, name, _("The question text is empty."))
            elif len(text) > MAX_TEXT:
                self.error(draft, name, _("The text is longer than %(max)d characters.") % {"max": MAX_TEXT})
        explanation = draft.explanation
        for language, other in (("en", "es"), ("es", "en")):
            name = f"explanation_{language}"
            if explanation.get(other) and not explanation.get(language):
                self.error(draft, name, _("The explanation is given in one language only."))
            elif len(explanation.get(language, "")) > MAX_TEXT:
                self.error(draft, name, _("The text is longer than %(max)d characters.") % {"max": MAX_TEXT})

    def kind(self, draft):
        value = draft.kind.strip().lower() or QuestionKind.SINGLE
        value = KIND_ALIASES.get(value, value)
        if value not in QuestionKind.values:
            self.error(
                draft,
                "kind",
                _("Unknown question type “%(value)s” (expected: %(known)s).")
                % {"value": draft.kind, "known": ", ".join(QuestionKind.values)},
            )
            return None
        return value

    def choices(self, draft, kind):
        if kind == QuestionKind.TRUE_FALSE:
            if draft.choices:
                self.error(draft, "choices", _("A true-or-false question takes no choices; give its answer."))
            if draft.answer is None:
                self.error(draft, "answer", _("A true-or-false question needs its answer: true or false."))
            return
        if draft.answer is not None:
            self.error(draft, "answer", _("Only a true-or-false question has an answer; mark the right choices."))
        if len(draft.choices) > MAX_CHOICES:
            self.error(draft, "choices", _("A question has at most %(max)d choices.") % {"max": MAX_CHOICES})
        for choice in draft.choices:
            for language in ("en", "es"):
                text = getattr(choice, language)
                line, column = choice.places.get(language, (draft.line, f"choice_{language}"))
                if not text:
                    self.problems.append(Problem(line, column, _("This choice text is empty.")))
                elif len(text) > CHOICE_MAX:
                    message = _("The text is longer than %(max)d characters.") % {"max": CHOICE_MAX}
                    self.problems.append(Problem(line, column, message))
        try:
            validate_choice_set(kind, [choice.correct for choice in draft.choices])
        except ValidationError as error:
            for message in error.messages:
                self.error(draft, "choices", message)

    def points(self, draft):
        raw = draft.points
        if raw in (None, ""):
            return 1
        try:
            points = 0 if isinstance(raw, bool) else int(str(raw).strip())
        except ValueError:
            points = 0
        if not 1 <= points <= 100:
            self.error(draft, "points", _("Points are a whole number from 1 to 100, not “%(value)s”.") % {"value": raw})
            return None
        return points

    def scoring(self, draft):
        value = (draft.scoring or Scoring.ALL_OR_NOTHING).strip().lower()
        if value not in Scoring.values:
            self.error(
                draft,
                "scoring",
                _("Unknown scoring “%(value)s” (expected: %(known)s).")
                % {"value": draft.scoring, "known": ", ".join(Scoring.values)},
            )
            return None
        return value

    def nul(self, draft):
        """Refuse every value holding a NUL character (PostgreSQL refuses it
        in text, and the cells do not pass through a form field); True when
        any does, so that no query is made with it."""
        named = [(f"text_{language}", value) for language, value in draft.text.items()]
        named += [(f"explanation_{language}", value) for language, value in draft.explanation.items()]
        named += [(name, getattr(draft, name)) for name in ("kind", "scoring", "category", "lesson", "points")]
        places = [draft.where(name) for name, value in named if has_nul(value)]
        for choice in draft.choices:
            places += [
                choice.places.get(language, (draft.line, f"choice_{language}"))
                for language in ("en", "es")
                if has_nul(getattr(choice, language))
            ]
        self.problems += [Problem(line, column, str(prohibit_nul.message)) for line, column in places]
        return bool(places)

    def check(self, draft):
        if self.nul(draft):
            return None
        self.texts(draft)
        kind = self.kind(draft)
        if kind is not None:
            self.choices(draft, kind)
        points, scoring = self.points(draft), self.scoring(draft)
        category = self.category(draft)
        lesson = self.lesson(draft, category) if category is not None and draft.lesson else None
        if kind is None or points is None or scoring is None or category is None:
            return None
        if draft.lesson and lesson is None:
            return None
        return PlannedQuestion(draft, category, kind, points, scoring, lesson)

    def duplicates(self, planned):
        """Same English text in the same category, within the file or the bank."""
        keep, seen = [], {}
        categories = {item.category.pk for item in planned}
        existing = {
            (category_id, _normal_text(text or ""))
            for category_id, text in Question.objects.in_pools()
            .filter(category__in=categories)
            .values_list("category_id", "text_en")
        }
        for item in planned:
            key = (item.category.pk, _normal_text(item.draft.text["en"]))
            if key in seen:
                self.error(
                    item.draft,
                    "text_en",
                    _("The same question is also on line %(line)d, in the same category.") % {"line": seen[key]},
                )
            elif key in existing:
                self.error(
                    item.draft,
                    "text_en",
                    _("The category “%(category)s” already has this question.") % {"category": item.category},
                )
            else:
                seen[key] = item.draft.line
                keep.append(item)
        return keep


def check_drafts(drafts, problems, *, filename, category):
    """The ImportPlan of ``drafts`` into ``category`` (a row may name
    another): every problem with its line and column, sorted by line."""
    checker = _Checker(category)
    checker.problems.extend(problems)
    planned = [item for draft in drafts if (item := checker.check(draft)) is not None]
    planned = checker.duplicates(planned)
    # One problem per place: a reader's structural check and the bank's rules
    # may both object to the same empty cell.
    unique = {}
    for problem in checker.problems:
        unique.setdefault((problem.line, problem.column), problem)
    ordered = sorted(unique.values(), key=lambda problem: problem.line or 0)
    return ImportPlan(filename=filename, category=category, questions=planned, problems=ordered)


def plan_import(content, filename, *, category):
    """Read and check an uploaded file; writes nothing."""
    drafts, problems = read_file(content, filename)
    return check_drafts(drafts, problems, filename=filename, category=category)


# ------------------------------------------------------------------ importing


def import_questions(content, filename, *, category, user):
    """Check the file again and, when it has no problem, create its questions
    in one transaction (each lands in its category, and so in the pool of
    every quiz that draws from it), with one audit entry per question.

    Returns the ImportPlan; ``plan.problems`` non-empty means nothing was
    written. Not safe to call twice in the sense of creating twice: a second
    call finds every question already in its category and reports them as
    duplicates, writing nothing.
    """
    with transaction.atomic():
        # The chosen category's row is locked so that two imports of one file
        # into it cannot both pass the duplicate check.
        QuestionCategory.objects.select_for_update().filter(pk=category.pk).first()
        # Checked in the user's language: the problems are shown to them.
        plan = plan_import(content, filename, category=category)
        if not plan.ok:
            return plan
        with translation.override("en"):
            for item in plan.questions:
                _create(item, user=user, filename=filename)
    return plan


def _create(item, *, user, filename):
    draft = item.draft
    question = Question.objects.create(
        text_en=draft.text["en"],
        text_es=draft.text["es"],
        explanation_en=draft.explanation.get("en", ""),
        explanation_es=draft.explanation.get("es") or None,
        kind=item.kind,
        points=item.points,
        scoring=item.scoring,
        category=item.category,
        lesson=item.lesson,
    )
    if item.kind == QuestionKind.TRUE_FALSE:
        choices = [(en, es, correct == draft.answer) for en, es, correct in TRUE_FALSE_CHOICES]
    else:
        choices = [(choice.en, choice.es, choice.correct) for choice in draft.choices]
    Choice.objects.bulk_create(
        [
            Choice(question=question, text_en=en, text_es=es, is_correct=correct, sort_order=index)
            for index, (en, es, correct) in enumerate(choices)
        ]
    )
    log(instance=question, action="quizzes.import_question", user=user, data={"file": filename[:255]})
    return question
