"""Several files per kind, and good files kept when another answer needs correcting.

A refused form holds the files that passed their checks in a folder of their own, bound to
the browser's session and the form's token; the page lists them ("Kept: name") with a
remove box, and the next send of the same form records them. Nobody else can reach them,
and the cleaning removes them once the session that holds them cannot be alive.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stride.web.documents.models import Document
from stride.web.intake import services
from stride.web.intake.models import Inquiry
from stride.web.platform.uploads import HELD_FOLDER, clean_stale_files, held_for
from tests.web import files
from tests.web.intake.conftest import inquiry_data, pdf_upload, stored_files, video_upload

INQUIRY = reverse("intake:inquiry")


def _png(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, files.png(), content_type="image/png")


def _held(media: Path) -> list[Path]:
    return [path for path in stored_files(media) if path.parent.name == HELD_FOLDER]


def _kept_names(page: str) -> list[str]:
    return re.findall(r'data-testid="kept-file"><span>Kept: <bdi>([^<]*)</bdi>', page)


def test_several_files_of_each_kind_are_stored(client: Client, db: None, media: Path) -> None:
    response = client.post(INQUIRY, inquiry_data(
        mri_report=[pdf_upload("mri-1.pdf"), _png("mri-page-2.png")],
        medical_documents=[pdf_upload("clinic-letter.pdf"), pdf_upload("hip-xray.pdf")],
        walking_video=[video_upload("front.mp4"), video_upload("side.mp4")]))
    assert response.status_code == 302
    stored = {(d.kind, d.original_name) for d in Document.objects.all()}
    assert stored == {("mri-report", "mri-1.pdf"), ("mri-image", "mri-page-2.png"),
                      ("medical-record", "clinic-letter.pdf"),
                      ("medical-record", "hip-xray.pdf"),
                      ("walking-video", "front.mp4"), ("walking-video", "side.mp4")}
    assert all((media / d.stored_name).is_file() for d in Document.objects.all())
    assert _held(media) == []


def test_a_refused_file_keeps_the_good_files_for_the_next_send(client: Client, db: None,
                                                               media: Path) -> None:
    data = inquiry_data()
    refused = client.post(INQUIRY, {
        **data, "mri_report": [pdf_upload("mri.pdf")],
        "medical_documents": [pdf_upload("letter.pdf"), pdf_upload("fake.pdf", b"MZ not a pdf")],
        "walking_video": [video_upload("walk.mp4", files.MP4_STUB)]})
    assert refused.status_code == 400
    page = refused.text
    assert "fake.pdf: This file is not a PDF, JPEG or PNG." in page
    assert "walk.mp4: This video could not be read" in page
    assert sorted(_kept_names(page)) == ["letter.pdf", "mri.pdf"]
    assert len(_held(media)) == 2
    assert not Inquiry.objects.exists()

    # The family chooses a good video and sends the same form again: nothing else to choose.
    sent = client.post(INQUIRY, {**data, "walking_video": [video_upload("walk.mp4")]})
    assert sent.status_code == 302
    stored = sorted(Document.objects.values_list("kind", "original_name"))
    assert stored == [("medical-record", "letter.pdf"), ("mri-report", "mri.pdf"),
                      ("walking-video", "walk.mp4")]
    assert _held(media) == []
    assert all((media / d.stored_name).is_file() for d in Document.objects.all())


def test_a_missing_answer_keeps_the_files_and_a_kept_file_can_be_removed(
        client: Client, db: None, media: Path) -> None:
    data = inquiry_data()
    incomplete = {**data, "child_given_name": "",
                  "mri_report": [pdf_upload("keep.pdf"), pdf_upload("wrong-child.pdf")]}
    refused = client.post(INQUIRY, incomplete)
    assert refused.status_code == 400
    assert sorted(_kept_names(refused.text)) == ["keep.pdf", "wrong-child.pdf"]
    wrong = re.search(r'<bdi>wrong-child.pdf</bdi></span>\s*<label[^>]*><input type="checkbox" '
                      r'name="remove_held" value="([0-9a-f]{32}\.pdf)"', refused.text)
    assert wrong is not None
    sent = client.post(INQUIRY, {**data, "remove_held": [wrong.group(1)]})
    assert sent.status_code == 302
    assert list(Document.objects.values_list("original_name", flat=True)) == ["keep.pdf"]
    assert not (media / HELD_FOLDER / wrong.group(1)).exists()
    assert len(stored_files(media)) == 1


def test_kept_files_belong_to_one_browser_and_one_form(client: Client, db: None,
                                                      media: Path) -> None:
    data = inquiry_data()
    client.post(INQUIRY, {**data, "email": "", "mri_report": pdf_upload("private.pdf")})
    assert len(_held(media)) == 1
    # Another browser sending the same token gets nothing of it.
    other = Client()
    assert other.post(INQUIRY, data).status_code == 302
    assert not Document.objects.exists()
    # The first browser starting another form: the kept file of the first one is removed.
    client.post(INQUIRY, inquiry_data(email=""))
    assert _held(media) == []


def test_a_field_takes_at_most_its_count_with_the_kept_files(client: Client, db: None,
                                                             media: Path) -> None:
    data = inquiry_data()
    client.post(INQUIRY, {**data, "email": "",
                          "walking_video": [video_upload("a.mp4"), video_upload("b.mp4")]})
    too_many = client.post(INQUIRY, {**data, "walking_video": [video_upload("c.mp4")]})
    assert too_many.status_code == 400
    assert "You can send at most 2 files here." in too_many.text
    assert sorted(_kept_names(too_many.text)) == ["a.mp4", "b.mp4"]


def test_kept_files_are_cleaned_once_their_session_cannot_be_alive(
        client: Client, db: None, media: Path, settings: Any, tmp_path: Path) -> None:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-temp")  # this test's own folder
    client.post(INQUIRY, inquiry_data(email="", mri_report=pdf_upload()))
    (kept,) = _held(media)
    assert held_for() == timedelta(seconds=settings.SESSION_COOKIE_AGE) + timedelta(hours=1)
    soon = time.time() + held_for().total_seconds() - 60
    assert clean_stale_files(now=soon) == []
    later = time.time() + held_for().total_seconds() + 60
    assert clean_stale_files(now=later) == [kept]


def test_too_many_refused_forms_with_files_are_not_kept(client: Client, db: None, media: Path,
                                                        monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "KEPT_FILES_MAX_PER_HOUR", 1)
    data = inquiry_data(email="")
    client.post(INQUIRY, {**data, "mri_report": pdf_upload("first.pdf")})
    second = client.post(INQUIRY, {**data, "medical_documents": pdf_upload("second.pdf")})
    assert "could not be kept this time: choose them again" in second.text
    assert _kept_names(second.text) == ["first.pdf"]
    assert len(_held(media)) == 1
