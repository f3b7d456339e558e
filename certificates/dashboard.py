"""The certificates panel of My learning (registered with courses.dashboard)."""

from django.template.loader import render_to_string

from .models import Certificate


def certificates_panel(request, enrollments):
    """The trainee's certificates with download and recertification buttons;
    nothing when they have none."""
    if not request.user.is_authenticated or not Certificate.objects.filter(holder=request.user).exists():
        return None
    return render_to_string("certificates/includes/certificate_list.html", {}, request=request)


def course_certificate_panel(request, course, enrollment):
    """The holder's certificate for a course page: status, download and,
    when due, the recertification button."""
    from .services import certificate_for_course

    if not request.user.is_authenticated:
        return None
    certificate = certificate_for_course(request.user, course)
    if certificate is None:
        if enrollment is not None and enrollment.completed_at is not None:
            # Issuing runs as a background task: say so, and let the page
            # fetch the panel again until the certificate is there.
            return render_to_string("certificates/includes/course_certificate_pending.html", {}, request=request)
        return None
    return render_to_string(
        "certificates/includes/course_certificate.html", {"certificate": certificate}, request=request
    )
