"""Reading and writing the CSV folder form (recording spec, "CSV").

A folder holds ``signals.csv`` (``time_s`` then one column per channel label, values in
µV, evenly spaced rows) and ``events.csv``
(``onset_s,root,side,rootlet,mode,current_ma,rate_hz,duration_s``; rate and duration
empty for a single pulse, and for a train they default to 50 Hz and 1.0 s).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from stride.core.rootlets.annotations import Mode, Stimulation, make_stimulation
from stride.core.rootlets.errors import AnnotationError, RecordingContentError, RecordingFileError
from stride.core.rootlets.recording import Recording, make_recording

SIGNALS = "signals.csv"
EVENTS = "events.csv"
EVENT_COLUMNS = ("onset_s", "root", "side", "rootlet", "mode", "current_ma", "rate_hz",
                 "duration_s")
_UV = 1e-6


def read_csv_folder(folder: Path) -> Recording:
    """Read a session in the CSV folder form.

    Returns
    -------
    Recording
        Samples in volts; ``start_s`` is the first ``time_s``.

    Raises
    ------
    RecordingFileError
        If the folder or a file is missing or unreadable, or a header is wrong.
    RecordingContentError
        Uneven or too slow time steps, empty channels, values that are not numbers.
    AnnotationError
        A row of ``events.csv`` that does not describe a stimulation (row quoted).
    """
    if not folder.is_dir():
        raise RecordingFileError(f"{folder}: not a folder. The CSV form is a folder with "
                                 f"{SIGNALS} and {EVENTS}.")
    labels, times, data = _read_signals(folder / SIGNALS)
    source = str(folder)
    if times.size < 2:
        raise RecordingContentError(f"{folder / SIGNALS}: needs at least two rows of samples.")
    steps = np.diff(times)
    step = float(np.median(steps))
    if step <= 0 or np.max(np.abs(steps - step)) > 0.01 * step:
        bad = int(np.argmax(np.abs(steps - step))) + 3  # +1 header, +1 diff, +1 one-based
        raise RecordingContentError(
            f"{folder / SIGNALS}: time_s is not evenly spaced (row {bad}); every row must be one "
            "sample period after the previous one."
        )
    sfreq = round((times.size - 1) / float(times[-1] - times[0]), 3)
    stimulations = _read_events(folder / EVENTS)
    return make_recording(labels=labels, data=data * _UV, sfreq=sfreq,
                          stimulations=stimulations, start_s=float(times[0]), source=source)


def _open_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RecordingFileError(f"{path}: missing. The CSV form needs {SIGNALS} and "
                                 f"{EVENTS} in the folder.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RecordingFileError(f"Cannot read {path}: {error}.") from None


def _read_signals(path: Path) -> tuple[list[str], NDArray[np.float64], NDArray[np.float64]]:
    text = _open_text(path)
    lines = text.splitlines()
    if not lines:
        raise RecordingFileError(f"{path}: empty file.")
    header = next(csv.reader([lines[0]]))
    if not header or header[0].strip() != "time_s" or len(header) < 2:
        raise RecordingFileError(f"{path}: the first column must be 'time_s', followed by one "
                                 "column per channel label.")
    labels = [label.strip() for label in header[1:]]
    if not any(line.strip() for line in lines[1:]):
        raise RecordingContentError(f"{path}: no samples; every channel is empty.")
    try:
        table = np.loadtxt(lines[1:], delimiter=",", dtype=np.float64, ndmin=2)
    except ValueError:
        _explain_bad_cell(path, lines, header)
        raise  # pragma: no cover - _explain_bad_cell always raises
    if table.shape[1] != len(header):
        raise RecordingContentError(f"{path}: rows have {table.shape[1]} values but the header "
                                    f"names {len(header)} columns.")
    return labels, table[:, 0], np.ascontiguousarray(table[:, 1:].T)


def _explain_bad_cell(path: Path, lines: list[str], header: list[str]) -> None:
    """Raise an error naming the first empty column or bad cell of ``signals.csv``."""
    rows = list(csv.reader(lines[1:]))
    for column, label in enumerate(header):
        if rows and all(column >= len(row) or not row[column].strip() for row in rows):
            raise RecordingContentError(f"{path}: channel {label.strip()} is empty (no values).")
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise RecordingContentError(f"{path}: row {number} has {len(row)} values; the header "
                                        f"names {len(header)} columns.")
        for column, cell in enumerate(row):
            try:
                float(cell)
            except ValueError:
                raise RecordingContentError(
                    f"{path}: row {number}, column {header[column].strip()}: {cell!r} is not a "
                    "number (values are µV)."
                ) from None
    raise RecordingContentError(f"{path}: cannot read the samples.")


def _read_events(path: Path) -> list[Stimulation]:
    reader = csv.DictReader(_open_text(path).splitlines())
    columns = tuple(name.strip() for name in reader.fieldnames or ())
    if columns != EVENT_COLUMNS:
        raise RecordingFileError(f"{path}: the header must be {','.join(EVENT_COLUMNS)}; "
                                 f"found {','.join(columns) or 'nothing'}.")
    events = []
    for number, row in enumerate(reader, start=2):
        where = f"{path.name} row {number} ({','.join((v or '') for v in row.values())})"
        cells = {key.strip(): (value or "").strip() for key, value in row.items() if key}
        events.append(make_stimulation(
            onset_s=_float(cells["onset_s"], "onset_s", where),
            root=cells["root"],
            side=cells["side"],
            number=int(_float(cells["rootlet"], "rootlet", where, whole=True)),
            mode=cells["mode"],
            current_ma=_float(cells["current_ma"], "current_ma", where),
            rate_hz=_float(cells["rate_hz"], "rate_hz", where) if cells["rate_hz"] else None,
            duration_s=(_float(cells["duration_s"], "duration_s", where)
                        if cells["duration_s"] else None),
            where=where,
        ))
    return events


def _float(text: str, column: str, where: str, *, whole: bool = False) -> float:
    try:
        value = float(text)
    except ValueError:
        raise AnnotationError(f"Cannot use the stimulation {where}: {column} {text!r} is not a "
                              "number.") from None
    if whole and (not math.isfinite(value) or value != int(value)):
        raise AnnotationError(f"Cannot use the stimulation {where}: {column} {text!r} is not a "
                              "whole number.")
    return value


def write_csv_folder(recording: Recording, folder: Path) -> None:
    """Write ``recording`` in the CSV folder form (µV, full float precision)."""
    folder.mkdir(parents=True, exist_ok=True)
    times = recording.start_s + np.arange(recording.data.shape[1]) / recording.sfreq
    table = np.column_stack([times, recording.data.T / _UV])
    np.savetxt(folder / SIGNALS, table, delimiter=",", fmt="%.10g",
               header=",".join(("time_s", *recording.labels)), comments="")
    with (folder / EVENTS).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EVENT_COLUMNS)
        for s in recording.stimulations:
            train = s.mode is Mode.TRAIN
            writer.writerow([repr(s.onset_s), s.rootlet.root.value, s.rootlet.side.value,
                             s.rootlet.number, s.mode.value, repr(s.current_ma),
                             repr(s.rate_hz) if train else "", repr(s.duration_s) if train else ""])
