"""Forms of the triage queue and the coordination page.

Each form checks its input with the same core functions the services use, and turns
their refusal into a translated message next to the field, saying what to change.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.core import costs, demographics, travel
from stride.core.errors import InvalidValue
from stride.web.accounts.models import User
from stride.web.coordination.models import (
    MAX_MESSAGE_CHARACTERS,
    MAX_QUESTION_CHARACTERS,
    MAX_REASON_CHARACTERS,
    TravellerRole,
)
from stride.web.coordination.selectors import (
    QUEUE_STAGES,
    QueueFilters,
    clinicians,
    clinicians_to_make_responsible,
    staff_who_may_join,
    team_members,
)
from stride.web.documents.models import LetterKind
from stride.web.intake.models import DuplicateResolution, SelfCheckOutcome
from stride.web.patients.models import Case, StageChoices
from stride.web.patients.selectors import person_label
from stride.web.platform import names
from stride.web.platform.messages import field_message
from stride.web.platform.validators import person_name

_ANY = ("", _("Any"))
_LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_COUNTRY_ERROR = _("Enter the two-letter country code, for example BG, SA or CN.")


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
        # Name, role, e-mail and user name: two similar names can be told apart (issue 16).
        return person_label(obj)


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


class _CodeChoiceField(forms.ChoiceField):
    """A list of names for codes (countries, languages, currencies), named in the reader's
    language when the form is shown; a code sent in the other case is taken as well."""

    def __init__(self, *, upper: bool, **kwargs: Any) -> None:
        self.upper = upper
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value)).strip()
        return text.upper() if self.upper else text.lower()


def _interpreter_languages() -> list[tuple[str, str]]:
    codes = {code for code, _name in names.language_choices()} | {
        code for code, _name in settings.LANGUAGES}
    return [("", str(_("No interpreter needed"))), *names.language_choices(codes)]


def _countries() -> list[tuple[str, str]]:
    return [("", str(_("Choose a country"))), *names.country_choices()]


def _currencies() -> list[tuple[str, str]]:
    return [("", str(_("Choose a currency"))), *names.currency_choices(costs.CURRENCIES)]


_PICK_COUNTRY = _("Choose the country from the list.")


class TravelPlanForm(forms.Form):
    arrival_date = forms.DateField(label=_("Arrival"), required=False, widget=_DATE)
    departure_date = forms.DateField(label=_("Departure"), required=False, widget=_DATE)
    interpreter_language = _CodeChoiceField(
        upper=False, label=_("Interpreter language"), required=False,
        choices=_interpreter_languages,
        error_messages={"invalid_choice": _("Choose the interpreter's language from the list, "
                                            "or “No interpreter needed”.")})
    visa_country = _CodeChoiceField(
        upper=True, label=_("Country of the consulate"), required=False, choices=_countries,
        help_text=_("Where the family applies for visas; the visa invitation is addressed "
                    "to its consulate."),
        error_messages={"invalid_choice": _PICK_COUNTRY})
    consulate_city = forms.CharField(
        label=_("City of the consulate"), required=False, max_length=100,
        help_text=_("Only if the family applies outside the capital."))

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
    nationality = _CodeChoiceField(
        upper=True, label=_("Nationality (passport country)"), choices=_countries,
        error_messages={"invalid_choice": _PICK_COUNTRY,
                        "required": _("Choose the country of the traveller's passport.")})
    passport_number = forms.CharField(
        label=_("Passport number"), required=False, max_length=40,
        help_text=_("As printed in the passport; a visa invitation needs it."))
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=_DATE,
                                    help_text=_("A visa invitation needs it."))

    def clean_passport_number(self) -> str:
        return _passport_number(self.cleaned_data["passport_number"])

    def clean_date_of_birth(self) -> date | None:
        return _birth_date(self.cleaned_data["date_of_birth"])


def _passport_number(value: str) -> str:
    if not value.strip():
        return ""
    try:
        return travel.check_passport_number(value)
    except InvalidValue as error:
        raise forms.ValidationError(field_message(error), code="passport") from None


def _birth_date(value: date | None) -> date | None:
    if value is None:
        return None
    try:
        return travel.check_traveller_birth_date(value, today=timezone.localdate())
    except InvalidValue as error:
        raise forms.ValidationError(field_message(error), code="date_of_birth") from None


class TravellerPassportForm(forms.Form):
    """A traveller's passport number and date of birth, added after the traveller."""

    passport_number = forms.CharField(
        label=_("Passport number"), max_length=40,
        error_messages={"required": _("Enter the passport number as printed.")})
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=_DATE,
        error_messages={"required": _("Enter the date of birth as printed in the passport.")})

    def clean_passport_number(self) -> str:
        return _passport_number(self.cleaned_data["passport_number"])

    def clean_date_of_birth(self) -> date | None:
        return _birth_date(self.cleaned_data["date_of_birth"])


class CostEstimateForm(forms.Form):
    currency = _CodeChoiceField(
        upper=True, label=_("Currency"), choices=_currencies,
        error_messages={"invalid_choice": _("Choose the currency from the list."),
                        "required": _("Choose the currency of the amounts.")})
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=_DATE,
                                  help_text=_("Optional; shown in the letter."))
    send = forms.BooleanField(
        label=_("Send it to the family now (a letter with its PDF, in their language)"),
        required=False, initial=True)

    def clean_valid_until(self) -> date | None:
        value: date | None = self.cleaned_data["valid_until"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The validity date is in the past; choose today "
                                          "or a later day, or leave it empty."),
                                        code="valid_until")
        return value


class EstimateAnswerForm(forms.Form):
    """The family's answer to a cost estimate: accept it, or ask a question."""

    ACCEPT, ASK = "accept", "question"
    answer = forms.ChoiceField(choices=[(ACCEPT, _("I accept this estimate")),
                                        (ASK, _("I have a question"))],
                               widget=forms.HiddenInput)
    question = forms.CharField(
        label=_("Your question about the estimate"), required=False,
        max_length=MAX_QUESTION_CHARACTERS, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Your question is too long: use at most "
                                        "%(limit_value)d characters.")})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") == self.ASK and not str(data.get("question", "")).strip():
            self.add_error("question", _("Write your question before sending it."))
        return data


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


# ---------------------------------------------------------------- H2 (issue 16): care team

_REASON_WIDGET = forms.Textarea(attrs={"rows": 2})


class _ChoosesFromCaseStaff(forms.Form):
    """A care-team form whose person field (``person_field``) offers only the people
    ``people(case)`` returns: who may join, who is on the team, who may be responsible."""

    person_field: ClassVar[str] = "member"

    @staticmethod
    def people(case: Case) -> QuerySet[User]:
        """The people the form offers for ``case`` (each form names its selector)."""
        raise NotImplementedError

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields[self.person_field]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared below)
        field.queryset = self.people(case)


class CareTeamAddForm(_ChoosesFromCaseStaff):
    """Put a coordinator, clinician or surgeon on the case's care team."""

    prefix = "team-add"

    member = _ClinicianField(
        label=_("Person to add"), queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        error_messages={"required": _("Choose the person to add to the care team."),
                        "invalid_choice": _("Choose a person from the list.")})
    reason = forms.CharField(label=_("Reason (optional)"), required=False,
                             max_length=MAX_REASON_CHARACTERS, widget=_REASON_WIDGET)

    people = staticmethod(staff_who_may_join)


class CareTeamRemoveForm(_ChoosesFromCaseStaff):
    """Take someone off the case's care team, saying why."""

    prefix = "team-remove"

    member = _ClinicianField(
        label=_("Person to remove"), queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        error_messages={"required": _("Choose the person to remove from the care team."),
                        "invalid_choice": _("Choose a person who is on the care team.")})
    reason = forms.CharField(
        label=_("Reason"), max_length=MAX_REASON_CHARACTERS, widget=_REASON_WIDGET,
        error_messages={"required": _("Write why this person leaves the care team.")})

    people = staticmethod(team_members)


class ResponsibleClinicianForm(_ChoosesFromCaseStaff):
    """Hand the case's responsibility to another clinician (put on the team if needed)."""

    prefix = "team-responsible"

    clinician = _ClinicianField(
        label=_("New responsible clinician"), queryset=User.objects.none(),
        empty_label=_("Choose a clinician"),
        error_messages={"required": _("Choose the clinician who becomes responsible."),
                        "invalid_choice": _("Choose a clinician from the list.")})
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=MAX_REASON_CHARACTERS,
        widget=_REASON_WIDGET,
        help_text=_("Required when another clinician is responsible now."))

    person_field = "clinician"
    people = staticmethod(clinicians_to_make_responsible)
