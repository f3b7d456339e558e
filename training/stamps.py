"""Keep ``TranslationStamp`` rows up to date: when did the English and the
Spanish value of each translated field last change?

A ``post_save`` receiver on every model registered with modeltranslation
digests the saved English and Spanish values of each translated field and
compares them with the digests stored in the stamp: a different digest means
that language changed now. Only the stamp rows are read (one query per save
of a translated model), never the old row. See
docs/decisions/0003-translation-status.md.
"""

import hashlib
import json
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.signals import post_save
from django.utils import timezone
from modeltranslation.translator import translator
from wagtail.fields import StreamField

LANGUAGES = ("en", "es")
#: Derived, never authored: leave them out of the bookkeeping and the report.
SKIPPED_FIELDS = {"url_path"}


@cache
def tracked_fields(model):
    """Base names of the translated fields of ``model`` worth tracking."""
    options = translator.get_options_for_model(model)
    return tuple(name for name in options.all_fields if name not in SKIPPED_FIELDS)


def stamp_model(model):
    """The model stamps are filed under: the root of the concrete
    inheritance chain, so a page saved as ``Page`` or as ``LessonPage`` keeps
    one set of stamps."""
    model = model._meta.concrete_model
    while model._meta.parents:
        model = next(iter(model._meta.parents))
    return model


def _strip_ids(value):
    if isinstance(value, dict):
        return {key: _strip_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_strip_ids(item) for item in value]
    return value


def comparable(instance, field_name):
    """The value of a concrete translation field (e.g. ``body_es``) in a form
    that compares equal when the content is the same: StreamField block ids
    are dropped, rich text is its source HTML."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    if isinstance(field, StreamField):
        return _strip_ids(field.get_prep_value(value) if value is not None else [])
    if value is None:
        return ""
    if hasattr(value, "source"):  # wagtail.rich_text.RichText
        return value.source
    return value


def digest(value):
    data = json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def _fields_in_update(fields, update_fields):
    if update_fields is None:
        return fields
    names = set(update_fields)
    return tuple(name for name in fields if name in names or any(f"{name}_{lang}" in names for lang in LANGUAGES))


def record_translation_changes(sender, instance, raw=False, update_fields=None, **kwargs):
    """Update the stamps of ``instance`` after a save. Safe to call twice:
    unchanged values leave the stamps as they are."""
    if raw or instance.pk is None:
        return
    from .models import TranslationStamp

    fields = _fields_in_update(tracked_fields(sender), update_fields)
    if not fields:
        return
    content_type = ContentType.objects.get_for_model(stamp_model(sender))
    object_id = str(instance.pk)
    digests = {name: {lang: digest(comparable(instance, f"{name}_{lang}")) for lang in LANGUAGES} for name in fields}
    existing = {
        stamp.field: stamp
        for stamp in TranslationStamp.objects.filter(content_type=content_type, object_id=object_id, field__in=fields)
    }
    now = timezone.now()
    new, changed = [], []
    for name in fields:
        stamp = existing.get(name)
        if stamp is None:
            # Unknown history: both languages count as written together.
            new.append(
                TranslationStamp(
                    content_type=content_type,
                    object_id=object_id,
                    field=name,
                    en_digest=digests[name]["en"],
                    es_digest=digests[name]["es"],
                    en_changed_at=now,
                    es_changed_at=now,
                )
            )
            continue
        dirty = False
        for lang in LANGUAGES:
            if getattr(stamp, f"{lang}_digest") != digests[name][lang]:
                setattr(stamp, f"{lang}_digest", digests[name][lang])
                setattr(stamp, f"{lang}_changed_at", now)
                dirty = True
        if dirty:
            changed.append(stamp)
    if new:
        # A concurrent first save of the same object may have won the race.
        TranslationStamp.objects.bulk_create(new, ignore_conflicts=True)
    if changed:
        TranslationStamp.objects.bulk_update(changed, ["en_digest", "es_digest", "en_changed_at", "es_changed_at"])


def connect():
    """Listen to saves of every concrete model registered for translation."""
    for model in translator.get_registered_models(abstract=False):
        if model._meta.proxy or not tracked_fields(model):
            continue
        post_save.connect(
            record_translation_changes, sender=model, dispatch_uid=f"training-stamps-{model._meta.label_lower}"
        )
