"""Rule set ``phillips-park-v1``: cut for grade 3+ or 4+ on the spec's spread scale.

Source: the recording spec (``../shared/specs/rootlet-recording.md``, "Grades" and
"Suggestions"), after Phillips and Park's grading of EMG responses to tetanic rootlet
stimulation. A train's grade is the furthest spread of a sustained response; candidate
grades default to 3+ and 4+ and are configurable per session (``candidate_grades``).
"""

from __future__ import annotations

from stride.core.rootlets.config import AnalysisConfig
from stride.core.rootlets.features import StimulationMeasurement
from stride.core.rootlets.grading.base import (
    Assessment,
    RuleSet,
    describe,
    magnitude,
    spread_grade,
    sustained_responses,
)
from stride.core.rootlets.montage import Montage

NAME = "phillips-park-v1"


def assess(measurement: StimulationMeasurement, montage: Montage,
           config: AnalysisConfig) -> Assessment:
    """Grade one train; it meets the criterion when its grade is a candidate grade."""
    responses = sustained_responses(measurement, montage)
    grade = spread_grade(responses)
    wanted = " or ".join(g.value for g in config.candidate_grades)
    meets = grade in config.candidate_grades
    verdict = "meets" if meets else "does not meet"
    return Assessment(
        grade=grade,
        meets_criterion=meets,
        evidence=f"grade {grade} {verdict} the cut criterion ({wanted}): {describe(responses)}",
        magnitude_v=magnitude(responses),
    )


RULE_SET = RuleSet(
    name=NAME,
    citation="Recording spec (rootlet-recording.md), after Phillips and Park's grading of "
             "responses to tetanic stimulation.",
    criterion="grade 3+ or 4+ (configurable: candidate_grades)",
    assess=assess,
)
