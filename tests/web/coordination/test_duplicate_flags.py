"""Possible-duplicate flags name the other case only to a coordinator who may open it.

A flag on a case handled by another team says so, without that case's reference, and says
what the coordinator can do (ask that team's coordinator, or an administrator); the
decision on the flag is still theirs to record.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from stride.core.roles import Role
from stride.web.intake.models import DuplicateResolution
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from tests.conftest import Cast, make_case, make_user
from tests.web.coordination.factories import make_duplicate, make_inquiry


def _page(client: Client, cast: Cast) -> str:
    client.force_login(cast.coordinator_a)
    response = client.get(reverse("coordination:case", args=[cast.case_a.pk]))
    assert response.status_code == 200
    return response.text


def test_another_teams_case_is_flagged_without_its_reference(cast: Cast, client: Client) -> None:
    make_duplicate(make_inquiry(cast.case_a), cast.case_b)
    page = _page(client, cast)
    assert 'data-testid="duplicate"' in page
    assert cast.case_b.reference not in page
    assert reverse("coordination:case", args=[cast.case_b.pk]) not in page
    assert "A case handled by another team" in page
    # What the coordinator can do: ask that team's coordinator, by name, or an administrator.
    assert cast.coordinator_b.get_full_name() in page
    assert "administrator" in page


def test_a_team_without_a_coordinator_points_to_an_administrator(cast: Cast,
                                                                 client: Client) -> None:
    other = make_case(team=(make_user(Role.CLINICIAN, "other.clinician"),))
    make_duplicate(make_inquiry(cast.case_a), other)
    page = _page(client, cast)
    assert other.reference not in page
    assert "You cannot open that case. Ask an administrator" in page


def test_a_case_the_coordinator_may_open_is_named_and_linked(cast: Cast, client: Client) -> None:
    own = make_case(team=(cast.coordinator_a,))
    make_duplicate(make_inquiry(cast.case_a), own)
    page = _page(client, cast)
    assert own.reference in page
    assert reverse("coordination:case", args=[own.pk]) in page
    assert "A case handled by another team" not in page
    # Showing the other case's reference is a read of that child, audited.
    assert AuditEvent.objects.filter(actor=cast.coordinator_a, action=Action.READ,
                                     object_type="case", object_id=str(own.pk),
                                     patient_id=own.patient_id, outcome=Outcome.OK).exists()


def test_the_coordinator_still_decides_on_another_teams_flag(cast: Cast,
                                                            client: Client) -> None:
    flag = make_duplicate(make_inquiry(cast.case_a), cast.case_b)
    client.force_login(cast.coordinator_a)
    response = client.post(reverse("coordination:duplicate", args=[cast.case_a.pk, flag.pk]),
                           {"resolution": "not-duplicate"}, follow=True)
    assert response.status_code == 200
    assert cast.case_b.reference not in response.text
    flag.refresh_from_db()
    assert flag.resolution == DuplicateResolution.NOT_DUPLICATE
