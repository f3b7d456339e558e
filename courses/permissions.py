"""Who may see or do what with courses and enrolments."""

from lms import permissions as people

from .models import CoursePage, Enrollment


def may_enroll(actor, user):
    """May ``actor`` enrol ``user``? Anyone themselves; coordinators their
    agency's people; administrators anyone."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.pk == user.pk:
        return True
    if not (people.is_administrator(actor) or people.is_coordinator(actor)):
        return False
    return people.visible_people(actor).filter(pk=user.pk).exists()


def taught_courses(user):
    """Courses whose progress ``user`` may follow as an instructor."""
    if not user.is_authenticated:
        return CoursePage.objects.none()
    if people.is_administrator(user):
        return CoursePage.objects.all()
    if people.is_instructor(user):
        return CoursePage.objects.filter(instructors=user)
    return CoursePage.objects.none()


def visible_enrollments(user):
    """Enrolments ``user`` may see: their own, their agency's as coordinator,
    their courses' as instructor, all as administrator."""
    if not user.is_authenticated:
        return Enrollment.objects.none()
    if people.is_administrator(user):
        return Enrollment.objects.all()
    own = Enrollment.objects.filter(user=user)
    query = own
    if people.is_coordinator(user):
        query = query | Enrollment.objects.filter(user__in=people.visible_people(user))
    if people.is_instructor(user):
        query = query | Enrollment.objects.filter(course__in=taught_courses(user))
    return query.distinct()


def may_view_lesson_body(user, enrollment):
    """Lesson bodies are for enrolled trainees (and staff previewing)."""
    if enrollment is not None:
        return True
    return user.is_authenticated and (people.is_administrator(user) or people.is_instructor(user))


def may_follow_courses(user):
    """May ``user`` open the course progress reports at all (instructors and
    administrators; what they see is scoped by ``taught_courses``)?"""
    return user.is_authenticated and (people.is_administrator(user) or people.is_instructor(user))


def may_view_course_progress(user, course):
    """May ``user`` see who is enrolled in ``course`` and how far they got?"""
    return may_follow_courses(user) and taught_courses(user).filter(pk=course.pk).exists()


def course_progress_enrollments(user, course):
    """The enrolments of ``course`` that ``user`` may list in its progress
    report: all of them for its instructors and administrators, none otherwise."""
    if not may_view_course_progress(user, course):
        return Enrollment.objects.none()
    return Enrollment.objects.filter(course=course)


def readable_course_ids(user):
    """Ids of the courses whose lesson bodies ``user`` may read (and search):
    every course for staff, the current enrolments of a trainee. None means
    "every course"."""
    if not user.is_authenticated:
        return set()
    if people.is_administrator(user) or people.is_instructor(user):
        return None
    return set(Enrollment.objects.filter(user=user, is_current=True).values_list("course_id", flat=True))


def may_edit_page(user, page):
    """May ``user`` edit ``page`` in the admin (Wagtail's page permissions)?"""
    return user.is_authenticated and user.is_active and page.permissions_for_user(user).can_edit()
