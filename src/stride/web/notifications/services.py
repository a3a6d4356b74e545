"""Writes of notifications: notify people (inbox row and, by their choice, an e-mail),
mark notices read, store someone's e-mail choices.

Keyword-only, one transaction each (a handler's notices stand or fall with the write that
announced the event), audited. E-mails go through :func:`stride.web.platform.mail.send_mail`
in the recipient's language with a direct link to the page; they say what happened and on
which case, never a health detail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone, translation

from stride.core.errors import InvalidValue
from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.notifications.models import (
    EmailChoice,
    Kind,
    Notification,
    NotificationPreference,
)
from stride.web.notifications.words import describe, subject
from stride.web.patients.models import Case
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record, record_each
from stride.web.platform.links import absolute, site_link
from stride.web.platform.mail import recipient_language, send_mail


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone to notify: the account, the language and address their e-mail uses, and
    the page (a path on this site) the notice opens for them."""

    user: User
    language: str | None
    email: str
    link: str


@transaction.atomic
def notify(*, kind: Kind, case: Case | None, recipients: Iterable[Recipient],
           args: Mapping[str, object] | None = None, urgent: bool = False,
           email: bool = True, at: datetime | None = None) -> list[Notification]:
    """Give each recipient (once, if active) a notice of ``kind`` on ``case``; return them.

    Each notice is also e-mailed when the recipient's preferences ask for its kind, or
    always when ``urgent``; ``email`` false leaves the e-mail to the workflow that already
    sends one (an information request). ``args`` are the words the sentence needs besides
    the case's reference (see ``Notification.args``).
    """
    now = at or timezone.now()
    words: dict[str, object] = {"reference": case.reference if case else "", **(args or {})}
    chosen: dict[int, Recipient] = {}
    for recipient in recipients:
        if recipient.user.is_active:
            chosen.setdefault(recipient.user.pk, recipient)
    if not chosen:
        return []
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(
        user_id__in=chosen)}
    patient_id = case.patient_id if case else None
    notices = []
    for recipient in chosen.values():
        preference = preferences.get(recipient.user.pk) or NotificationPreference()
        mailed = bool(recipient.email) and (urgent or email) and preference.wants_email(
            kind.value, urgent=urgent)
        notice = Notification.objects.create(
            recipient=recipient.user, case=case, patient_id=patient_id, kind=kind.value,
            args=words, urgent=urgent, link=recipient.link, created_at=now, emailed=mailed)
        if mailed:
            _email(notice, recipient)
        notices.append(notice)
    record_each(actor=None, actor_label="notifications", action=Action.CREATE,
                object_type=ObjectType.NOTIFICATION,
                objects=((notice.pk, patient_id) for notice in notices))
    return notices


def _email(notice: Notification, recipient: Recipient) -> None:
    """Queue the notice's e-mail in the recipient's language, with the page's full address."""
    with translation.override(recipient_language(recipient.language)):
        sentence = describe(notice.kind, notice.args)
        title = subject(notice.kind, notice.args, urgent=notice.urgent)
    send_mail(to=recipient.email, language=recipient.language,
              template="notifications/email/notice", patient_id=notice.patient_id,
              context={"sentence": sentence, "subject": title, "urgent": notice.urgent,
                       "link": absolute(notice.link),
                       "inbox_link": site_link("notifications:inbox"),
                       "preferences_link": site_link("notifications:preferences"),
                       # Families sign in by an e-mailed link, not with a password.
                       "sign_in_link": site_link("portal:sign-in")
                       if recipient.user.role == Role.GUARDIAN.value else ""})


@transaction.atomic
def mark_read(*, by: User, notification: Notification,
              at: datetime | None = None) -> Notification:
    """Mark ``by``'s own ``notification`` read (once; a second time changes nothing)."""
    if notification.recipient_id != by.pk:
        raise InvalidValue("notification", notification.pk, "one of your own notifications")
    if notification.read_at is None:
        notification.read_at = at or timezone.now()
        notification.save(update_fields=["read_at"])
        record(actor=by, action=Action.UPDATE, object_type=ObjectType.NOTIFICATION,
               object_id=notification.pk, patient_id=notification.patient_id)
    return notification


@transaction.atomic
def mark_all_read(*, by: User, at: datetime | None = None) -> int:
    """Mark every unread notice of ``by`` read; return how many were."""
    unread = Notification.objects.select_for_update().filter(recipient=by, read_at__isnull=True)
    rows = list(unread.values_list("pk", "patient_id"))
    Notification.objects.filter(pk__in=[pk for pk, _patient in rows]).update(
        read_at=at or timezone.now())
    record_each(actor=by, action=Action.UPDATE, object_type=ObjectType.NOTIFICATION,
                objects=rows)
    return len(rows)


@transaction.atomic
def save_preferences(*, by: User, email: str, muted_kinds: Iterable[str],
                     at: datetime | None = None) -> NotificationPreference:
    """Store which notices ``by`` also receives by e-mail; return the choices.

    Raises
    ------
    InvalidValue
        For an e-mail choice or a kind of notice that does not exist.
    """
    if email not in EmailChoice.values:
        raise InvalidValue("email", email, " or ".join(EmailChoice.values))
    muted = sorted(set(muted_kinds))
    unknown = [kind for kind in muted if kind not in Kind.values]
    if unknown:
        raise InvalidValue("muted_kinds", ", ".join(unknown), "kinds of notice")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=by, defaults={"email": email, "muted_kinds": muted,
                           "updated_at": at or timezone.now()})
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.NOTIFICATION_PREFERENCES,
           object_id=by.pk)
    return preference
