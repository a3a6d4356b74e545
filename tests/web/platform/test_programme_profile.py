"""The programme's profile: administrators edit it (one row), the logo is checked, and
pages carry it; a guardian lands in the portal wherever they sign in."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stride.core.roles import Role
from stride.web.platform.links import site_link
from stride.web.platform.models import ProgrammeProfile
from stride.web.platform.profile import programme_profile
from tests.conftest import PASSWORD, Cast, make_user
from tests.web import files

FIELDS = {
    "legal_name": "Synthetic Children's Neurosurgery Programme Ltd", "short_name": "Synthetic SDR",
    "address": "1 Example Street\nSofia 1000", "country": "BG", "phones": "+359 2 000 0000",
    "whatsapp": "+359 88 000 0000", "email": "office@example.org",
    "website": "https://example.org", "signatory_name": "Dr A. Example",
    "signatory_title": "Programme director", "registration_numbers": "", "bank_details": "",
    "language": "en", "is_synthetic": "on",
}


def test_an_administrator_enters_the_profile_with_a_logo_once(client: Client, db: None) -> None:
    client.force_login(make_user(Role.ADMIN))
    add = reverse("admin:platform_programmeprofile_add")
    logo = SimpleUploadedFile("logo.png", files.png(), content_type="image/png")
    response = client.post(add, {**FIELDS, "logo_file": logo})
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = programme_profile()
    assert profile is not None
    assert profile.display_name == "Synthetic SDR"
    assert profile.logo_content_type == "image/png"
    assert profile.logo_data_uri.startswith("data:image/png;base64,")
    assert profile.lines("address") == ["1 Example Street", "Sofia 1000"]
    # One programme, one profile: a second cannot be added, none can be deleted.
    assert client.get(add).status_code == 403
    assert client.get(reverse("admin:platform_programmeprofile_delete",
                              args=[profile.pk])).status_code == 403


def test_a_logo_that_is_not_a_picture_is_refused_and_nothing_is_stored(client: Client,
                                                                        db: None) -> None:
    client.force_login(make_user(Role.ADMIN))
    fake = SimpleUploadedFile("logo.png", b"<html>not a picture</html>", content_type="image/png")
    response = client.post(reverse("admin:platform_programmeprofile_add"),
                           {**FIELDS, "logo_file": fake})
    assert response.status_code == 200
    assert "The logo must be a PNG or JPEG picture." in response.content.decode()
    assert not ProgrammeProfile.objects.exists()


def test_pages_carry_the_favicon_and_links_in_mail_are_absolute(client: Client,
                                                                 db: None) -> None:
    page = client.get(reverse("portal:sign-in")).content.decode()
    assert 'rel="icon"' in page
    assert "favicon.svg" in page
    link = site_link("portal:case", 12)
    assert link.startswith(("http://", "https://"))
    assert link.endswith("/portal/cases/12/")


def test_a_guardian_lands_in_the_portal_wherever_they_sign_in(client: Client, cast: Cast) -> None:
    response = client.post(reverse("accounts:login"),
                           {"username": cast.guardian_a.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert client.get(reverse("patients:dashboard"))["Location"] == reverse("portal:home")
    staff = Client()
    response = staff.post(reverse("accounts:login"),
                          {"username": cast.coordinator_a.username, "password": PASSWORD})
    assert response["Location"] == reverse("patients:dashboard")
