"""Forms of the triage queue and the coordination page.

Each form checks its input with the same core functions the services use, and turns
their refusal into a translated message next to the field, saying what to change.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stride.core import costs, demographics
from stride.core.errors import InvalidValue
from stride.web.accounts.models import User
from stride.web.coordination.models import (
    MAX_MESSAGE_CHARACTERS,
    MAX_REASON_CHARACTERS,
    TravellerRole,
)
from stride.web.coordination.selectors import QUEUE_STAGES, QueueFilters, clinicians
from stride.web.documents.models import LetterKind
from stride.web.intake.models import DuplicateResolution, SelfCheckOutcome
from stride.web.patients.models import StageChoices
from stride.web.platform.validators import person_name

_ANY = ("", _("Any"))
_LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_COUNTRY_ERROR = _("Enter the two-letter country code, for example BG, SA or CN.")
_CURRENCY_ERROR = _("Enter a currency code from ISO 4217, for example EUR, USD or CNY.")


def _country(value: str) -> str:
    try:
        return demographics.check_country(value)
    except InvalidValue:
        raise forms.ValidationError(_COUNTRY_ERROR, code="country") from None


class QueueFilterForm(forms.Form):
    """The triage queue's filters (sent with GET; every field optional)."""

    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[
        _ANY, *((code, label) for code, label in StageChoices.choices if code in QUEUE_STAGES)])
    country = forms.CharField(label=_("Country"), required=False, max_length=2,
                              error_messages={"max_length": _COUNTRY_ERROR},
                              help_text=_("Two-letter code, for example BG."))
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[_ANY, *_LANGUAGE_CHOICES])
    min_age = forms.IntegerField(label=_("Age from (years)"), required=False, min_value=0,
                                 max_value=25)
    max_age = forms.IntegerField(label=_("Age to (years)"), required=False, min_value=0,
                                 max_value=25)
    outcome = forms.ChoiceField(label=_("Self-check"), required=False,
                                choices=[_ANY, *SelfCheckOutcome.choices])
    min_waiting_days = forms.IntegerField(
        label=_("Waiting at least (working days)"), required=False, min_value=0, max_value=365)

    def clean_country(self) -> str:
        value: str = self.cleaned_data["country"]
        return _country(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The upper age must be at least the lower age."))
            data.pop("min_age", None)  # a contradictory range is not applied at all
        return data

    def filters(self) -> QueueFilters:
        """Return the filters that were valid (an invalid one is shown and not applied)."""
        data = self.cleaned_data if self.is_bound else {}
        return QueueFilters(
            stage=data.get("stage", ""), country=data.get("country", ""),
            language=data.get("language", ""), min_age=data.get("min_age"),
            max_age=data.get("max_age"),
            outcome=data.get("outcome", ""), min_waiting_days=data.get("min_waiting_days"),
        )


class FamilyMessageForm(forms.Form):
    """A guardian's message to the programme (shown on the portal's case page)."""

    body = forms.CharField(
        label=_("Your message"), max_length=MAX_MESSAGE_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write your message before sending it."),
            "max_length": _("Your message is too long: use at most %(limit_value)d "
                            "characters, or send a document instead."),
        })


class RequestInformationForm(forms.Form):
    body = forms.CharField(
        label=_("What do you need from the family?"), max_length=MAX_MESSAGE_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what the family should send or answer.")},
    )
    with_letter = forms.BooleanField(label=_("Also issue a letter"), required=False,
                                     initial=True)


class _ClinicianField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class AssignClinicianForm(forms.Form):
    clinician = _ClinicianField(
        label=_("Clinician"), queryset=User.objects.none(), empty_label=None,
        error_messages={"required": _("Choose the clinician who will evaluate the child."),
                        "invalid_choice": _("Choose a clinician from the list.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["clinician"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared above)
        field.queryset = clinicians()


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining (quoted in the letter to the family)"),
        max_length=MAX_REASON_CHARACTERS, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the reason: the family reads it in the letter.")},
    )


class DuplicateForm(forms.Form):
    resolution = forms.ChoiceField(choices=[
        (DuplicateResolution.DUPLICATE.value, DuplicateResolution.DUPLICATE.label),
        (DuplicateResolution.NOT_DUPLICATE.value, DuplicateResolution.NOT_DUPLICATE.label),
    ])


class AccountLinkForm(forms.Form):
    """A coordinator's confirmation that an inquiry's guardian is the holder of the
    existing portal account with the same address: how they checked is required."""

    check_note = forms.CharField(
        label=_("How did you check that this inquiry is the account holder's?"),
        max_length=MAX_REASON_CHARACTERS, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: phoned the parent on the number of their earlier case."),
        error_messages={"required": _("Say how you checked: it is kept with your name.")},
    )


class TravelPlanForm(forms.Form):
    arrival_date = forms.DateField(label=_("Arrival"), required=False, widget=_DATE)
    departure_date = forms.DateField(label=_("Departure"), required=False, widget=_DATE)
    interpreter_language = forms.CharField(
        label=_("Interpreter language"), required=False, max_length=10,
        help_text=_("Language code, for example ar or zh-hans; empty if none is needed."))

    def clean_interpreter_language(self) -> str:
        value: str = self.cleaned_data["interpreter_language"]
        if not value.strip():
            return ""
        try:
            return demographics.check_language(value)
        except InvalidValue:
            raise forms.ValidationError(
                _("Enter a language code such as en, ar, ru, bg or zh-hans."), code="language",
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        arrival, departure = data.get("arrival_date"), data.get("departure_date")
        if arrival and departure and departure <= arrival:
            self.add_error("departure_date", _(
                "The departure must be after the arrival. Check both dates."))
        return data


class TravellerForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100,
                                 validators=[person_name])
    family_name = forms.CharField(label=_("Family name"), max_length=100,
                                  validators=[person_name])
    role = forms.ChoiceField(label=_("Role"), choices=TravellerRole.choices)
    nationality = forms.CharField(label=_("Nationality (passport country)"), max_length=2,
                                  error_messages={"max_length": _COUNTRY_ERROR},
                                  help_text=_("Two-letter code, for example SA."))

    def clean_nationality(self) -> str:
        return _country(self.cleaned_data["nationality"])


class CostEstimateForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3,
                               error_messages={"max_length": _CURRENCY_ERROR},
                               help_text=_("ISO 4217 code, for example EUR, USD or CNY."))

    def clean_currency(self) -> str:
        try:
            return costs.check_currency(self.cleaned_data["currency"])
        except InvalidValue:
            raise forms.ValidationError(_CURRENCY_ERROR, code="currency") from None


class CostLineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=200)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1,
                                  max_value=costs.MAX_QUANTITY)
    unit_amount = forms.DecimalField(label=_("Unit amount"), min_value=0,
                                     max_value=costs.MAX_AMOUNT, max_digits=12,
                                     decimal_places=2)


class _CostLines(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        if not any(form.cleaned_data for form in self.forms if form.is_valid()):
            raise forms.ValidationError(
                _("Add at least one line with a description, a quantity and an amount."),
                code="no-lines")


CostLineFormSet = forms.formset_factory(CostLineForm, formset=_CostLines, extra=4,
                                        max_num=20, validate_max=True)


class IssueLetterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Letter"), choices=[
        (LetterKind.ACKNOWLEDGEMENT.value, LetterKind.ACKNOWLEDGEMENT.label),
        (LetterKind.VISA_INVITATION.value, LetterKind.VISA_INVITATION.label),
    ])
