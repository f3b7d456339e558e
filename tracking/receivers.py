"""Keeping the stored certification states current: every event that can
change a trainee's figures refreshes that trainee's state once the
transaction commits. Expiry needs no event (states store dates).

- completion: ``course_completed`` (the stamp is an UPDATE, no post_save);
- enrolment, new cycle: Enrollment saved or deleted;
- issue, revocation, supersession: Certificate saved or deleted;
- agency change: Profile saved; activation: User saved;
- joining or leaving the Trainees role: User.groups changed;
- what an agency requires: CoursePage.required_by changed (a background
  task refreshes the agencies' trainees).

Anything missed (bulk writes, a crash between commit and refresh) is
repaired by ``manage.py refresh_certification_states``.
"""

from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from certificates.models import Certificate
from courses.models import CoursePage, Enrollment
from courses.signals import course_completed
from lms.models import Profile

from . import certification


def refresh_on_commit(*user_ids):
    ids = {pk for pk in user_ids if pk is not None}
    if ids:
        transaction.on_commit(partial(certification.refresh, ids))


@receiver(course_completed, dispatch_uid="tracking_state_completion")
def on_completion(sender, enrollment, **kwargs):
    refresh_on_commit(enrollment.user_id)


@receiver(post_save, sender=Enrollment, dispatch_uid="tracking_state_enrollment_saved")
@receiver(post_delete, sender=Enrollment, dispatch_uid="tracking_state_enrollment_deleted")
def on_enrollment(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_on_commit(instance.user_id)


@receiver(post_save, sender=Certificate, dispatch_uid="tracking_state_certificate_saved")
@receiver(post_delete, sender=Certificate, dispatch_uid="tracking_state_certificate_deleted")
def on_certificate(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_on_commit(instance.holder_id)


@receiver(post_save, sender=Profile, dispatch_uid="tracking_state_profile")
def on_profile(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and (update_fields is None or "agency" in update_fields):
        refresh_on_commit(instance.user_id)


@receiver(post_save, sender=get_user_model(), dispatch_uid="tracking_state_user")
def on_user(sender, instance, created, raw=False, update_fields=None, **kwargs):
    # Not on every login (update_fields=["last_login"]) nor on creation (no role yet).
    if not raw and not created and (update_fields is None or "is_active" in update_fields):
        refresh_on_commit(instance.pk)


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="tracking_state_roles")
def on_roles(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:
        if action != "pre_clear":
            refresh_on_commit(instance.pk)
    elif action == "pre_clear":
        refresh_on_commit(*instance.user_set.values_list("pk", flat=True))
    elif pk_set:
        refresh_on_commit(*pk_set)


@receiver(m2m_changed, sender=CoursePage.required_by.through, dispatch_uid="tracking_state_requirements")
def on_requirements(sender, instance, action, reverse, pk_set, **kwargs):
    from .tasks import refresh_certification_states

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        agencies = [instance.pk]
    elif action == "post_clear" or not pk_set:
        agencies = None  # which agencies lost the course is no longer known: all
    else:
        agencies = sorted(pk_set)
    transaction.on_commit(partial(refresh_certification_states.enqueue, agency_ids=agencies))
