"""Forms for the case page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stride.web.patients.models import StageChoices


class MoveCaseForm(forms.Form):
    """Move a case to another stage; which moves are legal is checked by core."""

    to_stage = forms.ChoiceField(label=_("Move to stage"), choices=StageChoices.choices)
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawConsentForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000)
