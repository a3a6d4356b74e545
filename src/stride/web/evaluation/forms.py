"""One form per instrument: it collects the plain values core reads, and nothing more.

Each form's :meth:`AssessmentForm.payload` returns the instrument's ``to_json`` form for
:func:`stride.core.scales.instruments.parse_assessment`; core decides validity and the
view puts core's error next to the field it names (:meth:`AssessmentForm.form_field`).
Choice fields list exactly the values the instrument allows, so a value out of range
(MAS ``5``, a GMFM item scored ``4``) is refused next to its own cell before core sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from stride.core.anatomy import Side
from stride.core.booking import MAX_SERIES_WEEKS, MAX_SLOT_MINUTES, MIN_SLOT_MINUTES
from stride.core.classification import ScpeSubtype
from stride.core.consultations import check_time_zone
from stride.core.eligibility.catalogue import available_rule_sets, latest_rule_set
from stride.core.eligibility.facts import (
    Dystonia,
    Epilepsy,
    Hydrocephalus,
    IntellectualDisability,
    MriFinding,
    SelectiveControl,
)
from stride.core.eligibility.model import Outcome
from stride.core.errors import InvalidValue
from stride.core.scales.common import Muscle
from stride.core.scales.examination import Joint, StrengthGroup, TreatmentHistory
from stride.core.scales.gmfm66 import GmaeVersion
from stride.core.scales.gmfm88 import DIMENSION_ITEMS, GmfmDimension
from stride.core.scales.instruments import Instrument
from stride.core.scales.mas import MasGrade
from stride.web.evaluation.models import AssessmentContext, InstrumentChoices, Signature
from stride.web.evaluation.wording import (
    OUTCOME_LABELS,
    VALUE_WORDS,
    gmfm88_item_label,
    rule_set_title,
)
from stride.web.platform.names import time_zone_choices
from stride.web.platform.words import BODY_WORDS

#: The clinic's zone offered first in the forms (the programme is in Sofia in the demo).
DEFAULT_CLINIC_ZONE = "Europe/Sofia"

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_LEVELS = [(str(n), roman) for n, roman in enumerate(("I", "II", "III", "IV", "V"), start=1)]
_SIDES = {Side.LEFT: _("left"), Side.RIGHT: _("right")}
_LOWER_LIMB = (Muscle.HIP_ADDUCTORS, Muscle.HIP_FLEXORS, Muscle.HAMSTRINGS,
               Muscle.RECTUS_FEMORIS, Muscle.GASTROCNEMIUS, Muscle.SOLEUS)
_NOT_ESTABLISHED = ("", _("Not established"))
NOT_TESTED = "NT"
#: A treatment the child had before, or never had (history form).
_HISTORY_WORDS = {"never": _("Never"), "had": _("Yes, before")}


def _codes(enum: type[Any], words: Mapping[Any, Any]) -> list[tuple[str, Any]]:
    """``(code, words)`` of every member of ``enum``, in the reader's language."""
    return [(member.value, words[member.value]) for member in enum]


def _cell(prefix: str, item: str, side: Side) -> str:
    return f"{prefix}__{item}__{side.value}"


def _cell_label(row: Any, side: Side, part: Any = "") -> Any:
    """Return a cell's label: its row and side (and part), so a screen reader says which."""
    name = BODY_WORDS[row.value]
    return format_lazy("{} · {}{}", name, _SIDES[side], format_lazy(" · {}", part) if part else "")


class AssessmentForm(forms.Form):
    """The date and context every assessment has; subclasses add the instrument's fields."""

    instrument: ClassVar[Instrument]
    assessed_on = forms.DateField(label=_("Assessment date"), widget=_DATE)
    context = forms.ChoiceField(label=_("Context"), choices=AssessmentContext.choices)

    #: Core's error field -> this form's field, where the names differ.
    FIELD_MAP: ClassVar[dict[str, str]] = {"age_at_assessment": "assessed_on"}

    def payload(self) -> dict[str, Any]:
        """Return the instrument's values as core reads them (after ``is_valid()``)."""
        raise NotImplementedError

    def form_field(self, core_field: str) -> str | None:
        """Return the form field that core's error field names, or ``None`` (whole form)."""
        name = self.FIELD_MAP.get(core_field, core_field.replace("items.", "item_"))
        return name if name in self.fields else None


class GmfcsForm(AssessmentForm):
    instrument = Instrument.GMFCS
    level = forms.TypedChoiceField(label=_("GMFCS-E&R level"), choices=_LEVELS, coerce=int)
    FIELD_MAP = {**AssessmentForm.FIELD_MAP, "gmfcs": "level"}

    def payload(self) -> dict[str, Any]:
        return {"level": self.cleaned_data["level"]}


class _LevelledForm(AssessmentForm):
    level = forms.TypedChoiceField(label=_("Level"), choices=_LEVELS, coerce=int)

    def payload(self) -> dict[str, Any]:
        return {"system": self.cleaned_data["system"], "level": self.cleaned_data["level"]}


class MacsForm(_LevelledForm):
    instrument = Instrument.MACS
    system = forms.ChoiceField(label=_("System"), choices=[("macs", "MACS"),
                                                          ("mini-macs", "Mini-MACS")])
    FIELD_MAP = {**AssessmentForm.FIELD_MAP, "macs": "level", "age_at_assessment": "system"}


class EdacsForm(_LevelledForm):
    instrument = Instrument.EDACS
    system = forms.ChoiceField(label=_("System"), choices=[("edacs", "EDACS"),
                                                          ("mini-edacs", "Mini-EDACS")])
    FIELD_MAP = {**AssessmentForm.FIELD_MAP, "edacs": "level", "age_at_assessment": "system"}


class CfcsForm(AssessmentForm):
    instrument = Instrument.CFCS
    level = forms.TypedChoiceField(label=_("CFCS level"), choices=_LEVELS, coerce=int)
    FIELD_MAP = {**AssessmentForm.FIELD_MAP, "cfcs": "level"}

    def payload(self) -> dict[str, Any]:
        return {"level": self.cleaned_data["level"]}


class _GridForm(AssessmentForm):
    """A muscle (or joint) x side grid; an empty cell was not measured."""

    prefix_code: ClassVar[str]
    rows: ClassVar[tuple[Any, ...]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in self.rows:
            for side in Side:
                self.fields[_cell(self.prefix_code, row.value, side)] = self.cell_field(row, side)

    def cell_field(self, row: Any, side: Side) -> forms.Field:
        raise NotImplementedError

    def grid(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Return the grid for the template: (row label, [left cell, right cell])."""
        return [(str(BODY_WORDS[row.value]), [self[_cell(self.prefix_code, row.value, side)]
                                              for side in Side]) for row in self.rows]

    def filled(self) -> list[tuple[Any, Side, Any]]:
        out = []
        for row in self.rows:
            for side in Side:
                value = self.cleaned_data.get(_cell(self.prefix_code, row.value, side))
                if value not in (None, ""):
                    out.append((row, side, value))
        return out

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not self.filled():
            raise forms.ValidationError(_("Fill in at least one measurement."), code="empty")
        return cleaned


class MasForm(_GridForm):
    instrument = Instrument.MAS
    prefix_code = "mas"
    rows = tuple(Muscle)

    def cell_field(self, row: Any, side: Side) -> forms.Field:
        return forms.ChoiceField(label=_cell_label(row, side), required=False,
                                 choices=[("", "—"), *[(g.value, g.value) for g in MasGrade]])

    def payload(self) -> dict[str, Any]:
        return {"measurements": [{"muscle": m.value, "side": s.value, "grade": g}
                                 for m, s, g in self.filled()]}


class TardieuForm(AssessmentForm):
    instrument = Instrument.TARDIEU

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for muscle in _LOWER_LIMB:
            for side in Side:
                base = _cell("tardieu", muscle.value, side)
                self.fields[f"{base}__r1"] = forms.FloatField(
                    label=_cell_label(muscle, side, _("R1 (°)")), required=False)
                self.fields[f"{base}__r2"] = forms.FloatField(
                    label=_cell_label(muscle, side, _("R2 (°)")), required=False)
                self.fields[f"{base}__quality"] = forms.TypedChoiceField(
                    label=_cell_label(muscle, side, _("Quality")), required=False, coerce=int,
                    empty_value=None,
                    choices=[("", "—"), *[(str(q), str(q)) for q in range(6)]])

    def grid(self) -> list[tuple[str, list[list[forms.BoundField]]]]:
        """Return (muscle label, [[R1, R2, quality] per side]) for the template."""
        return [(m.value.replace("-", " "), [[self[f"{_cell('tardieu', m.value, s)}__{part}"]
                                              for part in ("r1", "r2", "quality")]
                                             for s in Side]) for m in _LOWER_LIMB]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._rows: list[dict[str, Any]] = []
        for muscle in _LOWER_LIMB:
            for side in Side:
                base = _cell("tardieu", muscle.value, side)
                parts = {p: cleaned.get(f"{base}__{p}") for p in ("r1", "r2", "quality")}
                given = [v for v in parts.values() if v is not None]
                if not given:
                    continue
                if len(given) < 3:
                    self.add_error(f"{base}__r1", _("Enter R1, R2 and the quality together."))
                    continue
                self._rows.append({"muscle": muscle.value, "side": side.value,
                                   "r1_deg": parts["r1"], "r2_deg": parts["r2"],
                                   "quality": parts["quality"]})
        if not self.errors and not self._rows:
            raise forms.ValidationError(_("Fill in at least one measurement."), code="empty")
        return cleaned

    def payload(self) -> dict[str, Any]:
        return {"measurements": self._rows}


class Gmfm88Form(AssessmentForm):
    """88 items, each 0–3 or not tested; dimension and total % shown live by gmfm88.js."""

    instrument = Instrument.GMFM88
    goal_dimensions = forms.MultipleChoiceField(
        label=_("Goal dimensions"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(d.value, d.value) for d in GmfmDimension])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for dimension, items in DIMENSION_ITEMS.items():
            for number in items:
                self.fields[f"item_{number}"] = forms.ChoiceField(
                    label=gmfm88_item_label(number), initial=NOT_TESTED,
                    choices=[(NOT_TESTED, _("Not tested")), ("0", "0"), ("1", "1"), ("2", "2"),
                             ("3", "3")],
                    widget=forms.Select(attrs={"data-gmfm-dimension": dimension.value}))

    def dimensions(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Return (dimension letter, its item fields) for the template."""
        return [(d.value, [self[f"item_{n}"] for n in items])
                for d, items in DIMENSION_ITEMS.items()]

    def payload(self) -> dict[str, Any]:
        return {"items": {str(n): None if self.cleaned_data[f"item_{n}"] == NOT_TESTED
                          else int(self.cleaned_data[f"item_{n}"]) for n in range(1, 89)},
                "goal_dimensions": list(self.cleaned_data["goal_dimensions"])}


class Gmfm66Form(AssessmentForm):
    instrument = Instrument.GMFM66
    score = forms.FloatField(label=_("GMFM-66 score (GMAE)"))
    standard_error = forms.FloatField(label=_("Standard error"))
    ci_low = forms.FloatField(label=_("95% CI, lower bound"))
    ci_high = forms.FloatField(label=_("95% CI, upper bound"))
    gmae_version = forms.ChoiceField(label=_("GMAE version"),
                                     choices=[(v.value, v.value) for v in GmaeVersion])
    FIELD_MAP = {**AssessmentForm.FIELD_MAP, "ci_low, ci_high": "ci_low"}

    def payload(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in
                ("score", "standard_error", "ci_low", "ci_high", "gmae_version")}


class RangeOfMotionForm(_GridForm):
    instrument = Instrument.RANGE_OF_MOTION
    prefix_code = "rom"
    rows = tuple(Joint)
    FIELD_MAP = {**AssessmentForm.FIELD_MAP}

    def cell_field(self, row: Any, side: Side) -> forms.Field:
        return forms.FloatField(label=_cell_label(row, side), required=False)

    def payload(self) -> dict[str, Any]:
        return {"measurements": [{"joint": j.value, "side": s.value, "angle_deg": a}
                                 for j, s, a in self.filled()]}


class StrengthForm(_GridForm):
    instrument = Instrument.STRENGTH
    prefix_code = "mrc"
    rows = tuple(StrengthGroup)

    def cell_field(self, row: Any, side: Side) -> forms.Field:
        return forms.TypedChoiceField(label=_cell_label(row, side), required=False, coerce=int,
                                      empty_value=None,
                                      choices=[("", "—"), *[(str(g), str(g)) for g in range(6)]])

    def payload(self) -> dict[str, Any]:
        return {"measurements": [{"group": g.value, "side": s.value, "grade": v}
                                 for g, s, v in self.filled()]}


#: The clinician's overall judgement of selective motor control in the legs, in words.
_SELECTIVE_CONTROL_LABELS = {SelectiveControl.GOOD: _("Good"),
                             SelectiveControl.LIMITED: _("Limited"),
                             SelectiveControl.POOR: _("Poor")}


class SelectiveMotorControlForm(AssessmentForm):
    instrument = Instrument.SELECTIVE_MOTOR_CONTROL
    left = forms.IntegerField(label=_("SCALE, left leg (0–10)"))
    right = forms.IntegerField(label=_("SCALE, right leg (0–10)"))
    overall = forms.ChoiceField(
        label=_("Selective motor control in the legs (your judgement)"), required=False,
        choices=[_NOT_ESTABLISHED, *[(level.value, _SELECTIVE_CONTROL_LABELS[level])
                                     for level in SelectiveControl]],
        help_text=_("No published cut-off turns a SCALE score into this judgement; the SDR "
                    "candidacy rules read your judgement."))
    FIELD_MAP = {**AssessmentForm.FIELD_MAP, "scale_left": "left", "scale_right": "right"}

    def payload(self) -> dict[str, Any]:
        # Core stores "overall" only when judged: an empty choice stays unknown.
        return {"left": self.cleaned_data["left"], "right": self.cleaned_data["right"],
                "overall": self.cleaned_data["overall"] or None}


class HipMigrationForm(AssessmentForm):
    instrument = Instrument.HIP_MIGRATION
    left_percent = forms.FloatField(label=_("Left hip, migration %"))
    right_percent = forms.FloatField(label=_("Right hip, migration %"))

    def payload(self) -> dict[str, Any]:
        return {"left_percent": self.cleaned_data["left_percent"],
                "right_percent": self.cleaned_data["right_percent"]}


class MriForm(AssessmentForm):
    instrument = Instrument.MRI
    findings = forms.MultipleChoiceField(label=_("Findings (MRICS groups)"),
                                         widget=forms.CheckboxSelectMultiple,
                                         choices=_codes(MriFinding, VALUE_WORDS["mri_findings"]))

    def payload(self) -> dict[str, Any]:
        return {"findings": list(self.cleaned_data["findings"])}


class EpilepsyForm(AssessmentForm):
    instrument = Instrument.EPILEPSY
    status = forms.ChoiceField(label=_("Epilepsy"),
                               choices=_codes(Epilepsy, VALUE_WORDS["epilepsy"]))
    last_seizure = forms.DateField(label=_("Last seizure"), required=False, widget=_DATE)

    def payload(self) -> dict[str, Any]:
        last = self.cleaned_data["last_seizure"]
        return {"status": self.cleaned_data["status"],
                "last_seizure": last.isoformat() if last else None}


def _optional(label: Any, enum: type[Any], words: Mapping[Any, Any]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[_NOT_ESTABLISHED,
                                                                   *_codes(enum, words)])


def _yes_no(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[
        _NOT_ESTABLISHED, ("true", _("Yes")), ("false", _("No"))])


class HistoryForm(AssessmentForm):
    instrument = Instrument.HISTORY
    scpe_subtype = _optional(_("CP subtype (SCPE)"), ScpeSubtype, VALUE_WORDS["scpe_subtype"])
    dystonia = _optional(_("Dystonia"), Dystonia, VALUE_WORDS["dystonia"])
    hydrocephalus = _optional(_("Hydrocephalus"), Hydrocephalus, VALUE_WORDS["hydrocephalus"])
    intellectual_disability = _optional(_("Intellectual disability"), IntellectualDisability,
                                        VALUE_WORDS["intellectual_disability"])
    significant_scoliosis = _yes_no(_("Significant scoliosis"))
    progressive_or_genetic_disorder = _yes_no(_("Progressive or genetic disorder"))
    botulinum_toxin = _optional(_("Botulinum toxin"), TreatmentHistory, _HISTORY_WORDS)
    last_botulinum_toxin = forms.DateField(label=_("Last botulinum toxin injection"),
                                           required=False, widget=_DATE)
    orthopaedic_surgery = _optional(_("Orthopaedic surgery"), TreatmentHistory, _HISTORY_WORDS)
    last_orthopaedic_surgery = forms.DateField(label=_("Last orthopaedic operation"),
                                               required=False, widget=_DATE)
    prior_cell_therapy = _yes_no(_("Cell therapy before"))
    previous_multilevel_surgery = _yes_no(_("Multilevel orthopaedic surgery before"))

    def payload(self) -> dict[str, Any]:
        return {name: (value.isoformat() if hasattr(value, "isoformat") else value or None)
                for name, value in self.cleaned_data.items()
                if name not in ("assessed_on", "context")}


FORMS: dict[Instrument, type[AssessmentForm]] = {form.instrument: form for form in (
    GmfcsForm, MacsForm, CfcsForm, EdacsForm, MasForm, TardieuForm, Gmfm88Form, Gmfm66Form,
    RangeOfMotionForm, StrengthForm, SelectiveMotorControlForm, HipMigrationForm, MriForm,
    EpilepsyForm, HistoryForm)}
INSTRUMENT_LABELS = dict(InstrumentChoices.choices)


class TeamNoteForm(forms.Form):
    body = forms.CharField(label=_("Your note for the review"), widget=forms.Textarea(
        attrs={"rows": 4}), max_length=10_000)


class EnteredInErrorForm(forms.Form):
    """The care team's reason for marking an assessment entered in error (core checks it)."""

    reason = forms.CharField(
        label=_("Why was this assessment entered in error?"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: wrong date typed, recorded for the wrong child, recorded "
                    "twice. The assessment stays on record, struck through with this reason; "
                    "record the right one again as a new assessment."))


def _rule_set_choices() -> list[tuple[str, str]]:
    """Every released rule set by its title in the reader's language (when drawn)."""
    return [(rule_set.id, rule_set_title(rule_set)) for rule_set in available_rule_sets()]


class CandidacyForm(forms.Form):
    """Which rule set to run (only those of released versions); the latest SDR one first."""

    rule_set = forms.ChoiceField(label=_("Treatment"), choices=_rule_set_choices,
                                 initial=lambda: latest_rule_set("sdr").id)


class SignForm(forms.Form):
    rule_set = forms.ChoiceField(widget=forms.HiddenInput, choices=[
        (rule_set.id, rule_set.id) for rule_set in available_rule_sets()])
    signature = forms.ChoiceField(label=_("Your decision"), choices=Signature.choices,
                                  widget=forms.RadioSelect)
    override_outcome = forms.ChoiceField(label=_("Outcome, if you override"), required=False,
                                         choices=[("", "—"), *_codes(
                                             Outcome, {o.value: w for o, w in
                                                       OUTCOME_LABELS.items()})])
    override_reason = forms.CharField(label=_("Written reason, if you override"),
                                      required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                      max_length=4000)


def _zones() -> list[tuple[str, object]]:
    """Every time zone by name in the reader's language (evaluated when the form is drawn)."""
    return [("", _("Choose a time zone")), *time_zone_choices()]


class TimeZoneField(forms.ChoiceField):
    """A time zone chosen by name from a list (CLDR names), never typed; checked against
    the system's time-zone database (zoneinfo) as well as the list."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_zones, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            try:
                check_time_zone(value, field="time_zone")
            except InvalidValue:
                raise forms.ValidationError(_("Choose a time zone from the list."),
                                            code="invalid_choice") from None


class ConsultationForm(forms.Form):
    local_start = forms.DateTimeField(label=_("Start (clinic time)"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    clinic_time_zone = TimeZoneField(label=_("Clinic's time zone"), initial=DEFAULT_CLINIC_ZONE)
    family_time_zone = TimeZoneField(label=_("Family's time zone"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=45)
    meeting_url = forms.CharField(label=_("Meeting link (https)"), max_length=500)


class SlotForm(forms.Form):
    """One consultation slot, or the same time each week for a few weeks."""

    local_start = forms.DateTimeField(
        label=_("Start (clinic time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    clinic_time_zone = TimeZoneField(label=_("Clinic's time zone"), initial=DEFAULT_CLINIC_ZONE)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), initial=30,
        help_text=format_lazy(_("From {low} to {high} minutes."), low=MIN_SLOT_MINUTES,
                              high=MAX_SLOT_MINUTES))
    weeks = forms.IntegerField(
        label=_("Repeat weekly for how many weeks"), initial=1, min_value=1,
        max_value=MAX_SERIES_WEEKS,
        help_text=_("1 for a single slot. The time stays the same on the clinic's clock when "
                    "summer time starts or ends."))
    meeting_url = forms.CharField(label=_("Meeting link (https)"), max_length=500)
    case = forms.TypedChoiceField(
        label=_("Offer to"), required=False, coerce=int, empty_value=None,
        help_text=_("Every family whose care team you are on, or one case only."))

    def __init__(self, *args: Any, cases: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", _("Every family on my cases")), *cases]  # type: ignore[attr-defined]


class SlotChoiceForm(forms.Form):
    """The slot a family books or moves to, and the time zone they saw it in."""

    slot = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    time_zone = TimeZoneField(widget=forms.HiddenInput)


class FamilyTimeZoneForm(forms.Form):
    """The time zone a family sees consultation times in."""

    time_zone = TimeZoneField(label=_("Your time zone"))


class WithdrawSlotForm(forms.Form):
    slot = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ConsultationNotesForm(forms.Form):
    notes = forms.CharField(label=_("Consultation notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000)
