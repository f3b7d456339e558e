"""The certification panel of the Wagtail admin dashboard."""

from django.urls import reverse
from django.utils.translation import pgettext
from wagtail.admin.ui.components import Component

from . import charts, stats
from .criteria import Criteria


class CertificationPanel(Component):
    """Headline figures and two charts for the agencies the user may see.
    Five queries (the agency report's four and one for the months)."""

    name = "certification"
    order = 90
    template_name = "tracking/admin/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        criteria = Criteria()
        report = stats.agency_report(user, criteria, total_label=pgettext("tracking", "Total"))
        months = stats.expiring_by_month(user, criteria)
        total = report.total
        return {
            "total": total,
            "agencies": report.rows,
            "months": months,
            "rate_chart": charts.rate_bars(report.rows),
            "month_chart": charts.month_columns(months),
            "report_url": reverse("tracking_admin:agencies"),
            "expiring_url": reverse("tracking_admin:people") + "?status=expiring_90",
            "expired_url": reverse("tracking_admin:people") + "?status=expired",
            "certified_url": reverse("tracking_admin:people") + "?status=certified",
            "people_url": reverse("tracking_admin:people"),
        }
