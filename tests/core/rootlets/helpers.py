"""Builders for hand-made synthetic signals and small simulated sessions (all synthetic)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyedflib
from numpy.typing import NDArray

from stride.core.rootlets.anatomy import RootletId, SideCode, SpinalRoot
from stride.core.rootlets.annotations import Mode, Stimulation
from stride.core.rootlets.config import DEFAULT_CONFIG, AnalysisConfig
from stride.core.rootlets.features import (
    ChannelMeasurement,
    ChannelState,
    Response,
    StimulationMeasurement,
)
from stride.core.rootlets.grades import Grade
from stride.core.rootlets.simulate import RootletCase, SimulationSettings
from stride.core.rootlets.windows import WindowPlan, plan_windows

UV = 1e-6
SFREQ = 10_000.0


def rootlet(text: str) -> RootletId:
    """``"L4-L-3"`` -> RootletId."""
    root, side, number = text.split("-")
    return RootletId(SpinalRoot(root), SideCode(side), int(number))


def single(text: str, current_ma: float = 0.5, onset_s: float = 1.0) -> Stimulation:
    """A single-pulse stimulation of rootlet ``text``."""
    return Stimulation(onset_s, rootlet(text), Mode.SINGLE, current_ma)


def train(text: str, current_ma: float = 0.6, *, onset_s: float = 1.0, rate_hz: float = 50.0,
          duration_s: float = 0.2) -> Stimulation:
    """A train stimulation of rootlet ``text``."""
    return Stimulation(onset_s, rootlet(text), Mode.TRAIN, current_ma, rate_hz, duration_s)


class Window:
    """Samples for one stimulation, built by hand: noise, then whatever a test adds."""

    def __init__(self, stimulation: Stimulation, labels: Sequence[str], *,
                 noise_uv: float = 1.0, sfreq: float = SFREQ, seed: int = 0,
                 config: AnalysisConfig = DEFAULT_CONFIG) -> None:
        self.stimulation = stimulation
        self.labels = tuple(labels)
        self.sfreq = sfreq
        self.plan: WindowPlan = plan_windows(stimulation, sfreq, config)
        rng = np.random.default_rng(seed)
        size = self.plan.before + self.plan.after
        self.data: NDArray[np.float64] = rng.normal(0, noise_uv * UV, (len(labels), size))
        self.onset = self.plan.before

    def row(self, label: str) -> int:
        return self.labels.index(label)

    def pulse_index(self, pulse: int) -> int:
        return self.onset + int(self.plan.pulses[pulse])

    def add(self, label: str, pulse: int, start_ms: float, values_uv: Sequence[float]) -> None:
        """Add ``values_uv`` (one per sample) from ``start_ms`` after pulse ``pulse``."""
        first = self.pulse_index(pulse) + round(start_ms * self.sfreq / 1000)
        self.data[self.row(label), first : first + len(values_uv)] += np.asarray(values_uv) * UV

    def biphasic(self, label: str, pulse: int, latency_ms: float, amplitude_uv: float) -> None:
        """A rectangular +a/2 for 2 ms then -a/2 for 2 ms, starting at ``latency_ms``."""
        half = round(2 * self.sfreq / 1000)
        wave = [amplitude_uv / 2] * half + [-amplitude_uv / 2] * half
        self.add(label, pulse, latency_ms, wave)

    def hum(self, label: str, amplitude_uv: float, hz: float = 50.0) -> None:
        t = np.arange(self.data.shape[1]) / self.sfreq
        self.data[self.row(label)] += amplitude_uv * UV * np.sin(2 * np.pi * hz * t + 0.3)


def small_settings(seed: int, cases: Sequence[RootletCase], **changes: object,
                   ) -> SimulationSettings:
    """Fast settings for tests: 4 kHz, 0.3 s trains (15 pulses)."""
    values: dict[str, object] = {"sfreq": 4000.0, "train_duration_s": 0.3}
    values.update(changes)
    return SimulationSettings(seed=seed, cases=tuple(cases), **values)  # type: ignore[arg-type]


def case(text: str, grade: str | None, **changes: object) -> RootletCase:
    """A simulated rootlet case; ``grade`` is a code such as ``"3+"`` or ``None``."""
    return RootletCase(rootlet(text), None if grade is None else Grade(grade),
                       **changes)  # type: ignore[arg-type]


def write_raw_edf(path: Path, labels: Sequence[str], rates: Sequence[int],
                  seconds: int, annotations: Sequence[tuple[float, str]],
                  *, file_type: int = pyedflib.FILETYPE_EDFPLUS, dimension: str = "uV",
                  seed: int = 0) -> None:
    """Write an EDF file directly with pyedflib (to craft bad inputs)."""
    rng = np.random.default_rng(seed)
    writer = pyedflib.EdfWriter(str(path), len(labels), file_type=file_type)
    try:
        writer.setSignalHeaders([
            {"label": label, "dimension": dimension, "sample_frequency": rate,
             "physical_max": 1000.0, "physical_min": -1000.0, "digital_max": 32767,
             "digital_min": -32768, "transducer": "", "prefilter": ""}
            for label, rate in zip(labels, rates, strict=True)
        ])
        writer.writeSamples([rng.normal(0, 2, rate * seconds) for rate in rates])
        for onset, text in annotations:
            writer.writeAnnotation(onset, -1, text)
    finally:
        writer.close()


def channel(label: str, response: str = "sustained", *, rms_uv: float = 40.0,
            p2p_uv: float = 200.0, threshold_uv: float = 10.0) -> ChannelMeasurement:
    """A hand-made channel measurement (``response`` is a spec code).

    Its ten pulses all show ``p2p_uv`` when it responds and half the threshold when it
    does not, so the per-pulse evidence agrees with the summary fields.
    """
    kind = Response(response)
    responded = kind is not Response.NONE
    pulse_uv = p2p_uv if responded else threshold_uv / 2
    return ChannelMeasurement(
        label=label, response=kind, latency_s=0.01 if responded else None,
        peak_to_peak_v=p2p_uv * UV if responded else None,
        rms_v=rms_uv * UV if responded else None, detection_threshold_v=threshold_uv * UV,
        responding_pulses=10 if responded else 0, pulses=10, decrement=None,
        after_discharge_s=None, pulse_peak_to_peak_v=(pulse_uv * UV,) * 10,
    )


def measured(stimulation: Stimulation, *channels: ChannelMeasurement,
             excluded: tuple[tuple[str, ChannelState], ...] = ()) -> StimulationMeasurement:
    """A hand-made stimulation measurement."""
    return StimulationMeasurement(stimulation, channels, excluded)
