"""The public inquiry form: every field checked, with a translated message next to it.

Each file field takes several files (:class:`MultipleFileField`, up to
:func:`~stride.web.platform.uploads.max_files` of the page). Files are checked by content and
staged here (see :mod:`stride.web.platform.uploads`). When the form is refused for another
mistake, the view holds the files that passed their checks (``held``: they come back with
the next send of the same form), so a family never chooses a good file twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from stride.core.classification import LayLabel
from stride.core.eligibility.facts import Goal
from stride.core.eligibility.family_answers import (
    AffectedSides,
    FamilyAnswers,
    GmfcsEstimate,
    HydrocephalusAnswer,
    PreviousTreatment,
    SeizureAnswer,
    TreatmentAnswer,
    TreatmentHistory,
)
from stride.core.pathway import Programme
from stride.web.documents.models import DocumentKind
from stride.web.intake import choices
from stride.web.intake.selectors import treatment_field_names
from stride.web.patients.models import Relationship, Sex
from stride.web.platform.names import country_choices, language_choices
from stride.web.platform.uploads import (
    StagedFile,
    UploadKind,
    UploadRefused,
    max_files,
    stage,
    too_large_message,
)
from stride.web.platform.validators import person_name

#: Oldest child accepted by the form, in years (a typing-mistake check, not a clinical rule).
MAX_CHILD_AGE_YEARS = 25

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _required(message: Any) -> dict[str, Any]:
    return {"required": message}


def _name_field(label: Any, required_message: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=100, validators=[person_name],
                           error_messages={
                               **_required(required_message),
                               "max_length": _("Use at most 100 characters."),
                           })


#: The URL name of the form's page: how many files each field takes is declared for it.
PAGE = "intake:inquiry"

#: File fields: (form field, document kind, upload kind).
FILE_FIELDS: tuple[tuple[str, DocumentKind, UploadKind], ...] = (
    ("mri_report", DocumentKind.MRI_REPORT, UploadKind.DOCUMENT),
    ("medical_documents", DocumentKind.MEDICAL_RECORD, UploadKind.DOCUMENT),
    ("walking_video", DocumentKind.WALKING_VIDEO, UploadKind.VIDEO),
)


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets a family choose several files at once."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field of several files (Django's documented pattern): cleans to a list of the
    files chosen, empty when none (the field is optional)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [cleaned for cleaned in (single(item, initial) for item in items if item)
                if cleaned is not None]


class InquiryForm(forms.Form):
    """Child, guardian, programme, what the family knows, documents and the two consents."""

    # --- the child
    child_given_name = _name_field(_("Child's given name"), _("Enter your child's given name."))
    child_family_name = _name_field(_("Child's family name"),
                                    _("Enter your child's family name."))
    date_of_birth = forms.DateField(label=_("Child's date of birth"), widget=_DATE,
                                    error_messages={
                                        **_required(_("Enter your child's date of birth.")),
                                        "invalid": _("Enter the date of birth as a date, for "
                                                     "example 2019-05-17."),
                                    })
    sex = forms.ChoiceField(label=_("Child's sex"), choices=Sex.choices,
                            widget=forms.RadioSelect,
                            error_messages=_required(_("Choose your child's sex.")))
    # Countries and languages are named in the reader's language (CLDR), sorted by name:
    # the choices are set per form in __init__, under the active language.
    country = forms.ChoiceField(label=_("Country where the child lives"), choices=(),
                                error_messages=_required(_("Choose the country where your "
                                                          "child lives.")))
    languages = forms.MultipleChoiceField(
        label=_("Languages your child speaks"), choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required(_("Choose at least one language your child speaks.")))
    # --- the guardian
    guardian_given_name = _name_field(_("Your given name"), _("Enter your given name."))
    guardian_family_name = _name_field(_("Your family name"), _("Enter your family name."))
    relationship = forms.ChoiceField(label=_("You are the child's"),
                                     choices=Relationship.choices,
                                     error_messages=_required(_("Choose how you are related "
                                                                "to the child.")))
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254, error_messages={
        **_required(_("Enter your e-mail address: we send the reference number there.")),
        "invalid": _("Enter a complete e-mail address, for example name@example.com."),
    })
    phone = forms.CharField(label=_("Your telephone number (optional)"), required=False,
                            max_length=32,
                            error_messages={"max_length": _("Use at most 32 characters.")})
    preferred_language = forms.ChoiceField(
        label=_("Language we should write to you in"), choices=settings.LANGUAGES,
        error_messages=_required(_("Choose the language we should write to you in.")))
    # --- the programme
    programme = forms.ChoiceField(label=_("Which treatment are you asking about?"),
                                  choices=choices.PROGRAMME_CHOICES, widget=forms.RadioSelect,
                                  error_messages=_required(_("Choose the treatment you are "
                                                             "asking about.")))
    # --- what the family knows
    lay_cp_type = forms.ChoiceField(
        label=_("Which type of cerebral palsy have the doctors described?"),
        choices=choices.LAY_CP_TYPE_CHOICES, widget=forms.RadioSelect,
        error_messages=_required(_("Choose a type, or \"I don't know\".")))
    affected_sides = forms.ChoiceField(
        label=_("If the stiffness is spastic: which parts of the body does it affect most?"),
        choices=choices.AFFECTED_SIDES_CHOICES, widget=forms.RadioSelect, required=False)
    gmfcs_estimate = forms.ChoiceField(
        label=_("Which sentence fits best how your child moves about?"),
        choices=choices.GMFCS_ESTIMATE_CHOICES, widget=forms.RadioSelect,
        error_messages=_required(_("Choose the closest sentence, or \"I don't know\".")))
    seizures = forms.ChoiceField(label=_("Seizures (epilepsy)"), choices=choices.SEIZURE_CHOICES,
                                 widget=forms.RadioSelect,
                                 error_messages=_required(_("Choose an answer about seizures, "
                                                            "or \"I don't know\".")))
    last_seizure = forms.DateField(label=_("Date of the last seizure (if known)"),
                                   required=False, widget=_DATE, error_messages={
                                       "invalid": _("Enter the date as a date, for example "
                                                    "2024-03-01."),
                                   })
    seizure_medicines = forms.CharField(label=_("Medicines for seizures (if any)"),
                                        required=False, max_length=500,
                                        error_messages={"max_length": _("Use at most 500 "
                                                                        "characters.")})
    hydrocephalus = forms.ChoiceField(
        label=_("Hydrocephalus (fluid building up in the brain)"),
        choices=choices.HYDROCEPHALUS_CHOICES, widget=forms.RadioSelect,
        error_messages=_required(_("Choose an answer about hydrocephalus, or \"I don't "
                                   "know\".")))
    goals = forms.MultipleChoiceField(label=_("What do you most hope treatment will help with?"),
                                      required=False, choices=choices.GOAL_CHOICES,
                                      widget=forms.CheckboxSelectMultiple)
    goals_text = forms.CharField(label=_("Anything else you would like us to know (optional)"),
                                 required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 error_messages={"max_length": _("Use at most 2000 "
                                                                 "characters.")})
    # --- documents (all optional; several per field; checked by content, not by name)
    mri_report = MultipleFileField(
        label=_("MRI reports (PDF, or photos of the pages as JPEG or PNG)"), required=False)
    medical_documents = MultipleFileField(
        label=_("Other medical documents, such as clinic letters or x-ray reports (PDF, JPEG "
                "or PNG)"), required=False)
    walking_video = MultipleFileField(
        label=_("Short videos of your child walking or moving (MP4, MOV or WebM)"),
        required=False)
    # --- consents: both required, each given on its own
    consent_data_processing = forms.BooleanField(
        label=_("I agree to the processing of my child's data as described above."),
        error_messages=_required(_("We can only answer if you agree to the processing of "
                                   "your child's data. Tick the box to agree.")))
    consent_cross_border = forms.BooleanField(
        label=_("I agree to the transfer of my child's health data to another country as "
                "described above."),
        error_messages=_required(_("The programme's team works in another country, so we "
                                   "can only answer if you agree to this transfer. Tick the "
                                   "box to agree.")))
    # --- safety: a field people never see (bots fill it) and the double-submit token
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, error_messages={
        "required": _("The form expired. Reload the page and send it again."),
        "invalid": _("The form expired. Reload the page and send it again."),
    })
    #: On a fresh form offered after this form was sent already with other answers: the
    #: first inquiry's token, so that the new inquiry is flagged as correcting it.
    corrects = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, oversized: dict[str, UploadKind] | None = None,
                 today: date | None = None,
                 held: Mapping[str, Sequence[StagedFile]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.oversized = oversized or {}
        self.today = today or timezone.localdate()
        #: Files checked and kept from an earlier send of this form, by field.
        self.held: dict[str, list[StagedFile]] = {name: list((held or {}).get(name, ()))
                                                  for name, _kind, _up in FILE_FIELDS}
        #: Files checked in this send, by field (kept even when another file fails).
        self.staged: dict[str, list[StagedFile]] = {}
        country = cast(forms.ChoiceField, self.fields["country"])
        country.choices = [("", _("Choose a country")), *country_choices()]
        spoken = cast(forms.MultipleChoiceField, self.fields["languages"])
        spoken.choices = language_choices(choices.SPOKEN_LANGUAGES)
        for name, _kind, upload in FILE_FIELDS:
            field = self.fields[name]
            limit = max_files(PAGE, name)
            field.help_text = ngettext("You can choose %(count)s file.",
                                       "You can choose up to %(count)s files.",
                                       limit) % {"count": limit}
            field.widget.attrs["accept"] = (".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,"
                                            "image/png" if upload is UploadKind.DOCUMENT
                                            else "video/mp4,video/quicktime,video/webm")
        for kind in PreviousTreatment:
            history_name, last_name = treatment_field_names(kind)
            label = choices.TREATMENT_LABELS[kind]
            self.fields[history_name] = forms.ChoiceField(
                label=label, choices=choices.TREATMENT_HISTORY_CHOICES,
                widget=forms.RadioSelect,
                error_messages=_required(_("Choose an answer, or \"I don't know\".")))
            self.fields[last_name] = forms.DateField(
                label=_("Date of the last one (if known)"), required=False, widget=_DATE,
                error_messages={"invalid": _("Enter the date as a date, for example "
                                             "2024-03-01.")})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    # ------------------------------------------------------------------ field checks

    def treatment_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """Return the (had it?, last date) bound fields of each previous treatment."""
        return [(self[history], self[last])
                for history, last in map(treatment_field_names, PreviousTreatment)]

    def clean_date_of_birth(self) -> date:
        value: date = self.cleaned_data["date_of_birth"]
        if value > self.today:
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if (self.today.year - value.year) > MAX_CHILD_AGE_YEARS:
            raise forms.ValidationError(
                _("Check the year of birth: this form is for children and young people up to "
                  "%(years)s years old.") % {"years": MAX_CHILD_AGE_YEARS})
        return value

    def clean_website(self) -> str:
        value: str = self.cleaned_data["website"]
        if value:
            raise forms.ValidationError(_("Leave this field empty."), code="honeypot")
        return value

    def _clean_files(self, name: str, kind: UploadKind) -> list[StagedFile]:
        """Check and stage every file chosen in ``name``; the good ones stay staged even
        when another file of the field is refused (the view keeps them for the next send),
        and each refused file is named in the field's error."""
        uploads: list[UploadedFile] = self.cleaned_data.get(name) or []
        limit = max_files(PAGE, name)
        if len(self.held[name]) + len(uploads) > limit:
            raise forms.ValidationError(ngettext(
                "You can send at most %(count)s file here. Remove a kept file or choose "
                "fewer files.",
                "You can send at most %(count)s files here. Remove a kept file or choose "
                "fewer files.", limit) % {"count": limit})
        errors: list[str] = []
        if name in self.oversized:
            errors.append(str(too_large_message(kind)))
        staged = self.staged.setdefault(name, [])
        for upload in uploads:
            try:
                staged.append(stage(upload, kind=kind))
            except UploadRefused as refused:
                errors.append(_("%(file)s: %(problem)s") % {
                    "file": upload.name or _("a file"), "problem": refused.message})
        if errors:
            raise forms.ValidationError(errors)
        return staged

    def clean_mri_report(self) -> list[StagedFile]:
        return self._clean_files("mri_report", UploadKind.DOCUMENT)

    def clean_medical_documents(self) -> list[StagedFile]:
        return self._clean_files("medical_documents", UploadKind.DOCUMENT)

    def clean_walking_video(self) -> list[StagedFile]:
        return self._clean_files("walking_video", UploadKind.VIDEO)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dob = data.get("date_of_birth")
        self._check_dated_answer(dob, "last_seizure", data.get("seizures"),
                                 allowed=(SeizureAnswer.CONTROLLED.value,
                                          SeizureAnswer.NOT_CONTROLLED.value),
                                 not_allowed=_("Leave the date empty, or choose an answer "
                                               "that says your child has had seizures."))
        for kind in PreviousTreatment:
            history_name, last_name = treatment_field_names(kind)
            self._check_dated_answer(dob, last_name, data.get(history_name),
                                     allowed=(TreatmentHistory.HAD.value,),
                                     not_allowed=_("Leave the date empty, or choose \"Yes\" "
                                                   "if your child has had this treatment."))
        return data

    def _check_dated_answer(self, dob: date | None, name: str, answer: str | None, *,
                            allowed: tuple[str, ...], not_allowed: Any) -> None:
        when = self.cleaned_data.get(name)
        if when is None:
            return
        if answer is not None and answer not in allowed:
            self.add_error(name, str(not_allowed))
        elif when > self.today:
            self.add_error(name, _("This date cannot be in the future."))
        elif dob is not None and when < dob:
            self.add_error(name, _("This date is before the child's date of birth; check "
                                   "the year."))

    # ------------------------------------------------------------------ results

    def family_answers(self) -> FamilyAnswers:
        """Return the clinical answers (call only on a valid form)."""
        data = self.cleaned_data
        treatments = {}
        for kind in PreviousTreatment:
            history_name, last_name = treatment_field_names(kind)
            treatments[kind] = TreatmentAnswer(TreatmentHistory(data[history_name]),
                                               data.get(last_name))
        return FamilyAnswers(
            date_of_birth=data["date_of_birth"],
            lay_cp_type=LayLabel(data["lay_cp_type"]),
            gmfcs_estimate=GmfcsEstimate(data["gmfcs_estimate"]),
            seizures=SeizureAnswer(data["seizures"]),
            last_seizure=data.get("last_seizure"),
            hydrocephalus=HydrocephalusAnswer(data["hydrocephalus"]),
            treatments=treatments,
            goals=tuple(Goal(code) for code in data.get("goals") or ()),
            affected_sides=AffectedSides(data.get("affected_sides") or AffectedSides.DONT_KNOW),
        )

    @property
    def chosen_programme(self) -> Programme:
        """The programme chosen (call only on a valid form)."""
        return Programme(self.cleaned_data["programme"])

    def staged_documents(self) -> list[tuple[DocumentKind, StagedFile]]:
        """Return the kept and newly staged files with their document kinds, in form order
        (kept ones first in each field)."""
        return [(kind, file) for name, kind, _upload in FILE_FIELDS
                for file in (*self.held[name], *self.staged.get(name, ()))]

    def staged_files(self) -> list[StagedFile]:
        """Return every file staged while checking the form (not the kept ones)."""
        return [file for files in self.staged.values() for file in files]

    def files_by_field(self) -> dict[str, list[StagedFile]]:
        """Every good file of this send, kept or new, by field (what the view holds when
        the form is refused)."""
        return {name: [*self.held[name], *self.staged.get(name, ())]
                for name, _kind, _upload in FILE_FIELDS}

    def file_fields(self) -> list[tuple[forms.BoundField, list[StagedFile]]]:
        """Each file field with the files kept for it (for the template)."""
        return [(self[name], self.held[name]) for name, _kind, _upload in FILE_FIELDS]

    def error_links(self) -> list[tuple[str, str, str]]:
        """``(anchor id, question, first message)`` of every field in error, in form
        order: the error summary's links."""
        links = []
        for name in self.fields:
            if name in ("token", "corrects", "website") or not self.errors.get(name):
                continue
            bound = self[name]
            links.append((bound.auto_id or name, str(bound.label), str(self.errors[name][0])))
        return links

    def resent_initial(self) -> dict[str, Any]:
        """The answers of this (bound) form as the initial values of a fresh form: what a
        family typed, never their files (browsers cannot fill those in), the consents
        (ticked again on purpose) or the tokens."""
        left_out = {"token", "corrects", "website", "consent_data_processing",
                    "consent_cross_border", *(name for name, _kind, _upload in FILE_FIELDS)}
        return {name: self[name].value() for name in self.fields if name not in left_out}


@dataclass(frozen=True)
class Difference:
    """One answer that differs between a kept inquiry and the same form sent again."""

    question: str
    kept: str
    sent: str


def _shown(field: forms.Field, value: object) -> str:
    if value in ("", None, []):
        return "—"
    if isinstance(field, forms.ChoiceField):
        choices = cast(Iterable[tuple[object, object]], field.choices)  # no option groups
        labels = {str(code): str(label) for code, label in choices}
        codes = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(code), str(code)) for code in codes)
    if isinstance(field, forms.DateField) and isinstance(value, str):
        return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
    return str(value)


def differences(kept: Mapping[str, object], sent: Mapping[str, object]) -> list[Difference]:
    """The answers that differ between ``kept`` and ``sent`` (values by form field name, as
    ``intake.selectors.kept_values`` and ``intake.services.submission_values`` give them),
    in the form's order, with the form's questions and answers in the active language."""
    fields = InquiryForm().fields
    last_of = {last: history for history, last in map(treatment_field_names, PreviousTreatment)}
    rows = []
    for name, field in fields.items():
        if name not in kept or kept[name] == sent.get(name):
            continue
        question = str(field.label)
        if name in last_of:
            question = f"{fields[last_of[name]].label}: {question}"
        rows.append(Difference(question=question, kept=_shown(field, kept[name]),
                               sent=_shown(field, sent.get(name))))
    return rows
