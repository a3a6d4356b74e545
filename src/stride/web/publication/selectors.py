"""Reads of the publication app: the registry rows a publication needs, the latest snapshot.

No identifier leaves these functions: the follow-up read names each anchor by an internal
number only to join its horizons, and carries the anchor's year, never a date.
"""

from __future__ import annotations

from stride.core.registry.publication import FollowUpColumns
from stride.core.registry.report import UNTREATED
from stride.web.publication.models import PublishedOutcomes
from stride.web.registry.models import OutcomeWindow, RegistryChild, RegistryStamp


def latest_publication() -> PublishedOutcomes | None:
    """Return the newest published snapshot, ``None`` when nothing was published yet."""
    return PublishedOutcomes.objects.order_by("-published_at", "-pk").first()


def follow_up_columns() -> FollowUpColumns:
    """Return every treated window's anchor (a number), kind, year, horizon and whether a
    follow-up GMFM-66 was found, for the completeness table."""
    rows = OutcomeWindow.objects.exclude(anchor_kind=UNTREATED).values_list(
        "child_id", "anchor_kind", "anchor_age_years", "anchor_year", "horizon_months",
        "follow_up_score")
    anchors: dict[tuple[int, str, float], int] = {}
    keys, kinds, years, horizons, followed = [], [], [], [], []
    for child, kind, age, year, months, score in rows.iterator(chunk_size=10_000):
        # One anchor: a child's treatment of one kind at one age (its rows per horizon).
        keys.append(anchors.setdefault((child, kind, age), len(anchors)))
        kinds.append(kind)
        years.append(year)
        horizons.append(months)
        followed.append(score is not None)
    return FollowUpColumns.of(keys, kinds, years, horizons, followed)


def registry_token() -> str:
    """Return the registry's current change token (blank before the first derived row)."""
    return RegistryStamp.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def registry_is_synthetic() -> bool:
    """Return whether the registry holds any synthetic child (demo or load-test data)."""
    return RegistryChild.objects.filter(patient__is_synthetic=True).exists()
