"""The outline of a course: its live modules and steps in tree order, built
from the database (``course_outline``) or from Django's cache
(``cached_outline``, what every page view uses). ``courses.progress``
re-exports these names."""

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db.models import TextField
from django.utils import translation
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, get_page_models

from . import caching
from .models import CoursePage, ModulePage, Sequencing, StepPage


def step_models():
    return [model for model in get_page_models() if issubclass(model, StepPage)]


# ---------------------------------------------------------------- outline


@dataclass
class Step:
    page_id: int
    title: str
    url_path: str
    is_required: bool
    estimated_minutes: int
    kind: str
    page: Page = field(repr=False, default=None)
    #: The page's URL in the language the outline was built in.
    url: str = ""
    #: The path below the course ("module-slug/step-slug/"), used for routing.
    rel: str = ""
    #: "app_label.modelname" of the specific page class.
    model: str = ""
    module_id: int = None
    #: Does this step wait for the required steps before it in its module
    #: (the module's sequencing, or the course's)?
    sequential: bool = False
    #: Does it wait for the required steps of the modules before its own
    #: (the course's sequencing)?
    course_sequential: bool = False


@dataclass
class Module:
    page: ModulePage
    steps: list
    url: str = ""
    rel: str = ""


@dataclass
class Outline:
    course: CoursePage
    modules: list

    @cached_property
    def steps(self):
        return [step for module in self.modules for step in module.steps]

    @cached_property
    def required_ids(self):
        return {step.page_id for step in self.steps if step.is_required}

    def step(self, page_id):
        """The step with this page id, or None."""
        for step in self.steps:
            if step.page_id == page_id:
                return step
        return None

    def module(self, page_id):
        for module in self.modules:
            if module.page.pk == page_id:
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


def course_outline(course):
    """The live modules and steps of ``course`` in tree order.

    A constant number of queries whatever the size of the course: one for the
    modules and one per step type.
    """
    modules = list(ModulePage.objects.live().child_of(course).order_by("path"))
    steps = []
    for model in step_models():
        steps.extend(model.objects.live().descendant_of(course))
    steps.sort(key=lambda page: page.path)
    by_module = {module.path: Module(page=module, steps=[]) for module in modules}
    for page in steps:
        module = by_module.get(page.path[: -page.steplen])
        if module is None:
            continue
        module.steps.append(
            Step(
                page_id=page.pk,
                title=page.title,
                url_path=page.url_path,
                is_required=page.is_required,
                estimated_minutes=page.estimated_minutes,
                kind=page._meta.model_name,
                page=page,
                model=page._meta.label_lower,
                module_id=module.page.pk,
                sequential=module.page.is_sequential(course),
                course_sequential=course.sequencing == Sequencing.SEQUENTIAL,
            )
        )
    return Outline(course=course, modules=list(by_module.values()))


# ---------------------------------------------------------------- cached outline


def outline_cache_key(course_id, language):
    return f"courses:outline:v2:{course_id}:{language}"


def invalidate_outlines(course_ids):
    """Forget the cached outlines of these courses in every language."""
    keys = [outline_cache_key(pk, code) for pk in course_ids for code, _name in settings.LANGUAGES]
    if keys:
        cache.delete_many(keys)


def _heavy_fields(model):
    """Text columns a listing never needs (bodies, intros) in every language."""
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, (StreamField, RichTextField, TextField)) and f.model is not Page
    ]


def _build_light_outline(course, request=None):
    course_url = course.get_url(request) or ""
    base = course.url_path
    modules = []
    by_path = {}
    for module_page in ModulePage.objects.live().child_of(course).order_by("path"):
        module = Module(page=module_page, steps=[])
        _set_location(module, module_page, base, course_url, request)
        modules.append(module)
        by_path[module_page.path] = module
    pages = []
    for model in step_models():
        pages.extend(model.objects.live().descendant_of(course).defer(*_heavy_fields(model)))
    pages.sort(key=lambda page: page.path)
    for page in pages:
        module = by_path.get(page.path[: -page.steplen])
        if module is None:
            continue
        step = Step(
            page_id=page.pk,
            title=page.title,
            url_path=page.url_path,
            is_required=page.is_required,
            estimated_minutes=page.estimated_minutes,
            kind=page._meta.model_name,
            model=page._meta.label_lower,
            module_id=module.page.pk,
            sequential=module.page.is_sequential(course),
            course_sequential=course.sequencing == Sequencing.SEQUENTIAL,
        )
        _set_location(step, page, base, course_url, request)
        module.steps.append(step)
    return Outline(course=None, modules=modules)


def _set_location(item, page, base, course_url, request):
    url_path = page.url_path
    if base and course_url and url_path.startswith(base):
        item.rel = url_path[len(base) :]
        item.url = course_url + item.rel
    else:
        # An untranslated path that does not sit below the course's path.
        item.url = page.get_url(request) or ""
        item.rel = ""


def cached_outline(course, request=None):
    """The live outline of ``course`` in the active language, from Django's cache.

    Like ``course_outline`` but the steps carry no page objects
    (``step.page`` is None): ids, titles, URLs, required flags and minutes.
    Zero queries when cached; the cache is dropped when a page of the course
    is published, unpublished, moved or deleted (see ``courses.signal_handlers``
    and ``courses.caching``).
    Read-only, safe to call any number of times.
    """
    key = outline_cache_key(course.pk, translation.get_language())
    outline = cache.get(key)
    if outline is None:
        outline = _build_light_outline(course, request)
        cache.set(key, outline, caching.lifetime("outline"))
    outline.course = course
    return outline
