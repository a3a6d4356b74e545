"""The care team records consents and withdrawals on signed papers (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stride.core.consents import ConsentKind, ConsentMethod
from stride.web.events import ConsentWithdrawn, handles
from stride.web.patients import services
from stride.web.patients.models import Consent, ConsentPaper
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from tests.conftest import Cast
from tests.web import files
from tests.web.consents.conftest import stored_files


def _scan(content: bytes = files.PDF, name: str = "signed.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _record(client: Client, cast: Cast, **changes: object) -> object:
    guardian = cast.case_a.patient.guardians.get()
    data: dict[str, object] = {"guardian": guardian.pk, "kind": "research",
                               "signed_on": timezone.localdate().isoformat(),
                               "consent_paper": _scan()}
    data.update(changes)
    return client.post(reverse("patients:consent-record", args=[cast.case_a.pk]), data)


def test_a_coordinator_records_a_signed_paper_with_its_scan(cast: Cast, client: Client,
                                                            media: Path) -> None:
    client.force_login(cast.coordinator_a)
    response = _record(client, cast)
    assert response.status_code == 302  # type: ignore[attr-defined]
    consent = Consent.objects.get(patient=cast.case_a.patient, kind="research")
    assert consent.method == ConsentMethod.SIGNED_PAPER
    assert consent.recorded_by == cast.coordinator_a
    assert consent.granted_by == cast.case_a.patient.guardians.get()
    assert consent.text_version == "research-v1"
    assert consent.paper is not None
    assert (media / consent.paper.stored_name).is_file()
    assert AuditEvent.objects.filter(actor=cast.coordinator_a, action=Action.CREATE,
                                     object_type="consent", object_id=str(consent.pk)).exists()
    page = client.get(reverse("patients:case", args=[cast.case_a.pk])).text
    assert "Signed paper, scanned by the care team" in page
    assert "version 1" in page
    assert "research-v1" not in page  # the version in words, never the code
    scan = client.get(reverse("patients:consent-paper", args=[cast.case_a.pk, consent.pk]))
    assert scan.status_code == 200
    assert b"".join(scan.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


@pytest.mark.parametrize(("content", "name", "expected"), [
    (b"MZ\x90\x00 not a scan at all", "signed.pdf", "is not a PDF, JPEG or PNG"),
    (b"", "signed.pdf", "empty"),
])
def test_a_scan_of_the_wrong_type_is_refused_and_nothing_is_stored(
        cast: Cast, client: Client, media: Path, content: bytes, name: str,
        expected: str) -> None:
    client.force_login(cast.coordinator_a)
    response = _record(client, cast, consent_paper=_scan(content, name))
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert expected in response.text  # type: ignore[attr-defined]
    assert not Consent.objects.filter(kind="research").exists()
    assert not ConsentPaper.objects.exists()
    assert stored_files(media) == []


def test_a_scan_too_large_is_refused_with_the_limit(cast: Cast, client: Client, media: Path,
                                                    settings: object) -> None:
    settings.STRIDE_UPLOAD_DOCUMENT_MAX_BYTES = 100  # type: ignore[attr-defined]
    client.force_login(cast.coordinator_a)
    response = _record(client, cast, consent_paper=_scan(files.PDF + b"%" * 200))
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "larger than" in response.text  # type: ignore[attr-defined]
    assert not ConsentPaper.objects.exists()
    assert stored_files(media) == []


def test_a_signed_paper_needs_its_scan_and_a_past_date(cast: Cast, client: Client,
                                                       media: Path) -> None:
    client.force_login(cast.coordinator_a)
    without = _record(client, cast, consent_paper="")
    assert "Attach the scan of the signed paper" in without.text  # type: ignore[attr-defined]
    future = _record(client, cast, signed_on="2999-01-01")
    assert "in the future" in future.text  # type: ignore[attr-defined]
    assert not Consent.objects.filter(kind="research").exists()
    assert stored_files(media) == []


def test_the_guardian_must_be_the_childs(cast: Cast, client: Client, media: Path) -> None:
    client.force_login(cast.coordinator_a)
    other = cast.case_b.patient.guardians.get()
    response = _record(client, cast, guardian=other.pk)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Choose one of this child&#x27;s guardians" in response.text  # type: ignore[attr-defined]
    assert stored_files(media) == []


def test_the_same_consent_twice_is_refused_and_its_scan_removed(cast: Cast, client: Client,
                                                                media: Path) -> None:
    client.force_login(cast.coordinator_a)
    _record(client, cast)
    again = _record(client, cast)
    assert again.status_code == 400  # type: ignore[attr-defined]
    assert "already given and in force" in again.text  # type: ignore[attr-defined]
    assert ConsentPaper.objects.count() == 1
    assert len([p for p in stored_files(media) if ".staging" not in p.parts]) == 1


def test_a_withdrawal_on_a_signed_paper_needs_its_scan(cast: Cast, client: Client,
                                                       media: Path) -> None:
    consent = Consent.objects.get(patient=cast.case_a.patient)
    url = reverse("patients:consent-withdraw", args=[cast.case_a.pk, consent.pk])
    client.force_login(cast.coordinator_a)
    refused = client.post(url, {"method": "signed-paper"}, follow=True)
    assert "Attach the scan of the signed paper" in refused.text
    assert Consent.objects.get(pk=consent.pk).is_active
    heard: list[ConsentWithdrawn] = []
    handles(ConsentWithdrawn)(heard.append)
    client.post(url, {"method": "signed-paper", "reason": "Letter from the mother",
                      "withdrawal_paper": _scan(files.png(), "letter.png")})
    stored = Consent.objects.get(pk=consent.pk)
    assert stored.withdrawn_method == ConsentMethod.SIGNED_PAPER
    assert stored.withdrawn_by == cast.coordinator_a
    assert stored.withdrawn_paper is not None
    assert stored.withdrawn_paper.content_type == "image/png"
    assert heard == [ConsentWithdrawn(case_id=cast.case_a.pk, patient_id=stored.patient_id,
                                      consent_id=stored.pk, kind="data-processing")]
    page = client.get(reverse("patients:case", args=[cast.case_a.pk])).text
    assert "withdrawn on" in page
    assert "Letter from the mother" in page
    scan = client.get(reverse("patients:consent-withdrawal-paper",
                              args=[cast.case_a.pk, consent.pk]))
    assert scan.status_code == 200


def test_a_withdrawal_told_to_the_care_team(cast: Cast, client: Client) -> None:
    consent = Consent.objects.get(patient=cast.case_a.patient)
    client.force_login(cast.coordinator_a)
    client.post(reverse("patients:consent-withdraw", args=[cast.case_a.pk, consent.pk]),
                {"method": "told-care-team", "reason": "Telephone call"})
    stored = Consent.objects.get(pk=consent.pk)
    assert stored.withdrawn_method == ConsentMethod.TOLD_CARE_TEAM
    assert stored.withdrawn_paper is None


def test_outsiders_cannot_record_or_read_scans(cast: Cast, client: Client,
                                               media: Path) -> None:
    client.force_login(cast.coordinator_a)
    _record(client, cast)
    consent = Consent.objects.get(kind="research")
    scan_url = reverse("patients:consent-paper", args=[cast.case_a.pk, consent.pk])
    for outsider in (cast.coordinator_b, cast.guardian_a, cast.guardian_b, cast.analyst,
                     cast.admin):
        client.force_login(outsider)
        assert client.get(scan_url).status_code == 404
        assert AuditEvent.objects.filter(actor=outsider).exclude(outcome=Outcome.OK).exists()
        assert _record(client, cast).status_code == 404  # type: ignore[attr-defined]
    # Through one's own case, another child's consent is not found.
    client.force_login(cast.coordinator_b)
    assert client.get(reverse("patients:consent-paper",
                              args=[cast.case_b.pk, consent.pk])).status_code == 404
    assert AuditEvent.objects.filter(actor=cast.coordinator_b, object_type="consent",
                                     outcome=Outcome.NOT_FOUND).exists()
    assert Consent.objects.filter(kind="research").count() == 1
    # A consent without a scan has none to read.
    client.force_login(cast.coordinator_a)
    plain = Consent.objects.get(kind="data-processing", patient=cast.case_a.patient)
    assert client.get(reverse("patients:consent-paper",
                              args=[cast.case_a.pk, plain.pk])).status_code == 404


def test_the_service_refuses_what_does_not_fit(cast: Cast) -> None:
    patient = cast.case_a.patient
    guardian = patient.guardians.get()
    with pytest.raises(services.ConsentRefused):  # a coordinator cannot click for the family
        services.grant_consent(by=cast.coordinator_a, patient=patient,
                               kind=ConsentKind.STORY_PUBLICATION, granted_by=guardian,
                               method=ConsentMethod.PORTAL_CLICK)
    with pytest.raises(services.ConsentRefused):  # treatment is never a click
        services.grant_consent(by=cast.guardian_a, patient=patient,
                               kind=ConsentKind.TREATMENT, granted_by=guardian,
                               method=ConsentMethod.PORTAL_CLICK)
    with pytest.raises(services.ConsentRefused):  # no paper
        services.grant_consent(by=cast.coordinator_a, patient=patient,
                               kind=ConsentKind.TREATMENT, granted_by=guardian,
                               method=ConsentMethod.SIGNED_PAPER)
    with pytest.raises(services.ConsentRefused):  # unknown text version
        services.grant_consent(by=None, patient=patient, kind=ConsentKind.RESEARCH,
                               granted_by=guardian, text_version="research-v9")
    consent = Consent.objects.get(patient=patient)
    with pytest.raises(services.ConsentRefused):  # staff cannot "click" a withdrawal
        services.withdraw_consent(by=cast.coordinator_a, consent_id=consent.pk,
                                  method=ConsentMethod.PORTAL_CLICK)
    assert Consent.objects.filter(patient=patient).count() == 1
    assert Consent.objects.get(pk=consent.pk).is_active


def test_outsiders_cannot_record_withdraw_or_read_a_withdrawal_scan(cast: Cast,
                                                                   client: Client,
                                                                   media: Path) -> None:
    consent = Consent.objects.get(patient=cast.case_a.patient)
    client.force_login(cast.coordinator_a)
    client.post(reverse("patients:consent-withdraw", args=[cast.case_a.pk, consent.pk]),
                {"method": "signed-paper", "withdrawal_paper": _scan()})
    assert Consent.objects.get(pk=consent.pk).withdrawn_paper is not None
    calls = [
        ("get", reverse("patients:consent-withdrawal-paper", args=[cast.case_a.pk, consent.pk])),
        ("post", reverse("patients:consent-record", args=[cast.case_a.pk])),
    ]
    for outsider in (cast.coordinator_b, cast.clinician_b, cast.guardian_a, cast.guardian_b,
                     cast.analyst, cast.admin):
        client.force_login(outsider)
        for method, url in calls:
            last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
            assert getattr(client, method)(url).status_code == 404, (outsider.username, url)
            outcomes = set(AuditEvent.objects.filter(actor=outsider, id__gt=last or 0)
                           .values_list("outcome", flat=True))
            assert outcomes, (outsider.username, url)
            assert Outcome.OK not in outcomes, (outsider.username, url)
    # Through one's own case, another child's withdrawal scan is not found, and audited.
    client.force_login(cast.coordinator_b)
    assert client.get(reverse("patients:consent-withdrawal-paper",
                              args=[cast.case_b.pk, consent.pk])).status_code == 404
    assert AuditEvent.objects.filter(actor=cast.coordinator_b, object_type="consent",
                                     object_id=str(consent.pk),
                                     outcome=Outcome.NOT_FOUND).exists()
    # A consent still in force has no withdrawal scan to read.
    client.force_login(cast.coordinator_a)
    _record(client, cast)
    research = Consent.objects.get(kind="research")
    assert client.get(reverse("patients:consent-withdrawal-paper",
                              args=[cast.case_a.pk, research.pk])).status_code == 404


@pytest.mark.parametrize("method", ["portal-click", "inquiry-form", "", "nonsense"])
def test_a_staff_withdrawal_by_a_method_not_offered_is_refused(cast: Cast, client: Client,
                                                               media: Path,
                                                               method: str) -> None:
    consent = Consent.objects.get(patient=cast.case_a.patient)
    client.force_login(cast.coordinator_a)
    response = client.post(
        reverse("patients:consent-withdraw", args=[cast.case_a.pk, consent.pk]),
        {"method": method, "withdrawal_paper": _scan()}, follow=True)
    assert "Choose how the family withdrew the consent." in response.text
    assert Consent.objects.get(pk=consent.pk).is_active
    assert not ConsentPaper.objects.exists()
    assert stored_files(media) == []


def test_a_staff_withdrawal_reason_too_long_is_refused(cast: Cast, client: Client) -> None:
    consent = Consent.objects.get(patient=cast.case_a.patient)
    client.force_login(cast.coordinator_a)
    response = client.post(
        reverse("patients:consent-withdraw", args=[cast.case_a.pk, consent.pk]),
        {"method": "told-care-team", "reason": "x" * 2001}, follow=True)
    assert "2000" in response.text
    assert Consent.objects.get(pk=consent.pk).is_active


def test_a_guardian_cannot_withdraw_twice_in_the_portal(cast: Cast, client: Client) -> None:
    consent = Consent.objects.get(patient=cast.case_a.patient)
    url = reverse("portal:consent-withdraw", args=[cast.case_a.pk, consent.pk])
    client.force_login(cast.guardian_a)
    client.post(url)
    first = Consent.objects.get(pk=consent.pk).withdrawn_at
    assert first is not None
    assert "already withdrawn" in client.get(url).text
    again = client.post(url, follow=True)
    assert again.status_code == 200
    assert "This consent has already been withdrawn; nothing was changed." in again.text
    assert Consent.objects.get(pk=consent.pk).withdrawn_at == first
