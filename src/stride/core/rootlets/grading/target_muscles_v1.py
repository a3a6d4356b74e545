"""Rule set ``target-muscles-v1``: cut for a sustained response in a target muscle.

Source: the target-muscle approach of Xiao's group (Shanghai; ``clinical-reference.md``,
verified): target muscles are those with preoperative Modified Ashworth ≥ 2, and rootlets
whose stimulation drives them are the ones to cut. The surgeon names the target muscles
per session (``target_muscles``: channel labels such as ``GAS-L``); there is no default.
The reported grade is the spec's spread scale, unchanged.
"""

from __future__ import annotations

from stride.core.rootlets.config import AnalysisConfig
from stride.core.rootlets.errors import RuleSetError
from stride.core.rootlets.grading.base import RuleSet, Train, assessor, describe
from stride.core.rootlets.montage import SPHINCTER_LABEL, Montage
from stride.core.rootlets.reasons import Explanation, Why, explain

NAME = "target-muscles-v1"


def check(montage: Montage, config: AnalysisConfig) -> None:
    """Refuse a session without target muscles, or with targets not in the montage."""
    if not config.target_muscles:
        raise RuleSetError(
            f"Rule set {NAME} needs the surgeon's target muscles: set target_muscles in the "
            "session config to channel labels such as [\"GAS-L\", \"ADD-R\"] (muscles with "
            "preoperative Modified Ashworth ≥ 2)."
        )
    unknown = [t for t in config.target_muscles if t not in montage or t == SPHINCTER_LABEL]
    if unknown:
        allowed = [label for label in montage.labels if label != SPHINCTER_LABEL]
        raise RuleSetError(
            f"Rule set {NAME}: target muscle(s) {', '.join(unknown)} are not leg channels of "
            f"the montage; choose from {', '.join(allowed)}."
        )


def criterion(train: Train, _montage: Montage,
              config: AnalysisConfig) -> tuple[bool, Explanation]:
    """Met with a sustained response in one of the surgeon's target muscles."""
    targets = set(config.target_muscles)
    hits = [r for r in train.responses if r.label in targets]
    if hits:
        return True, explain(Why.TARGET_REACHED, responses=describe(hits))
    return False, explain(Why.TARGET_NOT_REACHED, targets=tuple(sorted(targets)))


RULE_SET = RuleSet(
    name=NAME,
    citation="Xiao's group (Shanghai): target muscles are those with preoperative Modified "
             "Ashworth ≥ 2; rootlets driving them are cut.",
    criterion="sustained response in a surgeon-chosen target muscle",
    assess=assessor(criterion),
    check=check,
)
