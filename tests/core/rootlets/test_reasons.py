"""Reason codes of the rootlet engine: every code has its English sentence and units."""

from __future__ import annotations

import string

from stride.core.rootlets.reasons import TEMPLATES, Why, explain


def test_every_code_has_a_template() -> None:
    assert set(TEMPLATES) == set(Why)


def test_numbers_carry_the_decimals_of_their_unit_and_codes_read_as_words() -> None:
    reason = explain(Why.SPHINCTER_RESPONSE, channel="ANAL", amplitude_uv=25.04,
                     guard_uv=20.0, mode="single", onset_s=12.3456)
    assert reason.text == ("sphincter-related: ANAL response 25.0 µV peak-to-peak (above "
                           "20.0 µV) to the single pulse at 12.346 s")
    assert str(reason) == reason.text


def test_nested_reasons_and_lists_are_written_out() -> None:
    responses = explain(Why.SUSTAINED_RESPONSES, items=(
        explain(Why.RESPONSE_IN, channel="TA-L", spread="segmental"),
        explain(Why.RESPONSE_IN, channel="GAS-R", spread="contralateral")))
    verdict = explain(Why.GRADE_MEETS_CRITERION, grade="4+", wanted=("3+", "4+"),
                      responses=responses)
    assert verdict.text == ("grade 4+ meets the cut criterion (3+ or 4+): sustained response "
                            "in TA-L (segmental), GAS-R (contralateral)")
    unchecked = explain(Why.REVIEW_GUARD_UNCHECKED, guards=(
        explain(Why.VENTRAL_NO_SEARCH), explain(Why.SPHINCTER_NO_CHANNEL, channel="ANAL")))
    assert "(no single stimulation); sphincter guard" in unchecked.text


def test_templates_name_only_parameters_the_engine_gives() -> None:
    fields = {name for template in TEMPLATES.values()
              for _, name, _, _ in string.Formatter().parse(template) if name}
    # Every unit-bearing field follows the suffix convention the web layer formats by.
    assert {name for name in fields if name.endswith(("_uv", "_ma", "_s"))} >= {
        "amplitude_uv", "guard_uv", "floor_uv", "threshold_ma", "guard_ma", "onset_s"}
