"""Reads of treatment episodes for pages."""

from __future__ import annotations

from django.db.models import QuerySet

from stride.web.patients.models import Case
from stride.web.treatment.models import Episode


def episodes_of(case: Case) -> QuerySet[Episode]:
    """Return the case's episodes, oldest first, with their adverse events prefetched."""
    return Episode.objects.filter(case=case).prefetch_related("adverse_events")


def episode_of_case(case: Case, episode_id: int) -> Episode | None:
    """Return the episode ``episode_id`` if it belongs to ``case``, else ``None``."""
    return Episode.objects.filter(case=case, pk=episode_id).first()
