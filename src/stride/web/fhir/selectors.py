"""Reads of the fhir app: partner systems, their grants, and the child behind a FHIR id."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from stride.web.accounts.models import User
from stride.web.fhir.models import BundleUpload, PartnerAccess, PartnerSystem
from stride.web.patients.models import Case, Patient


def hash_token(token: str) -> str:
    """Return the stored form of a partner token (hex SHA-256; tokens are 256-bit random,
    so a plain hash is enough: there is nothing to guess from)."""
    return hashlib.sha256(token.encode()).hexdigest()


def system_for_token(token: str) -> PartnerSystem | None:
    """The active partner system whose token is ``token``, or ``None``."""
    token = token.strip()
    if not token:
        return None
    return PartnerSystem.objects.filter(token_hash=hash_token(token), active=True).first()


def bearer_token(authorization: str) -> str:
    """The token of an ``Authorization: Bearer <token>`` header, or ``""``."""
    scheme, _sep, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def systems() -> QuerySet[PartnerSystem]:
    """Every partner system, active first then by name."""
    return PartnerSystem.objects.order_by("-active", "name", "id")


def active_systems() -> QuerySet[PartnerSystem]:
    """The systems a grant may name."""
    return PartnerSystem.objects.filter(active=True).order_by("name", "id")


def grants_of_patient(patient_id: int) -> QuerySet[PartnerAccess]:
    """Every grant for the child, in force or revoked, newest first."""
    return (PartnerAccess.objects.filter(patient_id=patient_id)
            .select_related("system", "granted_by", "revoked_by")
            .order_by("-granted_at", "-id"))


def grant_in_force(system: PartnerSystem, patient_id: int) -> PartnerAccess | None:
    """The system's grant in force for the child, or ``None``."""
    return PartnerAccess.objects.current().filter(system=system, patient_id=patient_id).first()


#: How long an uploaded Bundle waits for review: a referral is reviewed the day it comes;
#: three days leave room for a weekend. After that it cannot be opened or imported, and
#: the next upload deletes it.
STAGED_FOR = timedelta(days=3)


def uploads_waiting(by: User) -> QuerySet[BundleUpload]:
    """The Bundles ``by`` uploaded that still wait for review (younger than
    :data:`STAGED_FOR`)."""
    return BundleUpload.objects.filter(uploaded_by=by,
                                       uploaded_at__gte=timezone.now() - STAGED_FOR)


def patient_local_id(patient_id: int) -> str:
    """The child's stable Stride id in a FHIR export (``patient-<pk>``)."""
    return f"patient-{patient_id}"


def find_patient(fhir_id: str, *, among: Iterable[int],
                 fhir_id_of: Callable[[int], str]) -> Patient | None:
    """The child among ``among`` (patient ids) whose exported Patient id is ``fhir_id``,
    or ``None``.

    The id is derived from the child's Stride id (UUID5) and never stored, so only the
    children a system was ever granted are tried: the look-up costs as many hashes as the
    system has grants, and its time says nothing about children outside them (walking
    the whole table for another system's child would answer "exists" by taking longer).
    """
    for patient_id in dict.fromkeys(among):
        if fhir_id_of(patient_id) == fhir_id:
            return Patient.objects.filter(pk=patient_id).first()
    return None


def first_case(patient: Patient) -> Case | None:
    """The child's earliest case (the one an imported referral opened), or ``None``."""
    return patient.cases.order_by("opened_at", "id").first()
