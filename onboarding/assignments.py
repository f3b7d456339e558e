"""Assigning courses to an agency's people, with an optional due date.

Assigning enrols each person through ``courses.progress.enroll`` (so the
course's own rules apply) and records them as members of the assignment.
An assignment "for everyone who joins later" is applied to people when they
join (approval of a registration, an import)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from courses.exceptions import EnrollmentRefused
from courses.models import CoursePage, Enrollment
from courses.progress import enroll
from lms.notifications import enqueue_on_commit
from lms.roles import TRAINEES

from . import permissions
from .exceptions import AssignmentRefused
from .models import AssignedPerson, Assignment


@dataclass
class AssignResult:
    assignments: list = field(default_factory=list)
    added: int = 0
    refused: list = field(default_factory=list)  # (user, reason)


def assignable_people(actor, agency):
    """The trainees of ``agency`` that ``actor`` may assign courses to."""
    return (
        permissions.managed_people(actor)
        .filter(profile__agency=agency, is_active=True, groups__name=TRAINEES)
        .distinct()
    )


def _check(actor, agency, course, due_on):
    if not permissions.managed_agencies(actor).filter(pk=agency.pk).exists():
        raise AssignmentRefused(_("You may not assign courses for this agency."))
    if not course.live:
        raise AssignmentRefused(_("%(course)s is not published.") % {"course": course.title})
    if due_on is not None and due_on < timezone.localdate():
        raise AssignmentRefused(_("The due date is in the past."))


def _add_members(assignment, users, actor):
    """Enrol each of ``users`` and make them members; returns (new member
    ids, refusals). Safe to call twice (members and enrolments are unique)."""
    added, refused = [], []
    already = set(assignment.members.values_list("user_id", flat=True))
    for user in users:
        if user.pk in already:
            continue
        try:
            enroll(user, assignment.course, actor=actor)
        except EnrollmentRefused as error:
            refused.append((user, error.message))
            continue
        member, created = AssignedPerson.objects.get_or_create(assignment=assignment, user=user)
        if created:
            added.append(member.pk)
    return added, refused


def assign_course(*, actor, agency, course, people=None, everyone=False, include_future=False, due_on=None):
    """Assign ``course`` to ``people`` (or everyone) of ``agency``.

    Creates a new assignment each call (not safe to call twice: the second
    call makes a second assignment with the same people). Raises
    AssignmentRefused when the actor may not, the course is unpublished, the
    due date has passed, or someone picked is not of the agency.
    """
    _check(actor, agency, course, due_on)
    candidates = assignable_people(actor, agency).select_related("profile")
    if everyone:
        targets = list(candidates)
    else:
        picked = {person.pk for person in people or []}
        targets = list(candidates.filter(pk__in=picked))
        if len(targets) != len(picked):
            raise AssignmentRefused(_("Some of the people picked are not trainees of this agency."))
        if not targets and not include_future:
            raise AssignmentRefused(_("Pick at least one person, everyone, or everyone who joins later."))
    with transaction.atomic():
        assignment = Assignment.objects.create(
            agency=agency, course=course, due_on=due_on, include_future=include_future, assigned_by=actor
        )
        added, refused = _add_members(assignment, targets, actor)
        log(
            instance=assignment,
            action="onboarding.assign",
            user=actor,
            data={"course": course.code, "agency": agency.acronym, "people": len(added)},
        )
        if added:
            from .tasks import send_assignment

            enqueue_on_commit(send_assignment, added)
    return AssignResult([assignment], len(added), refused)


def assign_required_courses(*, actor, agency, due_on=None):
    """Assign every live course ``agency`` requires (the certification matrix)
    to all its trainees and to everyone who joins later, in one step.

    A course already assigned to everyone (including later joiners) is
    skipped, so calling it twice assigns nothing new.
    """
    courses = CoursePage.objects.live().filter(required_by=agency).order_by("code")
    if not permissions.managed_agencies(actor).filter(pk=agency.pk).exists():
        raise AssignmentRefused(_("You may not assign courses for this agency."))
    if not courses:
        raise AssignmentRefused(_("This agency requires no published course."))
    standing = set(Assignment.objects.filter(agency=agency, include_future=True).values_list("course_id", flat=True))
    result = AssignResult()
    with transaction.atomic():
        for course in courses:
            if course.pk in standing:
                continue
            one = assign_course(
                actor=actor, agency=agency, course=course, everyone=True, include_future=True, due_on=due_on
            )
            result.assignments += one.assignments
            result.added += one.added
            result.refused += one.refused
    return result


def apply_standing_assignments(user, *, actor=None):
    """Add ``user`` to every "everyone who joins later" assignment of their
    agency. Safe to call twice."""
    agency = getattr(getattr(user, "profile", None), "agency", None)
    if agency is None or not user.is_active:
        return 0
    actor = actor or user
    added = []
    for assignment in Assignment.objects.filter(agency=agency, include_future=True).select_related("course"):
        if not assignment.course.live:
            continue
        members, _refused = _add_members(assignment, [user], actor)
        added += members
    if added:
        from .tasks import send_assignment

        enqueue_on_commit(send_assignment, added)
    return len(added)


# ------------------------------------------------------------------ reading


def _completed():
    """Has the member completed the assignment's course (current cycle)?"""
    return Exists(
        Enrollment.objects.filter(
            user_id=OuterRef("user_id"),
            course_id=OuterRef("assignment__course_id"),
            is_current=True,
            completed_at__isnull=False,
        )
    )


def members_with_status(queryset):
    """Annotate AssignedPerson rows with ``done`` (course completed)."""
    return queryset.annotate(done=_completed())


def overdue_members(queryset, today=None):
    """Members past their due date who have not completed the course."""
    today = today or timezone.localdate()
    return members_with_status(queryset).filter(assignment__due_on__lt=today, done=False)


def assigned_to(user):
    """The user's open assignments, one row per course, earliest due first:
    ``[(course, due_on)]``."""
    rows = (
        members_with_status(AssignedPerson.objects.filter(user=user))
        .filter(done=False)
        .values("assignment__course_id")
        .annotate(due=Min("assignment__due_on"))
    )
    due = {row["assignment__course_id"]: row["due"] for row in rows}
    courses = CoursePage.objects.filter(pk__in=due)
    return sorted(
        ((course, due[course.pk]) for course in courses),
        key=lambda item: (item[1] is None, item[1] or timezone.localdate(), item[0].code),
    )
