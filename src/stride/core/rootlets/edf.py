"""Reading and writing EDF+ recordings (recording spec, "EDF+").

Reading checks the file in this order, so each fault gets its own message: an EDF header
at all, the file size against the header (truncated files), continuous EDF+ (``EDF+C``)
with an annotation signal, then per channel its samples, sampling rate (one rate, at
least 2000 Hz) and physical dimension (``uV`` or ``mV``). pyedflib reads the annotations
(``STIM`` texts and notes) and confirms the header; the samples themselves are decoded
with numpy straight from the data records, whose layout the header fixes, because
pyedflib's per-channel reading took about 0.6 s for a 3-minute 17-channel 10 kHz session
and the whole analysis has to fit in a second. The header parsing, the rate check and the
scaling are shared with :mod:`.edf_stream` (files still being written), which differs
only in accepting a header whose record count is not on disk yet.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyedflib
from numpy.typing import NDArray

from stride.core.rootlets.annotations import Note, Stimulation, parse_annotation
from stride.core.rootlets.edf_stream import (
    ANNOTATION_LABEL,
    FIXED_BYTES,
    EdfHeader,
    EdfSignal,
    common_rate,
    header_length,
    parse_header,
    scaling,
)
from stride.core.rootlets.errors import RecordingContentError, RecordingFileError
from stride.core.rootlets.recording import Recording, make_recording


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
    emg = [s for s in header.signals if s.label != ANNOTATION_LABEL]
    if not emg:
        raise RecordingContentError(f"{source}: the file has no EMG signals.")
    sfreq = common_rate(emg, header, source)
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


def _read_header(path: Path) -> EdfHeader:
    """Parse the header (shared with :mod:`.edf_stream`) and check it against the file size.

    A finished file must hold exactly the records its header announces; a file that is
    still being written is :mod:`.edf_stream`'s business.
    """
    source = str(path)
    try:
        with path.open("rb") as handle:
            fixed = handle.read(FIXED_BYTES)
            rest = handle.read(header_length(fixed, source) - FIXED_BYTES)
        size = path.stat().st_size
    except OSError as error:
        raise RecordingFileError(f"Cannot read {source}: {error.strerror}.") from None
    header = parse_header(fixed + rest, source)
    records = header.records
    if records <= 0:
        raise RecordingContentError(f"{source}: the file holds no data records (empty "
                                    "recording).")
    expected = header.header_bytes + records * header.record_bytes
    if size != expected:
        raise RecordingFileError(
            f"{source}: the file has {size} bytes but its header announces {records} records "
            f"({expected} bytes): it is truncated or damaged. Export it again."
        )
    return header


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


def _decode(path: Path, header: EdfHeader, emg: list[EdfSignal]) -> NDArray[np.float64]:
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
        if signal.label != ANNOTATION_LABEL:
            gain, shift = scaling(signal, source)
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
