"""Videos: the container checked with ffprobe, the copy made by ffmpeg without location or
other metadata, truncated files and files that only start like a video refused.

The videos are real and synthetic (ffmpeg's test pattern, :mod:`tests.web.files`); the
location is written as phones write it (``moov/udta/©xyz``; Apple's ISO 6709 key in a MOV).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stride.web.documents.models import Document
from stride.web.platform import media_checks
from stride.web.platform.media_checks import MediaRefused, Reason, VideoTools
from stride.web.platform.uploads import UploadKind, UploadRefused, stage
from tests.web import files
from tests.web.intake.conftest import inquiry_data, stored_files

DAMAGED = re.escape("This video could not be read: it is incomplete or damaged, or holds no "
                    "picture.")


def _stage(content: bytes, name: str = "walk.mp4") -> Any:
    return stage(SimpleUploadedFile(name, content, content_type="video/mp4"),
                 kind=UploadKind.VIDEO)


def _probe(path: Path) -> dict[str, Any]:
    program = shutil.which("ffprobe")
    assert program is not None
    result = subprocess.run([program, "-v", "error", "-show_format", "-show_streams",  # noqa: S603
                             "-of", "json", str(path)], check=True, capture_output=True)
    probed: dict[str, Any] = json.loads(result.stdout)
    return probed


def _tags(probed: dict[str, Any]) -> dict[str, str]:
    """Every metadata tag of the file and its streams, keys lower-cased."""
    found = {k.lower(): v for k, v in probed["format"].get("tags", {}).items()}
    for stream in probed["streams"]:
        found |= {k.lower(): v for k, v in stream.get("tags", {}).items()}
    return found


def test_an_mp4_loses_the_location_phones_write_and_keeps_picture_and_sound(
        media: Path) -> None:
    original = files.mp4_with_location()
    assert b"\xa9xyz" in original
    assert files.LOCATION in original
    staged = _stage(original)
    kept = staged.staged_path.read_bytes()
    assert files.LOCATION not in kept
    assert b"\xa9xyz" not in kept
    assert staged.content_type == "video/mp4"
    assert staged.metadata_removed
    probed = _probe(staged.staged_path)
    assert "location" not in _tags(probed)
    assert sorted(s["codec_type"] for s in probed["streams"]) == ["audio", "video"]
    assert float(probed["format"]["duration"]) == pytest.approx(1.0, abs=0.2)


def test_a_mov_loses_its_location_tags_and_other_metadata(media: Path) -> None:
    original = files.video(
        "mov", "-movflags", "use_metadata_tags",
        "-metadata", "location=+42.6977+023.3219/",
        "-metadata", "com.apple.quicktime.location.ISO6709=+42.6977+023.3219+550.000/",
        "-metadata", "title=Walking at home", "-metadata", "creation_time=2025-03-01T10:00:00Z",
        "-metadata:s:v:0", "handler_name=Secret Handler")
    assert b"42.6977" in original
    staged = _stage(original, "walk.mov")
    kept = staged.staged_path.read_bytes()
    for secret in (b"42.6977", b"Walking at home", b"Secret Handler", b"ISO6709"):
        assert secret not in kept
    assert staged.content_type == "video/quicktime"
    tags = _tags(_probe(staged.staged_path))
    assert not {"location", "title", "creation_time", "encoder"} & set(tags)


def test_only_picture_and_sound_are_copied(media: Path, tmp_path: Path) -> None:
    """A text track (it could carry a route or a name) is not copied; neither are chapters."""
    subtitles = tmp_path / "s.srt"
    subtitles.write_text("1\n00:00:00,000 --> 00:00:01,000\nAt 42.6977 23.3219\n")
    program = shutil.which("ffmpeg")
    assert program is not None
    source, out = tmp_path / "in.mp4", tmp_path / "out.mp4"
    source.write_bytes(files.MP4)
    subprocess.run([program, "-v", "error", "-i", str(source), "-i", str(subtitles),  # noqa: S603
                    "-map", "0", "-map", "1", "-c", "copy", "-c:s", "mov_text", str(out)],
                   check=True)
    assert len(_probe(out)["streams"]) == 3
    staged = _stage(out.read_bytes())
    assert b"42.6977" not in staged.staged_path.read_bytes()
    assert sorted(s["codec_type"] for s in _probe(staged.staged_path)["streams"]) == [
        "audio", "video"]


def test_the_rotation_of_a_phone_video_is_kept(media: Path, tmp_path: Path) -> None:
    program = shutil.which("ffmpeg")
    assert program is not None
    source, turned = tmp_path / "in.mp4", tmp_path / "turned.mp4"
    source.write_bytes(files.MP4)
    subprocess.run([program, "-v", "error", "-i", str(source), "-c", "copy",  # noqa: S603
                    "-metadata:s:v:0", "rotate=90", str(turned)], check=True)
    staged = _stage(turned.read_bytes())
    video = next(s for s in _probe(staged.staged_path)["streams"] if s["codec_type"] == "video")
    assert [d.get("rotation") for d in video.get("side_data_list", [])] in ([90], [-90])


@pytest.mark.parametrize(("container", "content_type"), [
    ("webm", "video/webm"), ("mkv", "video/x-matroska"), ("mp4", "video/mp4"),
    ("mov", "video/quicktime")])
def test_each_accepted_container_is_kept_as_its_own_type(media: Path, container: str,
                                                         content_type: str) -> None:
    staged = _stage(files.video(container, "-metadata", "title=Secret title"),
                    f"walk.{container}")
    assert staged.content_type == content_type
    assert b"Secret title" not in staged.staged_path.read_bytes()
    assert len(staged.sha256) == 64
    assert staged.size_bytes == staged.staged_path.stat().st_size


def test_a_54_byte_html_file_that_starts_like_an_mp4_is_refused(media: Path) -> None:
    html = (files.MP4_STUB[:16] + b"<html><script>alert(1)</script></html>")[:54]
    assert len(html) == 54
    with pytest.raises(UploadRefused, match=DAMAGED):
        _stage(html)
    with pytest.raises(UploadRefused, match=r"This file is not an MP4, MOV or WebM video\."):
        _stage(b"<html><script>alert(1)</script></html>")
    assert stored_files(media) == []


def test_a_matroska_file_claiming_to_be_webm_is_refused(media: Path) -> None:
    """The doctype says WebM, the picture is H.264, which WebM cannot hold."""
    matroska = files.video("mkv")
    claimed = matroska.replace(b"\x42\x82\x88matroska", b"\x42\x82\x88webm\x00\x00\x00\x00", 1)
    assert claimed != matroska
    with pytest.raises(UploadRefused, match=DAMAGED):
        _stage(claimed, "walk.webm")
    assert stored_files(media) == []


@pytest.mark.parametrize("container", ["mp4", "mov", "webm", "faststart"])
def test_a_truncated_video_is_refused(media: Path, container: str) -> None:
    whole = (files.video("mp4", "-movflags", "+faststart") if container == "faststart"
             else files.video(container))
    for cut in sorted({1, 9, 200, len(whole) // 2, len(whole) - 300}):
        with pytest.raises(UploadRefused, match=DAMAGED):
            _stage(whole[:-cut], f"walk.{container}")
    assert stored_files(media) == []


def test_without_ffmpeg_videos_are_refused_as_unchecked(media: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(media_checks, "find_video_tools", lambda: None)
    with pytest.raises(UploadRefused, match="This video could not be checked just now"):
        _stage(files.MP4)
    assert stored_files(media) == []


def test_a_check_that_runs_out_of_time_is_stopped_and_refused(tmp_path: Path) -> None:
    slow = tmp_path / "slow-tool"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(0o755)
    source, target = tmp_path / "walk.mp4", tmp_path / "copy.mp4"
    source.write_bytes(files.MP4)
    started = time.monotonic()
    with pytest.raises(MediaRefused) as refused:
        media_checks.write_video_without_metadata(
            source, target, media_checks.MP4_CONTAINER, timeout_seconds=0.5,
            tools=VideoTools(ffmpeg=str(slow), ffprobe=str(slow)))
    assert refused.value.reason is Reason.CHECK_UNAVAILABLE
    assert time.monotonic() - started < 10  # stopped, not waited for
    assert not target.exists()


def test_the_public_form_stores_the_walking_video_without_its_location(
        client: Client, db: None, media: Path) -> None:
    response = client.post(reverse("intake:inquiry"), inquiry_data(
        walking_video=SimpleUploadedFile("walk.mp4", files.mp4_with_location(),
                                         content_type="video/mp4")))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "video/mp4"
    assert document.metadata_removed
    assert files.LOCATION not in (media / document.stored_name).read_bytes()
