"""Translation bookkeeping and the site's translation policy.

``TranslationStamp`` remembers, per object and translated field, when the
English and the Spanish value last changed (see
docs/decisions/0003-translation-status.md). ``TranslationPolicySettings`` is
the per-site switch "Require Spanish before publishing".
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class TranslationStamp(models.Model):
    """When the English and the Spanish value of one translated field of one
    object last changed. Kept up to date by ``training.stamps`` on every save
    of a model registered with modeltranslation."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("content type")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    field = models.CharField(_("field"), max_length=100)
    en_digest = models.CharField(_("English digest"), max_length=64)
    es_digest = models.CharField(_("Spanish digest"), max_length=64)
    en_changed_at = models.DateTimeField(_("English changed"))
    es_changed_at = models.DateTimeField(_("Spanish changed"))

    class Meta:
        verbose_name = _("translation stamp")
        verbose_name_plural = _("translation stamps")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "field"], name="translation_stamp_unique")
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}.{self.field}"

    @property
    def spanish_is_older(self):
        return self.es_changed_at < self.en_changed_at


@register_setting(icon="globe")
class TranslationPolicySettings(BaseSiteSetting):
    require_spanish_to_publish = models.BooleanField(
        _("Require Spanish before publishing"),
        default=False,
        help_text=_(
            "When on, a course, module, lesson or quiz cannot be published while its Spanish title or "
            "slug (and a course's Spanish summary, a lesson's Spanish body) is empty."
        ),
    )

    panels = [FieldPanel("require_spanish_to_publish")]

    class Meta:
        verbose_name = _("translation policy")
        verbose_name_plural = _("translation policies")


class LoadedQuiz(models.Model):
    """The digest of the ``quiz`` mapping a module's quiz was last built from,
    so loading an unchanged content file does not rebuild (and re-publish)
    the quiz."""

    course_code = models.CharField(_("course code"), max_length=30)
    module_slug = models.CharField(_("module slug (English)"), max_length=255)
    quiz_page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("quiz")
    )
    digest = models.CharField(_("digest"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        verbose_name = _("loaded quiz")
        verbose_name_plural = _("loaded quizzes")
        constraints = [models.UniqueConstraint(fields=["course_code", "module_slug"], name="loaded_quiz_unique_module")]

    def __str__(self):
        return f"{self.course_code}/{self.module_slug}"


class LoadedJobAid(models.Model):
    """The Wagtail document a content file's job aid was rendered to, in one
    language, and the digest of what it was rendered from, so loading an
    unchanged file renders nothing and a changed one replaces the file of
    the same document (lessons keep linking it)."""

    course_code = models.CharField(_("course code"), max_length=30)
    key = models.CharField(_("job aid"), max_length=60)
    language = models.CharField(_("language"), max_length=10)
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("document")
    )
    digest = models.CharField(_("digest"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        verbose_name = _("loaded job aid")
        verbose_name_plural = _("loaded job aids")
        constraints = [models.UniqueConstraint(fields=["course_code", "key", "language"], name="loaded_job_aid_unique")]

    def __str__(self):
        return f"{self.course_code}/{self.key}.{self.language}"
