"""Reads for the registry's cohort pages: the selected outcome windows as columns.

One ``values_list`` query, filtered in SQL, returns the few numeric columns the report
needs (:data:`stride.core.registry.report.COLUMN_FIELDS`); everything else is numpy in
``core``. No identifier is read: a window row carries ages, scores and the child's
registry key, which is only used to count children.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from stride.core.registry.report import AGE_BANDS, COLUMN_FIELDS, UNTREATED, WindowColumns
from stride.web.registry.models import OutcomeWindow


@dataclass(frozen=True, slots=True)
class ReportFilters:
    """Which outcome windows a report covers; ``None``: no restriction.

    Attributes
    ----------
    treatment
        Anchor kind of the treated arm; ``None``: every treatment.
    scpe_subtype, gmfcs, country
        The child's SCPE subtype code, GMFCS level at baseline, ISO country code.
    age_band
        Key of :data:`stride.core.registry.report.AGE_BANDS`: age at the anchor.
    year_from, year_to
        Anchor years, both ends included.
    comparison
        Also load the ``untreated`` windows under the same filters (the comparison group).
    """

    treatment: str | None = None
    scpe_subtype: str | None = None
    gmfcs: int | None = None
    age_band: str | None = None
    country: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    comparison: bool = False

    def audit_label(self) -> str:
        """Return the filters as a short ``key=value`` text for the audit trail."""
        parts = [f"{name}={value}" for name, value in (
            ("treatment", self.treatment), ("subtype", self.scpe_subtype),
            ("gmfcs", self.gmfcs), ("age", self.age_band), ("country", self.country),
            ("from", self.year_from), ("to", self.year_to)) if value is not None]
        if self.comparison:
            parts.append("comparison")
        return ";".join(parts) or "all"


def _condition(filters: ReportFilters) -> Q:
    kinds = (Q(anchor_kind=filters.treatment) if filters.treatment is not None
             else ~Q(anchor_kind=UNTREATED))
    if filters.comparison:
        kinds |= Q(anchor_kind=UNTREATED)
    condition = kinds
    if filters.scpe_subtype is not None:
        condition &= Q(scpe_subtype=filters.scpe_subtype)
    if filters.gmfcs is not None:
        condition &= Q(gmfcs=filters.gmfcs)
    if filters.age_band is not None:
        low, high = AGE_BANDS[filters.age_band]
        condition &= Q(anchor_age_years__gte=low, anchor_age_years__lt=high)
    if filters.country is not None:
        condition &= Q(country=filters.country)
    if filters.year_from is not None:
        condition &= Q(anchor_year__gte=filters.year_from)
    if filters.year_to is not None:
        condition &= Q(anchor_year__lte=filters.year_to)
    return condition


def report_columns(filters: ReportFilters) -> WindowColumns:
    """Return the windows selected by ``filters`` as columns (one query)."""
    rows = OutcomeWindow.objects.filter(_condition(filters)).values_list(*COLUMN_FIELDS)
    return WindowColumns.from_rows(list(rows))


def claim_columns(treatment: str | None) -> WindowColumns:
    """Return the windows a claims check needs: the treatment's and the untreated (one query)."""
    return report_columns(ReportFilters(treatment=treatment, comparison=True))
