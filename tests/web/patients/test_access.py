"""Every role against its own and another team's case: 200 vs 404, and always audited."""

from __future__ import annotations

import re

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from stride.web.patients.access import access_case_by_id, access_patient_by_id
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from tests.conftest import Cast

# (cast member, may read case A, may write case A); nobody related to A may see B.
ROLES = [
    ("guardian_a", True, False),
    ("coordinator_a", True, True),
    ("clinician_a", True, True),
    ("surgeon_a", True, True),
    ("analyst", False, False),
    ("admin", False, False),
]


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _events(user_id: int, object_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor_id=user_id, object_type=object_type))


@pytest.mark.parametrize(("member", "reads", "writes"), ROLES)
def test_case_page_for_each_role_own_and_other(cast: Cast, client: Client, member: str,
                                               reads: bool, writes: bool) -> None:
    user = getattr(cast, member)
    client.force_login(user)

    own = client.get(reverse("patients:case", args=[cast.case_a.pk]))
    assert own.status_code == (200 if reads else 404)
    if reads:
        assert cast.case_a.reference in own.text
    other = client.get(reverse("patients:case", args=[cast.case_b.pk]))
    assert other.status_code == 404
    assert cast.case_b.patient.family_name not in other.text

    events = _events(user.pk, "case")
    assert [(e.object_id, e.action, e.outcome) for e in reversed(events)] == [
        (str(cast.case_a.pk), Action.READ, Outcome.OK if reads else Outcome.DENIED),
        (str(cast.case_b.pk), Action.READ, Outcome.DENIED),
    ]
    assert all(e.patient_id is not None and e.request_id and e.ip == "127.0.0.1" for e in events)


@pytest.mark.parametrize(("member", "reads", "writes"), ROLES)
def test_write_access_for_each_role(cast: Cast, member: str, reads: bool, writes: bool) -> None:
    user = getattr(cast, member)
    if writes:
        assert access_case_by_id(user, cast.case_a.pk, write=True) == cast.case_a
    else:
        with pytest.raises(Http404):
            access_case_by_id(user, cast.case_a.pk, write=True)
    with pytest.raises(Http404):
        access_case_by_id(user, cast.case_b.pk, write=True)
    outcomes = [e.outcome for e in reversed(_events(user.pk, "case"))]
    assert outcomes == [Outcome.OK if writes else Outcome.DENIED, Outcome.DENIED]
    assert {e.action for e in _events(user.pk, "case")} == {Action.UPDATE}


def test_missing_and_not_yours_look_the_same_but_are_audited_apart(cast: Cast,
                                                                   client: Client) -> None:
    client.force_login(cast.coordinator_a)
    missing = client.get(reverse("patients:case", args=[999_999]))
    not_yours = client.get(reverse("patients:case", args=[cast.case_b.pk]))
    assert missing.status_code == not_yours.status_code == 404
    assert _without_csrf(missing.text) == _without_csrf(not_yours.text)
    outcomes = {e.object_id: e.outcome for e in _events(cast.coordinator_a.pk, "case")}
    assert outcomes == {"999999": Outcome.NOT_FOUND, str(cast.case_b.pk): Outcome.DENIED}


def test_patient_access_function(cast: Cast) -> None:
    patient_a = cast.case_a.patient
    assert access_patient_by_id(cast.guardian_a, patient_a.pk) == patient_a
    assert access_patient_by_id(cast.clinician_a, patient_a.pk, write=True) == patient_a
    for outsider in (cast.guardian_b, cast.clinician_b, cast.analyst, cast.admin):
        with pytest.raises(Http404):
            access_patient_by_id(outsider, patient_a.pk)
    with pytest.raises(Http404):
        access_patient_by_id(cast.guardian_a, patient_a.pk, write=True)
    denied = AuditEvent.objects.filter(object_type="patient", outcome=Outcome.DENIED)
    assert denied.count() == 5
    assert set(denied.values_list("patient_id", flat=True)) == {patient_a.pk}


def test_anonymous_users_are_sent_to_sign_in(cast: Cast, client: Client) -> None:
    response = client.get(reverse("patients:case", args=[cast.case_a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not AuditEvent.objects.filter(object_type="case", action=Action.READ).exists()


def test_dashboard_lists_only_own_cases_and_audits_each_child(cast: Cast,
                                                              client: Client) -> None:
    client.force_login(cast.coordinator_a)
    response = client.get(reverse("patients:dashboard"))
    assert response.status_code == 200
    assert cast.case_a.reference in response.text
    assert cast.case_b.reference not in response.text
    listed = AuditEvent.objects.filter(actor=cast.coordinator_a, object_type="case-list")
    assert list(listed.values_list("patient_id", flat=True)) == [cast.case_a.patient_id]


@pytest.mark.parametrize("member", ["analyst", "admin"])
def test_dashboard_of_roles_without_patient_access_lists_nothing(cast: Cast, client: Client,
                                                                 member: str) -> None:
    client.force_login(getattr(cast, member))
    response = client.get(reverse("patients:dashboard"))
    assert response.status_code == 200
    assert "TEST-" not in response.text


def test_guardian_dashboard_shows_only_their_child(cast: Cast, client: Client) -> None:
    client.force_login(cast.guardian_b)
    # A guardian's "dashboard" is the family portal.
    text = client.get(reverse("patients:dashboard"), follow=True).text
    assert cast.case_b.reference in text
    assert cast.case_a.reference not in text
