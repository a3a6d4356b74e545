"""The monitoring computer's side of the operating-room device protocol (urllib only).

A live session takes stimulations at ``POST {url}`` with ``Authorization: Bearer
<token>``; the JSON body is :func:`stride.core.rootlets.live.window_chunk`'s plus
``"sequence"``, the number the device gives each stimulation (1, 2, 3, … in the order of
the session). The server answers

* 201 — stored (``{"stimulation": pk, "sequence": n, "repeated": false, "rootlet": {...}}``);
* 200 with ``"repeated": true`` — that number is already stored with the same content;
* 409 (``"code": "sequence-conflict"``) — that number holds a different stimulation;
* 400 — the engine refuses the chunk; 413 — too large: neither is worth repeating;
* 401 — the token is wrong or revoked: stop;
* 429, every 5xx, and connection errors or timeouts — try again later.

``GET {url}`` answers which sequence numbers are stored (``"received": [[first, last],
...]``), so that a client that stops and starts again sends nothing twice.

:class:`DeviceClient` posts one stimulation with retries (exponential back-off with
jitter, honouring ``Retry-After``) and fetches the stored numbers; ``stride rootlets
replay`` and ``stride rootlets watch`` share it, and :class:`Tally` counts what happened
for their summaries.
"""

from __future__ import annotations

import bisect
import http.client
import json
import random
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from enum import StrEnum

from stride.core.errors import StrideError

#: Seconds to wait for the server's answer to one request.
TIMEOUT_S = 30.0


class TokenRefused(StrideError):
    """The server refused the device token (HTTP 401 or 403): nothing more can be sent."""

    code = "device-token"


class ServerUnreachable(StrideError):
    """The server did not answer (or answered only "try later") after every retry."""

    code = "device-unreachable"


class ProtocolError(StrideError):
    """The server answered something the device protocol does not foresee."""

    code = "device-protocol"


class Outcome(StrEnum):
    """What became of one posted stimulation."""

    ACCEPTED = "accepted"  # 201: stored now
    REPEATED = "repeated"  # 200 repeated: the server already had it (an earlier attempt or run)
    REFUSED = "refused"  # 400, 409, 413 and other answers not worth repeating
    FAILED = "failed"  # no usable answer after every retry


@dataclass(frozen=True, slots=True)
class Backoff:
    """How often and how long to wait before trying a request again.

    The wait before retry ``k`` (1, 2, …) is ``first_s × 2^(k-1)`` seconds, at most
    ``max_s``, times a random factor between 0.5 and 1 (jitter: many devices that lost the
    server at once do not come back at once). A ``Retry-After`` answer header replaces
    that wait, up to ``max_retry_after_s`` seconds.

    Attributes
    ----------
    attempts
        Tries in all, the first included.
    first_s, max_s
        First and longest wait, seconds.
    max_retry_after_s
        Longest ``Retry-After`` honoured, seconds (a server asking for more is waited for
        this long).
    """

    attempts: int = 8
    first_s: float = 0.25
    max_s: float = 8.0
    max_retry_after_s: float = 60.0

    def delay_s(self, retry: int, jitter: float, retry_after_s: float | None) -> float:
        """Seconds to wait before retry ``retry`` (1 for the second attempt).

        ``jitter`` is a number in [0, 1); ``retry_after_s`` the server's wish, if any.
        """
        if retry_after_s is not None:
            return min(max(retry_after_s, 0.0), self.max_retry_after_s)
        base = min(self.first_s * 2 ** (retry - 1), self.max_s)
        return float(base * (0.5 + jitter / 2))


@dataclass(frozen=True, slots=True)
class PostResult:
    """The end of posting one stimulation.

    Attributes
    ----------
    outcome
        Accepted, repeated, refused or failed.
    status
        HTTP status of the last answer, ``None`` if the last attempt got none
        (connection refused, dropped or timed out).
    answer
        The server's JSON answer (``{"error": ...}`` made up when it sent none).
    attempts
        Requests made, 1 when the first one was answered.
    """

    outcome: Outcome
    status: int | None
    answer: dict[str, object]
    attempts: int

    @property
    def error(self) -> str:
        """The server's or the connection's message, for reports."""
        return str(self.answer.get("error", ""))

    @property
    def rootlet(self) -> dict[str, object]:
        """The answer's rootlet summary (grade, suggestion, …), or ``{}``."""
        rootlet = self.answer.get("rootlet")
        return rootlet if isinstance(rootlet, dict) else {}


@dataclass(frozen=True, slots=True)
class Held:
    """The sequence numbers a session already stores (the answer to ``GET {url}``).

    Attributes
    ----------
    ranges
        Stored numbers as inclusive ``(first, last)`` ranges, in order.
    last_sequence
        The highest stored number, ``None`` for an empty session.
    missing
        Gaps below ``last_sequence`` as inclusive ranges.
    """

    ranges: tuple[tuple[int, int], ...] = ()
    last_sequence: int | None = None
    missing: tuple[tuple[int, int], ...] = ()

    def __contains__(self, sequence: object) -> bool:
        if not isinstance(sequence, int):
            return False
        index = bisect.bisect_right(self.ranges, (sequence, sys.maxsize)) - 1
        return index >= 0 and self.ranges[index][0] <= sequence <= self.ranges[index][1]

    def __len__(self) -> int:
        return sum(last - first + 1 for first, last in self.ranges)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: urllib would turn a redirected POST into a GET without its body,
    and the GET's answer would look like success."""

    def redirect_request(self, req: urllib.request.Request, fp: object, code: int, msg: str,
                         headers: Message, newurl: str) -> None:
        return None


#: Answers that mean "not now": try again after a while.
_RETRY = frozenset({429}) | frozenset(range(500, 600))


class DeviceClient:
    """One live session's device endpoint, as seen from the monitoring computer.

    Parameters
    ----------
    url
        The device address shown when the session was started
        (``http(s)://host/ionm/api/sessions/<id>/stimulations/``).
    token
        The session's device token.
    backoff
        Retry policy for 429, 5xx and connection failures.
    timeout_s
        Seconds to wait for one answer.
    sleep, jitter
        ``time.sleep`` and ``random.random`` unless a test replaces them.

    Raises
    ------
    StrideError
        If ``url`` is not an http(s) address.
    """

    def __init__(self, url: str, token: str, *, backoff: Backoff | None = None,
                 timeout_s: float = TIMEOUT_S, sleep: Callable[[float], None] = time.sleep,
                 jitter: Callable[[], float] = random.random) -> None:
        if not url.startswith(("http://", "https://")):
            raise StrideError(f"The address {url!r} must start with http:// or https://; copy "
                              "the device address shown when the session was started.",
                              code="device-url")
        self.url = url
        self.token = token
        self.backoff = backoff or Backoff()
        self.timeout_s = timeout_s
        self.sleep = sleep
        self.jitter = jitter
        self._opener = urllib.request.build_opener(_NoRedirect)

    def post(self, body: Mapping[str, object], sequence: int) -> PostResult:
        """Post one stimulation's chunk as number ``sequence``; retry what is worth it.

        ``body`` is :func:`~stride.core.rootlets.live.window_chunk`'s result; the sequence
        number is added here.

        Raises
        ------
        TokenRefused
            On 401 or 403: every further post would be refused too.
        """
        data = json.dumps({**body, "sequence": sequence}).encode()
        attempts = 0
        status: int | None = None
        answer: dict[str, object] = {}
        for status, answer in self._exchanges("POST", data):
            attempts += 1
            if status is None or status in _RETRY:
                continue
            if 200 <= status < 300:
                repeated = answer.get("repeated") is True
                return PostResult(Outcome.REPEATED if repeated else Outcome.ACCEPTED, status,
                                  answer, attempts)
            if 300 <= status < 400:
                answer = {"error": f"the server redirects to {answer.get('location')}; give "
                                   "the exact device address shown when the session was "
                                   "started."}
            return PostResult(Outcome.REFUSED, status, answer, attempts)
        return PostResult(Outcome.FAILED, status, answer, attempts)

    def held(self) -> Held:
        """Ask the session which sequence numbers it already stores.

        Raises
        ------
        TokenRefused
            On 401 or 403.
        ServerUnreachable
            If no answer came after every retry.
        ProtocolError
            On any other answer than 200 with the protocol's ``received`` ranges.
        """
        answer: dict[str, object] = {}
        for status, answer in self._exchanges("GET", None):
            if status is None or status in _RETRY:
                continue
            if status != 200:
                raise ProtocolError(
                    f"{self.url} answered HTTP {status} ({answer.get('error')}) when asked which "
                    "stimulations it holds; check that --to is the device address of a live "
                    "session on a Stride server that speaks this protocol.")
            return _parse_held(answer, self.url)
        raise ServerUnreachable(f"Cannot reach {self.url}: {answer.get('error')}. Is the server "
                                "running, and is the address right?")

    def _exchanges(self, method: str, data: bytes | None,
                   ) -> Iterator[tuple[int | None, dict[str, object]]]:
        """Yield one (status, answer) per attempt, waiting between them as the policy says.

        The caller stops at an answer it can use; after ``backoff.attempts`` it is over.
        """
        for attempt in range(1, self.backoff.attempts + 1):
            status, answer, retry_after_s = self._exchange(method, data)
            if status in (401, 403):
                raise TokenRefused(f"The server refused the token (HTTP {status}): "
                                   f"{answer.get('error')} Copy the token shown when the "
                                   "session was started; an ended session takes no more "
                                   "stimulations.")
            yield status, answer
            if attempt < self.backoff.attempts:
                self.sleep(self.backoff.delay_s(attempt, self.jitter(), retry_after_s))

    def _exchange(self, method: str, data: bytes | None,
                  ) -> tuple[int | None, dict[str, object], float | None]:
        """One request: (status or ``None`` without an answer, JSON answer, Retry-After s)."""
        headers = {"Accept": "application/json", "Authorization": f"Bearer {self.token}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.url, data=data, method=method, headers=headers)
        try:
            with self._opener.open(request, timeout=self.timeout_s) as response:
                return response.status, _json_answer(response.read(), response.status), None
        except urllib.error.HTTPError as error:
            try:
                raw = error.read()
            except (OSError, http.client.HTTPException):
                raw = b""
            answer = _json_answer(raw, error.code, str(error.reason))
            if 300 <= error.code < 400:
                answer["location"] = error.headers.get("Location")
            return error.code, answer, _retry_after_s(error.headers.get("Retry-After"))
        except (OSError, http.client.HTTPException) as error:
            # URLError (refused, unknown host), timeouts, connections dropped mid-answer.
            reason = getattr(error, "reason", None) or str(error) or type(error).__name__
            return None, {"error": f"no answer ({reason})"}, None


def _json_answer(raw: bytes, status: int, reason: str = "") -> dict[str, object]:
    """The JSON object the server sent, or ``{"error": "HTTP <status> <reason>"}``."""
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        # A proxy's HTML error page, or a success without a body: keep the status only.
        return {"error": f"HTTP {status} {reason}".strip()} if status >= 300 else {}
    if status >= 400 and "error" not in answer:
        answer["error"] = f"HTTP {status} {reason}".strip()
    return answer


def _retry_after_s(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (seconds or an HTTP date), ``None`` if absent
    or unreadable."""
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - datetime.now(UTC)).total_seconds()


def _parse_held(answer: Mapping[str, object], url: str) -> Held:
    def ranges(key: str) -> tuple[tuple[int, int], ...]:
        value = answer.get(key, [])
        pairs: list[tuple[int, int]] = []
        if isinstance(value, list):
            for item in value:
                if (isinstance(item, list) and len(item) == 2
                        and all(isinstance(n, int) and not isinstance(n, bool) for n in item)
                        and 1 <= item[0] <= item[1]):
                    pairs.append((item[0], item[1]))
                else:
                    break
            else:
                return tuple(sorted(pairs))
        raise ProtocolError(f"{url} answered {key!r} as {value!r}, not a list of [first, last] "
                            "sequence numbers; check that the Stride server is up to date.")

    last = answer.get("last_sequence")
    if last is not None and (not isinstance(last, int) or isinstance(last, bool)):
        raise ProtocolError(f"{url} answered 'last_sequence' as {last!r}, not a number; check "
                            "that the Stride server is up to date.")
    if "received" not in answer:
        raise ProtocolError(f"{url} did not say which stimulations it holds ('received' is "
                            "missing); check that --to is the device address of a live session.")
    return Held(ranges("received"), last, ranges("missing"))


@dataclass(slots=True)
class Tally:
    """What a replay or watch did in this run, for its summary.

    Each number counts stimulations, not requests: one that failed and then got through
    counts once, as accepted.

    Attributes
    ----------
    held
        Skipped because the server (or, for watch, its state file) already had them.
    outcomes
        The last outcome of every stimulation posted in this run, by sequence number.
    """

    held: int = 0
    outcomes: dict[int, Outcome] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> int:
        """How many stimulations ended with ``outcome``."""
        return sum(1 for value in self.outcomes.values() if value is outcome)

    @property
    def sent(self) -> int:
        """Stimulations posted at least once in this run."""
        return len(self.outcomes)

    @property
    def ok(self) -> bool:
        """Whether nothing was refused and nothing failed."""
        return not (self.count(Outcome.REFUSED) or self.count(Outcome.FAILED))

    def summary(self) -> str:
        """One line: ``16 stimulations accepted, 0 refused. Sent 16, repeated 0, ...``."""
        return (f"{self.count(Outcome.ACCEPTED)} stimulations accepted, "
                f"{self.count(Outcome.REFUSED)} refused. Sent {self.sent}, repeated "
                f"{self.count(Outcome.REPEATED)}, already held {self.held} (skipped), failed "
                f"{self.count(Outcome.FAILED)}.")


def describe(result: PostResult, sequence: int, annotation: object, onset_s: float) -> str:
    """One report line for a posted stimulation (``#3 STIM ... at 12.500 s -> ...``)."""
    what = f"#{sequence} {annotation} at {onset_s:.3f} s"
    if result.outcome is Outcome.ACCEPTED or result.outcome is Outcome.REPEATED:
        rootlet = result.rootlet
        repeated = " (already stored)" if result.outcome is Outcome.REPEATED else ""
        return (f"{what} -> grade {rootlet.get('grade') or '-'}, suggestion "
                f"{rootlet.get('suggestion')}{repeated}")
    if result.outcome is Outcome.REFUSED:
        return f"refused ({result.status}): {what}: {result.error}"
    return (f"failed after {result.attempts} attempts: {what}: {result.error or 'no answer'}"
            f"{'' if result.status is None else f' (HTTP {result.status})'}")


__all__ = ["TIMEOUT_S", "Backoff", "DeviceClient", "Held", "Outcome", "PostResult",
           "ProtocolError", "ServerUnreachable", "Tally", "TokenRefused", "describe"]
