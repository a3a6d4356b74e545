"""Tiny, valid, synthetic files for upload tests (made in memory; no real patient data).

``MP4`` and ``WEBM`` are real one-second videos, made by Debian's ffmpeg on first use (the
upload check plays them through ffprobe and ffmpeg, so a stub would be refused).
"""

from __future__ import annotations

import functools
import io
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

from PIL import Image

#: A minimal PDF: header, one empty page, trailer.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")

#: The first bytes of an MP4 file only: an ``ftyp`` box (brand isom) and an empty ``mdat``
#: box (a file that claims to be a video and is not one).
MP4_STUB = (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
            b"\x00\x00\x00\x08mdat")

#: A position as phones write it (ISO 6709), in the synthetic videos that carry one.
LOCATION = b"+42.6977+023.3219/"

GPS_IFD = 0x8825
CAMERA_MODEL = 0x0110


def jpeg_with_gps() -> bytes:
    """Return a small JPEG whose EXIF names a camera and holds a GPS position."""
    image = Image.new("RGB", (16, 16), (200, 30, 30))
    exif = Image.Exif()
    exif[CAMERA_MODEL] = "SyntheticCam"
    exif[GPS_IFD] = {1: "N", 2: (42.0, 41.0, 0.0), 3: "E", 4: (23.0, 19.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    """Return a small PNG."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 255)).save(out, format="PNG")
    return out.getvalue()


def pdf_text(pdf: Path | bytes) -> str:
    """The text of a PDF as Debian's ``pdftotext`` reads it (a file, or its bytes)."""
    program = shutil.which("pdftotext")
    assert program is not None, "pdftotext not found: run scripts/install-system-deps.sh"
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return subprocess.run([program, "-", "-"], input=data, check=True,  # noqa: S603
                          capture_output=True).stdout.decode()


def __getattr__(name: str) -> bytes:
    """``MP4`` and ``WEBM``: real videos, made on first use."""
    if name == "MP4":
        return video("mp4")
    if name == "WEBM":
        return video("webm")
    raise AttributeError(name)


_CODECS = {
    "mp4": ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mp4"],
    "mov": ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mov"],
    "webm": ["-c:v", "libvpx", "-c:a", "libopus", "-f", "webm"],
    "mkv": ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "libopus", "-f", "matroska"],
}


@functools.cache
def video(container: str = "mp4", *extra: str, seconds: float = 1.0) -> bytes:
    """A short synthetic video (a test pattern and a tone) made by ffmpeg, with ``extra``
    output options (``-metadata location=...``)."""
    program = shutil.which("ffmpeg")
    assert program is not None, "ffmpeg not found: run scripts/install-system-deps.sh"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"walk.{container}"
        subprocess.run([  # noqa: S603
            program, "-v", "error", "-nostdin", "-f", "lavfi", "-i",
            "testsrc=size=64x48:rate=10", "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=8000", "-t", str(seconds),
            *_CODECS[container], *extra, str(out)], check=True, capture_output=True)
        return out.read_bytes()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4_with_location(location: bytes = LOCATION) -> bytes:
    """An MP4 whose ``moov`` holds ``udta/©xyz`` with a position, as Android phones write it
    (ffmpeg's mp4 muxer writes no ``©xyz``, so the box is added here; ``moov`` is the last
    box of ffmpeg's file, so no offset moves)."""
    data = bytearray(video("mp4"))
    position = 0
    while True:
        size, kind = struct.unpack(">I4s", data[position:position + 8])
        if kind == b"moov":
            break
        position += size
    assert position + size == len(data), "moov is expected last"
    xyz = struct.pack(">I4sHH", 12 + len(location), b"\xa9xyz", len(location), 0x15C7)
    udta = _box(b"udta", xyz + location)
    data[position:position + 4] = struct.pack(">I", size + len(udta))
    return bytes(data + udta)


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload)))


@functools.cache
def png_bomb(width: int = 13_000, height: int = 13_000, *, colour: bool = False) -> bytes:
    """A valid PNG of ``width`` × ``height`` black pixels: a few hundred KB that decode to
    ``width × height`` bytes (three times that with ``colour``)."""
    row = b"\x00" * (1 + width * (3 if colour else 1))
    packer = zlib.compressobj(9)
    parts = []
    left = height
    while left:
        rows = min(left, 256)
        parts.append(packer.compress(row * rows))
        left -= rows
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if colour else 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", b"".join(parts)) + _png_chunk(b"IEND", b""))
