"""Follow-up visits planned from core's versioned templates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.core.followup.answers import UrgentReason
from stride.core.followup.schedules import VisitKind
from stride.web.patients.models import Case
from stride.web.treatment.models import Episode


class Cancellation(models.TextChoices):
    """Why a planned visit is not needed any more (the visit row stays, marked)."""

    EPISODE_ENTERED_IN_ERROR = "episode-entered-in-error", _(
        "not needed: the treatment it was planned from was entered in error")


class Visit(models.Model):
    """One planned follow-up visit.

    ``template`` and ``template_version`` say which schedule planned it; the unique
    constraint (among visits not cancelled) makes planning idempotent. ``reminder_sent_at``
    is set in the same conditional update that claims the reminder, so a reminder goes out
    once. A visit that is not needed any more (its episode was entered in error) keeps its
    row with ``cancelled_at`` and ``cancellation`` set once; it is neither due nor reminded,
    and the same visit can be planned again from the right episode.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="visits")
    episode = models.ForeignKey(Episode, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="visits")
    kind = models.CharField(_("kind"), max_length=32,
                            choices=[(k.value, k.value) for k in VisitKind])
    label = models.CharField(_("visit"), max_length=32)
    template = models.CharField(max_length=80)
    template_version = models.CharField(max_length=16)
    due_on = models.DateField(_("due on"))
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    family_report = models.JSONField(null=True, blank=True)
    family_reported_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation = models.CharField(_("cancelled because"), max_length=32, blank=True,
                                    choices=Cancellation.choices)

    class Meta:
        ordering = ("due_on", "id")
        constraints = [
            models.UniqueConstraint(fields=("case", "template", "label"),
                                    condition=Q(cancelled_at__isnull=True),
                                    name="followup_visit_once_per_template_label"),
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.label} {self.due_on}"


class UrgentFlag(models.Model):
    """Something in the family's answers to a visit that the care team must read today (a
    seizure, a problem written down), shown on the visit until a clinician acknowledges it.

    One open flag per visit and reason; acknowledging sets ``acknowledged_at`` and
    ``acknowledged_by`` once (audited), and the row stays.
    """

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="urgent_flags")
    reason = models.CharField(_("reason"), max_length=24,
                              choices=[(r.value, r.value) for r in UrgentReason])
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("raised_at", "id")
        constraints = [
            models.UniqueConstraint(fields=("visit", "reason"),
                                    condition=Q(acknowledged_at__isnull=True),
                                    name="followup_urgent_flag_open_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reason} {self.raised_at:%Y-%m-%d}"
