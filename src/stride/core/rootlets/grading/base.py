"""What a grading rule set is, and the spread measurement every rule set shares.

A rule set grades each train on the spec's spread scale (``0`` … ``4+``) and says whether
the train meets its *cut criterion*. The rule sets differ in that criterion:
``phillips-park-v1`` cuts for grades 3+ and 4+, ``spread-only-v1`` for contralateral or
rostral spread, ``target-muscles-v1`` for a sustained response in a chosen target muscle.
Guards, ranking and budget (:mod:`stride.core.rootlets.selection`) are the same for all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from stride.core.rootlets.config import AnalysisConfig
from stride.core.rootlets.features import Response, StimulationMeasurement
from stride.core.rootlets.grades import GRADE_OF_SPREAD, Grade, Spread, spread_of
from stride.core.rootlets.montage import Montage
from stride.core.rootlets.reasons import Explanation, Why, explain


@dataclass(frozen=True, slots=True)
class Assessment:
    """A rule set's verdict on one train.

    Attributes
    ----------
    grade
        Spread grade of the train.
    meets_criterion
        Whether the train meets the rule set's cut criterion.
    evidence
        Which responses led to the grade and the verdict.
    magnitude_v
        Sum over sided channels with a sustained response of their RMS, volts (the spec's
        "response magnitude" used to rank candidates).
    """

    grade: Grade
    meets_criterion: bool
    evidence: Explanation
    magnitude_v: float


def _no_prerequisites(_montage: Montage, _config: AnalysisConfig) -> None:
    return None


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A named, versioned grading rule set.

    Attributes
    ----------
    name
        Code with its version, e.g. ``phillips-park-v1``; a changed rule is a new name.
    citation
        Source of the rule.
    criterion
        The cut criterion in words.
    assess
        Grade one train and judge it against the criterion.
    check
        Raise :class:`~stride.core.rootlets.errors.RuleSetError` if the session lacks what
        the rule set needs (e.g. target muscles).
    """

    name: str
    citation: str
    criterion: str
    assess: Callable[[StimulationMeasurement, Montage, AnalysisConfig], Assessment]
    check: Callable[[Montage, AnalysisConfig], None] = _no_prerequisites


@dataclass(frozen=True, slots=True)
class SustainedResponse:
    """A sided channel with a sustained response, and where it lies."""

    label: str
    spread: Spread
    rms_v: float


def sustained_responses(measurement: StimulationMeasurement,
                        montage: Montage) -> list[SustainedResponse]:
    """Sided channels with a sustained response to ``measurement``'s train.

    Channels without a side (the sphincter) are left out: they feed the sphincter guard,
    not the spread scale.
    """
    rootlet = measurement.stimulation.rootlet
    found: list[SustainedResponse] = []
    for channel in measurement.channels:
        if channel.response is not Response.SUSTAINED or channel.rms_v is None:
            continue
        spread = spread_of(montage.channel(channel.label), rootlet)
        if spread is not None:
            found.append(SustainedResponse(channel.label, spread, channel.rms_v))
    return found


def spread_grade(responses: list[SustainedResponse]) -> Grade:
    """Spec grade: the furthest spread category with a sustained response (0 for none)."""
    return max((GRADE_OF_SPREAD[r.spread] for r in responses), key=lambda g: g.rank,
               default=Grade.G0)


def describe(responses: list[SustainedResponse]) -> Explanation:
    """``"sustained response in TA-L (segmental), GAS-L (distant)"``, or
    ``"no sustained response"``."""
    if not responses:
        return explain(Why.NO_SUSTAINED_RESPONSE)
    return explain(Why.SUSTAINED_RESPONSES, items=tuple(
        explain(Why.RESPONSE_IN, channel=r.label, spread=r.spread.value) for r in responses))


def magnitude(responses: list[SustainedResponse]) -> float:
    """Sum of the sustained responses' RMS, volts."""
    return float(sum(r.rms_v for r in responses))


@dataclass(frozen=True, slots=True)
class Train:
    """What a cut criterion looks at: one train's sustained responses and its grade."""

    measurement: StimulationMeasurement
    responses: list[SustainedResponse]
    grade: Grade


#: A cut criterion: (train, montage, config) -> (met?, the evidence).
Criterion = Callable[[Train, Montage, AnalysisConfig], tuple[bool, Explanation]]


def assessor(criterion: Criterion,
             ) -> Callable[[StimulationMeasurement, Montage, AnalysisConfig], Assessment]:
    """Build a rule set's ``assess`` from its cut criterion; grading and magnitude are shared."""

    def assess(measurement: StimulationMeasurement, montage: Montage,
               config: AnalysisConfig) -> Assessment:
        responses = sustained_responses(measurement, montage)
        train = Train(measurement, responses, spread_grade(responses))
        meets, evidence = criterion(train, montage, config)
        return Assessment(train.grade, meets, evidence, magnitude(responses))

    return assess
