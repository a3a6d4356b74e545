"""Domain errors of the rootlet engine, each with a stable code.

Every message names what was wrong, where (file, channel, annotation, row) and how to
fix it; the command line prints it as one line. Bad values of a single field use
:class:`stride.core.errors.InvalidValue` instead.
"""

from __future__ import annotations

from stride.core.errors import StrideError


class RecordingFileError(StrideError):
    """A recording file or folder is missing, unreadable, truncated or not in the format."""

    code = "recording-file"


class RecordingContentError(StrideError):
    """A readable recording breaks the format: sampling rates, units, empty channels."""

    code = "recording-content"


class UnknownChannel(StrideError):
    """A channel label is neither in the montage nor the default map."""

    code = "unknown-channel"


class MontageError(StrideError):
    """A montage file or mapping does not have the shape the spec fixes."""

    code = "montage"


class AnnotationError(StrideError):
    """A ``STIM`` annotation or ``events.csv`` row cannot be parsed; the text is quoted."""

    code = "unparseable-stimulation"


class StimulationOutsideRecording(StrideError):
    """A stimulation needs samples before the start or past the end of the recording."""

    code = "stimulation-outside-recording"


class OverlappingStimulations(StrideError):
    """Two stimulations are so close that the analysis windows of one overlap the other."""

    code = "overlapping-stimulations"


class StimulationWindowError(StrideError):
    """The samples handed to the per-stimulation measurement do not cover its windows."""

    code = "stimulation-window"


class RuleSetError(StrideError):
    """A grading rule set is unknown or lacks what it needs (e.g. target muscles)."""

    code = "rule-set"


class SessionConfigError(StrideError):
    """A session config file is missing, not JSON, or not a JSON object."""

    code = "session-config"
