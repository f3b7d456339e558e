"""A guarded front for wagtail-modeltranslation's "copy content from"
endpoint (the button that copies a StreamField between languages in the page
editor).

The package's own view answers any admin user about any page id: no page
permission check, a server error for a GET, an unknown page or a malformed
body. This view takes its URL (registered first, see wagtail_hooks) and lets
only a POST from the editor of an existing page through; anyone else gets the
same "not found" whether the page exists or not.
"""

from django.core.exceptions import FieldDoesNotExist
from django.http import Http404, HttpResponseBadRequest
from django.views.decorators.http import require_POST
from wagtail.models import Page
from wagtail_modeltranslation.wagtail_hooks import return_translation_target_field_rendered_html as render_copy

from . import permissions

ROUTE = r"pages/(?P<page_id>\d+)/edit/copy_translation_content/$"


@require_POST
def copy_translation_content(request, page_id):
    page = Page.objects.filter(pk=int(page_id)).first() if len(page_id) <= 18 else None
    if page is None or not permissions.may_edit_page(request.user, page):
        raise Http404
    if request.headers.get("X-Requested-With") != "XMLHttpRequest":
        return HttpResponseBadRequest()
    try:
        return render_copy(request, page.pk)
    except (FieldDoesNotExist, AttributeError, KeyError, TypeError, ValueError):
        # A body that is not what the editor's script sends (ValueError
        # covers JSON that does not parse).
        return HttpResponseBadRequest()
