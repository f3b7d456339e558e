"""Admin views of the bulk question import: upload and check a file, see
what it would create, confirm; and download the spreadsheet template.

The confirmation carries the checked file back as a signed, compressed
token (nothing is kept on the server between the two steps), and the import
checks it again from scratch before writing anything.
"""

import base64
import binascii
import zlib

import tablib
from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from lms.tables import too_large

from . import permissions
from .exceptions import QuestionImportRefused
from .models import QuestionCategory
from .question_import import (
    accepted_extensions,
    import_questions,
    max_bytes,
    max_questions,
    plan_import,
    spreadsheet_headings,
)

TOKEN_SALT = "quizzes.question_import"
TOKEN_MAX_AGE = 60 * 60
#: Problems listed on the page (a very bad file lists only the first ones).
SHOWN_PROBLEMS = 200
#: Choice columns in the template (a file may have up to ten).
TEMPLATE_CHOICES = 4


class QuestionImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File of questions"),
        help_text=gettext_lazy(
            "CSV (UTF-8) or Excel (.xlsx) with the template's columns, or YAML in the format of the content files. "
            "The whole file is checked first; nothing is imported while any question has a problem."
        ),
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=QuestionCategory.objects.all(),
        help_text=gettext_lazy(
            "Questions go into this category unless their row names another one; every quiz that draws from "
            "the category draws them from the next attempt on."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if message := too_large(upload.size, max_bytes()):
            raise forms.ValidationError(message)
        return upload


def _check_permission(request):
    if not permissions.may_import_questions(request.user):
        raise PermissionDenied


def _render(request, form, *, plan=None, refused=None, token=None, status=200):
    return TemplateResponse(
        request,
        "quizzes/admin/question_import.html",
        {
            "form": form,
            "plan": plan,
            "refused": refused,
            "token": token,
            "shown_problems": plan.problems[:SHOWN_PROBLEMS] if plan else [],
            "more_problems": max(0, len(plan.problems) - SHOWN_PROBLEMS) if plan else 0,
            "max_size": filesizeformat(max_bytes()),
            "max_questions": max_questions(),
            "extensions": ", ".join(f".{ext}" for ext in accepted_extensions()),
        },
        status=status,
    )


def _token(content, filename, category):
    payload = {"file": filename, "category": category.pk, "data": base64.b64encode(content).decode("ascii")}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def _untoken(token):
    """(content, filename, category) of a confirmation token; raises
    QuestionImportRefused when it is forged, stale or names no category."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        content = base64.b64decode(payload["data"], validate=True)
        filename, category_id = str(payload["file"]), int(payload["category"])
    except signing.SignatureExpired:
        raise QuestionImportRefused(_("This check is more than an hour old. Upload the file again.")) from None
    except (signing.BadSignature, binascii.Error, zlib.error, KeyError, TypeError, ValueError):
        raise QuestionImportRefused(_("The confirmation is not valid. Upload the file again.")) from None
    category = QuestionCategory.objects.filter(pk=category_id).first()
    if category is None:
        raise QuestionImportRefused(_("The chosen category no longer exists. Upload the file again."))
    return content, filename, category


@require_http_methods(["GET", "POST"])
def import_view(request):
    _check_permission(request)
    if request.method == "GET":
        return _render(request, QuestionImportForm())
    if "token" in request.POST:
        return _confirm(request)
    form = QuestionImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form, status=400)
    upload, category = form.cleaned_data["file"], form.cleaned_data["category"]
    content, filename = upload.read(), upload.name
    try:
        plan = plan_import(content, filename, category=category)
    except QuestionImportRefused as error:
        return _render(request, form, refused=error.message, status=400)
    if not plan.ok:
        return _render(request, form, plan=plan, status=400)
    return _render(request, form, plan=plan, token=_token(content, filename, category))


def _confirm(request):
    form = QuestionImportForm()
    try:
        content, filename, category = _untoken(request.POST.get("token", ""))
        plan = import_questions(content, filename, category=category, user=request.user)
    except QuestionImportRefused as error:
        return _render(request, form, refused=error.message, status=400)
    if not plan.ok:
        return _render(request, form, plan=plan, status=400)
    count = len(plan.questions)
    messages.success(
        request,
        ngettext(
            "%(count)d question was imported from %(file)s.",
            "%(count)d questions were imported from %(file)s.",
            count,
        )
        % {"count": count, "file": filename},
    )
    return redirect(reverse("wagtailsnippets_quizzes_question:list") + "?" + urlencode({"category": category.pk}))


EXAMPLE = {
    "category": "",
    "kind": "single",
    "text_en": "Which form does an exporter file to declare a shipment of rifles?",
    "text_es": "¿Qué formulario presenta un exportador para declarar un envío de rifles?",
    "choice1_en": "Electronic Export Information (EEI) in AES",
    "choice1_es": "Información Electrónica de Exportación (EEI) en AES",
    "choice1_correct": "yes",
    "choice2_en": "A customs bond",
    "choice2_es": "Una fianza aduanera",
    "choice3_en": "A bill of lading only",
    "choice3_es": "Solo un conocimiento de embarque",
    "explanation_en": "Exports of firearms are declared as EEI through the Automated Export System.",
    "explanation_es": "Las exportaciones de armas de fuego se declaran como EEI en el Automated Export System.",
    "points": "1",
    "scoring": "all_or_nothing",
}


@require_GET
def template_view(request, file_format):
    """The spreadsheet template: every heading and one example row."""
    _check_permission(request)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    headings = spreadsheet_headings(choices=TEMPLATE_CHOICES)
    dataset = tablib.Dataset(headers=headings, title=_("Questions")[:31])
    dataset.append([EXAMPLE.get(heading, "") for heading in headings])
    body = dataset.export(file_format)
    if file_format == "csv":
        body = ("\ufeff" + body).encode("utf-8")  # Excel opens UTF-8 with a byte-order mark
        content_type = "text/csv; charset=utf-8"
    else:
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="question-import-template.{file_format}"'
    return response
