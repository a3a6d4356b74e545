"""The e-mail choices form: which notices also come by e-mail."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stride.web.notifications.models import FAMILY_KINDS, STAFF_KINDS, EmailChoice, Kind


class PreferencesForm(forms.Form):
    """Every notice lands in the inbox; this chooses which are e-mailed as well."""

    email = forms.ChoiceField(
        label=_("Which notices should also come by e-mail?"), choices=EmailChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which notices to receive by e-mail.")})
    kinds = forms.MultipleChoiceField(
        label=_("E-mail me about"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Urgent notices, such as a problem after treatment reported by a "
                    "family, are always e-mailed."))

    def __init__(self, *args: Any, family: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offered = FAMILY_KINDS if family else STAFF_KINDS
        kinds = self.fields["kinds"]
        if isinstance(kinds, forms.MultipleChoiceField):
            kinds.choices = [(kind.value, kind.label) for kind in self.offered
                             if kind is not Kind.ADVERSE_EVENT]

    def muted_kinds(self) -> list[str]:
        """The offered kinds left unticked (not e-mailed while ``email`` is "chosen")."""
        ticked = set(self.cleaned_data["kinds"])
        return [kind.value for kind in self.offered
                if kind.value not in ticked and kind is not Kind.ADVERSE_EVENT]
