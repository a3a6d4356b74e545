"""The production profile: SMTP from the environment, the worker sends e-mails, hashed static
files, the TLS proxy's headers only when told, and `check --deploy` without a warning."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.web.operations.databases import ROOT, process_env

SHOW = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT", "STRIDE_MAIL_DELIVERY", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "STATIC_ROOT",
    "STRIDE_PROXY_HOPS")} | {"static": s.STORAGES["staticfiles"]["BACKEND"]}, default=str))
"""


def production(**variables: str) -> dict[str, str]:
    return process_env(STRIDE_ENV="production", STRIDE_SECRET_KEY=secrets.token_urlsafe(50),
                       STRIDE_ALLOWED_HOSTS="stride.example",
                       DATABASE_URL="sqlite:////tmp/stride-production-settings.sqlite3",
                       **variables)


def _settings(**variables: str) -> dict[str, Any]:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW], env={**production(**variables),
                                           "DJANGO_SETTINGS_MODULE": "stride.web.settings"},
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    return dict(json.loads(result.stdout))


def test_production_defaults() -> None:
    values = _settings()
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("localhost", 25)
    assert (values["EMAIL_USE_TLS"], values["EMAIL_USE_SSL"]) == (True, False)
    assert values["EMAIL_TIMEOUT"] == 20
    assert values["STRIDE_MAIL_DELIVERY"] == "worker"
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # trusted only when told
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_production_behind_a_proxy_with_a_mail_relay() -> None:
    values = _settings(STRIDE_BEHIND_TLS_PROXY="true", STRIDE_PROXY_HOPS="2",
                       STRIDE_EMAIL_HOST="smtp.example", STRIDE_EMAIL_PORT="465",
                       STRIDE_EMAIL_SECURITY="tls", STRIDE_STATIC_ROOT="/srv/stride/static")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["STRIDE_PROXY_HOPS"] == 2
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("smtp.example", 465)
    assert (values["EMAIL_USE_TLS"], values["EMAIL_USE_SSL"]) == (False, True)
    assert values["STATIC_ROOT"] == "/srv/stride/static"


@pytest.mark.parametrize(("variables", "message"), [
    ({"STRIDE_EMAIL_SECURITY": "ssl3"}, "STRIDE_EMAIL_SECURITY: 'ssl3' is not allowed"),
    ({"STRIDE_EMAIL_PORT": "0"}, "STRIDE_EMAIL_PORT: 0 is outside"),
    ({"STRIDE_MAIL_DELIVERY": "never"}, "STRIDE_MAIL_DELIVERY: 'never' is not allowed"),
    ({"STRIDE_PROXY_HOPS": "x"}, "STRIDE_PROXY_HOPS: 'x' is not a whole number"),
])
def test_malformed_production_variables_stop_start_up(variables: dict[str, str],
                                                      message: str) -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "check"], env=production(**variables),
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert message in result.stderr


def test_the_deployment_checklist_passes(tmp_path: Path) -> None:
    env = production(STRIDE_BEHIND_TLS_PROXY="true", STRIDE_UPLOAD_TEMP_DIR=str(tmp_path))
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level",
         "WARNING"], env=env,
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
