"""Receiving an inquiry: one transaction that creates everything, or nothing.

:func:`submit_inquiry` creates the child, the guardian (linked to a guardian portal
account, new or reused), the case at stage ``inquiry`` with a readable reference, the two
consents, the documents, the :class:`Inquiry` with its self-check, the care team from the
programme's intake rota and any possible-duplicate flags. Staged files are moved to their
final names inside the transaction and removed if anything fails, so a failure leaves no
rows and no files. The same idempotency key twice returns the first inquiry.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from stride.core.consents import CURRENT_TEXT_VERSION, ConsentKind
from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.family_answers import (
    FamilyAnswers,
    facts_from_family_answers,
    rule_set_for,
)
from stride.core.pathway import Programme
from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.documents.models import DocumentKind
from stride.web.documents.services import record_document
from stride.web.events import InquiryReceived, announce
from stride.web.intake.models import DuplicateReason, Inquiry, IntakeRota, PossibleDuplicate
from stride.web.patients import services as patients
from stride.web.patients.models import Case
from stride.web.platform import ratelimit
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.platform.mail import send_mail
from stride.web.platform.uploads import StagedFile, commit_staged, discard

logger = logging.getLogger(__name__)

#: Reference letters: no 0/O, 1/I/L, so a reference read aloud on the phone is unambiguous.
_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True, slots=True)
class InquirySubmission:
    """Everything a family sent through the form (already checked by the form)."""

    child_given_name: str
    child_family_name: str
    sex: str
    country: str
    languages: tuple[str, ...]
    guardian_given_name: str
    guardian_family_name: str
    relationship: str
    email: str
    phone: str
    preferred_language: str
    programme: Programme
    answers: FamilyAnswers
    seizure_medicines: str = ""
    goals_text: str = ""


def new_reference(today: date) -> str:
    """Return a fresh case reference such as ``STR-2026-K7QH-3MXD`` (random, readable)."""
    letters = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"STR-{today.year}-{letters[:4]}-{letters[4:]}"


def client_hash(ip: str | None) -> str:
    """Return a keyed hash of a client address (the address itself is never stored)."""
    return ratelimit.key_of(ip or "unknown")


def _inquiries_per_client() -> ratelimit.Limit:
    return ratelimit.Limit("inquiry-client", settings.STRIDE_INQUIRY_MAX_PER_CLIENT,
                           timedelta(minutes=settings.STRIDE_INQUIRY_WINDOW_MINUTES))


def too_many_from(ip: str | None, *, now: datetime | None = None) -> bool:
    """Return whether the client at ``ip`` sent the most inquiries allowed in the window."""
    return ratelimit.exceeded(_inquiries_per_client(), ip or "unknown", now=now)


def submit_inquiry(
    *, submission: InquirySubmission, documents: Sequence[tuple[DocumentKind, StagedFile]],
    idempotency_key: uuid.UUID, language: str, ip: str | None = None,
    at: datetime | None = None,
) -> tuple[Inquiry, bool]:
    """Record an inquiry and everything it creates; return ``(inquiry, created)``.

    ``ip`` is the sending client's address: the inquiry counts against its rate limit and
    only a keyed hash of it is stored.

    ``created`` is ``False`` when an inquiry with ``idempotency_key`` exists already: it is
    returned unchanged and the staged files of this second submit are discarded.

    Raises
    ------
    StrideError
        If a value is refused by core (the form checks them first); nothing is stored and
        the staged files are removed. Any other failure does the same.
    """
    staged = [file for _kind, file in documents]
    existing = Inquiry.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        discard(staged)
        return existing, False
    try:
        inquiry = _create(submission=submission, documents=documents,
                          idempotency_key=idempotency_key, language=language,
                          client=client_hash(ip), at=at or timezone.now())
    except IntegrityError:
        discard(staged)
        # Two submits with one key at the same moment: the other one won; show it.
        existing = Inquiry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    except BaseException:
        discard(staged)
        raise
    ratelimit.hit(_inquiries_per_client(), ip or "unknown")
    return inquiry, True


@transaction.atomic
def _create(
    *, submission: InquirySubmission, documents: Sequence[tuple[DocumentKind, StagedFile]],
    idempotency_key: uuid.UUID, language: str, client: str, at: datetime,
) -> Inquiry:
    s = submission
    today = timezone.localdate(at)
    patient = patients.register_patient(
        by=None, given_name=s.child_given_name, family_name=s.child_family_name,
        date_of_birth=s.answers.date_of_birth, sex=s.sex, country=s.country,
        languages=s.languages, at=at,
    )
    guardian = patients.add_guardian(
        by=None, patient=patient, given_name=s.guardian_given_name,
        family_name=s.guardian_family_name, relationship=s.relationship,
        preferred_language=s.preferred_language, email=s.email, phone=s.phone,
        user=_portal_account(s),
    )
    case = patients.open_case(by=None, patient=patient, programme=s.programme,
                              reference=_unique_reference(today), at=at)
    for consent in (ConsentKind.DATA_PROCESSING, ConsentKind.CROSS_BORDER_TRANSFER):
        patients.grant_consent(by=None, patient=patient, kind=consent, granted_by=guardian,
                               text_version=CURRENT_TEXT_VERSION[consent], at=at)
    inquiry = record_inquiry(
        case=case, answers=s.answers, language=language, idempotency_key=idempotency_key,
        at=at, client=client, notes={"seizure_medicines": s.seizure_medicines.strip(),
                                     "goals_text": s.goals_text.strip()})
    for kind, file in documents:
        record_document(case=case, kind=kind, file=file, at=at, by=None, guardian=guardian)
    add_intake_rota_to_team(case)
    flag_possible_duplicates(inquiry, email=s.email)
    # Last step inside the transaction: a failure before here leaves the files staged
    # (and the caller removes them); a failed commit after it is handled the same way.
    commit_staged(file for _kind, file in documents)
    send_acknowledgement(inquiry)
    return inquiry


def _unique_reference(today: date) -> str:
    for _attempt in range(10):
        reference = new_reference(today)
        if not Case.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("no free case reference after 10 attempts")  # 31^8 codes: never


def _portal_account(submission: InquirySubmission) -> User | None:
    """Return the guardian portal account for the e-mail address, creating it if needed.

    An address that belongs to a staff account is not linked (a staff member asking for
    their own child uses a separate guardian address; roles never mix in one account).
    """
    email = submission.email.strip().lower()
    existing = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
    if existing is not None:
        return existing if existing.stride_role is Role.GUARDIAN else None
    user = User(username=email[:150], email=email, role=Role.GUARDIAN.value,
                first_name=submission.guardian_given_name[:150],
                last_name=submission.guardian_family_name[:150])
    user.set_unusable_password()  # signs in with an e-mailed link until they set one
    user.save()
    record(actor=None, action=Action.CREATE, object_type=ObjectType.ACCOUNT, object_id=user.pk)
    return user


def add_intake_rota_to_team(case: Case) -> None:
    """Put every coordinator on the intake rota of the case's programme on its care team."""
    for rota in IntakeRota.objects.filter(programme=case.programme).select_related(
            "coordinator"):
        patients.add_care_team_member(by=None, case=case, user=rota.coordinator)


def record_inquiry(
    *, case: Case, answers: FamilyAnswers, language: str, idempotency_key: uuid.UUID,
    at: datetime, client: str = "", notes: dict[str, str] | None = None,
) -> Inquiry:
    """Run the family self-check on ``answers`` and store the case's inquiry; return it.

    The self-check is core's family mode (the programme's rule set on the facts read from
    the answers), stored with its facts so it can be re-run and shown again exactly.
    ``notes`` adds free-text answers that are kept but not checked (seizure medicines,
    goals in the family's words). The caller runs this inside its transaction.
    """
    programme = Programme(case.programme)
    facts = facts_from_family_answers(answers, today=timezone.localdate(at))
    decision = evaluate(rule_set_for(programme), facts)
    inquiry = Inquiry.objects.create(
        case=case, idempotency_key=idempotency_key, submitted_at=at, language=language,
        answers={**answers.to_json(), **(notes or {})},
        self_check_rule_set=decision.rule_set_id, self_check_facts=facts.to_json(),
        self_check_outcome=decision.outcome.value, client_hash=client,
    )
    record(actor=None, action=Action.CREATE, object_type=ObjectType.INQUIRY, object_id=inquiry.pk,
           patient_id=case.patient_id)
    announce(InquiryReceived(case_id=case.pk, patient_id=case.patient_id,
                             inquiry_id=inquiry.pk))
    return inquiry


def flag_possible_duplicates(inquiry: Inquiry, *, email: str) -> list[PossibleDuplicate]:
    """Flag earlier cases that may be the same child as ``inquiry``'s; return the flags.

    Never merges anything: a coordinator decides.
    """
    patient = inquiry.case.patient
    flags: list[PossibleDuplicate] = []
    earlier = Case.objects.exclude(patient=patient).filter(
        patient__date_of_birth=patient.date_of_birth)
    same_child = earlier.filter(patient__given_name__iexact=patient.given_name,
                                patient__family_name__iexact=patient.family_name)
    same_email = earlier.filter(patient__guardians__email__iexact=email.strip()).distinct()
    for reason, cases in ((DuplicateReason.SAME_CHILD, same_child),
                          (DuplicateReason.SAME_GUARDIAN_EMAIL, same_email)):
        for other in cases:
            flags.append(PossibleDuplicate.objects.create(inquiry=inquiry, other_case=other,
                                                          reason=reason.value))
    return flags


def send_acknowledgement(inquiry: Inquiry) -> None:
    """E-mail the acknowledgement, with the reference, in the guardian's language (queued
    in the inquiry's transaction, sent once it commits)."""
    guardian = inquiry.case.patient.guardians.order_by("id").first()
    if guardian is None or not guardian.email:
        return
    send_mail(to=guardian.email, language=guardian.preferred_language,
              template="intake/email/acknowledgement", patient_id=inquiry.case.patient_id,
              context={"reference": inquiry.case.reference, "guardian": guardian,
                       "child": inquiry.case.patient})
