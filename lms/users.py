"""Wagtail's Users screens with the rule that no one is raised above the
rights of the person editing (issue 16, weakness 1).

Wagtail lets anyone with ``auth.change_user`` edit every user, superusers
included, and offers the "Administrator" (superuser) box on the create form.
Here a person who is not a superuser:

- cannot open, edit or delete a superuser (the edit page answers 404, as for
  an unknown id, so it is no oracle either);
- never sees the superuser box;
- may put people only in groups that grant no user-management permission
  they lack themselves.
"""

from django.contrib.auth.models import Group, Permission
from django.http import Http404
from wagtail.users.views import users as wagtail_users

# Permissions that let a holder change who may do what.
ESCALATING_APPS = ("auth", "wagtailusers")


def may_edit_user(actor, target):
    """Only superusers may edit (or delete, or set the password of) superusers."""
    return actor.is_superuser or not target.is_superuser


def assignable_groups(actor):
    """Groups ``actor`` may give to someone: every group for a superuser;
    otherwise those whose user-management permissions ``actor`` holds too."""
    groups = Group.objects.all()
    if actor.is_superuser:
        return groups
    own = actor.get_all_permissions()
    escalating = Permission.objects.filter(content_type__app_label__in=ESCALATING_APPS).select_related("content_type")
    lacking = [p.pk for p in escalating if f"{p.content_type.app_label}.{p.codename}" not in own]
    return groups.exclude(permissions__in=lacking).distinct()


class _RightsLimitedForm:
    """Mixin for Wagtail's user forms: drop what the actor may not grant."""

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor is not None and not actor.is_superuser:
            self.fields.pop("is_superuser", None)
            if "groups" in self.fields:
                allowed = assignable_groups(actor)
                kept = self.instance.groups.exclude(pk__in=allowed) if self.instance.pk else Group.objects.none()
                self.fields["groups"].queryset = allowed
                self._kept_groups = list(kept)

    def save(self, commit=True):
        user = super().save(commit=commit)
        kept = getattr(self, "_kept_groups", None)
        if commit and kept:
            # Groups the actor could not see stay as they were.
            user.groups.add(*kept)
        return user


def _limited(form_class):
    return type(f"RightsLimited{form_class.__name__}", (_RightsLimitedForm, form_class), {})


class CreateView(wagtail_users.CreateView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}


class EditView(wagtail_users.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not may_edit_user(request.user, self.object):
            raise Http404

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}


class DeleteView(wagtail_users.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        if not may_edit_user(request.user, self.get_object()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class HistoryView(wagtail_users.HistoryView):
    def dispatch(self, request, *args, **kwargs):
        if not may_edit_user(request.user, self.get_object()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class UserViewSet(wagtail_users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
    history_view_class = HistoryView

    def get_form_class(self, for_update=False):
        return _limited(super().get_form_class(for_update=for_update))
