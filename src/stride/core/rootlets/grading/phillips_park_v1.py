"""Rule set ``phillips-park-v1``: cut for grade 3+ or 4+ on the spec's spread scale.

Source: the recording spec (``../shared/specs/rootlet-recording.md``, "Grades" and
"Suggestions"), after Phillips and Park's grading of EMG responses to tetanic rootlet
stimulation. A train's grade is the furthest spread of a sustained response; candidate
grades default to 3+ and 4+ and are configurable per session (``candidate_grades``).
"""

from __future__ import annotations

from stride.core.rootlets.config import AnalysisConfig
from stride.core.rootlets.grading.base import RuleSet, Train, assessor, describe
from stride.core.rootlets.montage import Montage
from stride.core.rootlets.reasons import Explanation, Why, explain

NAME = "phillips-park-v1"


def criterion(train: Train, _montage: Montage,
              config: AnalysisConfig) -> tuple[bool, Explanation]:
    """Met when the train's grade is a candidate grade."""
    meets = train.grade in config.candidate_grades
    code = Why.GRADE_MEETS_CRITERION if meets else Why.GRADE_MISSES_CRITERION
    return meets, explain(code, grade=train.grade.value,
                          wanted=tuple(g.value for g in config.candidate_grades),
                          responses=describe(train.responses))


RULE_SET = RuleSet(
    name=NAME,
    citation="Recording spec (rootlet-recording.md), after Phillips and Park's grading of "
             "responses to tetanic stimulation.",
    criterion="grade 3+ or 4+ (configurable: candidate_grades)",
    assess=assessor(criterion),
)
