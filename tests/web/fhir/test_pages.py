"""The staff side: partner systems (administrators), grants from the case page
(coordinators of the care team), the case's export (the care team), every outsider's 404."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from stride.web.fhir.models import PartnerAccess, PartnerSystem
from stride.web.fhir.selectors import hash_token
from stride.web.platform.audit.models import AuditEvent, Outcome
from tests.conftest import Cast
from tests.web.fhir.factories import consent_to_exchange, grant, partner


def test_an_administrator_registers_a_system_and_sees_its_token_once(
        cast: Cast, client: Client) -> None:
    client.force_login(cast.admin)
    page = client.post(reverse("fhir:systems"), {"name": "Synthetic Hospital",
                                                 "contact": "Dr Synthetic, +0 000"})
    assert page.status_code == 200
    token = page.context["token"]
    system = PartnerSystem.objects.get(name="Synthetic Hospital")
    assert system.token_hash == hash_token(token)
    assert token in page.content.decode()
    listing = client.get(reverse("fhir:systems")).content.decode()
    assert "Synthetic Hospital" in listing
    assert token not in listing
    again = client.post(reverse("fhir:systems"), {"name": "synthetic hospital",
                                                  "contact": "x"})
    assert "registered already" in again.content.decode()
    new = client.post(reverse("fhir:system-token"), {"system": system.pk})
    assert new.context["token"] != token
    system.refresh_from_db()
    assert system.token_hash == hash_token(new.context["token"])


def test_only_administrators_open_the_partner_systems(cast: Cast, client: Client) -> None:
    system, _token = partner()
    for user in (cast.coordinator_a, cast.clinician_a, cast.guardian_a, cast.analyst):
        client.force_login(user)
        assert client.get(reverse("fhir:systems")).status_code == 404
        assert client.post(reverse("fhir:system-token"), {"system": system.pk}).status_code == 404
        assert client.post(reverse("fhir:system-active"),
                           {"system": system.pk, "active": "0"}).status_code == 404
        assert AuditEvent.objects.filter(actor=user, object_type="partner-system",
                                         outcome=Outcome.DENIED).count() == 3
    system.refresh_from_db()
    assert system.active


def test_a_coordinator_of_the_team_grants_and_withdraws_access_from_the_case_page(
        cast: Cast, client: Client) -> None:
    system, _token = partner()
    client.force_login(cast.coordinator_a)
    page = client.get(reverse("patients:case", args=[cast.case_a.pk])).content.decode()
    assert 'data-testid="fhir-panel"' in page
    assert 'data-testid="fhir-grant"' in page
    client.post(reverse("fhir:grant", args=[cast.case_a.pk]),
                {"system": system.pk, "reason": "Synthetic: referring hospital"})
    made = PartnerAccess.objects.current().get(patient=cast.case_a.patient)
    assert made.granted_by == cast.coordinator_a
    twice = client.post(reverse("fhir:grant", args=[cast.case_a.pk]),
                        {"system": system.pk, "reason": "again"}, follow=True)
    assert "already" in twice.content.decode()
    empty = client.post(reverse("fhir:revoke", args=[cast.case_a.pk]),
                        {"access": made.pk, "reason": ""}, follow=True)
    assert "Write why" in empty.content.decode()
    client.post(reverse("fhir:revoke", args=[cast.case_a.pk]),
                {"access": made.pk, "reason": "Synthetic: care ended"})
    made.refresh_from_db()
    assert made.revoked_at is not None
    assert made.revoked_by == cast.coordinator_a
    assert AuditEvent.objects.filter(object_type="partner-access", actor=cast.coordinator_a,
                                     outcome=Outcome.OK).count() == 2


def test_a_grant_of_another_case_cannot_be_withdrawn_from_ones_own(cast: Cast,
                                                                 client: Client) -> None:
    system, _token = partner()
    grant(cast.case_b, system, cast.coordinator_b)
    theirs = PartnerAccess.objects.get()
    client.force_login(cast.coordinator_a)
    page = client.post(reverse("fhir:revoke", args=[cast.case_a.pk]),
                       {"access": theirs.pk, "reason": "probe"}, follow=True)
    assert "or it is not this child" in page.content.decode()
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_clinicians_see_the_panel_but_only_coordinators_grant(cast: Cast,
                                                             client: Client) -> None:
    system, _token = partner()
    client.force_login(cast.clinician_a)
    page = client.get(reverse("patients:case", args=[cast.case_a.pk])).content.decode()
    assert 'data-testid="fhir-panel"' in page
    assert 'data-testid="fhir-grant"' not in page
    client.post(reverse("fhir:grant", args=[cast.case_a.pk]),
                {"system": system.pk, "reason": "Synthetic"})
    assert not PartnerAccess.objects.exists()


def test_outsiders_get_the_404_on_grants_and_export(cast: Cast, client: Client) -> None:
    system, _token = partner()
    consent_to_exchange(cast.case_b)
    for user in (cast.coordinator_a, cast.clinician_a, cast.guardian_a, cast.guardian_b,
                 cast.analyst, cast.admin):
        client.force_login(user)
        assert client.post(reverse("fhir:grant", args=[cast.case_b.pk]),
                           {"system": system.pk, "reason": "probe"}).status_code == 404
        assert client.get(reverse("fhir:export", args=[cast.case_b.pk])).status_code == 404
        assert AuditEvent.objects.filter(actor=user, patient_id=cast.case_b.patient_id,
                                         outcome=Outcome.DENIED).count() >= 2
    assert not PartnerAccess.objects.exists()
    guardian_page = client.get(reverse("patients:case", args=[cast.case_b.pk]))
    assert 'data-testid="fhir-panel"' not in guardian_page.content.decode()


def test_the_care_team_downloads_the_bundle_identified_or_pseudonymised(
        cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician_a)
    refused = client.get(reverse("fhir:export", args=[cast.case_a.pk]), follow=True)
    assert "consent" in refused.content.decode().lower()
    assert AuditEvent.objects.filter(object_type="fhir-bundle", actor=cast.clinician_a,
                                     outcome=Outcome.DENIED).count() == 1
    pseudonymised = client.get(reverse("fhir:export", args=[cast.case_a.pk]),
                               {"variant": "pseudonymised"})
    assert pseudonymised.status_code == 200
    body = json.loads(pseudonymised.content)
    patient = body["entry"][0]["resource"]
    assert "name" not in patient
    assert cast.case_a.patient.family_name not in pseudonymised.content.decode()
    consent_to_exchange(cast.case_a)
    identified = client.get(reverse("fhir:export", args=[cast.case_a.pk]))
    assert identified["Content-Type"].startswith("application/fhir+json")
    assert "attachment" in identified["Content-Disposition"]
    assert json.loads(identified.content)["entry"][0]["resource"]["name"][0]["family"] == (
        cast.case_a.patient.family_name)
    exports = AuditEvent.objects.filter(object_type="fhir-bundle", actor=cast.clinician_a,
                                        action="export", outcome=Outcome.OK)
    assert exports.count() == 2


def test_the_ways_in_administrators_dashboard_and_coordinators_triage_queue(
        cast: Cast, client: Client) -> None:
    client.force_login(cast.admin)
    assert 'data-testid="fhir-systems-panel"' in client.get(
        reverse("patients:dashboard")).content.decode()
    client.force_login(cast.coordinator_a)
    assert 'data-testid="fhir-systems-panel"' not in client.get(
        reverse("patients:dashboard")).content.decode()
    assert reverse("fhir:import") in client.get(reverse("coordination:queue")).content.decode()
    client.force_login(cast.clinician_a)
    assert reverse("fhir:import") not in client.get(
        reverse("coordination:queue")).content.decode()
