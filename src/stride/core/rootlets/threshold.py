"""A rootlet's threshold from its threshold search (its ``single`` stimulations).

Recording spec: the threshold is the lowest current of a ``single`` stimulation that
evoked a response in any channel. Without singles there is no threshold search; with
singles that evoked nothing the threshold lies above the highest current tried.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stride.core.rootlets.annotations import Mode
from stride.core.rootlets.features import Response, StimulationMeasurement


@dataclass(frozen=True, slots=True)
class ThresholdSearch:
    """Result of one rootlet's threshold search.

    Attributes
    ----------
    threshold_ma
        Lowest single-pulse current with a response, mA; ``None`` if no single responded
        or there were none.
    singles
        Number of single stimulations.
    highest_silent_ma
        Highest single current without any response, mA (``None`` if every single
        responded or there were none): without a threshold, it bounds it from below.
    """

    threshold_ma: float | None
    singles: int
    highest_silent_ma: float | None


def threshold_search(measurements: Iterable[StimulationMeasurement]) -> ThresholdSearch:
    """Return the threshold search of one rootlet from its stimulations' measurements."""
    responding: list[float] = []
    silent: list[float] = []
    for measurement in measurements:
        if measurement.stimulation.mode is not Mode.SINGLE:
            continue
        current = measurement.stimulation.current_ma
        evoked = any(c.response is not Response.NONE for c in measurement.channels)
        (responding if evoked else silent).append(current)
    return ThresholdSearch(
        threshold_ma=min(responding) if responding else None,
        singles=len(responding) + len(silent),
        highest_silent_ma=max(silent) if silent else None,
    )
