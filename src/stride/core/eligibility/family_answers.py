"""From what a family answers on the inquiry form to the facts the candidacy engine reads.

The inquiry form asks what a family can know: the type of cerebral palsy in their own words,
how their child moves about (a GMFCS *estimate* from short, neutral descriptions), seizures,
hydrocephalus, previous treatments with dates, goals. :func:`facts_from_family_answers`
turns those answers into :class:`~.facts.Facts` for the family self-check.

An answer of "I don't know" leaves the fact absent (unknown), never "no": the engine then
asks for it instead of guessing. A family's lay words for the type of CP become at most a
*provisional* subtype (:func:`stride.core.classification.provisional_subtype`), which a
clinician must confirm; when the words do not point to one subtype the fact stays absent.

Months between dates are calendar-accurate to a day: days / (365.25 / 12).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from stride.core.classification import (
    LayLabel,
    ProvisionalSubtype,
    ScpeSubtype,
    provisional_subtype,
)
from stride.core.eligibility.catalogue import latest_rule_set
from stride.core.eligibility.facts import (
    NEVER,
    Epilepsy,
    Fact,
    Facts,
    Goal,
    Hydrocephalus,
    MonthsSince,
)
from stride.core.eligibility.model import RuleSet
from stride.core.errors import InvalidValue
from stride.core.pathway import Programme
from stride.core.scales.common import DAYS_PER_MONTH, DAYS_PER_YEAR


class GmfcsEstimate(StrEnum):
    """A family's estimate of the GMFCS level (the value is the level, or ``dont-know``)."""

    LEVEL_1 = "1"
    LEVEL_2 = "2"
    LEVEL_3 = "3"
    LEVEL_4 = "4"
    LEVEL_5 = "5"
    DONT_KNOW = "dont-know"


class AffectedSides(StrEnum):
    """Which side of the body stiffness affects, in the family's words."""

    ONE_SIDE = "one-side"
    BOTH_SIDES = "both-sides"
    DONT_KNOW = "dont-know"


#: For spastic CP, the SCPE split is by sides: unilateral (one side of the body) or
#: bilateral (both sides). A family who says "spastic" and which sides gives a provisional
#: subtype; it is still for a clinician to confirm.
_SPASTIC_BY_SIDES: Final[Mapping[AffectedSides, ScpeSubtype]] = MappingProxyType({
    AffectedSides.ONE_SIDE: ScpeSubtype.SPASTIC_UNILATERAL,
    AffectedSides.BOTH_SIDES: ScpeSubtype.SPASTIC_BILATERAL,
})


class SeizureAnswer(StrEnum):
    """Whether the child has ever had seizures and, if so, whether they are controlled."""

    NEVER = "never"
    CONTROLLED = "controlled"
    NOT_CONTROLLED = "not-controlled"
    DONT_KNOW = "dont-know"


class HydrocephalusAnswer(StrEnum):
    """Whether the child has hydrocephalus and whether it is treated with a shunt."""

    NO = "no"
    SHUNT = "shunt"
    NO_SHUNT = "no-shunt"
    DONT_KNOW = "dont-know"


class PreviousTreatment(StrEnum):
    """A treatment the form asks about."""

    BOTULINUM_TOXIN = "botulinum-toxin"
    ORTHOPAEDIC_SURGERY = "orthopaedic-surgery"
    SDR = "sdr"
    BACLOFEN_PUMP = "baclofen-pump"
    CELL_THERAPY = "cell-therapy"


class TreatmentHistory(StrEnum):
    """Whether the child has had a treatment."""

    NEVER = "never"
    HAD = "had"
    DONT_KNOW = "dont-know"


@dataclass(frozen=True, slots=True)
class TreatmentAnswer:
    """One previous treatment: had it or not, and when the last one was (if known)."""

    history: TreatmentHistory
    last: date | None = None

    def __post_init__(self) -> None:
        if self.last is not None and self.history is not TreatmentHistory.HAD:
            raise InvalidValue("last", self.last.isoformat(),
                               "no date unless the child had the treatment")


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


_UNKNOWN_TREATMENT: Final = TreatmentAnswer(TreatmentHistory.DONT_KNOW)


@dataclass(frozen=True, slots=True)
class FamilyAnswers:
    """The inquiry form's clinical answers, as the family gave them.

    Attributes
    ----------
    date_of_birth
        The child's date of birth.
    lay_cp_type
        The type of CP in the family's words.
    gmfcs_estimate
        The family's estimate of the GMFCS level.
    seizures, last_seizure
        Seizure history; the date of the last seizure, when known (only with seizures).
    hydrocephalus
        Hydrocephalus and shunt.
    treatments
        Previous treatments; a treatment left out is "don't know".
    goals
        What the family hopes treatment will help with (empty: not said).
    affected_sides
        For spastic CP, one side of the body or both (ignored for other lay labels).
    """

    date_of_birth: date
    lay_cp_type: LayLabel
    gmfcs_estimate: GmfcsEstimate
    seizures: SeizureAnswer
    hydrocephalus: HydrocephalusAnswer
    last_seizure: date | None = None
    treatments: Mapping[PreviousTreatment, TreatmentAnswer] = field(default_factory=dict)
    goals: tuple[Goal, ...] = ()
    affected_sides: AffectedSides = AffectedSides.DONT_KNOW

    def __post_init__(self) -> None:
        if self.last_seizure is not None and self.seizures in (SeizureAnswer.NEVER,
                                                               SeizureAnswer.DONT_KNOW):
            raise InvalidValue("last_seizure", self.last_seizure.isoformat(),
                               "no date unless the child has had seizures")
        object.__setattr__(self, "treatments", MappingProxyType(dict(self.treatments)))

    def to_json(self) -> dict[str, object]:
        """Return the answers as JSON-ready data (dates as ISO text, codes as strings).

        The provisional subtype is included with its candidates and the flag that a
        clinician must confirm it.
        """
        provisional = self.provisional_subtype
        return {
            "date_of_birth": self.date_of_birth.isoformat(),
            "lay_cp_type": self.lay_cp_type.value,
            "affected_sides": self.affected_sides.value,
            "provisional_subtype": {
                "subtype": None if provisional.subtype is None else provisional.subtype.value,
                "candidates": [subtype.value for subtype in provisional.candidates],
                "needs_clinician_confirmation": provisional.needs_clinician_confirmation,
            },
            "gmfcs_estimate": self.gmfcs_estimate.value,
            "seizures": self.seizures.value,
            "last_seizure": _iso(self.last_seizure),
            "hydrocephalus": self.hydrocephalus.value,
            "treatments": {
                kind.value: {
                    "history": self.treatment(kind).history.value,
                    "last": _iso(self.treatment(kind).last),
                }
                for kind in PreviousTreatment
            },
            "goals": [goal.value for goal in self.goals],
        }

    def treatment(self, kind: PreviousTreatment) -> TreatmentAnswer:
        """Return the answer about ``kind`` ("don't know" when it was not answered)."""
        return self.treatments.get(kind, _UNKNOWN_TREATMENT)

    @property
    def provisional_subtype(self) -> ProvisionalSubtype:
        """The subtype the family's words suggest, flagged for a clinician to confirm.

        "Spastic" alone names no subtype; with the sides affected it names one.
        """
        provisional = provisional_subtype(self.lay_cp_type)
        by_sides = _SPASTIC_BY_SIDES.get(self.affected_sides)
        if self.lay_cp_type is LayLabel.SPASTIC and by_sides is not None:
            return ProvisionalSubtype(lay_label=self.lay_cp_type, subtype=by_sides,
                                      candidates=(by_sides,))
        return provisional


#: The rule set the self-check of each programme uses (the latest released version).
_RULE_SET_NAMES: Final[Mapping[Programme, str]] = MappingProxyType({
    Programme.SDR: "sdr",
    Programme.CELL_THERAPY: "cell-therapy-investigational",
})

#: Programmes a family can ask about through the inquiry form: every programme.
INQUIRY_PROGRAMMES: Final[tuple[Programme, ...]] = tuple(Programme)

#: Programmes whose inquiries get a self-check: those with a released candidacy rule set.
#: Rehabilitation has none (``../shared/clinical-reference.md`` gives no selection criteria
#: for it, and none is invented here), so its inquiries get no self-check: the family is
#: told that the team reads their answers.
SELF_CHECK_PROGRAMMES: Final[tuple[Programme, ...]] = tuple(_RULE_SET_NAMES)

#: The facts the inquiry form asks the family about (:func:`facts_from_family_answers` sets
#: no other). A fact a rule needs outside this set is one the team finds out itself; the
#: family self-check says so instead of asking for it (``family_view(asked=...)``).
FORM_ASKS: Final[frozenset[Fact]] = frozenset({
    Fact.AGE_YEARS, Fact.SCPE_SUBTYPE, Fact.GMFCS, Fact.EPILEPSY, Fact.SEIZURE_FREE_MONTHS,
    Fact.HYDROCEPHALUS, Fact.PRIOR_CELL_THERAPY, Fact.MONTHS_SINCE_BOTULINUM_TOXIN,
    Fact.MONTHS_SINCE_ORTHOPAEDIC_SURGERY, Fact.GOALS,
})


def rule_set_for(programme: Programme) -> RuleSet:
    """Return the rule set the family self-check uses for ``programme``.

    Raises
    ------
    InvalidValue
        For a programme without a self-check (see :data:`SELF_CHECK_PROGRAMMES`).
    """
    name = _RULE_SET_NAMES.get(programme)
    if name is None:
        raise InvalidValue("programme", programme.value,
                           [p.value for p in SELF_CHECK_PROGRAMMES])
    return latest_rule_set(name)


def has_self_check(programme: Programme) -> bool:
    """Whether inquiries about ``programme`` get a family self-check."""
    return programme in _RULE_SET_NAMES


def elapsed_years(earlier: date, later: date) -> float:
    """Return the years elapsed from ``earlier`` to ``later``: days ÷ 365.25, to 2 decimals.

    The rule sets' ages are stated in these decimal years; completed years of life are
    :func:`stride.core.ages.age_in_years`.

    Raises
    ------
    InvalidValue
        If ``earlier`` is after ``later``.
    """
    return round(_days(earlier, later, "date_of_birth") / DAYS_PER_YEAR, 2)


def elapsed_months(earlier: date, later: date, *, field: str = "date") -> float:
    """Return the months elapsed from ``earlier`` to ``later``: days ÷ 30.44, to 1 decimal.

    For intervals such as "seizure-free for 12 months", where every month must weigh the
    same; completed calendar months (ages, bands) are :func:`stride.core.ages.completed_months`.

    Raises
    ------
    InvalidValue
        If ``earlier`` is after ``later`` (a date in the future); the message names ``field``.
    """
    return round(_days(earlier, later, field) / DAYS_PER_MONTH, 1)


def _days(earlier: date, later: date, field: str) -> int:
    days = (later - earlier).days
    if days < 0:
        raise InvalidValue(field, earlier.isoformat(), f"a date on or before {later.isoformat()}")
    return days


_EPILEPSY: Final[Mapping[SeizureAnswer, Epilepsy]] = MappingProxyType({
    SeizureAnswer.NEVER: Epilepsy.NONE,
    SeizureAnswer.CONTROLLED: Epilepsy.CONTROLLED,
    SeizureAnswer.NOT_CONTROLLED: Epilepsy.UNCONTROLLED,
})
_HYDROCEPHALUS: Final[Mapping[HydrocephalusAnswer, Hydrocephalus]] = MappingProxyType({
    HydrocephalusAnswer.NO: Hydrocephalus.NONE,
    HydrocephalusAnswer.SHUNT: Hydrocephalus.SHUNTED,
    HydrocephalusAnswer.NO_SHUNT: Hydrocephalus.UNTREATED,
})


def _months_since(answer: TreatmentAnswer, today: date, field: str) -> MonthsSince | None:
    if answer.history is TreatmentHistory.NEVER:
        return NEVER
    if answer.history is TreatmentHistory.HAD and answer.last is not None:
        return elapsed_months(answer.last, today, field=field)
    return None  # had it but the date is unknown, or "don't know": unknown


def facts_from_family_answers(answers: FamilyAnswers, *, today: date) -> Facts:
    """Return the facts the family's answers establish; "don't know" stays absent.

    Parameters
    ----------
    answers
        The form's clinical answers.
    today
        The date the answers were given (ages and intervals are counted to it).

    Returns
    -------
    Facts
        Age; the provisional subtype when the lay words point to exactly one; the GMFCS
        estimate; epilepsy and months seizure-free; hydrocephalus; months since botulinum
        toxin and orthopaedic surgery (or ``"never"``); prior cell therapy; goals.

    Raises
    ------
    InvalidValue
        For a date of birth or treatment/seizure date after ``today``, or a seizure or
        treatment date before the date of birth.
    """
    dob = answers.date_of_birth
    for name, when in (("last_seizure", answers.last_seizure),
                       *((kind.value, answers.treatment(kind).last)
                         for kind in PreviousTreatment)):
        if when is not None and when < dob:
            raise InvalidValue(name, when.isoformat(), f"a date on or after {dob.isoformat()}")
    seizure_free = (
        elapsed_months(answers.last_seizure, today, field="last_seizure")
        if answers.last_seizure is not None and answers.seizures is SeizureAnswer.CONTROLLED
        else None
    )
    cell_therapy = answers.treatment(PreviousTreatment.CELL_THERAPY).history
    gmfcs = answers.gmfcs_estimate
    return Facts(
        age_years=elapsed_years(dob, today),
        scpe_subtype=answers.provisional_subtype.subtype,
        gmfcs=None if gmfcs is GmfcsEstimate.DONT_KNOW else int(gmfcs.value),
        epilepsy=_EPILEPSY.get(answers.seizures),
        seizure_free_months=seizure_free,
        hydrocephalus=_HYDROCEPHALUS.get(answers.hydrocephalus),
        prior_cell_therapy=(None if cell_therapy is TreatmentHistory.DONT_KNOW
                            else cell_therapy is TreatmentHistory.HAD),
        months_since_botulinum_toxin=_months_since(
            answers.treatment(PreviousTreatment.BOTULINUM_TOXIN), today,
            PreviousTreatment.BOTULINUM_TOXIN.value),
        months_since_orthopaedic_surgery=_months_since(
            answers.treatment(PreviousTreatment.ORTHOPAEDIC_SURGERY), today,
            PreviousTreatment.ORTHOPAEDIC_SURGERY.value),
        goals=answers.goals or None,
    )
