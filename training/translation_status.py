"""What still lacks Spanish: every translated field whose Spanish value is
empty while the English one is filled, or whose Spanish value changed before
its English one last did.

Every model registered with modeltranslation is covered. Queries: one for the
objects of each model type plus one for the stamps of each stamp family
(pages share one), whatever the number of objects.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modeltranslation.translator import translator
from wagtail.admin.admin_url_finder import finder_classes
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .stamps import stamp_model, tracked_fields


class Problem(models.TextChoices):
    MISSING = "missing", _("Spanish missing")
    OUTDATED = "outdated", _("Spanish older than English")


@dataclass
class StatusRow:
    model_key: str
    model_label: str
    object_label: str
    edit_url: str | None
    field: str
    field_label: str
    problem: str
    english_changed_at: datetime | None
    spanish_changed_at: datetime | None

    @property
    def problem_label(self):
        return Problem(self.problem).label


def model_key(model):
    return model._meta.label_lower


def report_models():
    """Concrete models with translated fields, ordered by their name."""
    found = [
        model
        for model in translator.get_registered_models(abstract=False)
        if not model._meta.proxy and tracked_fields(model)
    ]
    return sorted(found, key=lambda model: (str(model._meta.verbose_name).lower(), model._meta.label_lower))


def model_choices():
    return [(model_key(model), capfirst(model._meta.verbose_name)) for model in report_models()]


def is_empty(field, value):
    if value is None:
        return True
    if isinstance(field, StreamField):
        return len(value) == 0
    if hasattr(value, "source"):  # RichText
        value = value.source
    if isinstance(field, RichTextField):
        return not strip_tags(str(value)).strip()
    if isinstance(value, str):
        return not value.strip()
    return False


@cache
def _parent_link(model, depth=0):
    """For an inline model (ParentalKey), the lookup to the nearest parent
    that has an edit page: (select_related path, parent model) or None."""
    if depth > 3:
        return None
    for field in model._meta.fields:
        if isinstance(field, ParentalKey):
            parent = field.related_model
            if issubclass(parent, Page) or finder_classes.get_by_type(parent):
                return field.name, parent
            deeper = _parent_link(parent, depth + 1)
            if deeper:
                return f"{field.name}__{deeper[0]}", deeper[1]
    return None


def _edit_url(obj, user):
    if isinstance(obj, Page):
        return reverse("wagtailadmin_pages:edit", args=[obj.pk])
    finder_class = finder_classes.get_by_type(type(obj))
    if finder_class is None:
        return None
    return finder_class(user).get_edit_url(obj)


def _objects(model):
    queryset = model._default_manager.all()
    if issubclass(model, Page):
        # Each page once, under its own type; never the tree's root.
        queryset = queryset.filter(content_type=ContentType.objects.get_for_model(model), depth__gt=1)
    link = _parent_link(model) if not issubclass(model, Page) else None
    if link:
        queryset = queryset.select_related(link[0])
    return queryset.order_by("pk"), link


def _resolve(obj, path):
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


def translation_status(user=None, *, model=None, problem=None):
    """Rows of the translation status report, optionally for one model
    (``app_label.model_name``) and one ``Problem``. Read-only."""
    stamps_by_family = {}
    rows = []
    for current in report_models():
        if model and model_key(current) != model:
            continue
        family = ContentType.objects.get_for_model(stamp_model(current))
        if family.pk not in stamps_by_family:
            stamps_by_family[family.pk] = _stamps(family)
        stamps = stamps_by_family[family.pk]
        fields = [
            (name, current._meta.get_field(f"{name}_en"), current._meta.get_field(f"{name}_es"))
            for name in tracked_fields(current)
        ]
        queryset, link = _objects(current)
        model_label = capfirst(current._meta.verbose_name)
        for obj in queryset:
            for name, en_field, es_field in fields:
                en_value = getattr(obj, en_field.attname)
                if is_empty(en_field, en_value):
                    continue
                dates = stamps.get((str(obj.pk), name))
                if is_empty(es_field, getattr(obj, es_field.attname)):
                    found = Problem.MISSING
                elif dates and dates[1] < dates[0]:
                    found = Problem.OUTDATED
                else:
                    continue
                if problem and found != problem:
                    continue
                rows.append(_row(obj, current, model_label, name, found, dates, link, user))
    return rows


def _stamps(content_type):
    from .models import TranslationStamp

    return {
        (object_id, field): (en_at, es_at)
        for object_id, field, en_at, es_at in TranslationStamp.objects.filter(content_type=content_type).values_list(
            "object_id", "field", "en_changed_at", "es_changed_at"
        )
    }


def _row(obj, model, model_label, name, found, dates, link, user):
    label = str(obj)
    if link:
        parent = _resolve(obj, link[0])
        label = f"{parent} › {label}"
        url = _edit_url(parent, user)
    else:
        url = _edit_url(obj, user)
    return StatusRow(
        model_key=model_key(model),
        model_label=model_label,
        object_label=label,
        edit_url=url,
        field=name,
        field_label=capfirst(model._meta.get_field(name).verbose_name),
        problem=found,
        english_changed_at=dates[0] if dates else None,
        spanish_changed_at=dates[1] if dates else None,
    )
