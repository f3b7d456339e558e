"""The site's home page and the people model: agencies, profiles and roles."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .previews import BilingualPreviewMixin


class HomePage(BilingualPreviewMixin, Page):
    """The bilingual landing page; the site root."""

    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        """Apps add panels (e.g. "Continue where you left off") through the
        ``home_page_panels`` hook: ``fn(request) -> HTML or None``."""
        from django.utils.safestring import mark_safe
        from wagtail import hooks

        context = super().get_context(request, *args, **kwargs)
        panels = (panel(request) for panel in hooks.get_hooks("home_page_panels"))
        context["home_panels"] = [mark_safe(html) for html in panels if html]
        return context


class BarePage(Page):
    """A page with a title and a body and nothing else: the second baseline of
    ``bench/lesson_page.py`` (what serving any Wagtail page of this project
    costs, with the same middleware). Created only by the benchmark."""

    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = []
    is_creatable = False

    class Meta:
        verbose_name = _("bare page")


class Country(models.TextChoices):
    US = "US", _("United States")
    MX = "MX", _("Mexico")


class AgencyLevel(models.TextChoices):
    FEDERAL = "federal", _("Federal")
    STATE = "state", _("State")
    LOCAL = "local", _("Local")


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    level = models.CharField(_("level"), max_length=10, choices=AgencyLevel.choices)
    is_active = models.BooleanField(_("active"), default=True)
    email_domains = models.CharField(
        _("registration e-mail domains"),
        max_length=500,
        blank=True,
        help_text=_(
            "Comma-separated domains (e.g. cbp.dhs.gov, dhs.gov) that people registering for this agency "
            "must use. Leave empty to accept any address."
        ),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["country", "acronym"]

    def __str__(self):
        return f"{self.acronym} – {self.name}"

    @property
    def email_domain_list(self):
        return [domain.strip().lower().lstrip("@") for domain in self.email_domains.split(",") if domain.strip()]

    def accepts_email(self, email):
        """Does ``email`` belong to one of the agency's registration domains
        (a subdomain counts)? True when the agency names none."""
        domains = self.email_domain_list
        if not domains:
            return True
        host = email.rsplit("@", 1)[-1].strip().lower()
        return any(host == domain or host.endswith("." + domain) for domain in domains)


class Profile(models.Model):
    """What the LMS knows of a user beyond Django's auth fields."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("agency"),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    email_opt_outs = models.JSONField(
        _("e-mails turned off"),
        default=list,
        blank=True,
        help_text=_("Optional e-mails (lms.notifications.OptionalEmail) this person does not want."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        permissions = [
            ("teach_courses", _("Can author courses and follow the trainees of courses they teach")),
            ("coordinate_agency", _("Can follow and enrol the trainees of their own agency")),
            ("view_all_agencies", _("Can follow and enrol the trainees of every agency")),
        ]

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    def wants_email(self, kind):
        """Does this person want the optional e-mail ``kind``?"""
        return kind not in (self.email_opt_outs or [])


def trainees():
    """THE definition of a trainee, used by every count of trainees: an
    active user of an agency who is a member of the Trainees role. Staff
    (administrators, instructors, coordinators) are not trainees unless
    they are also given the Trainees role."""
    from django.contrib.auth import get_user_model

    from .roles import TRAINEES

    return get_user_model().objects.filter(is_active=True, profile__agency__isnull=False, groups__name=TRAINEES)


class UserSession(models.Model):
    """One signed-in session of a person, so all of them can be ended at once
    ("log out everywhere", deactivation, a new password). See lms.sessions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
