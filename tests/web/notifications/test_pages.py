"""The inbox, opening a notice, marking read, the e-mail choices and the badge.

Only a notice's recipient reaches it: anyone else gets the 404, audited. All synthetic.
"""

from __future__ import annotations

import re

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stride.web.events import DocumentAdded, MessageSent, announce
from stride.web.notifications.models import Kind, Notification, NotificationPreference
from stride.web.platform.audit.models import AuditEvent, ObjectType, Outcome
from tests.conftest import Cast

INBOX = "/notifications/"


def _documents(cast: Cast, count: int = 1) -> None:
    for number in range(count):
        with transaction.atomic():
            announce(DocumentAdded(case_id=cast.case_a.pk, patient_id=cast.case_a.patient_id,
                                   document_id=number + 1, by_family=True))


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _badge(html: str) -> str | None:
    found = re.search(r'class="nav-badge" aria-hidden="true">(\d+)</span>'
                      r'<span class="visually-hidden">\((\d+) unread\)', html)
    return found.group(1) if found else None


def test_the_navigation_shows_the_unread_count_to_staff(team: Cast) -> None:
    _documents(team, 3)
    page = _client(team.clinician_a).get(reverse("patients:dashboard")).text
    assert _badge(page) == "3"
    assert "(3 unread)" in page
    # Someone with nothing unread sees the link without a number.
    other = _client(team.clinician_b).get(reverse("patients:dashboard")).text
    assert 'href="/notifications/"' in other
    assert _badge(other) is None


def test_the_navigation_shows_the_unread_count_to_families(team: Cast) -> None:
    with transaction.atomic():
        announce(MessageSent(case_id=team.case_a.pk, patient_id=team.case_a.patient_id,
                             message_id=0, from_family=False, at=team.case_a.opened_at))
    page = _client(team.guardian_a).get(reverse("portal:home")).text
    assert _badge(page) == "1"
    assert _badge(_client(team.guardian_b).get(reverse("portal:home")).text) is None


def test_the_inbox_lists_newest_first_unread_marked_and_audits_each_read(team: Cast) -> None:
    _documents(team, 2)
    first, second = Notification.objects.filter(recipient=team.coordinator_a).order_by("id")
    Notification.objects.filter(pk=first.pk).update(read_at=first.created_at)
    response = _client(team.coordinator_a).get(INBOX)
    assert response.status_code == 200
    html = response.text
    assert html.index(f"/notifications/{second.pk}/open/") < html.index(
        f"/notifications/{first.pk}/open/")
    assert html.count("notification unread") == 1
    assert "The family added a document to case" in html
    reads = AuditEvent.objects.filter(actor=team.coordinator_a, action="read",
                                      object_type=ObjectType.NOTIFICATION)
    assert set(reads.values_list("object_id", flat=True)) == {str(first.pk), str(second.pk)}
    assert set(reads.values_list("patient_id", flat=True)) == {team.case_a.patient_id}
    # Another person's inbox does not show them.
    assert "/open/" not in _client(team.coordinator_b).get(INBOX).text


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(team: Cast) -> None:
    _documents(team)
    notice = Notification.objects.get(recipient=team.coordinator_a)
    client = _client(team.coordinator_a)
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("coordination:case", args=[team.case_a.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert client.get(response["Location"]).status_code == 200


def test_someone_elses_notice_is_a_404_and_audited(team: Cast) -> None:
    _documents(team)
    notice = Notification.objects.get(recipient=team.coordinator_a)
    for user in (team.coordinator_b, team.clinician_a, team.guardian_a, team.admin):
        client = _client(user)
        for response in (client.get(reverse("notifications:open", args=[notice.pk])),
                         client.post(reverse("notifications:read", args=[notice.pk]))):
            assert response.status_code == 404
        refusals = AuditEvent.objects.filter(actor=user, object_type=ObjectType.NOTIFICATION,
                                             object_id=str(notice.pk))
        assert set(refusals.values_list("outcome", flat=True)) == {Outcome.DENIED}
        assert refusals.first().patient_id == team.case_a.patient_id  # type: ignore[union-attr]
    notice.refresh_from_db()
    assert notice.read_at is None
    missing = _client(team.coordinator_a).get(reverse("notifications:open", args=[99999]))
    assert missing.status_code == 404
    assert AuditEvent.objects.filter(actor=team.coordinator_a, object_id="99999",
                                     outcome=Outcome.NOT_FOUND).exists()


def test_mark_one_and_mark_all_read(team: Cast) -> None:
    _documents(team, 3)
    client = _client(team.surgeon_a)
    one = Notification.objects.filter(recipient=team.surgeon_a).first()
    assert one is not None
    assert client.post(reverse("notifications:read", args=[one.pk])).status_code == 302
    assert Notification.objects.filter(recipient=team.surgeon_a, read_at__isnull=True).count() == 2
    assert client.get(reverse("notifications:read", args=[one.pk])).status_code == 405
    assert client.post(reverse("notifications:read-all")).status_code == 302
    assert not Notification.objects.filter(recipient=team.surgeon_a, read_at__isnull=True).exists()
    # Only one's own: the coordinator's stay unread.
    assert Notification.objects.filter(recipient=team.coordinator_a,
                                       read_at__isnull=True).count() == 3
    assert _badge(client.get(INBOX).text) is None


def test_the_preferences_page_stores_the_choices(team: Cast) -> None:
    client = _client(team.coordinator_a)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    assert "A new inquiry in my queue" in page.text
    assert "always e-mailed" in page.text
    ticked = [Kind.NEW_INQUIRY.value, Kind.FAMILY_MESSAGE.value]
    response = client.post(reverse("notifications:preferences"),
                           {"email": "chosen", "kinds": ticked})
    assert response.status_code == 302
    saved = NotificationPreference.objects.get(user=team.coordinator_a)
    assert Kind.FAMILY_DOCUMENT.value in saved.muted_kinds
    assert Kind.NEW_INQUIRY.value not in saved.muted_kinds
    assert Kind.ADVERSE_EVENT.value not in saved.muted_kinds  # cannot be muted
    assert AuditEvent.objects.filter(actor=team.coordinator_a,
                                     object_type=ObjectType.NOTIFICATION_PREFERENCES).exists()
    refused = client.post(reverse("notifications:preferences"), {"email": "never"})
    assert refused.status_code == 400


def test_families_are_offered_their_own_kinds(team: Cast) -> None:
    page = _client(team.guardian_a).get(reverse("notifications:preferences")).text
    assert "A new letter" in page
    assert "A new inquiry in my queue" not in page


def test_signed_out_people_are_sent_to_sign_in(db: None) -> None:
    response = Client().get(INBOX)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_badge_costs_one_count_query_per_page(team: Cast) -> None:
    _documents(team, 2)
    client = _client(team.clinician_a)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("patients:dashboard")).text
    asked = [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(asked) == 1
    assert "COUNT(" in asked[0].upper()
    assert _badge(page) == "2"
