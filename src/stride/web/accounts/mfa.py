"""Second factors for staff sign-in: authenticator apps (TOTP), passkeys and recovery codes.

The devices are django-otp's (``TOTPDevice``, ``StaticDevice``) and django-otp-webauthn's
(``WebAuthnCredential``); this module decides who must use one, checks codes through
them and writes an audit event for everything that happens to a second factor.

- Who: every staff role in ``STRIDE_MFA_REQUIRED_ROLES``, and any staff member who has set
  one up (a second factor, once added, is always asked for). Guardians use the portal's
  e-mailed links and are never asked.
- A session is *verified* once a factor has been passed in it (django-otp's
  ``request.user.is_verified()``); the session key changes at that moment.
- Recovery codes are django-otp static tokens, stored as keyed hashes (HMAC-SHA256 with
  the site's secret) rather than as the codes themselves; each works once. They stand
  behind an app or passkey and are removed with the last of those.
- Codes are throttled by django-otp per device (the wait doubles with every wrong code); a
  TOTP code is accepted once only (``last_t``), so a code seen over a shoulder cannot be
  replayed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.accounts.throttle import normalise_username
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record

#: An authenticator app that was shown but never confirmed is forgotten after this long.
UNCONFIRMED_FOR = timedelta(minutes=30)
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper
_RECOVERY_LENGTH = 12  # about 59 bits each


class Kind(StrEnum):
    """The kinds of second factor, as they appear in the audit trail's object ids."""

    TOTP = "totp"
    PASSKEY = "passkey"
    RECOVERY = "recovery"


@dataclass(frozen=True, slots=True)
class Factor:
    """One second factor of a user, for the security page."""

    persistent_id: str
    kind: Kind
    name: str
    created_at: datetime | None
    last_used_at: datetime | None


class Result(StrEnum):
    """How checking a code ended."""

    OK = "ok"
    WRONG = "wrong"
    WAIT = "wait"


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """The result of :func:`verify_code`: the outcome and, when it must wait, until when."""

    result: Result
    kind: Kind | None = None
    wait_until: datetime | None = None


def _kind_of(device: Any) -> Kind:
    if isinstance(device, TOTPDevice):
        return Kind.TOTP
    if isinstance(device, WebAuthnCredential):
        return Kind.PASSKEY
    return Kind.RECOVERY


def audit_id(device: Any) -> str:
    """How a device is named in the audit trail: ``totp:3``, ``passkey:7``, ``recovery:2``."""
    return f"{_kind_of(device)}:{device.pk}"


# --- Who must use a second factor --------------------------------------------------------

def may_use(user: AbstractBaseUser) -> bool:
    """Whether ``user`` is staff, who may set up second factors (guardians are not)."""
    return bool(user.is_authenticated and getattr(user, "role", None)
                and user.role != Role.GUARDIAN.value)  # type: ignore[attr-defined]


def is_required(user: AbstractBaseUser) -> bool:
    """Whether the user's role must pass a second factor (``STRIDE_MFA_REQUIRED_ROLES``)."""
    roles: frozenset[str] = settings.STRIDE_MFA_REQUIRED_ROLES
    return may_use(user) and getattr(user, "role", None) in roles


def has_second_factor(user: AbstractBaseUser) -> bool:
    """Whether the user has a confirmed authenticator app or passkey."""
    return bool(TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
                or WebAuthnCredential.objects.filter(user_id=user.pk, confirmed=True).exists())


def must_verify(user: AbstractBaseUser) -> bool:
    """Whether a session of ``user`` must pass a second factor before anything else."""
    return may_use(user) and (is_required(user) or has_second_factor(user))


def session_verified(request: HttpRequest) -> bool:
    """Whether this session has passed a second factor (django-otp's ``is_verified``)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check is not None and check())


def signed_in(request: HttpRequest) -> User | None:
    """The signed-in user (password passed), or ``None``."""
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def is_pending(request: HttpRequest) -> bool:
    """Whether this session passed the password but still owes a second factor."""
    user = signed_in(request)
    return user is not None and not session_verified(request) and must_verify(user)


def may_manage(request: HttpRequest) -> bool:
    """Whether this session may add or remove factors: staff who have passed one already,
    or who have none yet (setting up the first is how a new user gets started)."""
    user = signed_in(request)
    return user is not None and may_use(user) and (
        session_verified(request) or not has_second_factor(user))


def factors(user: AbstractBaseUser) -> list[Factor]:
    """The user's confirmed authenticator apps and passkeys, oldest first."""
    found: list[Any] = [
        *TOTPDevice.objects.filter(user_id=user.pk, confirmed=True),
        *WebAuthnCredential.objects.filter(user_id=user.pk, confirmed=True),
    ]
    found.sort(key=lambda d: (d.created_at or timezone.now(), d.pk))
    return [Factor(d.persistent_id, _kind_of(d), d.name, d.created_at, d.last_used_at)
            for d in found]


def recovery_codes_left(user: AbstractBaseUser) -> int:
    """How many unused recovery codes the user has."""
    device = StaticDevice.objects.filter(user_id=user.pk).first()
    return 0 if device is None else device.token_set.count()


def mark_verified(request: HttpRequest, device: Any) -> None:
    """Record in the session that ``device`` was passed; the session key changes."""
    otp_login(request, device)
    request.session.cycle_key()


# --- Authenticator apps ------------------------------------------------------------------

def start_authenticator(user: User, *, now: datetime | None = None) -> TOTPDevice:
    """The unconfirmed app being set up: the one shown lately, or a new secret."""
    moment = now or timezone.now()
    pending = TOTPDevice.objects.filter(user=user, confirmed=False)
    recent = pending.filter(created_at__gte=moment - UNCONFIRMED_FOR).order_by("-id").first()
    if recent is not None:
        return recent
    pending.delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The app's set-up link as an SVG QR code (drawn here: no image service is asked)."""
    code = segno.make(device.config_url, error="m")
    return str(code.svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=True,
                               svgclass="qr", lineclass=None))


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32 groups of four, for an app that cannot scan."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def confirm_authenticator(request: HttpRequest, device: TOTPDevice, code: str) -> bool:
    """Confirm an app with its first code; audited, and the session is then verified."""
    user = request.user
    if not isinstance(user, User) or device.user_id != user.pk:
        return False
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        ok = (not locked.confirmed) and locked.verify_token(_digits(code))
        if ok:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
    record(actor=user, action=Action.CREATE, object_type=ObjectType.SECOND_FACTOR,
           object_id=audit_id(device), outcome=Outcome.OK if ok else Outcome.DENIED)
    if ok:
        mark_verified(request, locked)
    return ok


def _digits(code: str) -> str:
    return "".join(code.split()).replace("-", "")


# --- Recovery codes ----------------------------------------------------------------------

def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_digest(code: str) -> str:
    """What is stored for a recovery code: a keyed hash, 16 hex digits (the token field's size)."""
    normal = _normalise_recovery(code)
    return hmac.new(settings.SECRET_KEY.encode(), f"recovery:{normal}".encode(),
                    hashlib.sha256).hexdigest()[:16]


def new_recovery_codes(user: User, *, by: User | None = None) -> list[str]:
    """Replace the user's recovery codes with fresh ones and return them (shown once)."""
    codes = []
    for _ in range(settings.STRIDE_RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append("-".join(raw[i:i + 4] for i in range(0, _RECOVERY_LENGTH, 4)))
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": "Recovery codes", "confirmed": True})
        device.token_set.all().delete()
        device.token_set.bulk_create([
            device.token_set.model(device=device, token=recovery_digest(code)) for code in codes
        ])
    record(actor=by or user, action=Action.CREATE, object_type=ObjectType.RECOVERY_CODES,
           object_id=audit_id(device))
    return codes


# --- Passing a second factor -------------------------------------------------------------

def verify_code(request: HttpRequest, code: str) -> CodeCheck:
    """Check a code typed at the second step: six digits for an app, else a recovery code.

    Audited either way; on success the session is verified.
    """
    user = request.user
    if not isinstance(user, User):
        return CodeCheck(Result.WRONG)
    digits = _digits(code)
    if digits.isdigit() and len(digits) in (6, 8):
        candidates: list[Any] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        token = digits
    else:
        candidates = list(StaticDevice.objects.filter(user=user, confirmed=True))
        token = recovery_digest(code)
    checks = [(device, *device.verify_is_allowed()) for device in candidates]
    allowed = [device for device, ok, _why in checks if ok]
    if candidates and not allowed:
        until = min(why["locked_until"] for _device, _ok, why in checks)
        record(actor=user, action=Action.FAILED_LOGIN, object_type=ObjectType.SECOND_FACTOR,
               object_id=normalise_username(user.get_username()), outcome=Outcome.LOCKED)
        return CodeCheck(Result.WAIT, wait_until=until)
    for device in allowed:
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            record(actor=user, action=Action.LOGIN, object_type=ObjectType.SECOND_FACTOR,
                   object_id=audit_id(verified))
            mark_verified(request, verified)
            return CodeCheck(Result.OK, kind=_kind_of(verified))
    record(actor=user, action=Action.FAILED_LOGIN, object_type=ObjectType.SECOND_FACTOR,
           object_id=normalise_username(user.get_username()), outcome=Outcome.DENIED)
    return CodeCheck(Result.WRONG)


# --- Removing ----------------------------------------------------------------------------

def _find(user: AbstractBaseUser, persistent_id: str) -> Any | None:
    """The user's confirmed app or passkey named by ``persistent_id``, else ``None``."""
    label, _slash, number = persistent_id.partition("/")
    model = {TOTPDevice.model_label(): TOTPDevice,
             WebAuthnCredential.model_label(): WebAuthnCredential}.get(label)
    if model is None or not number.isdigit() or len(number) > 18:
        return None
    return model.objects.filter(pk=int(number), user_id=user.pk, confirmed=True).first()


def remove_factor(user: User, persistent_id: str, *, by: User) -> bool:
    """Remove one of ``user``'s apps or passkeys (audited); the recovery codes go with the last."""
    device = _find(user, persistent_id)
    if device is None:
        return False
    record(actor=by, action=Action.DELETE, object_type=ObjectType.SECOND_FACTOR,
           object_id=audit_id(device))
    device.delete()
    if not has_second_factor(user):
        for static in StaticDevice.objects.filter(user=user):
            record(actor=by, action=Action.DELETE, object_type=ObjectType.RECOVERY_CODES,
                   object_id=audit_id(static))
            static.delete()
    return True


def remove_all(user: User, *, by: User) -> int:
    """Remove every second factor of ``user`` (an administrator, for a lost phone); audited.

    The user sets up a new one at their next sign-in when their role requires it.
    """
    removed = 0
    for factor in factors(user):
        removed += remove_factor(user, factor.persistent_id, by=by)
    for static in StaticDevice.objects.filter(user=user):
        record(actor=by, action=Action.DELETE, object_type=ObjectType.RECOVERY_CODES,
               object_id=audit_id(static))
        static.delete()
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return removed
