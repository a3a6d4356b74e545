"""Forms for each episode kind: parse the input; validation is core's.

Each form turns its cleaned data into the keyword arguments of its service
(:meth:`EpisodeForm.service_kwargs`) and maps core's problem fields (``"trial_id"``,
``"administrations.1.dose"``) back to its own field names (:meth:`EpisodeForm.field_for`),
so every problem is shown next to its field.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from stride.core.anatomy import Side
from stride.core.treatment import episodes as core
from stride.web.ionm.models import RootletSession
from stride.web.patients.models import Case

ROWS = 3
DATE = forms.DateInput(attrs={"type": "date"})


#: Core's codes in words, for every choice the episode forms offer (a code is never shown).
CODE_WORDS: dict[str, Any] = {
    core.Route.LUMBAR_PUNCTURE.value: _("Lumbar puncture (intrathecal)"),
    core.Route.INTRAVENOUS.value: _("Intravenous"),
    core.Route.STEREOTACTIC.value: _("Stereotactic (into the brain)"),
    core.Relatedness.UNRELATED.value: _("Unrelated to the treatment"),
    core.Relatedness.UNLIKELY.value: _("Unlikely to be related"),
    core.Relatedness.POSSIBLE.value: _("Possibly related"),
    core.Relatedness.PROBABLE.value: _("Probably related"),
    core.Relatedness.DEFINITE.value: _("Certainly related"),
    core.EventOutcome.RECOVERED.value: _("Recovered"),
    core.EventOutcome.RECOVERING.value: _("Recovering"),
    core.EventOutcome.NOT_RECOVERED.value: _("Not recovered"),
    core.EventOutcome.RECOVERED_WITH_SEQUELAE.value: _("Recovered with lasting effects"),
    core.EventOutcome.FATAL.value: _("Fatal"),
    core.EventOutcome.UNKNOWN.value: _("Not known"),
    Side.LEFT.value: _("Left"),
    Side.RIGHT.value: _("Right"),
}


def _choices(enum: type[StrEnum], *, blank: bool = True) -> list[tuple[str, Any]]:
    """``(code, words)`` of each member; a code without words (a grade such as the
    Clavien–Dindo "IIIa", whose name is its code) is shown as it is written."""
    return ([("", "—")] if blank else []) + [(m.value, CODE_WORDS.get(m.value, m.value))
                                             for m in enum]


def _enum(enum: type[Any], value: str) -> Any:
    return enum(value) if value else None


class EpisodeForm(forms.Form):
    """Base: the service's keyword arguments and the field of a core problem.

    ``case`` is the case the episode is recorded on (forms that offer the case's own
    records, such as its rootlet sessions, need it). Every date input offers only the
    days from the child's birth to today (core checks the same, and says so next to the
    field when a date outside is sent anyway).
    """

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.bound_dates()

    def bound_dates(self) -> None:
        """Give every date input the child's date of birth and today as its bounds."""
        first, last = self.case.patient.date_of_birth, timezone.localdate()
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget.attrs.update(min=first.isoformat(), max=last.isoformat())

    def service_kwargs(self) -> dict[str, Any]:
        """Return the cleaned data as the service's keyword arguments."""
        return dict(self.cleaned_data)

    def field_for(self, problem_field: str) -> str | None:
        """Return this form's field for core's ``problem_field`` (``None``: the whole form)."""
        name = problem_field.replace(".", "_")
        return name if name in self.fields else None


class _SessionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: RootletSession) -> str:
        """A rootlet session as the team knows it: when it started, who operated, status."""
        return " · ".join((
            date_format(timezone.localtime(obj.started_at), "SHORT_DATETIME_FORMAT"),
            obj.surgeon.get_full_name() or obj.surgeon.get_username(),
            str(obj.get_status_display()),
        ))


#: The SDR approaches in words (core's codes are never shown).
APPROACH_NAMES: dict[core.SdrApproach, Any] = {
    core.SdrApproach.SINGLE_LEVEL: _("Single-level laminectomy (conus)"),
    core.SdrApproach.MULTI_LEVEL: _("Multi-level laminectomy"),
}
#: Body sides in words, for the count grid's labels.
SIDE_NAMES: dict[Side, Any] = {Side.LEFT: _("left"), Side.RIGHT: _("right")}


class SdrForm(EpisodeForm):
    """An SDR: the level of exposure (the laminectomy) apart from the roots tested and cut.

    After a single-level (conus) laminectomy every root L1–S2 is reached through the one
    opening, so roots are counted whatever the exposed level; after a multi-level one a
    root is counted only at an exposed level (core checks both, see ``SdrApproach``).
    """

    operated_on = forms.DateField(label=_("Date of the operation"), required=False, widget=DATE)
    surgeon = forms.CharField(label=_("Surgeon"), required=False, max_length=200)
    approach = forms.ChoiceField(
        label=_("Approach"), required=False,
        choices=[("", "—")] + [(a.value, APPROACH_NAMES[a]) for a in core.SdrApproach],
        help_text=_("Single-level: one laminectomy where the spinal cord ends (the conus); "
                    "every lumbosacral root is tested through it. Multi-level: each root is "
                    "reached at its own level."))
    levels_exposed = forms.CharField(
        label=_("Level of exposure (laminectomy)"), required=False,
        help_text=_("Single-level: the one level opened, for example L1. Multi-level: each "
                    "level opened, separated by commas, for example L2, L3, L4, L5, S1."))
    rootlet_session = _SessionChoiceField(
        label=_("Operating-room rootlet session"), required=False,
        queryset=RootletSession.objects.none(),
        help_text=_("The session monitored in Stride during this operation, if any."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this case's sessions are offered; the service checks again.
        field = self.fields["rootlet_session"]
        assert isinstance(field, _SessionChoiceField)  # noqa: S101 (declared below)
        field.queryset = RootletSession.objects.filter(case=self.case).select_related("surgeon")
        # The team's counts per root and side (the session's log keeps the detail).
        for root in core.SDR_ROOTS:
            for side in Side:
                names = {"root": root, "side": SIDE_NAMES[side]}
                for what, label in (
                        ("tested", _("Root %(root)s, %(side)s: rootlets tested")),
                        ("cut", _("Root %(root)s, %(side)s: rootlets cut"))):
                    self.fields[f"count_{root}_{side.value}_{what}"] = forms.IntegerField(
                        label=label % names, required=False, min_value=0)
        self._count_fields: list[str] = []

    def exposure_fields(self) -> list[forms.BoundField]:
        """Return the fields above the grid: date, surgeon, approach, exposure, session."""
        return [self[name] for name in self.fields if not name.startswith("count_")]

    def root_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Return the grid "Roots tested and cut": each root with its four count fields
        (left tested, left cut, right tested, right cut)."""
        return [(root, [self[f"count_{root}_{side.value}_{what}"] for side in Side
                        for what in ("tested", "cut")]) for root in core.SDR_ROOTS]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        counts, self._count_fields = [], []
        for level in core.SDR_ROOTS:
            for side in Side:
                tested = data.get(f"count_{level}_{side.value}_tested")
                cut = data.get(f"count_{level}_{side.value}_cut")
                if tested is None and cut is None:
                    continue
                counts.append(core.RootletCount(level, side, tested or 0, cut or 0))
                self._count_fields.append(f"count_{level}_{side.value}_cut")
        return {
            "operated_on": data["operated_on"], "surgeon": data["surgeon"],
            "approach": _enum(core.SdrApproach, data["approach"]),
            "levels_exposed": [p for p in data["levels_exposed"].replace(";", ",").split(",")
                               if p.strip()],
            "counts": counts,
            "rootlet_session": data["rootlet_session"],
        }

    def field_for(self, problem_field: str) -> str | None:
        if problem_field.startswith("counts."):
            return self._count_fields[int(problem_field.split(".")[1])]
        return super().field_for(problem_field)


class CellTherapyForm(EpisodeForm):
    trial_id = forms.CharField(label=_("Trial registration id"), required=False, max_length=40)
    ethics_reference = forms.CharField(label=_("Ethics approval reference"), required=False,
                                       max_length=200)
    cell_type = forms.CharField(label=_("Cell type"), required=False, max_length=200)
    cell_source = forms.CharField(label=_("Cell source"), required=False, max_length=200)
    protocol_visit_days = forms.CharField(
        label=_("Protocol follow-up visits (days after the first administration)"),
        required=False, help_text=_("As the trial protocol gives them, e.g. 30, 90, 180."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(ROWS):
            number = row + 1
            self.fields[f"administrations_{row}_given_on"] = forms.DateField(
                label=_("Administration %(n)s: date") % {"n": number}, required=False,
                widget=DATE)
            self.fields[f"administrations_{row}_route"] = forms.ChoiceField(
                label=_("Administration %(n)s: route") % {"n": number}, required=False,
                choices=_choices(core.Route))
            self.fields[f"administrations_{row}_dose"] = forms.FloatField(
                label=_("Administration %(n)s: dose") % {"n": number}, required=False)
            self.fields[f"administrations_{row}_dose_unit"] = forms.CharField(
                label=_("Administration %(n)s: dose unit") % {"n": number}, required=False,
                max_length=40)
        self.bound_dates()

    def clean_protocol_visit_days(self) -> list[int]:
        text = self.cleaned_data["protocol_visit_days"]
        try:
            return [int(p) for p in text.replace(";", ",").split(",") if p.strip()]
        except ValueError:
            raise forms.ValidationError(_(
                "Enter whole numbers of days separated by commas, for example 30, 90, 180."),
            ) from None

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        rows = []
        for row in range(ROWS):
            values = [data.get(f"administrations_{row}_{f}") for f in
                      ("given_on", "route", "dose", "dose_unit")]
            if not any(values):
                continue  # an empty row is not an administration
            rows.append(core.Administration(given_on=values[0],
                                            route=_enum(core.Route, values[1] or ""),
                                            dose=values[2], dose_unit=values[3] or ""))
        return {k: data[k] for k in ("trial_id", "ethics_reference", "cell_type",
                                     "cell_source", "protocol_visit_days")} | {
            "administrations": rows}

    def field_for(self, problem_field: str) -> str | None:
        if problem_field in {"research_consent", "programme"}:
            return None
        if problem_field == "administrations":
            return "administrations_0_given_on"
        return super().field_for(problem_field)


class RehabilitationForm(EpisodeForm):
    therapy_type = forms.CharField(label=_("Type of therapy"), required=False, max_length=200)
    hours_per_week = forms.FloatField(label=_("Hours per week"), required=False)
    starts_on = forms.DateField(label=_("Start date"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("End date"), required=False, widget=DATE,
                              help_text=_("Leave empty while the block goes on."))


class BotulinumToxinForm(EpisodeForm):
    given_on = forms.DateField(label=_("Date"), required=False, widget=DATE)
    product = forms.CharField(label=_("Product"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(ROWS * 2):
            number = row + 1
            self.fields[f"injections_{row}_muscle"] = forms.CharField(
                label=_("Injection %(n)s: muscle") % {"n": number}, required=False,
                max_length=100)
            self.fields[f"injections_{row}_side"] = forms.ChoiceField(
                label=_("Injection %(n)s: side") % {"n": number}, required=False,
                choices=_choices(Side))
            self.fields[f"injections_{row}_units"] = forms.FloatField(
                label=_("Injection %(n)s: units") % {"n": number}, required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        rows = []
        for row in range(ROWS * 2):
            muscle, side, units = (data.get(f"injections_{row}_{f}") for f in
                                   ("muscle", "side", "units"))
            if muscle or side or units is not None:
                rows.append(core.Injection(muscle or "", _enum(Side, side or ""), units))
        return {"given_on": data["given_on"], "product": data["product"], "injections": rows}

    def field_for(self, problem_field: str) -> str | None:
        if problem_field == "injections":
            return "injections_0_muscle"
        return super().field_for(problem_field)


class OrthopaedicSurgeryForm(EpisodeForm):
    operated_on = forms.DateField(label=_("Date of the operation"), required=False, widget=DATE)
    surgeon = forms.CharField(label=_("Surgeon"), required=False, max_length=200)
    procedures = forms.CharField(label=_("Procedures"), required=False, widget=forms.Textarea)


class AdmissionForm(EpisodeForm):
    admitted_on = forms.DateField(label=_("Admitted on"), required=False, widget=DATE)
    discharged_on = forms.DateField(label=_("Discharged on"), required=False, widget=DATE,
                                    help_text=_("Leave empty while the child is in hospital."))


class AdverseEventForm(EpisodeForm):
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea)
    onset_on = forms.DateField(label=_("Date of onset"), required=False, widget=DATE,
                               help_text=_("On or after the first day of the episode."))
    resolved_on = forms.DateField(label=_("Date of resolution"), required=False, widget=DATE,
                                  help_text=_("Leave empty while the event has not resolved."))
    grade = forms.TypedChoiceField(label=_("Grade (1–5)"), required=False, coerce=int,
                                   empty_value=None,
                                   choices=[("", "—")] + [(str(g), str(g)) for g in range(1, 6)])
    relatedness = forms.ChoiceField(label=_("Relatedness to the treatment"), required=False,
                                    choices=_choices(core.Relatedness))
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=_choices(core.EventOutcome))
    clavien_dindo = forms.ChoiceField(
        label=_("Clavien–Dindo grade (after surgery only)"), required=False,
        choices=_choices(core.ClavienDindo),
        help_text=_("Dindo D, Demartines N, Clavien PA. Ann Surg 2004;240:205–213."))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"description": data["description"], "onset_on": data["onset_on"],
                "grade": data["grade"],
                "relatedness": _enum(core.Relatedness, data["relatedness"]),
                "outcome": _enum(core.EventOutcome, data["outcome"]),
                "clavien_dindo": _enum(core.ClavienDindo, data["clavien_dindo"]),
                "resolved_on": data["resolved_on"]}


class EnteredInErrorForm(forms.Form):
    """The care team's reason for marking an episode entered in error (core checks it)."""

    reason = forms.CharField(
        label=_("Why was this episode entered in error?"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: wrong date typed, recorded for the wrong child, recorded "
                    "twice. The episode stays on record, struck through with this reason; "
                    "record the right one again as a new episode."))


#: The form of each episode kind, by the kind's code in the URL.
EPISODE_FORMS: dict[str, type[EpisodeForm]] = {
    core.EpisodeKind.SDR.value: SdrForm,
    core.EpisodeKind.CELL_THERAPY.value: CellTherapyForm,
    core.EpisodeKind.REHABILITATION.value: RehabilitationForm,
    core.EpisodeKind.BOTULINUM_TOXIN.value: BotulinumToxinForm,
    core.EpisodeKind.ORTHOPAEDIC_SURGERY.value: OrthopaedicSurgeryForm,
    core.EpisodeKind.ADMISSION.value: AdmissionForm,
}
