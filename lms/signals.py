from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="lms_create_profile")
def create_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver(user_logged_in, dispatch_uid="lms_remember_session")
def remember_session(sender, request, user, **kwargs):
    from .sessions import remember

    if request is not None and hasattr(request, "session"):
        remember(request, user)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="lms_end_sessions_on_change")
def end_sessions_on_change(sender, instance, raw=False, **kwargs):
    """A deactivated person, or one whose password changed, keeps no session
    (the person changing their own password keeps the current one: Django's
    update_session_auth_hash re-records it)."""
    if raw or instance.pk is None:
        return
    previous = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if previous is None:
        return
    if (previous["is_active"] and not instance.is_active) or previous["password"] != instance.password:
        from .sessions import end_all_sessions

        end_all_sessions(instance)
