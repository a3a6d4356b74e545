"""Public family pages: reachable without signing in; the home page sends users onwards."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast


@pytest.mark.parametrize("name", ["home", "intake:sdr", "intake:cell-therapy", "intake:inquiry"])
def test_public_pages_need_no_sign_in(client: Client, db: None, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'dir="ltr"' in response.text


def test_landing_page_links_to_the_form_and_the_explanations(client: Client, db: None) -> None:
    text = client.get("/").text
    for name in ("intake:inquiry", "intake:sdr", "intake:cell-therapy", "portal:sign-in"):
        assert f'href="{reverse(name)}"' in text


def test_cell_therapy_page_is_honest_and_cites_its_sources(client: Client, db: None) -> None:
    text = client.get(reverse("intake:cell-therapy")).text
    assert "Investigational." in text
    assert "registered clinical trial" in text
    for source in ("Novak", "Eggenberger", "Sun JM, et al. 2017", "ACCeNT-CP", "ISSCR"):
        assert source in text
    assert "cure" not in text.lower()


def test_arabic_pages_are_right_to_left(client: Client, db: None) -> None:
    response = client.get(reverse("intake:inquiry"), HTTP_ACCEPT_LANGUAGE="ar")
    assert 'lang="ar" dir="rtl"' in response.text


@pytest.mark.parametrize(("member", "target"), [("guardian_a", "portal:home"),
                                                ("coordinator_a", "patients:dashboard")])
def test_signed_in_users_go_to_their_own_start_page(cast: Cast, client: Client, member: str,
                                                    target: str) -> None:
    client.force_login(getattr(cast, member))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse(target)
