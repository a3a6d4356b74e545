"""Databases and processes for the operations tests: the test database's URL, a fresh
database beside it (a new SQLite file, or a new database in the PostgreSQL cluster of the
run), and ``manage.py`` run as a separate process against either."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def database_url(settings_dict: dict[str, Any], *, name: str | None = None) -> str:
    """A DATABASE_URL for ``settings_dict`` (Django's), or for database ``name`` beside it."""
    database = name or str(settings_dict["NAME"])
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(database).resolve()}"
    credentials = quote(str(settings_dict["USER"]), safe="")
    if settings_dict.get("PASSWORD"):
        credentials += ":" + quote(str(settings_dict["PASSWORD"]), safe="")
    return (f"postgres://{credentials}@{settings_dict['HOST']}:{settings_dict['PORT']}/"
            f"{quote(database, safe='')}")


def current_database_url() -> str:
    """The URL of the database this test run uses (its committed rows are visible)."""
    return database_url(connection.settings_dict)


def _admin_connection() -> Any:
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(dbname="postgres", user=settings["USER"],
                           password=settings["PASSWORD"] or None, host=settings["HOST"],
                           port=settings["PORT"] or None, autocommit=True)


@contextmanager
def fresh_database(folder: Path) -> Iterator[str]:
    """A new, empty database of the run's kind; yields its URL and drops it afterwards."""
    if connection.vendor == "sqlite":
        yield database_url(connection.settings_dict, name=str(folder / "fresh.sqlite3"))
        return
    from psycopg import sql

    name = f"stride_fresh_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield database_url(connection.settings_dict, name=name)
    finally:
        with _admin_connection() as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


def process_env(**variables: str) -> dict[str, str]:
    """This process's environment without Stride's and Django's variables, plus ``variables``."""
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith(("STRIDE_", "DJANGO_", "DATABASE_URL"))}
    return {**clean, "STRIDE_ENV": "test", **variables}


def manage(*args: str, env: dict[str, str], timeout: float = 120,
           check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py ARGS`` as a separate process; fail the test with its output."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=timeout, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")
    return result
