"""Security headers and friendly error pages on every response."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, path, reverse

from stride.web import urls
from stride.web.coordination.services import send_letter
from stride.web.documents.models import LetterKind
from tests.conftest import Cast


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


def test_a_malformed_request_gets_a_plain_page_saying_what_to_do(client: Client,
                                                                  db: None) -> None:
    # More form fields than Django reads (DATA_UPLOAD_MAX_NUMBER_FIELDS) is a 400.
    fields = {f"field{i}": "x" for i in range(1200)}
    response = client.post(reverse("accounts:login"), fields)
    assert response.status_code == 400
    assert "The request could not be read" in response.text
    assert "nothing was saved" in response.text
    assert response["Cache-Control"] == "no-store, private"


def test_pages_and_files_with_a_childs_data_are_never_cached(cast: Cast, client: Client,
                                                             settings: Any,
                                                             tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    letter = send_letter(by=cast.coordinator_a, case=cast.case_a,
                         kind=LetterKind.ACKNOWLEDGEMENT)
    client.force_login(cast.clinician_a)
    for url in (reverse("patients:case", args=[cast.case_a.pk]),
                reverse("coordination:letter-pdf", args=[cast.case_a.pk, letter.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store, private", url
    client.force_login(cast.guardian_a)
    response = client.get(reverse("portal:letter-pdf", args=[cast.case_a.pk, letter.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_static_files_stay_cacheable(client: Client, db: None) -> None:
    response = client.get("/static/stride/stride.css")
    assert "no-store" not in response.get("Cache-Control", "")


def test_head_is_answered_like_get(cast: Cast, client: Client) -> None:
    # Monitors and link checkers send HEAD; a page that answers GET must not say 405.
    for url in ("/", reverse("intake:inquiry"), reverse("accounts:login"),
                reverse("portal:sign-in")):
        assert client.head(url).status_code == client.get(url).status_code == 200, url
    client.force_login(cast.coordinator_a)
    for url in (reverse("patients:dashboard"), reverse("coordination:queue"),
                reverse("coordination:case", args=[cast.case_a.pk]),
                reverse("evaluation:workspace", args=[cast.case_a.pk]),
                reverse("followup:due")):
        assert client.head(url).status_code == client.get(url).status_code == 200, url
