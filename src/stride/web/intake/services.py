"""Receiving an inquiry: one transaction that creates everything, or nothing.

:func:`submit_inquiry` creates the child, the guardian, the case at stage ``inquiry`` with a
readable reference, the two consents, the documents, the :class:`Inquiry` with its
self-check, the care team from the programme's intake rota and any possible-duplicate
flags. Staged files are moved to their final names inside the transaction and removed if
anything fails, so a failure leaves no rows and no files. The same idempotency key twice
returns the first inquiry; :func:`sent_differently` tells a double submit from the same
form sent again with corrections (which the view offers to send as a new inquiry).

The guardian gets a portal account of their own when the e-mail address has none. An
address that already belongs to a guardian account attaches nothing: typing an address
proves nothing, so a :class:`GuardianAccountLink` waits until the account holder confirms
from an e-mailed link (:func:`answer_account_link`) or a coordinator confirms after a check.
The family's answer and the acknowledgement e-mail are the same either way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from stride.core.classification import LayLabel
from stride.core.consents import CURRENT_TEXT_VERSION, ConsentKind
from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.family_answers import (
    FamilyAnswers,
    GmfcsEstimate,
    HydrocephalusAnswer,
    SeizureAnswer,
    facts_from_family_answers,
    has_self_check,
    rule_set_for,
)
from stride.core.pathway import Programme
from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.documents.models import DocumentKind
from stride.web.documents.services import record_document
from stride.web.events import InquiryReceived, announce
from stride.web.intake.models import (
    AccountLinkStatus,
    DuplicateReason,
    GuardianAccountLink,
    Inquiry,
    IntakeRota,
    PossibleDuplicate,
)
from stride.web.intake.selectors import (
    account_holder_language,
    answers_values,
    text_value,
)
from stride.web.patients import services as patients
from stride.web.patients.models import Case, Guardian
from stride.web.platform import ratelimit
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.links import site_link
from stride.web.platform.mail import send_mail
from stride.web.platform.uploads import StagedFile, commit_staged, discard

logger = logging.getLogger(__name__)

#: Reference letters: no 0/O, 1/I/L, so a reference read aloud on the phone is unambiguous.
_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

#: How long the e-mailed link that adds a child to an existing account works. Families
#: write from many time zones and may read their mail days later; after this, a
#: coordinator confirms after a check.
ACCOUNT_LINK_VALID_FOR = timedelta(days=7)


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


def submission_values(submission: InquirySubmission) -> dict[str, object]:
    """Everything the family sent but the files, by form field name, as it is compared:
    typed text stripped and in NFC, the e-mail address in lower case, lists sorted."""
    s = submission
    return {
        "child_given_name": text_value(s.child_given_name),
        "child_family_name": text_value(s.child_family_name),
        "date_of_birth": s.answers.date_of_birth.isoformat(),
        "sex": s.sex,
        "country": s.country,
        "languages": sorted(s.languages),
        "guardian_given_name": text_value(s.guardian_given_name),
        "guardian_family_name": text_value(s.guardian_family_name),
        "relationship": s.relationship,
        "email": s.email.strip().lower(),
        "phone": s.phone.strip(),
        "preferred_language": s.preferred_language,
        "programme": s.programme.value,
        **answers_values({**s.answers.to_json(), "seizure_medicines": s.seizure_medicines,
                          "goals_text": s.goals_text}),
    }


def submission_digest(submission: InquirySubmission) -> str:
    """SHA-256 of :func:`submission_values`: what the inquiry keeps to tell a double submit
    from the same form sent again with other answers (the answers themselves are not
    stored twice)."""
    canonical = json.dumps(submission_values(submission), sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def sent_differently(inquiry: Inquiry, submission: InquirySubmission,
                     documents: Sequence[tuple[DocumentKind, StagedFile]]) -> bool:
    """Whether a second send of ``inquiry``'s form (same idempotency key) carries something
    the first did not: other answers, or a file that was not kept with it.

    Sending the same answers without the files chosen again (a browser's "back" often
    empties file fields) is the same inquiry. An inquiry stored before digests were kept
    has nothing to compare with: it counts as the same, as it always did.
    """
    if not inquiry.submission_digest:
        return False
    if inquiry.submission_digest != submission_digest(submission):
        return True
    kept = set(inquiry.case.documents.values_list("sha256", flat=True))
    return any(file.sha256 not in kept for _kind, file in documents)


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


def _kept_files_per_client() -> ratelimit.Limit:
    # A family fixing a form sends it a few times; this many refused sends with files kept
    # in an hour is far beyond that, and bounds what one client can leave on the server.
    return ratelimit.Limit("inquiry-kept-files", KEPT_FILES_MAX_PER_HOUR, timedelta(hours=1))


#: Refused sends of the form whose files may be kept per client and hour (see above).
KEPT_FILES_MAX_PER_HOUR = 10


def may_keep_files(*, ip: str | None) -> bool:
    """Whether the files of another refused form from ``ip`` may be kept for its next send."""
    return not ratelimit.exceeded(_kept_files_per_client(), ip or "unknown")


@transaction.atomic
def count_kept_files(*, ip: str | None) -> None:
    """Count one refused form from ``ip`` whose files were kept."""
    ratelimit.hit(_kept_files_per_client(), ip or "unknown")


def too_many_from(ip: str | None, *, now: datetime | None = None) -> bool:
    """Return whether the client at ``ip`` sent the most inquiries allowed in the window."""
    return ratelimit.exceeded(_inquiries_per_client(), ip or "unknown", now=now)


def submit_inquiry(
    *, submission: InquirySubmission, documents: Sequence[tuple[DocumentKind, StagedFile]],
    idempotency_key: uuid.UUID, language: str, ip: str | None = None,
    at: datetime | None = None, site_url: str = "", corrects: uuid.UUID | None = None,
) -> tuple[Inquiry, bool]:
    """Record an inquiry and everything it creates; return ``(inquiry, created)``.

    ``ip`` is the sending client's address: the inquiry counts against its rate limit and
    only a keyed hash of it is stored. ``site_url`` (``https://host``) begins the link
    e-mailed to an existing account holder. ``corrects`` is the idempotency key of an
    earlier inquiry that this one sends again with corrections: the two are flagged for
    the coordinator.

    ``created`` is ``False`` when an inquiry with ``idempotency_key`` exists already: it is
    returned unchanged and the staged files of this second submit are discarded (whether
    this send differs from the first: :func:`sent_differently`).

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
                          client=client_hash(ip), at=at or timezone.now(),
                          site_url=site_url, corrects=corrects)
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
    idempotency_key: uuid.UUID, language: str, client: str, at: datetime, site_url: str,
    corrects: uuid.UUID | None,
) -> Inquiry:
    s = submission
    today = timezone.localdate(at)
    account, existing_account = _portal_account(s)
    patient = patients.register_patient(
        by=None, given_name=s.child_given_name, family_name=s.child_family_name,
        date_of_birth=s.answers.date_of_birth, sex=s.sex, country=s.country,
        languages=s.languages, at=at,
    )
    guardian = patients.add_guardian(
        by=None, patient=patient, given_name=s.guardian_given_name,
        family_name=s.guardian_family_name, relationship=s.relationship,
        preferred_language=s.preferred_language, email=s.email, phone=s.phone,
        user=None if existing_account else account,
    )
    case = patients.open_case(by=None, patient=patient, programme=s.programme,
                              reference=_unique_reference(today), at=at)
    for consent in (ConsentKind.DATA_PROCESSING, ConsentKind.CROSS_BORDER_TRANSFER):
        patients.grant_consent(by=None, patient=patient, kind=consent, granted_by=guardian,
                               text_version=CURRENT_TEXT_VERSION[consent], at=at)
    # The rota joins the care team before the inquiry is announced, so those told of it
    # (notifications) are exactly those who can open it.
    add_intake_rota_to_team(case)
    inquiry = record_inquiry(
        case=case, answers=s.answers, language=language, idempotency_key=idempotency_key,
        at=at, client=client, notes={"seizure_medicines": s.seizure_medicines.strip(),
                                     "goals_text": s.goals_text.strip()},
        digest=submission_digest(s))
    for kind, file in documents:
        record_document(case=case, kind=kind, file=file, at=at, by=None, guardian=guardian)
    flag_possible_duplicates(inquiry, email=s.email)
    if corrects is not None:
        _flag_correction(inquiry, corrects)
    # Last step inside the transaction: a failure before here leaves the files staged
    # (and the caller removes them); a failed commit after it is handled the same way.
    commit_staged(file for _kind, file in documents)
    send_acknowledgement(inquiry)
    if existing_account and account is not None:
        _ask_account_holder(guardian, account, inquiry=inquiry, site_url=site_url, at=at)
    return inquiry


def _flag_correction(inquiry: Inquiry, corrects: uuid.UUID) -> None:
    """Flag the earlier inquiry that this one sends again with corrections."""
    earlier = Inquiry.objects.filter(idempotency_key=corrects).exclude(pk=inquiry.pk).first()
    if earlier is not None:
        PossibleDuplicate.objects.get_or_create(
            inquiry=inquiry, other_case_id=earlier.case_id,
            reason=DuplicateReason.RESENT_WITH_CORRECTIONS.value)


def _unique_reference(today: date) -> str:
    for _attempt in range(10):
        reference = new_reference(today)
        if not Case.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("no free case reference after 10 attempts")  # 31^8 codes: never


def _portal_account(submission: InquirySubmission) -> tuple[User | None, bool]:
    """Return the guardian portal account for the e-mail address, and whether it existed.

    A new address gets a new guardian account (created here). An existing active guardian
    account is returned with ``True``: the caller does not link it, it asks the account
    holder. An address that belongs to a staff account (or an inactive one) gets no
    account: a staff member asking for their own child uses a separate guardian address;
    roles never mix in one account.
    """
    email = submission.email.strip().lower()
    existing = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
    if existing is not None:
        usable = existing.stride_role is Role.GUARDIAN and existing.is_active
        return (existing if usable else None), True
    user = User(username=email[:150], email=email, role=Role.GUARDIAN.value,
                first_name=submission.guardian_given_name[:150],
                last_name=submission.guardian_family_name[:150])
    user.set_unusable_password()  # signs in with an e-mailed link until they set one
    user.save()
    record(actor=None, action=Action.CREATE, object_type=ObjectType.ACCOUNT, object_id=user.pk)
    return user, False


def token_hash(token: str) -> str:
    """Return the SHA-256 of an account-link token (what is stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _ask_account_holder(guardian: Guardian, account: User, *, inquiry: Inquiry, site_url: str,
                        at: datetime) -> GuardianAccountLink:
    """Store a pending link from ``guardian`` to ``account`` and e-mail its holder, in their
    language, a single-use link to confirm it (or to say the inquiry is not theirs)."""
    token = secrets.token_urlsafe(32)
    link = GuardianAccountLink.objects.create(
        guardian=guardian, account=account, token_hash=token_hash(token), created_at=at,
        expires_at=at + ACCOUNT_LINK_VALID_FOR)
    url = site_url.rstrip("/") + reverse("intake:account-link", args=[token])
    send_mail(to=account.email, template="intake/email/account_link",
              language=account_holder_language(account.pk, guardian.preferred_language),
              patient_id=guardian.patient_id, expires_in=ACCOUNT_LINK_VALID_FOR,
              context={"link": url, "reference": inquiry.case.reference,
                       "days": ACCOUNT_LINK_VALID_FOR.days})
    return link


@transaction.atomic
def answer_account_link(*, token: str, confirm: bool,
                        at: datetime | None = None) -> GuardianAccountLink | None:
    """The account holder's answer from the e-mailed link: ``confirm`` links the inquiry's
    guardian (and so the child) to their account; otherwise the inquiry is not theirs and
    nothing is linked. Returns the link, or ``None`` if the token is not a pending link
    that has not expired (then nothing changes; audited as refused).

    The row is locked, so two presses at the same moment cannot both answer.
    """
    now = at or timezone.now()
    link = (GuardianAccountLink.objects.select_for_update(of=("self",))
            .select_related("guardian", "account").filter(token_hash=token_hash(token)).first())
    if link is None or link.status != AccountLinkStatus.PENDING or link.expires_at <= now:
        record(actor=None, action=Action.UPDATE, object_type=ObjectType.GUARDIAN,
               outcome=Outcome.DENIED)
        return None
    guardian = link.guardian
    if confirm:
        patients.link_guardian_account(by=link.account, guardian=guardian, account=link.account)
    else:
        record(actor=link.account, action=Action.UPDATE, object_type=ObjectType.GUARDIAN,
               object_id=guardian.pk, patient_id=guardian.patient_id)
    link.status = AccountLinkStatus.CONFIRMED if confirm else AccountLinkStatus.DECLINED
    link.decided_at, link.decided_by = now, link.account
    link.save(update_fields=("status", "decided_at", "decided_by"))
    return link


@dataclass(frozen=True, slots=True)
class ReferredGuardian:
    """A guardian named by a referring hospital (no portal account is made for them)."""

    given_name: str
    family_name: str
    relationship: str
    preferred_language: str
    email: str = ""
    phone: str = ""


@transaction.atomic
def open_referral(
    *, by: User, given_name: str, family_name: str, date_of_birth: date, sex: str,
    country: str, languages: Sequence[str], programme: Programme,
    guardians: Sequence[ReferredGuardian], language: str, is_synthetic: bool = False,
    at: datetime | None = None,
) -> Inquiry:
    """Open a case at stage ``inquiry`` for a child a hospital referred; return its inquiry.

    The same steps as a family's inquiry (child, guardians, case, the self-check on
    answers the family has not given yet — every one "don't know" —, the intake rota and
    possible-duplicate flags), with ``by`` (the coordinator who imported the referral) on
    the care team. No consent is recorded: the family has not given Stride any yet, and
    no e-mail is sent (the family has not written to the programme). The caller runs this
    inside its transaction with what else the referral brings.
    """
    now = at or timezone.now()
    patient = patients.register_patient(
        by=by, given_name=given_name, family_name=family_name, date_of_birth=date_of_birth,
        sex=sex, country=country, languages=languages, is_synthetic=is_synthetic, at=now)
    for person in guardians:
        patients.add_guardian(
            by=by, patient=patient, given_name=person.given_name,
            family_name=person.family_name, relationship=person.relationship,
            preferred_language=person.preferred_language, email=person.email,
            phone=person.phone)
    case = patients.open_case(by=by, patient=patient, programme=programme,
                              reference=_unique_reference(timezone.localdate(now)), at=now)
    answers = FamilyAnswers(date_of_birth=date_of_birth, lay_cp_type=LayLabel.DONT_KNOW,
                            gmfcs_estimate=GmfcsEstimate.DONT_KNOW,
                            seizures=SeizureAnswer.DONT_KNOW,
                            hydrocephalus=HydrocephalusAnswer.DONT_KNOW)
    add_intake_rota_to_team(case)  # before the inquiry is announced: see submit_inquiry
    inquiry = record_inquiry(case=case, answers=answers, language=language,
                             idempotency_key=uuid.uuid4(), at=now)
    # by=None: the importer is not told (by a notice) of what they did themselves.
    patients.add_care_team_member(by=None, case=case, user=by, at=now)
    first = guardians[0].email if guardians else ""
    flag_possible_duplicates(inquiry, email=first)
    return inquiry


def add_intake_rota_to_team(case: Case) -> None:
    """Put every coordinator on the intake rota of the case's programme on its care team."""
    for rota in IntakeRota.objects.filter(programme=case.programme).select_related(
            "coordinator"):
        patients.add_care_team_member(by=None, case=case, user=rota.coordinator)


def record_inquiry(
    *, case: Case, answers: FamilyAnswers, language: str, idempotency_key: uuid.UUID,
    at: datetime, client: str = "", notes: dict[str, str] | None = None, digest: str = "",
) -> Inquiry:
    """Run the family self-check on ``answers`` and store the case's inquiry; return it.

    ``at`` is when it was received (``Inquiry.submitted_at``, shown on the staff pages).
    The self-check is core's family mode (the programme's rule set on the facts read from
    the answers), stored with its facts so it can be re-run and shown again exactly.
    ``notes`` adds free-text answers that are kept but not checked (seizure medicines,
    goals in the family's words); ``digest`` is :func:`submission_digest` of the form
    sent. The caller runs this inside its transaction.
    """
    programme = Programme(case.programme)
    facts = facts_from_family_answers(answers, today=timezone.localdate(at))
    # A programme without a released rule set (rehabilitation) gets no self-check: its
    # rule-set id and outcome stay empty, and the family page says the team reads the
    # answers. The facts are kept either way (the team's candidacy page reads them).
    rule_set_id = outcome = ""
    if has_self_check(programme):
        decision = evaluate(rule_set_for(programme), facts)
        rule_set_id, outcome = decision.rule_set_id, decision.outcome.value
    inquiry = Inquiry.objects.create(
        case=case, idempotency_key=idempotency_key, submitted_at=at, language=language,
        answers={**answers.to_json(), **(notes or {})},
        self_check_rule_set=rule_set_id, self_check_facts=facts.to_json(),
        self_check_outcome=outcome, client_hash=client,
        submission_digest=digest,
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
                       "child": inquiry.case.patient, "link": site_link("portal:sign-in")})
