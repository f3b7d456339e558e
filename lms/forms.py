from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .notifications import OptionalEmail


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is not correct. Both are case-sensitive."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        # Django sets max_length after the field is built, so without this
        # validator a username of any length reaches authenticate() and
        # django-axes' failure record (varchar 255): a server error.
        username.validators.append(MaxLengthValidator(username.max_length))
        username.widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class ProfilePreferencesForm(forms.Form):
    preferred_language = forms.ChoiceField(label=_("Preferred language"))
    emails = forms.MultipleChoiceField(
        label=_("E-mail me when"),
        choices=OptionalEmail.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("E-mails about your account, registration and certificate revocations are always sent."),
    )

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = settings.LANGUAGES

    @staticmethod
    def initial_for(profile):
        return {
            "preferred_language": profile.preferred_language,
            "emails": [kind for kind in OptionalEmail.values if profile.wants_email(kind)],
        }

    def opt_outs(self):
        """The optional e-mails left unticked, to store on the profile."""
        wanted = set(self.cleaned_data["emails"])
        return [kind for kind in OptionalEmail.values if kind not in wanted]


class AccountPasswordResetForm(PasswordResetForm):
    """Django's reset form, also for active people who never set a password
    (imported accounts whose welcome link expired). Django leaves out users
    without a usable password; here no one logs in with a password they do
    not have, so the link is what lets them choose one."""

    def get_users(self, email):
        User = get_user_model()
        email_field = User.get_email_field_name()
        return User._default_manager.filter(**{f"{email_field}__iexact": email, "is_active": True})


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class ConfirmAuthenticatorForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        help_text=_("Enter the 6-digit code the app shows, to confirm it is set up."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
