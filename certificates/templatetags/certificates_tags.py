from django import template

from ..services import certificate_for_course, certificates_for

register = template.Library()


@register.simple_tag(takes_context=True)
def user_certificates(context):
    """The signed-in user's certificates (see services.certificates_for)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return certificates_for(user) if user is not None else []


@register.inclusion_tag("certificates/includes/course_certificate.html", takes_context=True)
def course_certificate(context, course):
    """The signed-in user's certificate for ``course``: status, download and,
    when due, the recertification button. Renders nothing without one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    certificate = certificate_for_course(user, course) if user is not None and course is not None else None
    return {
        "certificate": certificate,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def certificate_contact_email():
    """Where the public asks about a certificate (settings.CERTIFICATE_CONTACT_EMAIL), or ""."""
    from django.conf import settings

    return getattr(settings, "CERTIFICATE_CONTACT_EMAIL", "")
