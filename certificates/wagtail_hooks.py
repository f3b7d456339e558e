from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from . import permissions
from .admin_views import (
    CertificateIndexView,
    CertificateInspectView,
    ReissueView,
    RevokeView,
    RulePermissionPolicy,
    certificate_policy,
)
from .models import Certificate, CertificateTemplate, CourseCertificateSettings

register_permission_policy(Certificate, certificate_policy, exact_class=True)
register_permission_policy(
    CertificateTemplate,
    RulePermissionPolicy(CertificateTemplate, permissions.may_use_template_admin),
    exact_class=True,
)
register_permission_policy(
    CourseCertificateSettings,
    RulePermissionPolicy(CourseCertificateSettings, permissions.may_use_template_admin),
    exact_class=True,
)


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    actions.register_action("certificates.issue", _("Issue certificate"), _("Certificate issued"))
    actions.register_action("certificates.revoke", _("Revoke certificate"), _("Certificate revoked"))
    actions.register_action("certificates.reissue", _("Re-issue certificate"), _("Certificate re-issued"))


class CertificateViewSet(ModelViewSet):
    """Issued certificates: list, inspect, download, revoke, re-issue. Never
    added, edited or deleted here."""

    model = Certificate
    icon = "doc-full"
    menu_label = _("Issued certificates")
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    # No "usage" screen for certificates, and no reference-index task per issue.
    add_to_reference_index = False
    list_display = (
        "serial",
        "holder_name",
        "course_code",
        "issued_on",
        "expires_on",
        Column("status", label=_("Status"), accessor="get_status_display"),
    )
    list_filter = (
        "language",
        "issued_on",
    )
    search_fields = (
        "serial",
        "holder_name",
        "course_code",
    )
    inspect_view_fields = (
        "serial",
        "holder_name",
        "course_code",
        "course_title_en",
        "course_title_es",
        "credit_hours",
        "language",
        "issued_on",
        "expires_on",
        "status",
        "sha256",
        "completed_revision",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "superseded_at",
        "superseded_by",
    )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path(
                "revoke/<int:pk>/",
                RevokeView.as_view(viewset_name=self.name),
                name="revoke",
            ),
            path(
                "reissue/<int:pk>/",
                ReissueView.as_view(viewset_name=self.name),
                name="reissue",
            ),
        ]


class CertificateTemplateViewSet(ModelViewSet):
    model = CertificateTemplate
    icon = "form"
    menu_label = _("Certificate templates")
    list_display = (
        "name",
        "is_default",
        "page_size",
        "language_mode",
    )
    search_fields = ("name",)
    copy_view_enabled = True


class CourseCertificateSettingsViewSet(ModelViewSet):
    model = CourseCertificateSettings
    icon = "cog"
    menu_label = _("Course certificates")
    list_display = (
        "course",
        "template",
    )
    copy_view_enabled = False


class CertificatesGroup(ModelViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full"
    menu_order = 270
    items = (
        CertificateViewSet("certificates"),
        CertificateTemplateViewSet("certificate_templates"),
        CourseCertificateSettingsViewSet("course_certificates"),
    )


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CertificatesGroup()


@hooks.register("recover_lost_work")
def recover_missing_certificates(now):
    from .recovery import recover

    return recover(now=now)
