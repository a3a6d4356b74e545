"""Moving cases through the pathway: services and the case page form."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from stride.core.errors import IllegalTransition
from stride.core.pathway import Stage
from stride.web.patients import services
from stride.web.patients.models import Case, StageChange
from stride.web.platform.audit.models import Action, AuditEvent
from tests.conftest import Cast


def test_move_records_history_and_audit(cast: Cast) -> None:
    case = services.move_case(by=cast.coordinator_a, case_id=cast.case_a.pk, to=Stage.TRIAGE,
                              reason="  complete inquiry ")
    assert case.stage == "triage"
    history = list(StageChange.objects.filter(case=case).values_list(
        "from_stage", "to_stage", "reason"))
    assert history == [("", "inquiry", ""), ("inquiry", "triage", "complete inquiry")]
    assert AuditEvent.objects.filter(actor=cast.coordinator_a, action=Action.UPDATE,
                                     object_type="case", object_id=str(case.pk)).count() == 1


def test_illegal_move_is_refused_and_changes_nothing(cast: Cast) -> None:
    with pytest.raises(IllegalTransition, match="from stage 'inquiry' to 'treatment'"):
        services.move_case(by=cast.coordinator_a, case_id=cast.case_a.pk, to=Stage.TREATMENT)
    assert Case.objects.get(pk=cast.case_a.pk).stage == "inquiry"
    assert StageChange.objects.filter(case=cast.case_a).count() == 1


def test_case_page_form_moves_the_case(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician_a)
    response = client.post(reverse("patients:case-move", args=[cast.case_a.pk]),
                           {"to_stage": "triage", "reason": "ready"}, follow=True)
    assert response.status_code == 200
    assert "The case stage was updated." in response.text
    assert Case.objects.get(pk=cast.case_a.pk).stage == "triage"


def test_case_page_form_refuses_an_illegal_move_with_a_clear_message(cast: Cast,
                                                                    client: Client) -> None:
    client.force_login(cast.clinician_a)
    response = client.post(reverse("patients:case-move", args=[cast.case_a.pk]),
                           {"to_stage": "closed"}, follow=True)
    assert "This case cannot move from Inquiry to Closed." in response.text
    assert "Possible next stages: Triage, Declined, Withdrawn." in response.text
    assert Case.objects.get(pk=cast.case_a.pk).stage == "inquiry"


def test_case_page_form_refuses_an_unknown_stage(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician_a)
    response = client.post(reverse("patients:case-move", args=[cast.case_a.pk]),
                           {"to_stage": "teleported"}, follow=True)
    assert "Choose a stage from the list" in response.text
    assert Case.objects.get(pk=cast.case_a.pk).stage == "inquiry"


@pytest.mark.parametrize("member", ["guardian_a", "coordinator_b", "analyst"])
def test_people_who_may_not_write_cannot_move_a_case(cast: Cast, client: Client,
                                                     member: str) -> None:
    client.force_login(getattr(cast, member))
    response = client.post(reverse("patients:case-move", args=[cast.case_a.pk]),
                           {"to_stage": "triage"})
    assert response.status_code == 404
    assert Case.objects.get(pk=cast.case_a.pk).stage == "inquiry"


def test_only_care_team_roles_join_a_care_team(cast: Cast) -> None:
    from stride.core.errors import InvalidValue

    with pytest.raises(InvalidValue, match="care-team roles"):
        services.add_care_team_member(by=None, case=cast.case_a, user=cast.analyst)


@pytest.mark.parametrize(("who", "shown"), [("coordinator_a", True), ("clinician_a", True),
                                             ("guardian_a", False)])
def test_case_page_links_to_coordination_for_the_care_team_only(cast: Cast, client: Client,
                                                                 who: str, shown: bool) -> None:
    client.force_login(getattr(cast, who))
    response = client.get(reverse("patients:case", args=[cast.case_a.pk]))
    assert response.status_code == 200
    link = reverse("coordination:case", args=[cast.case_a.pk])
    assert (f'href="{link}"' in response.content.decode()) is shown
