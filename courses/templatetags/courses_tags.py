from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from courses.models import CourseIndexPage

register = template.Library()


@register.simple_tag(takes_context=True)
def course_catalogue_url(context):
    """The URL of the course catalogue in the active language ("" if none).
    One query per request (kept on the request for the header and the
    breadcrumbs); no cross-request cache, so it is never stale."""
    request = context.get("request")
    language = translation.get_language()
    known = getattr(request, "_course_catalogue_urls", None)
    if known is None:
        known = {}
        if request is not None:
            request._course_catalogue_urls = known
    if language not in known:
        index = CourseIndexPage.objects.live().first()
        known[language] = (index.get_url(request) or "") if index else ""
    return known[language]


DONE_ICON = mark_safe(
    '<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">'
    '<path d="M6.2 11.6 2.6 8l1.1-1.1 2.5 2.5 6.1-6.1L13.4 4.4z" fill="currentColor"/></svg>'
)
TODO_ICON = mark_safe(
    '<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">'
    '<circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>'
)


LOCKED_ICON = mark_safe(
    '<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">'
    '<rect x="3.5" y="7" width="9" height="6.5" rx="1" fill="currentColor"/>'
    '<path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>'
)


@register.simple_tag
def step_list(rows):
    """The steps of a module (``study.StepRow`` list) as an ordered list,
    each marked done or not by icon and text, never colour alone.

    Built in Python rather than a template loop: a module may hold dozens
    of steps and every lesson page prints its module's."""
    if not rows:
        return format_html(
            '<ol class="step-list"><li class="step empty">{}</li></ol>', gettext("No steps published yet.")
        )
    done_state = format_html(
        '<span class="step-state done">{}<span class="step-state-text">{}</span></span>', DONE_ICON, gettext("Done")
    )
    todo_state = format_html(
        '<span class="step-state todo">{}<span class="visually-hidden">{}</span></span>',
        TODO_ICON,
        gettext("Not done yet"),
    )
    locked_state = format_html(
        '<span class="step-state locked">{}<span class="visually-hidden">{}</span></span>',
        LOCKED_ICON,
        gettext("Locked"),
    )
    optional = format_html(" · {}", gettext("optional"))
    # A step added to the course after the trainee last worked in its module.
    new_badge = format_html(' <span class="badge new">{}</span>', pgettext("step added recently", "New"))
    locked_note = format_html(" · {}", gettext("opens after the steps before it"))
    items = []
    for row in rows:
        classes = (
            "step"
            + (" current" if row.current else "")
            + (" is-done" if row.done else "")
            + (" is-locked" if row.locked_by else "")
        )
        if row.done:
            state = done_state
        elif row.locked_by:
            state = locked_state
        else:
            state = todo_state
        items.append(
            format_html(
                '<li class="{}">{}<span class="step-body"><a href="{}"{}>{}</a>{} '
                '<span class="step-meta">{}{}{}</span></span></li>',
                classes,
                state,
                row.step.url,
                mark_safe(' aria-current="step"') if row.current else "",
                row.step.title,
                new_badge if row.is_new else "",
                row.minutes,
                "" if row.step.is_required else optional,
                locked_note if row.locked_by else "",
            )
        )
    return format_html('<ol class="step-list">{}</ol>', mark_safe("".join(items)))


@register.simple_tag(takes_context=True)
def course_panels(context, course, enrollment=None):
    """HTML panels other apps add to a course page (see courses.dashboard)."""
    from courses import dashboard

    return mark_safe("".join(dashboard.render_course_panels(context.get("request"), course, enrollment)))
