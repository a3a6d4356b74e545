"""Sign-off: responsible clinician only, agree or override, immutable, reproducible, letter."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from stride.core.eligibility.engine import reevaluate
from stride.core.pathway import Stage
from stride.web.documents.models import Letter, LetterKind
from stride.web.evaluation import services
from stride.web.evaluation.models import CandidacyDecision, DecisionImmutableError, TeamNote
from tests.conftest import Cast

ON = date(2025, 6, 1)


def _assess(cast: Cast) -> None:
    for instrument, data in (
        ("gmfcs", {"level": 2}),
        ("hip-migration", {"left_percent": 10, "right_percent": 20}),
        ("mas", {"measurements": [{"muscle": "hamstrings", "side": "left", "grade": "1+"}]}),
    ):
        services.record_assessment(by=cast.clinician_a, case=cast.case_a, instrument=instrument,
                                   assessed_on=ON, context="remote", data=data)


def _sign(client: Client, cast: Cast, **data: str) -> object:
    return client.post(reverse("evaluation:sign", args=[cast.case_a.pk]),
                       {"rule_set": "sdr-v1", **data})


def test_candidacy_page_shows_every_rule_and_where_facts_came_from(
        evaluating: Cast, client: Client) -> None:
    _assess(evaluating)
    client.force_login(evaluating.clinician_a)
    page = client.get(reverse("evaluation:candidacy", args=[evaluating.case_a.pk]),
                      {"rule_set": "sdr-v1"})
    assert page.status_code == 200
    decision = page.context["decision"]
    assert page.text.count("data-rule=") == len(decision.results)
    assert 'data-fact="gmfcs"' in page.text
    assert "data-missing=" in page.text
    assert 'action="/evaluation/cases/' in page.text  # the responsible clinician may sign


def test_agree_stores_everything_and_reproduces(evaluating: Cast, client: Client) -> None:
    _assess(evaluating)
    client.force_login(evaluating.clinician_a)
    assert _sign(client, evaluating, signature="agree").status_code == 302
    decision = CandidacyDecision.objects.get(case=evaluating.case_a)
    assert (decision.rule_set_id, decision.rule_set_version) == ("sdr-v1", 1)
    assert decision.facts["gmfcs"] == 2
    assert decision.provenance["facts"]["gmfcs"]["instrument"] == "gmfcs"
    assert decision.final_outcome == decision.engine_outcome
    assert reevaluate(decision.rule_set_id, decision.facts).to_json() == decision.result
    evaluating.case_a.refresh_from_db()
    assert evaluating.case_a.stage_enum is Stage.DECISION
    letter = Letter.objects.get(case=evaluating.case_a, kind=LetterKind.DECISION)
    assert decision.letter == letter
    assert letter.language == "bg"
    assert 'lang="bg"' in letter.html


def test_override_needs_a_written_reason(evaluating: Cast, client: Client) -> None:
    _assess(evaluating)
    client.force_login(evaluating.clinician_a)
    refused = _sign(client, evaluating, signature="override", override_outcome="candidate")
    assert refused.status_code == 400
    assert "override_reason" in refused.context["sign_form"].errors
    assert not CandidacyDecision.objects.exists()
    assert not Letter.objects.exists()
    evaluating.case_a.refresh_from_db()
    assert evaluating.case_a.stage_enum is Stage.EVALUATION  # nothing half written
    assert _sign(client, evaluating, signature="override", override_outcome="candidate",
                 override_reason="Hips checked on an up-to-date X-ray.").status_code == 302
    decision = CandidacyDecision.objects.get()
    assert decision.final_outcome == "candidate"
    assert decision.engine_outcome != "candidate"
    assert "Hips checked" in decision.letter.html  # type: ignore[union-attr]


@pytest.mark.parametrize("member", ["clinician_b", "surgeon_a", "coordinator_a"])
def test_only_the_responsible_clinician_signs(evaluating: Cast, client: Client,
                                              member: str) -> None:
    if member == "clinician_b":  # another clinician on the team, not responsible
        from stride.web.patients.services import add_care_team_member

        add_care_team_member(by=None, case=evaluating.case_a, user=evaluating.clinician_b)
    client.force_login(getattr(evaluating, member))
    response = _sign(client, evaluating, signature="agree")
    assert response.status_code == 400
    assert "responsible clinician" in response.text
    assert not CandidacyDecision.objects.exists()
    note = client.post(reverse("evaluation:note", args=[evaluating.case_a.pk]),
                       {"body": "Agree with SDR; gait video reviewed."})
    assert note.status_code == 302
    assert TeamNote.objects.count() == 1


def test_signing_twice_is_refused(evaluating: Cast, client: Client) -> None:
    client.force_login(evaluating.clinician_a)
    assert _sign(client, evaluating, signature="agree").status_code == 302
    again = _sign(client, evaluating, signature="agree")
    assert again.status_code == 400
    assert "already been signed" in again.text
    assert CandidacyDecision.objects.count() == 1


def test_a_signed_decision_is_immutable(evaluating: Cast) -> None:
    decision = services.sign_decision(by=evaluating.clinician_a, case=evaluating.case_a,
                                      rule_set_id="sdr-v1", signature="agree")
    decision.final_outcome = "candidate"
    with pytest.raises(DecisionImmutableError):
        decision.save()
    with pytest.raises(DecisionImmutableError):
        decision.delete()
    with pytest.raises(DecisionImmutableError):
        CandidacyDecision.objects.filter(pk=decision.pk).update(final_outcome="x")
    with pytest.raises(DecisionImmutableError):
        CandidacyDecision.objects.all().delete()


def test_cell_therapy_letter_says_investigational(evaluating: Cast) -> None:
    decision = services.sign_decision(by=evaluating.clinician_a, case=evaluating.case_a,
                                      rule_set_id="cell-therapy-investigational-v1",
                                      signature="agree")
    assert decision.letter is not None
    assert "investigational" in decision.letter.html.lower() or decision.letter.language != "en"
    assert 'data-outcome="' in decision.letter.html


def test_the_database_refuses_changing_a_signed_decision(evaluating: Cast) -> None:
    from django.db import DatabaseError, connection, transaction

    decision = services.sign_decision(by=evaluating.clinician_a, case=evaluating.case_a,
                                      rule_set_id="sdr-v1", signature="agree")
    with pytest.raises(DatabaseError, match="final"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("UPDATE evaluation_candidacydecision SET final_outcome = %s "
                       "WHERE id = %s", ["candidate", decision.pk])
