"""Writes of the fhir app: partner systems and their tokens, grants, staged imports.

Every function is keyword-only, runs in one transaction and audits what it did. Tokens
are 256-bit random hex, shown once by the page that made them; only their SHA-256 is kept
(:func:`stride.web.fhir.selectors.hash_token`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stride.core.errors import StrideError
from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.fhir.models import BundleUpload, PartnerAccess, PartnerSystem
from stride.web.fhir.selectors import STAGED_FOR, hash_token
from stride.web.patients.models import CareTeamMembership, Case
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record

#: Longest reason kept for a grant or a revocation (a few sentences).
MAX_REASON = 2000


class PartnerRefused(StrideError):
    """A change to partner systems or grants that is not allowed; the message says why."""

    code = "partner-refused"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A partner system and its new token (shown once; only its hash is stored)."""

    system: PartnerSystem
    token: str


def _text(value: str, *, what: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise PartnerRefused(_("Write the %(what)s: it cannot be left empty.") % {"what": what})
    if len(text) > limit:
        raise PartnerRefused(_("The %(what)s is too long: keep it under %(limit)s characters.")
                             % {"what": what, "limit": limit})
    return text


def _require_admin(by: User) -> None:
    if Role(by.role) is not Role.ADMIN:
        raise PartnerRefused(_("Only an administrator registers partner systems."))


def _new_token() -> str:
    # Hex, as the operating-room device token: never starts with '-' on a command line.
    return secrets.token_hex(32)


@transaction.atomic
def register_system(*, by: User, name: str, contact: str,
                    at: datetime | None = None) -> IssuedToken:
    """Register a partner system with its first token and return both.

    Raises
    ------
    PartnerRefused
        If ``by`` is not an administrator, a field is empty or too long, or the name is
        taken.
    """
    _require_admin(by)
    clean_name = _text(name, what=_("system's name"), limit=200)
    clean_contact = _text(contact, what=_("contact"), limit=300)
    if PartnerSystem.objects.filter(name__iexact=clean_name).exists():
        raise PartnerRefused(_("A partner system with this name is registered already: "
                               "choose another name or give that system a new token."))
    now = at or timezone.now()
    token = _new_token()
    try:
        with transaction.atomic():
            system = PartnerSystem.objects.create(
                name=clean_name, contact=clean_contact, created_by=by, created_at=now,
                token_hash=hash_token(token), token_created_at=now)
    except IntegrityError:
        raise PartnerRefused(_("A partner system with this name is registered already: "
                               "choose another name or give that system a new token.")) from None
    record(actor=by, action=Action.CREATE, object_type=ObjectType.PARTNER_SYSTEM,
           object_id=system.pk)
    return IssuedToken(system=system, token=token)


@transaction.atomic
def issue_new_token(*, by: User, system_id: int, at: datetime | None = None) -> IssuedToken:
    """Give the system a new token (the old one stops working) and return it.

    Raises
    ------
    PartnerRefused
        If ``by`` is not an administrator or the system does not exist.
    """
    _require_admin(by)
    system = PartnerSystem.objects.select_for_update().filter(pk=system_id).first()
    if system is None:
        raise PartnerRefused(_("This partner system does not exist (any more)."))
    token = _new_token()
    system.token_hash = hash_token(token)
    system.token_created_at = at or timezone.now()
    system.save(update_fields=("token_hash", "token_created_at"))
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.PARTNER_SYSTEM,
           object_id=f"{system.pk} new-token")
    return IssuedToken(system=system, token=token)


@transaction.atomic
def set_system_active(*, by: User, system_id: int, active: bool) -> PartnerSystem:
    """Switch a system on or off (an inactive system's token opens nothing); return it.

    Raises
    ------
    PartnerRefused
        If ``by`` is not an administrator or the system does not exist.
    """
    _require_admin(by)
    system = PartnerSystem.objects.select_for_update().filter(pk=system_id).first()
    if system is None:
        raise PartnerRefused(_("This partner system does not exist (any more)."))
    system.active = active
    system.save(update_fields=("active",))
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.PARTNER_SYSTEM,
           object_id=f"{system.pk} {'active' if active else 'inactive'}")
    return system


def _require_coordinator(by: User, case: Case) -> None:
    on_team = CareTeamMembership.objects.current().filter(case=case, user=by).exists()
    if Role(by.role) is not Role.COORDINATOR or not on_team:
        raise PartnerRefused(_("Only a coordinator on the child's care team gives or "
                               "withdraws a partner system's access."))


@transaction.atomic
def grant_access(*, by: User, case: Case, system_id: int, reason: str,
                 at: datetime | None = None) -> PartnerAccess:
    """Let a partner system read the case's child through the FHIR endpoint; return the grant.

    The reading itself still needs the child's consents to record exchange, checked at
    every read, so a withdrawal stops the next read at once.

    Raises
    ------
    PartnerRefused
        If ``by`` is not a coordinator on the case's team, the system is unknown or off,
        the reason is missing, or the system may read the child already.
    """
    _require_coordinator(by, case)
    system = PartnerSystem.objects.filter(pk=system_id, active=True).first()
    if system is None:
        raise PartnerRefused(_("Choose one of the active partner systems in the list."))
    text = _text(reason, what=_("reason"), limit=MAX_REASON)
    if PartnerAccess.objects.current().filter(system=system, patient_id=case.patient_id).exists():
        raise PartnerRefused(_("%(system)s may read this child's record already.")
                             % {"system": system.name})
    grant = PartnerAccess.objects.create(
        system=system, patient_id=case.patient_id, case=case, reason=text, granted_by=by,
        granted_at=at or timezone.now())
    record(actor=by, action=Action.CREATE, object_type=ObjectType.PARTNER_ACCESS,
           object_id=grant.pk, patient_id=case.patient_id)
    return grant


@transaction.atomic
def revoke_access(*, by: User, case: Case, access_id: int, reason: str,
                  at: datetime | None = None) -> PartnerAccess:
    """End a grant for the case's child (kept, with who ended it, when and why); return it.

    Raises
    ------
    PartnerRefused
        If ``by`` is not a coordinator on the case's team, the grant is not one in force
        for this child, or the reason is missing.
    """
    _require_coordinator(by, case)
    grant = (PartnerAccess.objects.current().select_for_update()
             .filter(pk=access_id, patient_id=case.patient_id).first())
    if grant is None:
        raise PartnerRefused(_("This access has been withdrawn already, or it is not this "
                               "child's."))
    grant.revocation_reason = _text(reason, what=_("reason"), limit=MAX_REASON)
    grant.revoked_at = at or timezone.now()
    grant.revoked_by = by
    grant.save(update_fields=("revoked_at", "revoked_by", "revocation_reason"))
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.PARTNER_ACCESS,
           object_id=grant.pk, patient_id=case.patient_id)
    return grant


@transaction.atomic
def stage_upload(*, by: User, text: str, original_name: str) -> BundleUpload:
    """Keep an uploaded Bundle's JSON for review by the coordinator who sent it; return it.

    Nothing of the child is stored as a record: the row holds the text until it is
    confirmed (:mod:`stride.web.fhir.importing`) or discarded. Uploads left unreviewed for
    :data:`STAGED_FOR` are deleted here, so a forgotten one does not keep a child's record.
    """
    BundleUpload.objects.filter(uploaded_at__lt=timezone.now() - STAGED_FOR).delete()
    upload = BundleUpload.objects.create(uploaded_by=by, text=text,
                                         original_name=original_name[:255])
    record(actor=by, action=Action.CREATE, object_type=ObjectType.FHIR_IMPORT,
           object_id=f"{upload.pk} staged")
    return upload


@transaction.atomic
def discard_upload(*, by: User, upload: BundleUpload) -> None:
    """Forget a staged Bundle without importing it."""
    upload_id = upload.pk
    BundleUpload.objects.filter(pk=upload_id, uploaded_by=by).delete()
    record(actor=by, action=Action.DELETE, object_type=ObjectType.FHIR_IMPORT,
           object_id=f"{upload_id} discarded")
