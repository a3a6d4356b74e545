"""Who may read a child through the FHIR endpoint: a partner system, by its bearer token.

A partner system is not a user, so the door of ``patients.access`` (which asks a user's
role and care-team membership) does not fit; this module makes the same kind of decision
for systems and audits it the same way, with the system as the actor's label
(``fhir-system:<id>``). A system reads a child only with a grant in force for it and with
the child's consents to record exchange in force. Every other answer — an unknown id,
another child, a revoked grant, a withdrawn consent — is the same 404, audited as "not
found" (an id outside the system's grants, another system's child included: looking
further would make the answer's time tell that the child exists) or "denied" (a revoked
grant, a consent not in force).

Staff reach a case's grants and its export through :func:`stride.web.patients.access`
(``access_case_as_staff``), which the views call directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from stride.core.consents import ConsentMissing, DataUse
from stride.web.fhir.collect import fhir_patient_id
from stride.web.fhir.models import PartnerAccess, PartnerSystem
from stride.web.fhir.selectors import bearer_token, find_patient, system_for_token
from stride.web.patients.models import Patient
from stride.web.patients.services import require_consents
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record


class NoSystem(Exception):
    """No valid token of an active partner system came with the request."""


class NotForSystem(Exception):
    """The child is not there for this system (any reason): answer 404."""


@dataclass(frozen=True, slots=True)
class SystemRead:
    """A child a partner system may read now."""

    system: PartnerSystem
    patient: Patient


def system_label(system: PartnerSystem | None) -> str:
    """The audit trail's actor label of a partner system (or of an unknown caller)."""
    return f"fhir-system:{system.pk}" if system is not None else "fhir-system:unknown"


def authenticate(authorization: str, *, what: str) -> PartnerSystem:
    """The active partner system whose token the ``Authorization`` header carries.

    Raises
    ------
    NoSystem
        Without a valid token; audited as a denied read of ``what`` (the path asked).
    """
    system = system_for_token(bearer_token(authorization))
    if system is None:
        record(actor=None, actor_label=system_label(None), action=Action.READ,
               object_type=ObjectType.FHIR_BUNDLE, object_id=what[:150],
               outcome=Outcome.DENIED)
        raise NoSystem
    return system


def read_patient(system: PartnerSystem, fhir_id: str, *, object_type: ObjectType) -> SystemRead:
    """The child with the exported Patient id ``fhir_id`` if ``system`` may read it now.

    ``object_type`` is what is read (the Patient, or the whole record for ``$everything``),
    written in the "ok" event.

    Raises
    ------
    NotForSystem
        If no child has that id, the system has no grant in force for it, or the child's
        consents to record exchange are not in force; audited either way.
    """
    label = system_label(system)
    # Every child the system was ever granted (in force or revoked): a revoked grant is
    # audited "denied"; any other id, another system's child included, is "not found".
    ever_granted = PartnerAccess.objects.filter(system=system).order_by("pk").values_list(
        "patient_id", flat=True)
    patient = find_patient(fhir_id, among=list(ever_granted), fhir_id_of=fhir_patient_id)
    if patient is None:
        record(actor=None, actor_label=label, action=Action.READ, object_type=object_type,
               object_id=fhir_id[:150], outcome=Outcome.NOT_FOUND)
        raise NotForSystem
    if not PartnerAccess.objects.current().filter(system=system, patient=patient).exists():
        record(actor=None, actor_label=label, action=Action.READ, object_type=object_type,
               object_id=fhir_id[:150], patient_id=patient.pk, outcome=Outcome.DENIED)
        raise NotForSystem
    try:
        require_consents(patient=patient, use=DataUse.RECORD_EXCHANGE)
    except ConsentMissing:
        record(actor=None, actor_label=label, action=Action.READ, object_type=object_type,
               object_id=f"{fhir_id[:100]} consent-missing", patient_id=patient.pk,
               outcome=Outcome.DENIED)
        raise NotForSystem from None
    record(actor=None, actor_label=label, action=Action.READ, object_type=object_type,
           object_id=fhir_id[:150], patient_id=patient.pk)
    return SystemRead(system=system, patient=patient)
