"""Images: the pixel cap read from the header before any decoding, one decode, nothing kept
of a truncated or mislabelled file, no metadata in the copy.

Memory is checked as facts that do not depend on the machine: Pillow's own count of the
images it allocated (``Image.core.get_stats``: a decoded image is one) and Python's traced
allocations (``tracemalloc``) far below the decoded size. Times are measured in
``benchmarks/uploads.py``, never asserted here.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageFile, PngImagePlugin

from stride.web.documents.models import Document
from stride.web.intake.models import Inquiry
from stride.web.platform import media_checks
from stride.web.platform.uploads import UploadKind, UploadRefused, stage
from tests.web import files
from tests.web.intake.conftest import inquiry_data, stored_files

ORIENTATION = 0x0112
ROOT = Path(__file__).resolve().parents[3]


def _stage(content: bytes, name: str = "scan.png") -> Any:
    return stage(SimpleUploadedFile(name, content), kind=UploadKind.DOCUMENT)


def _photo(size: tuple[int, int] = (40, 30), **save: Any) -> bytes:
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", **save)
    return out.getvalue()


def _png(image: Image.Image, **save: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **save)
    return out.getvalue()


@pytest.fixture
def truncated_images_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pillow as WeasyPrint leaves it for the whole process: truncated images load."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)


# ------------------------------------------------------------------ the pixel cap


def test_a_169_megapixel_png_is_refused_from_its_header_without_decoding(media: Path) -> None:
    bomb = files.png_bomb(13_000, 13_000)
    assert len(bomb) < 1_000_000  # a few hundred KB that would decode to 169 MB
    Image.core.reset_stats()
    tracemalloc.start()
    try:
        with pytest.raises(UploadRefused) as refused:
            _stage(bomb)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.message == (
        "This image is 13000 × 13000 pixels, more than the 50 million accepted. Send it at a "
        "lower resolution (a smaller photo or scan), or as a PDF.")
    assert Image.core.get_stats()["new_count"] == 0  # Pillow allocated no image at all
    assert peak < 8_000_000  # Python's allocations: the header and the refusal, not pixels
    assert stored_files(media) == []


def test_the_public_form_refuses_the_169_megapixel_png_and_stores_nothing(
        client: Client, db: None, media: Path) -> None:
    Image.core.reset_stats()
    response = client.post(reverse("intake:inquiry"), inquiry_data(
        mri_report=SimpleUploadedFile("scan.png", files.png_bomb(13_000, 13_000),
                                      content_type="image/png")))
    assert response.status_code == 400
    assert "This image is 13000 × 13000 pixels, more than the 50 million" in response.text
    assert Image.core.get_stats()["new_count"] == 0
    assert Inquiry.objects.count() == 0
    assert Document.objects.count() == 0
    assert stored_files(media) == []


def test_an_81_megapixel_png_is_refused(media: Path) -> None:
    with pytest.raises(UploadRefused, match="9000 × 9000 pixels"):
        _stage(files.png_bomb(9_000, 9_000))
    assert stored_files(media) == []


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_the_cap_is_a_setting_counted_in_pixels(media: Path, settings: Any, fmt: str) -> None:
    settings.STRIDE_UPLOAD_IMAGE_MAX_PIXELS = 1_200
    image = Image.new("RGB", (40, 30), (10, 20, 30))
    out = io.BytesIO()
    image.save(out, format=fmt)
    assert _stage(out.getvalue(), f"a.{fmt.lower()}").size_bytes > 0  # exactly at the cap
    taller = io.BytesIO()
    image.resize((40, 31)).save(taller, format=fmt)
    with pytest.raises(UploadRefused, match=r"40 × 31 pixels, more than the 0\.0012 million"):
        _stage(taller.getvalue(), f"b.{fmt.lower()}")


def test_the_jpeg_size_comes_from_its_frame_header_past_the_exif_thumbnail() -> None:
    # The EXIF block (APP1) before the frame header holds a whole thumbnail JPEG, with a
    # frame header of its own: the walk skips the block by its length.
    thumbnail = _photo((8, 8))
    app1 = b"Exif\x00\x00" + thumbnail
    photo = _photo((640, 480))
    with_thumbnail = photo[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 \
        + photo[2:]
    size, _scan = media_checks.jpeg_size(io.BytesIO(with_thumbnail))
    assert (size.width, size.height) == (640, 480)


def test_a_cap_above_pillows_bomb_threshold_stops_start_up() -> None:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("STRIDE_", "DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env={**clean, "STRIDE_ENV": "demo", "STRIDE_UPLOAD_IMAGE_MAX_MEGAPIXELS": "90",
             "DATABASE_URL": "sqlite:////tmp/stride-settings-check.sqlite3"},
        capture_output=True, text=True, cwd=ROOT, check=False, timeout=120)
    assert result.returncode == 2
    assert "STRIDE_UPLOAD_IMAGE_MAX_MEGAPIXELS: 90 is outside" in result.stderr


def test_the_cap_stays_within_pillows_own_bomb_protection(settings: Any) -> None:
    """Pillow's decompression-bomb check stays on behind the cap and never fires first."""
    assert Image.MAX_IMAGE_PIXELS is not None
    assert settings.STRIDE_UPLOAD_IMAGE_MAX_PIXELS <= Image.MAX_IMAGE_PIXELS
    assert Image.MAX_IMAGE_PIXELS >= 89 * 1_000_000  # the setting's largest allowed value


# ------------------------------------------------------------------ one decode


@pytest.mark.parametrize("content", [files.jpeg_with_gps(), files.png()],
                         ids=["jpeg", "png"])
def test_an_image_is_decoded_once_and_never_copied(media: Path, content: bytes) -> None:
    Image.core.reset_stats()
    _stage(content, "photo")
    assert Image.core.get_stats()["new_count"] == 1


def test_a_sideways_photo_is_turned_upright_without_its_orientation_tag(media: Path) -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # the camera was turned: show rotated by 90°
    staged = _stage(_photo((40, 30), exif=exif), "photo.jpg")
    with Image.open(staged.staged_path) as image:
        assert image.size == (30, 40)
        assert ORIENTATION not in image.getexif()


# ------------------------------------------------------------------ metadata


def test_jpeg_metadata_is_removed(media: Path) -> None:
    icc = b"\x00" * 128 + b"SecretDeviceProfile"
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">GPSLatitude 42.6977</x:xmpmeta>'
    content = _photo((40, 30), exif=_gps_exif(), comment=b"taken at home, 42.6977 23.3219",
                     icc_profile=icc, xmp=xmp)
    staged = _stage(content, "photo.jpg")
    kept = staged.staged_path.read_bytes()
    for secret in (b"SyntheticCam", b"42.6977", b"SecretDeviceProfile", b"xmpmeta"):
        assert secret not in kept
    with Image.open(staged.staged_path) as image:
        assert dict(image.getexif()) == {}
        assert "icc_profile" not in image.info
        assert "comment" not in image.info
    assert staged.metadata_removed


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[files.CAMERA_MODEL] = "SyntheticCam"
    exif[files.GPS_IFD] = {1: "N", 2: (42.0, 41.0, 0.0), 3: "E", 4: (23.0, 19.0, 0.0)}
    return exif


def test_png_text_exif_and_profile_are_removed_and_a_palette_keeps_its_colours(
        media: Path) -> None:
    image = Image.new("P", (4, 2))
    image.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255] + [0, 0, 0] * 253)
    image.putdata([0, 1, 2, 0, 1, 2, 0, 1])
    text = PngImagePlugin.PngInfo()
    text.add_text("Location", "42.6977 23.3219")
    text.add_itxt("Comment", "home address", zip=True)
    content = _png(image, pnginfo=text, exif=_gps_exif(), transparency=2,
                   icc_profile=b"\x00" * 128 + b"SecretDeviceProfile")
    staged = _stage(content, "scan.png")
    kept = staged.staged_path.read_bytes()
    for secret in (b"Location", b"42.6977", b"SyntheticCam", b"iTXt", b"eXIf", b"iCCP"):
        assert secret not in kept
    with Image.open(staged.staged_path) as stored:
        assert stored.convert("RGBA").getpixel((0, 0)) == (255, 0, 0, 255)
        assert stored.convert("RGBA").getpixel((1, 0)) == (0, 255, 0, 255)
        assert stored.convert("RGBA").getpixel((2, 0))[3] == 0  # still transparent


# ------------------------------------------------------------------ whole and true


def _cuts(content: bytes) -> list[int]:
    return sorted({1, 2, 3, 12, len(content) // 3, len(content) // 2, len(content) - 40})


@pytest.mark.usefixtures("truncated_images_allowed")
@pytest.mark.parametrize("progressive", [False, True], ids=["baseline", "progressive"])
def test_a_truncated_jpeg_is_refused_even_where_pillow_would_load_it(
        media: Path, progressive: bool) -> None:
    photo = _photo((200, 150), progressive=progressive, quality=90)
    with Image.open(io.BytesIO(photo[:-2])) as lenient:
        lenient.load()  # what Pillow alone accepts in this process (no error)
    for cut in _cuts(photo):
        with pytest.raises(UploadRefused, match="This image could not be read"):
            _stage(photo[:-cut], "photo.jpg")
    assert stored_files(media) == []


@pytest.mark.usefixtures("truncated_images_allowed")
def test_a_truncated_png_is_refused(media: Path) -> None:
    picture = _png(Image.linear_gradient("L").resize((120, 90)))
    for cut in _cuts(picture):
        with pytest.raises(UploadRefused, match="This image could not be read"):
            _stage(picture[:-cut])
    assert stored_files(media) == []


def test_a_png_chunk_with_a_wrong_checksum_is_refused(media: Path) -> None:
    picture = bytearray(_png(Image.new("L", (8, 8), 99)))
    picture[-5] ^= 0xFF  # inside IEND's CRC
    with pytest.raises(UploadRefused, match="This image could not be read"):
        _stage(bytes(picture))


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload)))


@pytest.mark.parametrize("content", [
    b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script></html>",
    b"\xff\xd8\xff" + files.png()[3:],
    b"\x89PNG\r\n\x1a\n" + _photo()[8:],
    b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
    + _chunk(b"IDAT", b"<html>not pixels</html>") + _chunk(b"IEND", b""),
    b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 7, 2, 0, 0, 0))
    + _chunk(b"IEND", b""),
], ids=["html-as-jpeg", "png-as-jpeg", "jpeg-as-png", "html-pixels", "bad-depth"])
@pytest.mark.usefixtures("truncated_images_allowed")
def test_an_image_that_is_not_what_its_first_bytes_claim_is_refused(
        media: Path, content: bytes) -> None:
    with pytest.raises(UploadRefused, match="This image could not be read"):
        _stage(content)
    assert stored_files(media) == []
