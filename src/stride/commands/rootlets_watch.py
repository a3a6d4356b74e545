"""``stride rootlets watch``: the bridge for monitoring systems that export EDF+ files.

Some monitoring systems cannot post to a live session; they write EDF+ files into a
folder instead, appending data records as they record. The bridge follows that folder:
new ``.edf`` files and files that grow (:class:`~stride.core.rootlets.edf_stream.EdfStream`).
A stimulation is sent once its samples are on disk: ``plan_windows(...).before`` samples
before the onset and ``.after`` from it on, exactly the window
:func:`~stride.core.rootlets.live.window_chunk` posts.

Several files make one session. Files are taken in order of their header start time,
then name, and a stimulation's onset on the session clock is its file's start minus the
first file's start, plus its onset in the file, so onsets keep increasing across files.

Sequence numbers (see :mod:`.device_client`) are given in the order stimulations become
complete and are written to a state file *before* posting, together with what the server
answered. The state file belongs to one target address (by default it lives in the
folder, named after a hash of the address), so that a bridge that is stopped (or killed)
and started again continues where it stopped and never sends a stimulation twice; at the
start it also asks the server which numbers it holds. A file that cannot be used (not
EDF+, damaged, other channels or rate than the session's first file) is reported once and
skipped; a file that is merely still being written is not an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from stride.commands.device_client import DeviceClient, Held, Outcome, Tally, describe
from stride.core.errors import InvalidValue, StrideError
from stride.core.json_files import read_json_object
from stride.core.rootlets.annotations import Stimulation, format_annotation
from stride.core.rootlets.config import AnalysisConfig
from stride.core.rootlets.edf_stream import EdfProgress, EdfStream
from stride.core.rootlets.errors import RecordingContentError, RecordingFileError
from stride.core.rootlets.live import window_chunk
from stride.core.rootlets.recording import Recording
from stride.core.rootlets.windows import plan_windows

#: Seconds between looks at the folder unless ``--poll`` says otherwise.
DEFAULT_POLL_S = 1.0
#: Written into the state file; another value means a file this version cannot read.
STATE_FORMAT = "stride-watch-state/1"

#: Statuses after which a stimulation is never posted again.
_DONE = frozenset({"accepted", "repeated", "held", "refused", "unsendable"})


class WatchStateError(StrideError):
    """The bridge's state file cannot be used."""

    code = "watch-state"


def default_state_path(folder: Path, url: str) -> Path:
    """The state file for ``url`` in ``folder``: one per target address."""
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return folder / f".stride-watch-{digest}.json"


@dataclass(slots=True)
class Entry:
    """One stimulation the bridge has seen complete, as kept in the state file.

    Attributes
    ----------
    file
        Name of its file in the folder.
    onset_s
        Onset in that file, seconds from its first sample.
    annotation
        Its ``STIM`` text.
    sequence
        Its sequence number, ``None`` for one that cannot be sent.
    status
        ``pending`` (numbered, not answered yet), ``accepted``, ``repeated``, ``held``
        (the server had it at the start), ``refused``, ``failed`` (tried again later) or
        ``unsendable`` (its window is not in the file).
    session_onset_s
        Onset on the session clock, seconds (what is posted).
    message
        The server's or the bridge's reason for a refusal or failure.
    """

    file: str
    onset_s: float
    annotation: str
    sequence: int | None
    status: str
    session_onset_s: float
    message: str = ""

    @property
    def key(self) -> tuple[str, float, str]:
        """What identifies the stimulation across runs: file, onset and text."""
        return (self.file, self.onset_s, self.annotation)


@dataclass(slots=True)
class SessionClock:
    """The session as fixed by its first file: start time, channels and rate."""

    start: datetime
    labels: tuple[str, ...]
    sfreq: float


class WatchState:
    """The state file: what was numbered and answered, for one target address.

    Written atomically (temporary file, fsync, rename), so that a bridge killed at any
    moment leaves either the old or the new state, never a torn one.
    """

    def __init__(self, path: Path, url: str) -> None:
        self.path = path
        self.url = url
        self.session: SessionClock | None = None
        self.next_sequence = 1
        self.entries: dict[tuple[str, float, str], Entry] = {}

    @classmethod
    def load(cls, path: Path, url: str) -> WatchState:
        """Read the state at ``path`` (a new, empty state if there is no file).

        Raises
        ------
        WatchStateError
            If the file is not a state file of this format, or belongs to another address.
        """
        state = cls(path, url)
        if not path.exists():
            return state
        data = read_json_object(path, what="the watch bridge's state",
                                example=f'{{"format": "{STATE_FORMAT}", "url": "...", ...}}',
                                error=WatchStateError)
        if data.get("format") != STATE_FORMAT:
            raise WatchStateError(f"{path} is not a state file of this Stride version (format "
                                  f"{data.get('format')!r}, expected {STATE_FORMAT!r}); give "
                                  "another --state file.")
        if data.get("url") != url:
            raise WatchStateError(f"{path} records what was sent to {data.get('url')!r}, not to "
                                  f"{url!r}; give that address with --to, or another --state "
                                  "file for this one.")
        try:
            session = data.get("session")
            if session is not None:
                state.session = SessionClock(datetime.fromisoformat(session["start"]),
                                             tuple(session["labels"]), float(session["sfreq"]))
            state.next_sequence = int(data["next_sequence"])
            for item in data["stimulations"]:
                entry = Entry(file=str(item["file"]), onset_s=float(item["onset_s"]),
                              annotation=str(item["annotation"]),
                              sequence=None if item["sequence"] is None else int(item["sequence"]),
                              status=str(item["status"]),
                              session_onset_s=float(item["session_onset_s"]),
                              message=str(item.get("message", "")))
                state.entries[entry.key] = entry
        except (KeyError, TypeError, ValueError) as error:
            raise WatchStateError(f"{path} is damaged ({type(error).__name__}: {error}). Move "
                                  "it away and start again: the bridge asks the server what it "
                                  "already holds and numbers the stimulations the same way.") \
                from None
        return state

    def save(self) -> None:
        """Write the state atomically.

        Raises
        ------
        WatchStateError
            If the file cannot be written.
        """
        session = None if self.session is None else {
            "start": self.session.start.isoformat(), "labels": list(self.session.labels),
            "sfreq": self.session.sfreq}
        data = {"format": STATE_FORMAT, "url": self.url, "session": session,
                "next_sequence": self.next_sequence,
                "stimulations": [dataclasses.asdict(e) for e in self.entries.values()]}
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            with temporary.open("w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
            _sync_folder(self.path.parent)
        except OSError as error:
            raise WatchStateError(f"Cannot write the state file {self.path}: {error.strerror}. "
                                  "Give a writable place with --state.") from None


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); other systems do without."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still atomic
    finally:
        os.close(descriptor)


@dataclass(frozen=True, slots=True)
class _Ready:
    """A complete stimulation, with what it takes to post it."""

    entry: Entry
    stimulation: Stimulation  # on the session clock
    stream: EdfStream
    progress: EdfProgress
    first: int  # sample index in its file where the window starts (the baseline)
    before: int  # samples from ``first`` to the onset
    stop: int  # sample index in its file where the window ends (exclusive)


class Watcher:
    """Follow a folder and send its stimulations; see the module docstring.

    Parameters
    ----------
    folder
        The folder the monitoring system exports ``.edf`` files to.
    client
        The session's device endpoint.
    state
        The state for this address (:meth:`WatchState.load`).
    config
        The session's analysis config (it sets the windows).
    out, err
        Where report lines go (standard output and error by default).
    """

    def __init__(self, folder: Path, client: DeviceClient, state: WatchState,
                 config: AnalysisConfig, *, out: Callable[[str], None] = print,
                 err: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        self.client = client
        self.state = state
        self.config = config
        self.out = out
        self.err = err or (lambda line: print(line, file=sys.stderr))
        self.tally = Tally()
        self.held = Held()
        self.skipped_files: dict[str, str] = {}
        self.unsendable: list[str] = []
        self.rejected: list[str] = []
        self.waiting = 0
        self._streams: dict[str, EdfStream] = {}
        self._already: set[tuple[str, float, str]] = set()

    def start(self) -> None:
        """Ask the server what it holds; mark numbered stimulations it has as held.

        Raises
        ------
        TokenRefused, ServerUnreachable, ProtocolError
            As :meth:`DeviceClient.held`.
        """
        self.held = self.client.held()
        changed = False
        for entry in self.state.entries.values():
            if entry.status not in _DONE and entry.sequence in self.held:
                entry.status = "held"
                changed = True
        if changed:
            self.state.save()

    def run_once(self) -> None:
        """Look at the folder once: read what was added, number and post what is complete.

        Posting stops at the first stimulation that fails (server unreachable after every
        retry), so that none overtakes it; the next look tries it again.
        """
        progresses = self._read_files()
        if not progresses:
            return
        session = self.state.session
        if session is None:
            start, _, first = progresses[0]
            session = self.state.session = SessionClock(start, first.labels, first.sfreq)
            self.state.save()
        ready = self._complete(session, progresses)
        if any(item.entry.status == "new" for item in ready):
            for item in ready:
                if item.entry.status == "new":
                    item.entry.sequence = self.state.next_sequence
                    item.entry.status = "pending"
                    self.state.next_sequence += 1
            self.state.save()  # numbers on disk before anything is posted with them
        for item in ready:
            if not self._post(item):
                break

    def summary_lines(self) -> list[str]:
        """The summary: counts, then what could not be sent and why."""
        self.tally.held = len(self._already)
        lines = [self.tally.summary()]
        if self.waiting:
            lines.append(f"Waiting for samples: {self.waiting} stimulation(s) not complete on "
                         "disk yet.")
        lines += [f"Skipped {name}: {message}" for name, message in self.skipped_files.items()]
        lines += [f"Not sent: {message}" for message in self.unsendable + self.rejected]
        return lines

    @property
    def ok(self) -> bool:
        """Whether nothing was refused, failed, skipped or left unsendable in this run."""
        return self.tally.ok and not (self.skipped_files or self.unsendable or self.rejected)

    # --- one look at the folder ------------------------------------------------------

    def _read_files(self) -> list[tuple[datetime, str, EdfProgress]]:
        """Poll every usable ``.edf`` file; return (start, name, progress) in session order."""
        try:
            names = sorted(p.name for p in self.folder.iterdir()
                           if p.suffix.lower() == ".edf" and p.is_file())
        except OSError as error:
            raise StrideError(f"Cannot read the folder {self.folder}: {error.strerror}. Give "
                              "the folder the monitoring system exports to.",
                              code="watch-folder") from None
        found: list[tuple[datetime, str, EdfProgress]] = []
        for name in names:
            if name in self.skipped_files:
                continue
            stream = self._streams.setdefault(name, EdfStream(self.folder / name))
            try:
                progress = stream.poll()
            except (RecordingFileError, RecordingContentError) as error:
                self._skip(name, error.message)
                continue
            if progress is None or progress.records == 0:
                continue  # the header only, so far
            if progress.start is None:
                self._skip(name, "its header has no readable start date and time; the bridge "
                                 "orders a session's files by it. Export the file with the "
                                 "recording's date and time.")
                continue
            found.append((progress.start, name, progress))
        found.sort(key=lambda item: (item[0], item[1]))
        return found

    def _skip(self, name: str, message: str) -> None:
        self.skipped_files[name] = message
        self._streams.pop(name, None)
        self.err(f"skipped {name}: {message}")

    def _complete(self, session: SessionClock,
                  progresses: list[tuple[datetime, str, EdfProgress]]) -> list[_Ready]:
        """The stimulations to post now, in order; new ones have status ``new``."""
        ready: list[_Ready] = []
        self.waiting = 0
        for start, name, progress in progresses:
            if (progress.labels, progress.sfreq) != (session.labels, session.sfreq):
                self._skip(name, f"its channels ({', '.join(progress.labels)}) at "
                                 f"{progress.sfreq:g} Hz differ from the session's first file "
                                 f"({', '.join(session.labels)} at {session.sfreq:g} Hz); one "
                                 "session keeps one montage and rate. Start a new session for "
                                 "it.")
                continue
            for error in progress.rejected:
                message = f"{name}: {error.message}"
                if message not in self.rejected:
                    self.rejected.append(message)
                    self.err(f"not sent: {message}")
            offset_s = (start - session.start).total_seconds()
            stream = self._streams[name]
            for stimulation in progress.stimulations:
                item = self._place(name, offset_s, progress, stream, stimulation)
                if item is not None:
                    ready.append(item)
        return ready

    def _place(self, name: str, offset_s: float, progress: EdfProgress, stream: EdfStream,
               stimulation: Stimulation) -> _Ready | None:
        """Return the stimulation if it is to be posted now; note it otherwise."""
        try:
            text = format_annotation(stimulation)
            problem: str | None = None
        except InvalidValue as error:
            text = f"STIM {stimulation.rootlet} {stimulation.mode} {stimulation.current_ma}mA"
            problem = error.message
        key = (name, stimulation.onset_s, text)
        entry = self.state.entries.get(key)
        if entry is not None and entry.status in _DONE:
            if entry.status != "unsendable":
                self._already.add(key)
            return None
        on_session = dataclasses.replace(stimulation, onset_s=offset_s + stimulation.onset_s)
        window = problem or self._window(progress, stimulation)
        if isinstance(window, str):
            entry = Entry(name, stimulation.onset_s, text, None, "unsendable",
                          on_session.onset_s, window)
            self.state.entries[key] = entry
            self.state.save()
            message = f"{name}: '{text}' at {stimulation.onset_s:.3f} s: {window}"
            self.unsendable.append(message)
            self.err(f"not sent: {message}")
            return None
        if window is None:
            self.waiting += 1
            return None
        if entry is None:
            entry = Entry(name, stimulation.onset_s, text, None, "new", on_session.onset_s)
            self.state.entries[key] = entry
        first, before, stop = window
        return _Ready(entry, on_session, stream, progress, first, before, stop)

    def _window(self, progress: EdfProgress,
                stimulation: Stimulation) -> tuple[int, int, int] | str | None:
        """The window in the file as (first sample, samples before the onset, stop);
        ``None`` while it is not on disk yet; a reason when it never will be."""
        try:
            plan = plan_windows(stimulation, progress.sfreq, self.config)
        except InvalidValue as error:
            return error.message
        onset = round(stimulation.onset_s * progress.sfreq)
        first, stop = onset - plan.before, onset + plan.after
        if first < 0:
            return (f"its baseline would start {-first / progress.sfreq * 1000:.0f} ms before "
                    "the file does; the recording must start at least "
                    f"{plan.before / progress.sfreq * 1000:.0f} ms before a stimulation.")
        if stop > progress.samples:
            if progress.finished:
                return (f"the file ends at {progress.complete_s:.3f} s, before its window "
                        f"does ({stop / progress.sfreq:.3f} s).")
            return None
        return first, plan.before, stop

    def _post(self, item: _Ready) -> bool:
        """Post one numbered stimulation; return False if it failed (stop for now)."""
        entry = item.entry
        sequence = entry.sequence
        if sequence is None:  # numbered by run_once before any post
            raise RuntimeError(f"{entry.key} was not numbered before posting")
        if entry.file in self.skipped_files:
            return True  # its file became unreadable during this look; reported once
        if sequence in self.held:
            entry.status = "held"
            self.state.save()
            self._already.add(entry.key)
            return True
        try:
            samples = item.stream.samples(item.first, item.stop)
        except RecordingFileError as error:
            self._skip(entry.file, error.message)
            return True
        # A recording of just the window whose clock puts the onset ``before`` samples in:
        # window_chunk then cuts exactly these samples and posts the session-clock onset.
        window = Recording(labels=item.progress.labels, data=samples, sfreq=item.progress.sfreq,
                           stimulations=(item.stimulation,), notes=(),
                           start_s=item.stimulation.onset_s - item.before / item.progress.sfreq,
                           source=item.progress.source)
        body = window_chunk(window, item.stimulation, self.config)
        result = self.client.post(body, sequence)
        entry.status = result.outcome.value
        entry.message = result.error
        self.state.save()
        self.tally.outcomes[sequence] = result.outcome
        line = describe(result, sequence, body["annotation"], item.stimulation.onset_s)
        if result.outcome in (Outcome.ACCEPTED, Outcome.REPEATED):
            self.out(line)
        else:
            self.err(line)
        return result.outcome is not Outcome.FAILED


def watch_folder(folder: Path, *, client: DeviceClient, state_path: Path | None,
                 config: AnalysisConfig, poll_s: float = DEFAULT_POLL_S, once: bool = False,
                 out: Callable[[str], None] = print,
                 err: Callable[[str], None] | None = None) -> int:
    """Run the bridge; return the exit status.

    With ``once`` the folder is looked at once and the status is 0 only when nothing was
    refused, failed, skipped or found unsendable. Otherwise the folder is looked at every
    ``poll_s`` seconds until Ctrl-C, which prints the summary and returns 0.

    Raises
    ------
    StrideError
        If the folder is missing, the state file unusable, or the server refuses the token
        or cannot say what it holds (the summary so far is printed first once running).
    """
    if not folder.is_dir():
        raise StrideError(f"{folder}: no such folder. Give the folder the monitoring system "
                          "exports its EDF+ files to.", code="watch-folder")
    state = WatchState.load(state_path or default_state_path(folder, client.url), client.url)
    watcher = Watcher(folder, client, state, config, out=out, err=err)
    if not once:
        out(f"Watching {folder} for EDF+ files, sending to {client.url} (state: "
            f"{state.path}). Ctrl-C stops.")
    try:
        watcher.start()
        while True:
            watcher.run_once()
            if once:
                break
            client.sleep(poll_s)
    except KeyboardInterrupt:
        for line in watcher.summary_lines():
            out(line)
        return 0
    except StrideError:
        for line in watcher.summary_lines():
            out(line)
        raise
    for line in watcher.summary_lines():
        out(line)
    return 0 if watcher.ok else 1
