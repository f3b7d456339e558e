"""The certification panel of the Wagtail admin dashboard."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext
from wagtail.admin.ui.components import Component

from . import charts, stats
from .criteria import Criteria
from .permissions import reportable_agencies

#: How long the panel's figures are reused, per scope and language (seconds).
DEFAULT_CACHE_SECONDS = 120


def cache_key(user):
    """One key per scope (the set of agencies ``user`` may see) and language:
    two coordinators of one agency share it, an administrator's is "all"."""
    from lms.permissions import is_administrator

    if is_administrator(user):
        scope = "all"
    else:
        ids = ",".join(str(pk) for pk in sorted(reportable_agencies(user).values_list("pk", flat=True)))
        scope = hashlib.sha256(ids.encode()).hexdigest()[:16]
    return f"tracking:dashboard:{translation.get_language() or 'en'}:{scope}"


def dashboard_figures(user):
    """(agency report, months, as-of time) of the default definition for
    ``user``'s scope, computed at most once per ``TRACKING_DASHBOARD_CACHE_SECONDS``."""
    key = cache_key(user)
    cached = cache.get(key)
    if cached is None:
        criteria = Criteria()
        report = stats.agency_report(user, criteria, total_label=pgettext("tracking", "Total"))
        months = stats.expiring_by_month(user, criteria)
        cached = (report, months, timezone.now())
        cache.set(key, cached, getattr(settings, "TRACKING_DASHBOARD_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))
    return cached


class CertificationPanel(Component):
    """Headline figures and two charts for the agencies the user may see,
    for the required-certifications definition, cached per scope."""

    name = "certification"
    order = 90
    template_name = "tracking/admin/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        report, months, as_of = dashboard_figures(user)
        total = report.total
        rated = [row for row in report.rows if not row.requires_nothing]
        if len(report.rows) == 1:
            scope = f"{report.rows[0].acronym} – {report.rows[0].name}"
        else:
            scope = pgettext("tracking", "All institutions (%(count)s)") % {"count": len(report.rows)}
        return {
            "total": total,
            "agencies": report.rows,
            "months": months,
            "as_of": as_of,
            "scope": scope,
            "definition": stats.definition(Criteria()),
            "requires_nothing": [row for row in report.rows if row.requires_nothing],
            "rate_chart": charts.rate_bars(rated),
            "month_chart": charts.month_columns(months),
            "report_url": reverse("tracking_admin:agencies"),
            "expiring_url": reverse("tracking_admin:people") + "?status=expiring_90",
            "expired_url": reverse("tracking_admin:people") + "?status=expired",
            "certified_url": reverse("tracking_admin:people") + "?status=certified",
            "people_url": reverse("tracking_admin:people"),
        }
