from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from . import admin_urls, bank, bank_views, permissions, question_import_views
from .models import AttemptQuestion, Question, QuestionCategory, QuizPage


class QuestionIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if permissions.may_import_questions(self.request.user):
            buttons.append(
                HeaderButton(_("Import questions"), url=reverse("quizzes_import_questions"), icon_name="upload")
            )
        return buttons


class QuestionViewSet(SnippetViewSet):
    model = Question
    index_view_class = QuestionIndexView
    icon = "help"
    menu_label = _("Questions")
    list_display = (
        "text",
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        "points",
        "category",
        BooleanColumn("spanish_complete", label=_("Spanish complete"), accessor=bank.spanish_complete),
        DateColumn("retired_at", label=_("Retired")),
        "updated_at",
    )
    filterset_class = bank.QuestionFilterSet
    chooser_viewset_class = bank.QuestionChooserViewSet
    search_fields = ("text_en", "text_es")
    search_backend_name = None
    ordering = ("-updated_at",)
    copy_view_enabled = True

    def get_queryset(self, request):
        return Question.objects.select_related("category").with_spanish_status()


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    chooser_viewset_class = bank.BankChooserViewSet
    list_display = ("name",)
    search_fields = ("name_en", "name_es")
    search_backend_name = None


class QuestionBankGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet)
    menu_icon = "help"
    menu_label = _("Question bank")
    menu_name = "question-bank"
    menu_order = 240


register_snippet(QuestionBankGroup)


@hooks.register("register_admin_urls")
def register_statistics_urls():
    return [
        path("quizzes/statistics/", include((admin_urls, "quizzes_statistics"), namespace="quizzes_statistics")),
        path(
            "quizzes/questions/<int:question_id>/retire/",
            bank_views.change_retirement,
            {"retire": True},
            name="quizzes_retire_question",
        ),
        path(
            "quizzes/questions/<int:question_id>/restore/",
            bank_views.change_retirement,
            {"retire": False},
            name="quizzes_restore_question",
        ),
        path("quizzes/questions/import/", question_import_views.import_view, name="quizzes_import_questions"),
        path(
            "quizzes/questions/import/template.<str:file_format>",
            question_import_views.template_view,
            name="quizzes_import_template",
        ),
    ]


def retirement_button(question, user, next_url=None, priority=50):
    """ "Retire" or "Return to pools" for ``question``, or None."""
    if not permissions.may_retire_questions(user):
        return None
    name = "quizzes_restore_question" if question.is_retired else "quizzes_retire_question"
    url = reverse(name, args=[question.pk])
    if next_url:
        url += "?" + urlencode({"next": next_url})
    label = _("Return to pools") if question.is_retired else _("Retire from pools")
    return Button(label, url, icon_name="undo" if question.is_retired else "bin", priority=priority)


@hooks.register("register_snippet_listing_buttons")
def question_retirement_listing_button(snippet, user, next_url=None):
    if isinstance(snippet, Question):
        button = retirement_button(snippet, user, next_url)
        if button is not None:
            yield button


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_see_statistics_menu(request.user)


@hooks.register("register_reports_menu_item")
def register_statistics_menu_item():
    return StatisticsMenuItem(
        _("Quiz statistics"), reverse("quizzes_statistics:index"), name="quiz-statistics", icon_name="form", order=300
    )


@hooks.register("before_delete_snippet")
def keep_questions_with_attempts(request, instances):
    """A question asked in attempts stays for their records (the database
    protects it too); say so instead of failing."""
    questions = [instance for instance in instances if isinstance(instance, Question)]
    if questions and AttemptQuestion.objects.filter(question__in=questions).exists():
        messages.error(
            request,
            _("A question that trainees have answered cannot be deleted. Remove it from its quizzes instead."),
        )
        return redirect("wagtailsnippets_quizzes_question:list")
    return None


def _statistics_button(page, user, priority):
    if page.specific_class is not QuizPage or not permissions.may_see_statistics_menu(user):
        return
    if permissions.may_view_statistics(user, page):
        yield Button(
            _("Statistics"),
            reverse("quizzes_statistics:detail", args=[page.pk]),
            icon_name="form",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def page_header_statistics(page, user, view_name, next_url=None):
    yield from _statistics_button(page, user, priority=60)


@hooks.register("register_page_listing_more_buttons")
def page_listing_statistics(page, user, next_url=None):
    yield from _statistics_button(page, user, priority=50)


@hooks.register("register_log_actions")
def register_quiz_actions(actions):
    actions.register_action("quizzes.grade", _("Grade quiz attempt"), _("Quiz attempt graded"))
    actions.register_action("quizzes.retire_question", _("Retire question"), _("Question retired from its pools"))
    actions.register_action("quizzes.restore_question", _("Return question"), _("Question returned to its pools"))
    actions.register_action("quizzes.import_question", _("Import question"), _("Question imported from a file"))
