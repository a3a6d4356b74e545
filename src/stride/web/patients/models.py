"""The pathway data model: the child, guardians, cases, care teams and consents.

Stages, programmes and consent kinds are defined in ``stride.core``; the choices here are
built from those enums so the database can never hold a code that core does not know.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.core.consents import ConsentKind, ConsentMethod
from stride.core.pathway import Programme, Stage
from stride.web.platform.words import CONSENT_WORDS, PROGRAMME_WORDS, STAGE_WORDS

if TYPE_CHECKING:
    from stride.web.accounts.models import User


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other / intersex")


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GRANDPARENT = "grandparent", _("Grandparent")
    LEGAL_GUARDIAN = "legal-guardian", _("Legal guardian")
    OTHER = "other", _("Other")


class StageChoices(models.TextChoices):
    """Stages, named by the platform's words (the same name on every page and message)."""

    INQUIRY = Stage.INQUIRY.value, STAGE_WORDS[Stage.INQUIRY]
    TRIAGE = Stage.TRIAGE.value, STAGE_WORDS[Stage.TRIAGE]
    EVALUATION = Stage.EVALUATION.value, STAGE_WORDS[Stage.EVALUATION]
    DECISION = Stage.DECISION.value, STAGE_WORDS[Stage.DECISION]
    SCHEDULED = Stage.SCHEDULED.value, STAGE_WORDS[Stage.SCHEDULED]
    TREATMENT = Stage.TREATMENT.value, STAGE_WORDS[Stage.TREATMENT]
    FOLLOW_UP = Stage.FOLLOW_UP.value, STAGE_WORDS[Stage.FOLLOW_UP]
    CLOSED = Stage.CLOSED.value, STAGE_WORDS[Stage.CLOSED]
    DECLINED = Stage.DECLINED.value, STAGE_WORDS[Stage.DECLINED]
    WITHDRAWN = Stage.WITHDRAWN.value, STAGE_WORDS[Stage.WITHDRAWN]


class ProgrammeChoices(models.TextChoices):
    SDR = Programme.SDR.value, PROGRAMME_WORDS[Programme.SDR]
    CELL_THERAPY = Programme.CELL_THERAPY.value, PROGRAMME_WORDS[Programme.CELL_THERAPY]
    REHABILITATION = Programme.REHABILITATION.value, PROGRAMME_WORDS[Programme.REHABILITATION]


class ConsentKindChoices(models.TextChoices):
    """Consent kinds, named by the platform's words (``CONSENT_WORDS``)."""

    DATA_PROCESSING = (ConsentKind.DATA_PROCESSING.value,
                       CONSENT_WORDS[ConsentKind.DATA_PROCESSING])
    CROSS_BORDER_TRANSFER = (ConsentKind.CROSS_BORDER_TRANSFER.value,
                             CONSENT_WORDS[ConsentKind.CROSS_BORDER_TRANSFER])
    TREATMENT = ConsentKind.TREATMENT.value, CONSENT_WORDS[ConsentKind.TREATMENT]
    RESEARCH = ConsentKind.RESEARCH.value, CONSENT_WORDS[ConsentKind.RESEARCH]
    STORY_PUBLICATION = (ConsentKind.STORY_PUBLICATION.value,
                         CONSENT_WORDS[ConsentKind.STORY_PUBLICATION])
    PHOTO_VIDEO = ConsentKind.PHOTO_VIDEO.value, CONSENT_WORDS[ConsentKind.PHOTO_VIDEO]


class ConsentMethodChoices(models.TextChoices):
    """How a consent, or its withdrawal, reached the programme."""

    PORTAL_CLICK = ConsentMethod.PORTAL_CLICK.value, _("Clicked in the family portal")
    SIGNED_PAPER = ConsentMethod.SIGNED_PAPER.value, _("Signed paper, scanned by the care team")
    INQUIRY_FORM = ConsentMethod.INQUIRY_FORM.value, _("Ticked on the inquiry form")
    TOLD_CARE_TEAM = ConsentMethod.TOLD_CARE_TEAM.value, _("Told the care team")


class Patient(models.Model):
    """The child."""

    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    country = models.CharField(_("country of residence"), max_length=2,
                               help_text=_("ISO 3166-1 alpha-2 code, for example BG."))
    languages = models.JSONField(_("languages spoken"), default=list,
                                 help_text=_("Language codes, for example ['ar', 'en']."))
    is_synthetic = models.BooleanField(
        _("synthetic record"), default=False,
        help_text=_("Invented for a demo or a test; never a real child."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("family_name", "given_name", "id")

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Guardian(models.Model):
    """A parent or other guardian of one child; ``user`` is their portal account, if any.

    One person caring for two children has a row per child, linked to the same account.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="guardians")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="guardianships")
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=32, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=10)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Case(models.Model):
    """One programme for one child, from inquiry to closing."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    programme = models.CharField(_("programme"), max_length=32, choices=ProgrammeChoices.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=StageChoices.choices,
                             default=Stage.INQUIRY.value)
    opened_at = models.DateTimeField(default=timezone.now)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    #: Every membership, past ones included: filter on ``memberships__removed_at__isnull``
    #: (or use ``CareTeamMembership.objects.current()``) for who is on the team now.
    care_team: models.ManyToManyField[User, CareTeamMembership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CareTeamMembership",
        through_fields=("case", "user"), related_name="cases"
    )
    #: What the case is found by (``stride.core.search_text.search_document``: the child's
    #: and guardians' names, the reference, e-mails, telephone digits, date of birth),
    #: folded. Kept by ``patients.services`` whenever one of them changes.
    search_text = models.TextField(default="", db_default="", blank=True, editable=False)

    class Meta:
        ordering = ("-stage_changed_at", "id")
        indexes = (models.Index(fields=("stage", "stage_changed_at"), name="case_stage_changed"),)

    def __str__(self) -> str:
        return self.reference

    @property
    def stage_enum(self) -> Stage:
        """The stage as the core enum."""
        return Stage(self.stage)


class MembershipQuerySet(models.QuerySet["CareTeamMembership"]):
    def current(self) -> MembershipQuerySet:
        """The memberships in force (not removed)."""
        return self.filter(removed_at__isnull=True)


class CareTeamMembership(models.Model):
    """A staff member working on one case, from ``added_at`` until ``removed_at``.

    A membership is never deleted: removing someone sets ``removed_at``, ``removed_by``
    and ``removal_reason``, so the case keeps who was on its team, when and why they left.
    Only a membership in force (``removed_at`` empty) opens the case; adding the person
    again starts a new row.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="memberships")
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    #: The clinician responsible for the case: the only one who signs its candidacy
    #: decision. At most one per case; set when the first clinician is assigned.
    is_responsible = models.BooleanField(_("responsible clinician"), default=False)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    removal_reason = models.TextField(_("reason for removal"), blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ("added_at", "id")
        constraints = (
            models.UniqueConstraint(fields=("case", "user"),
                                    condition=models.Q(removed_at__isnull=True),
                                    name="care_team_member_once"),
            models.UniqueConstraint(fields=("case",), condition=models.Q(is_responsible=True),
                                    name="one_responsible_clinician_per_case"),
            models.CheckConstraint(
                condition=models.Q(removed_at__isnull=True) | models.Q(is_responsible=False),
                name="removed_member_not_responsible"),
        )

    def __str__(self) -> str:
        return f"{self.user} on {self.case}"


class CareTeamChangeKind(models.TextChoices):
    ADDED = "added", _("Added to the care team")
    REMOVED = "removed", _("Removed from the care team")
    MADE_RESPONSIBLE = "made-responsible", _("Made the responsible clinician")


class CareTeamChange(models.Model):
    """One change of a case's care team, with who made it and why (its history)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="care_team_changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    change = models.CharField(max_length=20, choices=CareTeamChangeKind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.case}: {self.change} {self.user_id}"


class StageChange(models.Model):
    """One step of a case's stage history (the first row has no ``from_stage``)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=StageChoices.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=StageChoices.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.case}: {self.from_stage or '-'} -> {self.to_stage}"


class ConsentDeletionError(Exception):
    """Consents are withdrawn, never deleted."""

    code = "consent-not-deletable"


class ConsentPaper(models.Model):
    """A scanned signed paper: a consent given, or withdrawn, in writing.

    The file (PDF, JPEG or PNG, checked and stripped of metadata by
    ``platform.uploads``) lives under a random ``stored_name`` in the media folder and is
    served only to the care team through an access-checked view. Never deleted.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consent_papers")
    stored_name = models.CharField(max_length=100, unique=True)
    #: The name the scanner or computer gave the file, cleaned; for display only.
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("uploaded_at", "id")

    def __str__(self) -> str:
        return self.original_name

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ConsentDeletionError("A signed consent paper is never deleted.")


class Consent(models.Model):
    """A consent given for a child, with the text version agreed to, who gave it and how.

    Withdrawal sets ``withdrawn_at``, ``withdrawn_by`` and how it came
    (``withdrawn_method``, with the signed paper if there is one); the row is never
    deleted, so the record of what was agreed and when stays complete. Giving a consent
    again after a withdrawal is a new row.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(_("kind"), max_length=32, choices=ConsentKindChoices.choices)
    text_version = models.CharField(_("text version"), max_length=64)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    granted_by = models.ForeignKey(Guardian, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="consents_given")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    #: How the consent was given (rows from before methods were kept: the inquiry form).
    method = models.CharField(_("how it was given"), max_length=20,
                              choices=ConsentMethodChoices.choices)
    #: The scanned signed paper, for a consent given on paper (required then).
    paper = models.ForeignKey(ConsentPaper, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    #: How the withdrawal came (empty while in force, and for withdrawals recorded before
    #: methods were kept).
    withdrawn_method = models.CharField(_("how it was withdrawn"), max_length=20, blank=True,
                                        choices=ConsentMethodChoices.choices)
    #: The scanned signed paper of a withdrawal in writing.
    withdrawn_paper = models.ForeignKey(ConsentPaper, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("granted_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=~models.Q(method=ConsentMethod.SIGNED_PAPER.value)
                | models.Q(paper__isnull=False),
                name="consent_signed_paper_has_scan"),
            models.CheckConstraint(
                condition=~models.Q(withdrawn_method=ConsentMethod.SIGNED_PAPER.value)
                | models.Q(withdrawn_paper__isnull=False),
                name="consent_withdrawal_paper_has_scan"),
        )

    def __str__(self) -> str:
        return f"{self.kind} ({self.text_version})"

    @property
    def is_active(self) -> bool:
        """Whether the consent is in force (granted and not withdrawn)."""
        return self.withdrawn_at is None

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ConsentDeletionError("A consent is never deleted; record its withdrawal instead.")
