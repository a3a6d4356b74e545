"""Typed parsers for settings read from the environment.

Every parser names the variable in its error, so that a malformed value stops start-up
with a sentence such as ``STRIDE_DEBUG: 'maybe' is not a boolean; use true or false``
instead of a silent default or a stack trace deep inside Django.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class SettingError(ImproperlyConfigured):
    """An environment variable is malformed or missing; the message names it."""


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None,
            required: bool = False) -> str | None:
    """Return the variable's text, ``default`` when unset, or fail when ``required``."""
    value = _raw(name, environ)
    if value is None:
        if required:
            raise SettingError(f"{name} is required but not set.")
        return default
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    """Return the variable as a boolean (true/false, yes/no, on/off, 1/0)."""
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingError(f"{name}: {value!r} is not a boolean; use true or false.")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None,
            environ: Mapping[str, str] | None = None) -> int:
    """Return the variable as an integer within ``[minimum, maximum]``."""
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name}: {value!r} is not a whole number.") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise SettingError(f"{name}: {number} is outside the allowed range {minimum}..{maximum}.")
    return number


def env_choice(name: str, default: str, choices: tuple[str, ...], *,
               environ: Mapping[str, str] | None = None) -> str:
    """Return the variable, which must be one of ``choices``."""
    value = _raw(name, environ)
    if value is None:
        return default
    if value not in choices:
        raise SettingError(f"{name}: {value!r} is not allowed; use one of {', '.join(choices)}.")
    return value


def env_list(name: str, default: list[str], *, environ: Mapping[str, str] | None = None
             ) -> list[str]:
    """Return the variable split on commas, blanks dropped."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [part.strip() for part in value.split(",") if part.strip()]


def env_path(name: str, default: Path, *, base_dir: Path,
             environ: Mapping[str, str] | None = None) -> Path:
    """Return the variable as a folder or file path; a relative one is under ``base_dir``."""
    value = _raw(name, environ)
    if value is None:
        return default
    path = Path(value).expanduser()
    return path if path.is_absolute() else base_dir / path


#: SQLite set up for one server process with several threads and a worker: write-ahead
#: logging (readers never wait for a writer), a 20 s busy timeout (a writer waits for the
#: lock instead of failing with "database is locked"), and write transactions that take
#: the lock when they begin (``BEGIN IMMEDIATE``), so that a transaction which read first
#: can never fail when it then writes. ``synchronous=FULL`` (SQLite's default) keeps each
#: commit on disk before the answer goes out.
SQLITE_OPTIONS: dict[str, Any] = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
}


def env_database(name: str, default: str, *, base_dir: Path,
                 environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return a Django ``DATABASES['default']`` dict from a database URL.

    Accepted forms: ``sqlite:///relative/path.sqlite3`` (relative to ``base_dir``),
    ``sqlite:////absolute/path.sqlite3`` and ``postgres://user:password@host:port/name``
    (``postgresql://`` too).
    """
    url = _raw(name, environ) or default
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = parts.path[1:] if parts.path.startswith("/") else parts.path
        if not path:
            raise SettingError(f"{name}: {url!r} names no database file; use sqlite:///var/x.sqlite3.")
        file = Path(path) if Path(path).is_absolute() else base_dir / path
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(file),
                "OPTIONS": dict(SQLITE_OPTIONS)}
    if parts.scheme in ("postgres", "postgresql"):
        database = parts.path.lstrip("/")
        if not database or not parts.hostname:
            raise SettingError(
                f"{name}: {url!r} needs a host and a database name; "
                "use postgres://user:password@host:5432/name."
            )
        try:
            port = parts.port
        except ValueError:
            raise SettingError(f"{name}: {url!r} has a malformed port.") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(database),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname,
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise SettingError(
        f"{name}: {url!r} has an unsupported scheme {parts.scheme!r}; use sqlite:/// or postgres://."
    )
