"""Seeded synthetic SDR stimulation sessions with their ground truth (never real data).

A session walks root by root (L1 to S2, left then right). Each rootlet gets a threshold
search (single pulses at rising current) and a tetanic train. The signals carry what a
theatre recording carries: Gaussian noise, mains hum with a third harmonic, a stimulus
artifact at every pulse, and reflex responses (biphasic waves with latency jitter and
pulse-to-pulse amplitude variation) that are sustained (optionally decrementing) or
transient, spread as the ground-truth grade says, sphincter responses, low-threshold
possible ventral roots, after-discharges, and on request flat or saturated channels.

The default montage (:data:`SIMULATION_MONTAGE`) records 8 leg muscles on both sides plus
``ANAL``: 17 channels. The spec's five stems are joined by rectus femoris and vastus
medialis (quadriceps heads: the spec's quadriceps roots L2–L4) and the lateral
gastrocnemius head (the spec's gastrocnemius roots S1–S2), so no root supply is invented.
Exactly 16 is impossible with an unsided ``ANAL``: 15 sided channels do not split into
left and right.

All amplitudes, latencies and noise levels here are invented for the simulation; none is
a clinical reference value. The same settings and seed always give the same session.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from stride.core.errors import InvalidValue
from stride.core.rootlets.anatomy import STIMULATED_ROOTS, RootletId, SideCode, SpinalRoot
from stride.core.rootlets.annotations import Mode, Stimulation, format_annotation
from stride.core.rootlets.config import DEFAULT_CONFIG
from stride.core.rootlets.grades import GRADE_OF_SPREAD, Grade, Spread, spread_of
from stride.core.rootlets.montage import (
    DEFAULT_MONTAGE,
    SPHINCTER_LABEL,
    Montage,
    MontageChannel,
    montage_to_mapping,
)
from stride.core.rootlets.recording import Recording, make_recording
from stride.core.rootlets.windows import plan_windows

_UV = 1e-6
_MS = 1e-3
GENERATOR_VERSION = 1


def _simulation_montage() -> Montage:
    extra = (
        ("RF", "rectus femoris (quadriceps)", (SpinalRoot.L2, SpinalRoot.L3, SpinalRoot.L4)),
        ("VM", "vastus medialis (quadriceps)", (SpinalRoot.L2, SpinalRoot.L3, SpinalRoot.L4)),
        ("LG", "lateral gastrocnemius", (SpinalRoot.S1, SpinalRoot.S2)),
    )
    sided = [c for c in DEFAULT_MONTAGE.channels if c.side is not None]
    sided += [MontageChannel(f"{stem}-{side}", muscle, side, roots)
              for side in SideCode for stem, muscle, roots in extra]
    sided.sort(key=lambda c: (c.side.value if c.side else "", c.roots[0].level, c.label))
    return Montage("simulation (spec map + RF, VM, LG)",
                   (*sided, DEFAULT_MONTAGE.channel(SPHINCTER_LABEL)))


#: 8 leg muscles × 2 sides + ANAL = 17 channels (see the module docstring).
SIMULATION_MONTAGE = _simulation_montage()

#: Typical onset latency per label stem, ms (invented for the simulation).
_LATENCY_MS = {"ADD": 6.5, "VL": 7.0, "RF": 7.0, "VM": 7.0, "TA": 8.5, "HAM": 8.5,
               "GAS": 10.0, "LG": 10.0, "ANAL": 9.0}
_WAVE_SIGMA_MS = 0.8  # width of the biphasic wave; it spans about 6 σ


class FaultKind(StrEnum):
    """A channel fault injected into one stimulation's window."""

    FLAT = "flat"
    SATURATED = "saturated"


@dataclass(frozen=True, slots=True)
class Fault:
    """Make ``label`` flat or saturated during the train of ``rootlet``."""

    kind: FaultKind
    rootlet: RootletId
    label: str


@dataclass(frozen=True, slots=True)
class RootletCase:
    """The ground truth of one simulated rootlet.

    Attributes
    ----------
    rootlet
        Which rootlet.
    grade
        Spread grade of its train; ``None`` for a rootlet with no train.
    threshold_ma
        Lowest single-pulse current that evokes a response, mA; ``None`` for a rootlet
        whose single pulses evoke nothing, or without a threshold search if
        ``threshold_search`` is false.
    sphincter_uv
        Peak-to-peak of the ANAL response to the train and supra-threshold singles, µV
        (0: none).
    transient
        Add a transient response in one channel outside the sustained set.
    after_discharge
        Add an after-discharge after the train in the sustained channels.
    silent
        No response anywhere (grade must be ``"0"``).
    threshold_search
        Whether single pulses are given at all.
    """

    rootlet: RootletId
    grade: Grade | None
    threshold_ma: float | None = 0.4
    sphincter_uv: float = 0.0
    transient: bool = False
    after_discharge: bool = False
    silent: bool = False
    threshold_search: bool = True


@dataclass(frozen=True, slots=True)
class SimulationSettings:
    """What to simulate.

    Attributes
    ----------
    seed
        Seed of the generator; the same settings give the same session.
    rootlets
        Number of rootlets when ``cases`` is empty (spread over L1–S2 on both sides).
    sfreq
        Sampling rate, Hz (whole number, for EDF+).
    montage
        Channels recorded.
    train_rate_hz, train_duration_s
        Tetanic train rate and length.
    mains_hz
        Mains frequency of the hum (50 or 60).
    noise_uv, hum_uv
        Leg-channel noise RMS and hum amplitude, µV (ANAL gets a quarter).
    cases
        Explicit rootlets; when empty, ``rootlets`` random cases are drawn.
    faults
        Channel faults to inject.
    """

    seed: int
    rootlets: int = 70
    sfreq: float = 10_000.0
    montage: Montage = SIMULATION_MONTAGE
    train_rate_hz: float = 50.0
    train_duration_s: float = 1.0
    mains_hz: float = 50.0
    noise_uv: float = 2.0
    hum_uv: float = 3.0
    cases: tuple[RootletCase, ...] = ()
    faults: tuple[Fault, ...] = ()


@dataclass(frozen=True, slots=True)
class TruthRootlet:
    """Ground truth of one rootlet as simulated (channels by label)."""

    case: RootletCase
    sustained: tuple[str, ...]
    transient: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SimulatedSession:
    """A synthetic recording, its montage and its ground truth."""

    settings: SimulationSettings
    recording: Recording
    truth: tuple[TruthRootlet, ...]
    _index: dict[RootletId, TruthRootlet] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {t.case.rootlet: t for t in self.truth})

    def rootlet(self, rootlet: RootletId) -> TruthRootlet:
        """Ground truth of ``rootlet``."""
        return self._index[rootlet]

    def truth_json(self) -> dict[str, object]:
        """Ground truth as JSON (clearly marked synthetic)."""
        settings = self.settings
        return {
            "synthetic": True,
            "note": "Synthetic session generated by Stride; not patient data.",
            "generator_version": GENERATOR_VERSION,
            "seed": settings.seed,
            "sfreq": settings.sfreq,
            "mains_hz": settings.mains_hz,
            "train_rate_hz": settings.train_rate_hz,
            "train_duration_s": settings.train_duration_s,
            "montage": montage_to_mapping(settings.montage),
            "rootlets": [
                {
                    "root": t.case.rootlet.root.value,
                    "side": t.case.rootlet.side.value,
                    "rootlet": t.case.rootlet.number,
                    "grade": None if t.case.grade is None else t.case.grade.value,
                    "threshold_ma": t.case.threshold_ma if t.case.threshold_search else None,
                    "sphincter": t.case.sphincter_uv > 0,
                    "sphincter_uv": t.case.sphincter_uv,
                    "possible_ventral": (t.case.threshold_search and t.case.threshold_ma
                                         is not None and t.case.threshold_ma
                                         < DEFAULT_CONFIG.ventral_guard_ma),
                    "sustained": list(t.sustained),
                    "transient": list(t.transient),
                    "after_discharge": t.case.after_discharge,
                }
                for t in self.truth
            ],
            "faults": [{"kind": f.kind.value, "rootlet": str(f.rootlet), "label": f.label}
                       for f in settings.faults],
        }


def simulate_session(settings: SimulationSettings) -> SimulatedSession:
    """Generate a synthetic session.

    Raises
    ------
    InvalidValue
        If a case asks for a grade the montage cannot show (e.g. ``1+`` at L1, which no
        default muscle is supplied by), or for impossible settings.
    """
    if settings.sfreq != int(settings.sfreq) or settings.sfreq < 2000:
        raise InvalidValue("sfreq", settings.sfreq, "a whole number of Hz, at least 2000")
    rng = np.random.default_rng(settings.seed)
    cases = settings.cases or _random_cases(rng, settings)
    truth = tuple(_truth(case, settings.montage, rng) for case in cases)
    schedule = _schedule(truth, settings)
    last = max(onset + span for onset, _, span in schedule)
    samples = math.ceil(last + 0.3) * int(settings.sfreq)
    data = _background(rng, settings, samples)
    stimulations = []
    for _, stimulation, _ in schedule:
        stimulations.append(stimulation)
        _add_stimulation(data, rng, settings, stimulation, truth_of(truth, stimulation))
    _apply_faults(data, settings, stimulations)
    recording = make_recording(labels=settings.montage.labels, data=data, sfreq=settings.sfreq,
                               stimulations=stimulations, source=f"synthetic seed {settings.seed}")
    return SimulatedSession(settings, recording, truth)


def truth_of(truth: tuple[TruthRootlet, ...], stimulation: Stimulation) -> TruthRootlet:
    """The ground truth of the rootlet ``stimulation`` stimulates."""
    return next(t for t in truth if t.case.rootlet == stimulation.rootlet)


# --- cases and ground truth -------------------------------------------------------------

_GRADE_WEIGHTS = {Grade.G0: 0.15, Grade.G1: 0.15, Grade.G2: 0.25, Grade.G3: 0.3, Grade.G4: 0.15}
_SPHINCTER_CHANCE = {SpinalRoot.S2: 0.5, SpinalRoot.S1: 0.25, SpinalRoot.L5: 0.05}


def _by_spread(montage: Montage, rootlet: RootletId) -> dict[Spread, list[str]]:
    groups: dict[Spread, list[str]] = {spread: [] for spread in Spread}
    for channel in montage.channels:
        spread = spread_of(channel, rootlet)
        if spread is not None:
            groups[spread].append(channel.label)
    return groups


def feasible_grades(montage: Montage, rootlet: RootletId) -> tuple[Grade, ...]:
    """Grades a train of ``rootlet`` can show with ``montage`` (a muscle must exist)."""
    groups = _by_spread(montage, rootlet)
    return (Grade.G0, *(GRADE_OF_SPREAD[s] for s in Spread if groups[s]))


def _random_cases(rng: np.random.Generator, settings: SimulationSettings,
                  ) -> tuple[RootletCase, ...]:
    if settings.rootlets < 1:
        raise InvalidValue("rootlets", settings.rootlets, "at least 1")
    levels = [(root, side) for root in STIMULATED_ROOTS for side in SideCode]
    cases = []
    for index in range(settings.rootlets):
        root, side = levels[index % len(levels)]
        rootlet = RootletId(root, side, index // len(levels) + 1)
        allowed = feasible_grades(settings.montage, rootlet)
        weights = np.array([_GRADE_WEIGHTS[g] for g in allowed])
        grade = allowed[int(rng.choice(len(allowed), p=weights / weights.sum()))]
        silent = grade is Grade.G0 and rng.random() < 0.5
        ventral = not silent and rng.random() < 0.06
        if silent:
            threshold: float | None = None
        elif ventral:
            threshold = float(rng.choice([0.15, 0.2, 0.25]))
        else:
            threshold = round(0.35 + 0.05 * int(rng.integers(0, 10)), 2)
        sphincter = (not silent and rng.random() < _SPHINCTER_CHANCE.get(root, 0.0))
        cases.append(RootletCase(
            rootlet=rootlet,
            grade=grade,
            threshold_ma=threshold,
            sphincter_uv=round(float(rng.uniform(30, 120)), 1) if sphincter else 0.0,
            transient=not silent and rng.random() < 0.4,
            after_discharge=grade.rank >= 3 and rng.random() < 0.3,
            silent=silent,
        ))
    return tuple(sorted(cases, key=lambda c: c.rootlet.sort_key))


def _truth(case: RootletCase, montage: Montage, rng: np.random.Generator) -> TruthRootlet:
    if case.silent or case.grade is None or case.grade is Grade.G0:
        if case.silent and case.grade not in (None, Grade.G0):
            raise InvalidValue("grade", case.grade, "0 for a silent rootlet")
        sustained: list[str] = []
    else:
        sustained = _sustained_for(case, montage, rng)
    transient: list[str] = []
    if case.transient and not case.silent:
        others = [c.label for c in montage.channels
                  if c.side is not None and c.label not in sustained]
        transient = [others[int(rng.integers(len(others)))]]
    return TruthRootlet(case, tuple(sustained), tuple(transient))


def _sustained_for(case: RootletCase, montage: Montage, rng: np.random.Generator) -> list[str]:
    assert case.grade is not None  # noqa: S101 - callers handle the no-train case
    groups = _by_spread(montage, case.rootlet)
    target = next(s for s, g in GRADE_OF_SPREAD.items() if g is case.grade)
    if not groups[target]:
        shown = ", ".join(g.value for g in feasible_grades(montage, case.rootlet))
        raise InvalidValue("grade", case.grade.value,
                           f"a grade the montage can show at {case.rootlet} ({shown})")
    chosen = [groups[target][int(rng.integers(len(groups[target])))]]
    # Nearer categories on the same side usually respond too.
    for spread in (Spread.SEGMENTAL, Spread.ADJACENT, Spread.DISTANT):
        if spread is target:
            break
        if groups[spread] and rng.random() < 0.8:
            chosen.append(groups[spread][int(rng.integers(len(groups[spread])))])
    return sorted(set(chosen))


# --- timing ------------------------------------------------------------------------------

def _schedule(truth: tuple[TruthRootlet, ...], settings: SimulationSettings,
              ) -> list[tuple[float, Stimulation, float]]:
    """Onsets (s), stimulations and the seconds each needs after its onset."""
    plan: list[tuple[float, Stimulation, float]] = []
    clock = 0.0
    for item in truth:
        case = item.case
        for current in _ladder(case):
            clock = _place(plan, clock, Stimulation(0.0, case.rootlet, Mode.SINGLE, current),
                           settings)
        if case.grade is not None:
            base = case.threshold_ma if case.threshold_ma is not None else 0.5
            current = round(max(base * 1.5, 0.3) * 20) / 20
            clock = _place(plan, clock, Stimulation(0.0, case.rootlet, Mode.TRAIN, current,
                                                    settings.train_rate_hz,
                                                    settings.train_duration_s), settings)
    return plan


def _ladder(case: RootletCase) -> list[float]:
    """Single-pulse currents of the threshold search, rising, mA."""
    if not case.threshold_search:
        return []
    if case.threshold_ma is None:
        return [0.3, 0.4, 0.5]
    top = case.threshold_ma
    return [round(top - step, 2) for step in (0.2, 0.1) if top - step > 0.05] + [top]


def _place(plan: list[tuple[float, Stimulation, float]], clock: float,
           stimulation: Stimulation, settings: SimulationSettings) -> float:
    windows = plan_windows(stimulation, settings.sfreq, DEFAULT_CONFIG)
    onset = round(clock + windows.before / settings.sfreq + 0.05, 3)
    after = windows.after / settings.sfreq
    format_annotation(stimulation)  # refuse texts EDF+ writers would cut
    placed = Stimulation(onset, stimulation.rootlet, stimulation.mode, stimulation.current_ma,
                         stimulation.rate_hz, stimulation.duration_s)
    plan.append((onset, placed, after))
    return onset + after


# --- signals -----------------------------------------------------------------------------

def _background(rng: np.random.Generator, settings: SimulationSettings,
                samples: int) -> NDArray[np.float64]:
    channels = settings.montage.channels
    scale = np.array([0.25 if c.label == SPHINCTER_LABEL else 1.0 for c in channels])
    noise = settings.noise_uv * _UV * scale * rng.uniform(0.8, 1.2, len(channels))
    data = rng.standard_normal((len(channels), samples)) * noise[:, None]
    t = np.arange(samples) / settings.sfreq
    phase = rng.uniform(0, 2 * np.pi, len(channels))
    hum = settings.hum_uv * _UV * scale * rng.uniform(0.5, 1.5, len(channels))
    omega = 2 * np.pi * settings.mains_hz
    sine, cosine, third = np.sin(omega * t), np.cos(omega * t), np.sin(3 * omega * t)
    for row in range(len(channels)):
        # One mains wave, shifted per channel: sin(ωt + φ) = sin ωt cos φ + cos ωt sin φ.
        data[row] += hum[row] * (np.cos(phase[row]) * sine + np.sin(phase[row]) * cosine
                                 + 0.2 * third)
    return data


def _wave(t_s: NDArray[np.float64], onset_s: NDArray[np.float64],
          amplitude_v: NDArray[np.float64]) -> NDArray[np.float64]:
    """Biphasic response starting at ``onset_s`` with peak-to-peak ``amplitude_v``."""
    sigma = _WAVE_SIGMA_MS * _MS
    u = (t_s - (onset_s + 3 * sigma)) / sigma
    # -u·exp((1-u²)/2) has extremes ±1 at u = ∓1: peak-to-peak 2, so halve the amplitude.
    result: NDArray[np.float64] = amplitude_v / 2 * -u * np.exp((1 - u**2) / 2)
    return result


def _add_stimulation(data: NDArray[np.float64], rng: np.random.Generator,
                     settings: SimulationSettings, stimulation: Stimulation,
                     truth: TruthRootlet) -> None:
    sfreq = settings.sfreq
    onset = round(stimulation.onset_s * sfreq)
    pulses = onset + np.round(np.asarray(stimulation.pulse_offsets_s()) * sfreq).astype(int)
    interval = int(np.min(np.diff(pulses))) if len(pulses) > 1 else int(0.04 * sfreq)
    width = min(interval, int(0.02 * sfreq))
    grid = np.arange(width) / sfreq
    _add_artifacts(data, rng, pulses, stimulation.current_ma, sfreq)
    for label, amplitudes, latency in _responses(rng, settings, stimulation, truth, len(pulses)):
        row = settings.montage.labels.index(label)
        onsets = latency + rng.normal(0, 0.2 * _MS, len(pulses))
        waves = _wave(grid[None, :], onsets[:, None], amplitudes[:, None])
        data[row, pulses[:, None] + np.arange(width)] += waves
    if stimulation.mode is Mode.TRAIN and truth.case.after_discharge:
        _add_after_discharge(data, rng, settings, truth, int(pulses[-1]) + interval)


def _add_artifacts(data: NDArray[np.float64], rng: np.random.Generator,
                   pulses: NDArray[np.int_], current_ma: float, sfreq: float) -> None:
    length = math.ceil(2.5 * _MS * sfreq)
    decay = np.exp(-np.arange(length) / sfreq / (0.3 * _MS))
    size = 1500 * _UV * current_ma / 0.5 * rng.uniform(0.5, 1.5, data.shape[0])
    size *= rng.choice([-1.0, 1.0], data.shape[0])
    index = pulses[:, None] + np.arange(length)
    data[:, index] += size[:, None, None] * decay[None, None, :]


def _responses(rng: np.random.Generator, settings: SimulationSettings, stimulation: Stimulation,
               truth: TruthRootlet, pulses: int) -> list[tuple[str, NDArray[np.float64], float]]:
    """(label, per-pulse peak-to-peak in volts, onset latency in s) of each response."""
    case = truth.case
    responses = []
    jitter = 1 + rng.normal(0, 0.08, pulses)
    if stimulation.mode is Mode.SINGLE:
        if case.threshold_ma is None or stimulation.current_ma < case.threshold_ma:
            return []
        ventral = case.threshold_ma < 0.3
        for label in _single_channels(truth, settings.montage):
            latency = (4.0 if ventral else _latency(label)) * _MS
            responses.append((label, np.full(1, rng.uniform(120, 250) * _UV), latency))
        if case.sphincter_uv:
            responses.append((SPHINCTER_LABEL, np.full(1, case.sphincter_uv * _UV),
                              _LATENCY_MS[SPHINCTER_LABEL] * _MS))
        return responses
    k = np.arange(pulses)
    for label in truth.sustained:
        decline = rng.uniform(0.0, 0.35)
        profile = 1 - decline * k / max(1, pulses - 1)
        responses.append((label, rng.uniform(150, 500) * _UV * profile * jitter,
                          _latency(label) * _MS + rng.uniform(-1, 1) * _MS))
    for label in truth.transient:
        last = int(rng.integers(2, max(3, int(0.4 * pulses) + 1)))
        profile = np.where(k < last, np.exp(-k / max(1.0, last / 2)), 0.0)
        responses.append((label, rng.uniform(200, 400) * _UV * profile * jitter,
                          _latency(label) * _MS))
    if case.sphincter_uv:
        responses.append((SPHINCTER_LABEL, np.full(pulses, case.sphincter_uv * _UV),
                          _LATENCY_MS[SPHINCTER_LABEL] * _MS))
    return responses


def _single_channels(truth: TruthRootlet, montage: Montage) -> list[str]:
    """Channel that answers a supra-threshold single pulse: a sustained one, else the
    nearest same-side muscle."""
    if truth.sustained:
        return [truth.sustained[0]]
    groups = _by_spread(montage, truth.case.rootlet)
    nearest = groups[Spread.SEGMENTAL] or groups[Spread.ADJACENT] or groups[Spread.DISTANT]
    return nearest[:1]


def _latency(label: str) -> float:
    return _LATENCY_MS[label.split("-")[0]]


def _add_after_discharge(data: NDArray[np.float64], rng: np.random.Generator,
                         settings: SimulationSettings, truth: TruthRootlet, start: int) -> None:
    sfreq = settings.sfreq
    width = int(0.012 * sfreq)
    grid = np.arange(width) / sfreq
    for label in truth.sustained:
        row = settings.montage.labels.index(label)
        clock = start + int(rng.uniform(0.002, 0.01) * sfreq)
        end = start + int(rng.uniform(0.08, 0.15) * sfreq)
        while clock < end:
            wave = _wave(grid, np.asarray(0.0), np.asarray(rng.uniform(100, 250) * _UV))
            data[row, clock : clock + width] += wave
            clock += int(rng.uniform(0.012, 0.02) * sfreq)


def _apply_faults(data: NDArray[np.float64], settings: SimulationSettings,
                  stimulations: list[Stimulation]) -> None:
    sfreq = settings.sfreq
    for fault in settings.faults:
        row = settings.montage.labels.index(fault.label)
        train = next((s for s in stimulations
                      if s.rootlet == fault.rootlet and s.mode is Mode.TRAIN), None)
        if train is None:
            raise InvalidValue("fault rootlet", str(fault.rootlet), "a simulated rootlet with a "
                               "train")
        windows = plan_windows(train, sfreq, DEFAULT_CONFIG)
        onset = round(train.onset_s * sfreq)
        span = slice(onset - windows.before, onset + windows.after)
        if fault.kind is FaultKind.FLAT:
            data[row, span] = 0.0
        else:
            rail = 200 * _UV
            n = span.stop - span.start
            swing = 3 * rail * np.abs(((np.arange(n) / (0.1 * sfreq)) % 2) - 1) * 2 - 3 * rail
            data[row, span] = np.clip(data[row, span] + swing, -rail, rail)
