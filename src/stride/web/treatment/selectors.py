"""Reads of treatment episodes for pages."""

from __future__ import annotations

from django.db.models import QuerySet

from stride.web.patients.models import Case
from stride.web.treatment.models import Episode


def episodes_of(case: Case) -> QuerySet[Episode]:
    """Return the case's episodes, oldest first, with their adverse events prefetched."""
    return Episode.objects.filter(case=case).prefetch_related("adverse_events")
