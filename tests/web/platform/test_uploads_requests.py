"""Whole requests: which file parts a page takes, what reaches the temporary folder, and
that nothing of an upload outlives its request (or a killed process, after cleaning).

"Nothing written" is observed where it happens: every temporary upload file Django creates
is recorded (``created`` fixture), so a part turned away unread leaves no record at all.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

import stride.web
from stride.web.documents.models import Document
from stride.web.fhir.forms import UploadForm as FhirBundleForm
from stride.web.followup.forms import FamilyFollowUpForm
from stride.web.intake.forms import InquiryForm
from stride.web.intake.models import Inquiry
from stride.web.ionm.forms import RecordingUploadForm
from stride.web.patients.forms import PaperConsentForm, StaffWithdrawalForm
from stride.web.platform import uploads
from stride.web.platform.admin import ProgrammeProfileForm
from stride.web.platform.uploads import (
    STAGING_FOLDER,
    UploadKind,
    accepted_fields,
    request_max_bytes,
)
from stride.web.portal.forms import DocumentForm
from stride.web.site.forms import PublicProfileForm
from tests.conftest import Cast
from tests.web import files
from tests.web.intake.conftest import inquiry_data, pdf_upload, stored_files, video_upload

NOTICE = "Some of the files sent were not accepted"
#: The form each page with file fields shows (the declaration must match its file fields).
FORMS: dict[str, type[forms.BaseForm]] = {
    "intake:inquiry": InquiryForm,
    "portal:upload": DocumentForm,
    "followup:family-report": FamilyFollowUpForm,
    "ionm:upload": RecordingUploadForm,
    "patients:consent-record": PaperConsentForm,
    "patients:consent-withdraw": StaffWithdrawalForm,
    # The programme's logo, entered by an administrator (add and change pages).
    "admin:platform_programmeprofile_add": ProgrammeProfileForm,
    "admin:platform_programmeprofile_change": ProgrammeProfileForm,
    # A member of staff's photo on their public profile (site app).
    "site:my-profile": PublicProfileForm,
    # A referring hospital's FHIR Bundle (JSON), read and checked by core.fhir's parser.
    "fhir:import": FhirBundleForm,
}


@pytest.fixture
def temp_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "upload-temp"
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def created(monkeypatch: pytest.MonkeyPatch, temp_dir: Path) -> list[str]:
    """The names of the files sent whose temporary upload file was created."""
    names: list[str] = []
    original = TemporaryUploadedFile.__init__

    def recording(self: TemporaryUploadedFile, name: str, *args: Any, **kwargs: Any) -> None:
        names.append(name)
        original(self, name, *args, **kwargs)

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", recording)
    return names


def _left_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _big(name: str, size: int = 2_000_000) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x00" * size, content_type="application/octet-stream")


# ------------------------------------------------------------------ which parts a page takes


def test_file_fields_the_form_does_not_have_are_never_written(
        client: Client, db: None, media: Path, temp_dir: Path, created: list[str]) -> None:
    response = client.post(reverse("intake:inquiry"), inquiry_data(
        mri_report=pdf_upload("report.pdf"), extra_a=_big("a.bin"), extra_b=_big("b.bin")),
        follow=True)
    assert response.redirect_chain[-1][0] == reverse("intake:acknowledgement")
    assert created == ["report.pdf"]  # the two others were turned away unread
    assert NOTICE in response.text
    assert Inquiry.objects.count() == 1
    assert Document.objects.count() == 1
    assert _left_in(temp_dir) == []


def test_files_past_a_fields_count_are_turned_away(client: Client, db: None, media: Path,
                                                   created: list[str]) -> None:
    # The inquiry form takes 5 MRI reports and 2 videos (settings.STRIDE_UPLOAD_MAX_FILES).
    reports = [pdf_upload(f"report-{i}.pdf") for i in range(6)]
    videos = [video_upload(f"walk-{i}.mp4") for i in range(3)]
    response = client.post(reverse("intake:inquiry"), inquiry_data(
        mri_report=reports, walking_video=videos), follow=True)
    assert created == [f"report-{i}.pdf" for i in range(5)] + ["walk-0.mp4", "walk-1.mp4"]
    assert NOTICE in response.text
    assert Document.objects.count() == 7


def test_a_second_file_in_a_one_file_field_is_turned_away(cast: Cast, client: Client,
                                                          created: list[str],
                                                          media: Path) -> None:
    client.force_login(cast.guardian_a)
    client.post(reverse("portal:upload", args=[cast.case_a.pk]), {
        "kind": "walking-video", "upload_video": [video_upload("a.mp4"), video_upload("b.mp4")]})
    assert created == ["a.mp4"]


def test_a_page_without_file_fields_takes_no_file(client: Client, db: None,
                                                  created: list[str], temp_dir: Path) -> None:
    client.post(reverse("accounts:login"), {"username": "x", "password": "y",
                                            "attachment": _big("a.bin")})
    assert created == []
    assert _left_in(temp_dir) == []


def test_someone_not_signed_in_sends_no_file_to_the_portal(cast: Cast, created: list[str],
                                                           media: Path) -> None:
    client = Client(enforce_csrf_checks=True)  # the CSRF check reads the form first
    response = client.post(reverse("portal:upload", args=[cast.case_a.pk]),
                           {"kind": "walking-video", "upload_video": video_upload()})
    assert response.status_code in (302, 403)
    assert created == []
    assert not Document.objects.exists()


def test_a_signed_in_guardian_still_sends_the_declared_file(cast: Cast, client: Client,
                                                            created: list[str],
                                                            media: Path) -> None:
    client.force_login(cast.guardian_a)
    response = client.post(reverse("portal:upload", args=[cast.case_a.pk]),
                           {"kind": "walking-video", "upload_video": video_upload(),
                            "upload_document": pdf_upload(), "sneaky": _big("x.bin")})
    assert response.status_code == 302
    assert sorted(created) == ["mri-report.pdf", "walking.mp4"]


def test_very_many_file_parts_get_the_sites_own_page_not_djangos(
        client: Client, db: None, media: Path, temp_dir: Path) -> None:
    many = {f"f{i}": _big(f"{i}.bin", 10) for i in range(django_settings
                                                        .DATA_UPLOAD_MAX_NUMBER_FILES + 1)}
    response = client.post(reverse("intake:inquiry"), inquiry_data(**many))
    assert response.status_code == 400
    assert "Bad Request (400)" not in response.text
    assert '<html lang="en"' in response.text  # the site's page, translated
    assert Inquiry.objects.count() == 0
    assert _left_in(temp_dir) == []


def test_a_request_leaves_at_most_its_pages_file_limits_on_disk(settings: Any) -> None:
    settings.STRIDE_UPLOAD_DOCUMENT_MAX_BYTES = 20_000_000
    settings.STRIDE_UPLOAD_VIDEO_MAX_BYTES = 300_000_000
    request = RequestFactory().post(reverse("intake:inquiry"))
    assert accepted_fields(request) == {"mri_report": UploadKind.DOCUMENT,
                                        "medical_documents": UploadKind.DOCUMENT,
                                        "walking_video": UploadKind.VIDEO}
    # 5 + 5 documents of 20 MB and 2 videos of 300 MB (settings.STRIDE_UPLOAD_MAX_FILES)
    assert request_max_bytes(request) == (800_000_000 + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
                                          + 1_000_000)
    assert accepted_fields(RequestFactory().post(reverse("accounts:login"))) == {}


def test_every_file_field_of_every_form_is_declared_for_its_page() -> None:
    for module in pkgutil.walk_packages(stride.web.__path__, "stride.web."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    with_files = {form for form in subclasses(forms.BaseForm)
                  if form.__module__.startswith("stride.web.")
                  and any(isinstance(f, forms.FileField)
                          for f in getattr(form, "base_fields", {}).values())}
    assert with_files == set(FORMS.values()), "declare the new file field in settings"
    assert set(django_settings.STRIDE_UPLOAD_FIELDS) == set(FORMS)
    for page, form in FORMS.items():
        fields = {name: field for name, field in form.base_fields.items()
                  if isinstance(field, forms.FileField)}
        assert set(django_settings.STRIDE_UPLOAD_FIELDS[page]) == set(fields), page
        for name, kind in django_settings.STRIDE_UPLOAD_FIELDS[page].items():
            assert UploadKind(kind) is uploads.kind_of_field(name), (page, name)
    assert set(django_settings.STRIDE_UPLOAD_PUBLIC_PAGES) == {"intake:inquiry"}


# ------------------------------------------------------------------ temporary files


def test_uploads_are_written_in_the_projects_temporary_folder_and_gone_after_the_request(
        client: Client, db: None, media: Path, temp_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Path] = []
    original = TemporaryUploadedFile.__init__

    def recording(self: TemporaryUploadedFile, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        seen.append(Path(self.temporary_file_path()))

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", recording)
    accepted = client.post(reverse("intake:inquiry"), inquiry_data(
        mri_report=pdf_upload(), walking_video=video_upload()))
    refused = client.post(reverse("intake:inquiry"), inquiry_data(
        mri_report=pdf_upload(), walking_video=video_upload(content=files.MP4_STUB)))
    assert (accepted.status_code, refused.status_code) == (302, 400)
    assert len(seen) == 4
    assert all(path.parent == temp_dir for path in seen)
    assert _left_in(temp_dir) == []
    assert stored_files(media / STAGING_FOLDER) == []


def test_a_file_passing_its_limit_mid_stream_is_deleted_at_once(
        client: Client, db: None, media: Path, temp_dir: Path, settings: Any) -> None:
    settings.STRIDE_UPLOAD_VIDEO_MAX_BYTES = 100_000
    response = client.post(reverse("intake:inquiry"), inquiry_data(
        mri_report=pdf_upload(), walking_video=_big("walk.mp4", 300_000)))
    assert response.status_code == 400
    assert "This file is larger than 0.1 MB." in response.text
    assert _left_in(temp_dir) == []


def _age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_what_a_killed_process_leaves_is_removed_by_the_cleaning_command(
        temp_dir: Path, media: Path) -> None:
    temp_dir.mkdir(parents=True)
    script = (
        "import os, signal\n"
        "from django.conf import settings\n"
        f"settings.configure(FILE_UPLOAD_TEMP_DIR={str(temp_dir)!r})\n"
        "from django.core.files.uploadedfile import TemporaryUploadedFile\n"
        "upload = TemporaryUploadedFile('walk.mp4', 'video/mp4', 0, None)\n"
        "upload.write(b'x' * 1000)\n"
        "upload.flush()\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")
    killed = subprocess.run([sys.executable, "-c", script], check=False)  # noqa: S603
    assert killed.returncode == -9
    (left,) = _left_in(temp_dir)
    staged = uploads.media_root() / STAGING_FOLDER / "0123abcd.mp4"
    staged.write_bytes(b"staged, never committed")
    fresh = temp_dir / "tmpfresh.upload.mp4"
    fresh.write_bytes(b"a running request's file")
    other = temp_dir / "notes.txt"
    other.write_bytes(b"not ours")
    for path in (left, staged, other):
        _age(path, 2)
    call_command("clean_uploads")
    assert not left.exists()
    assert not staged.exists()
    assert fresh.exists()  # younger than an hour: a request may still be using it
    assert other.exists()  # only upload files are removed


def test_stale_files_are_removed_at_a_processs_first_upload(
        client: Client, db: None, media: Path, temp_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    temp_dir.mkdir(parents=True)
    stale = temp_dir / "tmpold.upload.pdf"
    stale.write_bytes(b"left behind")
    _age(stale, 3)
    monkeypatch.setattr(uploads, "_swept", False)
    client.post(reverse("intake:inquiry"), inquiry_data(mri_report=pdf_upload()))
    assert not stale.exists()
