"""Stimulations and notes: the ``STIM`` annotation text of the recording spec.

Every stimulation is an annotation at its onset (EDF+) or a row of ``events.csv``::

    STIM <root>-<side>-<rootlet> <mode> <current>mA [<rate>Hz] [<duration>s]

e.g. ``STIM L4-L-3 train 0.60mA 50Hz 1.0s`` or ``STIM S1-R-2 single 0.35mA``. A train
without rate or duration runs at 50 Hz for 1.0 s (spec). An annotation whose first word
is ``STIM`` (in any case) must parse; one that does not is an error that quotes it, so a
mistyped stimulation is never dropped silently. Any other annotation is kept as a note.

The annotation onset is taken as the time of the first pulse; train pulses follow every
``1 / rate`` seconds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

from stride.core.errors import InvalidValue, StrideError
from stride.core.rootlets.anatomy import RootletId, parse_root, parse_side
from stride.core.rootlets.errors import AnnotationError

#: Train rate when the annotation leaves it out (spec).
DEFAULT_TRAIN_RATE_HZ = 50.0
#: Train duration when the annotation leaves it out (spec).
DEFAULT_TRAIN_DURATION_S = 1.0
#: Longest annotation common EDF+ writers keep (spec; edflib's limit).
MAX_ANNOTATION_CHARS = 40


class Mode(StrEnum):
    """How a rootlet was stimulated."""

    SINGLE = "single"
    TRAIN = "train"


@dataclass(frozen=True, slots=True)
class Stimulation:
    """One stimulation of one rootlet.

    Attributes
    ----------
    onset_s
        Time of the first pulse, seconds from the start of the recording's time axis.
    rootlet
        The stimulated rootlet.
    mode
        ``single`` (one pulse, threshold search) or ``train`` (tetanic train).
    current_ma
        Stimulus current in mA (clinical convention keeps mA).
    rate_hz, duration_s
        Pulse rate (Hz) and length (s) of a train; ``None`` for a single pulse.
    """

    onset_s: float
    rootlet: RootletId
    mode: Mode
    current_ma: float
    rate_hz: float | None = None
    duration_s: float | None = None

    @property
    def pulse_count(self) -> int:
        """Number of pulses: 1 for a single, ``round(rate × duration)`` for a train."""
        if self.rate_hz is None or self.duration_s is None:
            return 1
        return round(self.rate_hz * self.duration_s)

    def pulse_offsets_s(self) -> tuple[float, ...]:
        """Times of the pulses relative to the onset, in seconds (first is 0.0)."""
        if self.rate_hz is None:
            return (0.0,)
        return tuple(k / self.rate_hz for k in range(self.pulse_count))

    @property
    def text(self) -> str:
        """The compact annotation text of this stimulation (at most 40 characters)."""
        return format_annotation(self)

    def describe(self) -> str:
        """Short description for messages: the annotation text and its onset."""
        return f"'{self.text}' at {self.onset_s:.3f} s"


@dataclass(frozen=True, slots=True)
class Note:
    """A free-text annotation kept as a note (not a stimulation)."""

    onset_s: float
    text: str


_STIM = re.compile(
    r"^STIM\s+(?P<root>\S+?)-(?P<side>\S+?)-(?P<number>\d+)\s+(?P<mode>single|train)"
    r"\s+(?P<current>\d+(?:\.\d+)?)mA"
    r"(?:\s+(?P<rate>\d+(?:\.\d+)?)Hz)?"
    r"(?:\s+(?P<duration>\d+(?:\.\d+)?)s)?\s*$"
)


def parse_annotation(text: str, onset_s: float) -> Stimulation | Note:
    """Parse one annotation at ``onset_s`` seconds into a stimulation or a note.

    Raises
    ------
    AnnotationError
        If the first word is ``STIM`` but the rest does not follow the spec; the message
        quotes the text and shows the expected form.
    """
    stripped = text.strip()
    first_word = stripped.split(maxsplit=1)[0] if stripped else ""
    if first_word.upper() != "STIM":
        return Note(onset_s=onset_s, text=text)
    where = f"annotation '{text}' at {onset_s:.3f} s"
    match = _STIM.match(stripped)
    if match is None:
        raise AnnotationError(
            f"Cannot read the stimulation {where}. Expected "
            "'STIM <root>-<side>-<rootlet> <mode> <current>mA [<rate>Hz] [<duration>s]', "
            "for example 'STIM L4-L-3 train 0.60mA 50Hz 1.0s' or 'STIM S1-R-2 single 0.35mA'."
        )
    rate = match["rate"]
    duration = match["duration"]
    return make_stimulation(
        onset_s=onset_s,
        root=match["root"],
        side=match["side"],
        number=int(match["number"]),
        mode=match["mode"],
        current_ma=float(match["current"]),
        rate_hz=float(rate) if rate is not None else None,
        duration_s=float(duration) if duration is not None else None,
        where=where,
    )


def make_stimulation(
    *,
    onset_s: float,
    root: str,
    side: str,
    number: int,
    mode: str,
    current_ma: float,
    rate_hz: float | None,
    duration_s: float | None,
    where: str,
) -> Stimulation:
    """Check every part of a stimulation and return it.

    A train without rate or duration gets the spec's 50 Hz and 1.0 s. ``where`` names the
    source (annotation text, ``events.csv`` row) in error messages.

    Raises
    ------
    AnnotationError
        If any part is out of range; the message names ``where`` and the part.
    """
    try:
        rootlet = RootletId(
            root=parse_root(root, stimulated=True),
            side=parse_side(side),
            number=_positive_int(number, "rootlet"),
        )
        parsed_mode = Mode(mode) if mode in {m.value for m in Mode} else None
        if parsed_mode is None:
            raise InvalidValue("mode", mode, [m.value for m in Mode])
        current = _positive(current_ma, "current_ma")
        if parsed_mode is Mode.SINGLE:
            if rate_hz is not None or duration_s is not None:
                raise InvalidValue(
                    "rate/duration", (rate_hz, duration_s), "none for a single pulse"
                )
            rate = duration = None
        else:
            rate = _positive(DEFAULT_TRAIN_RATE_HZ if rate_hz is None else rate_hz, "rate_hz")
            duration = _positive(
                DEFAULT_TRAIN_DURATION_S if duration_s is None else duration_s, "duration_s"
            )
            if round(rate * duration) < 1:
                raise InvalidValue("rate × duration", rate * duration, "at least one pulse")
        if not math.isfinite(onset_s) or onset_s < 0:
            raise InvalidValue("onset_s", onset_s, "a time of 0 s or later")
    except StrideError as error:
        raise AnnotationError(f"Cannot use the stimulation {where}: {error.message}") from None
    return Stimulation(
        onset_s=onset_s,
        rootlet=rootlet,
        mode=parsed_mode,
        current_ma=current,
        rate_hz=rate,
        duration_s=duration,
    )


def _positive(value: float, field: str) -> float:
    if not math.isfinite(value) or value <= 0:
        raise InvalidValue(field, value, "a number above 0")
    return float(value)


def _positive_int(value: int, field: str) -> int:
    if value < 1:
        raise InvalidValue(field, value, "a whole number from 1")
    return value


def _number(value: float) -> str:
    """Shortest text for ``value`` with at least one decimal (``50.0``, ``0.35``)."""
    text = f"{value:.4f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _current(value: float) -> str:
    """Two decimals as in the spec (``0.60``) unless that would lose precision."""
    two = f"{value:.2f}"
    return two if float(two) == value else _number(value)


def format_annotation(stimulation: Stimulation) -> str:
    """Return the compact ``STIM`` text of ``stimulation``.

    Currents show two decimals (``0.60mA``) as in the spec's examples, more when needed.

    Raises
    ------
    InvalidValue
        If the text would exceed the 40 characters EDF+ writers keep.
    """
    rootlet = stimulation.rootlet
    parts = [
        "STIM",
        f"{rootlet.root}-{rootlet.side}-{rootlet.number}",
        stimulation.mode.value,
        f"{_current(stimulation.current_ma)}mA",
    ]
    if stimulation.rate_hz is not None and stimulation.duration_s is not None:
        parts += [f"{_number(stimulation.rate_hz).removesuffix('.0')}Hz",
                  f"{_number(stimulation.duration_s)}s"]
    text = " ".join(parts)
    if len(text) > MAX_ANNOTATION_CHARS:
        raise InvalidValue("annotation", text, f"at most {MAX_ANNOTATION_CHARS} characters")
    return text
