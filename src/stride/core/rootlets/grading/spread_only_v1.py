"""Rule set ``spread-only-v1``: cut only for contralateral or rostral spread.

Source: Steinbok 1995 (``clinical-reference.md``, verified): cutting only rootlets whose
stimulation spread to contralateral or suprasegmental muscles reduced the share of roots
cut from 66 % to 52 %. *Rostral* (suprasegmental) spread here is a sustained response in
a same-side muscle supplied only by roots above the stimulated one. The reported grade is
the spec's spread scale, unchanged; only the cut criterion differs.
"""

from __future__ import annotations

from stride.core.rootlets.config import AnalysisConfig
from stride.core.rootlets.features import StimulationMeasurement
from stride.core.rootlets.grades import Spread, is_rostral
from stride.core.rootlets.grading.base import (
    Assessment,
    RuleSet,
    describe,
    magnitude,
    spread_grade,
    sustained_responses,
)
from stride.core.rootlets.montage import Montage

NAME = "spread-only-v1"


def assess(measurement: StimulationMeasurement, montage: Montage,
           _config: AnalysisConfig) -> Assessment:
    """Grade one train; it meets the criterion with contralateral or rostral spread."""
    responses = sustained_responses(measurement, montage)
    root = measurement.stimulation.rootlet.root
    spreading = [
        r for r in responses
        if r.spread is Spread.CONTRALATERAL
        or (r.spread is not Spread.SEGMENTAL and is_rostral(montage.channel(r.label), root))
    ]
    grade = spread_grade(responses)
    if spreading:
        evidence = f"contralateral or rostral spread: {describe(spreading)}"
    else:
        evidence = (f"no contralateral or rostral spread (grade {grade}: "
                    f"{describe(responses)})")
    return Assessment(
        grade=grade,
        meets_criterion=bool(spreading),
        evidence=evidence,
        magnitude_v=magnitude(responses),
    )


RULE_SET = RuleSet(
    name=NAME,
    citation="Steinbok P et al., 1995: cutting only for contralateral or suprasegmental "
             "spread reduced roots cut from 66 % to 52 %.",
    criterion="sustained response in a contralateral muscle or a same-side muscle supplied "
              "only by roots rostral to the stimulated one",
    assess=assess,
)
