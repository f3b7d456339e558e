"""The coordinator workspace in the Wagtail admin: people, pending
registrations, imports, assignments and progress of the agencies the user
manages. Every view looks rows up through onboarding.permissions, so an id of
another agency is a 404, and refuses anyone who manages no agency."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.models import CoursePage
from lms.exports import neutralise

from . import permissions
from .assignments import assign_course, assign_required_courses, assignable_people, members_with_status, overdue_members
from .exceptions import ImportRefused, OnboardingRefused
from .forms import AssignForm, ImportForm, RejectForm, RequiredCoursesForm
from .importing import import_people
from .models import AssignedPerson, RegistrationStatus
from .people import set_active
from .registration import approve, reject

PAGE_SIZE = 50


class WorkspaceView(WagtailAdminTemplateMixin, TemplateView):
    """Base: only people who manage an agency; ``agencies`` is their scope."""

    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_onboard(request.user):
            raise PermissionDenied
        self.agencies = permissions.managed_agencies(request.user)
        self.choose_agency = permissions.may_choose_agency(request.user)
        if "pk" in kwargs:
            self.object = get_object_or_404(self.scoped_objects(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def scoped_objects(self, user):
        """Detail views: the rows ``user`` may open (anything else is a 404)."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["choose_agency"] = self.choose_agency
        return context

    def paginate(self, queryset):
        return Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("p"))


# ------------------------------------------------------------------ people


def _people_queryset(request):
    people = permissions.managed_people(request.user).select_related("profile__agency")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        words = Q()
        for word in query.split()[:5]:
            words &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        people = people.filter(words)
    status = request.GET.get("status")
    if status == "active":
        people = people.filter(is_active=True)
    elif status == "inactive":
        people = people.filter(is_active=False)
    return people.order_by("last_name", "first_name", "pk"), query, status


class PeopleView(WorkspaceView):
    template_name = "onboarding/admin/people.html"
    page_title = gettext_lazy("People")

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            return people_csv(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people, query, status = _people_queryset(self.request)
        context.update(page=self.paginate(people), query=query, status=status)
        return context


class _Echo:
    def write(self, value):
        return value


PEOPLE_HEADINGS = [
    gettext_lazy("Name"),
    gettext_lazy("E-mail"),
    gettext_lazy("Agency"),
    gettext_lazy("Language"),
    gettext_lazy("Active"),
    gettext_lazy("Joined"),
]


def people_csv(request):
    """The people list as CSV (same filters and scope as the page)."""
    people, _query, _status = _people_queryset(request)
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow([str(heading) for heading in PEOPLE_HEADINGS])
        for person in people.iterator(2000):
            profile = getattr(person, "profile", None)
            yield writer.writerow(
                [
                    neutralise(person.get_full_name()),
                    neutralise(person.email),
                    profile.agency.acronym if profile and profile.agency else "",
                    profile.preferred_language if profile else "",
                    _("yes") if person.is_active else _("no"),
                    timezone.localtime(person.date_joined).date().isoformat(),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    return response


class PersonView(WorkspaceView):
    template_name = "onboarding/admin/person.html"
    page_title = gettext_lazy("Person")

    def scoped_objects(self, user):
        return permissions.managed_people(user).select_related("profile__agency")

    @property
    def person(self):
        return self.object

    def get_page_subtitle(self):
        return self.person.get_full_name() or self.person.email

    def post(self, request, *args, **kwargs):
        active = request.POST.get("action") == "reactivate"
        try:
            set_active(self.person, actor=request.user, active=active)
        except OnboardingRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Reactivated.") if active else _("Deactivated. Their records and certificates are kept.")
            )
        return redirect("onboarding_admin:person", pk=self.person.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        members = (
            members_with_status(AssignedPerson.objects.filter(user=self.person, assignment__agency__in=self.agencies))
            .select_related("assignment__course")
            .order_by("assignment__due_on")
        )
        context.update(
            person=self.person,
            members=[
                (member, member.assignment.due_on and member.assignment.due_on < today and not member.done)
                for member in members
            ],
            may_deactivate=permissions.may_deactivate(self.request.user, self.person),
        )
        return context


# ------------------------------------------------------------------ registrations


class RegistrationsView(WorkspaceView):
    template_name = "onboarding/admin/registrations.html"
    page_title = gettext_lazy("Registrations")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status") or RegistrationStatus.PENDING
        if status not in RegistrationStatus.values:
            status = RegistrationStatus.PENDING
        registrations = (
            permissions.managed_registrations(self.request.user)
            .filter(status=status)
            .select_related("user", "agency")
            .order_by("created_at")
        )
        context.update(page=self.paginate(registrations), status=status, statuses=RegistrationStatus.choices)
        return context


class RegistrationView(WorkspaceView):
    template_name = "onboarding/admin/registration.html"
    page_title = gettext_lazy("Registration")

    def scoped_objects(self, user):
        return permissions.managed_registrations(user).select_related("user__profile", "agency")

    @property
    def registration(self):
        return self.object

    def post(self, request, *args, **kwargs):
        form = RejectForm(request.POST)
        try:
            if request.POST.get("action") == "approve":
                approve(self.registration, actor=request.user)
                messages.success(request, _("Registration approved; the person was e-mailed."))
            elif request.POST.get("action") == "reject" and form.is_valid():
                reject(self.registration, actor=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Registration rejected; the person was e-mailed."))
            else:
                return self.render_to_response(self.get_context_data(form=form), status=400)
        except OnboardingRefused as error:
            messages.error(request, error.message)
        return redirect("onboarding_admin:registrations")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", RejectForm())
        context["registration"] = self.registration
        return context


# ------------------------------------------------------------------ imports


class ImportsView(WorkspaceView):
    template_name = "onboarding/admin/imports.html"
    page_title = gettext_lazy("Imports")

    def form(self, data=None, files=None):
        return ImportForm(data, files, agencies=self.agencies, choose_agency=self.choose_agency)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, request.FILES)
        result, refused = None, None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = import_people(
                    upload.read(),
                    upload.name,
                    agency=form.cleaned_data["agency"],
                    actor=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ImportRefused as error:
                refused = error.message
        status = 200 if result is not None and result.ok else 400
        return self.render_to_response(self.get_context_data(form=form, result=result, refused=refused), status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.form())
        batches = permissions.managed_imports(self.request.user).select_related("agency", "imported_by")
        context["batches"] = batches[:20]
        return context


# ------------------------------------------------------------------ assignments


def _courses():
    return CoursePage.objects.live().order_by("code")


class AssignmentsView(WorkspaceView):
    template_name = "onboarding/admin/assignments.html"
    page_title = gettext_lazy("Assignments")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        assignments = (
            permissions.managed_assignments(self.request.user)
            .select_related("course", "agency", "assigned_by")
            .annotate(
                people=Count("members", distinct=True),
            )
            .order_by("-created_at")
        )
        page = self.paginate(assignments)
        overdue = {}
        members = overdue_members(AssignedPerson.objects.filter(assignment__in=[a.pk for a in page]), today)
        for row in members.values("assignment_id").annotate(n=Count("pk")):
            overdue[row["assignment_id"]] = row["n"]
        for assignment in page:
            assignment.overdue_count = overdue.get(assignment.pk, 0)
        context.update(page=page, today=today)
        return context


class AssignmentView(WorkspaceView):
    template_name = "onboarding/admin/assignment.html"
    page_title = gettext_lazy("Assignment")

    def scoped_objects(self, user):
        return permissions.managed_assignments(user).select_related("course", "agency")

    @property
    def assignment(self):
        return self.object

    def get_page_subtitle(self):
        return self.assignment.course.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        members = (
            members_with_status(self.assignment.members.all())
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        only_overdue = self.request.GET.get("overdue") == "1"
        if only_overdue:
            members = overdue_members(self.assignment.members.all(), today).select_related("user")
        due = self.assignment.due_on
        rows = [(member, bool(due and due < today and not member.done)) for member in members]
        context.update(assignment=self.assignment, rows=rows, only_overdue=only_overdue)
        return context


class OverdueView(WorkspaceView):
    template_name = "onboarding/admin/overdue.html"
    page_title = gettext_lazy("Overdue")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = (
            overdue_members(AssignedPerson.objects.filter(assignment__agency__in=self.agencies, user__is_active=True))
            .select_related("user", "assignment__course", "assignment__agency")
            .order_by("assignment__due_on", "user__last_name")
        )
        context["page"] = self.paginate(members)
        return context


class AssignView(WorkspaceView):
    template_name = "onboarding/admin/assign.html"
    page_title = gettext_lazy("Assign a course")

    def form(self, data=None):
        agency_id = (data or self.request.GET).get("agency")
        agency = self.agencies.filter(pk=agency_id).first() if agency_id and str(agency_id).isdigit() else None
        agency = agency or self.agencies.first()
        return AssignForm(
            data,
            courses=_courses(),
            agencies=self.agencies,
            people=assignable_people(self.request.user, agency).order_by("last_name", "first_name"),
            choose_agency=self.choose_agency,
            initial={"agency": agency, "course": self.request.GET.get("course")},
        )

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = assign_course(
                    actor=request.user,
                    agency=data["agency"],
                    course=data["course"],
                    people=list(data["people"]),
                    everyone=data["who"] == AssignForm.WHO_EVERYONE,
                    include_future=data["include_future"],
                    due_on=data["due_on"],
                )
            except OnboardingRefused as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("%(course)s assigned to %(count)d people.")
                    % {"course": data["course"].title, "count": result.added},
                )
                for user, reason in result.refused:
                    messages.warning(request, f"{user.get_full_name() or user.email}: {reason}")
                return redirect("onboarding_admin:assignment", pk=result.assignments[0].pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.form())
        context["required_form"] = RequiredCoursesForm(agencies=self.agencies, choose_agency=self.choose_agency)
        return context


class AssignRequiredView(WorkspaceView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = RequiredCoursesForm(request.POST, agencies=self.agencies, choose_agency=self.choose_agency)
        if not form.is_valid():
            messages.error(request, _("Choose a valid agency and due date."))
            return redirect("onboarding_admin:assign")
        try:
            result = assign_required_courses(
                actor=request.user, agency=form.cleaned_data["agency"], due_on=form.cleaned_data["due_on"]
            )
        except OnboardingRefused as error:
            messages.error(request, error.message)
            return redirect("onboarding_admin:assign")
        if result.assignments:
            messages.success(
                request,
                _("%(courses)d required course(s) assigned to everyone, now and later.")
                % {"courses": len(result.assignments)},
            )
        else:
            messages.info(request, _("Every required course was already assigned to everyone."))
        return redirect(reverse("onboarding_admin:assignments"))
