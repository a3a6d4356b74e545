"""An inquiry with the e-mail address of an existing guardian account attaches nothing.

The new child's guardian gets a *pending* link to that account. The account holder
confirms it (or says it was not them) from an e-mailed link: single use, expiring, only a
hash stored; or a coordinator confirms it after a check (tests/web/coordination). Until then
the child is not in that account's portal, and the public answer and the acknowledgement
e-mail are the same as for any other address.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stride.core.roles import Role
from stride.web.intake.models import AccountLinkStatus, GuardianAccountLink, Inquiry
from stride.web.intake.services import token_hash
from stride.web.patients.models import Case, Guardian
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from stride.web.platform.models import OutgoingMail
from tests.conftest import Cast, on_commit_run
from tests.web.intake.conftest import inquiry_data

INQUIRY = reverse("intake:inquiry")
KNOWN = "guardian.a@test.invalid"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def known(cast: Cast) -> Cast:
    """Guardian A has a portal account with an address and a child (case A)."""
    cast.guardian_a.email = KNOWN
    cast.guardian_a.save()
    return cast


def _send(client: Client, **changes: Any) -> Case:
    with on_commit_run():
        response = client.post(INQUIRY, inquiry_data(**changes))
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:acknowledgement")
    return Inquiry.objects.select_related("case__patient").latest("id").case


def _link_in(message: Any) -> str:
    match = re.search(r"http://testserver(/inquiry/account/[^/\s]+/)", message.body)
    assert match is not None, message.body
    return match.group(1)


def _is_account_link(message: Any) -> bool:
    return "/inquiry/account/" in message.body


def _account_link_mail() -> Any:
    (message,) = [m for m in mail.outbox if _is_account_link(m)]
    return message


def _portal_references(client: Client, user: Any) -> str:
    client.force_login(user)
    text = client.get(reverse("portal:home")).text
    client.logout()
    return text


def test_an_existing_accounts_address_attaches_nothing(client: Client, known: Cast) -> None:
    case = _send(client, email="Guardian.A@test.invalid")
    guardian = Guardian.objects.get(patient=case.patient)
    assert guardian.user is None
    link = GuardianAccountLink.objects.get()
    assert (link.guardian, link.account, link.status) == (guardian, known.guardian_a,
                                                          AccountLinkStatus.PENDING)
    assert re.fullmatch(r"[0-9a-f]{64}", link.token_hash)
    assert link.expires_at > timezone.now() + timedelta(days=6)

    portal = _portal_references(client, known.guardian_a)
    assert known.case_a.reference in portal
    assert case.reference not in portal
    client.force_login(known.guardian_a)
    assert client.get(reverse("portal:case", args=[case.pk])).status_code == 404


def test_the_public_answer_and_the_acknowledgement_are_the_same_either_way(
        client: Client, known: Cast) -> None:
    def answer(email: str) -> tuple[str, str, str]:
        mail.outbox.clear()
        case = _send(client, email=email)
        page = CSRF.sub("", client.get(reverse("intake:acknowledgement")).text)
        (acknowledgement,) = [m for m in mail.outbox if not _is_account_link(m)]
        return tuple(text.replace(case.reference, "REF").replace(email, "ADDRESS")
                     for text in (page, acknowledgement.subject,
                                  acknowledgement.body))  # type: ignore[return-value]

    assert answer("new.parent@test.invalid") == answer(KNOWN)


def test_the_account_holder_confirms_from_the_emailed_link(client: Client, known: Cast) -> None:
    case = _send(client, email=KNOWN, child_given_name="Secondchild", preferred_language="ru")
    confirmation = _account_link_mail()
    assert confirmation.to == [KNOWN]
    assert case.reference in confirmation.body
    assert "Secondchild" not in confirmation.subject + confirmation.body
    # In the account holder's language (their own child's guardian row says Bulgarian),
    # whatever the form's sender chose.
    assert OutgoingMail.objects.get(purpose="intake/email/account_link").language == "bg"
    url = _link_in(confirmation)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    link = GuardianAccountLink.objects.get()
    assert link.token_hash == token_hash(token)
    assert token not in link.token_hash

    page = client.get(url)  # opening the link (or a mail scanner) changes nothing
    assert page.status_code == 200
    assert "Secondchild" in page.text
    assert case.reference in page.text
    link.refresh_from_db()
    assert link.status == AccountLinkStatus.PENDING

    done = client.post(url, {"answer": "confirm"})
    assert done.status_code == 200
    link.refresh_from_db()
    assert link.status == AccountLinkStatus.CONFIRMED
    assert link.decided_by == known.guardian_a
    assert Guardian.objects.get(patient=case.patient).user == known.guardian_a
    assert case.reference in _portal_references(client, known.guardian_a)
    assert AuditEvent.objects.filter(actor=known.guardian_a, action=Action.UPDATE,
                                     object_type="guardian", patient_id=case.patient_id,
                                     outcome=Outcome.OK).exists()

    # Single use: the link does nothing a second time.
    again = client.post(url, {"answer": "decline"})
    assert again.status_code == 400
    link.refresh_from_db()
    assert link.status == AccountLinkStatus.CONFIRMED


def test_the_account_holder_says_it_was_not_them(client: Client, known: Cast) -> None:
    case = _send(client, email=KNOWN)
    url = _link_in(_account_link_mail())
    assert client.post(url, {"answer": "decline"}).status_code == 200
    link = GuardianAccountLink.objects.get()
    assert link.status == AccountLinkStatus.DECLINED
    assert Guardian.objects.get(patient=case.patient).user is None
    assert case.reference not in _portal_references(client, known.guardian_a)


def test_an_expired_link_attaches_nothing(client: Client, known: Cast) -> None:
    case = _send(client, email=KNOWN)
    url = _link_in(_account_link_mail())
    GuardianAccountLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 400
    response = client.post(url, {"answer": "confirm"})
    assert response.status_code == 400
    assert "cannot be used" in response.text
    assert Guardian.objects.get(patient=case.patient).user is None
    assert GuardianAccountLink.objects.get().status == AccountLinkStatus.PENDING
    assert AuditEvent.objects.filter(object_type="guardian", action=Action.UPDATE,
                                     outcome=Outcome.DENIED).exists()


def test_a_made_up_link_does_nothing(client: Client, known: Cast) -> None:
    _send(client, email=KNOWN)
    url = reverse("intake:account-link", args=["made-up-token"])
    assert client.get(url).status_code == 400
    assert client.post(url, {"answer": "confirm"}).status_code == 400
    assert GuardianAccountLink.objects.get().status == AccountLinkStatus.PENDING


def test_a_new_address_gets_its_own_account_and_a_staff_one_none(client: Client,
                                                                 known: Cast) -> None:
    case = _send(client, email="brand.new@test.invalid")
    account = Guardian.objects.get(patient=case.patient).user
    assert account is not None
    assert account.email == "brand.new@test.invalid"
    assert account.stride_role is Role.GUARDIAN
    known.coordinator_b.email = "staff.parent@test.invalid"
    known.coordinator_b.save()
    staff_case = _send(client, email="staff.parent@test.invalid")
    assert Guardian.objects.get(patient=staff_case.patient).user is None
    assert not GuardianAccountLink.objects.exists()
