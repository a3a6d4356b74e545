"""Which rows are a case's consultations and assessments, for the door
(:mod:`stride.web.patients.access`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from stride.web.accounts.models import User
from stride.web.evaluation.models import Assessment, Consultation, ConsultationSlot
from stride.web.evaluation.selectors import SLOT_ROLES
from stride.web.patients.access import access_part, authenticated, deny, missing
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.http import NOT_FOUND_MESSAGE


def access_consultation(user: User | AnonymousUser, case_id: int, consultation_id: int, *,
                        write: bool = False) -> Consultation:
    """A video consultation of the case, for its care team.

    Raises
    ------
    Http404
        If the case is not the user's, or the consultation is not one of its own; audited.
    """
    return access_part(user, case_id, object_type=ObjectType.CONSULTATION,
                       object_id=consultation_id,
                       write=write, family=False,
                       rows=lambda case: Consultation.objects.filter(case=case))


def access_assessment(user: User | AnonymousUser, case_id: int, assessment_id: int, *,
                      write: bool = False) -> Assessment:
    """An assessment of the case, for its care team.

    Raises
    ------
    Http404
        If the case is not the user's, or the assessment is not one of its own; audited.
    """
    return access_part(user, case_id, object_type=ObjectType.ASSESSMENT,
                       object_id=assessment_id, write=write, family=False,
                       rows=lambda case: Assessment.objects.filter(case=case).select_related(
                           "case__patient", "assessor"))


def access_consultation_as_family(user: User | AnonymousUser, case_id: int,
                                  consultation_id: int) -> Consultation:
    """A consultation of the case, for a guardian of its child who is about to move or
    cancel it (audited as a write).

    Raises
    ------
    Http404
        If the user is not a guardian of the case's child, or the consultation is not one
        of this case's; audited.
    """
    return access_part(user, case_id, object_type=ObjectType.CONSULTATION,
                       object_id=consultation_id, write=True, family=True,
                       rows=lambda case: Consultation.objects.filter(case=case))


def access_slot_pages(user: User | AnonymousUser, *, write: bool = False) -> User:
    """Return ``user`` if they publish consultation slots (clinicians and surgeons).

    Raises
    ------
    Http404
        For anyone else; audited as denied.
    """
    actor = authenticated(user)
    if actor.role not in SLOT_ROLES:
        record(actor=actor, action=Action.UPDATE if write else Action.READ,
               object_type=ObjectType.CONSULTATION_SLOT, outcome=Outcome.DENIED)
        raise Http404(NOT_FOUND_MESSAGE)
    return actor


def access_own_slot(user: User | AnonymousUser, slot_id: int) -> ConsultationSlot:
    """One of the user's own slots, about to be changed (withdrawn).

    Raises
    ------
    Http404
        If there is no such slot (not found) or it is another clinician's (denied);
        audited either way.
    """
    actor = access_slot_pages(user, write=True)
    slot = ConsultationSlot.objects.select_related("case").filter(pk=slot_id).first()
    if slot is None:
        raise missing(actor, write=True, object_type=ObjectType.CONSULTATION_SLOT,
                      object_id=slot_id)
    if slot.clinician_id != actor.pk:
        raise deny(actor, write=True, object_type=ObjectType.CONSULTATION_SLOT,
                   object_id=slot_id, patient_id=slot.case.patient_id if slot.case else None,
                   outcome=Outcome.DENIED)
    return slot
