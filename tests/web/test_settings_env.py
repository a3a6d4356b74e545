"""Settings from the environment: typed parsers and start-up refusal of bad values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stride.web.env import SettingError, env_bool, env_database, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def test_bool_parser() -> None:
    assert env_bool("X", False, environ={"X": "Yes"}) is True
    assert env_bool("X", True, environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True
    with pytest.raises(SettingError, match="X: 'maybe' is not a boolean"):
        env_bool("X", False, environ={"X": "maybe"})


def test_int_parser_checks_type_and_range() -> None:
    assert env_int("N", 5, environ={"N": " 7 "}) == 7
    with pytest.raises(SettingError, match="N: 'five' is not a whole number"):
        env_int("N", 5, environ={"N": "five"})
    with pytest.raises(SettingError, match=r"N: 0 is outside the allowed range 1\.\.10"):
        env_int("N", 5, minimum=1, maximum=10, environ={"N": "0"})


def test_list_parser() -> None:
    assert env_list("L", ["a"], environ={"L": "x, y,,z "}) == ["x", "y", "z"]
    assert env_list("L", ["a"], environ={}) == ["a"]


def test_database_urls(tmp_path: Path) -> None:
    sqlite = env_database("DB", "sqlite:///var/x.sqlite3", base_dir=tmp_path, environ={})
    assert sqlite == {"ENGINE": "django.db.backends.sqlite3",
                      "NAME": str(tmp_path / "var/x.sqlite3"),
                      "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE",
                                  "init_command": "PRAGMA journal_mode=WAL; "
                                                  "PRAGMA synchronous=FULL;"}}
    absolute = env_database("DB", "", base_dir=tmp_path,
                            environ={"DB": f"sqlite:///{tmp_path}/a.db"})
    assert absolute["NAME"] == f"{tmp_path}/a.db"
    pg = env_database("DB", "", base_dir=tmp_path,
                      environ={"DB": "postgres://u:p%40ss@db.example:6543/stride"})
    assert (pg["ENGINE"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "django.db.backends.postgresql", "u", "p@ss", "db.example", "6543", "stride")
    for bad, message in [
        ("mysql://x/y", "unsupported scheme 'mysql'"),
        ("postgres://host-only", "needs a host and a database name"),
        ("postgres://h:port/x", "malformed port"),
        ("sqlite:///", "names no database file"),
    ]:
        with pytest.raises(SettingError, match=message):
            env_database("DATABASE_URL", "", base_dir=tmp_path, environ={"DATABASE_URL": bad})


def _manage_check(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("STRIDE_", "DJANGO_", "DATABASE_URL"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env={**clean, "DATABASE_URL": "sqlite:////tmp/stride-settings-check.sqlite3", **env},
        capture_output=True, text=True, cwd=ROOT, check=False, timeout=120,
    )


@pytest.mark.parametrize(("env", "message"), [
    ({"STRIDE_ENV": "demo", "STRIDE_DEBUG": "maybe"}, "STRIDE_DEBUG: 'maybe' is not a boolean"),
    ({"STRIDE_ENV": "staging"}, "STRIDE_ENV: 'staging' is not allowed"),
    ({"STRIDE_ENV": "demo", "STRIDE_SESSION_IDLE_MINUTES": "1"},
     "STRIDE_SESSION_IDLE_MINUTES: 1 is outside"),
    ({"STRIDE_ENV": "demo", "DATABASE_URL": "oracle://x/y"}, "DATABASE_URL:"),
    ({}, "STRIDE_SECRET_KEY is required"),
    ({"STRIDE_SECRET_KEY": "short"}, "at least 50 characters"),
    ({"STRIDE_SECRET_KEY": "k" * 60}, "STRIDE_ALLOWED_HOSTS is required in production"),
])
def test_malformed_settings_stop_start_up_naming_the_variable(env: dict[str, str],
                                                              message: str) -> None:
    result = _manage_check(**env)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Stride cannot start:" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_complete_production_configuration_starts() -> None:
    result = _manage_check(STRIDE_SECRET_KEY="k" * 60, STRIDE_ALLOWED_HOSTS="stride.example")
    assert result.returncode == 0, result.stderr


def test_the_sqlite_database_is_set_up_for_concurrent_use(db: None) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000
    assert connection.transaction_mode == "IMMEDIATE"  # type: ignore[attr-defined]
