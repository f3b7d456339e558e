import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .verification import SHA256_RE


def upload_limit():
    return int(getattr(settings, "CERTIFICATE_UPLOAD_MAX_BYTES", 5 * 1024 * 1024))


#: What a serial number looks like (AC-2026-000042): shorter than any
#: verification code, so the two cannot be confused.
SERIAL_RE = re.compile(r"[A-Za-z]{1,10}-[0-9]{4}-[0-9]{1,9}")


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=200,
        help_text=_(
            "The code at the end of the verification address printed under the QR code (not the serial "
            "number). You may also paste the whole address."
        ),
    )

    def clean_code(self):
        """The code itself, also from a pasted verification address. A serial
        number is refused with an explanation: serials are sequential, so
        looking certificates up by serial would let anyone list every holder."""
        value = self.cleaned_data["code"].strip()
        if "/verify/" in value:
            value = value.rsplit("/verify/", 1)[1].strip("/").split("?", 1)[0].split("#", 1)[0]
        if SERIAL_RE.fullmatch(value):
            raise forms.ValidationError(
                _(
                    "%(serial)s is a serial number, which cannot be used to check a certificate. Type the "
                    "verification code instead: the last part of the address printed under the QR code."
                ),
                params={"serial": value},
            )
        return value


class HashCheckForm(forms.Form):
    """Is this PDF the one issued? Upload it, or paste its SHA-256."""

    pdf = forms.FileField(
        label=_("Certificate PDF"),
        required=False,
        help_text=_("Up to 5 MB. The file is only hashed, not kept."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    sha256 = forms.CharField(
        label=_("or its SHA-256 fingerprint"),
        required=False,
        max_length=100,
        help_text=_("64 hexadecimal characters."),
    )

    def clean_pdf(self):
        uploaded = self.cleaned_data.get("pdf")
        if uploaded and uploaded.size > upload_limit():
            raise forms.ValidationError(_("The file is too large: the limit is 5 MB."))
        return uploaded

    def clean_sha256(self):
        value = (self.cleaned_data.get("sha256") or "").strip().lower()
        if value and not SHA256_RE.fullmatch(value):
            raise forms.ValidationError(_("A SHA-256 fingerprint is 64 hexadecimal characters (0-9, a-f)."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("pdf")) == bool(cleaned.get("sha256")):
            raise forms.ValidationError(_("Upload the PDF or paste its SHA-256 fingerprint (one of the two)."))
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Private: recorded in the audit log, never shown on the public verification page."),
    )


class ReissueForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Re-issue this certificate"),
        help_text=_(
            "A new certificate with a new serial number and code replaces this one, which then shows as superseded."
        ),
    )
