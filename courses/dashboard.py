"""Panels on "My learning" contributed by other apps.

``courses`` must not import the apps built on it (certificates, quizzes,
practice), yet their news belongs on the trainee's dashboard. They register a
panel instead, from their ``AppConfig.ready()``::

    from courses import dashboard

    def certificates_panel(request, enrollments):
        certificates = visible_certificates(request.user)
        if not certificates:
            return None
        return render_to_string("certificates/dashboard_panel.html",
                                {"certificates": certificates}, request=request)

    dashboard.register_panel(certificates_panel, order=10)

A panel is a callable taking ``(request, enrollments)`` (the user's current
``Enrollment`` objects, with ``course`` loaded) and returning HTML (a string
from ``render_to_string``, marked safe here) or None to show nothing. Each
panel should be a ``<section>`` with a heading (``<h2>``) so the page's
outline stays navigable. Panels appear in ``order`` (then registration)
order: those with a negative ``order`` above the course lists (e.g. the
courses a coordinator assigned), the others after them. Registering the same callable twice replaces it,
so ``ready()`` may run more than once.
"""

from django.utils.safestring import mark_safe

_panels = {}


def register_panel(panel, order=100):
    """Add ``panel(request, enrollments) -> str | None`` to My learning."""
    _panels[_key(panel)] = (order, len(_panels), panel)
    return panel


def unregister_panel(panel):
    _panels.pop(_key(panel), None)


def render_panels(request, enrollments, *, lead=False):
    """The HTML of every registered panel that has something to show: with
    ``lead``, the panels placed above the course lists (negative order)."""
    html = []
    for order, _index, panel in sorted(_panels.values(), key=lambda item: item[:2]):
        if (order < 0) != lead:
            continue
        result = panel(request, enrollments)
        if result:
            html.append(mark_safe(result))
    return html


def _key(panel):
    return f"{getattr(panel, '__module__', '')}.{getattr(panel, '__qualname__', repr(panel))}"


# Panels on a course page work the same way: ``panel(request, course,
# enrollment)`` returns HTML or None (``enrollment`` may be None).
_course_panels = {}


def register_course_panel(panel, order=100):
    """Add ``panel(request, course, enrollment) -> str | None`` to course pages."""
    _course_panels[_key(panel)] = (order, len(_course_panels), panel)
    return panel


def render_course_panels(request, course, enrollment):
    html = []
    for _order, _index, panel in sorted(_course_panels.values(), key=lambda item: item[:2]):
        result = panel(request, course, enrollment)
        if result:
            html.append(mark_safe(result))
    return html
