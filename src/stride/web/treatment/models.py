"""Treatment episodes and their adverse events.

Validation is core's (:mod:`stride.core.treatment.episodes`); an episode row holds the
validated episode as JSON in ``details`` (shape per kind, made by
:func:`details_json` from core's checked episode) and its dates in columns for lists and schedules.

An episode is never edited or deleted. One entered in error gets an
:class:`EpisodeCorrection` row (append-only, one per episode: who, when, why); every
projection reads episodes through :meth:`EpisodeQuerySet.usable`, which leaves out those
and the rows whose dates cannot be true (stored before dates were checked).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import Enum
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.core.treatment.episodes import ClavienDindo, EpisodeKind, EventOutcome, Relatedness
from stride.web.patients.models import Case
from stride.web.platform.append_only import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet


def details_json(value: Any) -> Any:
    """Return ``value`` (a core dataclass, enum, date, tuple) as plain JSON data.

    The one form of an episode's ``details``: services and the synthetic registry both
    store what this returns.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: details_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [details_json(v) for v in value]
    return value


class EpisodeKindChoices(models.TextChoices):
    SDR = EpisodeKind.SDR.value, _("Selective dorsal rhizotomy")
    CELL_THERAPY = EpisodeKind.CELL_THERAPY.value, _(
        "Cell-therapy course (investigational, trials only)")
    REHABILITATION = EpisodeKind.REHABILITATION.value, _("Rehabilitation block")
    BOTULINUM_TOXIN = EpisodeKind.BOTULINUM_TOXIN.value, _("Botulinum-toxin injections")
    ORTHOPAEDIC_SURGERY = EpisodeKind.ORTHOPAEDIC_SURGERY.value, _("Orthopaedic surgery")
    ADMISSION = EpisodeKind.ADMISSION.value, _("Hospital admission")


def dates_possible(today: date, *, prefix: str = "", born: str = "case__patient__date_of_birth",
                   ) -> Q:
    """The condition of core's :func:`~stride.core.treatment.episodes.stored_date_problems`
    finding nothing, in SQL: start from birth to ``today``, end (if any) from the start to
    ``today``. ``prefix`` reaches the episode from another model (``"episode__"``)."""
    starts, ends = F(f"{prefix}starts_on"), f"{prefix}ends_on"
    return (Q(**{f"{prefix}starts_on__gte": F(born), f"{prefix}starts_on__lte": today})
            & (Q(**{f"{ends}__isnull": True})
               | Q(**{f"{ends}__gte": starts, f"{ends}__lte": today})))


class EpisodeQuerySet(models.QuerySet["Episode"]):
    """Episodes, with the filters every projection uses."""

    def standing(self) -> EpisodeQuerySet:
        """Episodes not marked entered in error."""
        return self.filter(entered_in_error__isnull=True)

    def dated_possibly(self, today: date) -> EpisodeQuerySet:
        """Episodes whose dates can be true (from birth to ``today``, end after start)."""
        return self.filter(dates_possible(today))

    def usable(self, today: date) -> EpisodeQuerySet:
        """Episodes that charts, outcome windows and exports read: standing, dated possibly."""
        return self.standing().dated_possibly(today)

    def left_out(self, today: date) -> EpisodeQuerySet:
        """Standing episodes whose dates cannot be true: flagged until corrected."""
        return self.standing().exclude(dates_possible(today))


class Episode(models.Model):
    """One treatment episode of a case.

    For an SDR, ``details["counts"]`` holds the rootlets tested and cut per level and side
    as entered by the team, and ``rootlet_session`` links the operating-room session (app
    ``ionm``) whose decision log and end-of-session report hold the rootlet-by-rootlet
    record, when the operation was monitored in Stride.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="episodes")
    kind = models.CharField(_("kind"), max_length=32, choices=EpisodeKindChoices.choices)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    details = models.JSONField(_("details"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    #: The operating-room rootlet session of an SDR (one episode per session at most).
    rootlet_session = models.OneToOneField(
        "ionm.RootletSession", null=True, blank=True, on_delete=models.PROTECT,
        related_name="sdr_episode", verbose_name=_("rootlet session"))

    objects: ClassVar[EpisodeQuerySet] = EpisodeQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("starts_on", "id")

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_on}"

    @property
    def is_investigational(self) -> bool:
        """Whether the episode is an investigational treatment (labelled so everywhere)."""
        return self.kind == EpisodeKind.CELL_THERAPY.value

    @property
    def correction(self) -> EpisodeCorrection | None:
        """The marking "entered in error" of this episode, or ``None`` while it stands."""
        try:
            return self.entered_in_error
        except EpisodeCorrection.DoesNotExist:
            return None


class CorrectionImmutableError(AppendOnlyError):
    """A marking "entered in error" is never changed or deleted."""

    code = "correction-immutable"


class EpisodeCorrection(AppendOnlyModel):
    """The care team's marking that an episode was entered in error, with their reason.

    Append-only (model, query set and database triggers) and one per episode (the
    one-to-one key): the episode stays as it was recorded, shown struck through with this
    reason, and every projection leaves it out.
    """

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT,
                                   related_name="entered_in_error")
    reason = models.TextField(_("reason"))
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    refusal_error = CorrectionImmutableError
    refusal = "A marking entered in error is final"
    objects: ClassVar[AppendOnlyQuerySet[EpisodeCorrection]] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return f"episode {self.episode_id} entered in error"


class AdverseEvent(models.Model):
    """An adverse event of an episode (Clavien–Dindo grade after surgery only)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT,
                                related_name="adverse_events")
    description = models.TextField(_("description"))
    onset_on = models.DateField(_("date of onset"))
    grade = models.PositiveSmallIntegerField(_("grade (1–5)"))
    relatedness = models.CharField(_("relatedness"), max_length=16,
                                   choices=[(r.value, r.value) for r in Relatedness])
    outcome = models.CharField(_("outcome"), max_length=32,
                               choices=[(o.value, o.value) for o in EventOutcome])
    clavien_dindo = models.CharField(_("Clavien–Dindo grade"), max_length=4, blank=True,
                                     choices=[(g.value, g.value) for g in ClavienDindo])
    resolved_on = models.DateField(_("date of resolution"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("onset_on", "id")

    def __str__(self) -> str:
        return f"grade {self.grade}: {self.description[:40]}"
