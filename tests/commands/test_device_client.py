"""The device client against an in-test server that speaks the device protocol.

:class:`FakeDevice` implements the protocol of a live session's device endpoint in memory
(``http.server`` in a thread), with injected 500s, 429s and dropped connections. The
replay and watch tests use it too; end-to-end tests against the real Django server are
the server's business.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from stride.commands.device_client import (
    Backoff,
    DeviceClient,
    Held,
    Outcome,
    ProtocolError,
    ServerUnreachable,
    Tally,
    TokenRefused,
    _retry_after_s,
)
from stride.core.errors import StrideError

TOKEN = "device-token-for-tests"
PATH = "/ionm/api/sessions/7/stimulations/"


@dataclass
class FakeDevice:
    """A live session's device endpoint, in memory.

    Attributes
    ----------
    stored
        Stored chunks by sequence number (without the number).
    posts
        The sequence number of every complete POST received, in order of arrival.
    faults
        Consumed one per request: ``"500"``/``"503"``/``"429"`` answer that status,
        ``"429:2"`` with ``Retry-After: 2``, ``"drop"`` closes the connection without an
        answer, ``"drop-after-store"`` stores the POST first, ``"401"`` refuses the token,
        ``"ok"`` is no fault (to place faults on later requests).
    refuse
        Sequence numbers answered 400 (a chunk the engine refuses).
    delay_s
        Seconds each POST answer waits after storing (to kill a client mid-stream).
    """

    token: str = TOKEN
    stored: dict[int, dict[str, object]] = field(default_factory=dict)
    posts: list[int] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    refuse: set[int] = field(default_factory=set)
    delay_s: float = 0.0
    max_bytes: int = 50_000_000
    gets: int = 0
    port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stored_event: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"

    def received(self) -> list[list[int]]:
        ranges: list[list[int]] = []
        for number in sorted(self.stored):
            if ranges and ranges[-1][1] == number - 1:
                ranges[-1][1] = number
            else:
                ranges.append([number, number])
        return ranges

    def wait_for(self, count: int, timeout_s: float = 30.0) -> None:
        with self.stored_event:
            if not self.stored_event.wait_for(lambda: len(self.stored) >= count, timeout_s):
                raise AssertionError(f"only {len(self.stored)} of {count} stored in time")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: pytest shows failures, not every request."""

    def _answer(self, status: int, body: dict[str, object],
                headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def _fault(self, device: FakeDevice) -> str | None:
        with device.lock:
            fault = device.faults.pop(0) if device.faults else None
        return None if fault == "ok" else fault

    def _common(self, device: FakeDevice, fault: str | None) -> bool:
        """Answer faults, wrong paths and tokens; return True if the request is answered."""
        if fault == "drop":
            self.close_connection = True
            return True
        if fault is not None and fault != "drop-after-store":
            status, _, retry_after = fault.partition(":")
            self._answer(int(status), {"error": f"injected {status}"},
                         {"Retry-After": retry_after} if retry_after else None)
            return True
        if self.path != PATH:
            self.send_response(301)
            self.send_header("Location", PATH)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True
        if self.headers.get("Authorization") != f"Bearer {device.token}":
            self._answer(401, {"error": "The device token is not valid for this session."})
            return True
        return False

    def do_GET(self) -> None:
        device = self.server.device
        device.gets += 1
        if self._common(device, self._fault(device)):
            return
        with device.lock:
            received = device.received()
            last = max(device.stored) if device.stored else None
        missing = [[a[1] + 1, b[0] - 1] for a, b in itertools.pairwise(received)]
        if received and received[0][0] > 1:
            missing.insert(0, [1, received[0][0] - 1])
        self._answer(200, {"session": 7, "status": "live", "received": received,
                           "last_sequence": last, "missing": missing})

    def do_POST(self) -> None:
        device = self.server.device
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if len(raw) < length:
            return  # the client went away mid-request: nothing was received
        fault = self._fault(device)
        if self._common(device, fault):
            return
        if length > device.max_bytes:
            self._answer(413, {"error": "The chunk is too large."})
            return
        body = json.loads(raw)
        sequence = body.pop("sequence", None)
        if not isinstance(sequence, int) or sequence < 1:
            self._answer(400, {"error": "sequence must be a whole number from 1."})
            return
        with device.lock:
            device.posts.append(sequence)
            status, answer = self._store(device, sequence, body)
        with device.stored_event:
            device.stored_event.notify_all()
        if fault == "drop-after-store":
            self.close_connection = True
            return
        if device.delay_s:
            threading.Event().wait(device.delay_s)
        self._answer(status, answer)

    def _store(self, device: FakeDevice, sequence: int,
               body: dict[str, object]) -> tuple[int, dict[str, object]]:
        rootlet = {"rootlet": str(body.get("annotation", "")).split(" ")[1:2],
                   "grade": "1+", "suggestion": "spare"}
        if sequence in device.stored:
            if device.stored[sequence] == body:
                return 200, {"stimulation": sequence, "sequence": sequence, "repeated": True,
                             "rootlet": rootlet}
            return 409, {"error": f"Sequence {sequence} holds another stimulation.",
                         "code": "sequence-conflict"}
        if sequence in device.refuse:
            return 400, {"error": "The window has 3 samples per channel; this stimulation "
                                  "needs 564."}
        onset = body.get("onset_s")
        earlier = [float(str(device.stored[n]["onset_s"])) for n in device.stored if n < sequence]
        if not isinstance(onset, float | int) or any(onset <= e for e in earlier):
            # The engine takes stimulations in the order of their onsets (check_chunk).
            return 400, {"error": f"The onset {onset} s is not after the previous stimulation's."}
        device.stored[sequence] = body
        return 201, {"stimulation": sequence, "sequence": sequence, "repeated": False,
                     "rootlet": rootlet}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    device: FakeDevice


@pytest.fixture
def device() -> Iterator[FakeDevice]:
    """A running fake device endpoint."""
    fake = FakeDevice()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.device = fake
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def client_for(device: FakeDevice, sleeps: list[float] | None = None, *,
               token: str = TOKEN, url: str | None = None) -> DeviceClient:
    """A client whose waits are recorded in ``sleeps`` instead of slept; no jitter."""
    record = sleeps if sleeps is not None else []
    return DeviceClient(url or device.url, token, sleep=record.append, jitter=lambda: 1.0,
                        timeout_s=5.0)


BODY: dict[str, object] = {"annotation": "STIM L4-L-1 single 0.40mA", "onset_s": 1.5,
                           "sfreq": 4000.0, "labels": ["TA-L"], "samples_uv": [[0.0, 1.0]]}


# --- posting --------------------------------------------------------------------------

def test_a_new_sequence_is_stored_and_a_repeat_is_idempotent(device: FakeDevice) -> None:
    client = client_for(device)
    first = client.post(BODY, 1)
    assert (first.outcome, first.status, first.attempts) == (Outcome.ACCEPTED, 201, 1)
    assert first.rootlet["grade"] == "1+"
    assert device.stored[1] == BODY
    again = client.post(BODY, 1)
    assert (again.outcome, again.status, again.attempts) == (Outcome.REPEATED, 200, 1)
    assert device.posts == [1, 1]


@pytest.mark.parametrize(("setup", "status", "message"), [
    ("conflict", 409, "holds another stimulation"),
    ("refuse", 400, "needs 564"),
    ("large", 413, "too large"),
    ("redirect", 301, "the server redirects to"),
])
def test_refusals_are_not_retried(device: FakeDevice, setup: str, status: int,
                                  message: str) -> None:
    sleeps: list[float] = []
    client = client_for(device, sleeps)
    if setup == "conflict":
        client.post(BODY, 1)
        body = {**BODY, "onset_s": 2.5}
    else:
        body = BODY
    device.refuse = {1} if setup == "refuse" else set()
    device.max_bytes = 10 if setup == "large" else device.max_bytes
    if setup == "redirect":
        client = client_for(device, sleeps, url=device.url.rstrip("/"))
    result = client.post(body, 1)
    assert (result.outcome, result.status, result.attempts) == (Outcome.REFUSED, status, 1)
    assert message in result.error
    assert sleeps == []


def test_a_refused_token_stops_everything(device: FakeDevice) -> None:
    client = client_for(device, token="wrong")
    with pytest.raises(TokenRefused, match=r"refused the token \(HTTP 401\).*Copy the token"):
        client.post(BODY, 1)
    with pytest.raises(TokenRefused):
        client.held()
    assert device.stored == {}


def test_server_errors_and_drops_are_retried_with_back_off(device: FakeDevice) -> None:
    sleeps: list[float] = []
    device.faults = ["500", "drop", "503", "429"]
    result = client_for(device, sleeps).post(BODY, 1)
    assert (result.outcome, result.status, result.attempts) == (Outcome.ACCEPTED, 201, 5)
    assert sleeps == [0.25, 0.5, 1.0, 2.0]  # doubling (the jitter factor is fixed at 1)
    assert device.posts == [1]  # faults answered before storing


def test_retry_after_is_honoured(device: FakeDevice) -> None:
    sleeps: list[float] = []
    device.faults = ["429:3", "503:1"]
    assert client_for(device, sleeps).post(BODY, 1).outcome is Outcome.ACCEPTED
    assert sleeps == [3.0, 1.0]


def test_a_lost_answer_is_repeated_and_found_stored(device: FakeDevice) -> None:
    device.faults = ["drop-after-store"]
    result = client_for(device).post(BODY, 1)
    assert (result.outcome, result.status, result.attempts) == (Outcome.REPEATED, 200, 2)
    assert list(device.stored) == [1]


def test_it_gives_up_after_eight_attempts(device: FakeDevice) -> None:
    sleeps: list[float] = []
    device.faults = ["500"] * 20
    result = client_for(device, sleeps).post(BODY, 1)
    assert (result.outcome, result.status, result.attempts) == (Outcome.FAILED, 500, 8)
    assert "injected 500" in result.error
    assert sleeps == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0]  # capped at 8 s


def test_no_server_at_all_fails_without_a_status() -> None:
    sleeps: list[float] = []
    client = DeviceClient("http://127.0.0.1:9/ionm/api/sessions/1/stimulations/", TOKEN,
                          sleep=sleeps.append, backoff=Backoff(attempts=3))
    result = client.post(BODY, 1)
    assert (result.outcome, result.status, result.attempts) == (Outcome.FAILED, None, 3)
    assert result.error.startswith("no answer (")
    with pytest.raises(ServerUnreachable, match=re.escape("Cannot reach http://127.0.0.1:9/")):
        client.held()


def test_the_address_must_be_http() -> None:
    with pytest.raises(StrideError, match="must start with http:// or https://"):
        DeviceClient("ftp://example.org/x", TOKEN)


# --- what the server holds ------------------------------------------------------------

def test_held_reads_the_ranges(device: FakeDevice) -> None:
    client = client_for(device)
    assert len(client.held()) == 0
    for sequence, onset in ((1, 1.0), (2, 2.0), (3, 3.0), (6, 6.0), (7, 7.0)):
        client.post({**BODY, "onset_s": onset}, sequence)
    held = client.held()
    assert held.ranges == ((1, 3), (6, 7))
    assert held.missing == ((4, 5),)
    assert held.last_sequence == 7
    assert [n for n in range(9) if n in held] == [1, 2, 3, 6, 7]
    assert len(held) == 5


def test_held_is_retried_like_posts(device: FakeDevice) -> None:
    sleeps: list[float] = []
    device.faults = ["503", "drop"]
    assert client_for(device, sleeps).held() == Held((), None, ())
    assert sleeps == [0.25, 0.5]


def test_held_refuses_answers_outside_the_protocol(device: FakeDevice) -> None:
    with pytest.raises(ProtocolError, match="HTTP 301"):
        client_for(device, url=device.url.rstrip("/")).held()
    device.faults = ["404"]
    with pytest.raises(ProtocolError, match="answered HTTP 404"):
        client_for(device).held()


def test_retry_after_as_a_date() -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    wait = _retry_after_s(later)
    assert wait is not None
    assert 25 < wait <= 30
    assert _retry_after_s("soon") is None
    assert _retry_after_s(None) is None
    assert Backoff().delay_s(1, 0.0, None) == 0.125  # jitter halves at most
    assert Backoff().delay_s(1, 0.0, 600.0) == 60.0  # a server's wish, up to a minute


def test_the_summary_line() -> None:
    tally = Tally(held=2)
    tally.outcomes.update({3: Outcome.ACCEPTED, 4: Outcome.REPEATED, 5: Outcome.REFUSED})
    assert tally.summary() == ("1 stimulations accepted, 1 refused. Sent 3, repeated 1, "
                               "already held 2 (skipped), failed 0.")
    assert not tally.ok
