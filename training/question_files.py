"""Questions in the content YAML format (content/FORMAT.md, a quiz's
``questions``) for the question bank's bulk import.

The file is a mapping ``{category: ..., questions: [...]}`` (``category``
optional) or just the list of questions; each question is written exactly as
in a course file, and may also name its ``category``. The structure is
checked by the content checker (``ContentChecker``, the one the course loader
uses), the bank's rules by ``quizzes.question_import``; every problem gets
the line of the file it is on.

The file is read with ``yaml.safe_load`` only after a pass over its events
refuses anchors and aliases (the "billion laughs" bomb) and deep nesting.
"""

import yaml
from django.utils.translation import gettext as _

from quizzes.exceptions import QuestionImportRefused
from quizzes.question_import import CHOICE_MAX, MAX_TEXT, ChoiceDraft, Problem, QuestionDraft, max_questions, too_many

from .content_schema import LANGUAGES, ContentChecker, _kind

MAX_DEPTH = 10
QUESTION_KEYS = ("kind", "points", "scoring", "explanation", "answer", "lesson", "choices", "category")


def read_question_yaml(content, filename):
    """``(drafts, problems)`` of a YAML question file (quizzes.question_import
    reader interface); raises QuestionImportRefused for an unreadable file."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise QuestionImportRefused(_("The file is not UTF-8 text. Save it as UTF-8 and retry.")) from None
    try:
        _refuse_unsafe(text)
        lines = {}
        _lines(yaml.compose(text, Loader=yaml.SafeLoader), "", lines)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        line = mark.line + 1 if mark else None
        return [], [Problem(line, "", _("not valid YAML: %(problem)s") % {"problem": problem})]
    return _QuestionChecker(lines).document(data)


def _refuse_unsafe(text):
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise QuestionImportRefused(
                _("Line %(line)d: anchors and aliases (& and *) are not allowed in a question file.")
                % {"line": event.start_mark.line + 1}
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise QuestionImportRefused(
                    _("Line %(line)d: the file is nested too deeply to be a question file.")
                    % {"line": event.start_mark.line + 1}
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _lines(node, path, lines):
    """Record the line (from 1) of every path, in the checker's notation."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            lines.setdefault(child, key.start_mark.line + 1)
            _lines(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, f"{path}[{index}]", lines)


class _QuestionChecker(ContentChecker):
    def __init__(self, lines):
        super().__init__(base_dir=".")
        self.lines = lines

    def line(self, path):
        """The line of ``path`` or of its nearest parent in the file."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.lines.get("", 1)

    def place(self, path):
        return (self.line(path), path)

    def document(self, data):
        questions, category, base = data, "", ""
        if isinstance(data, dict):
            self.mapping(data, "", required=["questions"], optional=["category"])
            category = self.text(data.get("category"), "category", required=False, max_length=200)
            questions, base = data.get("questions"), "questions"
        elif not isinstance(data, list):
            self.error("", _("expected a mapping with questions, found %(kind)s") % {"kind": _kind(data)})
            questions = []
        if isinstance(data, dict) and "questions" not in data:
            questions = []  # reported as a missing key
        items = self.listing(questions, base) if questions else []
        if len(items) > max_questions():
            raise too_many(len(items))
        drafts = [self.question(item, f"{base}[{index}]", category) for index, item in enumerate(items)]
        problems = [Problem(self.line(path), path, message) for path, message in self.problems]
        return [draft for draft in drafts if draft is not None], problems

    def question(self, data, path, category):
        if self.mapping(data, path, required=["text"], optional=QUESTION_KEYS) is None:
            return None
        draft = QuestionDraft(line=self.line(path), category=category)
        draft.text = self.bilingual(data.get("text"), f"{path}.text", max_length=MAX_TEXT)
        draft.explanation = self.bilingual(data.get("explanation"), f"{path}.explanation", required=False)
        draft.kind = self.text(data.get("kind"), f"{path}.kind", required=False)
        draft.scoring = self.text(data.get("scoring"), f"{path}.scoring", required=False)
        draft.lesson = self.text(data.get("lesson"), f"{path}.lesson", required=False)
        if "category" in data:
            draft.category = self.text(data["category"], f"{path}.category", max_length=200)
        draft.points = data.get("points")
        if "answer" in data:
            draft.answer = self.flag(data["answer"], f"{path}.answer")
        for name, key in (("text", "text"), ("explanation", "explanation")):
            for language in LANGUAGES:
                draft.places[f"{name}_{language}"] = self.place(f"{path}.{key}.{language}")
        for name in ("kind", "points", "scoring", "lesson", "category", "answer", "choices"):
            draft.places[name] = self.place(f"{path}.{name}")
        choices = data.get("choices")
        if choices is not None:
            for index, item in enumerate(self.listing(choices, f"{path}.choices")):
                choice = self.choice(item, f"{path}.choices[{index}]")
                if choice is not None:
                    draft.choices.append(choice)
        return draft

    def choice(self, data, path):
        if self.mapping(data, path, required=list(LANGUAGES), optional=["correct"]) is None:
            return None
        texts = {lang: self.text(data.get(lang), f"{path}.{lang}", max_length=CHOICE_MAX) for lang in LANGUAGES}
        correct = self.flag(data.get("correct", False), f"{path}.correct")
        places = {lang: self.place(f"{path}.{lang}") for lang in LANGUAGES}
        return ChoiceDraft(texts["en"], texts["es"], bool(correct), places)

    def flag(self, value, path):
        if not isinstance(value, bool):
            self.error(path, _("expected true or false, found %(kind)s") % {"kind": _kind(value)})
            return None
        return value
