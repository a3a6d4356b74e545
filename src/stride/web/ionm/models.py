"""The operating-room rootlet session: stimulations received and the surgeon's decisions.

A :class:`RootletSession` belongs to a case. The monitoring computer posts each
stimulation (:class:`Stimulation`, with the engine's measurement stored as JSON); the
surgeon's decisions go to :class:`RootletDecision`, an append-only log (the model refuses
updates and deletes, and so do database triggers, see migration 0002).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.web.patients.models import Case
from stride.web.platform.append_only import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet


class SessionStatus(models.TextChoices):
    LIVE = "live", _("live")
    ENDED = "ended", _("ended")


class MontageChoice(models.TextChoices):
    SPEC = "spec", _("the specification's default map")
    SIMULATION = "simulation", _("the simulator's 17 channels")


class DecisionChoice(models.TextChoices):
    CUT = "cut", _("cut")
    SPARE = "spare", _("spare")
    PARTIAL = "partial", _("partial")


class RootletSession(models.Model):
    """One operating-room session of rootlet stimulation on a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="rootlet_sessions")
    surgeon = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="rootlet_sessions")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    rule_set = models.CharField(_("rule set"), max_length=64)
    montage = models.CharField(_("montage"), max_length=16, choices=MontageChoice.choices)
    config_overrides = models.JSONField(default=dict, blank=True)
    config_version = models.CharField(max_length=32)
    status = models.CharField(max_length=8, choices=SessionStatus.choices,
                              default=SessionStatus.LIVE)
    #: SHA-256 of the device's bearer token; the token itself is shown once and never stored.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    labels = models.JSONField(null=True, blank=True)
    sfreq = models.FloatField(null=True, blank=True)
    summary = models.JSONField(null=True, blank=True)
    report = models.FileField(upload_to="ionm/reports/", blank=True)
    #: The rootlet engine that analysed the session (``core.rootlets.ENGINE_VERSION``).
    engine_version = models.CharField(max_length=32, blank=True)
    #: Rootlets without a decision when the session was ended (the surgeon confirmed it).
    left_undecided = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("-started_at", "id")

    def __str__(self) -> str:
        return f"rootlet session {self.pk} on {self.case_id}"


class Stimulation(models.Model):
    """One stimulation received: annotation, onset, measurement JSON and display traces.

    ``sequence`` is the device's number for the stimulation (1, 2, … in the session):
    a repeat of a number returns the stored row, and numbers never received are the
    session's missing stimulations. ``digest`` tells a repeat from a different
    stimulation posted under the same number.
    """

    session = models.ForeignKey(RootletSession, on_delete=models.PROTECT,
                                related_name="stimulations")
    sequence = models.PositiveIntegerField()
    digest = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    annotation = models.CharField(max_length=40)
    onset_s = models.FloatField()
    rootlet = models.CharField(max_length=16, db_index=True)
    measurement = models.JSONField()
    traces = models.JSONField()

    class Meta:
        ordering = ("onset_s", "id")
        constraints = (
            models.UniqueConstraint(fields=("session", "onset_s"),
                                    name="ionm_stimulation_onset_unique"),
            models.UniqueConstraint(fields=("session", "sequence"),
                                    name="ionm_stimulation_sequence_unique"),
        )

    def __str__(self) -> str:
        return self.annotation


class DecisionImmutableError(AppendOnlyError):
    """Raised on any attempt to change or delete a recorded decision."""

    code = "decision-immutable"


class RootletDecision(AppendOnlyModel):
    """One decision of the surgeon on one rootlet; a later decision supersedes an earlier.

    The row keeps what was on the screen when the surgeon decided: the rootlet, its grade
    and suggestion, and ``state_version``, the number of stimulations received by then
    (``None`` only for decisions logged before versions were recorded).
    """

    session = models.ForeignKey(RootletSession, on_delete=models.PROTECT,
                                related_name="decisions")
    rootlet = models.CharField(max_length=16)
    decision = models.CharField(max_length=8, choices=DecisionChoice.choices)
    suggestion = models.CharField(max_length=32)
    # Nullable: adding a NOT NULL column makes SQLite rebuild the table, which would drop
    # the append-only triggers of migration 0002.
    grade = models.CharField(max_length=8, null=True, blank=True)  # noqa: DJ001 (see above)
    state_version = models.PositiveIntegerField(null=True, blank=True)
    against_suggestion = models.BooleanField()
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="rootlet_decisions")
    decided_at = models.DateTimeField(default=timezone.now)

    refusal_error = DecisionImmutableError
    refusal = "Rootlet decisions are append-only"
    objects: ClassVar[AppendOnlyQuerySet[RootletDecision]] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("decided_at", "id")
        constraints = (models.CheckConstraint(
            condition=~models.Q(against_suggestion=True, reason=""),
            name="ionm_decision_reason_when_against"),)

    def __str__(self) -> str:
        return f"{self.rootlet} {self.decision}"
