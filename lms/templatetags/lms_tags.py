from django import template
from django.conf import settings
from django.utils import translation

from lms.i18n import url_in_language

register = template.Library()


@register.inclusion_tag("lms/includes/language_switch.html", takes_context=True)
def language_switch(context):
    """Links to the page being read, in each other language."""
    request = context.get("request")
    page = context.get("page") or context.get("self")
    current = translation.get_language()
    links = []
    if request is not None:
        for code, name in settings.LANGUAGES:
            if code == current:
                continue
            with translation.override(code):
                label = str(dict(settings.LANGUAGES)[code])
            links.append({"code": code, "name": label, "url": url_in_language(request, code, page)})
    return {"links": links}
