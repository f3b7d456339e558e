"""Who may open a course's gradebook and change grades in it.

The gradebook follows the course progress reports (courses.permissions):
the instructors of a course (CoursePage.instructors) and administrators.
Agency coordinators have no course reports in this project (they follow
certification through the tracking reports), so they have no gradebook
either. Every gradebook view and form starts from these functions; an id
the user may not see answers exactly like an id that does not exist.
"""

from courses import permissions as course_permissions
from courses.models import CoursePage

#: Ids beyond a 64-bit integer cannot exist (and would overflow the database).
MAX_ID = 2**63 - 1


def may_open_gradebooks(user):
    """May ``user`` open any gradebook at all (instructors, administrators)?"""
    return course_permissions.may_follow_courses(user)


def gradebook_courses(user):
    """The courses whose gradebook ``user`` may open."""
    if not may_open_gradebooks(user):
        return CoursePage.objects.none()
    return course_permissions.taught_courses(user)


def gradebook_course(user, course_id):
    """The course ``course_id`` if ``user`` may open its gradebook, else None."""
    if not 0 < course_id <= MAX_ID:
        return None
    return gradebook_courses(user).filter(pk=course_id).first()


def gradebook_enrollments(user, course):
    """The enrolments of ``course`` listed in its gradebook: the current
    cycle of every trainee, for the people who may open it."""
    return course_permissions.course_progress_enrollments(user, course).filter(is_current=True)


def trainee_enrollment(user, course, trainee_id):
    """The current enrolment of trainee ``trainee_id`` in ``course`` if
    ``user`` may read their record, else None."""
    if not 0 < trainee_id <= MAX_ID:
        return None
    return (
        gradebook_enrollments(user, course)
        .filter(user_id=trainee_id)
        .select_related("user", "user__profile__agency", "course")
        .first()
    )


def may_change_grades(user, course):
    """Overrides and extra attempts: the same people who read the record."""
    return gradebook_courses(user).filter(pk=course.pk).exists()
