"""Build or update a course from one content file (content/FORMAT.md).

``load_course_file(path)`` checks the whole file first (training.content_schema)
and then, in one transaction, creates or updates:

- the CoursePage under the course index, found again by its course code;
- its ModulePages and LessonPages, found again by English slug under their
  parent, in the file's order;
- the images of image blocks, imported once into Wagtail's image library and
  found again by the SHA-1 of the file (one image per language when ``file``
  is a mapping);
- each module's quiz, through ``quizzes.content.build_quiz``.

A page gets a new published revision only when one of its fields differs from
the live page, so loading an unchanged file writes nothing. The file is the
source of truth: a page whose content differs is replaced by the file's
version (earlier versions stay in the page's history).
"""

import hashlib
import importlib
import importlib.util
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.fields import StreamField
from wagtail.images import get_image_model

from courses.duration import apply_computed_duration
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

from .content_schema import LANGUAGES, ContentChecker
from .exceptions import ContentError
from .job_aids import store_job_aid
from .models import LoadedQuiz
from .stamps import comparable

logger = logging.getLogger(__name__)

DEMO_INSTRUCTOR = "instructor"


@dataclass
class LoadResult:
    file: str
    course: CoursePage | None = None
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    images_imported: list = field(default_factory=list)
    quizzes_built: list = field(default_factory=list)
    job_aids_rendered: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(
            self.created or self.updated or self.images_imported or self.quizzes_built or self.job_aids_rendered
        )

    def summary(self):
        text = self.pages_summary()
        if self.job_aids_rendered:
            text += "; " + _("%(count)d job aid documents rendered") % {"count": len(self.job_aids_rendered)}
        return text

    def pages_summary(self):
        return _(
            "%(code)s from %(file)s: %(created)d pages created, %(updated)d updated, %(unchanged)d unchanged; "
            "%(images)d images imported; %(quizzes)d quizzes built"
        ) % {
            "code": self.course.code if self.course else "?",
            "file": Path(self.file).name,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "images": len(self.images_imported),
            "quizzes": len(self.quizzes_built),
        }


def read_course_file(path):
    """Parse and check ``path``; return the course description or raise
    ContentError listing every problem. Writes nothing."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ContentError(path, "", _("cannot read the file (%(error)s)") % {"error": error.strerror}) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = (
            _("line %(line)d, column %(column)d") % {"line": mark.line + 1, "column": mark.column + 1} if mark else ""
        )
        problem = getattr(error, "problem", None) or str(error)
        raise ContentError(path, where, _("not valid YAML: %(problem)s") % {"problem": problem}) from error
    checker = ContentChecker(path.parent)
    spec = checker.document(data)
    if checker.problems:
        (first_path, first_problem), *others = checker.problems
        raise ContentError(path, first_path, first_problem, others)
    return spec


def load_course_file(path, *, instructor_username=DEMO_INSTRUCTOR):
    """Create or update the course described by the content file ``path``.

    Safe to call twice: an unchanged file changes nothing (no new pages, no
    new revisions, no new images). Raises ContentError, naming the file and
    the place inside it, for a malformed file; nothing is written then.
    """
    spec = read_course_file(path)
    builder = _Builder(Path(path), instructor_username)
    try:
        with transaction.atomic(), translation.override("en"):
            builder.build(spec)
    except BaseException:
        builder.discard_files()
        raise
    for warning in builder.result.warnings:
        logger.warning("%s", warning)
    return builder.result


# --------------------------------------------------------------- building


def _normalise(model, name, value):
    """``value`` as it would compare once stored in ``model.name``."""
    probe = model()
    setattr(probe, name, value)
    return comparable(probe, name)


class _Builder:
    def __init__(self, file, instructor_username):
        self.file = file
        self.instructor_username = instructor_username
        self.result = LoadResult(file=str(file))
        self.images = {}
        self.stored_files = []
        #: (job aid key, language) -> its Wagtail document
        self.job_aid_documents = {}

    def fail(self, path, problem):
        raise ContentError(self.file, path, problem)

    def build(self, spec):
        index = CourseIndexPage.objects.first()
        if index is None:
            self.fail("", _("there is no course index page yet; run manage.py setup_site first"))
        values = self.page_values(spec)
        values.update(
            {f"summary_{lang}": spec.extra["summary"][lang] for lang in LANGUAGES}
            | {
                name: spec.extra[name]
                for name in ("code", "credit_hours", "estimated_minutes", "validity_months", "sequencing")
                if not (spec.extra["duration_computed"] and name in ("credit_hours", "estimated_minutes"))
            }
        )
        self.job_aids(spec)
        existing = CoursePage.objects.filter(code=spec.extra["code"]).first()
        course = self.upsert(index, CoursePage, existing, values, spec.path, self.instructor_for)
        self.result.course = course
        modules, module_steps, quizzes = [], [], []
        for module_spec in spec.children:
            existing = ModulePage.objects.child_of(course).filter(slug_en=module_spec.slug["en"]).first()
            module = self.upsert(course, ModulePage, existing, self.page_values(module_spec), module_spec.path)
            modules.append(module)
            steps = [self.lesson(module, lesson_spec) for lesson_spec in module_spec.children]
            if module_spec.quiz is not None:
                quiz = self.quiz(course, module, module_spec)
                if quiz is not None:
                    steps.append(quiz)
                    quizzes.append(quiz)
            module_steps.append(steps)
        pre_assessment = spec.extra.get("pre_assessment")
        if pre_assessment is not None and modules:
            diagnostic = self.diagnostic(course, modules[0], spec.children[0], pre_assessment, quizzes)
            if diagnostic is not None:
                module_steps[0].insert(0, diagnostic)
        for module, steps in zip(modules, module_steps, strict=True):
            self.keep_order(module, steps)
        self.keep_order(course, modules)
        changed = spec.extra["duration_computed"] and apply_computed_duration(course)
        if changed and course not in self.result.created + self.result.updated:
            self.result.updated.append(course)

    def page_values(self, spec):
        values = {}
        for lang in LANGUAGES:
            values[f"title_{lang}"] = spec.title[lang]
            values[f"slug_{lang}"] = spec.slug[lang]
            values[f"intro_{lang}"] = spec.intro[lang]
        return values

    def lesson(self, module, spec):
        values = self.page_values(spec)
        values["estimated_minutes"] = spec.extra["estimated_minutes"]
        values["is_required"] = spec.extra.get("required", True)
        for lang in LANGUAGES:
            values[f"body_{lang}"] = [
                {"type": block.type, "value": self.block_value(block, lang)} for block in spec.blocks
            ]
        existing = LessonPage.objects.child_of(module).filter(slug_en=spec.slug["en"]).first()
        return self.upsert(module, LessonPage, existing, values, spec.path)

    def block_value(self, block, lang):
        value = block.values[lang]
        if block.type == "image":
            image = self.image(block.files[lang], value["caption"] or value["alt"])
            value = {**value, "image": image.pk}
        elif block.type == "document" and block.job_aid:
            value = {**value, "document": self.job_aid_documents[(block.job_aid, lang)].pk}
        return value

    def job_aids(self, spec):
        """Render (when new or changed) and store each job aid's document in
        each language, before the lessons that link them are built."""
        for key, aid in spec.extra.get("job_aids", {}).items():
            for lang in LANGUAGES:
                document, written = store_job_aid(spec.extra["code"], aid, lang, spec.title[lang])
                if written:
                    self.stored_files.append((document.file.storage, written))
                    self.result.job_aids_rendered.append(document)
                self.job_aid_documents[(key, lang)] = document

    def image(self, file, title):
        if file in self.images:
            return self.images[file]
        Image = get_image_model()
        data = file.read_bytes()
        # Wagtail's own image file_hash is a SHA-1 (matching, not security).
        sha1 = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        image = Image.objects.filter(file_hash=sha1).order_by("pk").first()
        if image is None:
            image = Image(title=(title or file.stem)[:255], file=ContentFile(data, name=file.name))
            image.file_size, image.file_hash = len(data), sha1
            image.save()
            self.stored_files.append((image.file.storage, image.file.name))
            self.result.images_imported.append(image)
        self.images[file] = image
        return image

    def instructor_for(self, course):
        """Add the demo instructor to the course; True when that changed it."""
        user = get_user_model().objects.filter(username=self.instructor_username).first()
        if user is None:
            return False
        current = list(course.instructors.all()) if course.pk else []
        if user in current:
            return False
        course.instructors = [*current, user]
        return True

    def upsert(self, parent, model, page, values, path, extra_change=None):
        """Create ``page`` under ``parent`` or bring it in line with
        ``values``; publish a revision only when something changed."""
        try:
            if page is None:
                page = model(**values)
                if extra_change:
                    extra_change(page)
                parent.add_child(instance=page)
                page.save_revision(log_action=True).publish()
                self.result.created.append(page)
                return page
            page = page.specific
            changed = [name for name, value in values.items() if self.differs(page, name, value)]
            for name in changed:
                setattr(page, name, values[name])
            if extra_change and extra_change(page):
                changed.append("instructors")
            if not changed:
                self.result.unchanged.append(page)
                return page
            if not page.live:
                # Someone unpublished it on purpose: offer the change as a draft
                # (saved on the row too, as the admin does for pages not live).
                page.save()
                page.save_revision(log_action=True)
                self.result.warnings.append(
                    _("%(path)s: “%(title)s” is not live; the file's version was saved as a draft")
                    % {"path": path, "title": page.title}
                )
            else:
                if page.has_unpublished_changes:
                    self.result.warnings.append(
                        _("%(path)s: the unpublished draft of “%(title)s” was replaced by the file's version")
                        % {"path": path, "title": page.title}
                    )
                page.save_revision(log_action=True).publish()
            self.result.updated.append(page)
            return page
        except ValidationError as error:
            self.fail(path, "; ".join(_messages(error)))

    @staticmethod
    def differs(page, name, value):
        field = page._meta.get_field(name)
        if isinstance(field, StreamField) or hasattr(getattr(page, field.attname), "source"):
            return comparable(page, name) != _normalise(type(page), name, value)
        current = getattr(page, field.attname)
        if isinstance(current, str) or current is None:
            return (current or "") != (value or "")
        return current != value

    def quiz(self, course, module, spec):
        """Build the module's quiz unless the same mapping built it before."""
        digest = hashlib.sha256(
            json.dumps(spec.quiz, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
        ).hexdigest()
        loaded = LoadedQuiz.objects.filter(course_code=course.code, module_slug=spec.slug["en"]).first()
        if (
            loaded is not None
            and loaded.digest == digest
            and loaded.quiz_page.get_parent().pk == module.pk
            and loaded.quiz_page.slug_en == spec.quiz_slug["en"]
            and _draws_from_a_category(loaded.quiz_page)
        ):
            self.result.unchanged.append(loaded.quiz_page)
            return loaded.quiz_page
        if importlib.util.find_spec("quizzes.content") is None:
            self.result.warnings.append(
                _("%(path)s: quizzes.content is not installed; quiz skipped") % {"path": spec.quiz_path}
            )
            return None
        build_quiz = importlib.import_module("quizzes.content").build_quiz
        try:
            quiz = build_quiz(module, spec.quiz)
        except ValidationError as error:
            self.fail(spec.quiz_path, "; ".join(_messages(error)))
        except (KeyError, TypeError, ValueError) as error:
            self.fail(spec.quiz_path, _("the quiz could not be built (%(error)s)") % {"error": error})
        LoadedQuiz.objects.update_or_create(
            course_code=course.code,
            module_slug=spec.slug["en"],
            defaults={"quiz_page": quiz, "digest": digest},
        )
        self.result.quizzes_built.append(quiz)
        return quiz

    def diagnostic(self, course, module, module_spec, data, quizzes):
        """Build the course's pre-assessment first in ``module`` unless the
        same mapping, drawing from the same quizzes, built it before."""
        path = f"{module_spec.path.rsplit('.modules', 1)[0]}.pre_assessment"
        key = f"{module_spec.slug['en']}/{data['slug']['en']}"
        digest = hashlib.sha256(
            json.dumps(
                {"pre_assessment": data, "quizzes": [quiz.pk for quiz in quizzes]},
                sort_keys=True,
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
            ).encode()
        ).hexdigest()
        loaded = LoadedQuiz.objects.filter(course_code=course.code, module_slug=key).first()
        if loaded is not None and loaded.digest == digest and loaded.quiz_page.get_parent().pk == module.pk:
            self.result.unchanged.append(loaded.quiz_page)
            return loaded.quiz_page
        from quizzes.content import build_diagnostic

        try:
            quiz = build_diagnostic(module, data, quizzes)
        except ValidationError as error:
            self.fail(path, "; ".join(_messages(error)))
        LoadedQuiz.objects.update_or_create(
            course_code=course.code, module_slug=key, defaults={"quiz_page": quiz, "digest": digest}
        )
        self.result.quizzes_built.append(quiz)
        return quiz

    @staticmethod
    def keep_order(parent, pages):
        """Put the file's pages in the file's order (others stay first)."""
        wanted = [page.pk for page in pages]
        current = list(parent.get_children().filter(pk__in=wanted).order_by("path").values_list("pk", flat=True))
        if current == wanted:
            return
        for page in pages:
            page.refresh_from_db(fields=["path", "depth", "numchild"])
            page.move(parent.__class__.objects.get(pk=parent.pk), pos="last-child")

    def discard_files(self):
        """Remove image files written by a load that was rolled back."""
        for storage, name in self.stored_files:
            storage.delete(name)


def _draws_from_a_category(page):
    """Quizzes built before the quiz drew from its bank category list their
    questions instead; such a quiz is rebuilt once (same questions, same
    rows), so a question added to its category joins its pool."""
    return page.specific.draw_categories.exists()


def _messages(error):
    if hasattr(error, "message_dict"):
        return [f"{name}: {message}" for name, messages in error.message_dict.items() for message in messages]
    return list(error.messages)
