"""Tables of the publication app: dated snapshots of the published outcomes."""

from __future__ import annotations

from django.db import models


class PublishedOutcomes(models.Model):
    """One publication of the outcomes page, exactly as the public reads it.

    ``figures`` is :meth:`stride.core.registry.publication.Publication.to_json`: built only
    from core's results, already suppressed (a hidden cell holds its state and no number).
    The page shows the latest row and never computes on page load.
    """

    published_at = models.DateTimeField()
    #: When the registry was read (its derived tables as of that moment).
    registry_as_of = models.DateTimeField()
    #: The registry's change token at that moment (``registry.RegistryStamp``).
    registry_token = models.CharField(max_length=32, blank=True)
    #: The analysts' filter the figures were built from (``ReportFilters`` as JSON).
    filters = models.JSONField()
    figures = models.JSONField()
    #: ``publication-v1``; the reference curves, outcome windows and suppression rule used.
    version = models.CharField(max_length=32)
    reference = models.CharField(max_length=64)
    windows_version = models.CharField(max_length=32)
    suppression_rule = models.CharField(max_length=64)
    #: Whether the registry read held synthetic children (the page then says so).
    synthetic = models.BooleanField()
    #: Who published: ``command``, ``worker`` or ``demo``.
    published_by = models.CharField(max_length=32)

    class Meta:
        ordering = ("-published_at", "-pk")
        get_latest_by = ("published_at", "pk")

    def __str__(self) -> str:
        return f"{self.version} {self.published_at:%Y-%m-%d %H:%M}"
