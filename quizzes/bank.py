"""The question bank as instructors use it: finding questions (search and
filters in the listing and in the chooser, full question text), and retiring
a question from every pool without touching the attempts that asked it."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.log_actions import log
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)

from . import permissions
from .models import Question, QuestionCategory, QuestionKind

SPANISH_COMPLETE = "complete"
SPANISH_MISSING = "missing"
SPANISH_CHOICES = ((SPANISH_COMPLETE, _("Spanish complete")), (SPANISH_MISSING, _("Spanish missing")))
STATUS_IN_POOLS = "active"
STATUS_RETIRED = "retired"
STATUS_CHOICES = ((STATUS_IN_POOLS, _("In pools")), (STATUS_RETIRED, _("Retired")))


def search_questions(queryset, terms):
    """Questions whose text or choices contain every word of ``terms``, in
    either language."""
    for word in (terms or "").split():
        queryset = queryset.filter(
            Q(text_en__icontains=word)
            | Q(text_es__icontains=word)
            | Q(choices__text_en__icontains=word)
            | Q(choices__text_es__icontains=word)
        )
    return queryset.distinct()


def filter_questions(queryset, *, category=None, kind=None, spanish=None, status=None):
    """The one filter behind the listing and the chooser."""
    if category:
        queryset = queryset.filter(category=category)
    if kind:
        queryset = queryset.filter(kind=kind)
    if spanish:
        queryset = queryset.with_spanish_status().filter(spanish_missing=spanish == SPANISH_MISSING)
    if status == STATUS_IN_POOLS:
        queryset = queryset.in_pools()
    elif status == STATUS_RETIRED:
        queryset = queryset.filter(retired_at__isnull=False)
    return queryset


def spanish_complete(question):
    """For a ✓ column: the question was annotated by ``with_spanish_status``."""
    return not question.spanish_missing


class QuestionFilterSet(WagtailFilterSet):
    """Filters of the question listing."""

    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=QuestionCategory.objects.all(), empty_label=_("All categories")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=QuestionKind.choices, empty_label=_("All kinds"))
    spanish = django_filters.ChoiceFilter(
        label=_("Translation"), choices=SPANISH_CHOICES, method="filter_spanish", empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All")
    )

    class Meta:
        model = Question
        fields = ("category", "kind")

    def filter_spanish(self, queryset, name, value):
        return filter_questions(queryset, spanish=value)

    def filter_status(self, queryset, name, value):
        return filter_questions(queryset, status=value)


def _filter_select(choices, label):
    return forms.ChoiceField(
        label=label,
        choices=[("", _("All")), *choices],
        required=False,
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )


class QuestionChooserFilterForm(BaseFilterForm):
    """Search and filters of the question chooser (the "Add questions" modal)."""

    q = forms.CharField(
        label=_("Search term"), required=False, widget=forms.TextInput(attrs={"placeholder": _("Search")})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = _filter_select(
            [(str(pk), name) for pk, name in QuestionCategory.objects.values_list("pk", "name")], _("Category")
        )
        self.fields["kind"] = _filter_select(QuestionKind.choices, _("Kind"))
        self.fields["spanish"] = _filter_select(SPANISH_CHOICES, _("Translation"))

    def filter(self, objects):
        data = self.cleaned_data
        if data.get("q"):
            self.is_searching, self.search_query = True, data["q"]
            objects = search_questions(objects, data["q"])
        return filter_questions(
            objects, category=data.get("category") or None, kind=data.get("kind"), spanish=data.get("spanish")
        )


class _QuestionChooserMixin:
    filter_form_class = QuestionChooserFilterForm

    def get_object_list(self):
        # Retired questions cannot be added to a quiz.
        return Question.objects.in_pools().select_related("category").with_spanish_status()

    @property
    def columns(self):
        title = super().title_column
        title.accessor = "text"  # the whole question, not a cut-off title
        title.label = _("Question")
        return [
            title,
            Column("kind", label=_("Kind"), accessor="get_kind_display"),
            Column("category", label=_("Category")),
            BooleanColumn("spanish_complete", label=_("Spanish complete"), accessor=spanish_complete),
        ]


class BankAccessMixin:
    """Wagtail opens snippet choosers to every admin user; the question bank's
    are for those who may browse the bank (quizzes.permissions)."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_browse_question_bank(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class QuestionChooseView(BankAccessMixin, _QuestionChooserMixin, ChooseView):
    pass


class QuestionChooseResultsView(BankAccessMixin, _QuestionChooserMixin, ChooseResultsView):
    pass


class BankChooseView(BankAccessMixin, ChooseView):
    pass


class BankChooseResultsView(BankAccessMixin, ChooseResultsView):
    pass


class BankChosenView(BankAccessMixin, SnippetChosenView):
    pass


class BankChosenMultipleView(BankAccessMixin, SnippetChosenMultipleView):
    pass


class BankCreateView(BankAccessMixin, SnippetCreateView):
    pass


class BankChooserViewSet(SnippetChooserViewSet):
    """Every view of the chooser checks access to the bank."""

    choose_view_class = BankChooseView
    choose_results_view_class = BankChooseResultsView
    chosen_view_class = BankChosenView
    chosen_multiple_view_class = BankChosenMultipleView
    create_view_class = BankCreateView


class QuestionChooserViewSet(BankChooserViewSet):
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView


# ------------------------------------------------------------------ services


@transaction.atomic
def retire_question(question, *, user):
    """Take ``question`` out of every quiz pool from the next attempt on.
    Attempts that asked it keep it (and their grades). Safe to call twice."""
    updated = Question.objects.filter(pk=question.pk, retired_at__isnull=True).update(retired_at=timezone.now())
    question.refresh_from_db(fields=["retired_at"])
    if updated:
        log(instance=question, action="quizzes.retire_question", user=user)
    return question


@transaction.atomic
def restore_question(question, *, user):
    """Put a retired question back into its pools. Safe to call twice."""
    updated = Question.objects.filter(pk=question.pk, retired_at__isnull=False).update(retired_at=None)
    question.refresh_from_db(fields=["retired_at"])
    if updated:
        log(instance=question, action="quizzes.restore_question", user=user)
    return question
