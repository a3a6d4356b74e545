"""Reading and writing EDF+ recordings (recording spec, "EDF+").

Reading checks the file in this order, so each fault gets its own message: an EDF header
at all, the file size against the header (truncated files), continuous EDF+ (``EDF+C``)
with an annotation signal, then per channel its samples, sampling rate (one rate, at
least 2000 Hz) and physical dimension (``uV`` or ``mV``). pyedflib reads the annotations
(``STIM`` texts and notes) and confirms the header; the samples themselves are decoded
with numpy straight from the data records, whose layout the header fixes, because
pyedflib's per-channel reading took about 0.6 s for a 3-minute 17-channel 10 kHz session
and the whole analysis has to fit in a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyedflib
from numpy.typing import NDArray

from stride.core.rootlets.annotations import Note, Stimulation, parse_annotation
from stride.core.rootlets.errors import RecordingContentError, RecordingFileError
from stride.core.rootlets.recording import Recording, make_recording

_ANNOTATION_LABEL = "EDF Annotations"
_UNITS = {"uV": 1e-6, "µV": 1e-6, "mV": 1e-3}


@dataclass(frozen=True, slots=True)
class _Signal:
    label: str
    dimension: str
    physical_min: float
    physical_max: float
    digital_min: int
    digital_max: int
    samples_per_record: int


@dataclass(frozen=True, slots=True)
class _Header:
    header_bytes: int
    kind: str
    records: int
    record_seconds: float
    signals: tuple[_Signal, ...]


def read_edf(path: Path) -> Recording:
    """Read an EDF+ session file.

    Parameters
    ----------
    path
        The ``.edf`` file.

    Returns
    -------
    Recording
        Samples in volts, the stimulations from ``STIM`` annotations, other annotations as
        notes.

    Raises
    ------
    RecordingFileError
        Missing, unreadable, not EDF, truncated, or not continuous EDF+.
    RecordingContentError
        Mixed or too low sampling rates, empty channels, unknown units.
    AnnotationError
        An annotation starts with ``STIM`` but does not parse (quoted in the message).
    """
    source = str(path)
    header = _read_header(path)
    emg = [s for s in header.signals if s.label != _ANNOTATION_LABEL]
    if not emg:
        raise RecordingContentError(f"{source}: the file has no EMG signals.")
    sfreq = _common_rate(emg, header, source)
    texts = _read_annotations(path, [s.label for s in emg])
    data = _decode(path, header, emg)
    events: list[Stimulation] = []
    notes: list[Note] = []
    for onset_s, text in texts:
        item = parse_annotation(text, onset_s)
        if isinstance(item, Stimulation):
            events.append(item)
        else:
            notes.append(item)
    return make_recording(labels=[s.label for s in emg], data=data, sfreq=sfreq,
                          stimulations=events, notes=notes, source=source)


def _field(raw: bytes, source: str, name: str) -> str:
    try:
        return raw.decode("ascii").strip()
    except UnicodeDecodeError:
        raise RecordingFileError(f"{source}: header field '{name}' is not ASCII; the file is "
                                 "not a valid EDF+ file.") from None


def _number(raw: bytes, source: str, name: str) -> float:
    text = _field(raw, source, name)
    try:
        value = float(text)
    except ValueError:
        raise RecordingFileError(f"{source}: header field '{name}' is {text!r}, not a number; "
                                 "the file is not a valid EDF+ file.") from None
    if not math.isfinite(value):
        raise RecordingFileError(f"{source}: header field '{name}' is {text!r}.")
    return value


def _read_header(path: Path) -> _Header:
    source = str(path)
    try:
        with path.open("rb") as handle:
            fixed = handle.read(256)
            if len(fixed) < 256 or fixed[:8] != b"0       ":
                raise RecordingFileError(
                    f"{source}: not an EDF file (no EDF header). Export the session as EDF+ or "
                    "use the CSV folder form."
                )
            count = int(_number(fixed[252:256], source, "number of signals"))
            if count < 1:
                raise RecordingFileError(f"{source}: the header lists no signals.")
            block = handle.read(256 * count)
        size = path.stat().st_size
    except OSError as error:
        raise RecordingFileError(f"Cannot read {source}: {error.strerror}.") from None
    if len(block) < 256 * count:
        raise RecordingFileError(f"{source}: the header is cut short (truncated file).")
    header_bytes = int(_number(fixed[184:192], source, "header bytes"))
    kind = _field(fixed[192:236], source, "reserved")
    records = int(_number(fixed[236:244], source, "number of data records"))
    seconds = _number(fixed[244:252], source, "record duration")

    def column(offset: int, width: int, name: str) -> list[bytes]:
        start = offset * count
        return [block[start + i * width : start + (i + 1) * width] for i in range(count)]

    labels = column(0, 16, "label")
    dims = column(96, 8, "physical dimension")
    pmins, pmaxs = column(104, 8, "physical minimum"), column(112, 8, "physical maximum")
    dmins, dmaxs = column(120, 8, "digital minimum"), column(128, 8, "digital maximum")
    spr = column(216, 8, "samples per record")
    signals = tuple(
        _Signal(
            label=_field(labels[i], source, "label"),
            dimension=_field(dims[i], source, "physical dimension"),
            physical_min=_number(pmins[i], source, "physical minimum"),
            physical_max=_number(pmaxs[i], source, "physical maximum"),
            digital_min=int(_number(dmins[i], source, "digital minimum")),
            digital_max=int(_number(dmaxs[i], source, "digital maximum")),
            samples_per_record=int(_number(spr[i], source, "samples per record")),
        )
        for i in range(count)
    )
    if header_bytes != 256 * (count + 1):
        raise RecordingFileError(f"{source}: the header size {header_bytes} does not match its "
                                 f"{count} signals; the file is damaged.")
    if not kind.startswith("EDF+"):
        raise RecordingFileError(f"{source}: plain EDF, not EDF+: it cannot carry the STIM "
                                 "annotations. Export the session as EDF+ (EDF+C).")
    if kind.startswith("EDF+D"):
        raise RecordingFileError(f"{source}: discontinuous EDF+ (EDF+D); export the session as "
                                 "continuous EDF+ (EDF+C).")
    if records <= 0:
        raise RecordingContentError(f"{source}: the file holds no data records (empty "
                                    "recording).")
    record_bytes = 2 * sum(s.samples_per_record for s in signals)
    expected = header_bytes + records * record_bytes
    if size != expected:
        raise RecordingFileError(
            f"{source}: the file has {size} bytes but its header announces {records} records "
            f"({expected} bytes): it is truncated or damaged. Export it again."
        )
    return _Header(header_bytes, kind, records, seconds, signals)


def _common_rate(signals: list[_Signal], header: _Header, source: str) -> float:
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


def _read_annotations(path: Path, labels: list[str]) -> list[tuple[float, str]]:
    source = str(path)
    try:
        reader = pyedflib.EdfReader(source)
    except OSError as error:
        raise RecordingFileError(f"{source}: pyedflib cannot read the file ({error}).") from None
    try:
        if [label.strip() for label in reader.getSignalLabels()] != labels:
            raise RecordingFileError(f"{source}: the signal list is inconsistent; the file is "
                                     "damaged.")
        onsets, _durations, texts = reader.readAnnotations()
    finally:
        reader.close()
    return [(float(onset), str(text)) for onset, text in zip(onsets, texts, strict=True)]


def _decode(path: Path, header: _Header, emg: list[_Signal]) -> NDArray[np.float64]:
    source = str(path)
    record_length = sum(s.samples_per_record for s in header.signals)
    raw = np.fromfile(path, dtype="<i2", offset=header.header_bytes)
    blocks = raw.reshape(header.records, record_length)
    per_channel = emg[0].samples_per_record
    data = np.empty((len(emg), header.records * per_channel), dtype=np.float64)
    offset = 0
    row = 0
    for signal in header.signals:
        width = signal.samples_per_record
        if signal.label != _ANNOTATION_LABEL:
            scale = _UNITS.get(signal.dimension)
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
            np.multiply(blocks[:, offset : offset + width].reshape(-1), gain, out=data[row])
            data[row] += shift
            row += 1
        offset += width
    return data


def write_edf(recording: Recording, path: Path, *, patient_code: str = "SYNTHETIC",
              note: str = "") -> None:
    """Write ``recording`` as EDF+C with one ``STIM`` annotation per stimulation.

    Samples are written in µV with a symmetric physical range just wider than the data
    (16-bit). The data are padded with zeros to whole one-second records. ``patient_code``
    and ``note`` go into the header (synthetic files say so there).

    Raises
    ------
    RecordingFileError
        If the file cannot be written or the rate is not a whole number of Hz.
    """
    sfreq = recording.sfreq
    if sfreq != int(sfreq):
        raise RecordingFileError(f"{path}: EDF+ needs a whole number of samples per second; "
                                 f"got {sfreq:g} Hz.")
    per_record = int(sfreq)
    samples = recording.data.shape[1]
    records = math.ceil(samples / per_record)
    padded = np.zeros((len(recording.labels), records * per_record))
    padded[:, :samples] = recording.data / 1e-6
    limit = float(math.ceil(np.abs(padded).max() * 1.01 + 1.0))
    annotations = [(s.onset_s - recording.start_s, s.text) for s in recording.stimulations]
    annotations += [(n.onset_s - recording.start_s, n.text) for n in recording.notes]
    slots = min(64, max(1, math.ceil(len(annotations) / records) + 1))
    try:
        writer = pyedflib.EdfWriter(str(path), len(recording.labels),
                                    file_type=pyedflib.FILETYPE_EDFPLUS)
    except OSError as error:
        raise RecordingFileError(f"Cannot write {path}: {error}.") from None
    try:
        writer.setPatientCode(patient_code)
        if note:
            writer.setRecordingAdditional(note[:30])
        writer.setSignalHeaders([
            {"label": label, "dimension": "uV", "sample_frequency": per_record,
             "physical_max": limit, "physical_min": -limit, "digital_max": 32767,
             "digital_min": -32768, "transducer": "", "prefilter": ""}
            for label in recording.labels
        ])
        writer.set_number_of_annotation_signals(slots)
        writer.writeSamples(list(padded))
        for onset, text in sorted(annotations):
            writer.writeAnnotation(onset, -1, text)
    finally:
        writer.close()
