"""The "Assigned to you" panel on My learning (courses.dashboard)."""

from django.template.loader import render_to_string
from django.utils import timezone

from .assignments import assigned_to


def assigned_courses_panel(request, enrollments):
    rows = assigned_to(request.user)
    if not rows:
        return None
    today = timezone.localdate()
    items = [
        {
            "course": course,
            "url": course.get_url(request) if course.live else None,
            "due_on": due_on,
            "overdue": due_on is not None and due_on < today,
        }
        for course, due_on in rows
    ]
    return render_to_string("onboarding/assigned_panel.html", {"items": items}, request=request)
