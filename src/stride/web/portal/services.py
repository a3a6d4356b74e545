"""Portal writes: e-mailed one-time sign-in links, and messages read by the family.

Asking for a link answers the same whether or not the address has an account (no account
enumeration); requests are counted per address and per client address in the audit trail
and refused quietly above :data:`settings.STRIDE_SIGNIN_LINK_MAX_PER_WINDOW` per window.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.coordination.models import Message
from stride.web.patients.models import Case, Guardian
from stride.web.platform import ratelimit
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.mail import send_mail
from stride.web.platform.request_origin import current_origin
from stride.web.portal.models import SignInLink

logger = logging.getLogger(__name__)

_LINK_EVENT = ObjectType.SIGN_IN_LINK


def token_hash(token: str) -> str:
    """Return the SHA-256 of a sign-in token (what is stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _links_per_address() -> ratelimit.Limit:
    return ratelimit.Limit("sign-in-link-address", settings.STRIDE_SIGNIN_LINK_MAX_PER_WINDOW,
                           timedelta(minutes=settings.STRIDE_LOGIN_LOCKOUT_MINUTES))


def _links_per_client() -> ratelimit.Limit:
    # A hospital's shared address asks for several families: four times one address's.
    return ratelimit.Limit("sign-in-link-client", 4 * settings.STRIDE_SIGNIN_LINK_MAX_PER_WINDOW,
                           timedelta(minutes=settings.STRIDE_LOGIN_LOCKOUT_MINUTES))


def request_sign_in_link(*, email: str, link_base: str, at: datetime | None = None) -> None:
    """E-mail a one-time sign-in link to the guardian account with ``email``, if any.

    ``link_base`` is the absolute URL the token is appended to. Returns nothing, whatever
    happened, so that the page cannot tell whether an account exists.
    """
    now = at or timezone.now()
    address = email.strip().lower()
    key = ratelimit.key_of(address)
    client = current_origin().ip
    if ratelimit.exceeded(_links_per_address(), address, now=now) or (
            client is not None and ratelimit.exceeded(_links_per_client(), client, now=now)):
        record(actor=None, action=Action.CREATE, object_type=_LINK_EVENT, object_id=key,
               outcome=Outcome.LOCKED)
        return
    ratelimit.hit(_links_per_address(), address, at=now)
    if client is not None:
        ratelimit.hit(_links_per_client(), client, at=now)
    user = User.objects.filter(email__iexact=email.strip(), role=Role.GUARDIAN.value,
                               is_active=True).first()
    record(actor=None, action=Action.CREATE, object_type=_LINK_EVENT, object_id=key,
           outcome=Outcome.OK if user is not None else Outcome.NOT_FOUND)
    if user is None:
        return
    token = secrets.token_urlsafe(32)
    SignInLink.objects.create(
        user=user, token_hash=token_hash(token), created_at=now,
        expires_at=now + timedelta(minutes=settings.STRIDE_SIGNIN_LINK_MINUTES))
    guardian = Guardian.objects.filter(user=user).order_by("-id").first()
    minutes = settings.STRIDE_SIGNIN_LINK_MINUTES
    send_mail(to=user.email, language=guardian.preferred_language if guardian else None,
              template="portal/email/sign_in", expires_in=timedelta(minutes=minutes),
              context={"link": f"{link_base}{token}/", "minutes": minutes})


@transaction.atomic
def redeem_sign_in_link(*, token: str, at: datetime | None = None) -> User | None:
    """Use up a sign-in link and return its guardian, or ``None`` if it is not valid.

    A link is valid once, before it expires; the row is locked so that two clicks at the
    same moment cannot both sign in. Every failure is audited as a failed sign-in.
    """
    now = at or timezone.now()
    link = (SignInLink.objects.select_for_update().select_related("user")
            .filter(token_hash=token_hash(token)).first())
    if (link is None or link.used_at is not None or link.expires_at <= now
            or not link.user.is_active):
        record(actor=None, action=Action.FAILED_LOGIN, object_type=_LINK_EVENT,
               object_id=link.pk if link is not None else "", outcome=Outcome.DENIED)
        return None
    link.used_at = now
    link.save(update_fields=("used_at",))
    return link.user


@transaction.atomic
def mark_programme_messages_read(*, by: User, case: Case, at: datetime | None = None) -> int:
    """Mark the programme's unread messages on ``case`` as read by the family.

    The caller has checked that ``by`` is a guardian of the case's child. Returns how many
    messages were marked.
    """
    count = Message.objects.filter(case=case, from_family=False, read_at__isnull=True).update(
        read_at=at or timezone.now())
    if count:
        record(actor=by, action=Action.UPDATE, object_type=ObjectType.MESSAGES_READ,
               object_id=case.pk,
               patient_id=case.patient_id)
    return count
