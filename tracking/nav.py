"""The tabs every certification report shows (the reports and the bulk
downloads), defined once."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

TABS = (
    ("tracking_admin:agencies", gettext_lazy("By agency")),
    ("tracking_admin:people", gettext_lazy("People")),
    ("tracking_admin:matrix", gettext_lazy("Certification matrix")),
    ("tracking_admin:bulk_index", gettext_lazy("Certificate downloads")),
)

# Tabs that take the report filters along (the downloads list has none).
FILTERED = {"tracking_admin:agencies", "tracking_admin:people", "tracking_admin:matrix"}


def report_tabs(request, current):
    """[{url, label, current}] for the report tabs; the current filters
    follow the user from report to report."""
    query = request.GET.copy()
    for key in ("export", "p", "_w_filter_fragment", "ordering"):
        query.pop(key, None)
    links = []
    for name, label in TABS:
        url = reverse(name)
        if query and name in FILTERED:
            url += "?" + query.urlencode()
        links.append({"url": url, "label": label, "current": name == current})
    return links
