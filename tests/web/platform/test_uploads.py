"""Upload safety: type by content, size limits while streaming, safe names, no path escape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile
from django.test import RequestFactory
from django.urls import reverse

from stride.web.platform import uploads
from stride.web.platform.storage import open_stored
from stride.web.platform.uploads import (
    JPEG,
    MATROSKA,
    MP4,
    PDF,
    PNG,
    QUICKTIME,
    WEBM,
    SizeLimitedUploadHandler,
    UploadKind,
    UploadRefused,
    clean_original_name,
    oversized_fields,
    sniff,
    stage,
)
from tests.web import files


@pytest.mark.parametrize(("head", "expected"), [
    (files.PDF, PDF),
    (files.jpeg_with_gps(), JPEG),
    (files.png(), PNG),
    (files.MP4, MP4),
    (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", QUICKTIME),
    (files.WEBM, WEBM),
    (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", MATROSKA),
    (b"MZ\x90\x00", None),
    (b"<html><script>alert(1)</script>", None),
    (b"GIF89a", None),
    (b"", None),
])
def test_sniff_recognises_only_the_allowed_types(head: bytes, expected: object) -> None:
    assert sniff(head[:64]) == expected


def test_stage_writes_a_random_name_with_the_detected_extension(media: Path) -> None:
    staged = stage(SimpleUploadedFile("../../etc/passwd.pdf", files.PDF),
                   kind=UploadKind.DOCUMENT)
    assert staged.stored_name.endswith(".pdf")
    assert "passwd" not in staged.stored_name
    assert staged.original_name == "passwd.pdf"
    assert staged.staged_path.read_bytes() == files.PDF
    assert staged.size_bytes == len(files.PDF)
    assert len(staged.sha256) == 64


@pytest.mark.parametrize(("content", "kind"), [
    (files.MP4, UploadKind.DOCUMENT),
    (files.PDF, UploadKind.VIDEO),
    (files.MP4_STUB, UploadKind.VIDEO),
    (files.PDF[:-7], UploadKind.DOCUMENT),
    (b"plain text", UploadKind.DOCUMENT),
    (b"\xff\xd8\xff\xe0 broken jpeg", UploadKind.DOCUMENT),
    (b"", UploadKind.DOCUMENT),
])
def test_stage_refuses_and_leaves_nothing(media: Path, content: bytes, kind: UploadKind) -> None:
    with pytest.raises(UploadRefused):
        stage(SimpleUploadedFile("file.pdf", content), kind=kind)
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_stage_refuses_a_file_over_the_limit(media: Path, settings: Any) -> None:
    settings.STRIDE_UPLOAD_DOCUMENT_MAX_BYTES = 10
    with pytest.raises(UploadRefused, match="larger than"):
        stage(SimpleUploadedFile("big.pdf", files.PDF), kind=UploadKind.DOCUMENT)


def test_the_handler_skips_a_file_once_it_passes_its_limit(settings: Any,
                                                          tmp_path: Path) -> None:
    settings.STRIDE_UPLOAD_DOCUMENT_MAX_BYTES = 100
    settings.STRIDE_UPLOAD_VIDEO_MAX_BYTES = 1000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    request = RequestFactory().post(reverse("intake:inquiry"))
    handler = SizeLimitedUploadHandler(request)
    handler.new_file("walking_video", "v.mp4", "video/mp4", None)
    assert handler.receive_data_chunk(b"x" * 600, 0) is None  # written to its temporary file
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 600, 600)
    handler.new_file("mri_report", "r.pdf", "application/pdf", None)
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 101, 0)
    assert oversized_fields(request) == {"walking_video": UploadKind.VIDEO,
                                         "mri_report": UploadKind.DOCUMENT}


def test_clean_original_name_drops_folders_and_control_characters() -> None:
    assert clean_original_name("C:\\Users\\x\\scan\x00.pdf") == "scan.pdf"
    assert clean_original_name("") == "file"
    assert len(clean_original_name("a" * 400)) == 255


def test_stored_files_open_in_their_folders_and_never_outside_the_media_folder(
        media: Path) -> None:
    uploads.media_root()
    (media / "ok.pdf").write_bytes(files.PDF)
    (media / "letters").mkdir()
    (media / "letters" / "letter.pdf").write_bytes(files.PDF)
    for name in ("ok.pdf", "letters/letter.pdf"):
        with open_stored(name) as handle:
            assert handle.read() == files.PDF
    (media.parent / "secret").write_bytes(b"secret")
    for name in ("../secret", "/etc/passwd", "letters/../../secret", "missing.pdf", ""):
        with pytest.raises(FileNotFoundError):
            open_stored(name)
