"""The evaluation of a case: assessments, video consultations, team notes and decisions.

Instrument codes come from :class:`stride.core.scales.instruments.Instrument`; an
assessment's inputs and derived scores are stored as core produced them, and its headline
number (GMFCS level, GMFM-88 total %, GMFM-66 score, ...) has its own indexed column so a
registry can query it across many assessments without reading JSON.

A :class:`CandidacyDecision` is immutable once signed, like the audit trail: the model
refuses ``save()`` of an existing row and ``delete()``, and its query set refuses
``update()`` and ``delete()``.

An assessment is never edited or deleted either. One entered in error gets an
:class:`AssessmentCorrection` row (append-only, one per assessment: who, when, why);
candidacy facts, the registry, charts and exports read assessments through
:meth:`AssessmentQuerySet.usable`, which leaves out those and the rows dated before the
child's birth or after today (stored before dates were checked).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.core.eligibility.signoff import Signature as CoreSignature
from stride.core.scales.instruments import Instrument
from stride.web.documents.models import Letter
from stride.web.patients.models import Case
from stride.web.platform.append_only import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet


class InstrumentChoices(models.TextChoices):
    GMFCS = Instrument.GMFCS.value, _("GMFCS-E&R")
    MACS = Instrument.MACS.value, _("MACS / Mini-MACS")
    CFCS = Instrument.CFCS.value, _("CFCS")
    EDACS = Instrument.EDACS.value, _("EDACS / Mini-EDACS")
    MAS = Instrument.MAS.value, _("Modified Ashworth Scale")
    TARDIEU = Instrument.TARDIEU.value, _("Modified Tardieu Scale")
    GMFM88 = Instrument.GMFM88.value, _("GMFM-88")
    GMFM66 = Instrument.GMFM66.value, _("GMFM-66 (GMAE result)")
    RANGE_OF_MOTION = Instrument.RANGE_OF_MOTION.value, _("Range of motion")
    STRENGTH = Instrument.STRENGTH.value, _("Strength (MRC)")
    SELECTIVE_MOTOR_CONTROL = Instrument.SELECTIVE_MOTOR_CONTROL.value, _(
        "Selective motor control (SCALE)")
    HIP_MIGRATION = Instrument.HIP_MIGRATION.value, _("Hip migration percentage")
    MRI = Instrument.MRI.value, _("Brain MRI findings")
    EPILEPSY = Instrument.EPILEPSY.value, _("Epilepsy status")
    HISTORY = Instrument.HISTORY.value, _("Medical history and previous treatments")


class AssessmentContext(models.TextChoices):
    REMOTE = "remote", _("Remote (video or sent material)")
    IN_PERSON = "in-person", _("In person")


def assessment_dated_possibly(today: date, *, prefix: str = "") -> Q:
    """The condition of an assessment dated from the child's birth to ``today``, in SQL."""
    return Q(**{f"{prefix}assessed_on__gte": F(f"{prefix}case__patient__date_of_birth"),
                f"{prefix}assessed_on__lte": today})


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    """Assessments, with the filters every reader of findings uses."""

    def standing(self) -> AssessmentQuerySet:
        """Assessments not marked entered in error."""
        return self.filter(entered_in_error__isnull=True)

    def usable(self, today: date) -> AssessmentQuerySet:
        """Standing assessments dated from the child's birth to ``today``."""
        return self.standing().filter(assessment_dated_possibly(today))

    def left_out(self, today: date) -> AssessmentQuerySet:
        """Standing assessments dated before birth or after ``today``: flagged until
        corrected."""
        return self.standing().exclude(assessment_dated_possibly(today))


class Assessment(models.Model):
    """One dated instrument result for a case, with its assessor and context."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    instrument = models.CharField(_("instrument"), max_length=32,
                                  choices=InstrumentChoices.choices)
    assessed_on = models.DateField(_("assessment date"))
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    context = models.CharField(_("context"), max_length=16, choices=AssessmentContext.choices)
    #: The inputs in core's canonical JSON form, and the scores core derived from them.
    data = models.JSONField()
    derived = models.JSONField(default=dict)
    #: The headline number (see the module docstring); null for findings without one.
    headline = models.FloatField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[AssessmentQuerySet] = AssessmentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-assessed_on", "-id")
        indexes = (
            models.Index(fields=("instrument", "headline"), name="assessment_headline"),
            models.Index(fields=("case", "instrument", "assessed_on"), name="assessment_latest"),
        )

    def __str__(self) -> str:
        return f"{self.instrument} on {self.assessed_on} ({self.case})"

    @property
    def correction(self) -> AssessmentCorrection | None:
        """The marking "entered in error" of this assessment, or ``None`` while it stands."""
        try:
            return self.entered_in_error
        except AssessmentCorrection.DoesNotExist:
            return None


class CorrectionImmutableError(AppendOnlyError):
    """A marking "entered in error" is never changed or deleted."""

    code = "correction-immutable"


class AssessmentCorrection(AppendOnlyModel):
    """The care team's marking that an assessment was entered in error, with their reason.

    Append-only (model, query set and database triggers) and one per assessment: the
    assessment stays as recorded, shown struck through with this reason, and candidacy
    facts, the registry, charts and exports leave it out.
    """

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT,
                                      related_name="entered_in_error")
    reason = models.TextField(_("reason"))
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    refusal_error = CorrectionImmutableError
    refusal = "A marking entered in error is final"
    objects: ClassVar[AppendOnlyQuerySet[AssessmentCorrection]] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return f"assessment {self.assessment_id} entered in error"


class TeamNote(models.Model):
    """A contribution to the multidisciplinary review of a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="team_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    body = models.TextField(_("note"))
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("written_at", "id")

    def __str__(self) -> str:
        return f"note by {self.author} on {self.case}"


class DecisionImmutableError(AppendOnlyError):
    """A signed decision is never changed or deleted."""

    code = "decision-immutable"


class Signature(models.TextChoices):
    AGREE = CoreSignature.AGREE.value, _("Agree with the engine")
    OVERRIDE = CoreSignature.OVERRIDE.value, _("Override the engine")


class CandidacyDecision(AppendOnlyModel):
    """A candidacy decision signed by the case's responsible clinician.

    Stores everything needed to reproduce the engine's result: the rule-set id and
    version, the facts snapshot (``Facts.to_json``) with each fact's provenance, and the
    engine's result JSON. ``final_outcome`` is the engine's outcome when the clinician
    agrees, or the clinician's own when they override it with a written reason.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    rule_set_id = models.CharField(max_length=64)
    rule_set_name = models.CharField(max_length=64)
    rule_set_version = models.PositiveSmallIntegerField()
    facts = models.JSONField()
    provenance = models.JSONField()
    result = models.JSONField()
    engine_outcome = models.CharField(max_length=24)
    signature = models.CharField(max_length=16, choices=Signature.choices)
    final_outcome = models.CharField(max_length=24)
    override_reason = models.TextField(blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    letter = models.OneToOneField(Letter, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="decision")

    refusal_error = DecisionImmutableError
    refusal = "A signed decision is final"
    objects: ClassVar[AppendOnlyQuerySet[CandidacyDecision]] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-signed_at", "-id")
        constraints = (
            # One signed decision per case and rule set: a second signing is refused.
            models.UniqueConstraint(fields=("case", "rule_set_name"),
                                    name="one_decision_per_case_and_rule_set"),
        )

    def __str__(self) -> str:
        return f"{self.rule_set_id} decision for {self.case}"


class ConsultationSlot(models.Model):
    """A time a clinician offers for a video consultation, which a family may book.

    Stored in UTC with the clinic's IANA time zone. A slot is booked while a consultation
    that is not cancelled points at it (one at most: a partial unique constraint on
    :class:`Consultation`); a withdrawn slot keeps its row (``withdrawn_at``), never deleted.
    """

    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="consultation_slots")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    clinic_time_zone = models.CharField(_("clinic's time zone"), max_length=64)
    meeting_url = models.URLField(_("meeting link"), max_length=500)
    #: Offered to this case's family only; empty: to every family the clinician cares for.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("starts_at", "id")
        indexes = (models.Index(fields=("clinician", "starts_at"), name="slot_clinician_starts"),)

    def __str__(self) -> str:
        return f"slot {self.starts_at:%Y-%m-%d %H:%M} UTC ({self.clinician})"


class BookingTimeZone(models.Model):
    """The time zone a family chose to see consultation times in (one per portal account)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                primary_key=True, related_name="+")
    time_zone = models.CharField(_("time zone"), max_length=64)
    chosen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.time_zone} for user {self.user_id}"


class Consultation(models.Model):
    """A video consultation, stored in UTC with the family's and the clinic's time zones.

    Booked by staff directly or from a :class:`ConsultationSlot` (by the family or staff).
    Never deleted: a cancelled one keeps its row with ``cancelled_at``/``cancelled_by``;
    a moved one is cancelled with ``moved_to`` naming the consultation that replaced it.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consultations")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    family_time_zone = models.CharField(_("family's time zone"), max_length=64)
    clinic_time_zone = models.CharField(_("clinic's time zone"), max_length=64)
    meeting_url = models.URLField(_("meeting link"), max_length=500)
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    notes = models.TextField(_("consultation notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    #: When each side was reminded: set once, so a reminder is never sent twice.
    family_reminded_at = models.DateTimeField(null=True, blank=True)
    clinic_reminded_at = models.DateTimeField(null=True, blank=True)
    slot = models.ForeignKey(ConsultationSlot, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="consultations")
    booked_by_family = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    moved_to = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="moved_from")

    class Meta:
        ordering = ("starts_at", "id")
        indexes = (models.Index(fields=("starts_at",), name="consultation_starts"),)
        constraints = (
            # Two families cannot hold the same slot: at most one live booking per slot.
            models.UniqueConstraint(fields=("slot",), condition=Q(cancelled_at__isnull=True),
                                    name="one_live_booking_per_slot"),
        )

    def __str__(self) -> str:
        return f"consultation {self.starts_at:%Y-%m-%d %H:%M} UTC ({self.case})"

    @property
    def is_cancelled(self) -> bool:
        """Whether the consultation was cancelled (or moved to another time)."""
        return self.cancelled_at is not None
