"""The one way to e-mail a person: their language, on commit, retried, never lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from stride.web.platform import mail as platform_mail
from stride.web.platform.audit.models import Action, AuditEvent
from stride.web.platform.models import MailStatus, OutgoingMail
from tests.conftest import on_commit_run

TEMPLATE = "portal/email/sign_in"
CONTEXT = {"link": "https://stride.invalid/portal/sign-in/token/", "minutes": 30}


def _send(**changes: object) -> OutgoingMail:
    values: dict[str, object] = {"to": "parent@test.invalid", "language": "ru",
                                 "template": TEMPLATE, "context": CONTEXT, "patient_id": 7}
    values.update(changes)
    return platform_mail.send_mail(**values)  # type: ignore[arg-type]


def test_the_recipients_language_is_the_closest_offered_else_english() -> None:
    assert platform_mail.recipient_language("zh") == "zh-hans"
    assert platform_mail.recipient_language("ar-SA") == "ar"
    assert platform_mail.recipient_language("de") == "en"
    assert platform_mail.recipient_language(None) == "en"


def test_an_email_is_sent_on_commit_in_the_recipients_language_and_audited(db: None) -> None:
    with on_commit_run():
        queued = _send()
        assert mail.outbox == []  # not before the commit
    sent = mail.outbox[0]
    assert sent.to == ["parent@test.invalid"]
    assert any("\u0400" <= ch <= "\u04ff" for ch in sent.subject + sent.body)
    assert CONTEXT["link"] in sent.body
    queued.refresh_from_db()
    assert (queued.status, queued.language, queued.body) == (MailStatus.SENT, "ru", "")
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="email",
                                     object_id=str(queued.pk), patient_id=7).exists()


def _send_then_fail() -> None:
    with transaction.atomic():
        _send()
        raise RuntimeError("the write failed")


def test_nothing_is_sent_for_a_transaction_that_rolled_back(db: None) -> None:
    with on_commit_run(), pytest.raises(RuntimeError):
        _send_then_fail()
    assert mail.outbox == []
    assert not OutgoingMail.objects.exists()


def test_a_failed_delivery_is_retried_until_sent(db: None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def down(*_: object, **__: object) -> None:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(platform_mail.django_mail, "send_mail", down)
    with on_commit_run():
        queued = _send()
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, bool(queued.body)) == (MailStatus.PENDING, 1, True)
    monkeypatch.undo()
    assert platform_mail.deliver_pending() == 1
    assert platform_mail.deliver_pending() == 0  # sent once, never twice
    assert len(mail.outbox) == 1


def test_a_mail_that_keeps_failing_is_given_up_and_an_expired_one_dropped(
        db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform_mail.django_mail, "send_mail",
                        lambda *_a, **_k: (_ for _ in ()).throw(OSError("down")))
    with on_commit_run():
        failing = _send()
    for _ in range(platform_mail.MAX_ATTEMPTS):
        platform_mail.deliver_pending()
    failing.refresh_from_db()
    assert (failing.status, failing.attempts) == (MailStatus.GAVE_UP, platform_mail.MAX_ATTEMPTS)
    monkeypatch.undo()
    late = _send(expires_in=timedelta(minutes=30))
    assert not platform_mail.deliver(late.pk, now=timezone.now() + timedelta(hours=1))
    late.refresh_from_db()
    assert (late.status, late.body) == (MailStatus.EXPIRED, "")
    assert mail.outbox == []
