"""Forms of the fhir app: partner systems, grants, and a Bundle to import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stride.web.fhir.selectors import active_systems


class SystemForm(forms.Form):
    """Register a partner system (its token is made and shown once on the next page)."""

    name = forms.CharField(label=_("Name of the system"), max_length=200,
                           help_text=_("For example the hospital and its record system."))
    contact = forms.CharField(
        label=_("Contact"), max_length=300,
        help_text=_("Who answers for this system: a name with an e-mail address or telephone."))


class GrantForm(forms.Form):
    """Let a partner system read this child's record."""

    system = forms.TypedChoiceField(label=_("Partner system"), coerce=int, choices=())
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the hospital referring the child, or taking over care."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a system")),
            *((system.pk, system.name) for system in active_systems())]


class RevokeForm(forms.Form):
    """End a partner system's access to this child."""

    access = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Reason for withdrawing the access"), max_length=2000)


class UploadForm(forms.Form):
    """A referring hospital's FHIR R4 Bundle, as a JSON file."""

    bundle = forms.FileField(
        label=_("FHIR Bundle (JSON file)"),
        help_text=_("The file the referring hospital sent: a FHIR R4 Bundle in JSON."))
