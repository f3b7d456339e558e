"""Admin views of bulk certificate downloads: the list of one's downloads,
asking for one (from the people list's filters), its status page and the
download itself.

The ZIPs live in private storage (``STORAGES["private"]``, never under
``MEDIA_URL``); ``bulk_download`` is the only way to them and checks
``permissions.may_download_export`` first.
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import services
from .filters import PeopleFilterSet
from .models import BulkExport
from .nav import report_tabs
from .permissions import may_download_export, may_view_reports


class BulkBase(WagtailAdminTemplateMixin, TemplateView):
    """The report chrome: breadcrumbs, heading, icon and the report tabs."""

    header_icon = "download"
    page_title = gettext_lazy("Certificate downloads")

    def dispatch(self, request, *args, **kwargs):
        if not may_view_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nav"] = report_tabs(self.request, "tracking_admin:bulk_index")
        context["people_url"] = reverse("tracking_admin:people")
        return context


class BulkIndexView(BulkBase):
    template_name = "tracking/admin/bulk_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["exports"] = services.visible_exports(self.request.user)[:50]
        return context


class BulkCreateView(BulkBase):
    """POST only: the filters of the people list, validated and scoped as
    the list itself is, become a BulkExport built in the background."""

    http_method_names = ("post",)

    def post(self, request):
        filters = PeopleFilterSet(data=request.POST, request=request)
        if not filters.is_valid():
            return HttpResponseBadRequest(
                "\n".join([_("The filters could not be applied:")] + filters.error_messages()),
                content_type="text/plain; charset=utf-8",
            )
        export = services.request_bulk_export(
            request.user, filters.criteria(), language=translation.get_language() or "en"
        )
        return redirect("tracking_admin:bulk_status", export.pk)


class BulkStatusView(BulkBase):
    template_name = "tracking/admin/bulk_status.html"

    @cached_property
    def export(self):
        export = get_object_or_404(BulkExport.objects.select_related("requested_by"), pk=self.kwargs["pk"])
        if not may_download_export(self.request.user, export):
            raise Http404
        return export

    def get_page_title(self):
        return _("Download of %(date)s") % {
            "date": formats.date_format(timezone.localtime(self.export.created_at), "SHORT_DATETIME_FORMAT")
        }

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("tracking_admin:bulk_index"), "label": BulkBase.page_title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export"] = self.export
        context["filters"] = services.describe_stored_filters(self.export)
        return context


def bulk_download(request, pk):
    """The ZIP, to its requester and administrators only (404 to anyone
    else, so nobody learns which downloads exist)."""
    export = get_object_or_404(BulkExport, pk=pk)
    if not may_download_export(request.user, export) or not export.file:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=f"certificates-{export.pk}.zip")
