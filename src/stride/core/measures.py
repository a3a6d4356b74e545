"""Outcome measures that reference curves and change thresholds refer to."""

from __future__ import annotations

from enum import StrEnum


class Measure(StrEnum):
    """An outcome measure and its unit; the value is the stored code."""

    #: GMFM-66 score from the GMAE, points 0–100.
    GMFM66 = "gmfm-66"
    #: GMFM-88 total percentage, percentage points 0–100.
    GMFM88_TOTAL = "gmfm-88-total"
