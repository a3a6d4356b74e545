"""Security headers and friendly error pages on every response."""

from __future__ import annotations

from typing import ClassVar

from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, path, reverse

from stride.web import urls


def test_login_page_sends_security_headers(client: Client, db: None) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) == 32


def test_a_form_without_csrf_token_gets_a_friendly_page(db: None) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Reload the page and send the form again" in response.text


def test_unknown_page_is_a_plain_404_without_internals(client: Client, db: None) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Traceback" not in response.text
    assert "urlpatterns" not in response.text
    assert "This page does not exist" in response.text


def test_home_shows_anonymous_visitors_the_family_page(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("intake:inquiry") in response.text
    assert reverse("accounts:login") not in response.text


def test_the_stylesheet_is_served(client: Client, db: None) -> None:
    response = client.get("/static/stride/stride.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")



def _broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("internal detail that must not leak")


class _UrlsWithABrokenPage:
    urlpatterns: ClassVar[list[URLPattern | URLResolver]] = [
        path("broken/", _broken_view), *urls.urlpatterns,
    ]


@override_settings(ROOT_URLCONF=_UrlsWithABrokenPage)
def test_server_errors_show_a_plain_page_without_internals(db: None) -> None:
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "internal detail" not in response.text
    assert "Traceback" not in response.text
