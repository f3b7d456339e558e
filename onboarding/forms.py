from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from lms.models import Agency
from lms.tables import too_large

from .importing import max_bytes


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.acronym})"


def scope_agency(form, agencies, choose_agency):
    """Administrators pick the agency; a coordinator's is always their own,
    whatever the request says."""
    form.fields["agency"].queryset = agencies
    if not choose_agency:
        own = agencies.first()
        form.fields["agency"].widget = forms.HiddenInput()
        form.fields["agency"].initial = own
        if form.is_bound and own is not None:
            form.data = form.data.copy()
            form.data[form.add_prefix("agency")] = own.pk


class RegistrationForm(forms.Form):
    first_name = forms.CharField(label=_("First name(s)"), max_length=150)
    last_name = forms.CharField(label=_("Last name(s)"), max_length=150)
    email = forms.EmailField(label=_("Work e-mail address"), max_length=150)
    agency = AgencyChoiceField(label=_("Agency"), queryset=Agency.objects.none(), empty_label=_("Choose your agency"))
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).order_by("country", "acronym")
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "autocapitalize": "none"})
        self.fields["first_name"].widget.attrs.update({"autocomplete": "given-name"})
        self.fields["last_name"].widget.attrs.update({"autocomplete": "family-name"})

    def clean(self):
        cleaned = super().clean()
        agency, email = cleaned.get("agency"), cleaned.get("email")
        if agency and email and not agency.accepts_email(email):
            self.add_error(
                "email",
                _("%(agency)s accepts registrations only from addresses at %(domains)s.")
                % {"agency": agency.acronym, "domains": ", ".join(agency.email_domain_list)},
            )
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            probe = get_user_model()(
                username=email or "",
                email=email or "",
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class VerifyForm(forms.Form):
    """Only a button: verifying is a POST, so a link preview changes nothing."""


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of people (CSV or XLSX)"),
        help_text=_(
            "First row: name (or first_name and last_name), email, language (en or es). "
            "One person per row. The whole file is checked first; nothing is imported while any row has a problem."
        ),
    )
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=True)
    dry_run = forms.BooleanField(label=_("Only check the file (import nothing)"), required=False)

    def __init__(self, *args, agencies, choose_agency, **kwargs):
        super().__init__(*args, **kwargs)
        scope_agency(self, agencies, choose_agency)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if message := too_large(upload.size, max_bytes()):
            raise forms.ValidationError(message)
        return upload


class AssignForm(forms.Form):
    WHO_PICKED, WHO_EVERYONE = "picked", "everyone"

    course = forms.ModelChoiceField(label=_("Course"), queryset=None)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    who = forms.ChoiceField(
        label=_("Assign to"),
        choices=[(WHO_PICKED, _("The people picked below")), (WHO_EVERYONE, _("Everyone in the agency now"))],
        widget=forms.RadioSelect,
        initial=WHO_PICKED,
    )
    people = forms.ModelMultipleChoiceField(
        label=_("People"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    include_future = forms.BooleanField(label=_("Also everyone who joins the agency later"), required=False)
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional. Reminders go out 7 days and 1 day before."),
    )

    def __init__(self, *args, courses, agencies, people, choose_agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        scope_agency(self, agencies, choose_agency)
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} <{user.email}>"
        )


class RequiredCoursesForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    due_on = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, agencies, choose_agency, **kwargs):
        super().__init__(*args, **kwargs)
        scope_agency(self, agencies, choose_agency)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the person)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
