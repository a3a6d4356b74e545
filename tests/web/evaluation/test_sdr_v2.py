"""sdr-v2 on the web: the two new form fields, the candidacy page in words, its wording twins."""

from __future__ import annotations

import html
import re
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import translation

from stride.core.eligibility.catalogue import available_rule_sets, get_rule_set
from stride.core.eligibility.facts import Fact
from stride.core.eligibility.reasons import FACT_LABELS as CORE_FACT_WORDS
from stride.core.eligibility.reasons import VALUE_LABELS
from stride.web.evaluation.forms import CandidacyForm
from stride.web.evaluation.models import Assessment
from stride.web.evaluation.wording import (
    FACT_WORDS,
    RULE_POLICY_WORDING,
    RULE_SET_TITLES,
    VALUE_WORDS,
    number_text,
    rule_policy_text,
    rule_set_title,
)
from tests.conftest import Cast

TODAY = "2025-06-01"  # the cast's child was born on 2019-05-17

#: Codes that must never reach the page (fact names, coded values, Python flags).
RAW_CODES = ("spastic-bilateral", "leg_spasticity_mas", "leg_selective_motor_control",
             "previous_multilevel_surgery", "significant_scoliosis", "hip_migration_percent",
             "leg_strength_mrc_mean", "MriFinding", "MasGrade", "True", "False", "never")
LONG_FLOAT = re.compile(r"\d[.,]\d{3,}")


def _post(client: Client, cast: Cast, instrument: str, data: dict[str, Any]) -> Any:
    return client.post(reverse("evaluation:assessment", args=[cast.case_a.pk, instrument]),
                       {"assessed_on": TODAY, "context": "remote", **data})


def _record_sdr_v2_facts(client: Client, cast: Cast) -> None:
    client.force_login(cast.clinician_a)
    for instrument, data in (
        ("gmfcs", {"level": "2"}),
        ("mas", {"mas__hamstrings__left": "1+", "mas__hip-adductors__right": "2"}),
        ("selective-motor-control", {"left": "6", "right": "7", "overall": "limited"}),
        ("history", {"scpe_subtype": "spastic-bilateral", "dystonia": "mild",
                     "significant_scoliosis": "false", "orthopaedic_surgery": "never",
                     "previous_multilevel_surgery": "false"}),
        # 7 leg grades with a mean of 24/7 = 3.4285714...: never shown that long.
        ("strength", {"mrc__hip-flexors__left": "4", "mrc__hip-flexors__right": "3",
                      "mrc__knee-extensors__left": "4", "mrc__knee-extensors__right": "3",
                      "mrc__knee-flexors__left": "3", "mrc__knee-flexors__right": "4",
                      "mrc__ankle-dorsiflexors__left": "3"}),
        ("hip-migration", {"left_percent": "12.5", "right_percent": "32.96"}),
        ("mri", {"findings": ["pvl"]}),
    ):
        assert _post(client, cast, instrument, data).status_code == 302, instrument


def _visible_text(page: str) -> str:
    """The page's text as a reader sees it (no tags, scripts or styles; entities decoded)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_new_fields_are_stored_in_their_payloads(evaluating: Cast, client: Client) -> None:
    _record_sdr_v2_facts(client, evaluating)
    smc = Assessment.objects.get(instrument="selective-motor-control")
    history = Assessment.objects.get(instrument="history")
    assert smc.data["overall"] == "limited"
    assert history.data["previous_multilevel_surgery"] is False


def test_the_judgement_and_the_surgery_stay_optional(evaluating: Cast, client: Client) -> None:
    client.force_login(evaluating.clinician_a)
    assert _post(client, evaluating, "selective-motor-control",
                 {"left": "6", "right": "7", "overall": ""}).status_code == 302
    assert _post(client, evaluating, "history", {"dystonia": "none"}).status_code == 302
    assert "overall" not in Assessment.objects.get(instrument="selective-motor-control").data
    assert "previous_multilevel_surgery" not in Assessment.objects.get(instrument="history").data
    response = _post(client, evaluating, "selective-motor-control",
                     {"left": "6", "right": "7", "overall": "excellent"})
    assert response.status_code == 400
    assert "overall" in response.context["form"].errors


def test_candidacy_under_sdr_v2_is_in_words(evaluating: Cast, client: Client) -> None:
    _record_sdr_v2_facts(client, evaluating)
    with translation.override("en"):
        page = client.get(reverse("evaluation:candidacy", args=[evaluating.case_a.pk]),
                          {"rule_set": "sdr-v2"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = _visible_text(page.text)
    assert "<" not in text  # no enum repr such as (<MriFinding.PVL: 'pvl'>,)
    assert "'>" not in text
    for code in RAW_CODES:
        assert not re.search(rf"\b{re.escape(code)}\b", text), code
    assert not LONG_FLOAT.search(text), LONG_FLOAT.search(text)
    assert "Programme policy" in text
    assert text.count("Programme policy:") == len(
        [rule for rule in get_rule_set("sdr-v2").rules if rule.policy])
    assert "bilateral spastic" in text  # the subtype in words, in facts and reasons
    assert "MRC 3.4 " in text  # the mean leg strength as the grade is read
    assert "32.96%" in text  # not rounded up to the 33% limit it is compared with
    assert "periventricular leukomalacia" in text
    assert "Selective motor control in the legs is judged limited, not good." in text
    assert 'data-rule="selective-motor-control" data-verdict="caution"' in page.text


def test_an_outsider_gets_a_404_for_the_sdr_v2_page(evaluating: Cast, client: Client) -> None:
    client.force_login(evaluating.clinician_b)
    url = reverse("evaluation:candidacy", args=[evaluating.case_a.pk])
    assert client.get(url, {"rule_set": "sdr-v2"}).status_code == 404
    client.force_login(evaluating.guardian_a)
    assert client.get(url, {"rule_set": "sdr-v2"}).status_code in (403, 404)


def test_the_page_offers_the_latest_sdr_rule_set_first() -> None:
    assert CandidacyForm()["rule_set"].value() == "sdr-v2"
    with translation.override("en"):
        assert dict(CandidacyForm().fields["rule_set"].choices)["sdr-v2"] == (
            get_rule_set("sdr-v2").title)


def test_every_twin_matches_core_in_english() -> None:
    with translation.override("en"):
        assert {fact: str(words) for fact, words in FACT_WORDS.items()} == dict(CORE_FACT_WORDS)
        assert set(FACT_WORDS) == set(Fact)
        assert {name: {code: str(w) for code, w in words.items()}
                for name, words in VALUE_WORDS.items()} == {
            name: dict(words) for name, words in VALUE_LABELS.items()}
        assert set(RULE_SET_TITLES) == {rule_set.id for rule_set in available_rule_sets()}
        policies = {(rule_set.id, rule.id): rule.policy for rule_set in available_rule_sets()
                    for rule in rule_set.rules if rule.policy}
        assert set(RULE_POLICY_WORDING) == set(policies)
        for (rule_set_id, rule_id), policy in policies.items():
            assert rule_policy_text(get_rule_set(rule_set_id), rule_id) == policy
        for rule_set in available_rule_sets():
            assert rule_set_title(rule_set) == rule_set.title


def test_numbers_are_written_as_their_measure_is_read() -> None:
    with translation.override("en"):
        assert number_text("leg_strength_mrc_mean", 24 / 7) == "3.4"
        assert number_text("age_years", 6.041067761806981) == "6"
        assert number_text("hip_migration_percent", 32.96, [33.0]) == "32.96"
        assert number_text("hip_migration_percent", 33.04, [33.0]) == "33.04"
        assert number_text("limit_percent", 33.0) == "33"
    with translation.override("ru"):
        assert number_text("leg_strength_mrc_mean", 24 / 7) == "3,4"
