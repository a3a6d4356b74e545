"""Open a session from a path: an EDF+ file or a CSV folder."""

from __future__ import annotations

from pathlib import Path

from stride.core.rootlets.csv_folder import read_csv_folder
from stride.core.rootlets.edf import read_edf
from stride.core.rootlets.errors import RecordingFileError
from stride.core.rootlets.recording import Recording


def read_recording(path: Path) -> Recording:
    """Read the session at ``path``: a folder is the CSV form, a file must be EDF+.

    Raises
    ------
    RecordingFileError
        If nothing exists at ``path``; the readers raise the rest.
    """
    if path.is_dir():
        return read_csv_folder(path)
    if not path.exists():
        raise RecordingFileError(f"{path}: no such file or folder. Give an EDF+ file or a CSV "
                                 "folder with signals.csv and events.csv.")
    return read_edf(path)
