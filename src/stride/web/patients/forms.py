"""Forms for the case page and the family's consents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.core.consents import PORTAL_GRANTABLE, ConsentMethod
from stride.core.search_text import SearchTerms, parse_query
from stride.web.patients.models import ConsentKindChoices, Guardian, StageChoices
from stride.web.platform.uploads import (
    StagedFile,
    UploadKind,
    UploadRefused,
    stage,
    too_large_message,
)
from stride.web.platform.words import CONSENT_WORDS


class MoveCaseForm(forms.Form):
    """Move a case to another stage; which moves are legal is checked by core."""

    to_stage = forms.ChoiceField(label=_("Move to stage"), choices=StageChoices.choices)
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawConsentForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000)


class CaseSearchForm(forms.Form):
    """Find a case (sent with GET): a name in any script, a reference, an e-mail address,
    a telephone number or a date of birth typed in ``q``, or a date chosen in ``born_on``."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200, help_text=_(
        "Part of a name in any script, a case reference, an e-mail address, a telephone "
        "number or a date of birth."))
    born_on = forms.DateField(label=_("Date of birth"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                              error_messages={"invalid": _(
                                  "Enter the date of birth as a date, for example 2019-05-17.")})

    def searched(self) -> bool:
        """Whether something valid was typed or chosen (the page then shows a result)."""
        if not self.is_bound or not self.is_valid():
            return False
        return not self.terms().empty or self.birth_date() is not None

    def terms(self) -> SearchTerms:
        """What was typed, folded for the search (empty when the form is not valid)."""
        text = self.cleaned_data.get("q", "") if self.is_bound and self.is_valid() else ""
        return parse_query(text)

    def birth_date(self) -> date | None:
        """The date chosen, or the query itself read as a date (ISO or the local format)."""
        if not self.is_bound or not self.is_valid():
            return None
        chosen: date | None = self.cleaned_data.get("born_on")
        if chosen is not None:
            return chosen
        typed = self.cleaned_data.get("q", "").strip()
        if not typed or not any(character.isdigit() for character in typed):
            return None
        # Day first before the locale's own formats: Stride writes dates day first in every
        # language (never the US month-first order), so 05/06/2019 is 5 June.
        for pattern in _DAY_FIRST:
            try:
                return datetime.strptime(typed, pattern).date()
            except ValueError:
                continue
        try:
            parsed: date | None = forms.DateField().to_python(typed)
        except forms.ValidationError:
            return None
        return parsed


#: Numeric dates typed day first, tried before the locale's input formats.
_DAY_FIRST = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y")


# ------------------------------------------------------------------ consents (issue 18)


#: What a scan may be (the upload check decides by content; this only guides the picker).
_SCAN_TYPES = "application/pdf,image/jpeg,image/png"


class _ScanMixin:
    """Stages the scan of a signed paper (``platform.uploads``: size-limited while it
    streams, typed by content as PDF, JPEG or PNG, checked, images without metadata)."""

    scan_field = ""
    oversized: dict[str, UploadKind]
    staged: StagedFile | None

    def _stage_scan(self, form: forms.Form, data: dict[str, Any], *, required: bool) -> None:
        name = self.scan_field
        if name in self.oversized:
            form.add_error(name, too_large_message(UploadKind.DOCUMENT))
            return
        upload = data.get(name)
        if upload is None:
            if required:
                form.add_error(name, _("Attach the scan of the signed paper (PDF, JPEG or "
                                       "PNG)."))
            return
        try:
            self.staged = stage(upload, kind=UploadKind.DOCUMENT)
        except UploadRefused as refused:
            form.add_error(name, refused.message)


class PaperConsentForm(_ScanMixin, forms.Form):
    """A consent given on a signed paper, recorded by the care team with its scan."""

    scan_field = "consent_paper"

    guardian = forms.ModelChoiceField(
        label=_("Guardian who signed"), queryset=Guardian.objects.none(),
        empty_label=_("Choose the guardian"),
        error_messages={"required": _("Choose the guardian who signed the paper."),
                        "invalid_choice": _("Choose one of this child's guardians.")})
    kind = forms.ChoiceField(label=_("Consent"), choices=ConsentKindChoices.choices,
                             error_messages={"required": _("Choose which consent was signed.")})
    signed_on = forms.DateField(
        label=_("Date signed"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the date written on the signed paper."),
                        "invalid": _("Enter the date as a date, for example 2026-11-30.")})
    consent_paper = forms.FileField(label=_("Scan of the signed paper (PDF, JPEG or PNG)"),
                                    required=False, widget=forms.ClearableFileInput(
                                        attrs={"accept": _SCAN_TYPES}))

    def __init__(self, *args: Any, patient_id: int,
                 oversized: dict[str, UploadKind] | None = None, **kwargs: Any) -> None:
        # Ids of its own: the case page holds other forms (a stage move, the panels).
        kwargs.setdefault("auto_id", "paper-consent-%s")
        super().__init__(*args, **kwargs)
        guardian_field = self.fields["guardian"]
        if isinstance(guardian_field, forms.ModelChoiceField):  # always: declared above
            guardian_field.queryset = Guardian.objects.filter(patient_id=patient_id)
        self.oversized = oversized or {}
        self.staged = None

    def clean_signed_on(self) -> date:
        day: date = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future; enter the day the "
                                          "paper was signed."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:  # stage the file only when the rest is right
            self._stage_scan(self, data, required=True)
        return data


class StaffWithdrawalForm(_ScanMixin, forms.Form):
    """A withdrawal the care team records: told to them, or on a signed paper."""

    scan_field = "withdrawal_paper"

    method = forms.ChoiceField(
        label=_("How the family withdrew it"), initial=ConsentMethod.TOLD_CARE_TEAM.value,
        choices=[
            (ConsentMethod.TOLD_CARE_TEAM.value,
             _("Told the care team (in person, by telephone or in a message)")),
            (ConsentMethod.SIGNED_PAPER.value, _("Signed paper (attach the scan)")),
        ], error_messages={"required": _("Choose how the family withdrew the consent."),
                           "invalid_choice": _("Choose how the family withdrew the consent.")})
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000)
    withdrawal_paper = forms.FileField(label=_("Scan (PDF, JPEG or PNG; needed for a signed "
                                               "paper)"), required=False,
                                       widget=forms.ClearableFileInput(
                                           attrs={"accept": _SCAN_TYPES}))

    def __init__(self, *args: Any, oversized: dict[str, UploadKind] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.oversized = oversized or {}
        self.staged = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            self._stage_scan(self, data, required=data.get("method")
                             == ConsentMethod.SIGNED_PAPER.value)
        return data


class FamilyGiveConsentForm(forms.Form):
    """The kind a guardian gives by a click in the portal."""

    kind = forms.ChoiceField(choices=[(kind.value, CONSENT_WORDS[kind])
                                      for kind in sorted(PORTAL_GRANTABLE)])
