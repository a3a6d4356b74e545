"""Every engine code reaches the surgeon in words: the translated twin of core's reasons."""

from __future__ import annotations

import dataclasses
import string

from django.utils import translation

from stride.core.rootlets.config import AnalysisConfig
from stride.core.rootlets.reasons import TEMPLATES, WORDS, Why, explain
from stride.core.rootlets.selection import RootletFlag, Suggestion
from stride.web.ionm.wording import (
    CONFIG_LABELS,
    FLAG_WORDS,
    PARAMETER_WORDS,
    REASON_WORDING,
    SUGGESTION_WORDS,
    reason_text,
    setting_rows,
)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_reason_code_has_a_translatable_sentence_with_the_same_placeholders() -> None:
    assert set(REASON_WORDING) == set(Why)
    for code, template in TEMPLATES.items():
        assert _placeholders(str(REASON_WORDING[code])) == _placeholders(template), code


def test_every_coded_word_and_setting_has_its_words() -> None:
    assert set(SUGGESTION_WORDS) == set(Suggestion)
    assert set(FLAG_WORDS) == set(RootletFlag)
    assert {name: set(words) for name, words in PARAMETER_WORDS.items()} == {
        name: set(words) for name, words in WORDS.items()}
    assert set(CONFIG_LABELS) == {field.name for field in dataclasses.fields(AnalysisConfig)}


def test_the_english_twin_reads_as_core_does() -> None:
    reason = explain(Why.PROTECTED_BY_GUARD, guard=explain(
        Why.SPHINCTER_RESPONSE, channel="ANAL", amplitude_uv=25.04, guard_uv=20.0,
        mode="single", onset_s=12.3456))
    with translation.override("en"):
        assert reason_text(reason) == reason.text


def test_settings_read_in_words_and_units() -> None:
    rows = dict(setting_rows(AnalysisConfig().as_dict()))
    with translation.override("en"):
        rows = dict(setting_rows(AnalysisConfig().as_dict()))
    assert rows["Sphincter guard (anal sphincter response)"] == "20 µV"
    assert rows["Share of pulses with a response for a sustained response"] == "80 %"
    assert rows["Largest chance that noise passes one combined test"] == "0.1 %"
    assert rows["Trains judged on the combined evidence of their pulses"] == "yes"
    assert rows["Grades that make a cut candidate"] == "3+, 4+"
    assert rows["Target muscles"] == "none"
