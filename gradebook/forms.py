from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Reason"),
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Required. Kept with the change and shown on the trainee's record."),
            **kwargs,
        )


class OverrideForm(forms.Form):
    score = forms.DecimalField(
        label=_("New score (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        help_text=_("The attempt passes when this reaches the pass mark."),
    )
    reason = ReasonField()


class GrantForm(forms.Form):
    extra = forms.IntegerField(label=_("Extra attempts"), min_value=1, max_value=10, initial=1)
    reason = ReasonField()
