"""The registry's derived tables: one row per child, one row per outcome window.

The pathway records (assessments, treatment episodes) stay the source of truth. These
tables are derived from them by :mod:`stride.web.registry.refresh` — in the same
transaction as every assessment or episode write, and in bulk by the synthetic loader —
so that a cohort report over 100,000 children reads a few numeric columns instead of
re-deriving windows from a million assessments. They hold no direct identifier: names,
dates of birth and free text stay in ``patients``; a registry row carries ages in years
and a random pseudonym.
"""

from __future__ import annotations

from django.db import models

from stride.core.registry.windows import AnchorKind as CoreAnchorKind
from stride.web.patients.models import Patient
from stride.web.treatment.models import Episode


class RegistryChild(models.Model):
    """The registry's de-identified entry for one child.

    ``pseudonym`` is random (never derived from an id or a name) and is the only child
    key in exports. ``date_shift_days`` is a random per-child shift, drawn once, applied
    to any date an export shows, so intervals within a child stay true while the real
    dates stay hidden.
    """

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT,
                                   related_name="registry_entry")
    pseudonym = models.CharField(max_length=16, unique=True)
    date_shift_days = models.SmallIntegerField()
    sex = models.CharField(max_length=8)
    country = models.CharField(max_length=2)
    #: Latest recorded SCPE subtype (core ``ScpeSubtype`` value); blank when unknown.
    scpe_subtype = models.CharField(max_length=32, blank=True)
    #: Latest recorded GMFCS level 1–5; null when never classified.
    gmfcs = models.PositiveSmallIntegerField(null=True)
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.pseudonym


class AnchorKind(models.TextChoices):
    """What an outcome window is measured from: core's codes (``windows-v1``)."""

    SDR = CoreAnchorKind.SDR.value
    CELL_THERAPY = CoreAnchorKind.CELL_THERAPY.value
    REHABILITATION = CoreAnchorKind.REHABILITATION.value
    BOTULINUM_TOXIN = CoreAnchorKind.BOTULINUM_TOXIN.value
    ORTHOPAEDIC_SURGERY = CoreAnchorKind.ORTHOPAEDIC_SURGERY.value
    #: Comparison group: evaluated (a GMFM-66 on record) and never treated; anchored at
    #: the first GMFM-66.
    UNTREATED = CoreAnchorKind.UNTREATED.value


class OutcomeWindow(models.Model):
    """GMFM-66 change of one child from one anchor to one horizon (6, 12 or 24 months).

    A row exists for every anchor and horizon, also when the follow-up was missed
    (``follow_up_score`` null) or the baseline is absent (``baseline_score`` null), so a
    report can count what is missing instead of silently dropping it. Ages in years;
    scores and CI half-widths in GMFM-66 points (GMAE output).
    """

    child = models.ForeignKey(RegistryChild, on_delete=models.CASCADE, related_name="windows")
    anchor_kind = models.CharField(max_length=24, choices=AnchorKind.choices)
    episode = models.ForeignKey(Episode, null=True, on_delete=models.CASCADE,
                                related_name="+")
    anchor_age_years = models.FloatField()
    anchor_year = models.PositiveSmallIntegerField()
    horizon_months = models.PositiveSmallIntegerField()
    #: GMFCS level 1–5 at baseline; null: the child is charted but not comparable.
    gmfcs = models.PositiveSmallIntegerField(null=True)
    scpe_subtype = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2)
    baseline_age_years = models.FloatField(null=True)
    baseline_score = models.FloatField(null=True)
    baseline_ci_half_width = models.FloatField(null=True)
    follow_up_age_years = models.FloatField(null=True)
    follow_up_score = models.FloatField(null=True)
    follow_up_ci_half_width = models.FloatField(null=True)

    class Meta:
        indexes = (
            models.Index(fields=("horizon_months", "anchor_kind"), name="registry_window_report"),
        )

    def __str__(self) -> str:
        return f"{self.child} {self.anchor_kind} +{self.horizon_months} months"


class RegistryStamp(models.Model):
    """One row whose token changes in every transaction that writes the derived rows.

    Readers that keep the windows in memory (the cohort report) compare the token with
    the one they loaded under: equal, nothing changed since; different or absent, they
    read again. The token is written by an upsert inside the writing transaction, so a
    reader sees it change exactly when the rows it stands for are committed.
    """

    id = models.PositiveSmallIntegerField(primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
