"""``stride rootlets replay``: stream a recording to a live session, stimulation by stimulation.

For rehearsal, demos and tests: each stimulation's window is posted to the session's
device endpoint when it would have ended in the recording (``--speed 2`` twice as fast,
``--speed 0`` as fast as the server answers), numbered by its place in the recording
(``sequence`` 1, 2, …; see :mod:`.device_client`). At the start the server is asked which
numbers it already stores, and those are skipped, so a replay that was stopped can simply
be run again: nothing is sent twice. Busy or unreachable servers are retried with
back-off; a refused chunk is printed with the server's message and the replay goes on (as
the session does); a refused token stops it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from stride.commands.device_client import DeviceClient, Outcome, Tally, TokenRefused, describe
from stride.core.rootlets import AnalysisConfig, Recording
from stride.core.rootlets.live import window_chunk
from stride.core.rootlets.windows import plan_windows


@dataclass(frozen=True, slots=True)
class ReplayOutcome:
    """What a replay did; ``tally`` holds the counts of its summary line."""

    tally: Tally

    @property
    def accepted(self) -> int:
        """Stimulations the server stored in this run (201)."""
        return self.tally.count(Outcome.ACCEPTED)

    @property
    def refused(self) -> int:
        """Stimulations the server refused (400, 409, 413, …)."""
        return self.tally.count(Outcome.REFUSED)


def replay(recording: Recording, *, client: DeviceClient, speed: float,
           config: AnalysisConfig, out: Callable[[str], None] = print,
           err: Callable[[str], None] | None = None,
           clock: Callable[[], float] = time.monotonic) -> ReplayOutcome:
    """Post every stimulation of ``recording`` the server does not hold yet, in time.

    Stimulation ``k`` of the recording (1-based, in onset order) is sequence number ``k``.
    The first stimulation sent is posted when its window has ended (its ``after`` samples
    past the onset), each later one that much later than the first as in the recording,
    divided by ``speed`` (0: no waiting). Waiting uses the client's ``sleep``.

    Returns
    -------
    ReplayOutcome
        Counts of accepted, repeated, skipped, refused and failed stimulations.

    Raises
    ------
    TokenRefused
        If the server refuses the token (the summary so far is printed first).
    ServerUnreachable, ProtocolError
        If the server cannot say which stimulations it holds.
    """
    report = err or (lambda line: print(line, file=sys.stderr))
    held = client.held()
    tally = Tally()
    pending = [(number, stimulation)
               for number, stimulation in enumerate(recording.stimulations, start=1)
               if number not in held]
    tally.held = len(recording.stimulations) - len(pending)
    started = clock()
    first = pending[0][1].onset_s if pending else 0.0
    try:
        for sequence, stimulation in pending:
            plan = plan_windows(stimulation, recording.sfreq, config)
            due = stimulation.onset_s - first + plan.after / recording.sfreq
            if speed > 0:
                client.sleep(max(0.0, due / speed - (clock() - started)))
            body = window_chunk(recording, stimulation, config)
            result = client.post(body, sequence)
            tally.outcomes[sequence] = result.outcome
            line = describe(result, sequence, body["annotation"], stimulation.onset_s)
            if result.outcome in (Outcome.ACCEPTED, Outcome.REPEATED):
                out(line)
            else:
                report(line)
    except TokenRefused:
        out(tally.summary())
        raise
    return ReplayOutcome(tally)
