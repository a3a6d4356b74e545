"""Where an audited action comes from: the request id and client address.

The request middleware sets this for each web request; commands set it with
:func:`audit_context`. Audit events read it, so services and access functions need not pass
request details through every call.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Origin:
    """The origin of the actions in progress.

    Attributes
    ----------
    request_id
        Identifier shared by every audit event of one request or command run.
    ip
        The client's IP address, or ``None`` outside a web request.
    """

    request_id: str
    ip: str | None


_current: ContextVar[Origin | None] = ContextVar("stride_audit_origin", default=None)


def current_origin() -> Origin:
    """Return the origin in force, or a fresh one for code run outside any request."""
    origin = _current.get()
    if origin is None:
        return Origin(request_id=f"process-{uuid.uuid4().hex}", ip=None)
    return origin


@contextmanager
def audit_context(*, request_id: str, ip: str | None) -> Iterator[Origin]:
    """Set the origin for the duration of a ``with`` block and restore the previous one."""
    origin = Origin(request_id=request_id, ip=ip)
    token = _current.set(origin)
    try:
        yield origin
    finally:
        _current.reset(token)
