"""The read model of a course: one row of plain data per course.

Everything that reads the *structure* of a course (routing below the course
index, the outline beside a step, progress and sequencing, the reports) reads
it from here, never from the page tree. See
docs/decisions/0007-course-read-model.md.

``build(course_id)`` writes ``CourseStructure`` for one course: the ids,
slugs, titles and relative paths per language of its live modules and steps
in tree order, the required flags, minutes, step kinds, the sequencing
rules (the course's and each module's override), the ids of its
prerequisite courses and whether a view restriction may apply. It runs from
the signal handlers at the end of this module whenever a page at or inside a
course is saved (publishing and unpublishing save), published, moved or
deleted, or a view restriction changes: in the same transaction, so every
process sees the new structure as soon as the change is committed, and
never before. No Django cache is involved.

``outline_of(course)`` reads the row (one query) and gives an ``Outline`` of
plain dataclasses in the active language. Parsed rows are kept per process
keyed by their build stamp, which the query reads every time (and the data
comes along only for a stamp this process has not parsed): a new build has
a new stamp, so a process never serves an old structure.

``install()`` puts ``site_route``, ``course_index_route`` and ``course_route``
on the course index's parent (the home page), the course index and the
course models. It runs from ``CoursesConfig.ready()`` because
wagtail-modeltranslation replaces ``route()`` on every page model when it
registers them (its own route loads every child of each page on the way
down); ``tests/courses/test_structure.py`` fails when they are missing.
"""

import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.utils import timezone, translation
from modeltranslation.translator import NotRegistered, translator
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import CourseIndexPage, CoursePage, CourseStructure, ModulePage, Sequencing, StepPage

#: Bumped when the shape of ``CourseStructure.data`` changes: rows of
#: another format are rebuilt on first read.
FORMAT = 1


def languages():
    return [code for code, _name in settings.LANGUAGES]


def step_models():
    return [model for model in get_page_models() if issubclass(model, StepPage)]


# ---------------------------------------------------------------- build


def _per_language(page, name):
    """{language: value} of a translated field, with modeltranslation's
    fallback to the default language (what a page view in that language shows)."""
    default = getattr(settings, "MODELTRANSLATION_DEFAULT_LANGUAGE", "en")
    base = getattr(page, name)
    return {
        code: getattr(page, f"{name}_{code}", None) or getattr(page, f"{name}_{default}", None) or base
        for code in languages()
    }


def _light_fields(model):
    """Columns a structure needs: no bodies, intros or other text."""
    return [
        f.attname
        for f in model._meta.concrete_fields
        if not isinstance(f, (StreamField, RichTextField, models.TextField))
    ]


def _ancestor_paths(path, steplen):
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def build(course_id):
    """(Re)write the structure row of one course from the page tree and return
    its data (None when the course no longer exists). A few queries whatever
    the size of the course; call it inside the transaction that changed the tree."""
    course = CoursePage.objects.filter(pk=course_id).only(*_light_fields(CoursePage)).first()
    if course is None:
        CourseStructure.objects.filter(pk=course_id).delete()
        return None
    modules = list(ModulePage.objects.live().child_of(course).order_by("path").only(*_light_fields(ModulePage)))
    pages = []
    for model in step_models():
        pages.extend(model.objects.live().descendant_of(course).only(*_light_fields(model)))
    pages.sort(key=lambda page: page.path)
    course_sequential = course.sequencing == Sequencing.SEQUENTIAL
    module_data = {}
    for module in modules:
        module_data[module.path] = {
            "id": module.pk,
            "title": _per_language(module, "title"),
            "slug": _per_language(module, "slug"),
            "sequencing": module.sequencing,
            "sequential": module.is_sequential(course),
            "steps": [],
        }
    for page in pages:
        module = module_data.get(page.path[: -page.steplen])
        if module is None:  # under a draft module, or deeper than a step
            continue
        module["steps"].append(
            {
                "id": page.pk,
                "model": page._meta.label_lower,
                "kind": page._meta.model_name,
                "title": _per_language(page, "title"),
                "slug": _per_language(page, "slug"),
                "required": page.is_required,
                "minutes": page.estimated_minutes,
                "manual_completion": page.manual_completion,
                "closes_module": page.closes_module,
                "first_published_at": page.first_published_at.isoformat() if page.first_published_at else None,
            }
        )
    in_line = Q(path__in=_ancestor_paths(course.path, course.steplen)) | Q(path__startswith=course.path)
    restricted = (
        PageViewRestriction.objects.filter(page__in=Page.objects.filter(in_line)).exists()
        or Page.objects.filter(in_line, alias_of__isnull=False).exists()
    )
    data = {
        "format": FORMAT,
        "course": {
            "id": course.pk,
            "title": _per_language(course, "title"),
            "slug": _per_language(course, "slug"),
            "live": course.live,
            "sequencing": course.sequencing,
            "sequential": course_sequential,
            "prerequisites": sorted(course.prerequisites.values_list("pk", flat=True)),
        },
        "restricted": restricted,
        "modules": list(module_data.values()),
    }
    parent_path = course.path[: -course.steplen]
    index = CourseIndexPage.objects.filter(path=parent_path).only(*_light_fields(CourseIndexPage)).first()
    CourseStructure.objects.update_or_create(
        course_id=course.pk,
        defaults={
            "index_id": index.pk if index else None,
            "index_live": bool(index and index.live),
            "index_slugs": _per_language(index, "slug") if index else {},
            "live": course.live,
            "slugs": data["course"]["slug"],
            "data": data,
            "stamp": uuid.uuid4().hex,
            "built_at": timezone.now(),
        },
    )
    return data


# ---------------------------------------------------------------- read


@dataclass
class Step:
    page_id: int
    title: str
    is_required: bool
    estimated_minutes: int
    #: The specific model's name ("lessonpage", "quizpage", "exercisepage").
    kind: str
    #: "app_label.modelname" of the specific page class.
    model: str
    module_id: int
    #: The page's URL in the language the outline was read in.
    url: str = ""
    #: The path below the course ("module-slug/step-slug/"), used for routing.
    rel: str = ""
    #: Does this step wait for the required steps before it in its module
    #: (the module's sequencing, or the course's)?
    sequential: bool = False
    #: Does it wait for the required steps of the modules before its own
    #: (the course's sequencing)?
    course_sequential: bool = False
    manual_completion: bool = True
    closes_module: bool = False
    first_published_at: str = None


@dataclass
class Module:
    id: int
    title: str
    steps: list
    url: str = ""
    rel: str = ""
    sequential: bool = False

    @property
    def pk(self):
        return self.id


@dataclass
class Outline:
    course_id: int
    modules: list
    #: Might a page view restriction apply to a page of this course?
    restricted: bool = True
    prerequisite_ids: list = field(default_factory=list)
    stamp: str = ""

    @cached_property
    def steps(self):
        return [step for module in self.modules for step in module.steps]

    @cached_property
    def _steps_by_id(self):
        return {step.page_id: step for step in self.steps}

    @cached_property
    def required_ids(self):
        return {step.page_id for step in self.steps if step.is_required}

    def step(self, page_id):
        """The step with this page id, or None."""
        return self._steps_by_id.get(page_id)

    def module(self, page_id):
        for module in self.modules:
            if module.id == page_id:
                return module
        return None

    def neighbours(self, page_id):
        """(previous step, next step) around ``page_id`` in course order."""
        steps = self.steps
        for index, step in enumerate(steps):
            if step.page_id == page_id:
                previous = steps[index - 1] if index > 0 else None
                following = steps[index + 1] if index + 1 < len(steps) else None
                return previous, following
        return None, None

    def find(self, components):
        """The module or step that the path components below the course name
        (``["module-slug"]`` or ``["module-slug", "step-slug", ...]``)."""
        if not components:
            return None
        module_rel = components[0] + "/"
        for module in self.modules:
            if module.rel != module_rel:
                continue
            if len(components) == 1:
                return module
            step_rel = module_rel + components[1] + "/"
            for step in module.steps:
                if step.rel == step_rel:
                    return step
            return None
        return None


#: {course id: (stamp, data)}: rows already parsed in this process. Checked
#: against the stamp the database returns on every read, so never stale.
_parsed = {}
_parsed_lock = threading.Lock()
_PARSED_MAX = 64


def _remember(course_id, stamp, data):
    with _parsed_lock:
        if len(_parsed) >= _PARSED_MAX:
            _parsed.clear()
        _parsed[course_id] = (stamp, data)


def with_unparsed_data(queryset):
    """``queryset`` of structure rows with their data only where this process
    has not parsed their build yet (``unparsed``; NULL otherwise): one query
    either way, and no JSON moved or decoded for a build already parsed."""
    known = [stamp for stamp, _data in list(_parsed.values())]
    data = models.F("data")
    if known:
        data = models.Case(
            models.When(stamp__in=known, then=models.Value(None, output_field=models.JSONField())),
            default=models.F("data"),
            output_field=models.JSONField(),
        )
    return queryset.defer("data").annotate(unparsed=data)


def data_of(row):
    """The data of a structure row from ``with_unparsed_data``: this process's
    parsed copy when the stamp matches, else what the row brought (or, for a
    row loaded otherwise, one query)."""
    known = _parsed.get(row.course_id)
    if known is not None and known[0] == row.stamp:
        return known[1]
    data = getattr(row, "unparsed", None)
    if data is None:
        data = row.data
    if not data or data.get("format") != FORMAT:
        data = build(row.course_id)
        row = CourseStructure.objects.only("stamp").get(pk=row.course_id)
    _remember(row.course_id, row.stamp, data)
    return data


def read(course_id):
    """(stamp, data) of one course's structure, straight from the database
    (built when missing). One query, two the first time a process sees a build."""
    row = with_unparsed_data(CourseStructure.objects.filter(pk=course_id)).first()
    if row is None:
        data = build(course_id)
        if data is None:
            return "", None
        row = with_unparsed_data(CourseStructure.objects.filter(pk=course_id)).get()
    return row.stamp, data_of(row)


def outline_from(data, stamp, course_url, language=None):
    """The ``Outline`` of structure ``data`` in ``language`` (the active one),
    with URLs below ``course_url``."""
    language = language or translation.get_language()
    if language not in data["course"]["slug"]:
        language = getattr(settings, "MODELTRANSLATION_DEFAULT_LANGUAGE", "en")
    course_url = course_url or ""
    course_sequential = data["course"]["sequential"]
    modules = []
    for module in data["modules"]:
        rel = module["slug"][language] + "/"
        steps = []
        for step in module["steps"]:
            step_rel = rel + step["slug"][language] + "/"
            steps.append(
                Step(
                    page_id=step["id"],
                    title=step["title"][language],
                    is_required=step["required"],
                    estimated_minutes=step["minutes"],
                    kind=step["kind"],
                    model=step["model"],
                    module_id=module["id"],
                    url=course_url + step_rel if course_url else "",
                    rel=step_rel,
                    sequential=module["sequential"],
                    course_sequential=course_sequential,
                    manual_completion=step["manual_completion"],
                    closes_module=step["closes_module"],
                    first_published_at=step["first_published_at"],
                )
            )
        modules.append(
            Module(
                id=module["id"],
                title=module["title"][language],
                steps=steps,
                url=course_url + rel if course_url else "",
                rel=rel,
                sequential=module["sequential"],
            )
        )
    return Outline(
        course_id=data["course"]["id"],
        modules=modules,
        restricted=data["restricted"],
        prerequisite_ids=list(data["course"]["prerequisites"]),
        stamp=stamp,
    )


def outline_of(course, request=None):
    """The live outline of ``course`` in the active language, from its
    structure row (one query; see ``read``). Read-only; safe to call often."""
    stamp, data = read(course.pk)
    if data is None:
        return Outline(course_id=course.pk, modules=[])
    return outline_from(data, stamp, course.get_url(request) or "")


# ---------------------------------------------------------------- routing


_translated_route = {}


def _overrides():
    """(model, route) pairs: the course index's parent types (the home page),
    the course index and the course."""
    parents = [apps.get_model(label) for label in CourseIndexPage.parent_page_types]
    return [(model, site_route) for model in parents] + [
        (CourseIndexPage, course_index_route),
        (CoursePage, course_route),
    ]


def install():
    """Route through the read model from the course index's parent down."""
    for model, route in _overrides():
        if model.route is not route:
            _translated_route[model] = model.route
            model.route = route


def installed():
    return all(model.route is route for model, route in _overrides())


def _active_language():
    language = translation.get_language()
    if language not in languages():
        language = getattr(settings, "MODELTRANSLATION_DEFAULT_LANGUAGE", "en")
    return language


def _course_rows(language):
    return with_unparsed_data(
        CourseStructure.objects.defer(*(f"course__{name}" for name in _unused_text(CoursePage, language)))
    ).select_related("course")


def _enter_course(row, request, language):
    """The course page of ``row`` with its structure attached (no query when
    this process has parsed that build already)."""
    course = row.course
    course._structure = (row.stamp, data_of(row))
    if request is not None:
        # The catalogue link of the header (courses_tags.course_catalogue_url):
        # the course index, the parent of the course's URL.
        url = ""
        if row.index_live:
            course_url = course.get_url(request) or ""
            slug = row.slugs.get(language, "")
            url = course_url[: -len(slug) - 1] if slug and course_url.endswith(f"/{slug}/") else ""
        request._course_catalogue_urls = {language: url}
    return course


def site_route(self, request, path_components):
    """From the course index's parent (the home page): ``index/course/...``
    found with the course's structure in one query, where the translated
    route lists the parent's children and loads the index first."""
    if len(path_components) >= 2:
        language = _active_language()
        row = (
            _course_rows(language)
            .filter(
                live=True,
                course__path__startswith=self.path,
                course__depth=self.depth + 2,
                **{f"index_slugs__{language}": path_components[0], f"slugs__{language}": path_components[1]},
            )
            .first()
        )
        if row is not None and row.course.live:
            return _enter_course(row, request, language).route(request, path_components[2:])
    return _fallback(self, request, path_components)


def _fallback(page, request, components):
    return _translated_route[type(page)](page, request, components)


def course_index_route(self, request, path_components):
    """The course whose slug in the active language is the first component,
    with its structure, in one query; anything else (drafts, unknown slugs)
    goes to the translated route, which answers as Wagtail does."""
    if path_components:
        language = _active_language()
        row = (
            _course_rows(language)
            .filter(index_id=self.pk, live=True, **{f"slugs__{language}": path_components[0]})
            .first()
        )
        if row is not None and row.course.live:
            course = _enter_course(row, request, language)
            course._cached_parent_obj = self
            return course.route(request, path_components[1:])
    return _fallback(self, request, path_components)


def course_route(self, request, path_components):
    """A module or step of this course found in its structure, then loaded by
    id (one query, without the text columns of other languages)."""
    stamp, data = getattr(self, "_structure", None) or read(self.pk)
    if data is None:
        return _fallback(self, request, path_components)
    outline = outline_from(data, stamp, self.get_url(request) or "")
    self._outline = outline
    _mark_unrestricted(self, outline)
    if path_components:
        entry = outline.find(path_components)
        if isinstance(entry, Module) and len(path_components) == 1:
            page = _load(ModulePage, entry.id)
            return _attach(page, self, outline).route(request, [])
        if isinstance(entry, Step):
            page = _load(apps.get_model(entry.model), entry.page_id)
            return _attach(page, self, outline).route(request, path_components[2:])
    return _fallback(self, request, path_components)


def _load(model, pk):
    try:
        # Django's own defer(): modeltranslation's would also defer every
        # translation of an untranslated field name.
        queryset = QuerySet.defer(model.objects.all(), *_unused_text(model, translation.get_language()))
        return queryset.get(pk=pk)
    except model.DoesNotExist as error:
        raise Http404 from error


def _unused_text(model, language):
    """Rich text and stream columns a page view in ``language`` never reads:
    the untranslated column and the translations other than ``language``
    and the fallback language."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    keep = {language, *getattr(settings, "MODELTRANSLATION_FALLBACK_LANGUAGES", ("en",))}
    columns = []
    for name, translated in options.all_fields.items():
        field_ = model._meta.get_field(name)
        if isinstance(field_, (StreamField, RichTextField)):
            columns.append(field_.attname)
            columns.extend(f.attname for f in translated if f.language not in keep)
    return columns


def _mark_unrestricted(page, outline):
    if not outline.restricted:
        page._no_view_restrictions = True


def _attach(page, course, outline):
    """Hand the course and its outline to the page so serving it needs no
    further lookups (see ``courses.study``)."""
    page._course = course
    page._outline = outline
    _mark_unrestricted(page, outline)
    return page


# ---------------------------------------------------------------- upkeep

_batch = threading.local()


@contextmanager
def batch():
    """Build each touched course once, at the end, instead of after every
    page saved inside the block (bulk loaders: demo, benchmarks)."""
    outer = getattr(_batch, "pending", None)
    if outer is not None:
        yield
        return
    _batch.pending = set()
    try:
        yield
        pending = _batch.pending
    finally:
        _batch.pending = None
    for course_id in sorted(pending):
        build(course_id)


def rebuild(course_ids):
    pending = getattr(_batch, "pending", None)
    for course_id in course_ids:
        if pending is not None:
            pending.add(course_id)
        else:
            build(course_id)


def courses_at_or_above(page):
    """Ids of the course that ``page`` is, or sits in."""
    if page is None or not getattr(page, "path", None):
        return []
    if isinstance(page, CoursePage):
        return [page.pk]
    return list(
        CoursePage.objects.filter(path__in=_ancestor_paths(page.path, page.steplen)).values_list("pk", flat=True)
    )


def courses_touching(page):
    """Ids of the courses at, above or below ``page``."""
    if page is None or not getattr(page, "path", None):
        return []
    return list(
        CoursePage.objects.filter(
            Q(path__in=_ancestor_paths(page.path, page.steplen)) | Q(path__startswith=page.path)
        ).values_list("pk", flat=True)
    )


def _in_course_tree(page):
    return isinstance(page, (CourseIndexPage, CoursePage, ModulePage, StepPage))


def _courses_of(page):
    # The index's slug, live flag and place are in its courses' rows.
    return courses_touching(page) if isinstance(page, CourseIndexPage) else courses_at_or_above(page)


#: Saves limited to other fields (a new draft revision, lock, view counts)
#: leave the structure alone.
STRUCTURAL_FIELDS = (
    "live",
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "is_required",
    "estimated_minutes",
    "sequencing",
    "first_published_at",
    "alias_of",
)


def _structural(update_fields):
    if update_fields is None:
        return True
    return any(name.startswith(STRUCTURAL_FIELDS) for name in update_fields)


def on_page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # post_save comes once, for the specific class: creating, publishing,
    # unpublishing and saves made in code all pass here.
    if not raw and isinstance(instance, Page) and _in_course_tree(instance) and _structural(update_fields):
        rebuild(_courses_of(instance))


def on_page_published(sender, instance, **kwargs):
    # After publish() has also written the page's many-to-many relations
    # (prerequisites) and its descendants' URL paths.
    if _in_course_tree(instance):
        rebuild(_courses_of(instance))


def on_page_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    ids = set(courses_touching(instance))
    ids.update(courses_at_or_above(parent_page_before))
    ids.update(courses_at_or_above(parent_page_after))
    rebuild(sorted(ids))


def on_page_deleted(sender, instance, **kwargs):
    if not isinstance(instance, Page):
        return
    if isinstance(instance, CoursePage):
        CourseStructure.objects.filter(pk=instance.pk).delete()
        return
    if _in_course_tree(instance):
        # The course itself may be going in the same deletion: build() then
        # finds no course and drops the row.
        rebuild(_courses_of(instance))


def on_restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).only("path", "depth").first()
    rebuild(courses_touching(page))


def connect():
    post_save.connect(on_page_saved, dispatch_uid="courses_structure_saved")
    page_published.connect(on_page_published, dispatch_uid="courses_structure_published")
    page_unpublished.connect(on_page_published, dispatch_uid="courses_structure_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="courses_structure_moved")
    post_delete.connect(on_page_deleted, dispatch_uid="courses_structure_deleted")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="courses_restriction_saved")
    post_delete.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="courses_restriction_deleted")


def rebuild_all():
    """Build every course's structure (the data migration and ``manage.py
    build_course_structures`` call this)."""
    with transaction.atomic():
        for course_id in CoursePage.objects.values_list("pk", flat=True):
            build(course_id)
