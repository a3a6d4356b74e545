"""Registry rows for web tests, created directly, each write stamped as the refresh does.

Every child is synthetic (``is_synthetic=True``, an obviously invented name).
"""

from __future__ import annotations

import itertools
import secrets
from datetime import date
from typing import Any

from django.utils import timezone

from stride.web.patients.services import register_patient
from stride.web.registry.models import OutcomeWindow, RegistryChild
from stride.web.registry.refresh import stamp_change

_numbers = itertools.count(1)


def make_child(*, gmfcs: int | None = 2, subtype: str = "spastic-bilateral",
               country: str = "BG") -> RegistryChild:
    """Create a synthetic child and its registry entry."""
    number = next(_numbers)
    patient = register_patient(
        by=None, given_name="Synthetic", family_name=f"Registrychild-{number}",
        date_of_birth=date(2018, 3, 1), sex="male", country=country, languages=["bg"],
        is_synthetic=True)
    return RegistryChild.objects.create(
        patient=patient, pseudonym=secrets.token_hex(8), date_shift_days=number % 300,
        sex="male", country=country, scpe_subtype=subtype, gmfcs=gmfcs,
        refreshed_at=timezone.now())


def make_window(child: RegistryChild, *, kind: str = "sdr", months: int = 12,
                anchor_age: float = 4.0, year: int = 2024, baseline: float | None = 50.0,
                follow_up: float | None = 54.0, ci: float | None = 1.5,
                gmfcs: int | None = None) -> OutcomeWindow:
    """Create one outcome window of ``child`` (level and subtype copied from the child)."""
    span = months / 12
    # Like every write of derived rows: readers holding windows in memory read again.
    stamp_change()
    return OutcomeWindow.objects.create(
        child=child, anchor_kind=kind, anchor_age_years=anchor_age, anchor_year=year,
        horizon_months=months, gmfcs=gmfcs if gmfcs is not None else child.gmfcs,
        scpe_subtype=child.scpe_subtype, country=child.country,
        baseline_age_years=None if baseline is None else anchor_age - 0.1,
        baseline_score=baseline, baseline_ci_half_width=None if baseline is None else ci,
        follow_up_age_years=None if follow_up is None else anchor_age + span,
        follow_up_score=follow_up, follow_up_ci_half_width=None if follow_up is None else ci)


def make_cohort(size: int, **window: Any) -> list[RegistryChild]:
    """Create ``size`` children with one window each (``window``: :func:`make_window` options)."""
    child_options = {k: window.pop(k) for k in ("country", "subtype") if k in window}
    children = [make_child(**child_options) for _ in range(size)]
    for child in children:
        make_window(child, **window)
    return children
