"""``stride rootlets replay``: stream a recording to a live session, stimulation by stimulation.

For rehearsal, demos and tests: each stimulation's window is posted to the session's
device endpoint when it would have ended in the recording (``--speed 2`` twice as fast,
``--speed 0`` as fast as the server answers). Only the standard library speaks HTTP.
A refused chunk is printed with the server's message and the replay goes on (as the
session does); a refused token stops it.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from stride.core.errors import StrideError
from stride.core.rootlets import AnalysisConfig, Recording
from stride.core.rootlets.live import window_chunk
from stride.core.rootlets.windows import plan_windows

#: Seconds to wait for the server's answer to one post.
TIMEOUT_S = 30.0


@dataclass(frozen=True, slots=True)
class ReplayOutcome:
    """How many stimulations were accepted and refused."""

    accepted: int
    refused: int


def post_chunk(url: str, token: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    """Post ``body`` as JSON; return the status and the JSON answer (errors included)."""
    request = urllib.request.Request(  # noqa: S310  (the URL's scheme is checked by replay)
        url, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json",
                 "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            answer = json.loads(error.read() or b"{}")
        except ValueError:
            answer = {"error": f"HTTP {error.code} {error.reason}"}
        return error.code, answer if isinstance(answer, dict) else {"error": str(answer)}


def replay(recording: Recording, *, url: str, token: str, speed: float,
           config: AnalysisConfig, out: Callable[[str], None] = print,
           sleep: Callable[[float], None] = time.sleep) -> ReplayOutcome:
    """Post every stimulation of ``recording`` to ``url`` in time; return the counts.

    Raises
    ------
    StrideError
        If the URL is not http(s), the server cannot be reached, or the token is refused.
    """
    if not url.startswith(("http://", "https://")):
        raise StrideError(f"The address {url!r} must start with http:// or https://.",
                          code="replay-url")
    accepted = refused = 0
    started = time.monotonic()
    first = recording.stimulations[0].onset_s if recording.stimulations else 0.0
    for stimulation in recording.stimulations:
        plan = plan_windows(stimulation, recording.sfreq, config)
        due = (stimulation.onset_s - first + plan.after / recording.sfreq)
        if speed > 0:
            sleep(max(0.0, due / speed - (time.monotonic() - started)))
        body = window_chunk(recording, stimulation, config)
        try:
            status, answer = post_chunk(url, token, body)
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise StrideError(f"Cannot reach {url}: {reason}. Is the server running?",
                              code="replay-unreachable") from None
        if status == 401:
            raise StrideError(f"The server refused the token: {answer.get('error')} Copy the "
                              "token shown when the session was started.", code="replay-token")
        if 200 <= status < 300:
            accepted += 1
            rootlet = answer.get("rootlet")
            grade = rootlet.get("grade") if isinstance(rootlet, dict) else None
            suggestion = rootlet.get("suggestion") if isinstance(rootlet, dict) else None
            out(f"{body['annotation']} at {stimulation.onset_s:.3f} s -> grade "
                f"{grade or '-'}, suggestion {suggestion}")
        else:
            refused += 1
            sys.stderr.write(f"refused ({status}): {body['annotation']} at "
                             f"{stimulation.onset_s:.3f} s: {answer.get('error')}\n")
    return ReplayOutcome(accepted=accepted, refused=refused)
