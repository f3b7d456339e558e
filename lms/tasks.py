"""Background work of the lms app (Django's Tasks API)."""

from django.utils import translation
from django_tasks import task

from .forms import AccountPasswordResetForm

RESET_EMAIL_TEMPLATE = "registration/password_reset_email.txt"
RESET_SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"


@task()
def send_password_reset(email, language, domain, use_https):
    """E-mail a reset link to every active account with ``email`` (none when
    there is no such account), in ``language``.

    The request only enqueues this task, so a known and an unknown address
    take the same time to answer. Safe to run twice (it sends a second link;
    each link works until the password changes).
    """
    with translation.override(language):
        form = AccountPasswordResetForm({"email": email})
        if form.is_valid():
            form.save(
                domain_override=domain,
                use_https=use_https,
                email_template_name=RESET_EMAIL_TEMPLATE,
                subject_template_name=RESET_SUBJECT_TEMPLATE,
            )
