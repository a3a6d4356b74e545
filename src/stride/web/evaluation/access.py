"""Which rows are a case's consultations and assessments, for the door
(:mod:`stride.web.patients.access`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from stride.web.accounts.models import User
from stride.web.evaluation.models import Assessment, Consultation
from stride.web.patients.access import access_part
from stride.web.platform.audit.models import ObjectType


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
