from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import bulk_views, views
from .panels import CertificationPanel
from .permissions import may_view_reports

admin_urlpatterns = [
    path("certification-by-agency/", views.AgencyReportView.as_view(), name="agencies"),
    path(
        "certification-by-agency/results/",
        views.AgencyReportView.as_view(results_only=True),
        name="agencies_results",
    ),
    path("certification-people/", views.PeopleView.as_view(), name="people"),
    path("certification-people/results/", views.PeopleView.as_view(results_only=True), name="people_results"),
    path("certification-matrix/", views.MatrixView.as_view(), name="matrix"),
    path("certification-matrix/results/", views.MatrixView.as_view(results_only=True), name="matrix_results"),
    path("certificate-downloads/", bulk_views.BulkIndexView.as_view(), name="bulk_index"),
    path("certificate-downloads/new/", bulk_views.BulkCreateView.as_view(), name="bulk_create"),
    path("certificate-downloads/<int:pk>/", bulk_views.BulkStatusView.as_view(), name="bulk_status"),
    path("certificate-downloads/<int:pk>/download/", bulk_views.bulk_download, name="bulk_download"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("reports/", include((admin_urlpatterns, "tracking_admin"), namespace="tracking_admin"))]


class TrackingMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_reports(request.user)


@hooks.register("register_reports_menu_item")
def register_agency_report_menu_item():
    return TrackingMenuItem(
        _("Certification by agency"),
        reverse("tracking_admin:agencies"),
        name="certification-by-agency",
        icon_name="table",
        order=100,
    )


@hooks.register("register_reports_menu_item")
def register_people_menu_item():
    return TrackingMenuItem(
        _("Certification by person"),
        reverse("tracking_admin:people"),
        name="certification-people",
        icon_name="user",
        order=110,
    )


@hooks.register("register_reports_menu_item")
def register_matrix_menu_item():
    return TrackingMenuItem(
        _("Certification matrix"),
        reverse("tracking_admin:matrix"),
        name="certification-matrix",
        icon_name="table",
        order=120,
    )


@hooks.register("register_reports_menu_item")
def register_downloads_menu_item():
    return TrackingMenuItem(
        _("Certificate downloads"),
        reverse("tracking_admin:bulk_index"),
        name="certificate-downloads",
        icon_name="download",
        order=130,
    )


@hooks.register("construct_homepage_panels")
def add_certification_panel(request, panels):
    if may_view_reports(request.user):
        panels.append(CertificationPanel(request))


@hooks.register("register_log_actions")
def register_tracking_actions(actions):
    actions.register_action(
        "tracking.bulk_export", _("Certificate download"), _("Asked for a download of certificates")
    )


@hooks.register("insert_global_admin_css")
def tracking_css():
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("tracking/tracking.css"))


@hooks.register("recover_lost_work")
def recover_stale_bulk_exports(now):
    from .services import recover_bulk_exports

    return recover_bulk_exports(now=now)
