"""The read-only FHIR endpoint, read by a real FHIR client (smart-on-fhir's ``fhirclient``)
against the running server: a Patient and ``$everything`` with a token; a token of another
system, an unknown id, a revoked grant or a withdrawn consent meet the same 404, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from fhirclient import client as fhir_client
from fhirclient.models.bundle import Bundle as ClientBundle
from fhirclient.models.patient import Patient as ClientPatient
from fhirclient.server import FHIRNotFoundException, FHIRUnauthorizedException

from stride.core.consents import ConsentKind
from stride.web.fhir import services
from stride.web.fhir.collect import fhir_patient_id
from stride.web.fhir.models import PartnerSystem
from stride.web.fhir.selectors import hash_token
from stride.web.patients import services as patients
from stride.web.patients.models import Consent
from stride.web.platform.audit.models import AuditEvent, Outcome
from tests.conftest import Cast
from tests.web.fhir.factories import consent_to_exchange, enrich, grant, partner


def _client(base: str, token: str) -> Any:
    smart = fhir_client.FHIRClient(settings={"app_id": "stride-test", "api_base": base})
    smart.server.session.headers["Authorization"] = f"Bearer {token}"
    return smart


def _events(system: PartnerSystem) -> list[tuple[str, str]]:
    return list(AuditEvent.objects.filter(actor_label=f"fhir-system:{system.pk}")
                .order_by("id").values_list("object_type", "outcome"))


@pytest.mark.django_db(transaction=True)
def test_a_fhir_client_reads_the_patient_and_everything_and_another_system_gets_404(
        cast: Cast, live_server: Any) -> None:
    case = enrich(cast, cast.case_a, clinician=cast.clinician_a, surgeon=cast.surgeon_a)
    reader, token = partner("Synthetic Referring Hospital")
    other, other_token = partner("Synthetic Other Hospital")
    grant(case, reader, cast.coordinator_a)
    base = f"{live_server.url}/fhir"
    fhir_id = fhir_patient_id(case.patient_id)

    smart = _client(base, token)
    patient = ClientPatient.read(fhir_id, smart.server)
    assert patient.id == fhir_id
    assert patient.birthDate.isostring == "2019-05-17"
    assert patient.name[0].family == case.patient.family_name
    everything = smart.server.request_json(f"Patient/{fhir_id}/$everything")
    bundle = ClientBundle(everything)  # the client's R4 models parse every entry
    assert bundle.type == "searchset"
    kinds = {entry.resource.resource_type for entry in bundle.entry}
    assert {"Patient", "RelatedPerson", "Condition", "Observation", "Procedure",
            "AdverseEvent", "Consent"} <= kinds
    assert _events(reader) == [("patient", Outcome.OK), ("fhir-bundle", Outcome.OK)]

    intruder = _client(base, other_token)
    for read in (lambda: ClientPatient.read(fhir_id, intruder.server),
                 lambda: intruder.server.request_json(f"Patient/{fhir_id}/$everything")):
        with pytest.raises(FHIRNotFoundException) as refused:
            read()
        assert refused.value.response.headers["Content-Type"].startswith(
            "application/fhir+json")
        assert refused.value.response.json()["resourceType"] == "OperationOutcome"
    # Another system's child is "not found" for this system: only its own grants are looked at.
    assert _events(other) == [("patient", Outcome.NOT_FOUND),
                              ("fhir-bundle", Outcome.NOT_FOUND)]

    with pytest.raises(FHIRUnauthorizedException):
        ClientPatient.read(fhir_id, _client(base, "not-a-token").server)


def _get(client: Client, path: str, token: str) -> Any:
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_unknown_id_revoked_grant_and_withdrawn_consent_give_the_same_404(
        cast: Cast, client: Client) -> None:
    case = cast.case_a
    consent_to_exchange(case)
    system, token = partner()
    grant(case, system, cast.coordinator_a)
    url = reverse("fhir:patient", args=[fhir_patient_id(case.patient_id)])
    assert _get(client, url, token).status_code == 200

    unknown = _get(client, reverse("fhir:patient", args=["no-such-id"]), token)
    other_child = _get(client, reverse("fhir:everything",
                                       args=[fhir_patient_id(cast.case_b.patient_id)]), token)
    consent = Consent.objects.get(patient=case.patient,
                                  kind=ConsentKind.CROSS_BORDER_TRANSFER.value)
    patients.withdraw_consent(by=cast.coordinator_a, consent_id=consent.pk,
                              reason="Synthetic: the family asked")
    no_consent = _get(client, url, token)
    consent_to_exchange(case)
    assert _get(client, url, token).status_code == 200
    services.revoke_access(by=cast.coordinator_a, case=case,
                           access_id=system.grants.get().pk, reason="Synthetic: care ended")
    revoked = _get(client, url, token)

    answers = [unknown, other_child, no_consent, revoked]
    assert {r.status_code for r in answers} == {404}
    assert len({r.content for r in answers}) == 1
    assert _events(system) == [
        ("patient", Outcome.OK), ("patient", Outcome.NOT_FOUND),
        ("fhir-bundle", Outcome.NOT_FOUND), ("patient", Outcome.DENIED),
        ("patient", Outcome.OK), ("patient", Outcome.DENIED)]


def test_tokens_are_stored_as_hashes_and_an_inactive_system_or_old_token_opens_nothing(
        cast: Cast, client: Client) -> None:
    consent_to_exchange(cast.case_a)
    system, token = partner()
    grant(cast.case_a, system, cast.coordinator_a)
    system.refresh_from_db()
    assert token not in system.token_hash
    assert system.token_hash == hash_token(token)
    url = reverse("fhir:patient", args=[fhir_patient_id(cast.case_a.patient_id)])
    services.set_system_active(by=cast.admin, system_id=system.pk, active=False)
    assert _get(client, url, token).status_code == 401
    services.set_system_active(by=cast.admin, system_id=system.pk, active=True)
    new = services.issue_new_token(by=cast.admin, system_id=system.pk).token
    assert _get(client, url, token).status_code == 401
    assert _get(client, url, new).status_code == 200
    response = client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert AuditEvent.objects.filter(actor_label="fhir-system:unknown",
                                     outcome=Outcome.DENIED).count() == 3


def test_metadata_is_a_capability_statement_without_a_session(db: None, client: Client) -> None:
    response = client.get(reverse("fhir:metadata"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "CapabilityStatement"
    assert body["fhirVersion"] == "4.0.1"
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies


def test_reads_are_rate_limited(cast: Cast, client: Client, settings: Any,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import timedelta

    from stride.web.fhir import api
    from stride.web.platform.ratelimit import Limit
    monkeypatch.setattr(api, "READS_PER_MINUTE", Limit("fhir-api", 2, timedelta(minutes=1)))
    consent_to_exchange(cast.case_a)
    system, token = partner()
    grant(cast.case_a, system, cast.coordinator_a)
    url = reverse("fhir:patient", args=[fhir_patient_id(cast.case_a.patient_id)])
    assert [_get(client, url, token).status_code for _ in range(3)] == [200, 200, 429]
    assert int(_get(client, url, token)["Retry-After"]) >= 1


def test_post_is_not_allowed(cast: Cast, client: Client) -> None:
    _system, token = partner()
    url = reverse("fhir:patient", args=[fhir_patient_id(cast.case_a.patient_id)])
    assert client.post(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 405
