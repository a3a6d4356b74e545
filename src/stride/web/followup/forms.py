"""Forms of follow-up: the family's remote questionnaire (with a video) and completion."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stride.core.followup.answers import SeizureAnswer
from stride.web.followup.wording import SEIZURE_WORDS, fms_choices
from stride.web.platform.uploads import (
    StagedFile,
    UploadKind,
    UploadRefused,
    stage,
    too_large_message,
)

_FMS_CHOICES = fms_choices()
_SEIZURES = [("", "—")] + [(a.value, SEIZURE_WORDS[a]) for a in SeizureAnswer]


class FamilyFollowUpForm(forms.Form):
    """The family's report before a visit; the FMS ratings are core's scale."""

    fms_5 = forms.ChoiceField(label=_("Walking 5 metres (in the home)"), choices=_FMS_CHOICES,
                              error_messages={"required": _("Choose how your child moves 5 m.")})
    fms_50 = forms.ChoiceField(label=_("Walking 50 metres (at school)"), choices=_FMS_CHOICES,
                               error_messages={"required": _("Choose how your child moves 50 m.")})
    fms_500 = forms.ChoiceField(
        label=_("Walking 500 metres (in the community)"), choices=_FMS_CHOICES,
        error_messages={"required": _("Choose how your child moves 500 m.")})
    falls_per_week = forms.IntegerField(
        label=_("Falls in a usual week"), min_value=0, max_value=1000,
        error_messages={"required": _("Enter how many times your child falls in a usual "
                                      "week; enter 0 if never.")})
    seizures = forms.ChoiceField(
        label=_("Has your child had a seizure since the last visit?"), choices=_SEIZURES,
        error_messages={"required": _("Answer yes, no or not sure.")})
    new_treatments = forms.CharField(
        label=_("New treatments since the last visit (medicines, therapy, operations)"),
        required=False, widget=forms.Textarea, max_length=5000)
    adverse_events = forms.CharField(
        label=_("Anything that went wrong or worried you since the last visit"),
        required=False, widget=forms.Textarea, max_length=5000)
    upload_video = forms.FileField(label=_("Video of your child walking (MP4, MOV or WebM)"),
                                   required=False)

    def __init__(self, *args: Any, oversized: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.oversized = oversized
        self.staged: StagedFile | None = None

    def clean_upload_video(self) -> object:
        upload = self.cleaned_data.get("upload_video")
        if self.oversized:
            raise forms.ValidationError(too_large_message(UploadKind.VIDEO))
        if upload is not None:
            try:
                self.staged = stage(upload, kind=UploadKind.VIDEO)
            except UploadRefused as refused:
                raise forms.ValidationError(refused.message) from None
        return upload

    def report(self) -> dict[str, object]:
        """Return the answers as stored JSON (FMS as core's ``to_json`` form; the seizure
        answer as core's code, with the older yes/no flag kept beside it)."""
        data = self.cleaned_data
        return {
            "fms": {"5m": data["fms_5"], "50m": data["fms_50"], "500m": data["fms_500"]},
            "falls_per_week": data["falls_per_week"],
            "seizures": data["seizures"],
            "seizures_since_last_visit": data["seizures"] == SeizureAnswer.YES.value,
            "new_treatments": data["new_treatments"],
            "adverse_events": data["adverse_events"],
        }
