"""Forms of the rootlet session pages (CSRF-protected; errors shown next to the field)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stride.core.rootlets import DEFAULT_RULE_SET, RULE_SETS
from stride.web.ionm.models import DecisionChoice, MontageChoice


class StartSessionForm(forms.Form):
    rule_set = forms.ChoiceField(label=_("Rule set"), initial=DEFAULT_RULE_SET.name)
    montage = forms.ChoiceField(label=_("Montage"), choices=MontageChoice.choices)
    config_overrides = forms.CharField(
        label=_("Configuration overrides (JSON)"), required=False, initial="{}",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('For example {"sphincter_guard_uv": 15}; leave {} for the defaults.'))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule_set"].choices = [(name, name) for name in RULE_SETS]  # type: ignore[attr-defined]

    def clean_config_overrides(self) -> dict[str, object]:
        text = self.cleaned_data["config_overrides"].strip() or "{}"
        try:
            value = json.loads(text)
        except ValueError:
            raise forms.ValidationError(
                _("This is not valid JSON; write an object such as {}.")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Write a JSON object, such as {}."))
        return value


class DecisionForm(forms.Form):
    """One decision, bound to the screen state it was made on (``version``: the number of
    stimulations the screen had received)."""

    rootlet = forms.CharField(label=_("Rootlet"), max_length=16)
    decision = forms.ChoiceField(label=_("Decision"), choices=DecisionChoice.choices)
    reason = forms.CharField(label=_("Reason (required when going against the suggestion)"),
                             required=False, max_length=2000)
    version = forms.IntegerField(
        min_value=1, error_messages={
            "required": _("The screen did not say which state it showed; reload it."),
            "invalid": _("The screen did not say which state it showed; reload it."),
            "min_value": _("The screen did not say which state it showed; reload it.")})


class EndSessionForm(forms.Form):
    leave_undecided = forms.BooleanField(
        label=_("I end the session with these rootlets left undecided"), required=False)


class RecordingUploadForm(forms.Form):
    """A whole EDF+ recording (the field name selects the recording size limit)."""

    recording = forms.FileField(
        label=_("EDF+ recording"),
        help_text=_("A continuous EDF+ file with STIM annotations. A CSV folder can be sent "
                    "with 'stride rootlets replay' instead."))
