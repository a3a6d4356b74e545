"""The family's decision letter (issue 17): the outcome, the reasons that decided it (the
rules behind the outcome in the family's words; for an override, the doctor's written
reason) and what happens next, in the family's language; never the self-check's wording.
Synthetic children only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import translation

from stride.core.eligibility.facts import parse_facts
from stride.core.eligibility.from_assessments import BuiltFacts
from stride.web.evaluation import services
from stride.web.evaluation.models import CandidacyDecision
from stride.web.patients.models import Guardian
from tests.conftest import Cast
from tests.core.eligibility.test_sdr_v1 import TYPICAL

ON = date(2025, 6, 1)
SELF_CHECK = "Worth an evaluation"


def _family_language(cast: Cast, language: str) -> None:
    Guardian.objects.filter(patient=cast.case_a.patient).update(preferred_language=language)


def _facts(monkeypatch: pytest.MonkeyPatch, facts: dict[str, Any]) -> None:
    """The case's facts as given (the letter's wording is under test, not fact building)."""
    built = BuiltFacts(facts=parse_facts(facts), provenance=(), policy_id="test")
    monkeypatch.setattr(services, "case_facts", lambda case, today: built)


def _letter(cast: Cast, **sign: str) -> tuple[CandidacyDecision, str]:
    decision = services.sign_decision(by=cast.clinician_a, case=cast.case_a,
                                      rule_set_id="sdr-v1", **{"signature": "agree", **sign})
    assert decision.letter is not None
    return decision, decision.letter.html


def test_a_candidate_letter_names_every_point_met(evaluating: Cast,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _family_language(evaluating, "en")
    _facts(monkeypatch, TYPICAL)
    decision, html = _letter(evaluating)
    assert decision.final_outcome == "candidate"
    assert "Your child is a candidate for this treatment." in html
    assert "Your child meets every point we check for this treatment:" in html
    for criterion in ("Age is at least 2 years.", "GMFCS level is II or III.",
                      "There is no significant scoliosis.",
                      "No orthopaedic surgery in the last 12 months."):
        assert criterion in html, criterion
    assert SELF_CHECK not in html
    assert "Next steps" in html
    assert "Nothing is planned until you agree." in html


def test_a_not_candidate_letter_gives_the_exclusions_in_the_familys_words(
        evaluating: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    _family_language(evaluating, "en")
    _facts(monkeypatch, {**TYPICAL, "scpe_subtype": "dyskinetic-dystonic"})
    decision, html = _letter(evaluating)
    assert decision.final_outcome == "not-candidate"
    assert "The reasons for this decision:" in html
    assert "main type of movement problem is dyskinetic" in html
    assert "Every point" not in html
    assert SELF_CHECK not in html


def test_a_needs_information_letter_says_what_is_still_needed(evaluating: Cast) -> None:
    _family_language(evaluating, "en")
    services.record_assessment(by=evaluating.clinician_a, case=evaluating.case_a,
                               instrument="gmfcs", assessed_on=ON, context="remote",
                               data={"level": 2})
    decision, html = _letter(evaluating)
    assert decision.final_outcome == "needs-information"
    assert "What we still need to know before we can decide:" in html
    assert "Which type of cerebral palsy the doctors have described" in html
    assert SELF_CHECK not in html


def test_an_override_letter_gives_the_doctors_reason(evaluating: Cast) -> None:
    _family_language(evaluating, "en")
    decision, html = _letter(evaluating, signature="override", override_outcome="candidate",
                             reason="Seen in person with an up-to-date hip X-ray.")
    assert (decision.engine_outcome, decision.final_outcome) == ("needs-information",
                                                                   "candidate")
    assert "The doctor who signed this decision gave these reasons:" in html
    assert "Seen in person with an up-to-date hip X-ray." in html
    assert "What the assessments showed, which the doctor weighed in deciding:" in html
    assert "Your child is a candidate for this treatment." in html
    assert SELF_CHECK not in html


def test_the_letter_is_in_the_familys_language(evaluating: Cast,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _family_language(evaluating, "ar")
    _facts(monkeypatch, TYPICAL)
    decision, html = _letter(evaluating)
    assert decision.letter is not None
    assert decision.letter.language == "ar"
    assert 'lang="ar"' in html
    with translation.override("ar"):
        self_check = str(translation.gettext("Worth an evaluation."))
        outcome = str(translation.gettext("Your child is a candidate for this treatment."))
    assert self_check not in html
    assert outcome in html
