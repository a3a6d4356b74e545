"""The team page and a member of staff's own public profile: only care-team staff who
consent are shown, a withdrawal hides the profile at once, every change is audited."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.platform.audit.models import AuditEvent, ObjectType
from stride.web.site import services
from stride.web.site.models import StaffProfile
from tests.conftest import Cast, make_user
from tests.web import files
from tests.web.site.conftest import DemoStaff

MY_PROFILE = reverse("site:my-profile")
TEAM = reverse("site:team")


def _team(language: str = "en") -> str:
    response = Client().get(TEAM, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _save(client: Client, **extra: object) -> str:
    data: dict[str, object] = {"action": "save", "display_name": "Dr Synthetic Example",
                               "role_title": "Paediatric neurosurgeon",
                               "biography_en": "Operates on children's spines.",
                               "biography_ar": "يجري عمليات العمود الفقري للأطفال.",
                               **extra}
    response = client.post(MY_PROFILE, data, follow=True)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_demo_shows_the_three_who_consented_and_not_the_one_who_did_not(
        demo_site: DemoStaff) -> None:
    page = _team()
    for user in (demo_site.coordinator, demo_site.clinician, demo_site.surgeon):
        assert user.get_full_name() in page
    assert demo_site.clinician_2.get_full_name() not in page
    assert "Paediatric neurosurgeon" in page
    assert "Synthetic demo profile" in page


def test_a_biography_not_written_in_the_readers_language_says_so(
        demo_site: DemoStaff) -> None:
    page = _team("ru")
    # The demo clinician wrote no Russian biography: the Bulgarian one (the programme's
    # language) is shown with a note in Russian naming both languages.
    assert "Синтетичен демо профил. Оценява децата" in page
    assert "болгарский" in page.lower()


def test_a_clinician_writes_consents_and_withdraws_and_the_page_follows_at_once(
        client: Client, cast: Cast) -> None:
    client.force_login(cast.clinician_a)
    page = _save(client)
    assert "Your public profile was saved." in page
    assert "Dr Synthetic Example" not in _team()  # saved, not consented: not shown

    page = html.unescape(client.post(MY_PROFILE, {"action": "consent"}, follow=True)
                         .content.decode())
    assert "Your profile is now shown on the team page." in page
    profile = StaffProfile.objects.get(user=cast.clinician_a)
    assert profile.consent_text_version == "staff-public-profile-v1"
    assert profile.consented_at is not None
    shown = _team()
    assert "Dr Synthetic Example" in shown
    assert "Operates on children's spines." in shown
    assert "يجري عمليات العمود الفقري للأطفال." in _team("ar")

    page = html.unescape(client.post(MY_PROFILE, {"action": "withdraw"}, follow=True)
                         .content.decode())
    assert "Your profile was removed from the team page." in page
    assert "Dr Synthetic Example" not in _team()  # the very next request
    profile.refresh_from_db()
    assert profile.consent_withdrawn_at is not None

    events = list(AuditEvent.objects.filter(object_type=ObjectType.PUBLIC_PROFILE,
                                            actor=cast.clinician_a).order_by("id")
                  .values_list("action", "object_id"))
    assert events == [("create", str(profile.pk)),
                      ("update", f"{profile.pk} consent-given staff-public-profile-v1"),
                      ("update", f"{profile.pk} consent-withdrawn staff-public-profile-v1")]

    # Consent can be given again later; the profile's text was kept.
    client.post(MY_PROFILE, {"action": "consent"})
    assert "Dr Synthetic Example" in _team()


def test_consent_before_a_saved_profile_is_refused_with_what_to_do(client: Client,
                                                                   cast: Cast) -> None:
    client.force_login(cast.coordinator_a)
    page = html.unescape(client.post(MY_PROFILE, {"action": "consent"}, follow=True)
                         .content.decode())
    assert "Save your name and role first; then agree to show them." in page
    assert not StaffProfile.objects.exists()
    page = html.unescape(client.post(MY_PROFILE, {"action": "withdraw"}, follow=True)
                         .content.decode())
    assert "there is nothing to withdraw" in page


def test_a_name_is_required_and_a_long_biography_is_refused(client: Client,
                                                           cast: Cast) -> None:
    client.force_login(cast.surgeon_a)
    page = _save(client, display_name="  ")
    assert "This field is required." in page or "Write your name" in page
    page = _save(client, biography_bg="x" * 2001)
    assert "2000" in page
    assert not StaffProfile.objects.exists()
    with pytest.raises(services.PublicProfileRefused, match="name"):
        services.save_public_profile(by=cast.surgeon_a, display_name=" ", role_title="x",
                                     biographies={})
    with pytest.raises(services.PublicProfileRefused, match="language"):
        services.save_public_profile(by=cast.surgeon_a, display_name="A", role_title="B",
                                     biographies={"fr": "Bonjour"})


@pytest.mark.parametrize("name", ["guardian_a", "analyst", "admin"])
def test_only_care_team_staff_have_a_public_profile(client: Client, cast: Cast,
                                                    name: str) -> None:
    user: User = getattr(cast, name)
    client.force_login(user)
    assert client.get(MY_PROFILE).status_code == 404
    assert client.post(MY_PROFILE, {"action": "save", "display_name": "X",
                                    "role_title": "Y"}).status_code == 404
    with pytest.raises(services.PublicProfileRefused):
        services.save_public_profile(by=user, display_name="X", role_title="Y",
                                     biographies={})
    assert not StaffProfile.objects.exists()


def test_someone_signed_out_is_sent_to_sign_in(client: Client, db: None) -> None:
    response = client.get(MY_PROFILE)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_one_member_of_staff_cannot_change_anothers_profile(client: Client,
                                                            cast: Cast) -> None:
    services.save_public_profile(by=cast.clinician_b, display_name="Dr B", role_title="B",
                                 biographies={})
    services.give_public_profile_consent(by=cast.clinician_b)
    client.force_login(cast.clinician_a)
    client.post(MY_PROFILE, {"action": "withdraw"})
    assert "Dr B" in _team()  # clinician A's withdrawal is about A's own profile only
    page = client.get(MY_PROFILE).content.decode()
    assert "Dr B" not in page


def test_a_profile_leaves_the_page_when_the_account_is_closed_or_leaves_the_care_team(
        cast: Cast) -> None:
    services.save_public_profile(by=cast.surgeon_a, display_name="Dr Leaving",
                                 role_title="Surgeon", biographies={})
    services.give_public_profile_consent(by=cast.surgeon_a)
    assert "Dr Leaving" in _team()
    cast.surgeon_a.role = Role.ANALYST.value
    cast.surgeon_a.save()
    assert "Dr Leaving" not in _team()
    cast.surgeon_a.role = Role.SURGEON.value
    cast.surgeon_a.is_active = False
    cast.surgeon_a.save()
    assert "Dr Leaving" not in _team()


def test_a_photo_is_checked_and_kept_without_its_metadata(client: Client, cast: Cast,
                                                          settings: object) -> None:
    client.force_login(cast.clinician_a)
    photo = SimpleUploadedFile("me.jpg", files.jpeg_with_gps(), content_type="image/jpeg")
    _save(client, photo=photo)
    profile = StaffProfile.objects.get(user=cast.clinician_a)
    assert profile.photo_content_type == "image/jpeg"
    assert b"GPS" not in bytes(profile.photo)
    assert b"Exif" not in bytes(profile.photo)
    services.give_public_profile_consent(by=cast.clinician_a)
    page = _team()
    assert 'src="data:image/jpeg;base64,' in page
    assert 'alt="Photo of Dr Synthetic Example"' in page

    fake = SimpleUploadedFile("me.png", b"<html>not a picture</html>",
                              content_type="image/png")
    page = _save(client, photo=fake)
    assert "The photo must be a PNG or JPEG picture." in page
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (1024 * 1024 + 10),
                             content_type="image/png")
    assert "larger than 1 MB" in _save(client, photo=big)
    profile.refresh_from_db()
    assert profile.photo_content_type == "image/jpeg"  # the refused files changed nothing

    _save(client, remove_photo="on")
    profile.refresh_from_db()
    assert not profile.photo
    assert "data:image" not in _team()


def test_a_photo_dropped_by_the_upload_limit_is_said_and_nothing_saved(
        client: Client, cast: Cast, settings: object) -> None:
    # Past the upload handler's limit the file never reaches the form: the page must say
    # so rather than save the profile as if no photo had been chosen.
    settings.STRIDE_UPLOAD_DOCUMENT_MAX_BYTES = 100  # type: ignore[attr-defined]
    client.force_login(cast.clinician_a)
    photo = SimpleUploadedFile("me.jpg", files.jpeg_with_gps(), content_type="image/jpeg")
    page = _save(client, photo=photo)
    assert "larger than 1 MB" in page
    assert "Your public profile was saved." not in page
    assert not StaffProfile.objects.filter(user=cast.clinician_a).exists()


def test_the_staff_page_is_linked_from_sign_in_security(client: Client, cast: Cast) -> None:
    client.force_login(cast.coordinator_a)
    assert MY_PROFILE in client.get(reverse("accounts:security")).content.decode()
    client.force_login(cast.analyst)
    assert MY_PROFILE not in client.get(reverse("accounts:security")).content.decode()


def test_the_own_profile_page_shows_the_consent_text_in_the_readers_language(
        client: Client, cast: Cast) -> None:
    client.force_login(cast.clinician_a)
    page = html.unescape(client.get(MY_PROFILE, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Save your name and role below first" in page
    _save(client)
    page = html.unescape(client.get(MY_PROFILE).content.decode())
    assert "I agree that the programme shows my name" in page
    assert 'name="biography_zh-hans"' in page
    assert 'lang="zh-hans"' in page


def test_an_administrator_sees_the_profiles_but_cannot_change_them(client: Client,
                                                                   cast: Cast) -> None:
    services.save_public_profile(by=cast.clinician_a, display_name="Dr A", role_title="A",
                                 biographies={})
    profile = StaffProfile.objects.get()
    client.force_login(cast.admin)
    assert client.get(reverse("admin:public_site_staffprofile_changelist")).status_code == 200
    change = reverse("admin:public_site_staffprofile_change", args=[profile.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"display_name": "Changed"})
    profile.refresh_from_db()
    assert profile.display_name == "Dr A"
    assert client.get(reverse("admin:public_site_staffprofile_add")).status_code == 403


def test_a_guardian_is_never_listed_even_with_a_profile_row(cast: Cast) -> None:
    from django.utils import timezone
    StaffProfile.objects.create(user=make_user(Role.GUARDIAN), display_name="Parent Row",
                                role_title="x", consented_at=timezone.now())
    assert "Parent Row" not in _team()


def test_the_role_is_shown_in_the_readers_language_when_written_in_it(
        demo_site: DemoStaff) -> None:
    assert "جراح أعصاب الأطفال" in _team("ar")
    assert "Paediatric neurosurgeon" not in _team("ar")
    # demo-clinician wrote no Chinese role: the role they gave for every page is shown.
    assert "Paediatric rehabilitation physician" in _team("zh-hans")


def test_a_role_alone_in_a_language_is_kept_without_a_biography(client: Client,
                                                                cast: Cast) -> None:
    client.force_login(cast.surgeon_a)
    _save(client, biography_en="", biography_ar="", role_title_ar="جراح")
    profile = StaffProfile.objects.get(user=cast.surgeon_a)
    assert list(profile.biographies.values_list("language", "role_title", "text")) == [
        ("ar", "جراح", "")]
    services.give_public_profile_consent(by=cast.surgeon_a)
    page = _team("ar")
    assert "جراح" in page
    assert 'class="biography"' not in page
    page = html.unescape(client.get(MY_PROFILE).content.decode())
    assert 'value="جراح"' in page
