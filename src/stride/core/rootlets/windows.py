"""Sample windows of one stimulation: baseline, blanking, responses, after-discharge.

All offsets are in samples relative to the stimulation's onset sample. A stimulation
needs ``before`` samples ahead of its onset (the baseline) and ``after`` samples from its
onset on (the last response window, and for trains the after-discharge window).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from stride.core.errors import InvalidValue
from stride.core.rootlets.annotations import Stimulation
from stride.core.rootlets.config import AnalysisConfig

#: Fewest samples a response window may have; fewer cannot show a peak-to-peak.
MIN_RESPONSE_SAMPLES = 4


@dataclass(frozen=True, slots=True, eq=False)  # holds arrays: compare by identity
class WindowPlan:
    """Where each window of one stimulation lies, in samples from the onset.

    Attributes
    ----------
    pulses
        Offset of every pulse (the first is 0).
    response_start, response_length
        Each pulse's response window starts ``response_start`` samples after the pulse
        (the end of blanking) and is ``response_length`` samples long.
    baseline_start, baseline_length
        The pre-stimulus baseline (``baseline_start`` is negative).
    after_start, after_length
        The after-discharge window of a train (length 0 for a single pulse).
    """

    pulses: NDArray[np.intp]
    response_start: int
    response_length: int
    baseline_start: int
    baseline_length: int
    after_start: int
    after_length: int

    @property
    def before(self) -> int:
        """Samples needed before the onset."""
        return -self.baseline_start

    @property
    def after(self) -> int:
        """Samples needed from the onset on (onset included)."""
        last_response = int(self.pulses[-1]) + self.response_start + self.response_length
        return max(last_response, self.after_start + self.after_length)


#: The most samples one stimulation's windows may span: what a 32-bit index reaches. Not a
#: clinical limit (a real train at 20 kHz spans tens of thousands); it keeps the sample
#: arithmetic exact and the casts in range.
MAX_WINDOW_SAMPLES = 2**31 - 1
#: Seconds added to a train's own length for its baseline and after-windows (generous:
#: the configured windows are tens to hundreds of milliseconds).
_WINDOW_MARGIN_S = 1.0


def plan_windows(stimulation: Stimulation, sfreq: float, config: AnalysisConfig) -> WindowPlan:
    """Return the sample windows of ``stimulation`` at ``sfreq`` Hz under ``config``.

    Raises
    ------
    InvalidValue
        If a train's pulses come so fast that no response window is left after blanking,
        or the sampling rate is so high that the windows outgrow
        :data:`MAX_WINDOW_SAMPLES`.
    """
    # A sampling rate so high that the stimulation's windows outgrow what an array can
    # index (a device sending 1e29 Hz) is refused here, before numpy's cast overflows.
    reach_s = stimulation.pulse_count / (stimulation.rate_hz or 1.0) + _WINDOW_MARGIN_S
    if not math.isfinite(sfreq) or sfreq * reach_s >= MAX_WINDOW_SAMPLES:
        raise InvalidValue(
            "sfreq", sfreq,
            f"a sampling rate at which the stimulation's windows fit in "
            f"{MAX_WINDOW_SAMPLES} samples ({stimulation.describe()})",
        )
    plan = _plan(stimulation.pulse_count, stimulation.rate_hz or 1.0, sfreq, config)
    if plan is None:
        raise InvalidValue(
            "rate_hz", stimulation.rate_hz,
            f"a rate that leaves a response window after {config.blanking_ms} ms of blanking "
            f"({stimulation.describe()})",
        )
    return plan


@lru_cache(maxsize=256)
def _plan(count: int, rate_hz: float, sfreq: float, config: AnalysisConfig) -> WindowPlan | None:
    """The plan for ``count`` pulses at ``rate_hz``; ``None`` if no response window is left.

    Cached: a session repeats a handful of stimulation shapes hundreds of times. The pulse
    array is read-only because cached plans are shared.
    """
    per_ms = sfreq / 1000.0
    # Same arithmetic as Stimulation.pulse_offsets_s (k / rate, then × sfreq), vectorised.
    pulses = np.round(np.arange(count) / rate_hz * sfreq).astype(np.intp)
    pulses.setflags(write=False)
    blank = math.ceil(config.blanking_ms * per_ms)
    end = round(config.response_end_ms * per_ms)
    interval = int(np.min(np.diff(pulses))) if count > 1 else 0
    if count > 1:
        # A pulse's window ends at the next pulse: its response cannot be told apart from
        # the next pulse's artifact and response after that.
        end = min(end, interval)
    length = end - blank
    if length < MIN_RESPONSE_SAMPLES:
        return None
    baseline_length = round(config.baseline_ms * per_ms)
    gap = round(config.baseline_gap_ms * per_ms)
    if count > 1:
        after_start = int(pulses[-1]) + interval
        after_length = round(config.after_discharge_ms * per_ms)
    else:
        after_start, after_length = int(pulses[-1]) + end, 0
    return WindowPlan(
        pulses=pulses,
        response_start=blank,
        response_length=length,
        baseline_start=-(baseline_length + gap),
        baseline_length=baseline_length,
        after_start=after_start,
        after_length=after_length,
    )
