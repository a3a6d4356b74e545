"""Reading an EDF+ recording that may still be growing (recording spec, "EDF+").

A monitoring system that exports EDF+ while it records writes the header first (often
with ``-1`` data records, "unknown yet") and then appends one data record after another;
the last record on disk may be torn (half written). :class:`EdfStream` follows such a
file: each :meth:`EdfStream.poll` reads only the data records completed since the last
call, parses the annotations in them (the EDF+ "TALs" of every ``EDF Annotations``
signal) and returns what is known so far. Samples are not kept in memory (an hour at
10 kHz on 17 channels is 1.2 GB of 16-bit samples); :meth:`EdfStream.samples` decodes a
stretch of them from disk on demand, with exactly the scaling :mod:`.edf` uses.

The header is parsed here, by :func:`parse_header`, for both readers: :func:`.edf.read_edf`
checks a finished file with it, and this module accepts what a recorder still writing
produces. Only numpy and the standard library are used (no pyedflib), so the TAL grammar
is parsed here too::

    TAL = +onset[\\x15duration]\\x14[text\\x14]...\\x00

The first TAL of the first annotation signal of every data record is the record's
time-keeping stamp (its start, seconds after the header's start time) and carries no
text. Onsets are returned relative to the first sample (the first record's stamp is
subtracted, so that a recording starting a fraction of a second after the header's time
keeps its onsets on its samples); when the first record starts at the header's time, as
every file ``write_edf`` writes does, they equal :func:`.edf.read_edf`'s.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import numpy as np
from numpy.typing import NDArray

from stride.core.rootlets.annotations import Note, Stimulation, parse_annotation
from stride.core.rootlets.errors import (
    AnnotationError,
    RecordingContentError,
    RecordingFileError,
)
from stride.core.rootlets.recording import MIN_SFREQ_HZ

#: Label of an EDF+ annotation signal (EDF+ spec).
ANNOTATION_LABEL = "EDF Annotations"
#: Volts per unit of the physical dimensions the recording spec allows.
UNITS = {"uV": 1e-6, "µV": 1e-6, "mV": 1e-3}
#: The 8 bytes every EDF header starts with (version 0).
EDF_MAGIC = b"0       "
#: Length of the fixed part of the header, and of each signal's part, in bytes.
FIXED_BYTES = 256

#: TAL time stamps are kept in units of 100 ns, as edflib (and so pyedflib) does, so that
#: onsets read here equal the ones :func:`.edf.read_edf` gets.
_TICKS_PER_S = 10_000_000
#: Record stamps may differ from the record grid by writers' rounding, not by a gap.
_STAMP_TOLERANCE_TICKS = 10_000  # 1 ms
_TIME = re.compile(rb"([+-])(\d{1,12})(?:\.(\d*))?")
_DURATION = re.compile(rb"\d{1,12}(?:\.\d*)?")
#: Data records read at once while catching up with a long file (16 one-second records at
#: 10 kHz on 17 channels are 5.4 MB), so memory stays bounded.
_RECORDS_PER_READ = 16


@dataclass(frozen=True, slots=True)
class EdfSignal:
    """One signal of the header, as written there (digital and physical range, rate)."""

    label: str
    dimension: str
    physical_min: float
    physical_max: float
    digital_min: int
    digital_max: int
    samples_per_record: int


@dataclass(frozen=True, slots=True)
class EdfHeader:
    """The parsed header of an EDF(+) file.

    Attributes
    ----------
    header_bytes
        Length of the header in bytes; the data records follow it.
    kind
        The reserved field, ``EDF+C`` for continuous EDF+.
    records
        Number of data records the header announces; ``-1`` while a recorder still writes.
    record_seconds
        Duration of one data record in seconds.
    signals
        Every signal, annotation signals included, in file order.
    start
        Start date and time from the header (local time, whole seconds), or ``None``
        when the header's date or time is not readable.
    """

    header_bytes: int
    kind: str
    records: int
    record_seconds: float
    signals: tuple[EdfSignal, ...]
    start: datetime | None

    @property
    def record_bytes(self) -> int:
        """Length of one data record in bytes (16-bit samples of every signal)."""
        return 2 * sum(s.samples_per_record for s in self.signals)


def field_text(raw: bytes, source: str, name: str) -> str:
    """Return an ASCII header field without its padding.

    Raises
    ------
    RecordingFileError
        If the field is not ASCII.
    """
    try:
        return raw.decode("ascii").strip()
    except UnicodeDecodeError:
        raise RecordingFileError(f"{source}: header field '{name}' is not ASCII; the file is "
                                 "not a valid EDF+ file.") from None


def field_number(raw: bytes, source: str, name: str) -> float:
    """Return a numeric header field.

    Raises
    ------
    RecordingFileError
        If the field is not a finite number.
    """
    text = field_text(raw, source, name)
    try:
        value = float(text)
    except ValueError:
        raise RecordingFileError(f"{source}: header field '{name}' is {text!r}, not a number; "
                                 "the file is not a valid EDF+ file.") from None
    if not math.isfinite(value):
        raise RecordingFileError(f"{source}: header field '{name}' is {text!r}.")
    return value


def field_integer(raw: bytes, source: str, name: str) -> int:
    """Return a whole-number header field (counts, sizes, digital limits).

    Raises
    ------
    RecordingFileError
        If the field is not a number, or not a whole number an 8-character field can hold
        (``1e99`` would otherwise ask for an impossible amount of memory).
    """
    value = field_number(raw, source, name)
    if not value.is_integer() or abs(value) >= 1e8:
        raise RecordingFileError(f"{source}: header field '{name}' is "
                                 f"{field_text(raw, source, name)!r}, not a whole number of at "
                                 "most 8 digits; the file is not a valid EDF+ file.")
    return int(value)


def header_length(fixed: bytes, source: str) -> int:
    """Check the first 256 bytes of a file; return the length of its whole header in bytes.

    Raises
    ------
    RecordingFileError
        If the bytes do not start an EDF header or list no signals.
    """
    if len(fixed) < FIXED_BYTES or fixed[:8] != EDF_MAGIC:
        raise RecordingFileError(
            f"{source}: not an EDF file (no EDF header). Export the session as EDF+ or "
            "use the CSV folder form."
        )
    count = field_integer(fixed[252:256], source, "number of signals")
    if count < 1:
        raise RecordingFileError(f"{source}: the header lists no signals.")
    return FIXED_BYTES * (count + 1)


def parse_header(header: bytes, source: str) -> EdfHeader:
    """Parse a whole EDF header (the fixed part and every signal's part).

    The number of data records is returned as written (``-1`` included); whether it
    matches the file is the caller's check, because a finished file and a growing one
    differ there.

    Raises
    ------
    RecordingFileError
        Not EDF, no signals, header cut short, a field not ASCII or not a number, a header
        size that does not match the signal count, plain EDF, discontinuous EDF+ (EDF+D),
        or a record duration that is not above 0.
    """
    fixed = header[:FIXED_BYTES]
    length = header_length(fixed, source)
    count = length // FIXED_BYTES - 1
    block = header[FIXED_BYTES:length]
    if len(block) < FIXED_BYTES * count:
        raise RecordingFileError(f"{source}: the header is cut short (truncated file).")
    header_bytes = field_integer(fixed[184:192], source, "header bytes")
    kind = field_text(fixed[192:236], source, "reserved")
    records = field_integer(fixed[236:244], source, "number of data records")
    seconds = field_number(fixed[244:252], source, "record duration")

    def column(offset: int, width: int) -> list[bytes]:
        start = offset * count
        return [block[start + i * width : start + (i + 1) * width] for i in range(count)]

    labels = column(0, 16)
    dims = column(96, 8)
    pmins, pmaxs = column(104, 8), column(112, 8)
    dmins, dmaxs = column(120, 8), column(128, 8)
    spr = column(216, 8)
    signals = tuple(
        EdfSignal(
            label=field_text(labels[i], source, "label"),
            dimension=field_text(dims[i], source, "physical dimension"),
            physical_min=field_number(pmins[i], source, "physical minimum"),
            physical_max=field_number(pmaxs[i], source, "physical maximum"),
            digital_min=field_integer(dmins[i], source, "digital minimum"),
            digital_max=field_integer(dmaxs[i], source, "digital maximum"),
            samples_per_record=field_integer(spr[i], source, "samples per record"),
        )
        for i in range(count)
    )
    if header_bytes != length:
        raise RecordingFileError(f"{source}: the header size {header_bytes} does not match its "
                                 f"{count} signals; the file is damaged.")
    if not kind.startswith("EDF+"):
        raise RecordingFileError(f"{source}: plain EDF, not EDF+: it cannot carry the STIM "
                                 "annotations. Export the session as EDF+ (EDF+C).")
    if kind.startswith("EDF+D"):
        raise RecordingFileError(f"{source}: discontinuous EDF+ (EDF+D); export the session as "
                                 "continuous EDF+ (EDF+C).")
    if seconds <= 0:
        raise RecordingFileError(f"{source}: the data record duration is {seconds:g} s; it must "
                                 "be above 0. The file is damaged; export it again.")
    return EdfHeader(header_bytes, kind, records, seconds, signals, _start(fixed))


_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def _start(fixed: bytes) -> datetime | None:
    """The header's start date and time, or ``None`` if unreadable.

    The ``dd.mm.yy`` date has a two-digit year (1985–2084, EDF spec); EDF+ writes the
    full date in the recording field (``Startdate 02-DEC-2026``), which wins when present.
    """
    try:
        day, month, short_year = (int(p) for p in fixed[168:176].decode("ascii").split("."))
        hour, minute, second = (int(p) for p in fixed[176:184].decode("ascii").split("."))
        year = 2000 + short_year if short_year < 85 else 1900 + short_year
        words = fixed[88:168].decode("ascii").split()
        if len(words) > 1 and words[0] == "Startdate":
            match = re.fullmatch(r"(\d\d)-([A-Z]{3})-(\d{4})", words[1])
            if match and match[2] in _MONTHS and int(match[3]) % 100 == short_year:
                year = int(match[3])
        # EDF stores the local time of the recording, without a zone.
        return datetime(year, month, day, hour, minute, second)
    except (UnicodeDecodeError, ValueError):
        return None


def common_rate(signals: list[EdfSignal], header: EdfHeader, source: str) -> float:
    """Return the one sampling rate (Hz) of the EMG ``signals``.

    Raises
    ------
    RecordingContentError
        If a channel has no samples or the channels' rates differ.
    """
    for signal in signals:
        if signal.samples_per_record <= 0:
            raise RecordingContentError(f"{source}: channel {signal.label} is empty (no "
                                        "samples).")
    rates = {s.label: s.samples_per_record / header.record_seconds for s in signals}
    if len(set(rates.values())) > 1:
        listed = ", ".join(f"{label} {rate:g} Hz" for label, rate in rates.items())
        raise RecordingContentError(f"{source}: channels have different sampling rates "
                                    f"({listed}); every EMG channel needs the same rate.")
    return next(iter(rates.values()))


def scaling(signal: EdfSignal, source: str) -> tuple[float, float]:
    """Return ``(gain, shift)``: volts = digital value × gain + shift, for an EMG signal.

    Raises
    ------
    RecordingContentError
        If the physical dimension is not uV or mV, or the physical or digital range is
        empty.
    """
    scale = UNITS.get(signal.dimension)
    if scale is None:
        raise RecordingContentError(
            f"{source}: channel {signal.label} is in {signal.dimension!r}; the format "
            "allows uV or mV."
        )
    digital_span = signal.digital_max - signal.digital_min
    if digital_span <= 0 or signal.physical_max == signal.physical_min:
        raise RecordingContentError(f"{source}: channel {signal.label} has an empty "
                                    "physical or digital range.")
    gain = (signal.physical_max - signal.physical_min) / digital_span * scale
    shift = signal.physical_min * scale - signal.digital_min * gain
    return gain, shift


@dataclass(frozen=True, slots=True)
class EdfProgress:
    """What a (possibly growing) EDF+ file holds so far.

    Attributes
    ----------
    source
        The file, for messages.
    labels
        EMG channel labels in file order (annotation signals left out).
    sfreq
        Sampling rate in Hz.
    start
        Time of the first sample: the header's start date and time plus the first data
        record's time-keeping stamp (sub-second); ``None`` if the header's date or time
        is unreadable, or before the first record is complete.
    records
        Complete data records read.
    samples
        Samples per channel in those records.
    finished
        Whether the header announces a number of records and all of them are on disk
        (nothing more will come); ``False`` while the header says ``-1`` (or ``0``, as
        some recorders write until they close the file).
    stimulations
        Stimulations from ``STIM`` annotations found so far, by onset (seconds from the
        first sample).
    notes
        Other annotations found so far, in file order.
    rejected
        ``STIM`` annotations that do not parse, each with the message that quotes it;
        they are reported, not raised, so that one mistyped stimulation does not stop a
        live session.
    """

    source: str
    labels: tuple[str, ...]
    sfreq: float
    start: datetime | None
    records: int
    samples: int
    finished: bool
    stimulations: tuple[Stimulation, ...]
    notes: tuple[Note, ...]
    rejected: tuple[AnnotationError, ...]

    @property
    def complete_s(self) -> float:
        """Seconds from the first sample up to which every sample is on disk."""
        return self.samples / self.sfreq


@dataclass(frozen=True, slots=True, eq=False)  # holds an array: compare by identity
class EdfSnapshot:
    """An EDF+ file read once: its progress and the samples of its complete records.

    Attributes
    ----------
    progress
        Labels, rate, start, annotations and how far the samples go.
    data
        Samples of the complete records, channels × samples, in volts.
    """

    progress: EdfProgress
    data: NDArray[np.float64]


def read_edf_stream(path: Path) -> EdfSnapshot:
    """Read whatever complete data records an EDF+ file (finished or growing) holds now.

    Raises
    ------
    RecordingFileError
        Not EDF+, damaged header or annotations, or unreadable; a header that is itself
        still incomplete is reported as cut short.
    RecordingContentError
        Mixed or too low sampling rates, empty channels, unknown units, no EMG.
    """
    stream = EdfStream(path)
    progress = stream.poll()
    if progress is None:
        raise RecordingFileError(f"{path}: the header is cut short (truncated file, or a "
                                 "recorder has only begun writing it); read it again later "
                                 "or export it again.")
    return EdfSnapshot(progress, stream.samples(0, progress.samples))


@dataclass(frozen=True, slots=True)
class _Layout:
    """The checked header and where things lie in one data record."""

    header: EdfHeader
    #: The header bytes without the record count, to notice a rewritten header.
    fingerprint: bytes
    labels: tuple[str, ...]
    sfreq: float
    per_record: int
    #: (offset in 16-bit values, gain, shift) of every EMG signal, in file order.
    emg: tuple[tuple[int, float, float], ...]
    #: (offset, length) in bytes of every annotation signal within a record.
    annotations: tuple[tuple[int, int], ...]


def _fingerprint(raw_header: bytes) -> bytes:
    """The header without its number of data records (the one field a recorder updates)."""
    return raw_header[:236] + raw_header[244:]


def _check_layout(header: EdfHeader, raw_header: bytes, source: str) -> _Layout:
    """Check what :func:`.edf.read_edf` checks on a header, except the file size."""
    if header.records < -1:
        raise RecordingFileError(f"{source}: the header announces {header.records} data "
                                 "records; the file is damaged. Export it again.")
    emg = [s for s in header.signals if s.label != ANNOTATION_LABEL]
    if not emg:
        raise RecordingContentError(f"{source}: the file has no EMG signals.")
    if len(emg) == len(header.signals):
        raise RecordingFileError(f"{source}: the file has no '{ANNOTATION_LABEL}' signal, so it "
                                 "cannot carry the STIM annotations. Export the session as "
                                 "EDF+ (EDF+C).")
    sfreq = common_rate(emg, header, source)
    if not sfreq >= MIN_SFREQ_HZ:
        raise RecordingContentError(
            f"{source}: sampling rate {sfreq:g} Hz is below the {MIN_SFREQ_HZ:g} Hz the format "
            "needs; export the EMG at 2000 Hz or more."
        )
    labels = [s.label for s in emg]
    for label in labels:
        if not label:
            raise RecordingContentError(f"{source}: a channel has an empty label.")
        if labels.count(label) > 1:
            raise RecordingContentError(f"{source}: channel label '{label}' appears twice.")
    offset = 0
    channels: list[tuple[int, float, float]] = []
    annotations: list[tuple[int, int]] = []
    for signal in header.signals:
        width = signal.samples_per_record
        if signal.label == ANNOTATION_LABEL:
            if width <= 0:
                raise RecordingFileError(f"{source}: an '{ANNOTATION_LABEL}' signal has no room "
                                         "for annotations; the file is damaged.")
            annotations.append((2 * offset, 2 * width))
        else:
            gain, shift = scaling(signal, source)
            extremes = (signal.digital_min * gain + shift, signal.digital_max * gain + shift)
            if not all(math.isfinite(value) for value in extremes):
                raise RecordingContentError(f"{source}: channel {signal.label} has a physical "
                                            "range too large for numbers; the file is damaged.")
            channels.append((offset, gain, shift))
        offset += width
    return _Layout(header=header, fingerprint=_fingerprint(raw_header), labels=tuple(labels),
                   sfreq=sfreq, per_record=emg[0].samples_per_record, emg=tuple(channels),
                   annotations=tuple(annotations))


def _read_header_bytes(handle: BinaryIO, source: str) -> bytes | None:
    """The whole header, or ``None`` while the file is shorter than its header.

    Raises
    ------
    RecordingFileError
        If the bytes present cannot start an EDF header.
    """
    fixed = handle.read(FIXED_BYTES)
    if len(fixed) < FIXED_BYTES and EDF_MAGIC.startswith(fixed[:8]):
        return None  # a recorder or a copy has only begun: not an error yet
    length = header_length(fixed, source)
    rest = handle.read(length - FIXED_BYTES)
    if len(rest) < length - FIXED_BYTES:
        return None
    return fixed + rest


def _seconds_ticks(raw: bytes, where: str) -> int:
    """A TAL onset (``+12.5``) in units of 100 ns; digits past the 7th decimal are dropped
    as edflib drops them."""
    match = _TIME.fullmatch(raw)
    if match is None:
        raise RecordingFileError(f"{where}: the annotation time {_quote(raw)} is not "
                                 "'+seconds'; the file is damaged. Export it again.")
    sign, whole, fraction = match.groups()
    ticks = int(whole) * _TICKS_PER_S + int((fraction or b"")[:7].ljust(7, b"0"))
    return -ticks if sign == b"-" else ticks


def _quote(raw: bytes) -> str:
    return repr(raw.decode("utf-8", "replace"))


def _tals(raw: bytes, where: str) -> list[tuple[int, list[str]]]:
    """Parse the TALs of one annotation signal of one record: (onset in ticks, texts).

    Unused space after the last TAL is zero bytes. Texts are UTF-8 (EDF+); a byte that is
    not is replaced, so a bad note cannot hide the stimulations around it (a ``STIM`` text
    with such a byte no longer parses and is reported).

    Raises
    ------
    RecordingFileError
        If a TAL breaks the grammar.
    """
    result: list[tuple[int, list[str]]] = []
    position = 0
    while position < len(raw) and raw[position] != 0:
        end = raw.find(b"\x00", position)
        if end < 0:
            raise RecordingFileError(f"{where}: an annotation runs past the end of its signal; "
                                     "the file is damaged. Export it again.")
        tal = raw[position:end]
        position = end + 1
        parts = tal.split(b"\x14")
        if len(parts) < 2 or parts[-1]:
            raise RecordingFileError(f"{where}: the annotation {_quote(tal)} does "
                                     "not end with its separator; the file is damaged. Export "
                                     "it again.")
        onset, marker, duration = parts[0].partition(b"\x15")
        if marker and not _DURATION.fullmatch(duration):
            raise RecordingFileError(f"{where}: the annotation duration {_quote(duration)} is "
                                     "not a number of seconds; the file is damaged. Export it "
                                     "again.")
        texts = [part.decode("utf-8", "replace") for part in parts[1:-1]]
        result.append((_seconds_ticks(onset, where), texts))
    return result


class EdfStream:
    """Follow one EDF+ file as it grows; see the module docstring.

    Nothing is read before the first :meth:`poll`. After an error the stream should be
    dropped (make a new one for a file that was replaced by a good one).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._source = str(path)
        self._layout: _Layout | None = None
        self._identity: tuple[int, int] | None = None
        self._records = 0
        self._finished = False
        self._first_stamp: int | None = None
        self._stimulations: list[Stimulation] = []
        self._notes: list[Note] = []
        self._rejected: list[AnnotationError] = []

    def poll(self) -> EdfProgress | None:
        """Read the data records completed since the last call; return the state so far.

        Returns
        -------
        EdfProgress or None
            ``None`` while the file is shorter than its header (a recorder or a copy has
            only begun). A torn last data record is left for a later call.

        Raises
        ------
        RecordingFileError
            Not EDF+, damaged header or annotations, unreadable, or replaced, rewritten or
            shortened since the last call.
        RecordingContentError
            Mixed or too low sampling rates, empty channels, unknown units, no EMG.
        """
        try:
            with self.path.open("rb") as handle:
                status = os.fstat(handle.fileno())
                identity = (status.st_dev, status.st_ino)
                if self._identity is not None and identity != self._identity:
                    raise self._changed("was replaced by another file")
                raw_header = _read_header_bytes(handle, self._source)
                if raw_header is None:
                    if self._layout is not None:
                        raise self._changed("became shorter")
                    return None
                if self._layout is None:
                    header = parse_header(raw_header, self._source)
                    self._layout = _check_layout(header, raw_header, self._source)
                elif _fingerprint(raw_header) != self._layout.fingerprint:
                    raise self._changed("had its header rewritten")
                self._identity = identity
                announced = field_integer(raw_header[236:244], self._source,
                                          "number of data records")
                self._follow(handle, self._layout, status.st_size, announced)
        except OSError as error:
            raise RecordingFileError(f"Cannot read {self._source}: {error.strerror}.") from None
        return self._progress(self._layout)

    def samples(self, first: int, stop: int) -> NDArray[np.float64]:
        """Return samples ``first`` to ``stop`` (exclusive) of every EMG channel, in volts.

        Indices count from the file's first sample; the result is channels × samples.

        Raises
        ------
        ValueError
            If the range is not within the complete records read by :meth:`poll`.
        RecordingFileError
            If the file cannot be read or became shorter.
        """
        layout = self._layout
        if layout is None or not 0 <= first <= stop <= self._records * layout.per_record:
            raise ValueError(f"samples {first}:{stop} are not within the complete records "
                             f"of {self._source}")
        record_bytes = layout.header.record_bytes
        first_record = first // layout.per_record
        count = -(-stop // layout.per_record) - first_record
        try:
            with self.path.open("rb") as handle:
                handle.seek(layout.header.header_bytes + first_record * record_bytes)
                raw = handle.read(count * record_bytes)
        except OSError as error:
            raise RecordingFileError(f"Cannot read {self._source}: {error.strerror}.") from None
        if len(raw) < count * record_bytes:
            raise self._changed("became shorter")
        blocks = np.frombuffer(raw, dtype="<i2").reshape(count, record_bytes // 2)
        data = np.empty((len(layout.emg), count * layout.per_record), dtype=np.float64)
        for row, (offset, gain, shift) in enumerate(layout.emg):
            # The same operations in the same order as edf.read_edf: equal to the bit.
            np.multiply(blocks[:, offset : offset + layout.per_record].reshape(-1), gain,
                        out=data[row])
            data[row] += shift
        skip = first - first_record * layout.per_record
        return data[:, skip : skip + stop - first]

    def _changed(self, what: str) -> RecordingFileError:
        return RecordingFileError(f"{self._source} {what} while it was being read; a recorder "
                                  "must only append to its file. Export the session again.")

    def _follow(self, handle: BinaryIO, layout: _Layout, size: int, announced: int) -> None:
        """Read the annotations of the complete records not read yet."""
        header = layout.header
        on_disk = max(size - header.header_bytes, 0) // header.record_bytes
        if announced > 0:
            # A recorder may update the count before or after appending the records:
            # use only what both the count and the file size vouch for. -1 means "not known
            # yet" (EDF+); some recorders write 0 until they close the file.
            on_disk = min(on_disk, announced)
        if on_disk < self._records:
            raise self._changed("became shorter")
        self._finished = announced > 0 and on_disk == announced
        handle.seek(header.header_bytes + self._records * header.record_bytes)
        while self._records < on_disk:
            count = min(_RECORDS_PER_READ, on_disk - self._records)
            raw = handle.read(count * header.record_bytes)
            if len(raw) < count * header.record_bytes:
                raise self._changed("became shorter")
            for k in range(count):
                record = raw[k * header.record_bytes : (k + 1) * header.record_bytes]
                self._read_record(layout, record)
                self._records += 1

    def _read_record(self, layout: _Layout, record: bytes) -> None:
        """Check the time-keeping stamp of data record ``self._records``; keep its annotations."""
        index = self._records
        where = f"{self._source}: data record {index + 1}"
        stamp: int | None = None
        found: list[tuple[int, str]] = []
        for number, (offset, length) in enumerate(layout.annotations):
            for position, (onset, texts) in enumerate(_tals(record[offset : offset + length],
                                                            where)):
                if number == 0 and position == 0:
                    # The record's time-keeping TAL: an empty first text (EDF+ spec).
                    if not texts or texts[0]:
                        break
                    stamp = onset
                    texts = texts[1:]
                found += [(onset, text) for text in texts if text]
        if stamp is None:
            raise RecordingFileError(f"{where} does not start with its time-keeping annotation; "
                                     "the file is not valid EDF+ or is damaged. Export it again.")
        if self._first_stamp is None:
            self._first_stamp = stamp
        expected = self._first_stamp + round(index * layout.header.record_seconds * _TICKS_PER_S)
        if abs(stamp - expected) > _STAMP_TOLERANCE_TICKS:
            raise RecordingFileError(
                f"{where} starts at {stamp / _TICKS_PER_S:g} s but the records before it end "
                f"at {expected / _TICKS_PER_S:g} s: the recording is not continuous. Export "
                "it as continuous EDF+ (EDF+C).")
        for onset, text in found:
            try:
                item = parse_annotation(text, (onset - self._first_stamp) / _TICKS_PER_S)
            except AnnotationError as error:
                self._rejected.append(error)
                continue
            if isinstance(item, Stimulation):
                self._stimulations.append(item)
            else:
                self._notes.append(item)

    def _progress(self, layout: _Layout) -> EdfProgress:
        start = layout.header.start
        if start is not None and self._first_stamp is not None:
            # Onsets count from the first sample; so does the session clock of several files.
            start += timedelta(microseconds=self._first_stamp / 10)
        return EdfProgress(
            source=self._source, labels=layout.labels, sfreq=layout.sfreq,
            start=start if self._first_stamp is not None else None,
            records=self._records, samples=self._records * layout.per_record,
            finished=self._finished,
            stimulations=tuple(sorted(self._stimulations, key=lambda s: s.onset_s)),
            notes=tuple(self._notes), rejected=tuple(self._rejected))


__all__ = ["ANNOTATION_LABEL", "UNITS", "EdfHeader", "EdfProgress", "EdfSignal", "EdfSnapshot",
           "EdfStream", "common_rate", "field_integer", "field_number", "field_text",
           "header_length", "parse_header", "read_edf_stream", "scaling"]
