"""The access matrix: every URL of the site, requested by every role.

How it works
------------
``TABLE`` below has one row per URL pattern of the project (a URL name, or
the route for an unnamed pattern). A row says how to build the URL's
arguments from the fixture world (``tests/security/world.py``: two
agencies A and B, one person per role, one of every object, all owned by
trainee A or agency A) and the expected outcome for each of the eight
roles, in this order::

    anonymous  trainee_a  trainee_b  coordinator_a  coordinator_b
    instructor (of another course)  administrator (not superuser)  superuser

Outcomes: ``200``, ``403``, ``404``, ``405`` (any status code, exactly),
``login`` (a redirect to a login page: the site's or the admin's),
``denied`` (the admin's refusal: a redirect to the dashboard with a
message; Wagtail turns PermissionDenied in an admin view into it) and
``302`` (a redirect anywhere else; ``303`` likewise). A 404 under /admin/
arrives as LocaleMiddleware's redirect to the /en/ path and counts as 404.

``test_every_url_is_classified`` walks ``django.urls.get_resolver()`` (the
i18n patterns in English and Spanish, the Wagtail admin with every
``register_admin_urls`` / viewset hook, the apps' URLs, the accounts and
two-factor URLs) and fails, naming the pattern, for any URL that is neither
in ``TABLE`` nor one of Wagtail's own admin views (``BUILTIN_NAMESPACES``,
covered by ``test_wagtail_builtin_admin_refuses_people_without_admin_access``).
A project-defined admin view (a ``register_admin_urls`` hook, a
``ModelViewSet`` / ``SnippetViewSet`` of ours, our override of a Wagtail
view) always needs its own row, even under a Wagtail namespace.

Rows marked ``foreign=True`` name an object of trainee A / agency A; for
every role whose cell is ``403`` or ``404`` the same URL with an unknown id
must give the same status and a body of the same shape (existence oracle).

Listing views with exports carry ``?export=csv`` and ``?export=xlsx``
variants (``exports()``); ``results/`` partials have their own rows.

Adding a URL (at merge time too)
--------------------------------
1. Run this module: ``test_every_url_is_classified`` names the new pattern.
2. If it names an object, add the object to ``build_world()`` in
   ``world.py`` (owned by trainee A or agency A).
3. Add a row to ``TABLE`` next to its app's rows::

       R("app:name", "login 200 404 404 404 404 200 200", args=lambda w: [w.thing.pk], foreign=True),

   POST-only views take ``method="post"`` (and ``data=lambda w: {...}``).
4. If a cell fails, decide whether the expectation or the view is wrong;
   fix an access bug in the owning app's ``permissions`` module.

Staff two-factor is off in the test settings; ``test_staff_without_second_factor_reach_no_admin_page``
turns it on and checks that every admin URL sends unverified staff to
enrolment or verification.
"""

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation

from tests.security.world import ROLES, UNKNOWN_ID, build_world, remove_files

LANGUAGES = ("en", "es")
TOKENS = {"200", "204", "302", "303", "400", "403", "404", "405", "login", "denied"}


@dataclass(frozen=True)
class R:
    """One row of the matrix: ``name`` (URL name, or the route of an
    unnamed pattern), eight expected outcomes (see ``ROLES``), how to build
    the URL's arguments from the world."""

    name: str
    expect: str
    args: Callable = None
    method: str = "get"
    data: Callable = None
    query: str = ""
    foreign: bool = False
    url: Callable = None  # for unnamed patterns: world -> path
    headers: dict = None
    variant: str = ""  # told apart in test ids when one URL has several rows
    languages: tuple = None  # default: see ``languages_of``

    @property
    def cells(self):
        tokens = self.expect.split()
        assert len(tokens) == len(ROLES), f"{self.id}: {len(tokens)} outcomes for {len(ROLES)} roles"
        assert set(tokens) <= TOKENS, f"{self.id}: unknown outcome in {self.expect!r}"
        return dict(zip(ROLES, tokens, strict=True))

    @property
    def id(self):
        return (
            self.name
            + (f"[{self.variant}]" if self.variant else "")
            + (f"?{self.query}" if self.query else "")
            + ("" if self.method == "get" else " POST")
        )

    def unknown_args(self, world):
        """The arguments with every id or serial replaced by one that names nothing."""
        return [unknown(arg) for arg in (self.args(world) if self.args else [])]

    def path(self, world, unknown=False):
        if self.url is not None:
            return self.url(world)
        args = self.unknown_args(world) if unknown else list(self.args(world) if self.args else [])
        return reverse(self.name, args=args) + (f"?{self.query}" if self.query else "")


def unknown(arg):
    if isinstance(arg, int) or str(arg).isdigit():
        return type(arg)(UNKNOWN_ID)
    return "ZZ-UNKNOWN-999"


def exports(row, formats=("csv", "xlsx")):
    """``row`` and its export variants (same expectations)."""
    return [row] + [
        R(row.name, row.expect, args=row.args, query=f"export={fmt}", foreign=row.foreign) for fmt in formats
    ]


def pk(name):
    return lambda w: [getattr(w, name).pk]


# Shorthands for rows that many URLs share.
PUBLIC = "200 200 200 200 200 200 200 200"
SIGNED_IN = "login 200 200 200 200 200 200 200"
ADMINS_ONLY = "login login login denied denied denied 200 200"
# Wagtail's own permission check (a model permission the role lacks) sends a
# signed-in admin user back to the dashboard with a message: a redirect.
ADMINS_ONLY_WAGTAIL = ADMINS_ONLY
SUPERUSER_ONLY_WAGTAIL = "login login login denied denied denied denied 200"
REPORTS = "login login login 200 200 denied 200 200"  # administrators and coordinators
TEACHING = "login login login denied denied 200 200 200"  # instructors and administrators
# A report of one object for instructors of its course (not ours) and administrators.
TAUGHT_OBJECT = "login login login denied denied denied 200 200"
ANY_STAFF = "login login login 200 200 200 200 200"
TEACHING_WAGTAIL = TEACHING  # the question bank: a model permission
# An object of agency A (a person, registration, assignment, coordinator A's
# export): coordinator A and administrators; B's coordinator gets "not found".
AGENCY_A_OBJECT = "login login login 200 404 denied 200 200"
POST_ONLY = "405 405 405 405 405 405 405 405"
SIGNED_IN_POST = "login 405 405 405 405 405 405 405"  # login_required before require_POST
# A course's gradebook (gradebook.permissions): instructors of the course
# (the world's instructor teaches another one) and administrators; everyone
# else with admin access gets "not found", like an unknown id. An empty POST
# to the override / extra-attempt forms is a bad form (400, nothing written).
GRADEBOOK = "login login login 404 404 404 200 200"
GRADEBOOK_POST = "login login login 404 404 404 400 400"
NOBODY = "404 404 404 404 404 404 404 404"


def override_args(w):
    return [w.course.pk, w.person.pk, "quiz", w.quiz_attempt.pk]


def practice_override_args(w):
    return [w.course.pk, w.person.pk, "practice", w.practice_attempt.pk]


def grant_args(w):
    return [w.course.pk, w.person.pk, w.quiz.pk]


TABLE = [
    # ---------------------------------------------------------------- site
    R("root", "302 302 302 302 302 302 302 302", languages=LANGUAGES),
    R("favicon", "302 302 302 302 302 302 302 302"),
    R("home", PUBLIC, languages=LANGUAGES),
    R("wagtail_serve", PUBLIC, url=lambda w: w.course.get_url()),
    R("wagtailcore_authenticate_with_password", "404 404 404 404 404 404 404 404", args=lambda w: [UNKNOWN_ID, 1]),
    R("wagtailcore_login", PUBLIC),
    R("wagtaildocs_serve", "404 404 404 404 404 404 404 404", url=lambda w: f"/documents/{UNKNOWN_ID}/x.pdf"),
    # Wagtail sends it to the language-prefixed URL first.
    R("wagtaildocs_authenticate_with_password", "302 302 302 302 302 302 302 302", args=lambda w: [UNKNOWN_ID]),
    # ------------------------------------------------------------ accounts
    R("register", PUBLIC),
    R("register_verify", "200 200 200 200 200 200 200 200", args=lambda w: ["not-a-token"]),
    R("login", "200 302 302 302 302 302 302 302"),
    R("logout", POST_ONLY),
    R("logout", "login login login login login login login login", method="post"),
    R("password_change", SIGNED_IN),
    R("password_change_done", SIGNED_IN),
    R("password_reset", PUBLIC),
    R("password_reset_done", PUBLIC),
    R("password_reset_confirm", PUBLIC, args=lambda w: ["MQ", "set-password"]),
    R("password_reset_complete", PUBLIC),
    R("preferences", SIGNED_IN),
    R("two_factor", SIGNED_IN),
    R("two_factor_setup", SIGNED_IN),
    R("two_factor_verify", "login 302 302 302 302 302 302 302"),
    R("two_factor_recovery_codes", SIGNED_IN_POST),
    R("two_factor_disable", SIGNED_IN_POST),
    R("logout_everywhere", SIGNED_IN_POST),
    # -------------------------------------------------------------- courses
    R("my_learning", SIGNED_IN),
    R("search", PUBLIC),
    R("enrol", POST_ONLY, args=pk("course")),
    R("complete_step", POST_ONLY, args=pk("lesson")),
    # -------------------------------------------------------------- quizzes
    R("quizzes:start", POST_ONLY, args=pk("quiz")),
    R("quizzes:attempt", "login 200 404 404 404 404 404 404", args=pk("quiz_attempt"), foreign=True),
    R("quizzes:result", "login 302 404 404 404 404 404 404", args=pk("quiz_attempt"), foreign=True),
    # ------------------------------------------------------------- practice
    R("practice:start", POST_ONLY, args=pk("exercise")),
    R("practice:workspace", "login 200 404 404 404 404 404 404", args=pk("practice_attempt"), foreign=True),
    R(
        "practice:entry",
        "login 200 404 404 404 404 404 404",
        args=lambda w: [w.practice_attempt.pk, w.task.pk],
        foreign=True,
    ),
    R("practice:search", "login 200 404 404 404 404 404 404", args=pk("practice_attempt"), foreign=True),
    R(
        "practice:record",
        "login 200 404 404 404 404 404 404",
        args=lambda w: [w.practice_attempt.pk, w.record.pk],
        foreign=True,
    ),
    R("practice:submit", SIGNED_IN_POST, args=pk("practice_attempt")),
    R("practice:result", "login 302 404 404 404 404 404 404", args=pk("practice_attempt"), foreign=True),
    # --------------------------------------------------------- certificates
    R("verify_index", PUBLIC),
    R("verify", PUBLIC, args=lambda w: [w.certificate.code]),
    R("certificate_api", PUBLIC, args=lambda w: [w.certificate.code]),
    R(
        "certificate_download",
        "login 200 404 200 404 404 200 200",
        args=lambda w: [w.certificate.serial],
        foreign=True,
    ),
    R("certificate_recertify", SIGNED_IN_POST, args=pk("course")),
    # ================================================================ admin
    # Wagtail's own views, spot-checked in full (the rest: generic rule).
    R("wagtailadmin_home", ANY_STAFF),
    R("wagtailadmin_login", "200 200 200 denied denied denied denied denied"),
    # GET is refused, but Wagtail drops the session cookie all the same.
    R("wagtailadmin_logout", "login login login 405 405 405 405 405"),
    # Image and document rights are per collection in Wagtail: instructors
    # and administrators hold theirs on the root collection (lms/0006).
    R("wagtailimages:index", TEACHING),
    R("wagtaildocs:index", TEACHING),
    # Every admin user sees the history of what they may see.
    R("wagtailadmin_reports:site_history", ANY_STAFF),
    R("wagtailusers_groups:index", SUPERUSER_ONLY_WAGTAIL),
    # Wagtail's own password reset is switched off (WAGTAIL_PASSWORD_RESET_ENABLED
    # = False): the site's throttled, equal-time reset is the only one.
    R("wagtailadmin_password_reset", NOBODY),
    R("wagtailadmin_password_reset", NOBODY, method="post", data=lambda w: {"email": w.person.email}),
    R("wagtailadmin_password_reset_done", NOBODY),
    R("wagtailadmin_password_reset_confirm", NOBODY, args=lambda w: ["MQ", "set-password"]),
    R("wagtailadmin_password_reset_confirm", NOBODY, args=lambda w: ["MQ", "set-password"], method="post"),
    R("wagtailadmin_password_reset_complete", NOBODY),
    # ----------------------------------------------- lms: users and people
    R("wagtailusers_users:index", ADMINS_ONLY_WAGTAIL),
    R("wagtailusers_users:index_results", ADMINS_ONLY_WAGTAIL),
    R("wagtailusers_users:add", ADMINS_ONLY_WAGTAIL),
    R("wagtailusers_users:edit", ADMINS_ONLY_WAGTAIL, args=pk("person")),
    R("wagtailusers_users:delete", SUPERUSER_ONLY_WAGTAIL, args=pk("person")),
    R("wagtailusers_users:history", ADMINS_ONLY_WAGTAIL, args=pk("person")),
    R("wagtailusers_users:history_results", ADMINS_ONLY_WAGTAIL, args=pk("person")),
    R("wagtailusers_users:usage", ADMINS_ONLY_WAGTAIL, args=pk("person")),
    R("wagtailusers_users:copy", ADMINS_ONLY_WAGTAIL, args=pk("person")),
    R("agencies:index", ADMINS_ONLY_WAGTAIL),
    R("agencies:index_results", ADMINS_ONLY_WAGTAIL),
    R("agencies:add", ADMINS_ONLY_WAGTAIL),
    R("agencies:edit", ADMINS_ONLY_WAGTAIL, args=pk("agency_a")),
    R("agencies:copy", ADMINS_ONLY_WAGTAIL, args=pk("agency_a")),
    R("agencies:delete", ADMINS_ONLY_WAGTAIL, args=pk("agency_a")),
    R("agencies:history", ADMINS_ONLY_WAGTAIL, args=pk("agency_a")),
    R("agencies:history_results", ADMINS_ONLY_WAGTAIL, args=pk("agency_a")),
    R("agencies:usage", ADMINS_ONLY_WAGTAIL, args=pk("agency_a")),
    R("profiles:index", ADMINS_ONLY_WAGTAIL),
    R("profiles:index_results", ADMINS_ONLY_WAGTAIL),
    R("profiles:add", SUPERUSER_ONLY_WAGTAIL),
    R("profiles:edit", ADMINS_ONLY_WAGTAIL, args=lambda w: [w.person.profile.pk]),
    R("profiles:copy", SUPERUSER_ONLY_WAGTAIL, args=lambda w: [w.person.profile.pk]),
    R("profiles:delete", SUPERUSER_ONLY_WAGTAIL, args=lambda w: [w.person.profile.pk]),
    R("profiles:history", ADMINS_ONLY_WAGTAIL, args=lambda w: [w.person.profile.pk]),
    R("profiles:history_results", ADMINS_ONLY_WAGTAIL, args=lambda w: [w.person.profile.pk]),
    R("profiles:usage", ADMINS_ONLY_WAGTAIL, args=lambda w: [w.person.profile.pk]),
    # ---------------------------------------------------- courses (admin)
    *exports(R("courses_progress_index", TEACHING)),
    R("courses_progress_index_results", TEACHING),
    # The instructor teaches another course: the course's report is refused.
    *exports(R("courses_progress", TAUGHT_OBJECT, args=pk("course"), foreign=True)),
    R("courses_progress_results", TAUGHT_OBJECT, args=pk("course"), foreign=True),
    # ---------------------------------------------------- quizzes (admin)
    *exports(R("quizzes_statistics:index", TEACHING)),
    R("quizzes_statistics:index_results", TEACHING),
    *exports(R("quizzes_statistics:detail", TAUGHT_OBJECT, args=pk("quiz"), foreign=True)),
    R("quizzes_retire_question", TEACHING, args=pk("question")),
    R("quizzes_restore_question", TEACHING, args=pk("question")),
    R("wagtailsnippets_quizzes_question:list", TEACHING_WAGTAIL),
    R("wagtailsnippets_quizzes_question:list_results", TEACHING_WAGTAIL),
    R("wagtailsnippets_quizzes_question:add", TEACHING_WAGTAIL),
    R("wagtailsnippets_quizzes_question:edit", TEACHING_WAGTAIL, args=pk("question")),
    R("wagtailsnippets_quizzes_question:copy", TEACHING_WAGTAIL, args=pk("question")),
    R("wagtailsnippets_quizzes_question:delete", TEACHING_WAGTAIL, args=pk("question")),
    R("wagtailsnippets_quizzes_question:usage", TEACHING_WAGTAIL, args=pk("question")),
    R("wagtailsnippets_quizzes_question:history", TEACHING_WAGTAIL, args=pk("question")),
    R("wagtailsnippets_quizzes_question:history_results", TEACHING_WAGTAIL, args=pk("question")),
    R("wagtailsnippets_quizzes_question:preview_on_add", TEACHING_WAGTAIL),
    R("wagtailsnippets_quizzes_question:preview_on_edit", TEACHING_WAGTAIL, args=pk("question")),
    R("wagtailsnippetchoosers_quizzes_question:choose", TEACHING_WAGTAIL),
    R("wagtailsnippetchoosers_quizzes_question:choose_results", TEACHING_WAGTAIL),
    R("wagtailsnippetchoosers_quizzes_question:chosen", TEACHING_WAGTAIL, args=lambda w: [str(w.question.pk)]),
    R("wagtailsnippetchoosers_quizzes_question:chosen_multiple", TEACHING_WAGTAIL),
    R("wagtailsnippetchoosers_quizzes_question:create", TEACHING_WAGTAIL),
    R("wagtailsnippets_quizzes_questioncategory:list", TEACHING_WAGTAIL),
    R("wagtailsnippets_quizzes_questioncategory:list_results", TEACHING_WAGTAIL),
    R("wagtailsnippets_quizzes_questioncategory:add", TEACHING_WAGTAIL),
    R("wagtailsnippets_quizzes_questioncategory:edit", TEACHING_WAGTAIL, args=pk("category")),
    R("wagtailsnippets_quizzes_questioncategory:copy", TEACHING_WAGTAIL, args=pk("category")),
    R("wagtailsnippets_quizzes_questioncategory:delete", TEACHING_WAGTAIL, args=pk("category")),
    R("wagtailsnippets_quizzes_questioncategory:usage", TEACHING_WAGTAIL, args=pk("category")),
    R("wagtailsnippets_quizzes_questioncategory:history", TEACHING_WAGTAIL, args=pk("category")),
    R("wagtailsnippets_quizzes_questioncategory:history_results", TEACHING_WAGTAIL, args=pk("category")),
    R("wagtailsnippetchoosers_quizzes_questioncategory:choose", TEACHING_WAGTAIL),
    R("wagtailsnippetchoosers_quizzes_questioncategory:choose_results", TEACHING_WAGTAIL),
    R("wagtailsnippetchoosers_quizzes_questioncategory:chosen", TEACHING_WAGTAIL, args=lambda w: [str(w.category.pk)]),
    R("wagtailsnippetchoosers_quizzes_questioncategory:chosen_multiple", TEACHING_WAGTAIL),
    R("wagtailsnippetchoosers_quizzes_questioncategory:create", TEACHING_WAGTAIL),
    # Question import (quizzes.permissions.may_import_questions: the right
    # to add questions). An empty POST is a bad form: 400, nothing written.
    R("quizzes_import_questions", TEACHING_WAGTAIL),
    R("quizzes_import_questions", "login login login denied denied 400 400 400", method="post"),
    R("quizzes_import_template", TEACHING_WAGTAIL, args=lambda w: ["csv"], variant="csv"),
    R("quizzes_import_template", TEACHING_WAGTAIL, args=lambda w: ["xlsx"], variant="xlsx"),
    # --------------------------------------------------- gradebook (admin)
    # gradebook.permissions: instructors of the course and administrators;
    # the index inherits the progress index's refusal, every view naming a
    # course, trainee, attempt or step answers 404 to everyone else.
    R("gradebook_index", TEACHING),
    R("gradebook_index_results", TEACHING),
    *exports(R("gradebook_course", GRADEBOOK, args=pk("course"), foreign=True)),
    R("gradebook_course_results", GRADEBOOK, args=pk("course"), foreign=True),
    R("gradebook_trainee", GRADEBOOK, args=lambda w: [w.course.pk, w.person.pk], foreign=True),
    R("gradebook_override", GRADEBOOK, args=override_args, foreign=True),
    R("gradebook_override", GRADEBOOK_POST, args=override_args, method="post", foreign=True),
    R("gradebook_override", GRADEBOOK, args=practice_override_args, foreign=True, variant="practice"),
    R("gradebook_grant", GRADEBOOK, args=grant_args, foreign=True),
    R("gradebook_grant", GRADEBOOK_POST, args=grant_args, method="post", foreign=True),
    # --------------------------------------------------- practice (admin)
    *exports(R("practice_admin:index", TEACHING)),
    R("practice_admin:index_results", TEACHING),
    *exports(R("practice_admin:detail", TAUGHT_OBJECT, args=pk("exercise"), foreign=True)),
    *exports(R("practice_admin:searches", TAUGHT_OBJECT, args=pk("exercise"), foreign=True)),
    R("practice_admin:searches_results", TAUGHT_OBJECT, args=pk("exercise"), foreign=True),
    # --------------------------------------------------- training (admin)
    *exports(R("training_translation_status:index", TEACHING)),
    R("training_translation_status:results", TEACHING),
    # ----------------------------------------------- certificates (admin)
    R("certificates:index", "login login login 200 200 denied 200 200"),
    R("certificates:index_results", "login login login 200 200 denied 200 200"),
    R("certificates:inspect", "login login login 200 404 404 200 200", args=pk("certificate"), foreign=True),
    R("certificates:revoke", ADMINS_ONLY, args=pk("certificate")),
    R("certificates:reissue", ADMINS_ONLY, args=pk("certificate")),
    R("certificate_templates:index", ADMINS_ONLY_WAGTAIL),
    R("certificate_templates:index_results", ADMINS_ONLY_WAGTAIL),
    R("certificate_templates:add", ADMINS_ONLY_WAGTAIL),
    R("certificate_templates:edit", ADMINS_ONLY_WAGTAIL, args=pk("template")),
    R("certificate_templates:copy", ADMINS_ONLY_WAGTAIL, args=pk("template")),
    R("certificate_templates:delete", ADMINS_ONLY_WAGTAIL, args=pk("template")),
    R("certificate_templates:history", ADMINS_ONLY_WAGTAIL, args=pk("template")),
    R("certificate_templates:history_results", ADMINS_ONLY_WAGTAIL, args=pk("template")),
    R("certificate_templates:usage", ADMINS_ONLY_WAGTAIL, args=pk("template")),
    R("course_certificates:index", ADMINS_ONLY_WAGTAIL),
    R("course_certificates:index_results", ADMINS_ONLY_WAGTAIL),
    R("course_certificates:add", ADMINS_ONLY_WAGTAIL),
    R("course_certificates:edit", ADMINS_ONLY_WAGTAIL, args=pk("course_settings")),
    R("course_certificates:delete", ADMINS_ONLY_WAGTAIL, args=pk("course_settings")),
    R("course_certificates:history", ADMINS_ONLY_WAGTAIL, args=pk("course_settings")),
    R("course_certificates:history_results", ADMINS_ONLY_WAGTAIL, args=pk("course_settings")),
    R("course_certificates:usage", ADMINS_ONLY_WAGTAIL, args=pk("course_settings")),
    # ------------------------------------------------- onboarding (admin)
    *exports(R("onboarding_admin:people", REPORTS), formats=("csv",)),
    R("onboarding_admin:person", AGENCY_A_OBJECT, args=pk("person"), foreign=True),
    R("onboarding_admin:registrations", REPORTS),
    R("onboarding_admin:registration", AGENCY_A_OBJECT, args=pk("registration"), foreign=True),
    R("onboarding_admin:imports", REPORTS),
    R("onboarding_admin:assignments", REPORTS),
    R("onboarding_admin:assign", REPORTS),
    R("onboarding_admin:assign_required", "login login login 405 405 denied 405 405"),
    R("onboarding_admin:assignment", AGENCY_A_OBJECT, args=pk("assignment"), foreign=True),
    R("onboarding_admin:overdue", REPORTS),
    # --------------------------------------------------- tracking (admin)
    *exports(R("tracking_admin:agencies", REPORTS)),
    R("tracking_admin:agencies_results", REPORTS),
    *exports(R("tracking_admin:people", REPORTS)),
    R("tracking_admin:people_results", REPORTS),
    *exports(R("tracking_admin:matrix", REPORTS)),
    R("tracking_admin:matrix_results", REPORTS),
    R("tracking_admin:bulk_index", REPORTS),
    R("tracking_admin:bulk_create", "login login login 405 405 denied 405 405"),
    # Coordinator A's export: for them and administrators only.
    R("tracking_admin:bulk_status", AGENCY_A_OBJECT, args=pk("export"), foreign=True),
    R("tracking_admin:bulk_download", "login login login 200 404 404 200 200", args=pk("export"), foreign=True),
    # ------------------------------------------- unnamed admin patterns
    R("admin/^.*/$", "login login login 404 404 404 404 404", url=lambda w: "/admin/no-such-screen/"),
    # Wagtail's preview of its 404 page (status 200).
    R("admin/test404/", ANY_STAFF, url=lambda w: "/admin/test404/"),
    # wagtail-modeltranslation's copy endpoint, behind our guard (same route,
    # registered first: courses.translation_copy). The editor's script posts
    # with X-Requested-With (so Wagtail refuses non-staff with a 403, not a
    # redirect); an empty body is a 400, not a server error.
    R("courses_copy_translation_content", "login login login 405 405 405 405 405", args=lambda w: [str(w.lesson.pk)]),
    R(
        "courses_copy_translation_content",
        # Instructors edit course pages (Wagtail page permissions).
        "403 403 403 404 404 400 400 400",
        args=lambda w: [str(w.lesson.pk)],
        method="post",
        headers={"X-Requested-With": "XMLHttpRequest"},
        foreign=True,
    ),
]

BUILTIN_NAMESPACES = {
    "wagtail_bulk_action",
    "wagtailadmin_account",
    "wagtailadmin_api",
    "wagtailadmin_block_preview",
    "wagtailadmin_choose_page",
    "wagtailadmin_choose_page_anchor_link",
    "wagtailadmin_choose_page_child",
    "wagtailadmin_choose_page_chosen_multiple",
    "wagtailadmin_choose_page_email_link",
    "wagtailadmin_choose_page_external_link",
    "wagtailadmin_choose_page_phone_link",
    "wagtailadmin_choose_page_search",
    "wagtailadmin_collections",
    "wagtailadmin_dismissibles",
    "wagtailadmin_editing_sessions",
    "wagtailadmin_error_test",
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_explore_root",
    "wagtailadmin_home",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_pages",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_reports",
    "wagtailadmin_sprite",
    "wagtailadmin_tag_autocomplete",
    "wagtailadmin_tag_model_autocomplete",
    "wagtailadmin_workflows",
    "wagtaildocs",
    "wagtaildocs_chooser",
    "wagtailembeds",
    "wagtailforms",
    "wagtailimages",
    "wagtailimages_chooser",
    "wagtailredirects",
    "wagtailsettings",
    "wagtailsites",
    "wagtailsnippets",
    "wagtailusers_groups",
}

#: Wagtail admin URLs that answer without admin access (login, password
#: reset, static helpers): outcome for anonymous and trainee A.
BUILTIN_PUBLIC = {
    "wagtailadmin_sprite": "200",
    "wagtailadmin_javascript_catalog": "200",
    # Wagtail's own password reset is off: rows in TABLE (404 for everyone).
}

#: Wagtail's deliberate server-error page (admin/failwhale/).
BUILTIN_RAISES = {"wagtailadmin_error_test"}


# ------------------------------------------------------------------ walking


@dataclass(frozen=True)
class Pattern:
    key: str  # URL name with namespaces, or the route when unnamed
    route: str
    callback: str


def walk(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Pattern(name or route, route, entry.lookup_str)


def all_patterns():
    """Every pattern, with the i18n prefixes of both languages."""
    found = {}
    for language in LANGUAGES:
        with translation.override(language):
            for pattern in walk():
                found.setdefault(pattern.route, pattern)
    return list(found.values())


def is_builtin(pattern):
    root = pattern.key.split(":", 1)[0]
    return pattern.route.startswith("admin/") and root in BUILTIN_NAMESPACES and pattern.callback.startswith("wagtail.")


def table_keys():
    return {row.name for row in TABLE}


# -------------------------------------------------------------- the world


def restore_if_flushed():
    """A transactional test that ran before on this worker flushed the
    database (serialized rollback reloads it only before the next
    transactional test): reload the post-migration contents first."""
    from django.db import connection
    from wagtail.models import Page

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents and not Page.objects.exists():
        connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The fixture world, built once for the module inside a transaction
    that is rolled back at the end (each test runs in a savepoint of it).
    Each role is logged in once here; tests reuse the session cookie (what a
    test does to its session is rolled back with the test)."""
    with django_db_blocker.unblock(), transaction.atomic():
        restore_if_flushed()
        with translation.override("en"):
            built = build_world()
        for role, user in built.users.items():
            client = Client()
            client.force_login(user)
            built.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        try:
            yield built
        finally:
            remove_files(built)
            transaction.set_rollback(True)


@pytest.fixture
def clients(world, db):
    cache.clear()  # rate-limit counters
    made = {}

    def client_for(role):
        if role not in made:
            client = Client()
            if role != "anonymous":
                client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
            made[role] = client
        return made[role]

    yield client_for
    cache.clear()


def outcome(response, path=""):
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        if "/login/" in location:
            return "login"
        if location == "/admin/":
            return "denied"
        if path.startswith("/admin/") and location == "/en" + path:
            # A 404 under /admin/: LocaleMiddleware tries the path with a
            # language prefix (where Wagtail's page serving answers 404).
            return "404"
        return "302" if status in (301, 302, 307, 308) else "303"
    return str(status)


def request(client, row, world, unknown=False, language="en"):
    with translation.override(language):
        path = row.path(world, unknown=unknown)
    data = row.data(world) if row.data else {}
    return path, getattr(client, row.method)(path, data, headers=row.headers)


# ------------------------------------------------------------------- tests


def test_every_url_is_classified():
    keys = table_keys()
    missing = sorted(
        f"{p.key}  (route {p.route!r}, view {p.callback})"
        for p in all_patterns()
        if p.key not in keys and not is_builtin(p)
    )
    assert not missing, "Classify these URL patterns in TABLE of tests/security/test_access_matrix.py:\n" + "\n".join(
        missing
    )


def test_every_row_names_a_url():
    known = {p.key for p in all_patterns()}
    stale = sorted(key for key in table_keys() if key not in known)
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


def admin_keys():
    return {p.key for p in all_patterns() if p.route.startswith("admin/")}


def languages_of(row, admin):
    """The languages a row is requested in. Every row runs in English. The
    site's rows that name an object (arguments, or a page URL) run in Spanish
    too: the /es/ path resolves the object by itself (translated slugs,
    language-bound lookups), so access is checked there again. A site row
    without arguments reaches the same view through the same checks under
    either prefix (``test_every_url_is_classified`` still walks both
    languages' patterns); ``languages=`` on a row overrides this. The admin
    has no language prefix: once."""
    if row.name in admin:
        return ("en",)
    if row.languages:
        return row.languages
    return LANGUAGES if (row.args or row.url) else ("en",)


def _param_rows():
    """One test per row and language (``languages_of``)."""
    admin = admin_keys()
    params = []
    for row in TABLE:
        for language in languages_of(row, admin):
            params.append(pytest.param(row, language, id=f"{row.id}@{language}"))
    return params


@pytest.mark.parametrize(("row", "language"), _param_rows())
def test_matrix(row, language, world, clients):
    failures = []
    for role, expected in row.cells.items():
        path, response = request(clients(role), row, world, language=language)
        got = outcome(response, path)
        if got != expected:
            where = response.get("Location", "")
            failures.append(f"{role}: expected {expected}, got {got} {where}")
    assert not failures, f"{row.method.upper()} {path}\n" + "\n".join(failures)


def test_admin_login_offers_no_wagtail_password_reset(world, clients):
    """Wagtail's own reset (not throttled, not equal-time) is off: the admin
    login links to no reset, and posting to it sends no mail (the matrix's
    ``wagtailadmin_password_reset`` rows: 404 for everyone)."""
    from django.core import mail

    client = clients("anonymous")
    page = client.get(reverse("wagtailadmin_login"))
    assert page.status_code == 200
    assert reverse("wagtailadmin_password_reset").encode() not in page.content
    assert b"reset-password" not in page.content
    mail.outbox.clear()
    response = client.post(reverse("wagtailadmin_password_reset"), {"email": world.person.email})
    assert outcome(response, reverse("wagtailadmin_password_reset")) == "404"
    assert mail.outbox == []


# ------------------------------------------------ unknown and foreign ids

TOKENS_IN_BODY = [
    (re.compile(r"[A-Za-z0-9_-]{32,}"), "<token>"),  # CSRF tokens, nonces
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
]
NUMBERS = re.compile(r"\d+")


def shape(response, path, args=()):
    """What a response shows of the object behind ``path``: status, content
    type and the body without tokens, the URL itself, its arguments (which
    the language switch repeats) and numbers."""
    body = response.content.decode("utf-8", errors="replace")
    for pattern, replacement in TOKENS_IN_BODY:
        body = pattern.sub(replacement, body)
    for variant in (path, path.split("?")[0], *(str(arg) for arg in args if not str(arg).isdigit())):
        body = body.replace(variant, "<url>")
    return response.status_code, response.get("Content-Type"), NUMBERS.sub("0", body)


def _foreign_rows():
    return [pytest.param(row, id=row.id) for row in TABLE if row.foreign]


@pytest.mark.parametrize("row", _foreign_rows())
def test_unknown_and_foreign_ids_answer_alike(row, world, clients):
    """For everyone refused an object of A, an id that names nothing gets
    the same answer: no existence oracle."""
    checked = 0
    for role, expected in row.cells.items():
        if expected not in ("403", "404", "denied"):
            continue
        client = clients(role)
        foreign_path, foreign = request(client, row, world)
        unknown_path, unknown = request(client, row, world, unknown=True)
        seen = shape(foreign, foreign_path, row.args(world) if row.args else ())
        unseen = shape(unknown, unknown_path, row.unknown_args(world))
        if seen != unseen:
            diff = "\n".join(
                difflib.unified_diff(seen[2].splitlines(), unseen[2].splitlines(), "foreign", "unknown", lineterm="")
            )
            pytest.fail(
                f"{role}: {foreign_path} answers {seen[:2]}, {unknown_path} answers {unseen[:2]}\n{diff[:3000]}"
            )
        checked += 1
    assert checked, f"{row.id}: foreign=True but no role is refused"


# ------------------------------------------------- Wagtail's own admin views

ARGUMENT = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)|\([^)]*\)")


def sample_path(pattern):
    """A path that resolves to ``pattern``, every argument "1"."""
    route = ARGUMENT.sub("1", pattern.route).replace("^", "").replace("$", "")
    route = re.sub(r"\\(.)", r"\1", route)
    return "/" + route


def _builtin_params():
    keys = table_keys()
    return [pytest.param(p, id=p.key) for p in all_patterns() if is_builtin(p) and p.key not in keys]


def test_builtin_samples_resolve():
    """The generic rule reaches the view it means to check."""
    wrong = []
    for param in _builtin_params():
        pattern = param.values[0]
        path = sample_path(pattern)
        match = resolve(path)
        if (match.view_name or match.route) != pattern.key:
            wrong.append(f"{pattern.key}: {path}")
    assert not wrong, "Give these patterns a row in TABLE (no sample path):\n" + "\n".join(wrong)


def test_wagtail_builtin_admin_refuses_people_without_admin_access(world, clients):
    """The generic rule for Wagtail's own admin views (pages, images,
    documents, snippets index, settings, sites, workflows, reports...):
    anonymous visitors and trainees are sent to the admin login (or refused
    on an XHR); the superuser reaches every view without an argument
    without a server error. Wagtail's own tests cover its per-model
    permissions; the project's views have rows in TABLE."""
    failures = []
    for param in _builtin_params():
        pattern = param.values[0]
        path = sample_path(pattern)
        expected = BUILTIN_PUBLIC.get(pattern.key, "login")
        for role in ("anonymous", "trainee_a"):
            got = outcome(clients(role).get(path), path)
            if got != expected:
                failures.append(f"{pattern.key} {path}: {role} expected {expected}, got {got}")
        if not ARGUMENT.search(pattern.route) and pattern.key not in set(BUILTIN_PUBLIC) | BUILTIN_RAISES:
            response = clients("superuser").get(path)
            if response.status_code >= 500 or outcome(response) == "login":
                failures.append(f"{pattern.key} {path}: superuser got {response.status_code}")
    assert not failures, "\n".join(failures)


# -------------------------------------------------------- staff two-factor

STAFF = ("coordinator_a", "instructor", "administrator", "superuser")


def _admin_params():
    admin = admin_keys()
    return [pytest.param(row, id=row.id) for row in TABLE if row.name in admin and row.name not in ADMIN_PUBLIC]


#: Admin URLs anyone may open (the admin's login page).
ADMIN_PUBLIC = {"wagtailadmin_login", "wagtailadmin_logout"}


@pytest.mark.parametrize("enrolled", [False, True], ids=["not-enrolled", "enrolled-unverified"])
def test_staff_without_second_factor_reach_no_admin_page(enrolled, world, two_factor_on):
    """With staff two-factor on, a staff login without a verified second
    factor is sent to enrolment (no authenticator yet) or to verification
    (authenticator, session not verified) from every admin URL of the table
    and every Wagtail admin view."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lms.middleware import TwoFactorMiddleware
    from lms.two_factor import AUTHENTICATOR

    target = reverse("two_factor_verify" if enrolled else "two_factor_setup").split("/", 2)[2]
    exempt = TwoFactorMiddleware.EXEMPT_PREFIXES  # the admin's login and logout
    rows = [
        (row.method, row.path(world), row.data(world) if row.data else {}, row.headers)
        for row in (p.values[0] for p in _admin_params())
    ]
    builtins = [("get", sample_path(p.values[0]), {}, None) for p in _builtin_params()]
    failures = []
    for role in STAFF:
        user = world.users[role]
        if enrolled:
            TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=True)
        client = Client()
        client.force_login(user)
        # Wagtail's own views once per kind of staff login (they all pass
        # the same middleware first); the project's with every staff role.
        checked = rows + (builtins if role == ("superuser" if enrolled else "administrator") else [])
        for method, path, data, headers in checked:
            if path.startswith(exempt):
                continue
            response = getattr(client, method)(path, data, headers=headers)
            location = response.get("Location", "")
            if response.status_code != 302 or target not in location:
                failures.append(f"{role} {method.upper()} {path}: {response.status_code} {location}")
    assert not failures, f"{len(failures)} admin URLs reached without a second factor:\n" + "\n".join(failures[:40])
