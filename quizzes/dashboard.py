"""The trainee's gradebook on My learning (registered with courses.dashboard):
every quiz attempt across courses, with its score, result and date."""

from django.template.loader import render_to_string

from . import permissions

#: The most recent attempts shown; the quiz pages keep the full history.
GRADEBOOK_ROWS = 100


def gradebook_panel(request, enrollments):
    """The signed-in trainee's quiz attempts, latest first; nothing without any."""
    attempts = list(
        permissions.own_attempts(request.user)
        .select_related("quiz", "enrollment__course")
        .order_by("-started_at", "-pk")[:GRADEBOOK_ROWS]
    )
    if not attempts:
        return None
    return render_to_string("quizzes/includes/gradebook.html", {"attempts": attempts}, request=request)
