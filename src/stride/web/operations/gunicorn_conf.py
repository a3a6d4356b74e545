"""gunicorn's settings for Stride, from the environment (docs/operations.md).

    gunicorn -c python:stride.web.operations.gunicorn_conf stride.web.wsgi

``STRIDE_BIND`` (default ``127.0.0.1:8000``: only the TLS proxy on this machine reaches
it), ``STRIDE_WEB_WORKERS`` processes (default 2 × cores + 1, at most 8) of
``STRIDE_WEB_THREADS`` threads each (default 4), ``STRIDE_WEB_TIMEOUT_SECONDS`` per request
(default 120: a 300 MB video upload over a slow line takes its time). Logs go to standard
error; the access log has one line per request with no query string, cookie or referrer,
and one-time tokens in paths (e-mailed sign-in and reset links) replaced by ``[token]``.
"""

from __future__ import annotations

import os
import re
from typing import Any

from gunicorn.glogging import Logger

from stride.web.env import env_int, env_str

bind = [env_str("STRIDE_BIND", "127.0.0.1:8000") or "127.0.0.1:8000"]
workers = env_int("STRIDE_WEB_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 8), minimum=1,
                  maximum=64)
threads = env_int("STRIDE_WEB_THREADS", 4, minimum=1, maximum=64)
worker_class = "gthread"
timeout = env_int("STRIDE_WEB_TIMEOUT_SECONDS", 120, minimum=10, maximum=3600)
# On SIGTERM, requests in flight get this long to finish before the processes are ended.
graceful_timeout = 30
keepalive = 5
# A process is replaced after this many requests (spread out), bounding any slow leak.
max_requests = 2000
max_requests_jitter = 200
# The proxy adds X-Forwarded-For / X-Forwarded-Proto; Django reads them (settings.py,
# stride.web.operations.proxy); gunicorn's own scheme handling trusts the loopback only.
forwarded_allow_ips = env_str("STRIDE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1") or "127.0.0.1,::1"
accesslog = "-"
errorlog = "-"
# Time, client (behind the proxy: the address it forwarded, see proxy.py), method and path,
# status, bytes, duration in ms.
access_log_format = '%(t)s %(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

#: A path segment that is a secret (a one-time link's token), not a name or a number.
_TOKEN = re.compile(r"(?<=/)[A-Za-z0-9_\-:.]{20,}(?=/|$)")


def redact_path(path: str) -> str:
    """``path`` with every token-like segment replaced by ``[token]``."""
    return _TOKEN.sub("[token]", path)


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn has no types
    """gunicorn's logger, with one-time tokens taken out of the access log's paths."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact_path(str(atoms.get("U", "")))
        return atoms


logger_class = RedactingLogger
