"""The claims check on the seeds' figures: "96%" and "74.5% to 79.5%"."""

from __future__ import annotations

import pytest

from stride.core.errors import InvalidValue
from stride.core.registry.claims import (
    ClaimCheck,
    ReasonCode,
    check_claim,
    parse_claim,
)
from stride.core.registry.report import WindowColumns
from tests.core.registry.windows_builder import columns, window

SEED_RATE = "the total improvement rate is 96%"
SEED_RANGE = "74.5% to 79.5% of children gained improvements"

# GMFCS II from 3 to 4 years: the Shanghai curve expects
# 62.4 × (10^(−3/2.7) − 10^(−4/2.7)) = 62.4 × (0.077426 − 0.033000) = 2.7722 points.
EXPECTED_II_3_TO_4 = 62.4 * (10 ** (-3 / 2.7) - 10 ** (-4 / 2.7))


def _registry() -> WindowColumns:
    """20 SDR and 10 untreated children at GMFCS II, 3 → 4 years, GMFM-66 CI ± 1.5.

    SDR: 19 of 20 rise (95% "improve"), by 1 to 6 points; only the 3 rising by 5 or 6
    points beat expected + measurement error (2.7722 + 2.1213 = 4.89). Untreated: 8 of
    10 rise.
    """
    sdr_gains = [1, 2, 3, 2, 3, 4, 1, 2, 3, 2, 3, 4, 1, 2, 3, 5, 2, 6, 6, -1]
    untreated_gains = [1, 2, 3, 2, 1, 3, 2, 4, 0, -1]
    rows = [window(i, gmfcs=2, age_from=3, age_to=4, baseline=40, follow_up=40 + g)
            for i, g in enumerate(sdr_gains)]
    rows += [window(100 + i, kind="untreated", gmfcs=2, age_from=3, age_to=4, baseline=40,
                    follow_up=40 + g) for i, g in enumerate(untreated_gains)]
    return columns(*rows)


def _codes(check: ClaimCheck) -> list[ReasonCode]:
    return [reason.code for reason in check.reasons]


def test_seed_claims_are_parsed() -> None:
    rate = parse_claim(SEED_RATE)
    assert (rate.low_percent, rate.high_percent, rate.treatment, rate.horizon_months) == (
        96.0, 96.0, None, None)
    ranged = parse_claim(SEED_RANGE)
    assert (ranged.low_percent, ranged.high_percent, ranged.treatment) == (74.5, 79.5, None)


@pytest.mark.parametrize(("text", "treatment", "months"), [
    ("96% improved after SDR", "sdr", None),
    ("96 % improved 12 months after selective dorsal rhizotomy", "sdr", 12),
    ("Stem cells: 80 percent better at two years", "cell-therapy", 24),
    ("70% walk better 6 months after Botox", "botulinum-toxin", 6),
    ("90% better after rehabilitation, 36 months", "rehabilitation", None),
    ("85,5% improved after orthopaedic surgery", "orthopaedic-surgery", None),
])
def test_treatment_and_time_frame_words(text: str, treatment: str, months: int | None) -> None:
    claim = parse_claim(text)
    assert (claim.treatment, claim.horizon_months) == (treatment, months)


@pytest.mark.parametrize("text", ["", "   ", "most children improved after SDR",
                                  "120% improved", "9" * 301 + "%"])
def test_claims_without_a_usable_percentage_are_refused(text: str) -> None:
    with pytest.raises(InvalidValue) as error:
        parse_claim(text)
    assert error.value.field == "claim"


def test_96_percent_after_sdr_against_the_registry() -> None:
    check = check_claim(parse_claim("96% improved after SDR"), _registry(),
                        reference="shanghai-2012")
    assert [h.horizon_months for h in check.horizons] == [6, 12, 24]
    assert check.principal_months == 12
    (at_12,) = [h for h in check.horizons if h.horizon_months == 12]
    treated, comparison = at_12.treated, at_12.comparison
    assert treated.n == 20
    assert treated.any_gain is not None
    assert treated.any_gain.successes == 19
    assert treated.any_gain.share == pytest.approx(0.95)
    # Observed rise beyond measurement error alone (> 2.1213): 10 of 20 (3 ×5, 4 ×2, 5, 6 ×2).
    assert treated.gain_beyond_error is not None
    assert treated.gain_beyond_error.successes == 10
    # Excess beyond error: gain − 2.7722 > 2.1213, i.e. gain > 4.8935: 5, 6, 6: 3 of 20,
    # Wilson 95% (0.0524, 0.3604).
    assert treated.excess_beyond_error is not None
    assert treated.excess_beyond_error.successes == 3
    assert treated.excess_beyond_error.low == pytest.approx(0.0524, abs=1e-4)
    assert treated.excess_beyond_error.high == pytest.approx(0.3604, abs=1e-4)
    assert treated.mean_expected == pytest.approx(EXPECTED_II_3_TO_4)
    assert pytest.approx(2.7722, abs=1e-4) == EXPECTED_II_3_TO_4
    assert treated.mean_observed == pytest.approx(54 / 20)
    assert comparison.n == 10
    assert comparison.any_gain is not None
    assert comparison.any_gain.successes == 8
    assert _codes(check) == [
        ReasonCode.NO_DENOMINATOR, ReasonCode.NO_TIME_FRAME, ReasonCode.GAIN_EXPECTED,
        ReasonCode.IMPROVED_UNDEFINED, ReasonCode.UNTREATED_ALSO_GAIN,
        ReasonCode.ABOVE_SUPPORTED,
    ]
    above = check.reasons[-1]
    assert above.figures["claimed"] == 96.0
    assert above.figures["high"] == pytest.approx(36.04, abs=1e-2)


def test_seed_range_is_judged_from_its_lower_end_across_all_treatments() -> None:
    check = check_claim(parse_claim(SEED_RANGE), _registry(), reference="shanghai-2012")
    codes = _codes(check)
    assert ReasonCode.NO_TREATMENT_NAMED in codes
    # 74.5% is still above the upper Wilson bound (36.0%) of gain beyond the expected.
    assert ReasonCode.ABOVE_SUPPORTED in codes
    untreated = next(r for r in check.reasons if r.code is ReasonCode.UNTREATED_ALSO_GAIN)
    assert untreated.figures["share"] == pytest.approx(80.0)


def test_a_claim_naming_its_horizon_is_checked_there_only() -> None:
    check = check_claim(parse_claim("96% improved 12 months after SDR"), _registry(),
                        reference="shanghai-2012")
    assert [h.horizon_months for h in check.horizons] == [12]
    assert ReasonCode.NO_TIME_FRAME not in _codes(check)


def test_too_few_children_cannot_check_the_claim() -> None:
    few = columns(*(window(i) for i in range(3)))
    check = check_claim(parse_claim("96% improved after SDR"), few, reference="shanghai-2012")
    assert _codes(check)[-1] is ReasonCode.TOO_FEW_CHILDREN
    assert all(h.treated.suppressed and h.treated.n in (None, 0) for h in check.horizons)
    empty = check_claim(parse_claim("96% improved after SDR"), WindowColumns.empty(),
                        reference="shanghai-2012")
    assert _codes(empty)[-1] is ReasonCode.TOO_FEW_CHILDREN
