from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page

from . import permissions, publishing, reports
from .exceptions import SpanishRequired

# ------------------------------------------------------------ the report

report_urls = [
    path("", reports.TranslationStatusView.as_view(), name="index"),
    path("results/", reports.TranslationStatusView.as_view(results_only=True), name="results"),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/translation-status/",
            include((report_urls, "training_translation_status"), namespace="training_translation_status"),
        )
    ]


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_view_translation_status(request.user)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return TranslationStatusMenuItem(
        gettext_lazy("Translation status"),
        reverse("training_translation_status:index"),
        name="translation-status",
        icon_name="globe",
        order=350,
    )


# ------------------------------------------------------------ "Require Spanish before publishing"


def _refuse(request, page, error):
    """Nothing goes live: a page the create view has just added (live by
    default) is put back to draft; the revision stays as a draft."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == "add" and page.live:
        page.live = False
        page.has_unpublished_changes = True
        page.save(update_fields=["live", "has_unpublished_changes"], clean=False)
    message = "{} {}".format(
        error.message,
        _(
            "It was saved as a draft and not published: fill in the Spanish fields (switch the editor to ES) and publish again."
        ),
    )
    if not request.accepts("text/html"):
        return JsonResponse({"success": False, "error_code": "spanish_required", "error_message": message}, status=400)
    messages.error(request, message)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_publish_page")
def require_spanish_before_publishing(request, page):
    try:
        publishing.check_publishable(page.specific_deferred if type(page) is Page else page)
    except SpanishRequired as error:
        return _refuse(request, page, error)
    return None


@hooks.register("before_bulk_action")
def require_spanish_before_bulk_publishing(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    pages = [obj for obj in objects if isinstance(obj, Page)]
    form = getattr(action_class_instance, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in list(pages):
            pages.extend(page.get_descendants().not_live().specific())
    refused = []
    for page in pages:
        candidate = page.specific.get_latest_revision_as_object() if page.latest_revision_id else page.specific
        try:
            publishing.check_publishable(candidate, site=page.get_site())
        except SpanishRequired as error:
            refused.append(error)
    if not refused:
        return None
    messages.error(
        request,
        _("Nothing was published: %(count)d of the selected pages lack required Spanish fields. %(first)s")
        % {"count": len(refused), "first": refused[0].message},
    )
    return redirect(action_class_instance.next_url)


# ------------------------------------------------------------ question import


@hooks.register("register_question_import_formats")
def register_question_yaml_format():
    """The question bank's bulk import reads the content YAML format too."""
    from .question_files import read_question_yaml

    return {"yaml": read_question_yaml, "yml": read_question_yaml}
