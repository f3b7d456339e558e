"""Admin views of the question bank: retire a question from every pool, or
put it back. GET asks for confirmation and changes nothing; POST acts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import bank, permissions
from .models import Question


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return reverse("wagtailsnippets_quizzes_question:list")


@require_http_methods(["GET", "POST"])
def change_retirement(request, question_id, retire):
    if not permissions.may_retire_questions(request.user):
        raise PermissionDenied
    question = get_object_or_404(Question, pk=question_id)
    if request.method == "POST":
        if retire:
            bank.retire_question(question, user=request.user)
            messages.success(request, _("“%(question)s” was retired from every quiz pool.") % {"question": question})
        else:
            bank.restore_question(question, user=request.user)
            messages.success(request, _("“%(question)s” is back in its quiz pools.") % {"question": question})
        return redirect(_next_url(request))
    return TemplateResponse(
        request,
        "quizzes/admin/confirm_retirement.html",
        {
            "question": question,
            "retire": retire,
            "next": _next_url(request),
            "quizzes": question.quiz_links.select_related("page").order_by("page__title"),
            "asked": question.attempt_questions.count(),
        },
    )
