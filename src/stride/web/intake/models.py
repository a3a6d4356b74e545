"""What arrives through the public inquiry form, beside the pathway records it creates.

Submitting the form creates, in one transaction, the child (``Patient``), a ``Guardian``,
a ``Case`` at stage ``inquiry``, ``Consent`` rows and ``Document`` rows, plus the
:class:`Inquiry` here: the family's answers as given, the self-check they were shown, and
the idempotency key that makes a double submit create nothing new. When the form's e-mail
address belongs to an existing guardian account, a :class:`GuardianAccountLink` waits for
that account holder (or a coordinator) to confirm before the child joins the account.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.core.eligibility.model import Outcome
from stride.web.patients.models import Case, Guardian, ProgrammeChoices


class SelfCheckOutcome(models.TextChoices):
    CANDIDATE = Outcome.CANDIDATE.value, _("Worth an evaluation")
    REVIEW = Outcome.REVIEW.value, _("Worth an evaluation, with points to look at")
    NEEDS_INFORMATION = Outcome.NEEDS_INFORMATION.value, _("More information needed")
    NOT_CANDIDATE = Outcome.NOT_CANDIDATE.value, _("Probably not suitable")


class Inquiry(models.Model):
    """One submitted inquiry: the family's answers and the self-check shown to them."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="inquiry")
    #: From a hidden form field: the same key twice is the same inquiry, created once.
    idempotency_key = models.UUIDField(unique=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    #: The language the family filled the form in.
    language = models.CharField(max_length=10)
    #: The family's answers that have no column in the pathway model (lay CP type, GMFCS
    #: estimate, seizures, hydrocephalus, previous treatments, goals), as submitted.
    answers = models.JSONField(default=dict)
    answers_version = models.PositiveSmallIntegerField(default=1)
    #: The family self-check: rule-set id (``sdr-v1``), the facts it ran on (JSON from
    #: ``Facts.to_json()``) and its outcome, so it can be re-run and shown again exactly.
    self_check_rule_set = models.CharField(max_length=64)
    self_check_facts = models.JSONField(default=dict)
    self_check_outcome = models.CharField(max_length=20, choices=SelfCheckOutcome.choices)
    #: When the programme first answered (a message or a stage move): the reply-time clock.
    first_reply_at = models.DateTimeField(null=True, blank=True)
    #: Keyed hash of the client address that sent the form (never the address itself): the
    #: rate limit counts recent inquiries per client.
    client_hash = models.CharField(max_length=64, blank=True)
    #: SHA-256 of everything the form sent but its files (``services.submission_digest``):
    #: the same key sent again with other answers is told apart from a double submit.
    #: Empty for inquiries stored before it was kept (then a second send is the same one).
    submission_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ("submitted_at", "id")
        indexes = (
            models.Index(fields=("submitted_at",), name="inquiry_submitted"),
            models.Index(fields=("client_hash", "submitted_at"), name="inquiry_client_recent"),
        )

    def __str__(self) -> str:
        return f"inquiry for {self.case}"


class DuplicateReason(models.TextChoices):
    SAME_CHILD = "same-child", _("Same child name and date of birth")
    SAME_GUARDIAN_EMAIL = "same-guardian-email", _("Same guardian e-mail and child date of birth")
    RESENT_WITH_CORRECTIONS = "resent-with-corrections", _(
        "Sent again by the family with corrections")


class DuplicateResolution(models.TextChoices):
    OPEN = "open", _("To be checked")
    DUPLICATE = "duplicate", _("Duplicate")
    NOT_DUPLICATE = "not-duplicate", _("Not a duplicate")


class PossibleDuplicate(models.Model):
    """A flag for the coordinator: this inquiry may be the same child as another case.

    Never merged automatically; a coordinator decides and the decision is kept.
    """

    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="duplicates")
    other_case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=24, choices=DuplicateReason.choices)
    resolution = models.CharField(max_length=16, choices=DuplicateResolution.choices,
                                  default=DuplicateResolution.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("id",)
        constraints = (
            models.UniqueConstraint(fields=("inquiry", "other_case", "reason"),
                                    name="duplicate_flag_once"),
        )

    def __str__(self) -> str:
        return f"{self.inquiry} may duplicate {self.other_case} ({self.reason})"


class IntakeRota(models.Model):
    """Coordinators who receive new inquiries of a programme.

    A new inquiry puts every coordinator on its programme's rota on the case's care team,
    so the usual care-team access rule decides who sees it: no special case for intake.
    """

    programme = models.CharField(max_length=32, choices=ProgrammeChoices.choices)
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="intake_rota")

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("programme", "coordinator"), name="rota_once"),
        )

    def __str__(self) -> str:
        return f"{self.coordinator} receives {self.programme} inquiries"


class AccountLinkStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Not theirs, said the account holder")


class GuardianAccountLink(models.Model):
    """An inquiry's guardian waiting to join an existing guardian portal account.

    Typing an e-mail address on the public form proves nothing about who owns it, so an
    address that already has a guardian account never attaches the new child to it: the
    guardian row stays without an account until the account holder confirms from an
    e-mailed link, or a coordinator confirms after a check (``check_note`` says how).
    The link in the e-mail works once, until ``expires_at``; only a SHA-256 of its token is
    stored. The account holder may also answer that the inquiry is not theirs.
    """

    guardian = models.OneToOneField(Guardian, on_delete=models.PROTECT,
                                    related_name="account_link")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=AccountLinkStatus.choices,
                              default=AccountLinkStatus.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    #: The account holder (from the e-mail) or the coordinator who confirmed.
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    #: How the coordinator checked that the inquiry is the account holder's.
    check_note = models.TextField(blank=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.guardian} may join account {self.account_id} ({self.status})"
