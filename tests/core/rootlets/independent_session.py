"""SYNTHETIC SDR sessions from an independent generator, with their ground truth.

Everything here is synthetic: no patient data, no recorded signal. The generator is
written from the recording spec (``/work/shared/specs/rootlet-recording.md``) and from
textbook physiology, deliberately *not* from Stride's own simulator
(``stride.core.rootlets.simulate``), so the engine is tested against data it was not
designed around. It uses only the public input and output types of
``stride.core.rootlets``.

What comes from the spec (and is written once, below, with its source):

* the 20 µV peak-to-peak ``ANAL`` guard, the 0.3 mA ventral guard, the candidate grades
  3+ and 4+, the budget of half the rootlets tested per root and side (rounded down) and
  the ranking by grade then response magnitude ("Suggestions");
* the sustained rule (present in at least 80 % of the pulses, including the last fifth)
  and the grade table with its spread categories ("Grades");
* the default montage (which roots supply which muscle), taken from
  :data:`stride.core.rootlets.DEFAULT_MONTAGE`, which is the spec's table.

What is INVENTED for the simulation (no clinical source; chosen to be plausible and to
make the ground truth clear-cut): every amplitude, latency, duration and shape of the
motor responses, the stimulus artifact, the noise band, the hum harmonics, the currents
of the threshold ladder and of the trains, the share of each grade, the ANAL amplitudes
and the gaps between stimulations.

Units: signal amplitudes in µV (the recording handed to Stride is in volts), times in
ms unless a name ends in ``_s``, currents in mA, rates in Hz.

Physiology model
----------------
A responding muscle gives, after every effective pulse, a bi- or triphasic motor
response: a sum of two or three first-derivative-of-Gaussian lobes (each lobe has zero
mean, so the response has no DC), 3–8 ms long, starting at least 8 ms after the pulse
and over by 19 ms, jitter included (a latency and duration per muscle and session, so a
50 Hz train's responses end before the next pulse), with ±0.3 ms latency jitter and
±10 % amplitude variation per pulse. A *sustained* response is present at every pulse of
the train (with an optional linear decrement of up to 30 % by the last pulse); a
*transient* one only at the first 2–10 pulses. Every response of a rootlet also appears
after each single pulse at or above the rootlet's threshold, and never below it. ``ANAL``
(no side) responds like a muscle; it feeds the sphincter guard only, never the grade.
A *noise-only* rootlet evokes nothing anywhere.

Ground truth
------------
Computed from the generating parameters by the spec's rules, never by running Stride:
grade (furthest spread of a sustained response), threshold (lowest single current that
evokes a response), sphincter-related (nominal ANAL peak-to-peak > 20 µV), possible
ventral (threshold < 0.3 mA) and the suggestion. Draws are arranged so the truth is
clear-cut: a response is either at the peak-to-peak drawn or exactly absent, ANAL
amplitudes are either ≤ 10 µV or ≥ 30 µV unless ``anal_levels_uv`` asks for others, and
candidates on either side of a budget edge differ in magnitude by at least
:data:`MAGNITUDE_SEPARATION`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray
from scipy import signal

from stride.core.rootlets import (
    DEFAULT_CONFIG,
    DEFAULT_MONTAGE,
    AnalysisConfig,
    Mode,
    Montage,
    Recording,
    RootletId,
    SessionResult,
    SideCode,
    SpinalRoot,
    Stimulation,
    make_recording,
    plan_windows,
)
from stride.core.rootlets.montage import MontageChannel

# --- Spec values (rootlet-recording.md); the truth below uses these, not the engine's. ---
#: "Suggestions" 1: a response above this peak-to-peak in ANAL makes a rootlet
#: sphincter-related (µV).
SPHINCTER_GUARD_UV = 20.0
#: "Suggestions" 1: a threshold below this marks a possible ventral root (mA).
VENTRAL_GUARD_MA = 0.3
#: "Suggestions" 2: grades that make a rootlet a cut candidate.
CANDIDATE_GRADES = ("3+", "4+")
#: "Suggestions" 3: at most this share of the rootlets tested per root and side is cut.
BUDGET_FRACTION = 0.5
#: "Grades": sustained = present in at least this share of the pulses ...
SUSTAINED_FRACTION = 0.8
#: ... including the last fifth of the train (read as: every pulse of the last fifth).
SUSTAINED_FINAL_PART = 0.2
#: Label of the sphincter channel (spec: ``ANAL``, no side).
SPHINCTER_LABEL = "ANAL"
#: Grade codes in rising order (spec table).
GRADES = ("0", "1+", "2+", "3+", "4+")

# --- Choices of this generator (invented; see the module docstring). ---
#: Smallest ratio of truth magnitudes of two candidates of the same grade on either side
#: of a budget edge. Measured magnitudes carry noise, jitter and per-pulse variation of a
#: few per cent; 1.3 keeps the ranking the engine sees the same as the truth's.
MAGNITUDE_SEPARATION = 1.3
#: The stimulus artifact must be far below the noise this long after a pulse (ms):
#: Stride blanks the first 3 ms, and the artifact is not what is under test.
ARTIFACT_GONE_MS = 3.0
#: ... "far below" meaning at most this share of the noise RMS.
ARTIFACT_RESIDUE_OF_NOISE = 0.1
#: Responses end by this latency after their pulse, jitter included (ms): a 50 Hz train
#: leaves 20 ms per pulse, and the next pulse's artifact follows.
RESPONSE_END_MS = 19.0
#: Shortest response onset latency (ms).
MIN_LATENCY_MS = 8.0
#: Response durations (ms).
DURATION_MS = (3.0, 8.0)
#: Samples of each response are synthesised over this span after the (jittered) pulse
#: (ms); past the lobes' ±3 σ support the Gaussian tails are below 0.3 % of the peak.
RESPONSE_SPAN_MS = 24.0
#: Artifact kernels are synthesised over this span after each pulse (ms).
ARTIFACT_SPAN_MS = 6.0
#: Per-pulse variation of the artifact amplitude (fraction): a stimulator never repeats
#: exactly, and identical samples would look like a clipped rail.
ARTIFACT_VARIATION = 0.02
#: Lower and upper edge of the noise band (Hz); the upper edge is capped at 0.4 × the
#: sampling rate so that 5 kHz recordings keep a proper low-pass.
NOISE_BAND_HZ = (20.0, 3000.0)
#: Relative amplitude of the 2nd and 3rd harmonics of the mains hum.
HUM_HARMONICS = (1.0, 0.3, 0.15)
#: Largest offset of the mains frequency from its nominal value (Hz).
HUM_OFFSET_HZ = 0.05
#: Signal before the first stimulation's baseline and after the last span (s).
LEAD_S = 0.2
#: Extra gap between the analysed spans of consecutive stimulations (s).
GAP_S = (0.05, 0.15)
#: Current ladder of the threshold search (mA): first step and step size.
LADDER_STEP_MA = 0.1
#: Threshold of rootlets that are not possible ventral: a ladder step in this range (mA).
DORSAL_THRESHOLD_MA = (0.3, 1.0)
#: Highest ladder current for a rootlet that never responds (mA).
NOISE_ONLY_SEARCH_MA = 1.0
#: Trains are given this far above the threshold (mA).
TRAIN_ABOVE_THRESHOLD_MA = 0.2
#: Share of each target spread (grade 0 … 4+) among responsive rootlets.
GRADE_WEIGHTS = (0.1, 0.15, 0.25, 0.25, 0.25)
#: Chance that a muscle of a permitted spread category joins a rootlet's response.
JOIN_PROBABILITY = 0.6
#: Chance that a responsive rootlet also has a transient response in another muscle.
EXTRA_TRANSIENT_PROBABILITY = 0.3
#: Transient responses last this many pulses (at most a fifth of the train).
TRANSIENT_PULSES = (2, 10)
#: Attempts to separate budget-edge magnitudes before a near-tie is left (and counted).
SEPARATION_ATTEMPTS = 40


class Spread(StrEnum):
    """How far a muscle is from the stimulated rootlet (spec, "Grades")."""

    SEGMENTAL = "segmental"
    ADJACENT = "adjacent"
    DISTANT = "distant"
    CONTRALATERAL = "contralateral"


class Kind(StrEnum):
    """How a muscle responds to a train."""

    SUSTAINED = "sustained"
    TRANSIENT = "transient"


@dataclass(frozen=True, slots=True)
class SessionSettings:
    """Parameters of one synthetic session (all invented, see the module docstring).

    Attributes
    ----------
    seed
        Seed of every random draw. The draws are split into independent streams (rootlet
        plan, layout, noise, hum, artifacts, pulses), so changing the noise or hum keeps
        the same rootlets, responses and timing.
    rootlets
        Number of rootlets, spread at random over L1–S2 on both sides.
    sfreq
        Sampling rate, Hz (10 kHz; 5 kHz keeps tests fast).
    montage
        Channels recorded (default: the spec's 11 channels).
    noise_uv
        RMS of the band-limited Gaussian noise of every channel, µV (exact over the
        channel).
    hum_uv, hum_hz
        Peak amplitude of the mains fundamental (µV) and its nominal frequency (50 or
        60 Hz); the actual frequency is off by up to ±0.05 Hz, and the 2nd and 3rd
        harmonics add 30 % and 15 %, with an independent phase per channel.
    train_rate_hz, train_duration_s
        Train pulses per second and train length (spec defaults 50 Hz, 1 s).
    response_uv
        Range of the nominal peak-to-peak of a leg-muscle response, µV (log-uniform).
    sphincter_fraction, sphincter_uv
        Share of responsive rootlets with a clear ANAL response, and its peak-to-peak
        range (µV; keep it ≥ 30 µV for clear-cut truth).
    small_anal_fraction, small_anal_uv
        Share of responsive rootlets with a small ANAL response that is *not*
        sphincter-related, and its range (µV; keep it ≤ 10 µV).
    anal_levels_uv
        If given, every responsive rootlet gets an ANAL response of one of these
        peak-to-peaks (µV), in turn; overrides the two shares above. For the benchmark
        condition around the 20 µV guard only.
    noise_only_fraction
        Share of rootlets that evoke nothing at all.
    ventral_fraction
        Share of responsive rootlets with a threshold below 0.3 mA (possible ventral).
    threshold_search
        Whether a rising single-pulse ladder (0.1 mA steps up to the threshold and one step
        above) precedes each train.
    artifact_mv
        Range of the stimulus artifact's peak, mV (``(0, 0)`` for none).
    artifact_tau_ms
        Range of its exponential decay time constant, ms (capped so that the artifact is
        below a tenth of the noise RMS 3 ms after the pulse).
    jitter_ms
        Largest latency jitter of a response, ms (uniform ±).
    amplitude_variation
        Largest pulse-to-pulse amplitude variation, fraction (uniform ±).
    max_decrement
        Largest decrement of a sustained response by the last pulse, fraction.
    """

    seed: int = 0
    rootlets: int = 24
    sfreq: float = 10_000.0
    montage: Montage = DEFAULT_MONTAGE
    noise_uv: float = 3.0
    hum_uv: float = 2.0
    hum_hz: float = 50.0
    train_rate_hz: float = 50.0
    train_duration_s: float = 1.0
    response_uv: tuple[float, float] = (100.0, 1000.0)
    sphincter_fraction: float = 0.15
    sphincter_uv: tuple[float, float] = (30.0, 80.0)
    small_anal_fraction: float = 0.15
    small_anal_uv: tuple[float, float] = (2.0, 10.0)
    anal_levels_uv: tuple[float, ...] = ()
    noise_only_fraction: float = 0.1
    ventral_fraction: float = 0.05
    threshold_search: bool = True
    artifact_mv: tuple[float, float] = (0.5, 3.0)
    artifact_tau_ms: tuple[float, float] = (0.2, 0.35)
    jitter_ms: float = 0.3
    amplitude_variation: float = 0.1
    max_decrement: float = 0.3

    def __post_init__(self) -> None:
        if self.rootlets < 1:
            raise ValueError("rootlets must be at least 1")
        if self.hum_hz not in (50.0, 60.0):
            raise ValueError("hum_hz must be 50 or 60")
        if self.noise_uv < 0 or self.hum_uv < 0:
            raise ValueError("noise_uv and hum_uv must not be negative")
        for name in ("response_uv", "sphincter_uv", "small_anal_uv"):
            low, high = getattr(self, name)
            if not 0 < low <= high:
                raise ValueError(f"{name} must be a range of positive amplitudes, low first")
        if SPHINCTER_LABEL not in self.montage:
            raise ValueError(f"the montage needs the '{SPHINCTER_LABEL}' channel")
        period_ms = 1000.0 / self.train_rate_hz
        if period_ms < RESPONSE_END_MS:
            raise ValueError("train pulses too fast for the responses to end in time")


@dataclass(frozen=True, slots=True)
class ChannelTruth:
    """The response one channel gives to a rootlet (generating parameters).

    ``peak_to_peak_uv`` is the nominal peak-to-peak of the first pulse, µV (continuous
    waveform; sampling at 5 kHz can show a few per cent less); ``pulses`` how many train
    pulses carry it (from the first); ``decrement`` the fraction lost by the last pulse
    (sustained only); ``latency_ms``/``duration_ms`` the onset after the pulse and the
    length; ``rms_uv`` the mean RMS over the inter-pulse interval of the train's pulses;
    ``spread`` the spec category (``None`` for ANAL).
    """

    label: str
    kind: Kind
    peak_to_peak_uv: float
    pulses: int
    decrement: float
    latency_ms: float
    duration_ms: float
    rms_uv: float
    spread: Spread | None

    @property
    def smallest_peak_to_peak_uv(self) -> float:
        """Nominal peak-to-peak of the weakest pulse that carries the response, µV."""
        return self.peak_to_peak_uv * (1.0 - self.decrement)


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the spec's suggestion rules need to know of one rootlet.

    ``grade`` is a grade code (``"0"`` … ``"4+"``); ``magnitude_uv`` the sum of the
    sustained responses' RMS (µV); ``ventral_checked`` is ``False`` when no threshold
    search was made.
    """

    rootlet: RootletId
    grade: str
    magnitude_uv: float
    sphincter_related: bool
    possible_ventral: bool
    ventral_checked: bool = True


@dataclass(frozen=True, slots=True)
class RootletTruth:
    """Ground truth of one rootlet, from the generating parameters by the spec's rules.

    ``threshold_ma`` is ``None`` for a rootlet that never responds or without a threshold
    search; ``anal_uv`` the nominal ANAL peak-to-peak (0 when none); ``suggestion`` one of
    ``cut``, ``review``, ``protected``, ``spare``; ``currents_ma`` the single-pulse ladder
    and ``train_ma`` the train current.
    """

    rootlet: RootletId
    noise_only: bool
    channels: tuple[ChannelTruth, ...]
    anal: ChannelTruth | None
    threshold_ma: float | None
    currents_ma: tuple[float, ...]
    train_ma: float
    grade: str
    magnitude_uv: float
    sphincter_related: bool
    possible_ventral: bool
    suggestion: str

    @property
    def anal_uv(self) -> float:
        """Nominal ANAL peak-to-peak, µV (0 when ANAL does not respond)."""
        return 0.0 if self.anal is None else self.anal.peak_to_peak_uv

    @property
    def smallest_response_uv(self) -> float | None:
        """Smallest nominal pulse peak-to-peak over the leg responses, µV (``None``: none)."""
        if not self.channels:
            return None
        return min(c.smallest_peak_to_peak_uv for c in self.channels)


@dataclass(frozen=True, slots=True, eq=False)
class GeneratedSession:
    """A synthetic session: the recording Stride reads, its montage and the truth.

    ``hum_hz`` is the actual mains frequency drawn (Hz); ``near_ties`` counts budget edges
    whose magnitudes could not be separated by :data:`MAGNITUDE_SEPARATION`.
    """

    settings: SessionSettings
    recording: Recording
    montage: Montage
    truth: tuple[RootletTruth, ...]
    hum_hz: float
    near_ties: int


# --------------------------------------------------------------------------- spec rules


def spread(rootlet: RootletId, channel: MontageChannel) -> Spread | None:
    """Spread category of ``channel`` for a stimulation of ``rootlet`` (``None``: ANAL).

    Spec, "Grades": segmental = same side and supplied by the stimulated root; adjacent
    = same side, nearest supplying root one level away; distant = same side, further;
    contralateral = the other side.
    """
    if channel.side is None:
        return None
    if channel.side is not rootlet.side:
        return Spread.CONTRALATERAL
    distance = min(abs(root.level - rootlet.root.level) for root in channel.roots)
    if distance == 0:
        return Spread.SEGMENTAL
    return Spread.ADJACENT if distance == 1 else Spread.DISTANT


def grade_of(rootlet: RootletId, sustained: Iterable[MontageChannel]) -> str:
    """Grade code from the channels with a sustained response (spec table).

    Unsided channels (ANAL) never count.
    """
    seen = {spread(rootlet, channel) for channel in sustained} - {None}
    if Spread.CONTRALATERAL in seen:
        return "4+"
    if Spread.DISTANT in seen:
        return "3+"
    if Spread.ADJACENT in seen:
        return "2+"
    return "1+" if Spread.SEGMENTAL in seen else "0"


def is_sustained(present: Sequence[bool]) -> bool:
    """Spec, "Grades": present in ≥ 80 % of the pulses and in every pulse of the last
    fifth of the train."""
    count = len(present)
    if count == 0:
        return False
    needed = math.ceil(count * SUSTAINED_FRACTION - 1e-9)
    final = max(1, math.ceil(count * SUSTAINED_FINAL_PART - 1e-9))
    return sum(present) >= needed and all(present[-final:])


def expected_suggestions(assessments: Sequence[Assessment]) -> dict[RootletId, str]:
    """Suggestion of every rootlet by the spec's "Suggestions" section.

    Guards first (sphincter → ``protected``; possible ventral → ``review``); candidates
    are the other rootlets graded 3+ or 4+; at each root and side at most
    ``floor(0.5 × tested)`` candidates, ranked by grade then magnitude (then rootlet order
    for exact ties), get ``cut`` and the rest ``review``; all others ``spare``. A
    candidate whose ventral guard could not be checked (no threshold search) gets
    ``review``: the spec leaves this open; this follows Stride's documented
    ``cut_needs_checked_guards`` house rule (an absent value is not "no").
    """
    suggestion: dict[RootletId, str] = {}
    tested: dict[tuple[SpinalRoot, SideCode], int] = defaultdict(int)
    candidates: dict[tuple[SpinalRoot, SideCode], list[Assessment]] = defaultdict(list)
    for item in assessments:
        key = (item.rootlet.root, item.rootlet.side)
        tested[key] += 1
        if item.sphincter_related:
            suggestion[item.rootlet] = "protected"
        elif item.possible_ventral:
            suggestion[item.rootlet] = "review"
        elif item.grade in CANDIDATE_GRADES:
            if item.ventral_checked:
                candidates[key].append(item)
            else:
                suggestion[item.rootlet] = "review"
        else:
            suggestion[item.rootlet] = "spare"
    for key, items in candidates.items():
        budget = math.floor(BUDGET_FRACTION * tested[key])
        for rank, item in enumerate(_ranked(items)):
            suggestion[item.rootlet] = "cut" if rank < budget else "review"
    return suggestion


def _ranked(items: Iterable[Assessment]) -> list[Assessment]:
    return sorted(items, key=lambda a: (-GRADES.index(a.grade), -a.magnitude_uv,
                                        a.rootlet.sort_key))


# ------------------------------------------------------------------------ internal plan


@dataclass(slots=True)
class _Shape:
    """A response waveform of unit peak-to-peak: first-derivative-of-Gaussian lobes.

    ``centres_ms`` are relative to the response onset, ``sigma_ms`` is the lobes' width.
    """

    centres_ms: NDArray[np.float64]
    weights: NDArray[np.float64]
    sigma_ms: float
    scale: float = 1.0

    def __call__(self, t_ms: NDArray[np.float64]) -> NDArray[np.float64]:
        """Values at ``t_ms`` after the onset (any shape), unit peak-to-peak."""
        x = (t_ms[..., None] - self.centres_ms) / self.sigma_ms
        lobes = -x * np.exp(-0.5 * x * x)
        return np.asarray(self.scale * (lobes @ self.weights), dtype=np.float64)


@dataclass(slots=True)
class _Muscle:
    """Latency (ms), duration (ms) and lobe count of one channel's responses this session."""

    latency_ms: float
    duration_ms: float
    lobes: int


@dataclass(slots=True)
class _Response:
    """One channel's response to one rootlet, before the truth is frozen."""

    channel: MontageChannel
    kind: Kind
    quantile: float  # position in the amplitude range (log-uniform), redrawn to separate
    peak_to_peak_uv: float
    pulses: int
    decrement: float
    shape: _Shape
    muscle: _Muscle


@dataclass(slots=True)
class _Rootlet:
    rootlet: RootletId
    noise_only: bool
    threshold_ma: float | None  # physiological threshold (None: never responds)
    currents_ma: tuple[float, ...]
    train_ma: float
    responses: list[_Response] = field(default_factory=list)
    anal: _Response | None = None


def _make_shape(rng: np.random.Generator, muscle: _Muscle) -> _Shape:
    # Lobes 2.5 σ apart (so they merge into a bi- or polyphasic wave) and the whole wave
    # spanning ±3 σ around the outer centres: duration = (lobes − 1) · 2.5 σ + 6 σ.
    k = muscle.lobes
    sigma = muscle.duration_ms / ((k - 1) * 2.5 + 6.0)
    centres = np.asarray(3.0 * sigma + 2.5 * sigma * np.arange(k), dtype=np.float64)
    weights = rng.uniform(0.3, 1.0, size=k) * rng.choice([-1.0, 1.0], size=k)
    weights[0] = math.copysign(1.0, weights[0])
    shape = _Shape(centres, weights, sigma)
    fine = np.arange(-sigma, muscle.duration_ms + sigma, 0.002)
    values = shape(fine)
    shape.scale = 1.0 / float(values.max() - values.min())
    return shape


def _draw_muscles(rng: np.random.Generator, montage: Montage,
                  jitter_ms: float) -> dict[str, _Muscle]:
    muscles: dict[str, _Muscle] = {}
    for channel in montage.channels:
        duration = float(rng.uniform(*DURATION_MS))
        # Onset + duration + the largest jitter must end by 19 ms (next pulse at 20 ms).
        latest = RESPONSE_END_MS - jitter_ms - duration
        latency = float(rng.uniform(MIN_LATENCY_MS, latest))
        lobes = 2 if duration < 5.5 else int(rng.integers(2, 4))
        muscles[channel.label] = _Muscle(latency, duration, lobes)
    return muscles


def _log_uniform(low: float, high: float, quantile: float) -> float:
    """The ``quantile`` point of a log-uniform range (``low`` when the range is a point)."""
    if high <= low:
        return low
    return float(math.exp(math.log(low) + quantile * (math.log(high) - math.log(low))))


def _ladder(up_to_ma: float) -> tuple[float, ...]:
    steps = round(up_to_ma / LADDER_STEP_MA)
    return tuple(round(k * LADDER_STEP_MA, 6) for k in range(1, steps + 1))


def _pick(rng: np.random.Generator, channels: Sequence[MontageChannel],
          *, at_least_one: bool) -> list[MontageChannel]:
    chosen = [c for c in channels if rng.random() < JOIN_PROBABILITY]
    if at_least_one and channels and not chosen:
        chosen = [channels[int(rng.integers(len(channels)))]]
    return chosen


def _draw_rootlets(seeds: np.random.SeedSequence, settings: SessionSettings,
                   muscles: dict[str, _Muscle]) -> list[_Rootlet]:
    """Draw every rootlet's plan; each rootlet has a random stream of its own, so one
    rootlet's kind or response set never shifts the draws of the next."""
    montage = settings.montage
    legs = [c for c in montage.channels if c.side is not None]
    anal_channel = montage.channel(SPHINCTER_LABEL)
    groups = [(root, side) for root in SpinalRoot if root.level <= SpinalRoot.S2.level
              for side in SideCode]
    layout_seed, *rootlet_seeds = seeds.spawn(settings.rootlets + 1)
    picks = np.random.default_rng(layout_seed).integers(len(groups), size=settings.rootlets)
    numbers: dict[tuple[SpinalRoot, SideCode], int] = defaultdict(int)
    pulses = round(settings.train_rate_hz * settings.train_duration_s)
    transient_most = max(1, min(TRANSIENT_PULSES[1], math.floor(pulses * SUSTAINED_FINAL_PART)))
    transient_least = min(TRANSIENT_PULSES[0], transient_most)
    plans: list[_Rootlet] = []
    responsive_index = 0
    for pick, seed in zip(picks, rootlet_seeds, strict=True):
        rng = np.random.default_rng(seed)
        root, side = groups[int(pick)]
        numbers[(root, side)] += 1
        rootlet = RootletId(root, side, numbers[(root, side)])
        kind_u, ventral_u, grade_u, anal_u, anal_q = (float(u) for u in rng.random(5))
        if kind_u < settings.noise_only_fraction:
            plans.append(_Rootlet(rootlet, True, None, _ladder(NOISE_ONLY_SEARCH_MA),
                                  NOISE_ONLY_SEARCH_MA))
            continue
        low_steps = range(1, round(VENTRAL_GUARD_MA / LADDER_STEP_MA))
        dorsal_steps = range(round(DORSAL_THRESHOLD_MA[0] / LADDER_STEP_MA),
                             round(DORSAL_THRESHOLD_MA[1] / LADDER_STEP_MA) + 1)
        steps = low_steps if ventral_u < settings.ventral_fraction else dorsal_steps
        threshold = round(int(rng.choice(steps)) * LADDER_STEP_MA, 6)
        plan = _Rootlet(rootlet, False, threshold, _ladder(threshold + LADDER_STEP_MA),
                        round(threshold + TRAIN_ABOVE_THRESHOLD_MA, 6))
        plan.responses = _draw_responses(rng, rootlet, legs, muscles, settings, grade_u,
                                         transient_least, transient_most)
        anal_uv = _anal_amplitude(settings, anal_u, responsive_index, anal_q)
        responsive_index += 1
        if anal_uv > 0:
            anal_muscle = muscles[SPHINCTER_LABEL]
            plan.anal = _Response(anal_channel, Kind.SUSTAINED, anal_q, anal_uv, pulses, 0.0,
                                  _make_shape(rng, anal_muscle), anal_muscle)
        plans.append(plan)
    return plans


def _anal_amplitude(settings: SessionSettings, u: float, index: int, quantile: float) -> float:
    """Nominal ANAL peak-to-peak of the ``index``-th responsive rootlet, µV (0: none)."""
    if settings.anal_levels_uv:
        return settings.anal_levels_uv[index % len(settings.anal_levels_uv)]
    if u < settings.sphincter_fraction:
        return _log_uniform(*settings.sphincter_uv, quantile)
    if u < settings.sphincter_fraction + settings.small_anal_fraction:
        return _log_uniform(*settings.small_anal_uv, quantile)
    return 0.0


def _draw_responses(rng: np.random.Generator, rootlet: RootletId,
                    legs: Sequence[MontageChannel], muscles: dict[str, _Muscle],
                    settings: SessionSettings, grade_u: float, transient_least: int,
                    transient_most: int) -> list[_Response]:
    by_spread: dict[Spread, list[MontageChannel]] = defaultdict(list)
    for channel in legs:
        category = spread(rootlet, channel)
        if category is not None:
            by_spread[category].append(channel)
    target = int(np.searchsorted(np.cumsum(GRADE_WEIGHTS), grade_u * sum(GRADE_WEIGHTS),
                                 side="right"))
    target = min(target, len(GRADE_WEIGHTS) - 1)
    segmental = _pick(rng, by_spread[Spread.SEGMENTAL], at_least_one=target == 1)
    adjacent = _pick(rng, by_spread[Spread.ADJACENT], at_least_one=target == 2)
    distant = _pick(rng, by_spread[Spread.DISTANT], at_least_one=target == 3)
    contralateral = _pick(rng, by_spread[Spread.CONTRALATERAL], at_least_one=target == 4)
    # The muscles sustained at the target spread: all nearer categories may join, none
    # further; 4+ keeps ipsilateral muscles of any spread.
    sustained: list[MontageChannel] = []
    if target >= 1:
        sustained += segmental
    if target >= 2:
        sustained += adjacent
    if target >= 3:
        sustained += distant
    if target == 4:
        sustained += contralateral
    others = [c for c in legs if c not in sustained]
    extra_u = rng.random()
    extra = others[int(rng.integers(len(others)))] if others else None
    transient: list[MontageChannel] = []
    if extra is not None and (extra_u < EXTRA_TRANSIENT_PROBABILITY or not sustained):
        transient.append(extra)
    pulses = round(settings.train_rate_hz * settings.train_duration_s)
    responses: list[_Response] = []
    for channel in legs:  # montage order keeps the stream independent of set order
        quantile = float(rng.random())
        decrement = float(rng.uniform(0.0, settings.max_decrement))
        count = int(rng.integers(transient_least, transient_most + 1))
        shape = _make_shape(rng, muscles[channel.label])
        amplitude = _log_uniform(*settings.response_uv, quantile)
        if channel in sustained:
            responses.append(_Response(channel, Kind.SUSTAINED, quantile, amplitude, pulses,
                                       decrement, shape, muscles[channel.label]))
        elif channel in transient:
            responses.append(_Response(channel, Kind.TRANSIENT, quantile, amplitude, count,
                                       0.0, shape, muscles[channel.label]))
    return responses


# ------------------------------------------------------------------------------- truth


def _pulse_factors(response: _Response, pulses: int) -> NDArray[np.float64]:
    """Nominal amplitude factor of each train pulse (decrement; 0 where absent)."""
    k = np.arange(pulses, dtype=np.float64)
    factors = 1.0 - response.decrement * k / max(1, pulses - 1)
    factors[response.pulses:] = 0.0
    return factors


def _rms_uv(response: _Response, settings: SessionSettings) -> float:
    """Mean RMS of the response over the inter-pulse interval of the responding pulses."""
    period_ms = 1000.0 / settings.train_rate_hz
    t = np.arange(0.0, period_ms, 0.01) - response.muscle.latency_ms
    unit_ms = float(np.mean(response.shape(t) ** 2))
    pulses = round(settings.train_rate_hz * settings.train_duration_s)
    factors = _pulse_factors(response, pulses)[: response.pulses]
    return response.peak_to_peak_uv * math.sqrt(unit_ms * float(np.mean(factors**2)))


def _assess(plan: _Rootlet, settings: SessionSettings) -> Assessment:
    pulses = round(settings.train_rate_hz * settings.train_duration_s)
    sustained = [r for r in plan.responses
                 if is_sustained(list(_pulse_factors(r, pulses) > 0))]
    grade = grade_of(plan.rootlet, (r.channel for r in sustained))
    magnitude = sum(_rms_uv(r, settings) for r in sustained)
    anal_uv = 0.0 if plan.anal is None else plan.anal.peak_to_peak_uv
    threshold = plan.threshold_ma if settings.threshold_search else None
    return Assessment(
        rootlet=plan.rootlet,
        grade=grade,
        magnitude_uv=magnitude,
        sphincter_related=anal_uv > SPHINCTER_GUARD_UV,
        possible_ventral=threshold is not None and threshold < VENTRAL_GUARD_MA,
        ventral_checked=settings.threshold_search,
    )


def _separate(rng: np.random.Generator, plans: list[_Rootlet],
              settings: SessionSettings) -> int:
    """Redraw amplitudes until candidates across every budget edge are well apart.

    Returns the number of edges left with a near-tie after the allowed attempts.
    """
    by_id = {plan.rootlet: plan for plan in plans}
    for _ in range(SEPARATION_ATTEMPTS):
        tie = _first_near_tie([_assess(plan, settings) for plan in plans])
        if tie is None:
            return 0
        plan = by_id[tie]
        for response in plan.responses:
            response.quantile = float(rng.random())
            response.peak_to_peak_uv = _log_uniform(*settings.response_uv, response.quantile)
            response.shape = _make_shape(rng, response.muscle)
    return sum(1 for _ in _near_ties([_assess(plan, settings) for plan in plans]))


def _near_ties(assessments: Sequence[Assessment]) -> Iterable[RootletId]:
    """Rootlets just outside a budget edge whose magnitude is too close to the one inside."""
    tested: dict[tuple[SpinalRoot, SideCode], int] = defaultdict(int)
    groups: dict[tuple[SpinalRoot, SideCode], list[Assessment]] = defaultdict(list)
    for item in assessments:
        tested[item.rootlet.level_key] += 1
        if item.grade in CANDIDATE_GRADES and item.ventral_checked \
                and not item.sphincter_related and not item.possible_ventral:
            groups[item.rootlet.level_key].append(item)
    for key, items in groups.items():
        ranked = _ranked(items)
        budget = math.floor(BUDGET_FRACTION * tested[key])
        if 0 < budget < len(ranked):
            inside, outside = ranked[budget - 1], ranked[budget]
            if inside.grade == outside.grade and \
                    inside.magnitude_uv < MAGNITUDE_SEPARATION * outside.magnitude_uv:
                yield outside.rootlet


def _first_near_tie(assessments: Sequence[Assessment]) -> RootletId | None:
    return next(iter(_near_ties(assessments)), None)


def _freeze(plan: _Rootlet, assessment: Assessment, suggestion: str,
            settings: SessionSettings) -> RootletTruth:
    def channel_truth(response: _Response) -> ChannelTruth:
        return ChannelTruth(
            label=response.channel.label,
            kind=response.kind,
            peak_to_peak_uv=response.peak_to_peak_uv,
            pulses=response.pulses,
            decrement=response.decrement,
            latency_ms=response.muscle.latency_ms,
            duration_ms=response.muscle.duration_ms,
            rms_uv=_rms_uv(response, settings),
            spread=spread(plan.rootlet, response.channel),
        )

    return RootletTruth(
        rootlet=plan.rootlet,
        noise_only=plan.noise_only,
        channels=tuple(channel_truth(r) for r in plan.responses),
        anal=None if plan.anal is None else channel_truth(plan.anal),
        threshold_ma=plan.threshold_ma if settings.threshold_search else None,
        currents_ma=plan.currents_ma if settings.threshold_search else (),
        train_ma=plan.train_ma,
        grade=assessment.grade,
        magnitude_uv=assessment.magnitude_uv,
        sphincter_related=assessment.sphincter_related,
        possible_ventral=assessment.possible_ventral,
        suggestion=suggestion,
    )


# ---------------------------------------------------------------------------- signals


def _layout(rng: np.random.Generator, plans: Sequence[_Rootlet], settings: SessionSettings,
            configs: Sequence[AnalysisConfig],
            ) -> tuple[list[tuple[Stimulation, int, _Rootlet]], int]:
    """Onset sample of every stimulation, leaving each config's windows room, and length.

    Rootlets are tested in anatomical order, as a surgeon works through the roots; each
    gets its single-pulse ladder (if any) and then its train.
    """
    fs = settings.sfreq
    placed: list[tuple[Stimulation, int, _Rootlet]] = []
    cursor = round(LEAD_S * fs)
    for plan in sorted(plans, key=lambda p: p.rootlet.sort_key):
        currents = plan.currents_ma if settings.threshold_search else ()
        kinds = [(Mode.SINGLE, c) for c in currents] + [(Mode.TRAIN, plan.train_ma)]
        for mode, current in kinds:
            probe = Stimulation(0.0, plan.rootlet, mode, current,
                                settings.train_rate_hz if mode is Mode.TRAIN else None,
                                settings.train_duration_s if mode is Mode.TRAIN else None)
            windows = [plan_windows(probe, fs, config) for config in configs]
            before = max(w.before for w in windows)
            # The synthesised response of the last pulse runs RESPONSE_SPAN_MS past it.
            last_pulse = round((probe.pulse_count - 1) / (probe.rate_hz or 1.0) * fs)
            after = max(max(w.after for w in windows),
                        last_pulse + math.ceil(RESPONSE_SPAN_MS * fs / 1000.0))
            onset = cursor + before
            stimulation = Stimulation(onset / fs, probe.rootlet, mode, current, probe.rate_hz,
                                      probe.duration_s)
            placed.append((stimulation, onset, plan))
            cursor = onset + after + round(float(rng.uniform(*GAP_S)) * fs)
    return placed, cursor + round(LEAD_S * fs)


def _noise(rng: np.random.Generator, channels: int, samples: int,
           settings: SessionSettings) -> NDArray[np.float64]:
    """Band-limited Gaussian noise, µV, with exactly ``noise_uv`` RMS per channel."""
    fs = settings.sfreq
    high = min(NOISE_BAND_HZ[1], 0.4 * fs)
    sos = signal.butter(4, [NOISE_BAND_HZ[0], high], btype="bandpass", fs=fs, output="sos")
    warm = round(0.5 * fs)  # drop the filter's start-up transient
    white = rng.standard_normal((channels, samples + warm))
    coloured = signal.sosfilt(sos, white, axis=1)[:, warm:]
    if settings.noise_uv == 0:
        return np.zeros((channels, samples))
    rms = np.sqrt(np.mean(coloured**2, axis=1, keepdims=True))
    return np.asarray(coloured * (settings.noise_uv / rms), dtype=np.float64)


def _hum(rng: np.random.Generator, channels: int, samples: int,
         settings: SessionSettings) -> tuple[NDArray[np.float64], float]:
    """Mains hum, µV (fundamental peak ``hum_uv``), and its actual frequency (Hz)."""
    frequency = settings.hum_hz + float(rng.uniform(-HUM_OFFSET_HZ, HUM_OFFSET_HZ))
    phases = rng.uniform(0.0, 2 * math.pi, size=(channels, len(HUM_HARMONICS)))
    hum = np.zeros((channels, samples))
    if settings.hum_uv == 0:
        return hum, frequency
    t = np.arange(samples) / settings.sfreq
    for order, share in enumerate(HUM_HARMONICS, start=1):
        hum += settings.hum_uv * share * np.sin(
            2 * math.pi * order * frequency * t[None, :] + phases[:, order - 1 : order])
    return hum, frequency


def _artifact_tau_ms(settings: SessionSettings, quantile: float) -> float:
    low, high = settings.artifact_tau_ms
    peak_uv = settings.artifact_mv[1] * 1000.0
    if settings.noise_uv > 0 and peak_uv > 0:
        # Largest τ with peak · exp(−3 ms / τ) ≤ a tenth of the noise RMS.
        residue = ARTIFACT_RESIDUE_OF_NOISE * settings.noise_uv
        if peak_uv > residue:
            high = min(high, ARTIFACT_GONE_MS / math.log(peak_uv / residue))
    return low + quantile * max(0.0, high - low) if high >= low else high


def _add_stimulation(data: NDArray[np.float64], stimulation: Stimulation, onset: int,
                     plan: _Rootlet, settings: SessionSettings, montage: Montage,
                     artifact: tuple[NDArray[np.float64], NDArray[np.float64]],
                     rng: np.random.Generator, artifact_rng: np.random.Generator) -> None:
    fs = settings.sfreq
    offsets = np.round(np.arange(stimulation.pulse_count)
                       / (stimulation.rate_hz or 1.0) * fs).astype(np.intp)
    pulses = onset + offsets
    # Stimulus artifact on every channel at every pulse (kernels never overlap: 6 ms span
    # against 20 ms between pulses).
    signs, taus = artifact
    span = np.arange(math.ceil(ARTIFACT_SPAN_MS * fs / 1000.0))
    t_art = span / fs * 1000.0
    peaks = artifact_rng.uniform(*settings.artifact_mv, size=len(montage.channels)) * 1000.0
    wobble = artifact_rng.uniform(1 - ARTIFACT_VARIATION, 1 + ARTIFACT_VARIATION,
                                  size=(len(montage.channels), len(pulses)))
    for row in range(len(montage.channels)):
        if peaks[row] == 0:
            continue
        kernel = signs[row] * peaks[row] * np.exp(-t_art / taus[row])
        data[row, pulses[:, None] + span[None, :]] += wobble[row][:, None] * kernel[None, :]
    # Responses: a single pulse evokes every response of the rootlet at or above its
    # threshold; a train evokes each response at the pulses that carry it.
    responses = [*plan.responses, *([plan.anal] if plan.anal is not None else [])]
    if plan.threshold_ma is None:
        return
    if stimulation.mode is Mode.SINGLE and stimulation.current_ma < plan.threshold_ma - 1e-9:
        return
    # Within a train a pulse's synthesis span stops at the next pulse, so a pulse without
    # a response reads exactly zero (the tails cut off are below 0.01 % of the peak).
    span_ms = RESPONSE_SPAN_MS
    if stimulation.rate_hz is not None and stimulation.pulse_count > 1:
        span_ms = min(span_ms, 1000.0 / stimulation.rate_hz)
    window = np.arange(math.floor(span_ms * fs / 1000.0 + 1e-9))
    t_window = window / fs * 1000.0
    rows = {label: index for index, label in enumerate(montage.labels)}
    count = stimulation.pulse_count
    for response in responses:
        jitter = rng.uniform(-settings.jitter_ms, settings.jitter_ms, size=count)
        variation = rng.uniform(1 - settings.amplitude_variation,
                                1 + settings.amplitude_variation, size=count)
        factors = (_pulse_factors(response, count) if stimulation.mode is Mode.TRAIN
                   else np.ones(1))
        carrying = np.flatnonzero(factors > 0)
        amplitude = response.peak_to_peak_uv * factors[carrying] * variation[carrying]
        onset_ms = response.muscle.latency_ms + jitter[carrying]
        values = amplitude[:, None] * response.shape(t_window[None, :] - onset_ms[:, None])
        index = pulses[carrying][:, None] + window[None, :]
        np.add.at(data[rows[response.channel.label]], index, values)


def generate(settings: SessionSettings,
             configs: Sequence[AnalysisConfig] = (DEFAULT_CONFIG,)) -> GeneratedSession:
    """Generate one synthetic session and its ground truth.

    ``configs`` are the analysis configs the recording must suit: every stimulation gets
    the baseline and after-window the most demanding of them plans (plus a gap), so one
    recording can be analysed under each.
    """
    muscle_seed, rootlet_seed, *seeds = np.random.SeedSequence(settings.seed).spawn(8)
    separate_rng, layout_rng, noise_rng, hum_rng, artifact_rng, pulse_rng = (
        np.random.default_rng(seed) for seed in seeds)
    montage = settings.montage
    muscles = _draw_muscles(np.random.default_rng(muscle_seed), montage,
                            settings.jitter_ms)
    plans = _draw_rootlets(rootlet_seed, settings, muscles)
    near_ties = _separate(separate_rng, plans, settings)
    assessments = [_assess(plan, settings) for plan in plans]
    suggestions = expected_suggestions(assessments)
    truth = tuple(sorted(
        (_freeze(plan, item, suggestions[plan.rootlet], settings)
         for plan, item in zip(plans, assessments, strict=True)),
        key=lambda t: t.rootlet.sort_key))

    placed, samples = _layout(layout_rng, plans, settings, configs)
    channels = len(montage.channels)
    data = _noise(noise_rng, channels, samples, settings)
    hum, hum_hz = _hum(hum_rng, channels, samples, settings)
    data += hum
    signs = artifact_rng.choice([-1.0, 1.0], size=channels)
    taus = np.array([_artifact_tau_ms(settings, float(q))
                     for q in artifact_rng.random(channels)])
    for stimulation, onset, plan in placed:
        _add_stimulation(data, stimulation, onset, plan, settings, montage, (signs, taus),
                         pulse_rng, artifact_rng)
    recording = make_recording(
        labels=montage.labels,
        data=data * 1e-6,  # µV -> V, the unit of a Stride recording
        sfreq=settings.sfreq,
        stimulations=[s for s, _, _ in placed],
        source=f"SYNTHETIC independent session (seed {settings.seed})",
    )
    return GeneratedSession(settings, recording, montage, truth, hum_hz, near_ties)


# --------------------------------------------------------------------------- agreement


@dataclass(frozen=True, slots=True)
class Agreement:
    """How an analysis agrees with the ground truth (counts; fractions as properties).

    ``strong`` rootlets have at least one leg response and every one of them at least
    :data:`STRONG_RESPONSE_UV` peak-to-peak at its weakest nominal pulse.
    ``mismatches`` says, per disagreeing rootlet, what differed (for reports).
    """

    rootlets: int = 0
    grade_agree: int = 0
    suggestion_agree: int = 0
    guard_checked: int = 0
    sphincter_related: int = 0
    false_sphincter: int = 0
    missed_sphincter: int = 0
    noise_only: int = 0
    false_responses: int = 0
    strong: int = 0
    strong_grade_agree: int = 0
    mismatches: tuple[str, ...] = ()

    def __add__(self, other: Agreement) -> Agreement:
        counts = {item.name: getattr(self, item.name) + getattr(other, item.name)
                  for item in fields(self) if item.name != "mismatches"}
        return Agreement(**counts, mismatches=self.mismatches + other.mismatches)

    @property
    def grade_rate(self) -> float:
        """Share of rootlets whose grade agrees."""
        return _share(self.grade_agree, self.rootlets)

    @property
    def suggestion_rate(self) -> float:
        """Share of rootlets whose suggestion agrees."""
        return _share(self.suggestion_agree, self.rootlets)

    @property
    def guard_checked_rate(self) -> float:
        """Share of rootlets whose sphincter guard was checked."""
        return _share(self.guard_checked, self.rootlets)

    @property
    def false_sphincter_rate(self) -> float:
        """False sphincter trips per rootlet."""
        return _share(self.false_sphincter, self.rootlets)

    @property
    def missed_sphincter_rate(self) -> float:
        """Share of sphincter-related rootlets without the ``sphincter`` flag."""
        return _share(self.missed_sphincter, self.sphincter_related)

    @property
    def false_response_rate(self) -> float:
        """Share of noise-only rootlets given a grade above 0 or a threshold."""
        return _share(self.false_responses, self.noise_only)

    @property
    def strong_grade_rate(self) -> float:
        """Grade agreement over the rootlets with only ≥ 100 µV responses."""
        return _share(self.strong_grade_agree, self.strong)


#: Responses at least this large (µV peak-to-peak) make a rootlet "strong" in
#: :class:`Agreement` (the brief's acceptance criterion, not a clinical value).
STRONG_RESPONSE_UV = 100.0


def _share(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def compare(result: SessionResult, truth: Sequence[RootletTruth]) -> Agreement:
    """Compare an engine result with the ground truth, rootlet by rootlet.

    A rootlet missing from ``result`` counts as disagreeing everywhere and unchecked.
    """
    found = {item.rootlet: item for item in result.rootlets}
    counts: dict[str, int] = defaultdict(int)
    mismatches: list[str] = []
    for expected in truth:
        counts["rootlets"] += 1
        got = found.get(expected.rootlet)
        grade = None if got is None or got.grade is None else got.grade.value
        suggestion = None if got is None else got.suggestion.value
        flags = set() if got is None else {flag.value for flag in got.flags}
        threshold = None if got is None else got.threshold_ma
        counts["grade_agree"] += grade == expected.grade
        counts["suggestion_agree"] += suggestion == expected.suggestion
        counts["guard_checked"] += got is not None and "sphincter-unchecked" not in flags
        tripped = "sphincter" in flags
        counts["sphincter_related"] += expected.sphincter_related
        counts["false_sphincter"] += tripped and not expected.sphincter_related
        counts["missed_sphincter"] += expected.sphincter_related and not tripped
        if expected.noise_only:
            counts["noise_only"] += 1
            counts["false_responses"] += grade != "0" or threshold is not None
        smallest = expected.smallest_response_uv
        if smallest is not None and smallest >= STRONG_RESPONSE_UV:
            counts["strong"] += 1
            counts["strong_grade_agree"] += grade == expected.grade
        if grade != expected.grade or suggestion != expected.suggestion or \
                tripped != expected.sphincter_related:
            mismatches.append(
                f"{expected.rootlet}: grade {grade} (truth {expected.grade}), suggestion "
                f"{suggestion} (truth {expected.suggestion}), threshold {threshold} (truth "
                f"{expected.threshold_ma}), flags {sorted(flags)}, ANAL truth "
                f"{expected.anal_uv:.1f} µV")
    return Agreement(**counts, mismatches=tuple(mismatches))
