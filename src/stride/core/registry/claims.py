"""The claims check: what a bare "96% improved after treatment X" hides, from the registry.

A published claim such as "the total improvement rate is 96%" or "74.5% to 79.5% of
children gained improvements" counts every child whose score went up. Children with CP
gain gross-motor function with age whatever is done, and any two measurements differ by
measurement error, so such a share says almost nothing about the treatment.

:func:`parse_claim` reads the percentage (or range), the treatment word and the time
frame from the claim's text; :func:`check_claim` returns what the registry supports for
that treatment at each horizon: the share with any observed gain (what a bare
"improved" counts), the share whose observed gain beats the measurement error, the share
whose *excess over the expected gain* beats it (each with a Wilson 95% interval), the
mean expected and observed gain and the mean excess with its 95% CI, and the same for
the untreated comparison group; and reason codes (:class:`ReasonCode`) saying why the
bare percentage misleads. Small cells (n < 5) are suppressed as everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from stride.core.errors import InvalidValue
from stride.core.natural_history.catalogue import get_reference
from stride.core.natural_history.model import ReferenceSet
from stride.core.outcomes import MIN_CELL, CohortOutcomes, Verdict
from stride.core.registry.report import (
    HORIZONS_MONTHS,
    UNTREATED,
    WindowColumns,
    analyse,
)
from stride.core.statistics import MeanCI, Proportion, mean_ci95, wilson_interval

#: Longest claim text accepted (a sentence, not a paper).
MAX_CLAIM_LENGTH = 300

CLAIM_ALLOWED = (
    'a sentence with a percentage or a range of percentages, such as "96% improved after '
    'SDR" or "74.5% to 79.5% of children gained improvements", at most '
    f"{MAX_CLAIM_LENGTH} characters"
)

#: Words naming each treatment (anchor kind code), matched as whole words, lower case.
TREATMENT_WORDS: Mapping[str, tuple[str, ...]] = {
    "sdr": ("sdr", "rhizotomy", "selective dorsal rhizotomy"),
    "cell-therapy": ("stem cell", "stem cells", "stem-cell", "cell therapy", "cell therapies",
                     "cell transplantation"),
    "botulinum-toxin": ("botulinum", "botox", "btx", "btx-a", "toxin"),
    "orthopaedic-surgery": ("orthopaedic", "orthopedic", "osteotomy", "tendon lengthening",
                            "sems", "multilevel surgery"),
    "rehabilitation": ("rehabilitation", "rehab", "physiotherapy", "physical therapy"),
}

_NUMBER = r"(\d{1,3}(?:[.,]\d+)?)"
_RANGE = re.compile(_NUMBER + r"\s*%?\s*(?:to|–|—|-)\s*" + _NUMBER + r"\s*%")
_PERCENT = re.compile(_NUMBER + r"\s*(?:%|per\s*cent|percent)", re.IGNORECASE)
_MONTHS = re.compile(r"\b(\d{1,2})\s*(?:-\s*)?months?\b")
_YEARS = re.compile(r"\b(one|two|1|2)\s*(?:-\s*)?years?\b")
_YEAR_MONTHS = {"one": 12, "1": 12, "two": 24, "2": 24}


class ReasonCode(StrEnum):
    """Why a bare percentage misleads; the value is the stable code (the web words it)."""

    #: A percentage alone gives no number of children and no interval.
    NO_DENOMINATOR = "no-denominator"
    #: The reference curves expect a gain over the same time without any treatment.
    GAIN_EXPECTED = "gain-expected"
    #: "Improved" counts any rise, also one within the measurement error.
    IMPROVED_UNDEFINED = "improved-undefined"
    #: Children of the untreated comparison group "improve" too.
    UNTREATED_ALSO_GAIN = "untreated-also-gain"
    #: The claimed share is above the registry's interval for gain beyond the expected.
    ABOVE_SUPPORTED = "above-supported"
    #: The claim names no time frame: figures are shown at every horizon.
    NO_TIME_FRAME = "no-time-frame"
    #: The claim names no treatment: figures are for all treatments together.
    NO_TREATMENT_NAMED = "no-treatment-named"
    #: Fewer than five analysable children: the registry cannot check the claim.
    TOO_FEW_CHILDREN = "too-few-children"


@dataclass(frozen=True, slots=True)
class Claim:
    """A parsed claim.

    Attributes
    ----------
    text
        The claim as entered (stripped).
    low_percent, high_percent
        The claimed share in percent; equal unless a range was claimed.
    treatment
        Anchor kind code of the treatment named (``None``: none named, all treatments).
    horizon_months
        The time frame named, when it is one of the registry's horizons (6, 12, 24).
    """

    text: str
    low_percent: float
    high_percent: float
    treatment: str | None
    horizon_months: int | None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _treatment(lowered: str) -> str | None:
    for code, words in TREATMENT_WORDS.items():
        if any(re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", lowered) for word in words):
            return code
    return None


def _horizon(lowered: str) -> int | None:
    months = _MONTHS.search(lowered)
    if months is not None:
        value = int(months.group(1))
        return value if value in HORIZONS_MONTHS else None
    years = _YEARS.search(lowered)
    return _YEAR_MONTHS[years.group(1)] if years is not None else None


def parse_claim(text: str) -> Claim:
    """Return the claim read from ``text``.

    Raises
    ------
    InvalidValue
        Field ``claim``: empty or too long, no percentage, or a percentage above 100.
    """
    stripped = " ".join(text.split())
    if not stripped or len(stripped) > MAX_CLAIM_LENGTH:
        raise InvalidValue("claim", stripped[:40], CLAIM_ALLOWED)
    lowered = stripped.lower()
    ranged = _RANGE.search(lowered)
    if ranged is not None:
        low, high = sorted((_number(ranged.group(1)), _number(ranged.group(2))))
    else:
        single = _PERCENT.search(lowered)
        if single is None:
            raise InvalidValue("claim", stripped[:40], CLAIM_ALLOWED)
        low = high = _number(single.group(1))
    if high > 100:
        raise InvalidValue("claim", f"{high:g}%", "percentages from 0 to 100")
    return Claim(stripped, low, high, _treatment(lowered), _horizon(lowered))


# --------------------------------------------------------------------------- check


@dataclass(frozen=True, slots=True)
class ArmFigures:
    """What the registry shows for one arm at one horizon; figures ``None`` when suppressed.

    Attributes
    ----------
    n
        Analysable children (both scores, a GMFCS level); ``None`` when 1–4.
    any_gain
        Share with any observed rise (follow-up above baseline): what "improved" counts.
    gain_beyond_error
        Share whose observed rise beats the measurement error (among those with one).
    excess_beyond_error
        Share whose excess over the expected gain beats the measurement error.
    mean_observed, mean_expected
        Mean observed and expected (reference curve) change, GMFM-66 points.
    mean_excess
        Mean excess with its 95% CI.
    """

    n: int | None
    any_gain: Proportion | None = None
    gain_beyond_error: Proportion | None = None
    excess_beyond_error: Proportion | None = None
    mean_observed: float | None = None
    mean_expected: float | None = None
    mean_excess: MeanCI | None = None

    @property
    def suppressed(self) -> bool:
        """Whether the arm has too few children to show (none at all, or 1–4)."""
        return self.any_gain is None


@dataclass(frozen=True, slots=True)
class HorizonCheck:
    """The treated arm and the comparison group at one horizon."""

    horizon_months: int
    treated: ArmFigures
    comparison: ArmFigures


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason the bare percentage misleads, with the figures its wording needs."""

    code: ReasonCode
    figures: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """What the registry supports for a claim.

    Attributes
    ----------
    claim
        The parsed claim.
    reference
        Reference set of the expected change, ``name@version``.
    horizons
        The claim's horizon, or every horizon when it named none.
    principal_months
        The horizon the reasons quote: the claim's, else the one with most children.
    reasons
        Why the bare percentage misleads, most fundamental first.
    """

    claim: Claim
    reference: str
    horizons: tuple[HorizonCheck, ...]
    principal_months: int
    reasons: tuple[Reason, ...]


def _share(successes: npt.NDArray[np.bool_], min_cell: int) -> Proportion | None:
    n = int(successes.size)
    return wilson_interval(int(np.count_nonzero(successes)), n) if n >= min_cell else None


def _figures(outcomes: CohortOutcomes, min_cell: int) -> ArmFigures:
    n = len(outcomes)
    if n < min_cell:
        return ArmFigures(n=None if n else 0)
    determined = outcomes.verdict != Verdict.UNDETERMINED.value
    threshold = outcomes.threshold[determined]
    return ArmFigures(
        n=n,
        any_gain=_share(outcomes.observed > 0, min_cell),
        gain_beyond_error=_share(outcomes.observed[determined] > threshold, min_cell),
        excess_beyond_error=_share(
            outcomes.verdict[determined] == Verdict.ABOVE.value, min_cell
        ),
        mean_observed=float(outcomes.observed.mean()),
        mean_expected=float(outcomes.expected.mean()),
        mean_excess=mean_ci95(outcomes.excess),
    )


def _reasons(claim: Claim, principal: HorizonCheck) -> tuple[Reason, ...]:
    treated, comparison = principal.treated, principal.comparison
    months = float(principal.horizon_months)
    reasons = [Reason(ReasonCode.NO_DENOMINATOR, {"claimed": claim.high_percent})]
    if claim.horizon_months is None:
        reasons.append(Reason(ReasonCode.NO_TIME_FRAME))
    if claim.treatment is None:
        reasons.append(Reason(ReasonCode.NO_TREATMENT_NAMED))
    if treated.mean_expected is None or treated.any_gain is None:
        reasons.append(Reason(ReasonCode.TOO_FEW_CHILDREN, {"months": months}))
        return tuple(reasons)
    if treated.mean_expected > 0:
        reasons.append(Reason(ReasonCode.GAIN_EXPECTED,
                              {"months": months, "expected": treated.mean_expected}))
    beyond = treated.excess_beyond_error
    if beyond is not None and treated.any_gain.share > beyond.share:
        reasons.append(Reason(ReasonCode.IMPROVED_UNDEFINED, {
            "any_gain": 100 * treated.any_gain.share, "beyond": 100 * beyond.share}))
    if comparison.any_gain is not None:
        reasons.append(Reason(ReasonCode.UNTREATED_ALSO_GAIN, {
            "months": months, "share": 100 * comparison.any_gain.share,
            "n": float(comparison.any_gain.n)}))
    if beyond is not None and claim.low_percent > 100 * beyond.high:
        reasons.append(Reason(ReasonCode.ABOVE_SUPPORTED, {
            "claimed": claim.low_percent, "low": 100 * beyond.low, "high": 100 * beyond.high}))
    return tuple(reasons)


def check_claim(
    claim: Claim,
    columns: WindowColumns,
    *,
    reference: ReferenceSet | str,
    min_cell: int = MIN_CELL,
) -> ClaimCheck:
    """Return what the registry's windows ``columns`` support for ``claim``.

    ``columns`` holds the registry's windows (any anchor kinds): the claim's treatment
    (every treatment when it names none) is the treated arm, ``untreated`` windows the
    comparison group.
    """
    ref = get_reference(reference) if isinstance(reference, str) else reference
    untreated = columns.anchor_kind == UNTREATED
    treated = (~untreated if claim.treatment is None
               else columns.anchor_kind == claim.treatment)
    months_list = (claim.horizon_months,) if claim.horizon_months else HORIZONS_MONTHS
    checks = []
    for months in months_list:
        at = columns.horizon_months == months
        arms = [_figures(analyse(columns, at & members, ref, min_cell=min_cell).outcomes,
                         min_cell) for members in (treated, untreated)]
        checks.append(HorizonCheck(months, arms[0], arms[1]))
    principal = max(checks, key=lambda c: (c.treated.n or 0, -c.horizon_months))
    return ClaimCheck(
        claim=claim,
        reference=ref.key,
        horizons=tuple(checks),
        principal_months=principal.horizon_months,
        reasons=_reasons(claim, principal),
    )
