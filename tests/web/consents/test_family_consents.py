"""The family's "Your consents" page in the portal (issue 18)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from stride.core.consents import ConsentKind, ConsentMethod, DataUse
from stride.web.events import ConsentWithdrawn, handles
from stride.web.patients import services
from stride.web.patients.models import Consent
from stride.web.patients.selectors import consents_in_force
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from tests.conftest import Cast


def _page(cast: Cast) -> str:
    return reverse("portal:consents", args=[cast.case_a.pk])


def test_the_portal_case_page_links_to_the_consents(cast: Cast, client: Client) -> None:
    client.force_login(cast.guardian_a)
    page = client.get(reverse("portal:case", args=[cast.case_a.pk])).text
    assert _page(cast) in page


def test_the_guardian_reads_every_text_and_what_is_given(cast: Cast, client: Client) -> None:
    client.force_login(cast.guardian_a)
    response = client.get(_page(cast))
    assert response.status_code == 200
    text = response.text
    assert "Photos and videos of the child in a published story" in text
    assert "I agree that the programme may store and use the information" in text
    assert "I agree that the programme may publish my child&#x27;s story" in text
    assert text.count("I have read this and I agree") == 3  # story, photos, research
    assert "version 1" in text
    assert "photo-video-v1" not in text
    assert AuditEvent.objects.filter(actor=cast.guardian_a, object_type="case",
                                     object_id=str(cast.case_a.pk), outcome=Outcome.OK).exists()


def test_the_guardian_gives_story_consent_by_a_click(cast: Cast, client: Client) -> None:
    client.force_login(cast.guardian_a)
    response = client.post(reverse("portal:consent-give", args=[cast.case_a.pk]),
                           {"kind": "story-publication"}, follow=True)
    assert "your consent is recorded" in response.text
    consent = Consent.objects.get(kind="story-publication")
    assert consent.method == ConsentMethod.PORTAL_CLICK
    assert consent.granted_by is not None
    assert consent.granted_by.user == cast.guardian_a
    assert consent.recorded_by == cast.guardian_a
    assert consent.text_version == "story-publication-v1"
    services.require_consents(patient=cast.case_a.patient, use=DataUse.PUBLIC_STORY)
    assert AuditEvent.objects.filter(actor=cast.guardian_a, action=Action.CREATE,
                                     object_type="consent").exists()
    # A second click (a double click) changes nothing.
    again = client.post(reverse("portal:consent-give", args=[cast.case_a.pk]),
                        {"kind": "story-publication"}, follow=True)
    assert "already given and in force" in again.text
    assert Consent.objects.filter(kind="story-publication").count() == 1


def test_treatment_and_data_processing_are_not_given_by_a_click(cast: Cast,
                                                                client: Client) -> None:
    client.force_login(cast.guardian_a)
    for kind in ("treatment", "cross-border-transfer", "data-processing"):
        response = client.post(reverse("portal:consent-give", args=[cast.case_a.pk]),
                               {"kind": kind}, follow=True)
        assert "Choose a consent you can give on this page." in response.text
    assert not Consent.objects.filter(kind__in=("treatment", "cross-border-transfer"),
                                      patient=cast.case_a.patient).exists()


def test_withdrawing_asks_first_and_then_records_a_click(cast: Cast, client: Client) -> None:
    patient = cast.case_a.patient
    guardian = patient.guardians.get()
    story = services.grant_consent(by=cast.guardian_a, patient=patient,
                                   kind=ConsentKind.STORY_PUBLICATION, granted_by=guardian,
                                   method=ConsentMethod.PORTAL_CLICK)
    url = reverse("portal:consent-withdraw", args=[cast.case_a.pk, story.pk])
    client.force_login(cast.guardian_a)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "taken off the public website within a minute" in confirm.text
    assert Consent.objects.get(pk=story.pk).is_active  # opening the page changes nothing
    heard: list[ConsentWithdrawn] = []
    handles(ConsentWithdrawn)(heard.append)
    done = client.post(url, follow=True)
    assert "Your consent is withdrawn." in done.text
    stored = Consent.objects.get(pk=story.pk)
    assert stored.withdrawn_method == ConsentMethod.PORTAL_CLICK
    assert stored.withdrawn_by == cast.guardian_a
    assert [event.kind for event in heard] == ["story-publication"]
    assert ConsentKind.STORY_PUBLICATION not in consents_in_force(patient)
    # Given again later: a new row, the withdrawn one kept.
    client.post(reverse("portal:consent-give", args=[cast.case_a.pk]),
                {"kind": "story-publication"})
    assert Consent.objects.filter(kind="story-publication").count() == 2


def test_withdrawing_data_processing_warns_and_is_allowed(cast: Cast, client: Client) -> None:
    consent = Consent.objects.get(patient=cast.case_a.patient, kind="data-processing")
    url = reverse("portal:consent-withdraw", args=[cast.case_a.pk, consent.pk])
    client.force_login(cast.guardian_a)
    confirm = client.get(url).text
    assert "cannot go on with the case" in confirm
    assert 'role="alert"' in confirm
    client.post(url)
    assert not Consent.objects.get(pk=consent.pk).is_active


def test_outsiders_get_the_404_and_are_audited(cast: Cast, client: Client) -> None:
    consent = Consent.objects.get(patient=cast.case_a.patient)
    urls = [
        ("get", _page(cast)),
        ("post", reverse("portal:consent-give", args=[cast.case_a.pk])),
        ("get", reverse("portal:consent-withdraw", args=[cast.case_a.pk, consent.pk])),
        ("post", reverse("portal:consent-withdraw", args=[cast.case_a.pk, consent.pk])),
    ]
    for outsider in (cast.guardian_b, cast.coordinator_a, cast.clinician_a, cast.analyst,
                     cast.admin):
        client.force_login(outsider)
        for method, url in urls:
            last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
            response = getattr(client, method)(url, {"kind": "story-publication"})
            assert response.status_code == 404, (outsider.username, url)
            outcomes = set(AuditEvent.objects.filter(actor=outsider, id__gt=last or 0)
                           .values_list("outcome", flat=True))
            assert outcomes, (outsider.username, url)
            assert Outcome.OK not in outcomes, (outsider.username, url)
    # Another child's consent through one's own case reads as not found.
    client.force_login(cast.guardian_b)
    other = reverse("portal:consent-withdraw", args=[cast.case_b.pk, consent.pk])
    assert client.post(other).status_code == 404
    assert AuditEvent.objects.filter(actor=cast.guardian_b, object_type="consent",
                                     outcome=Outcome.NOT_FOUND).exists()
    assert Consent.objects.get(pk=consent.pk).is_active
    assert not Consent.objects.filter(kind="story-publication").exists()
