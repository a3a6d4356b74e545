"""Assessment dates checked inside the values too; an assessment entered in error.

The cast's child was born on 2019-05-17. An assessment entered in error is never changed or
deleted: the care team marks it with a reason (append-only, audited) from the workspace,
and candidacy facts, the registry, the child's charts and the exports leave it out.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from stride.core.corrections import CorrectionRefused
from stride.web.evaluation import services
from stride.web.evaluation.models import Assessment, AssessmentCorrection, CorrectionImmutableError
from stride.web.evaluation.selectors import case_facts
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from stride.web.registry.models import OutcomeWindow
from stride.web.treatment.models import Episode
from tests.conftest import Cast

OUTSIDERS = ["clinician_b", "coordinator_b", "surgeon_b", "guardian_a", "guardian_b", "analyst",
             "admin"]


def _post(client: Client, cast: Cast, instrument: str, data: dict[str, Any]) -> Any:
    return client.post(reverse("evaluation:assessment", args=[cast.case_a.pk, instrument]),
                       {"assessed_on": "2025-06-01", "context": "remote", **data})


@pytest.mark.parametrize(("instrument", "data", "field", "words"), [
    ("epilepsy", {"status": "controlled", "last_seizure": "2019-01-01"}, "last_seizure",
     "before the child's date of birth"),
    ("epilepsy", {"status": "controlled", "last_seizure": "2025-07-01"}, "last_seizure",
     "after the assessment date"),
    ("history", {"botulinum_toxin": "had", "last_botulinum_toxin": "2018-03-01"},
     "last_botulinum_toxin", "before the child's date of birth"),
    ("history", {"orthopaedic_surgery": "had", "last_orthopaedic_surgery": "2099-03-01"},
     "last_orthopaedic_surgery", "after the assessment date"),
])
def test_dates_inside_an_assessment_lie_between_birth_and_the_assessment(
        evaluating: Cast, client: Client, instrument: str, data: dict[str, str], field: str,
        words: str) -> None:
    client.force_login(evaluating.clinician_a)
    response = _post(client, evaluating, instrument, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {field}
    assert words in " ".join(errors[field])
    assert not Assessment.objects.exists()


def _gmfcs(cast: Cast, level: int, on: date) -> Assessment:
    return services.record_assessment(by=cast.clinician_a, case=cast.case_a, instrument="gmfcs",
                                      assessed_on=on, context="remote", data={"level": level})


def _mark_url(cast: Cast, assessment: Assessment) -> str:
    return reverse("evaluation:assessment-entered-in-error", args=[cast.case_a.pk, assessment.pk])


def test_the_team_marks_an_assessment_entered_in_error_from_the_workspace(
        evaluating: Cast, client: Client) -> None:
    earlier = _gmfcs(evaluating, 2, date(2025, 3, 1))
    wrong = _gmfcs(evaluating, 5, date(2025, 6, 1))  # level V typed for level II
    assert case_facts(evaluating.case_a, today=date(2025, 7, 1)).facts.gmfcs == 5
    client.force_login(evaluating.clinician_a)
    workspace = reverse("evaluation:workspace", args=[evaluating.case_a.pk])
    assert _mark_url(evaluating, wrong) in client.get(workspace).text
    assert "This cannot be undone" in client.get(_mark_url(evaluating, wrong)).text
    refused = client.post(_mark_url(evaluating, wrong), {"reason": ""})
    assert set(refused.context["form"].errors) == {"reason"}

    response = client.post(_mark_url(evaluating, wrong),
                           {"reason": "Level V typed; the child is level II."}, follow=True)

    assert response.redirect_chain[-1][0] == workspace
    marking = AssessmentCorrection.objects.get(assessment=wrong)
    assert marking.marked_by == evaluating.clinician_a
    assert Assessment.objects.get(pk=wrong.pk).headline == 5.0  # the row itself is untouched
    row = response.text.split('data-entered-in-error', 1)[1].split("</tr>", 1)[0]
    assert "<s>" in row
    assert "Level V typed; the child is level II." in row
    event = AuditEvent.objects.get(object_type="assessment-entered-in-error")
    assert (event.actor, event.action, event.object_id, event.patient_id) == (
        evaluating.clinician_a, Action.CREATE, str(wrong.pk), evaluating.case_a.patient_id)
    # Candidacy reads the earlier assessment again.
    built = case_facts(evaluating.case_a, today=date(2025, 7, 1))
    assert built.facts.gmfcs == 2
    assert {p.assessment_id for p in built.provenance if p.fact.value == "gmfcs"} == {earlier.pk}
    page = client.get(reverse("evaluation:candidacy", args=[evaluating.case_a.pk]),
                      {"rule_set": "sdr-v1"})
    assert page.status_code == 200
    assert page.context["built"].facts.gmfcs == 2


def test_a_gmfm66_entered_in_error_leaves_the_outcome_windows(evaluating: Cast) -> None:
    cast = evaluating
    baseline = services.record_assessment(
        by=cast.clinician_a, case=cast.case_a, instrument="gmfm66",
        assessed_on=date(2024, 5, 1), context="in-person",
        data={"score": "50", "standard_error": "1", "ci_low": "48", "ci_high": "52",
              "gmae_version": "GMAE-2"})
    Episode.objects.create(case=cast.case_a, kind="sdr", starts_on=date(2024, 5, 20),
                           details={}, recorded_by=cast.surgeon_a)
    _gmfcs(cast, 2, date(2024, 5, 2))  # refreshes the registry with the episode
    assert OutcomeWindow.objects.filter(baseline_score=50.0).count() == 3
    services.mark_assessment_entered_in_error(by=cast.clinician_a, assessment=baseline,
                                              reason="Scored for another child.")
    assert not OutcomeWindow.objects.filter(baseline_score__isnull=False).exists()
    assert OutcomeWindow.objects.filter(anchor_kind="sdr").count() == 3


def test_marking_twice_is_refused_and_the_marking_is_append_only(evaluating: Cast) -> None:
    wrong = _gmfcs(evaluating, 5, date(2025, 6, 1))
    marking = services.mark_assessment_entered_in_error(by=evaluating.clinician_a,
                                                        assessment=wrong, reason="Typo.")
    with pytest.raises(CorrectionRefused) as refused:
        services.mark_assessment_entered_in_error(by=evaluating.coordinator_a,
                                                  assessment=wrong, reason="Again.")
    assert [p.code for p in refused.value.problems] == ["already-entered-in-error"]
    with pytest.raises(CorrectionImmutableError):
        marking.save()
    with pytest.raises(CorrectionImmutableError):
        AssessmentCorrection.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE evaluation_assessmentcorrection SET reason = %s", ["x"])
    assert AssessmentCorrection.objects.get().reason == "Typo."


@pytest.mark.parametrize("member", OUTSIDERS)
def test_outsiders_get_an_audited_404_and_mark_nothing(evaluating: Cast, client: Client,
                                                       member: str) -> None:
    wrong = _gmfcs(evaluating, 5, date(2025, 6, 1))
    user = getattr(evaluating, member)
    client.force_login(user)
    url = _mark_url(evaluating, wrong)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "not mine"}).status_code == 404
    denied = AuditEvent.objects.filter(actor=user, object_type="case",
                                       object_id=str(evaluating.case_a.pk),
                                       outcome=Outcome.DENIED)
    assert denied.count() == 2
    assert not AssessmentCorrection.objects.exists()


def test_another_cases_assessment_under_ones_own_case_is_not_found(evaluating: Cast,
                                                                   client: Client) -> None:
    other = services.record_assessment(by=evaluating.clinician_b, case=evaluating.case_b,
                                       instrument="gmfcs", assessed_on=date(2025, 6, 1),
                                       context="remote", data={"level": 3})
    client.force_login(evaluating.clinician_a)
    url = reverse("evaluation:assessment-entered-in-error",
                  args=[evaluating.case_a.pk, other.pk])
    assert client.post(url, {"reason": "not ours"}).status_code == 404
    assert AuditEvent.objects.filter(actor=evaluating.clinician_a, object_id=str(other.pk),
                                     object_type="assessment",
                                     outcome=Outcome.NOT_FOUND).exists()
    assert not AssessmentCorrection.objects.exists()
