"""The file checks under damaged and random bytes: a refusal of their own, or a clean copy.

Each example starts from a real file (JPEG, progressive JPEG, PNG, PDF, MP4, WebM) and
damages it (cut short, bytes flipped, overwritten or inserted), or is random bytes behind a
real magic number. :func:`stage` must either refuse with :class:`UploadRefused`, leaving
nothing in the media folder, or keep exactly one file that passes the check again. No
other exception may come out, and the decision is the same whatever Pillow's process-wide
truncation flag says (WeasyPrint turns it on). The
structure checks of :mod:`.media_checks` are held to the same rule on raw bytes, and a file
cut short is always refused.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from stride.web.platform import media_checks
from stride.web.platform.media_checks import MediaRefused
from stride.web.platform.uploads import UploadKind, UploadRefused, discard, stage
from tests.web import files
from tests.web.intake.conftest import stored_files

_SLOW = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
         HealthCheck.data_too_large]


def _jpeg(progressive: bool) -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((48, 32)).convert("RGB").save(
        out, format="JPEG", progressive=progressive, quality=80)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((48, 32)).save(out, format="PNG")
    return out.getvalue()


DOCUMENTS = {"jpeg": _jpeg(False), "progressive": _jpeg(True), "png": _png(),
             "pdf": files.PDF}


def _videos() -> dict[str, bytes]:
    return {"mp4": files.video("mp4", seconds=0.5),
            "faststart": files.video("mp4", "-movflags", "+faststart", seconds=0.5),
            "webm": files.video("webm", seconds=0.5)}


@st.composite
def damaged(draw: st.DrawFn, originals: dict[str, bytes]) -> bytes:
    """A real file damaged one way or another, or random bytes behind its magic number."""
    data = bytearray(originals[draw(st.sampled_from(sorted(originals)))])
    how = draw(st.sampled_from(["cut", "flip", "overwrite", "insert", "random"]))
    if how == "cut":
        return bytes(data[:draw(st.integers(0, len(data) - 1))])
    if how == "random":
        return bytes(data[:draw(st.integers(1, 12))]) + draw(st.binary(max_size=600))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        if how == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "overwrite":
            piece = draw(st.binary(min_size=1, max_size=16))
            data[at:at + len(piece)] = piece
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


def _refused_or_clean(content: bytes, kind: UploadKind, media: Path) -> None:
    try:
        staged = stage(SimpleUploadedFile("file", content), kind=kind)
    except UploadRefused:
        staged = None
    if staged is None:
        assert stored_files(media) == []
        return
    try:
        assert stored_files(media) == [staged.staged_path]
        again = stage(SimpleUploadedFile("again", staged.staged_path.read_bytes()), kind=kind)
        discard([again])
    finally:
        discard([staged])


@pytest.fixture(params=[False, True], ids=["pillow-strict", "pillow-lenient"])
def pillow_truncation(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both settings of Pillow's truncation flag (WeasyPrint turns it on process-wide)."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", request.param)


@pytest.mark.usefixtures("pillow_truncation")
@settings(max_examples=150, deadline=None, suppress_health_check=_SLOW)
@given(content=damaged(DOCUMENTS))
def test_damaged_documents_are_refused_or_copied_clean(media: Path, content: bytes) -> None:
    _refused_or_clean(content, UploadKind.DOCUMENT, media)


def _accepted(content: bytes) -> bool:
    try:
        discard([stage(SimpleUploadedFile("file", content), kind=UploadKind.DOCUMENT)])
    except UploadRefused:
        return False
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=_SLOW)
@given(content=damaged(DOCUMENTS))
def test_the_decision_does_not_depend_on_pillows_truncation_flag(
        media: Path, monkeypatch: pytest.MonkeyPatch, content: bytes) -> None:
    decisions = []
    for lenient in (False, True):
        monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient)
        decisions.append(_accepted(content))
    assert decisions[0] == decisions[1]
    assert stored_files(media) == []


@settings(max_examples=30, deadline=None, suppress_health_check=_SLOW)
@given(data=st.data())
def test_damaged_videos_are_refused_or_copied_clean(media: Path, data: st.DataObject) -> None:
    _refused_or_clean(data.draw(damaged(_videos())), UploadKind.VIDEO, media)


@settings(max_examples=60, deadline=None, suppress_health_check=_SLOW)
@given(data=st.data())
def test_a_document_cut_short_is_always_refused(media: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(DOCUMENTS)))
    original = DOCUMENTS[name]
    # A PDF is whole as long as its end-of-file marker is there (only the last newline
    # may go); images lose their end marker with any byte.
    whole = original.rindex(b"%%EOF") + 5 if name == "pdf" else len(original)
    content = original[:data.draw(st.integers(0, whole - 1))]
    with pytest.raises(UploadRefused):
        stage(SimpleUploadedFile("file", content), kind=UploadKind.DOCUMENT)
    assert stored_files(media) == []


@settings(max_examples=20, deadline=None, suppress_health_check=_SLOW)
@given(data=st.data())
def test_a_video_cut_short_is_always_refused(media: Path, data: st.DataObject) -> None:
    videos = _videos()
    original = videos[data.draw(st.sampled_from(sorted(videos)))]
    content = original[:data.draw(st.integers(0, len(original) - 1))]
    with pytest.raises(UploadRefused):
        stage(SimpleUploadedFile("file", content), kind=UploadKind.VIDEO)
    assert stored_files(media) == []


_CHECKS: dict[str, Callable[[IO[bytes], int], Any]] = {
    "png-size": lambda fp, _n: media_checks.png_size(fp),
    "png-structure": lambda fp, _n: media_checks.check_png_structure(fp),
    "jpeg-size": lambda fp, _n: media_checks.jpeg_size(fp),
    "jpeg-structure": lambda fp, _n: media_checks.check_jpeg_structure(fp, 2),
    "pdf": media_checks.check_pdf,
    "iso-media": media_checks.check_iso_media,
    "webm": lambda fp, n: media_checks.check_ebml(fp, n, doctype="webm"),
}
_PREFIXES = [b"", b"\x89PNG\r\n\x1a\n", b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
             b"\xff\xd8", b"\xff\xd8\xff\xc0", b"%PDF-1.7", b"\x00\x00\x00\x18ftypisom",
             b"\x1a\x45\xdf\xa3"]


@settings(max_examples=400, deadline=None)
@given(check=st.sampled_from(sorted(_CHECKS)), prefix=st.sampled_from(_PREFIXES),
       rest=st.binary(max_size=300))
def test_the_structure_checks_only_ever_refuse(check: str, prefix: bytes, rest: bytes) -> None:
    content = prefix + rest
    with contextlib.suppress(MediaRefused):
        _CHECKS[check](io.BytesIO(content), len(content))
