"""Rule set ``spread-only-v1``: cut only for contralateral or rostral spread.

Source: Steinbok 1995 (``clinical-reference.md``, verified): cutting only rootlets whose
stimulation spread to contralateral or suprasegmental muscles reduced the share of roots
cut from 66 % to 52 %. *Rostral* (suprasegmental) spread here is a sustained response in
a same-side muscle supplied only by roots above the stimulated one. The reported grade is
the spec's spread scale, unchanged; only the cut criterion differs.
"""

from __future__ import annotations

from stride.core.rootlets.config import AnalysisConfig
from stride.core.rootlets.grades import Spread, is_rostral
from stride.core.rootlets.grading.base import RuleSet, Train, assessor, describe
from stride.core.rootlets.montage import Montage
from stride.core.rootlets.reasons import Explanation, Why, explain

NAME = "spread-only-v1"


def criterion(train: Train, montage: Montage,
              _config: AnalysisConfig) -> tuple[bool, Explanation]:
    """Met with a sustained response in a contralateral or a rostral muscle."""
    root = train.measurement.stimulation.rootlet.root
    spreading = [
        r for r in train.responses
        if r.spread is Spread.CONTRALATERAL
        or (r.spread is not Spread.SEGMENTAL and is_rostral(montage.channel(r.label), root))
    ]
    if spreading:
        return True, explain(Why.SPREAD_FOUND, responses=describe(spreading))
    return False, explain(Why.SPREAD_NOT_FOUND, grade=train.grade.value,
                          responses=describe(train.responses))


RULE_SET = RuleSet(
    name=NAME,
    citation="Steinbok P et al., 1995: cutting only for contralateral or suprasegmental "
             "spread reduced roots cut from 66 % to 52 %.",
    criterion="sustained response in a contralateral muscle or a same-side muscle supplied "
              "only by roots rostral to the stimulated one",
    assess=assessor(criterion),
)
