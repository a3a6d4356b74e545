"""Behind the TLS proxy, the client's address is the one the proxy added to X-Forwarded-For
(never one the client wrote), and gunicorn's access log keeps one-time tokens out."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from stride.web.operations.gunicorn_conf import redact_path
from stride.web.operations.proxy import ForwardedClient, behind_proxy, forwarded_client


@pytest.mark.parametrize(("header", "hops", "client"), [
    ("203.0.113.7", 1, "203.0.113.7"),
    ("198.51.100.1, 203.0.113.7", 1, "203.0.113.7"),  # the left one is the client's word
    ("198.51.100.1, 203.0.113.7", 2, "198.51.100.1"),
    ("203.0.113.7:51234", 1, "203.0.113.7"),
    ("2001:db8::5", 1, "2001:db8::5"),
    ("[2001:db8::5]:443", 1, "2001:db8::5"),
    ("", 1, None),
    ("not-an-address", 1, None),
    ("203.0.113.7", 2, None),
])
def test_the_nearest_proxys_entry_is_the_client(header: str, hops: int,
                                                client: str | None) -> None:
    assert forwarded_client(header, hops=hops) == client


def _seen(app: Any, environ: dict[str, str]) -> dict[str, str]:
    seen: dict[str, str] = {}

    def inner(env: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(env)
        return []

    behind = app(inner)
    behind({"REMOTE_ADDR": "127.0.0.1", **environ}, lambda *a: None)
    return seen


def test_the_wsgi_wrapper_replaces_the_proxys_address() -> None:
    seen = _seen(lambda inner: ForwardedClient(inner, hops=1),
                 {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.7"})
    assert seen["REMOTE_ADDR"] == "203.0.113.7"
    assert seen["stride.proxy_addr"] == "127.0.0.1"
    assert _seen(lambda inner: ForwardedClient(inner, hops=1), {})["REMOTE_ADDR"] == "127.0.0.1"


def test_without_a_proxy_the_header_is_ignored(settings: SettingsWrapper) -> None:
    settings.STRIDE_BEHIND_TLS_PROXY = False
    seen = _seen(behind_proxy, {"HTTP_X_FORWARDED_FOR": "203.0.113.7"})
    assert seen["REMOTE_ADDR"] == "127.0.0.1"
    settings.STRIDE_BEHIND_TLS_PROXY = True
    seen = _seen(behind_proxy, {"HTTP_X_FORWARDED_FOR": "203.0.113.7"})
    assert seen["REMOTE_ADDR"] == "203.0.113.7"


def test_the_access_log_shows_no_one_time_token() -> None:
    token = "Zk3_kq8-Hd0aQ1nVh4sJ0xw9Lr2TtYy8uIoPp6eRw2A"
    assert redact_path(f"/portal/sign-in/{token}/") == "/portal/sign-in/[token]/"
    assert redact_path(f"/accounts/reset/MQ/{token[:30]}/") == "/accounts/reset/MQ/[token]/"
    assert redact_path("/coordination/cases/12345/letters/7/") == \
        "/coordination/cases/12345/letters/7/"
