"""A coordinator confirms, after a check, that an inquiry sent with the address of an
existing guardian account belongs to that account holder: a button on the case's
coordination page, with how they checked, audited. Never an automatic attachment."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stride.core.pathway import Programme
from stride.web.intake.models import AccountLinkStatus, GuardianAccountLink, Inquiry, IntakeRota
from stride.web.patients.models import Case, Guardian
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from tests.conftest import Cast, on_commit_run
from tests.web.intake.conftest import inquiry_data

KNOWN = "guardian.a@test.invalid"


@pytest.fixture
def pending(cast: Cast, client: Client) -> Case:
    """Guardian A's address typed on the public form: a case on coordinator A's rota whose
    guardian waits to join guardian A's account."""
    cast.guardian_a.email = KNOWN
    cast.guardian_a.save()
    IntakeRota.objects.create(programme=Programme.SDR.value, coordinator=cast.coordinator_a)
    with on_commit_run():
        assert client.post(reverse("intake:inquiry"),
                           inquiry_data(email=KNOWN)).status_code == 302
    return Inquiry.objects.select_related("case__patient").get().case


def _guardian(case: Case) -> Guardian:
    return Guardian.objects.get(patient=case.patient)


def _confirm_url(case: Case, guardian: Guardian) -> str:
    return reverse("coordination:account-link", args=[case.pk, guardian.pk])


def _portal_has(client: Client, cast: Cast, case: Case) -> bool:
    client.force_login(cast.guardian_a)
    return case.reference in client.get(reverse("portal:home")).text


def test_the_page_says_the_child_waits_and_the_coordinator_confirms_after_a_check(
        cast: Cast, client: Client, pending: Case) -> None:
    guardian = _guardian(pending)
    client.force_login(cast.coordinator_a)
    page = client.get(reverse("coordination:case", args=[pending.pk])).text
    assert 'data-testid="account-link"' in page
    assert "Waiting for confirmation" in page
    assert _confirm_url(pending, guardian) in page

    refused = client.post(_confirm_url(pending, guardian), {"check_note": "  "})
    assert refused.status_code == 400
    assert "Say how you checked" in refused.text
    assert _guardian(pending).user is None

    done = client.post(_confirm_url(pending, guardian),
                       {"check_note": "Phoned the mother on her known number; she sent it."})
    assert done.status_code == 302
    link = GuardianAccountLink.objects.get()
    assert link.status == AccountLinkStatus.CONFIRMED
    assert link.decided_by == cast.coordinator_a
    assert link.check_note == "Phoned the mother on her known number; she sent it."
    assert _guardian(pending).user == cast.guardian_a
    assert AuditEvent.objects.filter(actor=cast.coordinator_a, action=Action.UPDATE,
                                     object_type="guardian", object_id=str(guardian.pk),
                                     patient_id=pending.patient_id, outcome=Outcome.OK).exists()
    assert _portal_has(client, cast, pending)

    client.force_login(cast.coordinator_a)
    page = client.get(reverse("coordination:case", args=[pending.pk])).text
    assert "Phoned the mother on her known number; she sent it." in page
    again = client.post(_confirm_url(pending, guardian), {"check_note": "Again."})
    assert again.status_code == 400


def test_a_link_the_account_holder_refused_is_not_confirmed_by_a_coordinator(
        cast: Cast, client: Client, pending: Case) -> None:
    GuardianAccountLink.objects.update(status=AccountLinkStatus.DECLINED)
    guardian = _guardian(pending)
    client.force_login(cast.coordinator_a)
    page = client.get(reverse("coordination:case", args=[pending.pk])).text
    assert "Not theirs, said the account holder" in page
    assert _confirm_url(pending, guardian) not in page
    response = client.post(_confirm_url(pending, guardian), {"check_note": "Checked."})
    assert response.status_code == 400
    assert _guardian(pending).user is None
    assert not _portal_has(client, cast, pending)


@pytest.mark.parametrize("member", ["coordinator_b", "clinician_b", "guardian_a", "analyst",
                                    "admin"])
def test_outsiders_get_an_audited_404(cast: Cast, client: Client, pending: Case,
                                      member: str) -> None:
    user = getattr(cast, member)
    client.force_login(user)
    response = client.post(_confirm_url(pending, _guardian(pending)), {"check_note": "x"})
    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=user, object_type="case", object_id=str(pending.pk),
                                     outcome=Outcome.DENIED).exists()
    assert _guardian(pending).user is None


def test_a_guardian_of_another_case_is_not_found_under_this_one(cast: Cast, client: Client,
                                                                pending: Case) -> None:
    client.force_login(cast.coordinator_a)
    other: Any = Guardian.objects.get(patient=cast.case_a.patient)
    response = client.post(_confirm_url(pending, other), {"check_note": "x"})
    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=cast.coordinator_a, object_type="guardian",
                                     object_id=str(other.pk), outcome=Outcome.NOT_FOUND).exists()
    assert not AuditEvent.objects.filter(actor=cast.coordinator_a, object_type="case",
                                         object_id=str(pending.pk), action=Action.UPDATE,
                                         outcome=Outcome.OK).exists()
