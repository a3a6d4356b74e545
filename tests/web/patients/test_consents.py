"""Consents are withdrawn, never deleted."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from stride.web.patients import services
from stride.web.patients.models import Consent, ConsentDeletionError
from stride.web.platform.audit.models import Action, AuditEvent
from tests.conftest import Cast


def _consent(cast: Cast) -> Consent:
    return Consent.objects.get(patient=cast.case_a.patient)


def test_withdrawal_keeps_the_row_and_records_who_and_when(cast: Cast) -> None:
    consent = services.withdraw_consent(by=cast.guardian_a, consent_id=_consent(cast).pk,
                                        reason="We changed our minds")
    stored = Consent.objects.get(pk=consent.pk)
    assert stored.withdrawn_at is not None
    assert stored.withdrawn_by == cast.guardian_a
    assert stored.withdrawal_reason == "We changed our minds"
    assert stored.granted_at < stored.withdrawn_at
    assert not stored.is_active
    assert AuditEvent.objects.filter(actor=cast.guardian_a, action=Action.UPDATE,
                                     object_type="consent").count() == 1


def test_second_withdrawal_is_refused_and_keeps_the_first(cast: Cast) -> None:
    first = services.withdraw_consent(by=cast.guardian_a, consent_id=_consent(cast).pk)
    with pytest.raises(services.ConsentAlreadyWithdrawn):
        services.withdraw_consent(by=cast.coordinator_a, consent_id=first.pk)
    assert Consent.objects.get(pk=first.pk).withdrawn_by == cast.guardian_a


def test_a_consent_cannot_be_deleted(cast: Cast) -> None:
    with pytest.raises(ConsentDeletionError):
        _consent(cast).delete()
    assert Consent.objects.filter(patient=cast.case_a.patient).count() == 1


def test_guardian_withdraws_from_the_case_page(cast: Cast, client: Client) -> None:
    client.force_login(cast.guardian_a)
    page = client.get(reverse("patients:case", args=[cast.case_a.pk]))
    assert "Record withdrawal" in page.text
    url = reverse("patients:consent-withdraw", args=[cast.case_a.pk, _consent(cast).pk])
    response = client.post(url, follow=True)
    assert "The withdrawal of consent was recorded." in response.text
    assert "withdrawn on" in response.text
    again = client.post(url, follow=True)
    assert "already been withdrawn" in again.text


def test_outsiders_cannot_withdraw_someone_elses_consent(cast: Cast, client: Client) -> None:
    url = reverse("patients:consent-withdraw", args=[cast.case_a.pk, _consent(cast).pk])
    for outsider in (cast.guardian_b, cast.coordinator_b, cast.analyst):
        client.force_login(outsider)
        assert client.post(url).status_code == 404
    # A consent of another child through one's own case is not found either.
    client.force_login(cast.guardian_b)
    other = reverse("patients:consent-withdraw", args=[cast.case_b.pk, _consent(cast).pk])
    assert client.post(other).status_code == 404
    assert _consent(cast).is_active
