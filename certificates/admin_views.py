"""Wagtail admin screens for certificates: the scoped listing and inspect
views, and the revoke and re-issue forms (administrators only; the
permission module decides, the services do the work)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic.edit import FormView
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies.base import BasePermissionPolicy

from . import permissions
from .exceptions import CertificateError
from .forms import ReissueForm, RevokeForm
from .issuing import reissue_certificate, revoke_certificate
from .models import Certificate

# --------------------------------------------------------------- policies


class RulePermissionPolicy(BasePermissionPolicy):
    """A Wagtail permission policy that asks a rule of certificates.permissions
    instead of Django model permissions."""

    def __init__(self, model, rule, instances=None):
        super().__init__(model)
        self.rule = rule
        self.instances = instances

    def user_has_permission(self, user, action):
        return bool(self.rule(user, action))

    def users_with_any_permission(self, actions):
        User = get_user_model()
        ids = [user.pk for user in User.objects.filter(is_active=True) if self.user_has_any_permission(user, actions)]
        return User.objects.filter(pk__in=ids)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.instances(user) if self.instances else self.model._default_manager.all()

    def user_has_permission_for_instance(self, user, action, instance):
        return instance in self.instances_user_has_any_permission_for(user, [action])


certificate_policy = RulePermissionPolicy(Certificate, permissions.may_use_admin, permissions.visible_certificates)


# --------------------------------------------------------------- listing


def _action_buttons(user, certificate, viewset_name, button_class=Button):
    buttons = []
    if permissions.may_download(user, certificate):
        buttons.append(
            button_class(
                _("Download PDF"),
                url=reverse("certificate_download", kwargs={"serial": certificate.serial}),
                icon_name="download",
                priority=30,
            )
        )
    if permissions.may_revoke(user) and certificate.is_active:
        buttons.append(
            button_class(
                _("Revoke"),
                url=reverse(f"{viewset_name}:revoke", args=[certificate.pk]),
                icon_name="warning",
                priority=40,
            )
        )
    if permissions.may_reissue(user) and certificate.superseded_at is None and certificate.enrollment_id:
        buttons.append(
            button_class(
                _("Re-issue"),
                url=reverse(f"{viewset_name}:reissue", args=[certificate.pk]),
                icon_name="rotate",
                priority=50,
            )
        )
    return buttons


class CertificateIndexView(generic.IndexView):
    viewset_name = "certificates"

    def get_base_queryset(self):
        return permissions.visible_certificates(self.request.user).select_related("course")

    def get_list_more_buttons(self, instance):
        return super().get_list_more_buttons(instance) + _action_buttons(self.request.user, instance, self.viewset_name)


class CertificateInspectView(generic.InspectView):
    viewset_name = "certificates"

    def get_object(self, queryset=None):
        return get_object_or_404(permissions.visible_certificates(self.request.user), pk=self.pk)

    def get_fields(self):
        fields = super().get_fields()
        if not permissions.may_revoke(self.request.user):
            fields = [name for name in fields if name not in ("revocation_reason", "revoked_by")]
        return fields

    def get_status_display_value(self):
        return self.object.get_status_display()

    @property
    def header_more_buttons(self):
        return super().header_more_buttons + _action_buttons(self.request.user, self.object, self.viewset_name)


# --------------------------------------------------------------- actions


class CertificateActionView(WagtailAdminTemplateMixin, FormView):
    """Shared by revoke and re-issue: administrators only (403 for anyone
    else), the certificate looked up in the administrator's scope."""

    viewset_name = "certificates"
    header_icon = "warning"

    def dispatch(self, request, pk):
        if not permissions.may_revoke(request.user):
            raise PermissionDenied
        self.certificate = get_object_or_404(permissions.visible_certificates(request.user), pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.certificate.serial

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse(f"{self.viewset_name}:index"),
                "label": capfirst(Certificate._meta.verbose_name_plural),
            },
            {"url": self.inspect_url(), "label": self.certificate.serial},
            {
                "url": "",
                "label": self.get_page_title(),
                "sublabel": self.certificate.serial,
            },
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["certificate"] = self.certificate
        context["inspect_url"] = self.inspect_url()
        return context

    def inspect_url(self):
        return reverse(f"{self.viewset_name}:inspect", args=[self.certificate.pk])

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def refused(self, form, error):
        form.add_error(None, error.message)
        return self.render_to_response(self.get_context_data(form=form), status=409)


class RevokeView(CertificateActionView):
    template_name = "certificates/admin/revoke.html"
    form_class = RevokeForm
    page_title = gettext_lazy("Revoke certificate")

    def form_valid(self, form):
        try:
            revoke_certificate(
                self.certificate,
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except CertificateError as error:
            return self.refused(form, error)
        messages.success(
            self.request,
            _("Certificate %(serial)s revoked.") % {"serial": self.certificate.serial},
        )
        return redirect(self.inspect_url())


class ReissueView(CertificateActionView):
    template_name = "certificates/admin/reissue.html"
    form_class = ReissueForm
    page_title = gettext_lazy("Re-issue certificate")
    header_icon = "rotate"

    def form_valid(self, form):
        try:
            new = reissue_certificate(self.certificate, actor=self.request.user)
        except CertificateError as error:
            return self.refused(form, error)
        messages.success(
            self.request,
            _("Certificate %(old)s re-issued as %(new)s.") % {"old": self.certificate.serial, "new": new.serial},
        )
        return redirect(reverse(f"{self.viewset_name}:inspect", args=[new.pk]))
